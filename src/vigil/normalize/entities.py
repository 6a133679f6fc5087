"""URLs, @handles and #hashtags pulled out of ``Item.normalized`` into ``Item.urls/handles/hashtags``.

Where it sits: unicode ─► arabic ─► fold ─► **entities** ─► language. It reads ``normalized`` (what was
written, not the folded text, whose leetspeak rule would rewrite ``t.me/x1`` links). Nothing found here is
ever fetched, resolved or opened: a URL is a string to index and match against known channels.

What counts:

* **URLs**: ``http(s)://`` and ``ftp://`` links, their defanged forms as threat-intelligence reports write
  them (``hxxp://``, ``hxxps[://]``, ``example[.]com``, ``example(.)com``, ``example[dot]com``), and bare
  domains with a common top-level domain (``t.me/channel``, ``www.example.org``, ``example[.]ru/x``). Top-level
  domains that are also short English words (``in``, ``it``, ``to``, ``me`` ...) count only with a path
  (``t.me/name``), so a missing space after a full stop (``here.It was``) is not a domain; mixed-case TLDs
  (``.In``) are never domains for the same reason.
  Stored refanged, with the scheme and host lower-cased and trailing punctuation (``.,;:!?'"`` and an
  unbalanced closing bracket) removed; the path keeps its case (it may be case-sensitive).
* **@handles**: ``@`` followed by 2-64 word characters of any script, not preceded by a word character, a
  dot or ``@`` (so an e-mail address is not a handle). Stored as ``@name``, casefolded (handles are
  case-insensitive on Telegram and X).
* **#hashtags** in any script (``#الدولة_الإسلامية``; Arabic marks inside a tag are allowed), with at least
  one letter (``#1`` is not a tag) and not part of an HTML entity (``&#39;``). Stored as ``#tag``, casefolded
  and Arabic-normalized like ``folded`` (so ``#الدولة`` and ``#الدوله`` are one tag).

Each list keeps first-seen order, has no duplicates and is bounded (``max_entities`` option, default 64).
"""

from __future__ import annotations

import re

from vigil.core.records import Item
from vigil.core.registry import Manifest
from vigil.normalize.arabic import normalize_arabic
from vigil.normalize.base import Normalizer
from vigil.normalize.itemcopy import replace_item

_WORDLIKE_TLDS = "in|it|to|me|at|be|no|is|us|so|am|my|do|go|on|or|an|as|id|im|ms|la|de|st"
_TLDS = (
    "com|net|org|info|biz|io|xyz|top|site|online|club|live|app|dev|link|click|news|fm|gg|ws|tk|ml|ga|cf|gq"
    "|co|tv|cc|ai|ly|onion|ru|su|ua|by|kz|uz|tj|kg|az|ge|tr|ir|iq|sy|lb|jo|ps|eg|sa|ae|qa|kw|bh|om|ye|tn|dz|ma|sd|so|af|pk"
    "|bd|my|uk|fr|es|nl|ch|se|dk|fi|pl|cz|ca|au|nz|eu|us|com\\.tr|co\\.uk|org\\.uk"
)
_DOT = r"(?:\.|\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\))"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_PATH = r"""(?:[/?#][^\s<>"'`\u00ab\u00bb\u201c\u201d]*)"""
_URL = re.compile(
    rf"""(?P<scheme>\b(?:h[tx]{{2}}ps?|ftp)(?:://|\[://\]|\[:\]//))[^\s<>"'`\u00ab\u00bb\u201c\u201d]+"""
    rf"|(?<![\w@.\-/])(?P<host>(?:{_LABEL}{_DOT})+(?P<tld>{_TLDS}|{_WORDLIKE_TLDS}))(?![\w\-])(?P<path>{_PATH})?",
    re.IGNORECASE,
)
_WORDLIKE = frozenset(_WORDLIKE_TLDS.split("|"))
_REFANG = re.compile(r"\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\[://\]|\[:\]", re.IGNORECASE)
_REFANG_TO = {"[.]": ".", "(.)": ".", "{.}": ".", "[dot]": ".", "(dot)": ".", "[://]": "://", "[:]": ":"}
_TRAILING = ".,;:!?'\"*"
_CLOSERS = {")": "(", "]": "[", "}": "{"}

_ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_HANDLE = re.compile(r"(?<![\w.@])@(\w{2,64})")
_HASHTAG = re.compile(rf"(?<![\w&#])#(\w[\w{_ARABIC_MARKS}]*)")
_HAS_LETTER = re.compile(r"[^\W\d_]")
# Cheap tests before the URL pattern: a scheme, a defanged dot, or a dot followed by a letter.
_MAYBE_URL = re.compile(r"\.[^\W\d_]|://|\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\[://\]|\[:\]", re.IGNORECASE)


def _refang(text: str) -> str:
    text = _REFANG.sub(lambda m: _REFANG_TO[m.group().lower()], text)
    low = text[:5].lower()
    if low.startswith("hxxp"):
        text = "http" + text[4:]
    return text


def _strip_trailing(url: str) -> str:
    while url:
        last = url[-1]
        if last in _TRAILING or last in _CLOSERS and url.count(last) > url.count(_CLOSERS[last]):
            url = url[:-1]
        else:
            break
    return url


def _canonical_url(raw: str) -> str:
    url = _strip_trailing(_refang(raw))
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    cut = min((i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0), default=len(rest))
    host, path = rest[:cut].lower(), rest[cut:]
    return f"{scheme.lower()}://{host}{path}" if sep else f"{host}{path}"


def _candidate_chunks(text: str) -> list[str]:
    """The whitespace-delimited stretches holding a possible URL. The URL pattern is slow (it tries a
    host at every position), and a URL never contains whitespace, so it runs on these stretches only,
    with the same result as on the whole text."""
    chunks: list[str] = []
    last = -1
    for m in _MAYBE_URL.finditer(text):
        if m.start() < last:
            continue
        i = m.start()
        start = max(text.rfind(" ", 0, i), text.rfind("\n", 0, i)) + 1
        ends = [e for e in (text.find(" ", i), text.find("\n", i)) if e >= 0]
        last = min(ends, default=len(text))
        chunks.append(text[start:last])
    return chunks


def extract_urls(text: str, limit: int = 64) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for chunk in _candidate_chunks(text):
        for m in _URL.finditer(chunk):
            if m.group("host"):
                tld = m.group("tld")
                if not (tld.islower() or tld.isupper()):
                    continue  # "here.It was": a missing space, not a domain
                if tld.lower() in _WORDLIKE and not (m.group("path") or "").startswith("/"):
                    continue
            url = _canonical_url(m.group())
            if url and url not in out:
                out[url] = None
                if len(out) >= limit:
                    return tuple(out)
    return tuple(out)


def extract_handles(text: str, limit: int = 64) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for m in _HANDLE.finditer(text):
        out.setdefault("@" + m.group(1).casefold(), None)
        if len(out) >= limit:
            break
    return tuple(out)


def extract_hashtags(text: str, limit: int = 64) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for m in _HASHTAG.finditer(text):
        tag = m.group(1)
        if not _HAS_LETTER.search(tag):
            continue
        out.setdefault("#" + normalize_arabic(tag.casefold()), None)
        if len(out) >= limit:
            break
    return tuple(out)


class EntitiesNormalizer(Normalizer):
    """Extracts URLs (also defanged), @handles and #hashtags. Never fetches anything."""

    name = "entities"
    order = 400

    def apply(self, item: Item) -> Item:
        text = item.normalized
        limit = int(self.options.get("max_entities", 64))
        urls = extract_urls(text, limit)
        handles = extract_handles(text, limit) if "@" in text else ()
        hashtags = extract_hashtags(text, limit) if "#" in text else ()
        return replace_item(
            item, urls=urls, handles=handles, hashtags=hashtags, normalizers=(*item.normalizers, self.id)
        )


MANIFEST = Manifest(normalizers=(EntitiesNormalizer,))
