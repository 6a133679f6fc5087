from __future__ import annotations

import xml.etree.ElementTree as ET

from vigil.web.charts import dot_timeline, hbars, network, stacked_bars

EVIL = '<script>alert(1)</script>" onload="x'


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_charts_stacked_bars_are_valid_svg_with_titles() -> None:
    svg = str(stacked_bars(["2024-03-23", "2024-03-24"], {"incitement": [1, 2], "reporting": [0, 3]}, "by label"))
    root = _parse(svg)
    rects = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("class") == "bar"]
    assert len(rects) == 3  # zero counts draw nothing
    assert "style=" not in svg and "<script" not in svg


def test_charts_escape_every_name() -> None:
    for svg in (str(hbars([(EVIL, 3, 1)], EVIL, "/ui/channels/")), str(stacked_bars([EVIL], {EVIL: [1]}, EVIL)),
                str(dot_timeline([{"date": "2024-03-23", "what": "event", "label": EVIL}], EVIL)),
                str(network({"nodes": [{"id": "channel:" + EVIL, "label": EVIL, "items": 2, "harmful": 1},
                                       {"id": "channel:b", "label": "b", "items": 1, "harmful": 0}],
                             "edges": [{"source": "channel:b", "target": "channel:" + EVIL, "kind": "forward", "weight": 2}]},
                            EVIL))):
        root = _parse(svg)  # still one well-formed SVG: the name broke out of nothing
        assert not [e for e in root.iter() if e.tag.endswith("script")]
        assert not [e for e in root.iter() if any(k.startswith("on") for k in e.attrib)]


def test_charts_links_quote_names_into_one_path_segment() -> None:
    svg = str(hbars([("a/b?c#d", 1, 0)], "t", "/ui/channels/"))
    assert 'href="/ui/channels/a%2Fb%3Fc%23d"' in svg


def test_charts_empty_data_says_so() -> None:
    assert "no items yet" in str(stacked_bars([], {}, "t"))
    assert "no forwards" in str(network({"nodes": [], "edges": []}, "t"))
