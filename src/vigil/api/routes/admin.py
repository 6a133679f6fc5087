"""Admin and operations: `GET /v1/policy`, `GET /v1/crises`, `GET /v1/floods`, `GET /v1/audit/verify`,
`/healthz` and `/metrics`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from vigil.api.auth import AdminKey, ModeratorKey
from vigil.moderation.audit import verify
from vigil.moderation.crisis import list_crises
from vigil.moderation.flood import list_alerts
from vigil.policy.show import policy_json

router = APIRouter(tags=["admin"])


@router.get("/healthz", summary="Liveness and database reachability (no authentication, no data)")
def healthz(request: Request) -> dict[str, Any]:
    state = request.app.state
    revision = state.store.revision()
    return {"status": "ok", "database": state.store.dialect, "revision": revision}


@router.get("/metrics", summary="Prometheus metrics (admin key)", response_class=Response)
def metrics(request: Request, key: AdminKey) -> Response:
    state = request.app.state
    state.metrics.crises_active.set(len(state.service.crises._active))
    return Response(state.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")


@router.get("/v1/policy", summary="The active policy")
def policy(request: Request, key: AdminKey) -> dict[str, Any]:
    return policy_json(request.app.state.service.policy)


@router.get("/v1/crises", summary="Crisis incidents")
def crises(request: Request, key: ModeratorKey) -> dict[str, Any]:
    return {"crises": list_crises(request.app.state.store)}


@router.get("/v1/floods", summary="Flood alerts")
def floods(request: Request, key: ModeratorKey, active: bool = False) -> dict[str, Any]:
    return {"floods": list_alerts(request.app.state.store, active_only=active)}


@router.get("/v1/audit/verify", summary="Verify the audit chain")
def audit_verify(request: Request, key: AdminKey) -> dict[str, Any]:
    return verify(request.app.state.store).as_dict()
