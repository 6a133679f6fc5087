"""The bundled sample corpus in examples/ reads cleanly with format detection, as `make demo` does."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.helpers.ingest import connector_registry, read_all
from vigil.core.errors import UnknownFormat
from vigil.core.settings import Settings
from vigil.ingest.detect import detect_connector

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_examples_read_cleanly(settings: Settings) -> None:
    registry = connector_registry()
    per_file: dict[str, int] = {}
    by_connector: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    unrecognised = []
    for path in sorted(p for p in EXAMPLES.rglob("*") if p.is_file()):
        try:
            cls = detect_connector(path, registry)
        except UnknownFormat:
            unrecognised.append(path.relative_to(EXAMPLES).as_posix())
            continue
        read = read_all(cls(settings), path)
        assert read.rejects == [], path
        per_file[path.relative_to(EXAMPLES).as_posix()] = len(read.items)
        by_connector[cls.name] += len(read.items)
        skipped.update(read.skipped)
    assert per_file["telegram/wilayah_echo/result.json"] == 28
    assert per_file["telegram/monitoring_lab/result.json"] == 18
    assert by_connector == Counter({"telegram": 46, "csv": 20, "feed": 5, "article": 4})
    assert skipped["service_messages"] == 4
    assert sorted(unrecognised) == [
        "README.md",
        "telegram/monitoring_lab/photos/photo_2@24-03-2024_02-15-00.jpg",
        "telegram/wilayah_echo/photos/photo_1@24-03-2024_00-04-11.jpg",
    ]


def test_examples_telegram_photo_is_hashed(settings: Settings) -> None:
    registry = connector_registry()
    path = EXAMPLES / "telegram" / "wilayah_echo" / "result.json"
    items = read_all(detect_connector(path, registry)(settings), path).by_id()
    (photo,) = items["4"].media
    assert len(photo.digests["sha256"]) == 64
    assert items["6"].edited_at is not None and items["13"].reply_to == "11" and items["7"].forwarded_from
