"""Memory must not grow with the size of an export: the file is streamed, never loaded whole."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from tests.helpers.ingest import write_big_export
from vigil.core.settings import Settings
from vigil.ingest.telegram import TelegramConnector


def _peak_while_reading(settings: Settings, path: Path) -> tuple[int, int]:
    """(messages read, peak traced bytes) while reading ``path`` and dropping each batch."""
    connector = TelegramConnector(settings)
    count = 0
    tracemalloc.start()
    try:
        for batch in connector.fetch(str(path)):
            count += len(batch.items)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return count, peak


@pytest.mark.slow
def test_telegram_memory_is_flat_in_file_size(settings: Settings, tmp_path: Path) -> None:
    settings = settings.replace(batch_size=500)
    small = write_big_export(tmp_path / "small.json", 2_000)
    large = write_big_export(tmp_path / "large.json", 20_000)
    assert large.stat().st_size > 9 * small.stat().st_size

    n_small, peak_small = _peak_while_reading(settings, small)
    n_large, peak_large = _peak_while_reading(settings, large)

    assert (n_small, n_large) == (2_000, 20_000)
    # One batch of items is held at a time; ten times the file is not ten times the memory.
    assert peak_large < 8 * 1024 * 1024, f"peak {peak_large:,} bytes for {large.stat().st_size:,} bytes of input"
    assert peak_large < peak_small * 1.5 + 512 * 1024, f"small {peak_small:,} vs large {peak_large:,}"


def test_telegram_uses_the_c_backend_when_installed() -> None:
    import ijson

    from vigil.ingest import telegram

    try:
        ijson.get_backend("yajl2_c")
    except ImportError:
        pytest.skip("ijson's yajl2_c backend is not installed here")
    assert telegram._ijson.backend == "yajl2_c"
