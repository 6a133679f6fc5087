from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vigil.cli.render import clean, safe


def test_render_escapes_markup_controls_and_bidi() -> None:
    hostile = "[link=http://evil]click[/link] \x1b]0;owned\x07 abc\u202edcba \u200bx"
    out = safe(hostile)
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out and "\u200b" not in out
    assert "\\u202e" in out and "\\u001b" in out
    assert out.startswith("\\[link=")
    assert clean("line1\nline2\ttab") == "line1\nline2\ttab"


@given(st.text())
def test_render_never_leaves_terminal_controls(text: str) -> None:
    out = clean(text)
    assert not any(0 <= ord(c) < 32 and c not in "\n\t" for c in out)
    assert not any(0x7F <= ord(c) <= 0x9F for c in out)
    assert not any(c in out for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
