"""Prometheus metrics, one registry per app (so several apps in one process, as in tests, never share
counters). Labels are bounded: route templates, never raw paths, ids or key values."""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("vigil_http_requests_total", "HTTP requests by route and status", ["method", "route", "status"], registry=r)
        self.latency = Histogram("vigil_http_request_seconds", "HTTP request latency by route", ["route"],
                                 buckets=LATENCY_BUCKETS, registry=r)
        self.decisions = Counter("vigil_decisions_total", "Moderation decisions by action and surface", ["action", "surface"], registry=r)
        self.enforced = Counter("vigil_enforced_blocks_total", "Sends blocked by account status without assessment", ["status"], registry=r)
        self.strikes = Counter("vigil_strikes_total", "Strikes added", registry=r)
        self.status_changes = Counter("vigil_account_status_changes_total", "Account status changes", ["to"], registry=r)
        self.flood_alerts = Counter("vigil_flood_alerts_total", "Flood alerts raised", registry=r)
        self.cases_opened = Counter("vigil_cases_opened_total", "Review cases opened", ["kind"], registry=r)
        self.auth_failures = Counter("vigil_auth_failures_total", "Rejected requests by reason", ["reason"], registry=r)
        self.rate_limited = Counter("vigil_rate_limited_total", "Requests refused by the rate limit", registry=r)
        self.too_large = Counter("vigil_request_too_large_total", "Request bodies refused as too large", registry=r)
        self.shed = Counter("vigil_connections_shed_total", "Keep-alive connections handed back to balance the workers (vigil.api.balance)", registry=r)
        self.crises_active = Gauge("vigil_crises_active", "Active crisis incidents (at last refresh)", registry=r)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class MetricsMiddleware:
    """Counts every request by route template and status, and times it."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            route: Any = scope.get("route")
            name = getattr(route, "path", None) or "unmatched"
            self.metrics.requests.labels(scope["method"], name, str(status["code"])).inc()
            self.metrics.latency.labels(name).observe(time.perf_counter() - started)
