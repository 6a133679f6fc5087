"""Plain text out of a small HTML fragment (a feed entry's summary or content), with lxml.

Where it sits: the feed connector strips entry markup here, and the article connector falls back to it
when trafilatura finds no main text. Whole web pages go through trafilatura, which also drops page
furniture; this helper keeps every piece of text, minus scripts and styles, with block elements on
their own lines.
"""

from __future__ import annotations

import lxml.etree
import lxml.html

_BLOCKS = frozenset(
    ("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "footer",
     "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
     "table", "td", "th", "tr", "ul")
)
_DROP = ("script", "style", "noscript", "template")


def html_to_text(markup: str) -> str:
    """The text of ``markup`` with whitespace collapsed inside lines; never raises."""
    if "<" not in markup and "&" not in markup:
        return _tidy(markup)
    try:
        root = lxml.html.fromstring(markup)
    except (lxml.etree.ParserError, ValueError):  # empty document, or an encoding declaration in str
        return _tidy(markup)
    if root.tag in _DROP:
        return ""
    for element in list(root.iter(*_DROP)):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
    return _tidy(root.text_content())


def _tidy(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
