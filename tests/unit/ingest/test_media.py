from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from tests.helpers.ingest import chat_export, message, read_all, write_json
from vigil.core.settings import Settings
from vigil.ingest.media import MediaFolder
from vigil.ingest.telegram import TelegramConnector


@pytest.fixture
def export_dir(tmp_path: Path) -> Path:
    """``tmp_path/export`` with one photo inside, and a secret file next to (outside) the folder."""
    folder = tmp_path / "export"
    (folder / "photos").mkdir(parents=True)
    (folder / "photos" / "ok.jpg").write_bytes(b"inside")
    (tmp_path / "secret.txt").write_bytes(b"outside the export folder")
    return folder


def test_media_hashes_a_file_inside_the_folder(export_dir: Path) -> None:
    checked = MediaFolder(export_dir, 1024).check("photos/ok.jpg")
    assert checked.note is None
    assert checked.digests == {
        "sha256": hashlib.sha256(b"inside").hexdigest(),
        "md5": hashlib.md5(b"inside").hexdigest(),
    }
    assert checked.size == 6


@pytest.mark.parametrize(
    "reference",
    [
        "../secret.txt",
        "photos/../../secret.txt",
        "../../../../../../etc/passwd",
        "/etc/passwd",
        "C:\\Windows\\win.ini",
        "\\\\server\\share\\x.jpg",
        "~/secret.txt",
        "https://example.invalid/photo.jpg",
        "photos/ok.jpg\x00.png",
    ],
)
def test_media_refuses_paths_outside_the_folder(export_dir: Path, reference: str) -> None:
    checked = MediaFolder(export_dir, 1024).check(reference)
    assert checked.digests == {}
    assert checked.note is not None and checked.note.startswith("refused")


def test_media_refuses_a_symlink_that_escapes(export_dir: Path) -> None:
    (export_dir / "photos" / "link.jpg").symlink_to(export_dir.parent / "secret.txt")
    checked = MediaFolder(export_dir, 1024).check("photos/link.jpg")
    assert checked.digests == {} and checked.note == "refused: resolves outside the export folder"


def test_media_follows_a_symlink_that_stays_inside(export_dir: Path) -> None:
    (export_dir / "photos" / "alias.jpg").symlink_to(export_dir / "photos" / "ok.jpg")
    assert MediaFolder(export_dir, 1024).check("photos/alias.jpg").digests["sha256"] == hashlib.sha256(b"inside").hexdigest()


def test_media_never_reads_a_fifo(export_dir: Path) -> None:
    os.mkfifo(export_dir / "photos" / "pipe.jpg")  # reading it would block forever
    checked = MediaFolder(export_dir, 1024).check("photos/pipe.jpg")
    assert checked.note == "refused: not a regular file"


def test_media_over_the_size_bound_is_listed_not_hashed(export_dir: Path) -> None:
    (export_dir / "photos" / "big.jpg").write_bytes(b"x" * 2048)
    checked = MediaFolder(export_dir, 1024).check("photos/big.jpg")
    assert checked.digests == {} and checked.size == 2048 and "over max_media_bytes" in (checked.note or "")


def test_media_missing_file_is_noted(export_dir: Path) -> None:
    assert MediaFolder(export_dir, 1024).check("photos/absent.jpg").note == "missing"


def test_telegram_export_with_traversal_paths_reads_nothing_outside(settings: Settings, export_dir: Path) -> None:
    msgs = [
        message(1, "a", photo="../secret.txt"),
        message(2, "b", file="/etc/passwd", media_type="document"),
        message(3, "c", thumbnail="../../../../etc/shadow"),
        message(4, "d", photo="photos/ok.jpg"),
    ]
    path = write_json(export_dir / "result.json", chat_export(msgs))
    items = read_all(TelegramConnector(settings, {"max_media_bytes": 1024}), path).by_id()
    for mid in ("1", "2", "3"):
        (ref,) = items[mid].media
        assert ref.digests == {}
        assert "refused" in items[mid].meta["media_notes"][0]
    assert items["1"].media[0].path == "../secret.txt"  # the reference is kept as evidence
    assert items["4"].media[0].digests["sha256"] == hashlib.sha256(b"inside").hexdigest()


def test_media_missing_folder_is_noted_missing(export_dir: Path) -> None:
    folder = MediaFolder(export_dir, 1024)
    assert folder.check("videos/absent.mp4").note == "missing"
    assert folder.check("videos/other.mp4").note == "missing"


def test_media_listing_never_answers_for_a_folder_outside(export_dir: Path) -> None:
    """A missing name in a folder that resolves outside the export is refused, not just missing."""
    (export_dir / "out").symlink_to(export_dir.parent)
    folder = MediaFolder(export_dir, 1024)
    assert folder.check("out/absent.jpg").note == "refused: resolves outside the export folder"
    assert folder.check("photos/../../absent.jpg").note == "refused: resolves outside the export folder"


def test_media_listed_names_still_get_every_check(export_dir: Path) -> None:
    """After a folder is listed, a file in it is checked in full: an escaping symlink is refused."""
    (export_dir / "photos" / "link.jpg").symlink_to(export_dir.parent / "secret.txt")
    folder = MediaFolder(export_dir, 1024)
    assert folder.check("photos/absent.jpg").note == "missing"  # lists photos/
    assert folder.check("photos/link.jpg").note == "refused: resolves outside the export folder"
    assert folder.check("photos/ok.jpg").digests["md5"] == hashlib.md5(b"inside").hexdigest()


def test_media_listing_of_a_huge_folder_falls_back_to_file_checks(export_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import vigil.ingest.media as media

    monkeypatch.setattr(media, "_LISTING_MAX", 0)
    folder = MediaFolder(export_dir, 1024)
    assert folder.check("photos/absent.jpg").note == "missing"
    assert folder._listings == {"photos": None}
    assert folder.check("photos/ok.jpg").size == 6
