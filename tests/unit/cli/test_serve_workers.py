"""`vigil serve --workers 2` as a user runs it: the worker processes load their settings from the file
`--config` names, not only from the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.helpers.server import vigil_serve


def post(base: str, key: str, body: bytes) -> int:
    req = urllib.request.Request(f"{base}/v1/moderate", data=body, method="POST",
                                 headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def test_workers_take_their_settings_from_the_config_file(tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    config = tmp_path / "custom.toml"
    config.write_text("api_max_body_bytes = 600\n", encoding="utf-8")
    tmp = tmp_path / "tmp"  # the server's temporary folder: the workers' load board goes there
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIL_")} | {"VIGIL_LOG_LEVEL": "WARNING",
                                                                                  "TMPDIR": str(tmp)}
    key = subprocess.run([sys.executable, "-m", "vigil.cli.app", "keys", "create", "--role", "platform", "--db", str(db)],
                         capture_output=True, text=True, check=True, env=env, cwd=tmp_path, timeout=120).stdout.strip()
    with vigil_serve(["--db", str(db), "--workers", "2", "--config", str(config)], env=env, cwd=tmp_path,
                     log=tmp_path / "serve.log") as base:
        assert [p.name for p in tmp.iterdir() if p.name.startswith("vigil-serve-")]  # the board's folder
        small = json.dumps({"account_id": "a1", "chat_id": "c1", "surface": "private_chat", "text": "see you at eight"})
        large = json.dumps({"account_id": "a1", "chat_id": "c1", "surface": "private_chat", "text": "word " * 200})
        # every request goes to whichever worker accepts it: a few of each, so both workers answer
        assert {post(base, key, small.encode()) for _ in range(6)} == {200}
        assert {post(base, key, large.encode()) for _ in range(6)} == {413}  # the file's limit, not the default
    assert not [p for p in tmp.iterdir() if p.name.startswith("vigil-serve-")]  # removed on shutdown
