"""`vigil serve` as a subprocess for the tests that need a real server: started on a free loopback port,
waited for until ``/healthz`` answers, stopped with SIGINT."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

START_TIMEOUT_S = 180  # the server loads the classifier models; a busy CI machine is slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def vigil_serve(args: Sequence[str], *, env: Mapping[str, str], cwd: Path, log: Path,
                timeout_s: float = START_TIMEOUT_S) -> Iterator[str]:
    """Run ``vigil serve ARGS --port P`` (its output in ``log``) and yield its base URL once it answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "vigil.cli.app", "serve", *args, "--port", str(port)],
                                cwd=cwd, env=dict(env), stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=5):
                        break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError("vigil serve did not start: "
                                             + log.read_text(errors="replace")[-3000:]) from None
                    time.sleep(0.3)
            yield base
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
