"""Sign-in and sign-out: `GET|POST /ui/login`, `POST /ui/logout`."""

from __future__ import annotations

import math
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from vigil.moderation.sessions import WebSession
from vigil.moderation.users import authenticate
from vigil.web.auth import (
    COOKIE,
    FORM_COOKIE,
    READ,
    check_origin,
    checked_form,
    clear_cookie,
    client_address,
    page,
    set_cookie,
    text_field,
)
from vigil.web.render import render
from vigil.web.security import PREFIX

router = APIRouter()
MAX_NEXT = 500


def safe_next(value: str | None) -> str:
    """Only a path on this dashboard: never another host (no open redirect)."""
    if value and value.startswith(PREFIX + "/") and not value.startswith("//") and "\\" not in value and len(value) <= MAX_NEXT:
        return value
    return PREFIX + "/"


def _login_page(request: Request, next_path: str, status: int = 200, error: str | None = None) -> Response:
    web = request.app.state.web
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", status, form_token=token, next=safe_next(next_path), error=error)
    set_cookie(response, FORM_COOKIE, web.sessions.sign(token), web.settings.web_secure_cookies, max_age=3600)
    return response


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:  # noqa: A002 - the query parameter's name
    return _login_page(request, next or PREFIX + "/")


@router.post("/login")
async def login(request: Request) -> Response:
    web = request.app.state.web
    check_origin(request)
    form = await request.form(max_files=0, max_fields=10, max_part_size=10_000)
    next_path = safe_next(form.get("next") if isinstance(form.get("next"), str) else None)  # type: ignore[arg-type]
    expected = web.sessions.unsign(request.cookies.get(FORM_COOKIE))
    token = form.get("csrf_token")
    if not expected or not isinstance(token, str) or not secrets.compare_digest(expected, token):
        return _login_page(request, next_path, 403, "The sign-in form expired or was not sent from this page. Try again.")
    name = text_field(form, "name", 64)
    password = form.get("password") if isinstance(form.get("password"), str) else ""
    subjects = [f"user:{name.casefold()}", f"ip:{client_address(request)}"]
    wait = await run_in_threadpool(web.throttle.wait_s, subjects)
    if wait > 0:
        response = _login_page(request, next_path, 429, f"Too many failed sign-ins. Try again in {math.ceil(wait / 60)} minutes.")
        response.headers["Retry-After"] = str(math.ceil(wait))
        return response
    user = await run_in_threadpool(authenticate, web.store, name, str(password))
    if user is None:
        await run_in_threadpool(web.throttle.failed, subjects)
        return _login_page(request, next_path, 401, "Wrong name or password.")
    await run_in_threadpool(web.throttle.succeeded, subjects[0])
    cookie, _ = await run_in_threadpool(web.sessions.start, user)
    response = RedirectResponse(next_path, status_code=303)
    secure = web.settings.web_secure_cookies
    set_cookie(response, COOKIE, cookie, secure, max_age=int(web.settings.web_session_hours * 3600))
    response.delete_cookie(FORM_COOKIE, path=PREFIX)
    return response


@router.post("/logout")
async def logout(request: Request, session: Annotated[WebSession, Depends(page(*READ, "platform"))]) -> Response:
    web = request.app.state.web
    await checked_form(request, session)
    await run_in_threadpool(web.sessions.end, session.id)
    response = RedirectResponse(PREFIX + "/login", status_code=303)
    clear_cookie(response, COOKIE, web.settings.web_secure_cookies)
    return response
