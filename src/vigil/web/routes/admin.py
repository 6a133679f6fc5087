"""Admin pages: hash banks and the policy.

    GET  /ui/admin/banks                  banks with labels, state and entry counts; create one
    POST /ui/admin/banks                  create a bank
    GET  /ui/admin/banks/{name}           a bank's entries (paged)
    POST /ui/admin/banks/{name}/state     enable or disable
    POST /ui/admin/banks/{name}/entries   add one entry (text and URLs hashed here; file types: the hash)
    POST /ui/admin/banks/{name}/import    import an uploaded file (any `vigil bank import` format)
    GET  /ui/admin/policy                 the active policy
    POST /ui/admin/policy                 dry-run a candidate policy on the stored items

All through `moderation.banking.BankDesk` and `policy.dry_run`, as the API and CLI do.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from vigil.core.errors import InputError
from vigil.match.bank_io import FORMATS
from vigil.moderation.banking import MAX_UPLOAD_BYTES
from vigil.moderation.sessions import WebSession
from vigil.policy.dry_run import MAX_POLICY_BYTES, dry_run
from vigil.policy.show import policy_json
from vigil.web.auth import ADMIN, WebError, checked_form, page, text_field
from vigil.web.render import render
from vigil.web.security import PREFIX

router = APIRouter(prefix="/admin")
Admin = Annotated[WebSession, Depends(page(*ADMIN))]
ENTRIES_PAGE = 100


def _labels(value: str) -> list[str]:
    return [p.strip() for p in value.replace(",", " ").split() if p.strip()]


@router.get("/banks")
def banks_page(request: Request, session: Admin, msg: str | None = None) -> Response:
    return render(request, "banks.html", banks=request.app.state.web.banks.list(), msg=msg)


@router.post("/banks")
async def create_bank(request: Request, session: Admin) -> Response:
    web = request.app.state.web
    form = await checked_form(request, session)
    name = text_field(form, "name", 64)
    await run_in_threadpool(web.banks.create, name, _labels(text_field(form, "labels", 300)), None, "dashboard",
                            text_field(form, "description", 1000), form.get("negative") == "on", {})
    return RedirectResponse(f"{PREFIX}/admin/banks/{quote(name, safe='')}", status_code=303)


@router.get("/banks/{name}")
def bank_page(request: Request, name: str, session: Admin, page_no: int = 1, msg: str | None = None) -> Response:
    desk = request.app.state.web.banks
    bank = next((b for b in desk.list() if b["name"] == name), None)
    if bank is None:
        raise WebError(404, "Not found", "There is no bank with that name.")
    entries = desk.entries(name, limit=ENTRIES_PAGE, offset=(max(1, page_no) - 1) * ENTRIES_PAGE)
    types = sorted(desk.banks.signal_types)
    return render(request, "bank.html", bank=bank, entries=entries, page_no=max(1, page_no), page_size=ENTRIES_PAGE,
                  formats=FORMATS, signal_types=types, msg=msg, report=None)


@router.post("/banks/{name}/state")
async def bank_state(request: Request, name: str, session: Admin) -> Response:
    web = request.app.state.web
    form = await checked_form(request, session)
    enabled = text_field(form, "enabled", 8) == "1"
    await run_in_threadpool(web.banks.update, name, {"enabled": enabled})
    return RedirectResponse(f"{PREFIX}/admin/banks?msg=" + ("enabled" if enabled else "disabled"), status_code=303)


@router.post("/banks/{name}/entries")
async def add_entry(request: Request, name: str, session: Admin) -> Response:
    web = request.app.state.web
    form = await checked_form(request, session)
    await run_in_threadpool(web.banks.add, name, text_field(form, "signal_type", 32), text_field(form, "value", 100_000),
                            _labels(text_field(form, "labels", 300)), text_field(form, "note", 1000) or None,
                            f"user:{session.user.name}")
    return RedirectResponse(f"{PREFIX}/admin/banks/{quote(name, safe='')}?msg=added", status_code=303)


@router.post("/banks/{name}/import")
async def import_bank(request: Request, name: str, session: Admin) -> Response:
    web = request.app.state.web
    form = await checked_form(request, session, files=1)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise WebError(400, "No file", "Choose a bank file to import.")
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    await form.close()
    report = await run_in_threadpool(web.banks.import_upload, name, upload.filename or "upload", data,
                                     text_field(form, "format", 16) or "auto", f"user:{session.user.name}",
                                     form.get("dry_run") == "on")
    desk = web.banks
    bank = next(b for b in desk.list() if b["name"] == name)
    return render(request, "bank.html", bank=bank, entries=desk.entries(name, limit=ENTRIES_PAGE), page_no=1,
                  page_size=ENTRIES_PAGE, formats=FORMATS, signal_types=sorted(desk.banks.signal_types), msg=None,
                  report=report)


@router.get("/policy")
def policy_page(request: Request, session: Admin) -> Response:
    policy = request.app.state.web.service.policy
    return render(request, "policy.html", policy=policy_json(policy), report=None, candidate="", error=None,
                  surfaces=sorted(policy.surfaces))


@router.post("/policy")
async def policy_dry_run(request: Request, session: Admin) -> Response:
    web = request.app.state.web
    form = await checked_form(request, session, files=1)
    text = text_field(form, "candidate", MAX_POLICY_BYTES)
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        text = (await upload.read(MAX_POLICY_BYTES + 1)).decode("utf-8", "replace")
    await form.close()
    surface = text_field(form, "surface", 64) or "default"
    policy = web.service.policy
    report, error = None, None
    try:
        report = await run_in_threadpool(dry_run, web.store, web.service.assessor, policy, text, surface)
    except InputError as exc:
        error = exc.message + (f" ({exc.hint})" if exc.hint else "")
    return render(request, "policy.html", 400 if error else 200, policy=policy_json(policy), report=report,
                  candidate=text, error=error, surfaces=sorted(policy.surfaces))
