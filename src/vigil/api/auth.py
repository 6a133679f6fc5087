"""Bearer-key authentication, role checks and per-key rate limits, as one FastAPI dependency:

    @router.get("/v1/cases", dependencies=[...])  ->  key: ApiKey = Depends(require("moderator"))

``admin`` may call everything. A missing or unknown key answers 401, a known key of the wrong role
403 (naming the roles that may), a key over its rate 429 with ``Retry-After``.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from vigil.api.errors import ApiError
from vigil.moderation.keys import ApiKey


def require(*roles: str) -> Callable[[Request], Awaitable[ApiKey]]:
    allowed = frozenset((*roles, "admin"))
    listed = ", ".join(sorted(allowed))

    async def dependency(request: Request) -> ApiKey:
        # async: runs on the event loop (a cached key costs microseconds), not in a worker thread
        state = request.app.state
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            state.metrics.auth_failures.labels("missing").inc()
            raise ApiError(401, "unauthorized", "missing API key", hint="send the header 'Authorization: Bearer KEY'",
                           headers={"WWW-Authenticate": "Bearer"})
        key: ApiKey | None = state.keys.authenticate(token.strip())
        if key is None:
            state.metrics.auth_failures.labels("invalid").inc()
            raise ApiError(401, "unauthorized", "invalid or revoked API key",
                           hint="create a key with `vigil keys create --role ROLE`", headers={"WWW-Authenticate": "Bearer"})
        if key.role not in allowed:
            state.metrics.auth_failures.labels("forbidden").inc()
            raise ApiError(403, "forbidden", f"a {key.role!r} key may not call {request.method} {request.url.path}",
                           hint=f"this needs a key with one of the roles: {listed}")
        wait = state.limiter.take(key.id, key.rate_per_s)
        if wait > 0:
            state.metrics.rate_limited.inc()
            raise ApiError(429, "rate_limited", f"key {key.prefix}… is over its rate limit",
                           hint="slow down, or ask an admin for a higher per-key rate",
                           headers={"Retry-After": str(max(1, math.ceil(wait)))})
        return key

    dependency.__name__ = f"require_{'_'.join(sorted(allowed))}"
    return dependency


# The dependencies routes declare, one per set of roles (admin is always included).
PlatformKey = Annotated[ApiKey, Depends(require("platform"))]
ModeratorKey = Annotated[ApiKey, Depends(require("moderator"))]
ReaderKey = Annotated[ApiKey, Depends(require("analyst", "moderator"))]
AdminKey = Annotated[ApiKey, Depends(require())]
