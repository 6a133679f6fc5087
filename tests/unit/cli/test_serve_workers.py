"""`vigil serve --workers 2` as a user runs it: the worker processes load their settings from the file
`--config` names, not only from the environment."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def post(port: int, key: str, body: bytes) -> int:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/moderate", data=body, method="POST",
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
    port = free_port()
    with (tmp_path / "serve.log").open("wb") as log:
        server = subprocess.Popen([sys.executable, "-m", "vigil.cli.app", "serve", "--db", str(db), "--port", str(port),
                                   "--workers", "2", "--config", str(config)],
                                  env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            assert server.poll() is None, (tmp_path / "serve.log").read_text(errors="replace")
            assert time.monotonic() < deadline, "server did not start in 120 s"
            time.sleep(0.5)
        assert [p.name for p in tmp.iterdir() if p.name.startswith("vigil-serve-")]  # the board's folder
        small = json.dumps({"account_id": "a1", "chat_id": "c1", "surface": "private_chat", "text": "see you at eight"})
        large = json.dumps({"account_id": "a1", "chat_id": "c1", "surface": "private_chat", "text": "word " * 200})
        # every request goes to whichever worker accepts it: a few of each, so both workers answer
        assert {post(port, key, small.encode()) for _ in range(6)} == {200}
        assert {post(port, key, large.encode()) for _ in range(6)} == {413}  # the file's limit, not the default
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert not [p for p in tmp.iterdir() if p.name.startswith("vigil-serve-")]  # removed on shutdown
