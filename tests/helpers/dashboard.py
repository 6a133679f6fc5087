"""A real dashboard for the browser tests: a database seeded the way a user would seed it (`vigil
scan` of the bundled examples and the hostile export, `vigil cases queue`, `vigil users create` with
the password on standard input), then `vigil serve` in a subprocess on 127.0.0.1 and a free port.

Screenshots go to ``VIGIL_SCREENSHOTS`` when it is set (e.g. ``docs/screenshots``), else to a
temporary folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.helpers.hostile import write_hostile_export
from tests.helpers.server import vigil_serve

ROOT = Path(__file__).resolve().parents[2]
PASSWORDS = {"mod": "moderator pass 1", "ana": "analyst pass 12", "adm": "admin pass 1234", "plat": "platform pass 1"}
ROLES = {"mod": "moderator", "ana": "analyst", "adm": "admin", "plat": "platform"}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def vigil(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> str:
    out = subprocess.run([sys.executable, "-m", "vigil.cli.app", *args], input=stdin, capture_output=True, text=True,
                         cwd=cwd, timeout=600)
    if out.returncode != 0:
        raise AssertionError(f"vigil {' '.join(args)} failed ({out.returncode}): {out.stderr[-2000:]}")
    return out.stdout


@dataclass
class Dashboard:
    base: str
    db: Path
    hostile: Path
    shots: Path

    def url(self, path: str) -> str:
        return self.base + path


def seed(folder: Path) -> tuple[Path, Path]:
    db = folder / "dash.db"
    hostile = write_hostile_export(folder / "hostile_export")
    vigil("scan", str(ROOT / "examples"), str(hostile), "--db", str(db))
    vigil("cases", "queue", "--action", "review", "--action", "block", "--action", "label", "--db", str(db))
    for user, role in ROLES.items():
        vigil("users", "create", user, "--role", role, "--db", str(db), stdin=PASSWORDS[user] + "\n")
    return db, hostile


@contextmanager
def serve(folder: Path) -> Iterator[Dashboard]:
    db, hostile = seed(folder)
    env = {**os.environ, "VIGIL_WEB_MEDIA_DIRS": os.pathsep.join([str(ROOT / "examples" / "telegram"), str(hostile)]),
           "VIGIL_WEB_LOGIN_MAX_FAILURES": "50"}
    with vigil_serve(["--db", str(db)], env=env, cwd=ROOT, log=folder / "serve.log") as base:
        shots = Path(os.environ.get("VIGIL_SCREENSHOTS") or folder / "screenshots")
        shots.mkdir(parents=True, exist_ok=True)
        yield Dashboard(base, db, hostile, shots)


def sign_in(page: object, dash: Dashboard, user: str) -> None:
    page.goto(dash.url("/ui/login"))  # type: ignore[attr-defined]
    page.fill("input[name=name]", user)  # type: ignore[attr-defined]
    page.fill("input[name=password]", PASSWORDS[user])  # type: ignore[attr-defined]
    page.click("form[action='/ui/login'] button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
