from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _vigil(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vigil.cli.app", *args], input=stdin, capture_output=True, text=True, timeout=120)


def test_users_cli_reads_the_password_from_stdin_never_argv(tmp_path: Path) -> None:
    db = str(tmp_path / "u.db")
    out = _vigil("users", "create", "mo", "--role", "moderator", "--db", db, stdin="a fine passphrase\n")
    assert out.returncode == 0, out.stderr
    assert "a fine passphrase" not in out.stdout + out.stderr
    assert _vigil("users", "create", "x", "--role", "analyst", "--password", "p", "--db", db).returncode == 2
    short = _vigil("users", "create", "y", "--role", "analyst", "--db", db, stdin="short\n")
    assert short.returncode == 2 and "password" in short.stderr
    listed = _vigil("users", "list", "--json", "--db", db)
    assert '"name": "mo"' in listed.stdout and "argon2" not in listed.stdout
    assert _vigil("users", "disable", "mo", "--db", db).returncode == 0
