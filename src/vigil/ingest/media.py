"""Digests of the media files an export refers to, read only from inside the export folder.

Where it sits: a connector that reads an export with media (Telegram Desktop writes ``photos/``,
``files/``, ``stickers/`` ... next to ``result.json``) asks `MediaFolder` for the digests of each file an
item names; the digests go into `MediaRef.digests` for the hash-bank matchers.

The export is written by whoever sent it to us, so every path in it is hostile until proven otherwise:
  * absolute paths and anything that resolves (``..``, symlinks) outside the folder are refused;
  * only regular files are read (a FIFO or device named ``photo.jpg`` would block or never end);
  * files over ``max_bytes`` are not read;
  * nothing is ever fetched: a URL is just a string that names no local file.
"""

from __future__ import annotations

import hashlib
import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

_CHUNK = 1 << 20
_CACHE_SIZE = 4096  # the same sticker or photo is often referred to many times in one export
_LISTING_MAX = 200_000  # names kept per folder listing; a larger folder is checked file by file


@dataclass(frozen=True, slots=True)
class MediaCheck:
    """What became of one reference: its digests, or why there are none (``note``)."""

    digests: dict[str, str]
    size: int | None = None
    note: str | None = None  # missing | not_included | refused: ... | over max_media_bytes ...


class MediaFolder:
    """Hashes files named relative to ``root``, refusing anything outside it."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root.resolve()
        self.max_bytes = max_bytes
        self._cache: dict[str, MediaCheck] = {}
        self._listings: dict[str, frozenset[str] | None] = {}

    def check(self, reference: str) -> MediaCheck:
        cached = self._cache.get(reference)
        if cached is None:
            cached = self._check(reference)
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[reference] = cached
        return cached

    def _check(self, reference: str) -> MediaCheck:
        refused = _refusal(reference)
        if refused:
            return MediaCheck({}, note=f"refused: {refused}")
        if self._surely_missing(reference):
            return MediaCheck({}, note="missing")
        candidate = (self.root / reference).resolve()
        if not candidate.is_relative_to(self.root):
            return MediaCheck({}, note="refused: resolves outside the export folder")
        try:
            info = candidate.stat()
        except OSError:
            return MediaCheck({}, note="missing")
        if not stat.S_ISREG(info.st_mode):
            return MediaCheck({}, note="refused: not a regular file")
        if info.st_size > self.max_bytes:
            return MediaCheck({}, info.st_size, f"not hashed: {info.st_size:,} bytes, over max_media_bytes")
        return _hash(candidate, self.max_bytes)

    def _surely_missing(self, reference: str) -> bool:
        """True when the reference's folder, inside the export folder, has no entry of that name.

        Most exports name a file per message, and without the media (or with part of it) most of them
        are missing: resolving each path (an ``lstat`` per component) and ``stat``-ing it was a tenth
        of the connector's time a message. A folder is listed once instead; a name that is listed, or
        anything unusual (``..``, a backslash, a folder outside the export or too big to list), takes
        the full check. The listing is a snapshot: a file added during the scan counts as missing."""
        folder, _, name = reference.rpartition("/")
        if not name or name in (".", "..") or "\\" in reference:
            return False
        if folder not in self._listings:
            self._listings[folder] = self._listing(folder) if len(self._listings) < _CACHE_SIZE else None
        listing = self._listings[folder]
        return listing is not None and _name_key(name) not in listing

    def _listing(self, folder: str) -> frozenset[str] | None:
        path = (self.root / folder).resolve() if folder else self.root
        if not path.is_relative_to(self.root):
            return None
        try:
            with os.scandir(path) as entries:
                names = []
                for entry in entries:
                    names.append(_name_key(entry.name))
                    if len(names) > _LISTING_MAX:
                        return None
        except FileNotFoundError:
            return frozenset()  # no such folder: nothing in it exists
        except OSError:  # not a folder, unreadable: the full check says which
            return None
        return frozenset(names)


def _name_key(name: str) -> str:
    # folded, so a case- or normalization-insensitive file system (macOS) never has a file the listing
    # lacks: a false match only costs the full check
    return unicodedata.normalize("NFC", name).casefold()


def _refusal(reference: str) -> str | None:
    if "\x00" in reference:
        return "contains a NUL byte"
    if PurePosixPath(reference).is_absolute() or PureWindowsPath(reference).is_absolute():
        return "absolute path"
    if PureWindowsPath(reference).drive or reference.startswith(("\\", "~")):
        return "absolute path"
    if "://" in reference:
        return "a URL, never fetched"
    return None


def _hash(path: Path, max_bytes: int) -> MediaCheck:
    # O_NOFOLLOW and O_NONBLOCK: the file may have been swapped for a symlink or a FIFO since the
    # checks above; fstat on the open descriptor is what counts.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return MediaCheck({}, note=f"unreadable: {exc.strerror}")
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return MediaCheck({}, note="refused: changed while being read")
        sha256 = hashlib.sha256()
        md5 = hashlib.md5(usedforsecurity=False)  # MD5 is what hash-sharing programmes exchange
        read = 0
        while chunk := fh.read(_CHUNK):
            read += len(chunk)
            if read > max_bytes:
                return MediaCheck({}, note="refused: grew while being read")
            sha256.update(chunk)
            md5.update(chunk)
    return MediaCheck({"sha256": sha256.hexdigest(), "md5": md5.hexdigest()}, read)
