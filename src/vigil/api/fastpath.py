"""`POST /v1/moderate` in order, served without FastAPI's routing, dependency injection and inner
middleware: the send-time call is the one a platform makes for every message, and that machinery
cost ~0.2 ms of the ~2 ms of CPU a send takes (measured with ``bench/bench_api.py``, README).

Only the plain case is served here: a platform (or admin) key that is known, a JSON body under the
size limit that validates, a token left in the key's rate bucket. Anything else (no key, an unknown
or revoked one, a wrong role, a body too large, chunked, not JSON or invalid) is handed on to the
FastAPI route unchanged, body included, so every refusal keeps its one error shape, its metrics and
its tests. The decision itself is `routes.moderate.moderate_json`, the route's own code.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vigil.api.errors import unexpected_error_response, vigil_error_response
from vigil.api.responses import Json
from vigil.api.routes.moderate import moderate_json
from vigil.api.schemas import ModerateIn
from vigil.core.errors import VigilError

PATH = "/v1/moderate"
ROLES = frozenset({"platform", "admin"})
_JSON = b"application/json"


class ModerateFastPath:
    """ASGI middleware; add it last (outermost) with ``app.add_middleware(ModerateFastPath, api=app)``."""

    def __init__(self, app: ASGIApp, api: FastAPI) -> None:
        self.app, self.api = app, api

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state = self.api.state
        auth = ctype = length = b""
        for name, value in scope["headers"]:
            if name == b"authorization":
                auth = value
            elif name == b"content-type":
                ctype = value
            elif name == b"content-length":
                length = value
        scheme, _, token = auth.partition(b" ")
        key = state.keys.authenticate(token.strip().decode("latin-1")) if scheme.lower() == b"bearer" else None
        if (key is None or key.role not in ROLES or ctype.partition(b";")[0].strip().lower() != _JSON
                or not length.isdigit() or int(length) > state.settings.api_max_body_bytes):
            await self.app(scope, receive, send)
            return
        body = await _read(receive)
        if body is None:
            return  # the client went away
        try:
            data = ModerateIn.model_validate_json(body)
        except ValidationError:
            await self.app(scope, _replay(body, receive), send)
            return
        if state.limiter.take(key.id, key.rate_per_s) > 0:
            await self.app(scope, _replay(body, receive), send)  # the route answers 429 with Retry-After
            return
        response: JSONResponse
        try:
            response = Json(await moderate_json(state, data))
        except VigilError as exc:
            response = vigil_error_response(exc)
        except Exception as exc:  # noqa: BLE001 - answered like the app's own handler: 500, logged with an id
            response = unexpected_error_response(exc)
        board = state.board
        if board is not None and board.should_shed():
            response.headers["connection"] = "close"  # the client reconnects, likely to a less busy worker
            state.metrics.shed.inc()
        await response(scope, receive, send)
        m = state.metrics
        m.requests.labels("POST", PATH, str(response.status_code)).inc()
        m.latency.labels(PATH).observe(time.perf_counter() - started)


async def _read(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))  # the server frames the body by Content-Length
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        message: Any = await receive()
        return message  # type: ignore[no-any-return]

    return replay
