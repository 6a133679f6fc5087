"""Turning a value a person typed (CLI, API) into signals: for text types (``text_exact``,
``text_near``, ``url``) the value is the text or URL itself and is hashed; for file types (``pdq``,
``md5``, ``sha256``) it is the path of a local file, which is hashed, or the signal itself."""

from __future__ import annotations

from pathlib import Path

from vigil.core.errors import InvalidSignal
from vigil.match.base import MAX_HASH_FILE_BYTES, SignalType, read_bounded


def bank_signal_for_value(
    st: type[SignalType], value: str, *, is_signal: bool = False, max_file_bytes: int = MAX_HASH_FILE_BYTES
) -> tuple[str, tuple[str, ...]]:
    """The signal to bank for ``value`` and, for a file, its indexed variants (`SignalType.bank_variants`)."""
    if not is_signal and st.input == "file" and Path(value).is_file():
        data = read_bounded(Path(value), max_file_bytes)
        return st.hash_bytes(data), st.bank_variants(data)
    return signals_for_value(st, value, is_signal=is_signal, max_file_bytes=max_file_bytes)[0], ()


def signals_for_value(
    st: type[SignalType],
    value: str,
    *,
    query: bool = False,
    is_signal: bool = False,
    max_file_bytes: int = MAX_HASH_FILE_BYTES,
) -> tuple[str, ...]:
    """Canonical signals for ``value``. With ``query``, a file yields every variant to look up (the
    eight rotations of an image for PDQ); otherwise the one signal to bank.

    Raises:
        InvalidSignal: the value is neither a readable file nor a valid signal (file types), or cannot
            be hashed (text types); `LowQualitySignal` for content too weak to match on.
        InvalidInput, InputTooLarge: the file cannot be read or is too large.
    """
    if is_signal:
        return (st.parse(value),)
    if st.input == "text":
        return (st.hash_text(value),)
    path = Path(value)
    if path.is_file():
        data = read_bounded(path, max_file_bytes)
        return st.query_variants(data) if query else (st.hash_bytes(data),)
    try:
        return (st.parse(value),)
    except InvalidSignal as exc:
        raise InvalidSignal(
            st.name, value, f"no such file, and not a {st.name} signal either ({exc.message.split(': ', 1)[-1]})"
        ) from exc
