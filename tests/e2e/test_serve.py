"""`vigil serve` as a user runs it: a real uvicorn server on loopback, a key from `vigil keys create`."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _request(url: str, body: dict | None = None, key: str | None = None) -> tuple[int, dict]:
    req = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {key}"} if key else {})})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_serve_answers_on_loopback(tmp_path: Path) -> None:
    db = str(tmp_path / "v.db")
    key = subprocess.run([sys.executable, "-m", "vigil.cli.app", "keys", "create", "--role", "platform", "--db", db],
                         capture_output=True, text=True, check=True).stdout.strip()
    port = _port()
    proc = subprocess.Popen([sys.executable, "-m", "vigil.cli.app", "serve", "--db", db, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                status, health = _request(base + "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200 and health["status"] == "ok"
        status, out = _request(base + "/v1/moderate", {"account_id": "a", "chat_id": "c", "text": "good morning"}, key)
        assert status == 200 and out["action"] == "allow" and out["decision_id"] == 1
        status, err = _request(base + "/v1/moderate", {"account_id": "a", "chat_id": "c", "text": "x"}, "vgl_wrong")
        assert status == 401 and err["error"]["code"] == "unauthorized"
    finally:
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert key not in stderr.decode() and "good morning" not in stderr.decode()  # keys and bodies never logged
