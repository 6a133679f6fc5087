"""Request size and rate limits.

`BodyLimit` answers 413 before the application sees a body over ``api_max_body_bytes`` (declared or
streamed). `RateLimiter` is a token bucket per API key, in this process's memory: right for one
process. Behind a load balancer with N processes each bucket admits its own share, so the effective
limit is up to N times the setting: a multi-process deployment should set ``api_rate_per_s`` to the
per-process share or enforce the limit in a shared place (the proxy, or Redis).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, MutableMapping
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from vigil.api.errors import error_body

Message = MutableMapping[str, Any]


class BodyLimit:
    """ASGI middleware: bodies over ``limit`` bytes get 413 and never reach a route."""

    def __init__(self, app: ASGIApp, limit: int, on_reject: Callable[[], None] | None = None) -> None:
        self.app, self.limit, self.on_reject = app, limit, on_reject

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.limit + 1
                if declared > self.limit:
                    await self._reject(send, declared)
                    return
        chunks: list[bytes] = []
        total, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            total += len(body)
            if total > self.limit:
                await self._reject(send, total)
                return
            chunks.append(body)
            more = message.get("more_body", False)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _reject(self, send: Send, size: int) -> None:
        import json

        if self.on_reject:
            self.on_reject()
        body = json.dumps(error_body(413, "payload_too_large",
                                     f"request body of at least {size:,} bytes is over the limit of {self.limit:,} bytes",
                                     hint="split the batch, or raise api_max_body_bytes on the server")).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class RateLimiter:
    """Token buckets keyed by API key id: ``rate`` tokens per second, at most ``burst`` saved."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self._buckets: dict[int, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key_id: int, rate: float | None = None) -> float:
        """Take one token; returns 0.0 when allowed, else the seconds until a token is available."""
        rate = rate or self.rate
        burst = max(self.burst, rate) if rate == self.rate else max(rate, 1.0) * (self.burst / max(self.rate, 1e-9))
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key_id, (burst, now))
            tokens = min(burst, tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[key_id] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key_id] = (tokens, now)
            return (1.0 - tokens) / rate


