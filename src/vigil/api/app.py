"""`create_app(settings)`: the FastAPI application that `vigil serve` runs.

Everything it needs is built once here and kept on ``app.state``: the store, the moderation service
(with the Assessor and its models loaded), the case desk, the key ring, the rate limiter and the
metrics. Routes are thin (``vigil.api.routes``). Body size limit and metrics are ASGI middleware so
they also cover requests that fail validation or authentication.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI

from vigil import __version__
from vigil.api import balance, errors
from vigil.api.fastpath import ModerateFastPath
from vigil.api.limits import BodyLimit, RateLimiter
from vigil.api.metrics import Metrics, MetricsMiddleware
from vigil.api.routes import admin, banks, moderate, read, review
from vigil.core.settings import Settings
from vigil.moderation.banking import BankDesk
from vigil.moderation.cases import CaseDesk, ConfirmHook
from vigil.moderation.keys import KeyRing
from vigil.moderation.service import ModerationService
from vigil.store.sql import SqlStore

log = logging.getLogger("vigil.api")


def install_docs(app: FastAPI) -> None:
    """OpenAPI at /docs with Swagger UI served by Vigil itself (the swagger-ui-bundle package ships
    the files): nothing is loaded from outside the server."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/docs-static", StaticFiles(directory=swagger_ui_path), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — docs",
            swagger_js_url="/docs-static/swagger-ui-bundle.js",
            swagger_css_url="/docs-static/swagger-ui.css",
            swagger_favicon_url="/docs-static/favicon-32x32.png",
        )


async def _sample(board: balance.LoadBoard) -> None:
    while True:
        await asyncio.sleep(balance.SAMPLE_S)
        board.sample()


def create_app(settings: Settings, *, store: SqlStore | None = None, service: ModerationService | None = None,
               confirm_hooks: Sequence[ConfirmHook] = ()) -> FastAPI:
    """Build the API over ``settings.database_url`` (migrated on open). Pass ``store`` or ``service``
    to share them (tests; an embedding application)."""
    owns_store = store is None and service is None
    store = store or (service.store if service else SqlStore(settings))
    service = service or ModerationService(settings, store)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Requests are CPU-bound Python (one GIL): a few threads keep the tail short; the default
        # 40 would only queue inside the interpreter and the database pool.
        anyio.to_thread.current_default_thread_limiter().total_tokens = max(1, settings.api_threads)
        # Everything built so far (models, lexicons, policy, ~200,000 objects) lives as long as the
        # server: move it out of the collector's reach, so that an oldest-generation collection,
        # which otherwise walks all of it (~100 ms here, a latency spike for every request queued
        # behind it), only walks what requests have left behind.
        gc.collect()
        gc.freeze()
        board = balance.from_env() if settings.api_balance else None
        sampler = asyncio.create_task(_sample(board)) if board is not None else None
        app.state.board = board
        with store.background_checkpoints():  # no request's commit copies the SQLite log back
            yield
        app.state.board = None
        if sampler is not None and board is not None:
            sampler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sampler
            board.close()
        gc.unfreeze()
        service.close()
        if owns_store:
            store.close()

    app = FastAPI(
        title="Vigil moderation API",
        version=__version__,
        description="Send-time moderation of terrorist propaganda and calls for violence, account enforcement, "
                    "review, appeals and a hash-chained audit log. Authenticate with `Authorization: Bearer KEY`.",
        lifespan=lifespan,
        docs_url=None,  # served below from local files: FastAPI's default page loads Swagger UI from a CDN
        redoc_url=None,
    )
    install_docs(app)
    metrics = Metrics()
    app.state.settings = settings
    app.state.store = store
    app.state.service = service
    app.state.banks = BankDesk(store)
    app.state.desk = CaseDesk(store, service.policy, hooks=confirm_hooks, clock=service.clock, banks=app.state.banks)
    app.state.keys = KeyRing(store, cache_s=settings.api_key_cache_s)
    app.state.limiter = RateLimiter(settings.api_rate_per_s, settings.api_rate_burst)
    app.state.metrics = metrics
    app.state.board = None  # `vigil serve --workers N`: set in the lifespan (vigil.api.balance)
    errors.install(app)
    for router in (moderate.router, review.router, read.router, banks.router, admin.router):
        app.include_router(router)
    if settings.web:
        from vigil.web.app import install_web

        install_web(app, settings, store, service, app.state.desk, app.state.banks)
    app.add_middleware(BodyLimit, limit=settings.api_max_body_bytes, on_reject=metrics.too_large.inc)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.add_middleware(ModerateFastPath, api=app)  # outermost: a send in order never enters the stack above
    return app
