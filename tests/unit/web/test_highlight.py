from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from vigil.web.highlight import highlight, snippet


def _text_of(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


def test_highlight_escapes_text_and_notes() -> None:
    out = str(highlight('<script>x</script> lone wolves "q"', [
        {"start": 19, "end": 30, "kind": "evidence", "label": "incitement", "note": '<b onmouseover="x">'}]))
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert '<mark class="hl-evidence lbl-incitement" title="&lt;b onmouseover=&#34;x&#34;&gt;">lone wolves</mark>' in out


def test_highlight_overlapping_spans_give_one_mark_per_segment() -> None:
    out = str(highlight("abcdef", [{"start": 0, "end": 4, "kind": "evidence"}, {"start": 2, "end": 6, "kind": "quote"}]))
    assert out == ('<mark class="hl-evidence" title="evidence">ab</mark>'
                   '<mark class="hl-evidence hl-quote" title="evidence; quote">cd</mark>'
                   '<mark class="hl-quote" title="quote">ef</mark>')


def test_highlight_ignores_spans_outside_the_text() -> None:
    spans = [{"start": -1, "end": 3, "kind": "evidence"}, {"start": 2, "end": 99, "kind": "evidence"},
             {"start": 3, "end": 3, "kind": "evidence"}, {"start": "1", "end": 2, "kind": "evidence"}]
    assert str(highlight("abc<", spans)) == "abc&lt;"


def test_highlight_label_classes_are_only_identifiers() -> None:
    out = str(highlight("abc", [{"start": 0, "end": 3, "kind": "evidence", "label": 'x" onclick="y'}]))
    assert out == '<mark class="hl-evidence" title="evidence">abc</mark>'


def test_highlight_snippet_marks_search_hits() -> None:
    assert str(snippet("a <b> c", [[2, 5]])) == 'a <mark class="hl-evidence" title="search match">&lt;b&gt;</mark> c'


@given(st.text(max_size=60), st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70),
                                                st.sampled_from(["evidence", "quote", "gloss"])), max_size=6))
def test_highlight_keeps_the_text_and_adds_no_markup_of_its_own(text: str, raw: list[tuple[int, int, str]]) -> None:
    spans = [{"start": a, "end": b, "kind": k, "note": text[:10]} for a, b, k in raw]
    out = str(highlight(text, spans))
    assert _text_of(out) == text
    assert set(re.findall(r"<(/?\w+)", out)) <= {"mark", "/mark"}
