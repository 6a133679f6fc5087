"""A real HTTP server on loopback that records webhook requests and answers from a script, for the
alert delivery tests (no mocks: the notifier talks HTTP to it)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Script:
    """Answers in order; the last one repeats. Each: (status, headers, delay seconds)."""

    answers: list[tuple[int, dict[str, str], float]] = field(default_factory=lambda: [(200, {}, 0.0)])
    requests: list[Recorded] = field(default_factory=list)


@contextmanager
def webhook_server(script: Script) -> Iterator[str]:
    """Serve ``script`` on 127.0.0.1; yield the base URL (http://127.0.0.1:PORT)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            script.requests.append(Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            n = len(script.requests) - 1
            status, headers, delay = script.answers[min(n, len(script.answers) - 1)]
            if delay:
                time.sleep(delay)
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
