"""`POST /v1/moderate` (send time) and `POST /v1/items` (batches)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from vigil.api.auth import PlatformKey
from vigil.api.errors import ApiError
from vigil.api.responses import Json
from vigil.api.schemas import ItemsIn, ModerateIn
from vigil.cli.assess import assessment_json
from vigil.core.records import ContentKind, RawItem
from vigil.moderation.service import ModerationRequest, ModerationResult

router = APIRouter(tags=["moderation"])


def result_json(r: ModerationResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "decision_id": r.decision_id, "action": r.action.value, "reasons": r.reasons,
        "labels": {}, "matches": [], "evidence": [], "context": None, "tier": None, "language": None,
    }
    if r.assessment is not None:
        a = assessment_json(r.assessment)
        out.update({k: a[k] for k in ("labels", "matches", "evidence", "context", "tier", "language")})
    out.update({
        "policy": r.policy, "account": {"id": None, "status": r.account_status}, "enforcement": r.enforcement,
        "strike": r.strike, "crisis": r.crisis, "flood_id": r.flood_id, "case_id": r.case_id, "item_id": r.item_id,
        "latency_ms": round(r.latency_ms, 3),
    })
    if "flood_alert" in r.extra:
        out["flood_alert"] = r.extra["flood_alert"]
    return out


@router.post("/v1/moderate", summary="Decide on one message before it is delivered", response_class=JSONResponse)
async def moderate(body: ModerateIn, request: Request, key: PlatformKey) -> JSONResponse:
    # Served by `vigil.api.fastpath` when the request is in order; this route answers everything
    # else (and documents the endpoint).
    return Json(await moderate_json(request.app.state, body))


async def moderate_json(state: Any, body: ModerateIn) -> dict[str, Any]:
    """Decide on one send and count it in the metrics; the response body."""
    req = ModerationRequest(account_id=body.account_id, chat_id=body.chat_id, surface=body.surface, text=body.text,
                            media=tuple(m.to_ref() for m in body.media), account_created_at=body.account_created_at)
    result = await state.service.moderate_async(req)
    m = state.metrics
    m.decisions.labels(result.action.value, body.surface).inc()
    if result.enforcement:
        m.enforced.labels(result.enforcement).inc()
    if result.strike:
        m.strikes.inc()
    if result.case_id:
        m.cases_opened.labels("review").inc()
    if "flood_alert" in result.extra:
        m.flood_alerts.inc()
    out = result_json(result)
    out["account"]["id"] = body.account_id
    return out  # already plain JSON: the route skips FastAPI's recursive encoder on the hot path


@router.post("/v1/items", summary="Store and assess a batch of items, like a scan")
def post_items(body: ItemsIn, request: Request, key: PlatformKey) -> dict[str, Any]:
    state = request.app.state
    limit = state.settings.api_max_batch
    if len(body.items) > limit:
        raise ApiError(413, "payload_too_large", f"batch of {len(body.items)} items is over the limit of {limit}",
                       hint="split the batch or raise api_max_batch on the server")
    now = datetime.now(UTC)
    raws = [
        RawItem(source=f"api:{body.source}", source_id=i.source_id, kind=ContentKind(i.kind), text=i.text,
                payload=i.model_dump_json().encode(), connector="api.v1", received_at=now, published_at=i.published_at,
                author_id=i.account_id, channel=i.chat_id, title=i.title)
        for i in body.items
    ]
    out: dict[str, Any] = state.service.ingest(raws, surface=body.surface)
    for item in out["items"]:
        state.metrics.decisions.labels(item["action"], body.surface).inc()
    return out
