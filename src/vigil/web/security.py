"""Security headers for every dashboard response, and the same-origin check for form posts.

The Content-Security-Policy allows only this server's own scripts, styles and images: there is no
inline script or style anywhere in the dashboard (behaviour is in ``static/vigil.js``, looks in
``static/vigil.css``), so no nonce is needed and an injected ``<script>`` or ``onerror=`` cannot run
even if escaping ever failed. ``frame-ancestors 'none'`` stops clickjacking; ``form-action 'self'``
keeps forms from posting elsewhere; ``base-uri 'none'`` stops a ``<base>`` from rewriting links.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIX = "/ui"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
       "connect-src 'self'; media-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make browsers send "Origin: null" on posts
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
]
NO_STORE = (b"cache-control", b"no-store")  # pages show what moderators see: not for shared caches


def is_web(path: str) -> bool:
    return path == "/" or path == PREFIX or path.startswith(PREFIX + "/")


class SecurityHeaders:
    """ASGI middleware: adds `HEADERS` to responses under /ui (and the / redirect)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_web(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith(PREFIX + "/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [h for h in HEADERS if h[0] not in names]
                if not static and b"cache-control" not in names:
                    extra.append(NO_STORE)
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


def same_origin(origin: str | None, host: str | None, scheme: str) -> bool:
    """A form post is accepted only from this server's own pages: a present ``Origin`` must name
    this host (browsers send it on every cross-site POST). SameSite=Strict cookies and the CSRF
    token are the other two locks."""
    if not origin:
        return True
    if origin == "null" or not host:
        return False
    return origin.rstrip("/") in (f"{scheme}://{host}", f"http://{host}", f"https://{host}")
