"""`vigil keys`, `vigil audit verify`, `vigil crisis`, `vigil policy show|test` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import update

from tests.helpers.moderation import BENIGN, CALL, send, service
from vigil.core.settings import Settings
from vigil.moderation.keys import KeyRing
from vigil.store.schema import audit_log
from vigil.store.sql import SqlStore


def vigil(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vigil.cli.app", *args], capture_output=True, text=True, timeout=120,
                          check=False)


def test_cli_keys_create_prints_only_the_key(tmp_path: Path) -> None:
    db = str(tmp_path / "v.db")
    r = vigil("keys", "create", "--role", "moderator", "--name", "night shift", "--db", db)
    assert r.returncode == 0, r.stderr
    key = r.stdout
    assert key.endswith("\n") and key.count("\n") == 1 and key.startswith("vgl_")
    store = SqlStore(Settings(database_url=f"sqlite:///{db}"))
    try:
        assert KeyRing(store).authenticate(key.strip()).role == "moderator"
    finally:
        store.close()
    listed = json.loads(vigil("keys", "list", "--db", db, "--json").stdout)["keys"]
    assert [(k["role"], k["name"]) for k in listed] == [("moderator", "night shift")]
    assert key.strip() not in json.dumps(listed)
    bad = vigil("keys", "create", "--role", "root", "--db", db)
    assert bad.returncode == 2 and bad.stdout == "" and "unknown role" in bad.stderr
    assert vigil("keys", "revoke", listed[0]["prefix"], "--db", db).returncode == 0
    assert json.loads(vigil("keys", "list", "--db", db, "--json").stdout)["keys"] == []


def test_cli_audit_verify_exit_code_and_names_the_record(tmp_path: Path) -> None:
    db = str(tmp_path / "v.db")
    store = SqlStore(Settings(database_url=f"sqlite:///{db}"))
    svc = service(store)
    for i in range(3):
        send(svc, f"a{i}", CALL if i == 1 else BENIGN)
    ok = vigil("audit", "verify", "--db", db, "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["ok"] is True
    with store.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == 2).values(record=audit_log.c.record + " "))
    store.close()
    broken = vigil("audit", "verify", "--db", db)
    assert broken.returncode == 1
    assert "record 2: edited" in broken.stderr


def test_cli_crisis_start_list_end(tmp_path: Path) -> None:
    db = str(tmp_path / "v.db")
    r = vigil("crisis", "start", "moscow-2024", "--terms", "Crocus,concert hall", "--entities", "ISIS-K",
              "--until", "2099-01-01", "--db", db, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["terms"] == ["Crocus", "concert hall"]
    rows = json.loads(vigil("crisis", "list", "--db", db, "--json").stdout)["crises"]
    assert [(c["name"], c["state"]) for c in rows] == [("moscow-2024", "active")]
    assert vigil("crisis", "end", "moscow-2024", "--db", db).returncode == 0
    rows = json.loads(vigil("crisis", "list", "--db", db, "--json").stdout)["crises"]
    assert rows[0]["state"] == "ended"
    again = vigil("crisis", "end", "moscow-2024", "--db", db)
    assert again.returncode == 2 and "no active crisis" in again.stderr


def test_cli_policy_show_and_test_on_stored_items(tmp_path: Path) -> None:
    shown = json.loads(vigil("policy", "show", "--json").stdout)
    assert shown["id"] == "default.v1" and shown["enforcement"]["ban_at"] == 11
    assert shown["surfaces"]["default"]["thresholds"]["incitement"]["block"] == 0.8
    strict = tmp_path / "strict.yaml"
    strict.write_text(Path("src/vigil/policy/policies/default.yaml").read_text().replace(
        "name: default\nversion: 1", "name: strict\nversion: 2").replace(
        "incitement:          {label: 0.4,  review: 0.5, block: 0.8}", "incitement:          {label: 0.01, review: 0.5, block: 0.55}"))
    db = str(tmp_path / "v.db")
    store = SqlStore(Settings(database_url=f"sqlite:///{db}"))
    svc = service(store)
    svc.ingest([__import__("tests.helpers.connectors", fromlist=["raw"]).raw(str(i), t)
                for i, t in enumerate([CALL, BENIGN, "they will get what is coming to them"])])
    store.close()
    r = vigil("policy", "test", str(strict), "--db", db, "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    # no classifier is installed on main yet, so every stored item scores 0 under the real Assessor:
    assert report["items"] == 3 and report["baseline"] == "default.v1" and report["candidate"] == "strict.v2"
    bad = vigil("policy", "test", str(tmp_path / "missing.yaml"), "--db", db)
    assert bad.returncode == 2 and "does not exist" in bad.stderr


def test_cli_policy_test_on_a_file_names_the_changed_items(tmp_path: Path) -> None:
    items = tmp_path / "items.jsonl"
    items.write_text('{"id": "calm", "text": "see you at the match tonight"}\n'
                     '{"id": "call", "text": "lone wolves must kill the crusaders in europe now"}\n', encoding="utf-8")
    baseline = json.loads(vigil("assess", "lone wolves must kill the crusaders in europe now", "--json").stdout)
    lenient = tmp_path / "lenient.yaml"
    text = Path("src/vigil/policy/policies/default.yaml").read_text(encoding="utf-8")
    lenient.write_text(text.replace("name: default\nversion: 1", "name: lenient\nversion: 3")
                       .replace("block: 0.8}", "block: 1.0}").replace("block: 0.75}", "block: 1.0}")
                       .replace("block: 0.85}", "block: 1.0}").replace("block: 0.9}", "block: 1.0}"), encoding="utf-8")
    r = vigil("policy", "test", str(lenient), "--on", str(items), "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["items"] == 2 and report["candidate"] == "lenient.v3"
    # whatever the classifier on main scores, only a blocked item can change under a policy that never blocks
    blocked = baseline["action"] == "block"
    assert report["changed"] == int(blocked)
    if blocked:
        assert [e["source_id"] for e in report["examples"]] == ["call"]
        assert report["examples"][0]["from"] == "block" and report["examples"][0]["to"] != "block"
    human = vigil("policy", "test", str(lenient), "--on", str(items))
    assert human.returncode == 0 and "of 2 items change action" in human.stdout
