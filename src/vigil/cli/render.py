"""Showing attacker-written text on a terminal safely.

Ingested text can carry Rich markup (``[link=...]``), ANSI/OSC escape sequences that rewrite the
terminal or its title, and bidi overrides that reorder what a moderator reads ("Trojan Source"). Every
piece of content goes through `safe` before it reaches the console: markup is escaped and invisible
controls are shown as visible ``\\uXXXX`` escapes.
"""

from __future__ import annotations

import re

from rich.markup import escape

_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")


def _visible(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def clean(text: str | None, limit: int | None = None) -> str:
    """Controls and bidi overrides as visible escapes; optionally cut to ``limit`` characters."""
    if not text:
        return ""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return _INVISIBLE.sub(_visible, text)


def safe(text: str | None, limit: int | None = None) -> str:
    """`clean` plus Rich markup escaped: safe to embed in a Rich markup string."""
    return escape(clean(text, limit))


def one_line(text: str | None, limit: int = 100) -> str:
    flat = " ".join((text or "").split())
    return safe(flat, limit)

