"""The signal-type and index contracts of the match stage.

    Item / media ─► SignalType.hash_* ─► signal (a string) ─► SignalIndex.query ─► (entry_id, distance)
                                                                      │
                                              banks (thresholds, negative banks) ─► Match records

A *signal* is a compact, shareable string derived from content (a digest, a perceptual hash, a MinHash
signature, a normalized URL). Signals are always strings so they travel unchanged through CSV files,
hash-sharing programmes and the database (the same choice python-threatexchange made). A signal type
knows how to derive its signal from content, how to validate one it is given, and how far apart two
signals are; its index class finds the bank entries near a query signal quickly.

Shared validation lives in the ``@final`` methods of `SignalType`; plugins implement the abstract ones.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import ClassVar, final

from vigil.core.errors import InputTooLarge, InvalidInput, InvalidSignal
from vigil.core.records import ContentKind

MAX_SIGNAL_CHARS = 4096  # longer than any signal Vigil knows (a text_near signature is ~700 chars)
MAX_HASH_FILE_BYTES = 512 * 1024 * 1024  # files larger than this are not hashed by the CLI


class LowQualitySignal(InvalidSignal):
    """The content hashed to a signal too weak to match on (a near-blank image, a two-word text).

    Matching such a signal would produce false matches, so it is neither added to banks nor looked up.
    """

    code = "low_quality_signal"


class SignalIndex(ABC):
    """Finds the bank entries whose signal lies within a radius of a query signal.

    Contract:
      * an index is immutable once built; bank changes are handled by building a new one (and by the
        small delta index and tombstones of `vigil.match.live_index`), so lookups never wait on a build;
      * ``build`` accepts any number of ``(signal, entry_id)`` pairs, including the same signal under
        several entry ids (the same hash in two banks), and returns every one of them on a match;
      * signals given to ``build`` and ``query`` have already passed ``SignalType.parse``;
      * ``query`` returns every entry within ``radius`` (exact indexes) or, for approximate indexes,
        documents its recall; it never returns an entry farther than ``radius``;
      * query results are ``(entry_id, distance)`` pairs, one per entry, in no particular order.
    """

    @classmethod
    @abstractmethod
    def build(cls, entries: Iterable[tuple[str, int]], *, radius: float) -> SignalIndex:
        """Build an index over ``(signal, entry_id)`` pairs that answers queries up to ``radius``."""

    @abstractmethod
    def query(self, signal: str) -> list[tuple[int, float]]:
        """Entries within the build radius of ``signal``: ``[(entry_id, distance), ...]``."""

    def query_many(self, signals: Sequence[str]) -> list[tuple[int, float]]:
        """Entries near any of ``signals`` (e.g. the eight rotations of an image), each entry once with
        its smallest distance. Indexes override this when a batch is cheaper than a loop."""
        best: dict[int, float] = {}
        for signal in signals:
            for entry_id, distance in self.query(signal):
                if distance < best.get(entry_id, float("inf")):
                    best[entry_id] = distance
        return list(best.items())

    @abstractmethod
    def __len__(self) -> int:
        """Number of ``(signal, entry_id)`` pairs indexed."""

    def memory_bytes(self) -> int:
        """Approximate bytes held by the index's arrays (for benchmarks and `vigil bank list`)."""
        return 0


class ExactIndex(SignalIndex):
    """Exact-match index: a dict from signal to entry ids. For digests and normalized URLs, where a
    distance other than 0 has no meaning. ~100 bytes per entry in CPython, fine for millions of digests."""

    def __init__(self, table: dict[str, list[int]], size: int) -> None:
        self._table = table
        self._size = size

    @classmethod
    def build(cls, entries: Iterable[tuple[str, int]], *, radius: float = 0.0) -> ExactIndex:
        table: dict[str, list[int]] = {}
        size = 0
        for signal, entry_id in entries:
            table.setdefault(signal, []).append(entry_id)
            size += 1
        return cls(table, size)

    def query(self, signal: str) -> list[tuple[int, float]]:
        return [(entry_id, 0.0) for entry_id in self._table.get(signal, ())]

    def __len__(self) -> int:
        return self._size


class SignalType(ABC):
    """One kind of signal: how to derive it from content, validate it, compare two, and index many.

    Class attributes (every subclass sets them):
      * ``name``: lower_snake, unique, never renamed (it is stored in banks and exported files);
      * ``version``: bumped when the same content would hash differently, so old banks can be told apart;
      * ``content_kinds``: the `ContentKind` values this signal applies to;
      * ``input``: ``"text"`` when the CLI hashes a raw value (text, URL), ``"file"`` when the value is a
        file path or the signal itself (images, files);
      * ``examples``: valid signals, used by the contract tests and the demo data;
      * ``default_threshold``: the largest distance that counts as a match unless a bank sets its own;
      * ``max_threshold``: the largest threshold a bank may set (the index is built for it);
      * ``index_cls``: the `SignalIndex` that serves this type.

    Contract:
      * ``validate`` returns the canonical form of a signal (``validate(validate(x)) == validate(x)``)
        or raises `InvalidSignal` saying what is wrong; it never returns an empty string;
      * ``hash_text`` / ``hash_bytes`` return a signal that passes ``validate``, or raise
        `InvalidSignal` (`LowQualitySignal` when the content is too weak to match on); types that do not
        apply to text or bytes keep the base method, which raises `InvalidInput`;
      * ``compare(a, b)`` is a distance: 0 for identical signals, symmetric, never negative;
      * nothing here reads the network or the environment, and every input size is bounded.
    """

    name: ClassVar[str]
    version: ClassVar[int] = 1
    content_kinds: ClassVar[tuple[ContentKind, ...]] = ()
    input: ClassVar[str] = "file"
    examples: ClassVar[tuple[str, ...]] = ()
    default_threshold: ClassVar[float] = 0.0
    max_threshold: ClassVar[float] = 0.0
    index_cls: ClassVar[type[SignalIndex]] = ExactIndex

    # ---- implemented by each signal type -------------------------------------------------------

    @classmethod
    @abstractmethod
    def validate(cls, value: str) -> str:
        """Return the canonical form of ``value`` (already stripped and non-empty).

        Raises:
            InvalidSignal: ``value`` is not a signal of this type; the message says what was expected.
        """

    @classmethod
    def hash_text(cls, text: str) -> str:
        """The signal of a text.

        Raises:
            InvalidInput: this signal type does not apply to text.
            InvalidSignal: the text yields no usable signal (e.g. empty after normalization).
        """
        raise InvalidInput(
            f"signal type {cls.name!r} does not hash text",
            hint="give a file path or a signal value, or use a text signal type (text_exact, text_near, url)",
        )

    @classmethod
    def hash_bytes(cls, data: bytes) -> str:
        """The signal of a file's bytes.

        Raises:
            InvalidInput: this signal type does not apply to bytes.
            InvalidSignal: the bytes cannot be hashed (e.g. not an image), or `LowQualitySignal`.
        """
        raise InvalidInput(
            f"signal type {cls.name!r} does not hash files",
            hint="give the text itself, or use a file signal type (pdq, md5, sha256)",
        )

    @classmethod
    def query_variants(cls, data: bytes) -> tuple[str, ...]:
        """Signals to look up for one file. Usually just ``hash_bytes(data)``; PDQ adds the mirrored and
        rotated forms so that a flipped copy of a banked image is found."""
        return (cls.hash_bytes(data),)

    @classmethod
    def bank_variants(cls, data: bytes) -> tuple[str, ...]:
        """Extra signals indexed for a banked file, beside its main signal, under the same entry: what
        the hash alone is weak against. PDQ adds centre crops, since it does not survive cropping.
        Only computed when a file is banked from its bytes; imported hash lists have none."""
        return ()

    @classmethod
    def compare(cls, a: str, b: str) -> float:
        """Distance between two canonical signals. The default is exact: 0 when equal, 1 otherwise."""
        return 0.0 if a == b else 1.0

    # ---- shared, final ---------------------------------------------------------------------------

    @final
    @classmethod
    def parse(cls, value: object) -> str:
        """Validate a signal given from outside (CLI, import file, API): type, size and emptiness are
        checked here once for every signal type, then ``validate`` gives the canonical form.

        Raises:
            InvalidSignal: not a string, empty, too long, or rejected by ``validate``.
        """
        if not isinstance(value, str):
            raise InvalidSignal(cls.name, repr(value), f"expected a string, got {type(value).__name__}")
        stripped = value.strip()
        if not stripped:
            raise InvalidSignal(cls.name, value, "empty signal")
        if len(stripped) > MAX_SIGNAL_CHARS:
            raise InvalidSignal(cls.name, stripped, f"longer than {MAX_SIGNAL_CHARS} characters")
        canonical = cls.validate(stripped)
        if not canonical:
            raise InvalidSignal(cls.name, value, "validate() returned an empty signal (plugin bug)")
        return canonical

    @final
    @classmethod
    def check_threshold(cls, threshold: float) -> float:
        """A bank's threshold for this type, checked against the range the index supports.

        Raises:
            InvalidInput: below 0 or above ``max_threshold``.
        """
        value = float(threshold)
        if not 0.0 <= value <= cls.max_threshold:
            raise InvalidInput(
                f"threshold {threshold!r} is out of range for signal type {cls.name!r}",
                hint=f"use a distance between 0 and {cls.max_threshold:g} (default {cls.default_threshold:g})",
            )
        return value

    @final
    @classmethod
    def matches(cls, a: str, b: str, threshold: float | None = None) -> bool:
        """Whether two signals match at ``threshold`` (the type's default when None)."""
        limit = cls.default_threshold if threshold is None else threshold
        return cls.compare(cls.parse(a), cls.parse(b)) <= limit

    @final
    @classmethod
    def hash_file(cls, path: str | Path, *, max_bytes: int = MAX_HASH_FILE_BYTES) -> str:
        """The signal of a local file (bytes for file types, UTF-8 text for text types).

        Raises:
            InvalidInput: the file does not exist or cannot be read or decoded.
            InputTooLarge: the file is larger than ``max_bytes``.
        """
        data = read_bounded(path, max_bytes)
        if cls.input == "text":
            try:
                return cls.hash_text(data.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise InvalidInput(f"{str(path)!r} is not UTF-8 text: {exc}") from exc
        return cls.hash_bytes(data)


def read_bounded(path: str | Path, max_bytes: int) -> bytes:
    """Read a local file, refusing anything larger than ``max_bytes`` before reading it."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise InvalidInput(f"{str(path)!r} is not a regular file", hint="give the path of a file")
        if size > max_bytes:
            raise InputTooLarge(f"file {str(path)!r}", size, max_bytes, "max_file_bytes")
        return p.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {str(path)!r}: {exc.strerror or exc}", hint="check the path") from exc
