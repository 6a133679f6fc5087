"""Reading: `GET /v1/items/{id}`, `GET /v1/search`, `GET /v1/accounts/{id}`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from vigil.api.auth import ReaderKey
from vigil.core.errors import InvalidInput, NotFound
from vigil.core.labels import parse_label
from vigil.core.records import Action
from vigil.moderation import enforcement as enf
from vigil.moderation.decisions import account_history, item_decisions
from vigil.store.base import ItemFilter

router = APIRouter(tags=["read"])


@router.get("/v1/items/{item_id}", summary="One stored item with its assessment and decisions")
def get_item(item_id: int, request: Request, key: ReaderKey) -> dict[str, Any]:
    item: dict[str, Any] | None = request.app.state.store.get_item(item_id)
    if item is None:
        raise NotFound("item", item_id)
    item.pop("payload", None)
    item["decisions"] = item_decisions(request.app.state.store, item_id)
    return item


@router.get("/v1/search", summary="Full-text search over stored items, with filters")
def search(
    request: Request,
    key: ReaderKey,
    q: Annotated[str, Query(min_length=1, max_length=500, description='Words, "phrases", OR, -word')],
    label: str | None = None, action: str | None = None, source: str | None = None, channel: str | None = None,
    language: str | None = None, since: datetime | None = None, until: datetime | None = None,
    min_score: Annotated[float, Query(ge=0.0, le=1.0)] = 0.5,
    limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    if action is not None and action not in {a.value for a in Action}:
        raise InvalidInput(f"unknown action {action!r}", hint="use allow, label, review or block")
    flt = ItemFilter(label=parse_label(label).value if label else None, action=action, source=source, channel=channel,
                     language=language, since=since, until=until, min_score=min_score, limit=limit, offset=offset)
    return {"query": q, "items": request.app.state.store.search(q, flt)}


@router.get("/v1/accounts/{account_id}", summary="An account's status, strike points, strikes and history")
def get_account(account_id: str, request: Request,
                key: ReaderKey) -> dict[str, Any]:
    state = request.app.state
    with state.store.begin() as conn:
        view = enf.account_view(conn, account_id, state.service.policy.enforcement)
    if view is None:
        raise NotFound("account", account_id)
    view["history"] = account_history(state.store, account_id)
    view["appeals"] = state.desk.appeals_for(account_id)
    return view
