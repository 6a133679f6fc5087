"""The review queue: `GET /ui/queue`, `GET /ui/queue/next`, `GET|POST /ui/queue/{case_id}`,
`GET /ui/accounts/{account_id}`.

A verdict (confirm, overturn) goes through `CaseDesk.decide`, exactly as `POST /v1/cases/{id}/decision`:
outcome decision and audit record, training label, strike, and with a bank chosen, the item's
signals added to that bank. Escalation goes through `moderation.escalation`. After each decision
the moderator is taken to the next case, most urgent first.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from vigil.core.errors import NotFound
from vigil.moderation import enforcement as enf
from vigil.moderation.casefile import case_file
from vigil.moderation.cases import list_cases
from vigil.moderation.decisions import account_history
from vigil.moderation.escalation import escalate, escalations
from vigil.moderation.sessions import WebSession
from vigil.web.auth import MOD, READ, WebError, checked_form, page, text_field
from vigil.web.media import local_image
from vigil.web.render import render
from vigil.web.security import PREFIX

router = APIRouter()
QUEUE_PAGE = 100
Moderator = Annotated[WebSession, Depends(page(*MOD))]
Reader = Annotated[WebSession, Depends(page(*READ))]


def moderator_name(session: WebSession) -> str:
    return f"user:{session.user.name}"


@router.get("/queue")
def queue_page(request: Request, session: Moderator, kind: str | None = None, done: int | None = None) -> Response:
    store = request.app.state.web.store
    rows = list_cases(store, status="open", kind=kind if kind in ("review", "appeal") else None, limit=QUEUE_PAGE)
    marks = escalations(store, [r["id"] for r in rows])
    closed = list_cases(store, status="closed", limit=10)
    return render(request, "queue.html", cases=rows, escalations=marks, closed=closed, kind=kind, done=done)


@router.get("/queue/next")
def next_case(request: Request, session: Moderator, done: int | None = None) -> Response:
    """The most urgent open case, skipping those this moderator escalated (handed on to others)."""
    store = request.app.state.web.store
    rows = list_cases(store, status="open", limit=QUEUE_PAGE)
    mine = {cid for cid, e in escalations(store, [r["id"] for r in rows]).items() if e["moderator"] == moderator_name(session)}
    target = next((r["id"] for r in rows if r["id"] not in mine), None)
    suffix = f"?done={done}" if done else ""
    if target is None:
        return RedirectResponse(f"{PREFIX}/queue{suffix}", status_code=303)
    return RedirectResponse(f"{PREFIX}/queue/{target}{suffix}", status_code=303)


@router.get("/queue/{case_id}")
def case_page(request: Request, case_id: int, session: Moderator, done: int | None = None) -> Response:
    web = request.app.state.web
    policy = web.service.policy
    data = case_file(web.store, case_id, policy.enforcement, web.glosses, policy.label_threshold)
    order = [r["id"] for r in list_cases(web.store, status="open", limit=QUEUE_PAGE)]
    pos = order.index(case_id) if case_id in order else -1
    neighbours = {"prev": order[pos - 1] if pos > 0 else None,
                  "next": order[pos + 1] if 0 <= pos < len(order) - 1 else None, "position": pos + 1, "total": len(order)}
    banks = [b for b in web.banks.list() if b["enabled"] and not b["negative"]]
    view = data.get("view") or {}
    shown = [local_image(view.get("item") or {}, m["index"], web.media_roots) is not None for m in view.get("media") or []]
    return render(request, "case.html", c=data, banks=banks, nav_cases=neighbours, done=done, media_shown=shown)


@router.post("/queue/{case_id}")
async def decide_case(request: Request, case_id: int, session: Moderator) -> Response:
    web = request.app.state.web
    form = await checked_form(request, session)
    verdict = text_field(form, "verdict", 16)
    reason = text_field(form, "reason", 2000)
    bank = text_field(form, "bank", 64) or None
    if not reason:
        raise WebError(400, "A reason is needed", "Every decision and escalation needs a reason: type one and try again.")
    if verdict == "escalate":
        await run_in_threadpool(escalate, web.store, case_id, reason, moderator_name(session))
    elif verdict in ("confirm", "overturn"):
        await run_in_threadpool(web.desk.decide, case_id, verdict, reason, moderator_name(session),
                                bank if verdict == "confirm" else None)
    else:
        raise WebError(400, "Unknown decision", "Choose confirm, overturn or escalate.")
    return RedirectResponse(f"{PREFIX}/queue/next?done={case_id}", status_code=303)


@router.get("/accounts/{account_id}")
def account_page(request: Request, account_id: str, session: Reader) -> Response:
    web = request.app.state.web
    with web.store.begin() as conn:
        view = enf.account_view(conn, account_id, web.service.policy.enforcement)
    if view is None:
        raise NotFound("account", account_id)
    return render(request, "account.html", account=view, history=account_history(web.store, account_id),
                  appeals=web.desk.appeals_for(account_id))


@router.get("/media/{item_id}/{index}")
def media(request: Request, item_id: int, index: int, session: Reader) -> Response:
    """A local image of a stored item, when `web.media.local_image` allows it; else 404."""
    web = request.app.state.web
    item = web.store.get_item(item_id)
    found = local_image(item or {}, index, web.media_roots) if item else None
    if found is None:
        raise NotFound("media file", f"{item_id}/{index}")
    path, mime = found
    return FileResponse(path, media_type=mime, headers={"Content-Disposition": "inline", "Cache-Control": "private, max-age=300"})
