"""Templates: Jinja2 with autoescaping always on (every ``{{ }}`` is HTML-escaped; only values that
are already `Markup` built by `highlight` and `charts` from escaped parts pass through).

Templates are package data (``vigil/web/templates``) and reach the page only through `render`,
which adds the signed-in user, the CSRF token and the navigation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader

from vigil import __version__
from vigil.core.labels import TAXONOMY
from vigil.web import charts
from vigil.web.auth import allowed, session_of
from vigil.web.highlight import highlight, snippet

NAV = (
    ("Overview", "/ui/", ("analyst", "moderator")),
    ("Review queue", "/ui/queue", ("moderator",)),
    ("Search", "/ui/search", ("analyst", "moderator")),
    ("Stories", "/ui/stories", ("analyst", "moderator")),
    ("Events", "/ui/events", ("analyst", "moderator")),
    ("Entities", "/ui/entities", ("analyst", "moderator")),
    ("Network", "/ui/network", ("analyst", "moderator")),
    ("Banks", "/ui/admin/banks", ()),
    ("Policy", "/ui/admin/policy", ()),
)


def short_time(value: Any) -> str:
    if not value:
        return ""
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return text[:16].replace("T", " ")


def path_part(value: Any) -> str:
    """A value as one URL path segment (a channel or actor name may hold / ? # or anything)."""
    return quote(str(value), safe="")


def severity(label: str | None) -> int:
    for key, info in TAXONOMY.items():
        if key.value == label:
            return info.severity
    return 0


def make_env() -> Environment:
    env = Environment(loader=PackageLoader("vigil.web", "templates"), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True)
    env.filters.update(hl=highlight, snippet=snippet, t=short_time, seg=path_part, severity=severity)
    env.globals.update(charts=charts, urlencode=urlencode, version=__version__, taxonomy=TAXONOMY)
    return env


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    env: Environment = request.app.state.web.templates
    session = session_of(request)
    role = session.user.role if session else None
    nav = [(name, href) for name, href, roles in NAV if role and allowed(role, roles)]
    html = env.get_template(template).render(request=request, session=session, user=session.user if session else None,
                                             csrf=session.csrf if session else "", nav=nav, path=request.url.path,
                                             **context)
    return HTMLResponse(html, status_code=status)
