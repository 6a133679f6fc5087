"""Search and saved searches: `GET /ui/search`, `POST /ui/search/save`, `GET /ui/searches`,
`POST /ui/searches/{id}/watch`, `POST /ui/searches/{id}/delete`.

With words, results come from the store's full-text search (FTS5 / tsvector) ranked by relevance;
with filters only, from the item listing, newest first. Filters: label, action, language, source,
channel, entity, date range.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from vigil.core.errors import InvalidInput
from vigil.core.labels import ALL_LABELS, parse_label
from vigil.intel.saved import FILTERS, delete_search, list_searches, make_watch_rule, save_search
from vigil.moderation.sessions import WebSession
from vigil.store.base import ItemFilter
from vigil.web.auth import READ, checked_form, page, text_field
from vigil.web.render import render
from vigil.web.security import PREFIX

router = APIRouter()
Reader = Annotated[WebSession, Depends(page(*READ))]
PAGE = 50
ACTIONS = ("allow", "label", "review", "block")


def _day(value: str | None, what: str, end: bool = False) -> datetime | None:
    if not value:
        return None
    try:
        d = date.fromisoformat(value[:10])
    except ValueError as exc:
        raise InvalidInput(f"{what} {value!r} is not a date", hint="use YYYY-MM-DD") from exc
    moment = datetime.combine(d, time(0), tzinfo=UTC)
    return moment + timedelta(days=1) if end else moment  # "until" includes its whole day


def item_filter(f: dict[str, str], page_no: int) -> ItemFilter:
    if f.get("action") and f["action"] not in ACTIONS:
        raise InvalidInput(f"unknown action {f['action']!r}", hint="use allow, label, review or block")
    return ItemFilter(label=parse_label(f["label"]).value if f.get("label") else None, action=f.get("action") or None,
                      source=f.get("source") or None, channel=f.get("channel") or None,
                      language=f.get("language") or None, entity=f.get("entity") or None,
                      since=_day(f.get("since"), "from"), until=_day(f.get("until"), "to", end=True),
                      limit=PAGE, offset=max(0, page_no - 1) * PAGE)


@router.get("/search")
def search_page(request: Request, session: Reader, q: str = "", page_no: int = 1) -> Response:
    store = request.app.state.web.store
    filters = {k: str(request.query_params.get(k, "")).strip()[:300] for k in FILTERS}
    q = q.strip()[:500]
    active = {k: v for k, v in filters.items() if v}
    results: list[dict[str, Any]] | None = None
    error = None
    if q or active:
        try:
            flt = item_filter(filters, page_no)
            results = store.search(q, flt) if q else list(reversed(store.list_items(flt)))
        except InvalidInput as exc:
            error = exc.message
    query_string = urlencode({"q": q, **active})
    return render(request, "search.html", q=q, filters=filters, results=results, error=error, labels=ALL_LABELS,
                  actions=ACTIONS, page_no=page_no, page_size=PAGE, query_string=query_string,
                  saved=list_searches(store, session.user.id))


@router.post("/search/save")
async def save(request: Request, session: Reader) -> Response:
    web = request.app.state.web
    form = await checked_form(request, session)
    filters = {k: text_field(form, k, 300) for k in FILTERS}
    await run_in_threadpool(save_search, web.store, session.user.id, text_field(form, "name", 128),
                            text_field(form, "q", 500), filters)
    return RedirectResponse(f"{PREFIX}/searches?saved=1", status_code=303)


@router.get("/searches")
def searches(request: Request, session: Reader, saved: int | None = None, watched: str | None = None) -> Response:
    rows = list_searches(request.app.state.web.store, session.user.id)
    for r in rows:
        r["href"] = f"{PREFIX}/search?" + urlencode({"q": r["query"], **r["filters"]})
    return render(request, "searches.html", searches=rows, saved=saved, watched=watched)


@router.post("/searches/{search_id}/watch")
async def to_watch_rule(request: Request, search_id: int, session: Reader) -> Response:
    web = request.app.state.web
    form = await checked_form(request, session)
    rule = await run_in_threadpool(make_watch_rule, web.store, session.user.id, search_id,
                                   text_field(form, "rule_name", 128) or None)
    return RedirectResponse(f"{PREFIX}/searches?" + urlencode({"watched": rule.name}), status_code=303)


@router.post("/searches/{search_id}/delete")
async def delete(request: Request, search_id: int, session: Reader) -> Response:
    web = request.app.state.web
    await checked_form(request, session)
    await run_in_threadpool(delete_search, web.store, session.user.id, search_id)
    return RedirectResponse(f"{PREFIX}/searches", status_code=303)
