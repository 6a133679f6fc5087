"""Review and appeals: `GET /v1/cases`, `POST /v1/cases/{id}/decision`, `POST /v1/appeals`,
`GET /v1/appeals`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from vigil.api.auth import ModeratorKey, PlatformKey
from vigil.api.schemas import AppealIn, CaseDecisionIn
from vigil.moderation.cases import get_case, list_cases

router = APIRouter(tags=["review"])


@router.get("/v1/cases", summary="The review queue, most urgent first")
def cases(
    request: Request,
    key: ModeratorKey,
    status: Literal["open", "closed"] = "open",
    kind: Literal["review", "appeal"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    return {"cases": list_cases(request.app.state.store, status=status, kind=kind, limit=limit, offset=offset)}


@router.get("/v1/cases/{case_id}", summary="One case")
def case(case_id: int, request: Request, key: ModeratorKey) -> dict[str, Any]:
    return get_case(request.app.state.store, case_id)


@router.post("/v1/cases/{case_id}/decision", summary="Confirm or overturn a case, with a reason")
def decide(case_id: int, body: CaseDecisionIn, request: Request,
           key: ModeratorKey) -> dict[str, Any]:
    result: dict[str, Any] = request.app.state.desk.decide(case_id, body.verdict, body.reason, moderator=key.prefix,
                                                           bank=body.bank)
    return result


@router.post("/v1/appeals", summary="An account appeals a decision about its message", status_code=201)
def appeal(body: AppealIn, request: Request, key: PlatformKey) -> dict[str, Any]:
    state = request.app.state
    out: dict[str, Any] = state.desk.file_appeal(body.account_id, body.decision_id, body.statement)
    state.metrics.cases_opened.labels("appeal").inc()
    return out


@router.get("/v1/appeals", summary="Appeals filed by one account")
def appeals(request: Request, account_id: Annotated[str, Query(min_length=1, max_length=256)],
            key: ModeratorKey) -> dict[str, Any]:
    return {"account_id": account_id, "appeals": request.app.state.desk.appeals_for(account_id)}
