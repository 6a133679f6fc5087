"""`vigil bank ...` end to end: the real command in a subprocess on a real SQLite file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers.images import good_seeds, make_image, mirror, to_bytes

CALL = "Brothers everywhere, take the knife and strike them in their streets and markets without delay"


def vigil(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vigil.cli.app", "bank", *args, "--db", str(db)],
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_bank_cli_create_add_lookup_disable(tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    assert vigil("create", "isis", "--label", "incitement", "--group", "ISIS", db=db).returncode == 0
    assert vigil("add", "isis", "--type", "text_near", CALL, "--note", "March call", db=db).returncode == 0
    seed = good_seeds(1)[0]
    image = tmp_path / "poster.png"
    image.write_bytes(to_bytes(make_image(seed)))
    assert vigil("add", "isis", "--type", "pdq", str(image), db=db).returncode == 0

    repost = CALL.upper().replace("knife", "blade") + " 🔥"
    out = vigil("lookup", "--type", "text_near", repost, "--json", db=db)
    assert out.returncode == 0, out.stderr
    match = json.loads(out.stdout)["matches"][0]
    assert match["bank"] == "isis" and match["signal_type"] == "text_near" and match["distance"] <= 0.5
    assert match["provenance"]["note"] == "March call" and match["labels"] == ["incitement"]

    flipped = tmp_path / "flipped.jpg"
    mirror(make_image(seed)).save(flipped, "JPEG", quality=60)
    out = vigil("lookup", "--type", "pdq", str(flipped), "--json", db=db)
    assert [m["signal_type"] for m in json.loads(out.stdout)["matches"]] == ["pdq"]

    assert vigil("disable", "isis", db=db).returncode == 0
    out = vigil("lookup", "--type", "text_near", repost, "--json", db=db)
    assert json.loads(out.stdout)["matches"] == []
    listed = json.loads(vigil("list", "--json", db=db).stdout)["banks"][0]
    assert listed["enabled"] is False and listed["entries"] == {"text_near": 1, "pdq": 1}


def test_bank_cli_bad_input_exits_2_with_a_message(tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    vigil("create", "b", db=db)
    out = vigil("add", "b", "--type", "md5", "not-a-hash", db=db)
    assert out.returncode == 2 and "not a md5 signal" in out.stderr
    out = vigil("add", "nobank", "--type", "url", "https://x.org", db=db)
    assert out.returncode == 2 and "no bank 'nobank'" in out.stderr
    out = vigil("lookup", "--type", "nosuch", "x", db=db)
    assert out.returncode == 2 and "known:" in out.stderr


def test_bank_cli_import_export_and_remove(tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    vigil("create", "tat", "--source", "tat", db=db)
    src = tmp_path / "hashes.csv"
    src.write_text("collab,signal_type,signal_str,category,tags\n"
                   f"c,md5,{'a' * 32},POSITIVE_CLASS,incitement\n"
                   "c,md5,zzz,POSITIVE_CLASS,\n", encoding="utf-8")
    out = vigil("import", "tat", str(src), "--json", db=db)
    assert out.returncode == 2  # one row rejected; the good one is in
    report = json.loads(out.stdout)
    assert report["added"] == 1 and report["rejected"][0]["line"] == 3
    exported = vigil("export", "tat", db=db).stdout.splitlines()
    assert exported[0].startswith("collab,signal_type,signal_str,category,tags") and "a" * 32 in exported[1]
    out = vigil("remove", "tat", "--type", "md5", "--value", "a" * 32, "--json", db=db)
    assert json.loads(out.stdout)["removed"] == 1
