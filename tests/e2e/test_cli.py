"""The `vigil` command as a user runs it: real processes, real SQLite files, the bundled examples."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.ingest import message, write_big_export, write_json

ROOT = Path(__file__).resolve().parents[2]
VIGIL = [sys.executable, "-m", "vigil.cli.app"]


def vigil(*args: str, check: bool = True, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("VIGIL_DATABASE_URL", None)
    proc = subprocess.run([*VIGIL, *args], capture_output=True, text=True, cwd=ROOT, env=env, input=stdin, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"vigil {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def as_json(proc: subprocess.CompletedProcess[str]) -> dict:
    return json.loads(proc.stdout)


def test_cli_scan_examples_then_rescan_adds_no_duplicates(tmp_path: Path) -> None:
    db = str(tmp_path / "v.db")
    first = as_json(vigil("scan", "examples", "--db", db, "--json"))
    assert set(first) >= {"items", "new", "duplicates", "quarantined", "by_action", "by_label"}
    assert first["new"] == first["items"] > 50 and first["duplicates"] == 0 and first["quarantined"] == 0
    assert sum(first["by_action"].values()) == first["new"]
    second = as_json(vigil("scan", "examples", "--db", db, "--json"))
    assert (second["new"], second["duplicates"]) == (0, first["new"])
    listed = as_json(vigil("items", "--db", db, "--json", "--limit", "1000"))["items"]
    assert len(listed) == first["new"]


def test_cli_malformed_records_exit_2_naming_file_and_line(tmp_path: Path) -> None:
    db = str(tmp_path / "v.db")
    bad = tmp_path / "posts.jsonl"
    bad.write_text('{"id": 1, "text": "fine"}\n{"id": 2, "text": \n{"id": 3, "text": "also fine"}\n')
    proc = vigil("scan", str(bad), "--db", db, "--json", check=False)
    assert proc.returncode == 2
    assert f"{bad}:2" in proc.stderr
    report = json.loads(proc.stdout)
    assert (report["new"], report["quarantined"]) == (2, 1)
    q = as_json(vigil("quarantine", "list", "--db", db, "--json"))["quarantine"]
    assert len(q) == 1 and q[0]["locator"].endswith("posts.jsonl:2") and q[0]["stage"] == "ingest"


def test_cli_unreadable_and_unknown_files_are_user_errors(tmp_path: Path) -> None:
    db = str(tmp_path / "v.db")
    notjson = tmp_path / "result.json"
    notjson.write_text("this is not json at all")
    proc = vigil("scan", str(notjson), "--db", db, "--format", "telegram", check=False)
    assert proc.returncode == 2 and "result.json" in proc.stderr
    weird = tmp_path / "data.bin"
    weird.write_bytes(b"\x00\x01\x02")
    proc = vigil("scan", str(weird), "--db", db, check=False)
    assert proc.returncode == 2 and "--format" in proc.stderr
    proc = vigil("scan", str(tmp_path / "missing.csv"), "--db", db, "--format", "csv", check=False)
    assert proc.returncode == 2 and "no such file" in proc.stderr


def test_cli_input_size_is_bounded(tmp_path: Path) -> None:
    db = str(tmp_path / "v.db")
    big = tmp_path / "big.jsonl"
    big.write_text(json.dumps({"id": 1, "text": "x" * 5000}) + "\n" + json.dumps({"id": 2, "text": "ok"}) + "\n")
    env_proc = subprocess.run([*VIGIL, "scan", str(big), "--db", db, "--json"], capture_output=True, text=True,
                              cwd=ROOT, env={**os.environ, "VIGIL_MAX_ITEM_BYTES": "1000"}, timeout=120)
    assert env_proc.returncode == 2
    report = json.loads(env_proc.stdout)
    assert (report["new"], report["quarantined"]) == (1, 1)
    assert "max_item_bytes" in env_proc.stderr


def test_cli_assess_json_shape(tmp_path: Path) -> None:
    out = as_json(vigil("assess", "The weather in Moscow is sunny today.", "--json"))
    assert set(out) >= {"action", "labels", "context", "evidence"}
    assert out["action"] in {"allow", "label", "review", "block"}
    assert all(0.0 <= v <= 1.0 for v in out["labels"].values())
    piped = as_json(vigil("assess", "-", "--json", stdin="hello from stdin"))
    assert piped["action"] in {"allow", "label", "review", "block"}
    proc = vigil("assess", "   ", check=False)
    assert proc.returncode == 2 and "empty" in proc.stderr


def test_cli_search_show_and_filters(tmp_path: Path) -> None:
    db = str(tmp_path / "v.db")
    vigil("scan", "examples", "--db", db)
    hits = as_json(vigil("search", "festival", "--db", db, "--json"))["items"]
    assert hits and all("festival" in (h["snippet"] + h["excerpt"]).lower() for h in hits)
    first = hits[0]
    shown = as_json(vigil("show", str(first["id"]), "--db", db, "--json"))
    assert shown["id"] == first["id"] and shown["text"]
    arts = as_json(vigil("items", "--db", db, "--json", "--source", "article"))["items"]
    assert arts and all(a["source"] == "article" for a in arts)
    assert as_json(vigil("items", "--db", db, "--json", "--since", "2100-01-01"))["items"] == []
    proc = vigil("items", "--db", db, "--label", "hate", check=False)
    assert proc.returncode == 2 and "unknown label" in proc.stderr
    proc = vigil("show", "999999", "--db", db, check=False)
    assert proc.returncode == 2


def test_cli_terminal_output_escapes_hostile_content(tmp_path: Path) -> None:
    db = str(tmp_path / "v.db")
    export = write_json(tmp_path / "result.json", {
        "name": "[bold red]Chan[/]", "type": "public_channel", "id": 5,
        "messages": [message(1, "[link=http://evil.example]click[/link] \x1b]0;pwned\x07 \u202egnirts")],
    })
    vigil("scan", str(export), "--db", db)
    out = vigil("show", "1", "--db", db).stdout
    assert "\x1b" not in out and "\u202e" not in out
    assert "[link=http://evil.example]" in out  # shown literally, not interpreted


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_cli_killed_scan_resumes_and_stores_every_item_once(tmp_path: Path, workers: int) -> None:
    db = tmp_path / "v.db"
    export = write_big_export(tmp_path / "result.json", 60_000)
    proc = subprocess.Popen([*VIGIL, "scan", str(export), "--db", str(db), "--batch-size", "500",
                             "--workers", str(workers)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            with sqlite3.connect(db, timeout=1) as conn:
                stored = conn.execute("SELECT count(*) FROM raw_items").fetchone()[0]
        except sqlite3.OperationalError:
            continue
        if stored >= 5000:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL, "the scan finished before it could be killed; raise the size"
    assert 5000 <= stored < 60_000
    report = as_json(vigil("scan", str(export), "--db", str(db), "--batch-size", "500", "--workers", str(workers), "--json"))
    assert report["duplicates"] + report["new"] <= 60_000
    with sqlite3.connect(db) as conn:
        total, distinct = conn.execute("SELECT count(*), count(DISTINCT source || '/' || source_id) FROM raw_items").fetchone()
        statuses = dict(conn.execute("SELECT status, count(*) FROM raw_items GROUP BY status").fetchall())
        assessed = conn.execute("SELECT count(*) FROM assessments").fetchone()[0]
    assert total == distinct == 60_000
    assert statuses == {"done": 60_000}
    assert assessed == 60_000
