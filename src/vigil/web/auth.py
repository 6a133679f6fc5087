"""Who may see a page, and the checks every form post passes.

    page(*roles)      dependency: the signed-in session, else a redirect to the sign-in page; a
                      signed-in user without one of ``roles`` (admin always has them) gets the 403 page
    checked_form()    a POST's form, after the same-origin check and the session's CSRF token

Cookies: ``vigil_session`` (the signed session token; HttpOnly, SameSite=Strict, Path=/ui) and, on
the sign-in page only, ``vigil_form`` (a signed random token that the sign-in form repeats: the
double-submit CSRF check for a visitor who has no session yet).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from starlette.datastructures import FormData
from starlette.responses import Response

from vigil.moderation.sessions import WebSession
from vigil.web.security import PREFIX, same_origin

COOKIE = "vigil_session"
FORM_COOKIE = "vigil_form"
READ = ("analyst", "moderator")
MOD = ("moderator",)
ADMIN: tuple[str, ...] = ()
MAX_FORM_FIELDS = 100
MAX_PART_BYTES = 1_000_000


class LoginRequired(Exception):
    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class WebError(Exception):
    """An error page: ``status``, a short title and a message (all shown escaped)."""

    def __init__(self, status: int, title: str, message: str = "") -> None:
        super().__init__(message or title)
        self.status, self.title, self.message = status, title, message


def allowed(role: str, roles: tuple[str, ...]) -> bool:
    return role == "admin" or role in roles


def page(*roles: str) -> Callable[[Request], WebSession]:
    def dependency(request: Request) -> WebSession:
        session: WebSession | None = request.app.state.web.sessions.load(request.cookies.get(COOKIE))
        if session is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRequired(target)
        request.state.web_session = session
        if not allowed(session.user.role, roles):
            need = ", ".join(sorted({*roles, "admin"}))
            raise WebError(403, "Not allowed", f"This page needs one of the roles: {need}. "
                                               f"You are signed in as {session.user.role}.")
        return session

    dependency.__name__ = "page_" + "_".join(roles or ("admin",))
    return dependency


def check_origin(request: Request) -> None:
    if not same_origin(request.headers.get("origin"), request.headers.get("host"), request.url.scheme):
        raise WebError(403, "Refused", "This form was not sent from Vigil's own pages.")


async def checked_form(request: Request, session: WebSession, files: int = 0) -> FormData:
    """The posted form, once it passed the origin check and carries the session's CSRF token.
    ``files``: how many uploads the form may carry (the caller closes them)."""
    check_origin(request)
    form = await request.form(max_files=files, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_PART_BYTES)
    token = form.get("csrf_token")
    if not session.csrf_ok(token if isinstance(token, str) else None):
        raise WebError(403, "Refused", "The form's security token is missing or wrong. Reload the page and try again.")
    return form


def text_field(form: FormData, name: str, max_chars: int = 2000) -> str:
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    if len(value) > max_chars:
        raise WebError(400, "Too long", f"The field {name!r} has {len(value)} characters, at most {max_chars} are accepted.")
    return value.strip()


def set_cookie(response: Response, name: str, value: str, secure: bool, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path=PREFIX, secure=secure, httponly=True, samesite="strict")


def clear_cookie(response: Response, name: str, secure: bool) -> None:
    response.delete_cookie(name, path=PREFIX, secure=secure, httponly=True, samesite="strict")


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def session_of(request: Request) -> Any:
    return getattr(request.state, "web_session", None)
