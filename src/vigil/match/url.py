"""URL matching: the signal is the URL in a canonical form, so that the same link written differently
matches a banked one (Tech Against Terrorism's alerts are lists of such URLs).

Canonical form, in order:
  * defanged forms are undone (``hxxp://``, ``example[.]com``, ``[:]//``, ``(dot)``), surrounding
    brackets, quotes and trailing punctuation dropped; a missing scheme means ``https``;
  * ``http`` becomes ``https`` (the same resource is served on both; a banked link must not be dodged
    by changing the scheme); user names, passwords and default ports (80, 443) are dropped;
  * the host is lower-cased, IDNA-encoded, its trailing dot and a leading ``www.`` removed; Telegram's
    alias hosts (``telegram.me``, ``telegram.dog``) become ``t.me``;
  * the path keeps its case (paths are case-sensitive), loses ``.``/``..`` segments, repeated and
    trailing slashes; percent-escapes are upper-cased and unreserved characters decoded;
  * tracking parameters (``utm_*``, ``fbclid``, ``gclid`` ...) are removed, the rest sorted;
    the fragment is dropped.

Vigil never fetches a URL: matching is on the string alone.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from vigil.core.errors import InvalidSignal
from vigil.core.records import ContentKind
from vigil.core.registry import Manifest
from vigil.match.base import ExactIndex, SignalType

MAX_URL_CHARS = 2048
_TRACKING = re.compile(
    r"^(utm_[a-z0-9_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|igsh|mc_cid|mc_eid|"
    r"_ga|_gl|_hsenc|_hsmi|ref_src|ref_url|si|spm|share_source|trk|trkcampaign|s_cid|cmpid|ocid|vero_id)$",
    re.IGNORECASE,
)
_DEFANG = (
    (re.compile(r"^h[x*]{2}p(s?)", re.IGNORECASE), r"http\1"),
    (re.compile(r"[\[\(\{]\s*(?:\.|dot)\s*[\]\)\}]", re.IGNORECASE), "."),
    (re.compile(r"\s+dot\s+", re.IGNORECASE), "."),
    (re.compile(r"[\[\(\{]\s*:\s*[\]\)\}]"), ":"),
    (re.compile(r"[\[\(\{]\s*(://|/)\s*[\]\)\}]"), r"\1"),
    (re.compile(r"^(https?)\[?:\]?//", re.IGNORECASE), r"\1://"),
)
_HOST = re.compile(r"[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*")
_HOST_ALIASES = {"telegram.me": "t.me", "telegram.dog": "t.me"}
_UNRESERVED = "-._~"
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_URL_IN_TEXT = re.compile(
    r"(?:h[xt*]{2}ps?(?:\[?:\]?)//|www(?:\.|\[\.\])|\bt(?:\.|\[\.\])me/)[^\s<>\"']+", re.IGNORECASE
)


def _undefang(value: str) -> str:
    text, previous = value.strip(), None
    while text != previous:  # "<https://x/a>." needs both strips, in turns
        previous = text
        text = text.strip().strip("<>\"'`").rstrip(".,;!?)]}")
    for pattern, repl in _DEFANG:
        text = pattern.sub(repl, text)
    return text


def _canonical_path(path: str) -> str:
    segments: list[str] = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if segments:
                segments.pop()
            continue
        # decode unreserved escapes and re-encode everything else the same way every time
        segments.append(quote(unquote(seg), safe="!$&'()*+,;=:@" + _UNRESERVED))
    return "/" + "/".join(segments)


def normalize_url(value: str) -> str:
    """The canonical form of a URL (see the module docstring).

    Raises:
        InvalidSignal: not a web URL (no host, another scheme, a bad port, too long).
    """
    if len(value) > MAX_URL_CHARS:
        raise InvalidSignal("url", value, f"longer than {MAX_URL_CHARS} characters")
    text = _undefang(value)
    if not _SCHEME.match(text):
        text = "https://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidSignal("url", value, f"not a URL: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InvalidSignal("url", value, f"scheme {scheme!r} is not http or https")
    host = (parts.hostname or "").rstrip(".")
    if not host or " " in host:
        raise InvalidSignal("url", value, "no host name")
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise InvalidSignal("url", value, f"host {host!r} is not a valid domain name") from exc
    if not _HOST.fullmatch(host):
        raise InvalidSignal("url", value, f"host {host!r} is not a domain name or IPv4 address")
    host = host.removeprefix("www.")
    host = _HOST_ALIASES.get(host, host)
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    params = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    query = urlencode(sorted(params), quote_via=quote)
    path = _canonical_path(parts.path)
    return urlunsplit(("https", netloc, path, query, ""))


def extract_urls(text: str, limit: int = 50) -> list[str]:
    """URLs written in ``text``, including defanged ones, in order, at most ``limit``. For items whose
    normalizer found no URLs; the normalize stage's own extraction is preferred when present."""
    found = []
    for match in _URL_IN_TEXT.finditer(text):
        found.append(match.group(0))
        if len(found) >= limit:
            break
    return found


class UrlSignal(SignalType):
    name = "url"
    content_kinds = (ContentKind.MESSAGE, ContentKind.ARTICLE)
    input = "text"
    index_cls = ExactIndex
    examples = ("https://example.org/channel/post/123", "https://t.me/example_channel/42")

    @classmethod
    def validate(cls, value: str) -> str:
        return normalize_url(value)

    @classmethod
    def hash_text(cls, text: str) -> str:
        return normalize_url(text)


MANIFEST = Manifest(signal_types=(UrlSignal,))
