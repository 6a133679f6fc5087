"""The analyst commands: entities, events, stories, story, profile, watch, alerts, translate, export,
and `--published` on scan and assess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers.intel import seeded
from vigil.cli.app import app
from vigil.core.settings import Settings
from vigil.store.sql import SqlStore

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "v.db"
    store = SqlStore(Settings(database_url=f"sqlite:///{path}"))
    seeded(store)
    store.close()
    return str(path)


def run(*args: str) -> dict:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_cli_intel_listings(db: str) -> None:
    ents = {e["entity_key"]: e for e in run("entities", "--db", db, "--json")["entities"]}
    assert ents["islamic_state"]["items"] == 2 and ents["abu_hudhayfah_al_ansari"]["aliases"] == ["Abu Huthaifa"]
    assert run("entities", "--db", db, "--kind", "place", "--json")["entities"][0]["canonical"] == "Moscow"
    evs = run("events", "--db", db, "--json")["events"]
    attack = next(e for e in evs if e["kind"] == "attack")
    assert (attack["type"], attack["date"], attack["place"], attack["deaths"], attack["actors"]) == (
        "shooting", "2024-03-22", "Moscow", 143, ["Islamic State (ISIS)"])
    stories = run("stories", "--db", db, "--json")["stories"]
    assert sorted(sid for s in stories for sid in s["items"]) == ["1", "2", "3"]
    one = run("story", str(stories[0]["id"]), "--db", db, "--json")
    assert {"members", "timeline", "quotes", "events_detail", "key_entities"} <= set(one)
    prof = run("profile", "Relay One", "--db", db, "--json")
    assert prof["channel"]["links"]["forwarded_by"] == [{"channel": "Relay Two", "items": 1}]


def test_cli_intel_watch_and_alerts(db: str) -> None:
    added = run("watch", "add", "wolves", "--term", "lone wolves", "--db", db, "--json")["rule"]
    assert added["kind"] == "term" and added["value"] == "lone wolves"
    run("watch", "add", "surge", "--spike", "--label", "incitement", "--min-count", "3", "--db", db, "--json")
    rules = run("watch", "list", "--db", db, "--json")["rules"]
    assert [r["name"] for r in rules] == ["wolves", "surge"]
    result = CliRunner().invoke(app, ["watch", "add", "wolves", "--term", "x", "--db", db])
    assert result.exit_code != 0  # names are unique
    CliRunner().invoke(app, ["watch", "remove", "wolves", "--db", db], catch_exceptions=False)
    assert [r["name"] for r in run("watch", "list", "--db", db, "--json")["rules"]] == ["surge"]
    assert run("alerts", "list", "--db", db, "--json") == {"alerts": []}


def test_cli_intel_translate_and_export(db: str, tmp_path: Path) -> None:
    out = run("translate", "الذئاب المنفردة", "--json")
    assert out["glossed"] == "الذئاب المنفردة [lone wolves]" and out["source_language"] == "ar"
    bundle = tmp_path / "b.json"
    counts = run("export", "stix", "--db", db, "--out", str(bundle), "--json")
    assert counts["intrusion_sets"] == 1 and json.loads(bundle.read_text())["type"] == "bundle"
    graph = tmp_path / "n.graphml"
    assert run("export", "graphml", "--db", db, "-o", str(graph), "--json")["edges"] >= 3
    result = CliRunner().invoke(app, ["export", "csv", "--db", db, "--label", "incitement"], catch_exceptions=False)
    assert result.exit_code == 0 and result.output.count("\n") >= 3 and "'=cmd" in result.output
    pdf = tmp_path / "b.pdf"
    story_id = run("stories", "--db", db, "--json")["stories"][0]["id"]
    run("export", "brief", "--story", str(story_id), "--pdf", "--db", db, "-o", str(pdf), "--json")
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_cli_intel_seeds_end_to_end(seeds_dir: Path, tmp_path: Path) -> None:
    """As a user runs it: scan the seed reports (000 with its date, so "last Friday" resolves), then
    list the stories with their file names."""
    db = str(tmp_path / "s.db")
    env = {k: v for k, v in os.environ.items() if k != "VIGIL_DATABASE_URL"}

    def vigil(*args: str) -> dict:
        proc = subprocess.run([sys.executable, "-m", "vigil.cli.app", *args], capture_output=True, text=True,
                              cwd=ROOT, env=env, timeout=600)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    files = sorted(seeds_dir.glob("*.txt"))
    vigil("scan", str(files[0]), "--published", "2024-03-29", "--db", db, "--json")
    vigil("scan", *map(str, files[1:]), "--db", db, "--json")
    stories = vigil("stories", "--db", db, "--json")["stories"]
    assert sorted(sorted(s["items"]) for s in stories) == [
        sorted(files[i].name for i in (0, 1, 4)), sorted(files[i].name for i in (2, 3))]
    attack = next(e for e in vigil("events", "--db", db, "--json")["events"]
                  if e["kind"] == "attack" and e["place"] == "Moscow" and e["source_id"] == files[0].name)
    assert attack["date"] == "2024-03-22" and attack["deaths"] == 143


def test_cli_intel_assess_published_resolves_relative_dates() -> None:
    text = "A bomb exploded at a bus station in Exampleville last Friday, killing 3 people."
    out = run("assess", text, "--kind", "article", "--published", "2024-03-29", "--json")
    (attack,) = [e for e in out["events"] if e["kind"] == "attack"]
    assert attack["fields"]["date"] == "2024-03-22" and attack["fields"]["anchor_source"] == "published_at"
    bad = CliRunner().invoke(app, ["assess", text, "--published", "last week"])
    assert bad.exit_code != 0
