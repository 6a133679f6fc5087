"""Exports: CSV and JSON items (spreadsheet formulas neutralised), a STIX 2.1 bundle that stix2
itself parses and validates, a GraphML network, and story briefs in HTML (hostile text escaped)
and PDF."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
import stix2

from tests.helpers.intel import HOSTILE, seeded
from vigil.export import tabular
from vigil.export.brief import brief_data, render_html, render_pdf
from vigil.export.graph import build_graph, write_graphml
from vigil.export.stix import BankedSignal, build_bundle
from vigil.store import intel_queries
from vigil.store.base import ItemFilter
from vigil.store.sql import SqlStore


def test_exports_csv_neutralises_formulas_and_keeps_filters(store: SqlStore) -> None:
    seeded(store)
    buf = io.StringIO()
    n = tabular.write_csv(tabular.rows(store, ItemFilter(label="incitement")), buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert n == 2 and [r["source_id"] for r in rows] == ["1", "2"]
    assert rows[1]["text"].startswith("'=cmd")  # a spreadsheet shows it, never runs it
    assert json.loads(rows[0]["scores"]) == {"incitement": 0.95}
    out = io.StringIO()
    assert tabular.write_json(tabular.rows(store, ItemFilter()), out) == 3
    items = json.loads(out.getvalue())["items"]
    assert items[0]["text"].endswith("\u202eevil") and items[2]["top_label"] == "glorification"


def test_exports_stix_bundle_parses_and_validates(store: SqlStore) -> None:
    seeded(store)

    class Bank:
        def banked_signals(self):  # noqa: ANN202
            yield BankedSignal("sha256", "ab" * 32, "isis_media", ("official_propaganda",))
            yield BankedSignal("url", "https://example.org/it's", "tat_urls")
            yield BankedSignal("pdq", "f" * 64, "images")

    report = build_bundle(store, [Bank()])
    parsed = stix2.parse(report.bundle.serialize(), allow_custom=False)  # stix2's own validation
    by_type: dict[str, list] = {}
    for obj in parsed.objects:
        by_type.setdefault(obj.type, []).append(obj)
    assert {o.name for o in by_type["intrusion-set"]} == {"Islamic State (ISIS)"}
    (actor,) = by_type["threat-actor"]
    assert actor.name == "Abu Hudhayfah al-Ansari" and "Abu Huthaifa al-Ansari" in actor.aliases
    (rel,) = by_type["relationship"]
    assert (rel.relationship_type, rel.source_ref, rel.target_ref) == ("attributed-to", actor.id, by_type["intrusion-set"][0].id)
    assert any(actor.id in r.object_refs for r in by_type["report"])
    patterns = sorted(i.pattern for i in by_type["indicator"])
    assert patterns == [f"[file:hashes.'SHA-256' = '{'ab' * 32}']", "[url:value = 'https://example.org/it\\'s']"]
    assert report.counts["skipped_pdq"] == 1
    isis = by_type["intrusion-set"][0]
    assert any("Foreign Terrorist" in ref.source_name for ref in isis.external_references)
    again = build_bundle(store, [Bank()]).bundle  # stable ids across exports
    assert {o.id for o in again.objects if o.type != "bundle"} == {o.id for o in parsed.objects}


def test_exports_graphml_channels_forwards_replies_entities(store: SqlStore, tmp_path: Path) -> None:
    seeded(store)
    g = build_graph(store)
    assert g.has_edge("channel:Amaq Agency", "channel:Relay One", key="forward")
    assert g.has_edge("channel:Relay One", "channel:Relay Two", key="forward")
    assert g.has_edge("channel:Relay Two", "channel:Relay One", key="reply")
    assert g["channel:Relay One"]["entity:islamic_state"]["mention"]["weight"] == 1
    assert g.nodes["channel:Relay Two"]["items"] == 2 and g.nodes["channel:Relay Two"]["harmful"] == 2
    path = tmp_path / "net.graphml"
    counts = write_graphml(store, str(path))
    back = nx.read_graphml(path)
    assert back.number_of_nodes() == counts["nodes"] and back.nodes["entity:abu_hudhayfah_al_ansari"]["kind"] == "person"


def test_exports_brief_html_escapes_and_pdf_renders(store: SqlStore) -> None:
    seeded(store)
    story = next(s for s in intel_queries.list_stories(store) if "1" in s["items"])
    data = brief_data(store, story["id"])
    assert any("Call to attack by Abu Hudhayfah al-Ansari" in w for w in data["what"])
    assert any(w.startswith("2024-03-22") for w in data["when"]) and "Moscow" in data["where"]
    html = render_html(data)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "data:image/png;base64," in html and "Abu Hudhayfah al-Ansari" in html
    data["story"]["quotes"] = [{"text": HOSTILE, "speaker": "<b>x</b>", "cue": "said", "source_id": "1"}]
    html = render_html(data)
    assert "&lt;script&gt;" in html and "&lt;b&gt;x&lt;/b&gt;" in html and "<script>" not in html.split("</style>")[1]
    pdf = render_pdf(data)
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


def test_exports_brief_unknown_story(store: SqlStore) -> None:
    from vigil.core.errors import NotFound

    with pytest.raises(NotFound):
        brief_data(store, 999)
