"""`install_web(app, ...)`: mounts the dashboard on the API's FastAPI app (called by `create_app`).

    /ui/...          pages (vigil.web.routes), sign-in at /ui/login
    /ui/static/...   CSS and JavaScript from package data (nothing from anywhere else)
    /                redirects to /ui/

Errors on /ui paths are HTML pages (403, 404, 400 ...); everything else keeps the API's JSON errors.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment
from starlette.exceptions import HTTPException as StarletteHTTPException

from vigil.core.errors import InputError, NotFound, VigilError
from vigil.core.settings import Settings
from vigil.moderation.banking import BankDesk
from vigil.moderation.cases import CaseDesk
from vigil.moderation.service import ModerationService
from vigil.moderation.sessions import SessionManager, signing_secret
from vigil.moderation.users import LoginThrottle, dummy_hash
from vigil.store.sql import SqlStore
from vigil.translate.base import Gloss
from vigil.web.auth import LoginRequired, WebError
from vigil.web.media import media_roots
from vigil.web.render import make_env, render
from vigil.web.security import PREFIX, SecurityHeaders, is_web


@dataclass
class WebState:
    settings: Settings
    store: SqlStore
    service: ModerationService
    desk: CaseDesk
    banks: BankDesk
    sessions: SessionManager
    throttle: LoginThrottle
    templates: Environment
    media_roots: list[Any]
    _glossary: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def glosses(self, text: str) -> list[Gloss]:
        """Glossary notes for foreign terms (loaded on first use: the gazetteer takes a moment)."""
        with self._lock:
            if self._glossary is None:
                from vigil.translate.glossary import GlossaryTranslator

                self._glossary = GlossaryTranslator(self.settings)
        return list(self._glossary.glosses(text))


def install_web(app: FastAPI, settings: Settings, store: SqlStore, service: ModerationService, desk: CaseDesk,
                banks: BankDesk, env: dict[str, str] | None = None) -> None:
    env = dict(os.environ) if env is None else env
    dummy_hash()  # made now, so that the first login of an unknown name costs what any other does
    secret = signing_secret(store, env.get(settings.web_secret_env) if settings.web_secret_env else None)
    app.state.web = WebState(
        settings=settings, store=store, service=service, desk=desk, banks=banks,
        sessions=SessionManager(store, secret, settings.web_session_hours, settings.web_idle_minutes),
        throttle=LoginThrottle(store, settings.web_login_max_failures, timedelta(minutes=settings.web_login_window_minutes)),
        templates=make_env(), media_roots=media_roots(settings.web_media_dirs, os.pathsep),
    )
    from vigil.web.routes import admin, intel, overview, queue, search, session

    for module in (session, overview, queue, search, intel, admin):
        app.include_router(module.router, prefix=PREFIX, include_in_schema=False)
    app.mount(PREFIX + "/static", StaticFiles(packages=[("vigil.web", "static")]), name="web-static")

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse(PREFIX + "/", status_code=303)

    _html_errors(app)
    app.add_middleware(SecurityHeaders)


def _html_errors(app: FastAPI) -> None:
    """HTML error pages for /ui paths; the API's JSON handlers for everything else."""
    json_handlers = dict(app.exception_handlers)

    def dispatch(kind: type[Exception], web: Any) -> None:
        fallback = json_handlers.get(kind)

        async def handler(request: Request, exc: Any) -> Response:
            if is_web(request.url.path):
                response: Response = await web(request, exc)
                return response
            assert fallback is not None
            answer: Response = await fallback(request, exc)
            return answer

        app.add_exception_handler(kind, handler)

    async def login(request: Request, exc: Any) -> Response:
        return RedirectResponse(f"{PREFIX}/login?next={quote(exc.next_path, safe='')}", status_code=303)

    async def web_error(request: Request, exc: Any) -> Response:
        return render(request, "error.html", exc.status, title=exc.title, message=exc.message)

    async def vigil_error(request: Request, exc: VigilError) -> Response:
        if isinstance(exc, NotFound):
            return render(request, "error.html", 404, title="Not found", message=exc.message)
        if isinstance(exc, InputError):
            return render(request, "error.html", 400, title="Cannot do that", message=exc.message, hint=exc.hint)
        return render(request, "error.html", 500, title="Server error", message="The server could not complete the request.")

    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        title = {404: "Not found", 405: "Not allowed", 413: "Too large"}.get(exc.status_code, "Error")
        return render(request, "error.html", exc.status_code, title=title, message="")

    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return render(request, "error.html", 400, title="Bad request", message="The address or form is not valid.")

    app.add_exception_handler(LoginRequired, login)
    app.add_exception_handler(WebError, web_error)
    dispatch(VigilError, vigil_error)
    dispatch(StarletteHTTPException, http_error)
    dispatch(RequestValidationError, invalid)

    async def unexpected(request: Request, exc: Exception) -> Response:
        return render(request, "error.html", 500, title="Server error", message="The server could not complete the request.")

    dispatch(Exception, unexpected)
