"""Local media for the review page, never remote: a file is shown only when

* the item came from an export folder inside one of ``web_media_dirs`` (the folder is taken from
  the stored locator, ``.../result.json#...``);
* the stored path stays inside that folder (no absolute paths, ``..`` or symlinks out: the same
  rules as at ingest, `vigil.ingest.media.MediaFolder`);
* the file's SHA-256 is the one recorded at ingest (so a file swapped since the scan is refused);
* its first bytes say PNG, JPEG, GIF or WebP (served with that type and ``nosniff``; SVG, which can
  carry script, is never served).

Anything else is shown as a placeholder naming the media kind. URLs are never fetched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from vigil.ingest.media import MediaFolder

MAX_MEDIA_BYTES = 20_000_000
SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF87a", "image/gif"),
              (b"GIF89a", "image/gif"))


def media_roots(setting: str, separator: str) -> list[Path]:
    return [Path(p).resolve() for p in setting.split(separator) if p.strip()]


def sniff(head: bytes) -> str | None:
    for magic, mime in SIGNATURES:
        if head.startswith(magic):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def export_folder(locator: str | None) -> Path | None:
    if not locator or "#" not in locator:
        return None  # only exports (Telegram Desktop) bring media files along
    return Path(locator.split("#", 1)[0]).resolve().parent


def local_image(item: Mapping[str, Any], index: int, roots: Sequence[Path]) -> tuple[Path, str] | None:
    """(path, MIME type) of the item's ``index``-th media file when it may be shown, else None."""
    media = item.get("media") or []
    if not roots or not 0 <= index < len(media):
        return None
    ref = media[index]
    path, expected = ref.get("path"), (ref.get("digests") or {}).get("sha256")
    folder = export_folder(item.get("locator"))
    if not path or not expected or folder is None or not any(folder.is_relative_to(r) for r in roots):
        return None
    check = MediaFolder(folder, MAX_MEDIA_BYTES).check(str(path))
    if check.digests.get("sha256") != expected:
        return None  # refused, missing, too large, or not the file that was scanned
    target = (folder / str(path)).resolve()
    with target.open("rb") as fh:
        mime = sniff(fh.read(16))
    return (target, mime) if mime else None
