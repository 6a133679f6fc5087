"""One JSON error shape for every error the API returns:

    {"error": {"code": "not_found", "message": "no case 7", "status": 404, "hint": "...", "details": [...]}}

``code`` is stable and machine-readable; ``hint`` says how to fix it when Vigil knows; ``details`` lists
the fields of an invalid request (location and problem, never the submitted value). Unexpected errors
answer 500 ``internal_error`` with a request id and nothing of the exception; the exception is logged
with that id (never the request body or the Authorization header).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from vigil.core.errors import (
    ConfigError,
    InputError,
    InputTooLarge,
    NotFound,
    PluginError,
    SourceError,
    VigilError,
)

log = logging.getLogger("vigil.api")

_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
               406: "not_acceptable", 413: "payload_too_large", 415: "unsupported_media_type", 422: "invalid_request",
               429: "rate_limited", 500: "internal_error", 503: "unavailable"}


class ApiError(Exception):
    """An HTTP error raised by the API layer itself (auth, roles, limits)."""

    def __init__(self, status: int, code: str, message: str, *, hint: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.hint, self.headers = status, code, message, hint, headers


def error_body(status: int, code: str, message: str, hint: str | None = None,
               details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    err: dict[str, Any] = {"code": code, "message": message, "status": status}
    if hint:
        err["hint"] = hint
    if details:
        err["details"] = details
    return {"error": err}


def error_response(status: int, code: str, message: str, hint: str | None = None,
                   details: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, code, message, hint, details), status_code=status, headers=headers)


def status_of(exc: VigilError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, InputTooLarge):
        return 413
    if isinstance(exc, InputError):
        return 400
    if isinstance(exc, SourceError):
        return 503
    if isinstance(exc, ConfigError | PluginError):
        return 500
    return 500


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.hint, headers=exc.headers)

    @app.exception_handler(VigilError)
    async def _vigil(_: Request, exc: VigilError) -> JSONResponse:
        return vigil_error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [{"loc": ".".join(str(p) for p in e.get("loc", ())), "problem": str(e.get("msg", ""))[:200],
                    "type": e.get("type")} for e in exc.errors()[:20]]
        return error_response(422, "invalid_request", "the request does not match the API schema",
                              hint="see /docs for the request shape", details=details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        return unexpected_error_response(exc)


def vigil_error_response(exc: VigilError) -> JSONResponse:
    status = status_of(exc)
    if status >= 500:
        # Config, plugin and store failures can carry paths and URLs: log them, answer generically.
        rid = uuid.uuid4().hex[:12]
        log.error("request %s failed: %s: %s", rid, type(exc).__name__, exc.message)
        return error_response(status, exc.code, f"the server could not complete the request (request id {rid})")
    return error_response(status, exc.code, exc.message, exc.hint)


def unexpected_error_response(exc: Exception) -> JSONResponse:
    rid = uuid.uuid4().hex[:12]
    log.error("request %s failed with %s", rid, type(exc).__name__, exc_info=exc)
    return error_response(500, "internal_error", f"an unexpected error occurred (request id {rid})")
