from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from vigil.core.errors import InvalidInput
from vigil.match.bank_io import PYTX_COLUMNS, export_bank, import_file
from vigil.match.banks import NewEntry
from vigil.match.memory_store import MemoryBankStore
from vigil.match.types import load_signal_types

TYPES = load_signal_types()
PDQ = "facd8b8ad4e5f2e4dcab2d3ab8e4c8e1b09bc9c4b3ab2a4f81d4e0e8e1a9bdd3"
MD5 = "e8b19da37825a3056e84c522f05eb001"


@pytest.fixture
def store() -> MemoryBankStore:
    s = MemoryBankStore(TYPES)
    s.create_bank("gifct", labels=["official_propaganda"], source="gifct")
    s.create_bank("benign", negative=True)
    return s


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bank_io_imports_python_threatexchange_csv_and_reports_bad_rows(store, tmp_path) -> None:
    path = write(tmp_path, "collab.csv", ",".join(PYTX_COLUMNS) + "\n"
                 f"Sample Data,pdq,{PDQ},POSITIVE_CLASS,incitement isis_media\n"
                 f"Sample Data,video_md5,{MD5},POSITIVE_CLASS,\n"
                 "Sample Data,pdq,not-a-hash,POSITIVE_CLASS,\n"
                 f"Sample Data,md5,{MD5[:-1]}0,NEGATIVE_CLASS,\n"
                 "Sample Data,tlsh,T1abc,POSITIVE_CLASS,\n"
                 f"Sample Data,pdq,{PDQ},POSITIVE_CLASS,\n")
    report = import_file(store, "gifct", path)
    assert (report.added, report.duplicates) == (2, 1)
    lines = {line: reason for line, reason in report.rejected}
    assert set(lines) == {4, 5, 6}
    assert "64 hex" in lines[4] and "NEGATIVE_CLASS" in lines[5] and "signal type" in lines[6]
    entry = store.find_entries("pdq", PDQ)[0]
    assert entry.labels == ("incitement",)
    assert entry.meta["tags"] == ["isis_media"] or entry.meta["tags"] == ("isis_media",)
    assert entry.origin == "import:collab.csv:2" and entry.added_by == "import"


def test_bank_io_raw_text_rows_become_exact_and_near_entries(store, tmp_path) -> None:
    text = "Pack your bags and follow the old road before the winter comes, brothers"
    path = write(tmp_path, "t.csv", "signal_type,signal_str\n" + f'raw_text,"{text}"\n' + "raw_text,hello\n")
    report = import_file(store, "gifct", path)
    assert report.added == 3 and not report.rejected  # the short text is banked exactly only
    assert store.find_entries("text_exact", TYPES["text_exact"].hash_text(text))


def test_bank_io_csv_roundtrip_keeps_labels_and_provenance(store, tmp_path) -> None:
    store.add_entries("gifct", [NewEntry("pdq", PDQ, ("incitement",), "seen in March", "alice", "item:tg:9")])
    out = io.StringIO()
    assert export_bank(store, "gifct", out, "csv") == 1
    header, row = out.getvalue().splitlines()
    assert header.startswith(",".join(PYTX_COLUMNS))
    other = MemoryBankStore(TYPES)
    other.create_bank("copy")
    report = import_file(other, "copy", write(tmp_path, "e.csv", out.getvalue()))
    assert report.added == 1 and not report.rejected
    e = other.list_entries("copy")[0]
    assert (e.signal, e.labels, e.note, e.added_by, e.origin) == (PDQ, ("incitement",), "seen in March", "alice", "item:tg:9")


def test_bank_io_json_roundtrip(store, tmp_path) -> None:
    store.add_entries("gifct", [NewEntry("url", "https://t.me/chan/1"), NewEntry("md5", MD5)])
    out = io.StringIO()
    export_bank(store, "gifct", out, "json")
    doc = json.loads(out.getvalue())
    assert doc["bank"]["labels"] == ["official_propaganda"] and len(doc["entries"]) == 2
    other = MemoryBankStore(TYPES)
    other.create_bank("copy")
    assert import_file(other, "copy", write(tmp_path, "b.json", out.getvalue())).added == 2


def test_bank_io_lines_format(store, tmp_path) -> None:
    path = write(tmp_path, "signals.txt", f"# pytx local file\npdq {PDQ}\nmd5 {MD5}\nmd5\n")
    report = import_file(store, "gifct", path)
    assert report.added == 2 and report.rejected == [(4, "missing signal")]


def test_bank_io_tat_hash_list(store, tmp_path) -> None:
    records = [
        {"id": 2819, "hash_digest": MD5, "algorithm": "MD5", "ideology": "islamist", "file_type": "mp4",
         "deleted": False, "created_on": "2025-03-03 23:05:22,587"},
        {"id": 2820, "hash_digest": PDQ, "algorithm": "PDQ", "ideology": "far-right", "deleted": True},
        {"id": 2821, "hash_digest": "abc", "algorithm": "TLSH", "deleted": False},
    ]
    report = import_file(store, "gifct", write(tmp_path, "tat.json", json.dumps(records)))
    assert report.added == 1 and len(report.skipped) == 1 and report.rejected[0][0] == 3
    entry = store.find_entries("md5", MD5)[0]
    assert entry.origin == "tat:2819" and entry.meta["ideology"] == "islamist"
    assert entry.added_at.year == 2025


def test_bank_io_tat_url_alerts_csv(store, tmp_path) -> None:
    path = write(tmp_path, "alerts.csv", "id,url,platform,group,status\n"
                 "a1,hxxps://files[.]example[.]net/x.mp4,filehost,ISKP,active\n"
                 "a2,https://t.me/somechan/5,telegram,ISIS,removed\n"
                 "a3,,telegram,ISIS,active\n")
    report = import_file(store, "gifct", path)
    assert report.added == 1 and len(report.skipped) == 1 and report.rejected == [(4, "missing url")]
    entry = store.find_entries("url", "https://files.example.net/x.mp4")[0]
    assert entry.meta["group"] == "ISKP" and entry.origin == "tat-alert:a1"


def test_bank_io_negative_bank_refuses_positive_rows(store, tmp_path) -> None:
    path = write(tmp_path, "n.csv", "signal_type,signal_str,category\n"
                 f"md5,{MD5},NEGATIVE_CLASS\nmd5,{'1' * 32},POSITIVE_CLASS\n")
    report = import_file(store, "benign", path)
    assert report.added == 1 and report.rejected[0][0] == 3


def test_bank_io_dry_run_writes_nothing(store, tmp_path) -> None:
    report = import_file(store, "gifct", write(tmp_path, "s.txt", f"md5 {MD5}\n"), dry_run=True)
    assert report.added == 1 and store.list_entries("gifct") == []


def test_bank_io_rejects_files_without_signal_columns(store, tmp_path) -> None:
    with pytest.raises(InvalidInput, match="signal_type and signal_str"):
        import_file(store, "gifct", write(tmp_path, "x.csv", "a,b\n1,2\n"), fmt="csv")


def test_bank_io_json_variants_are_validated(store, tmp_path) -> None:
    doc = {"format": "vigil-bank", "version": 1, "bank": {}, "entries": [
        {"signal_type": "pdq", "signal": PDQ, "meta": {"variants": ["nothex"]}},
        {"signal_type": "pdq", "signal": PDQ, "meta": {"variants": ["0" * 64]}},
    ]}
    report = import_file(store, "gifct", write(tmp_path, "v.json", json.dumps(doc)))
    assert report.added == 1 and report.rejected[0][0] == 1 and "64 hex" in report.rejected[0][1]
    assert store.find_entries("pdq", PDQ)[0].signals == (PDQ, "0" * 64)
