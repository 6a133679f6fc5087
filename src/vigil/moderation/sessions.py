"""Dashboard sessions: server-side, with a signed random token in the cookie.

    sign-in ─► token = secrets.token_urlsafe(32); row {digest = SHA-256(token), user, csrf, expires_at}
           ─► cookie = itsdangerous-signed token   (HttpOnly, SameSite=Strict, Path=/ui; set by vigil.web)
    request ─► unsign ─► look the digest up ─► ended? past expires_at? idle too long? user disabled? ─► None
    sign-out ─► ended_at = now (the cookie is worthless from then on, in every process)

The server decides expiry (absolute ``hours`` and ``idle_minutes``); the cookie's own lifetime is
only a hint to the browser. Each session has its own CSRF token that every form carries.

The signing secret comes from the environment variable named by ``web_secret_env``, or else is
generated once and kept in the database, so that every worker process (and a restart) shares it.

Where it sits: `vigil.web.auth` calls `SessionManager`; nothing else does.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, Signer
from sqlalchemy import select, update

from vigil.moderation.users import User
from vigil.store.codec import inserted_id
from vigil.store.schema_web import users, web_keys, web_sessions
from vigil.store.sql import SqlStore

TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most this often per session
MAX_COOKIE_CHARS = 200


@dataclass(frozen=True, slots=True)
class WebSession:
    id: int
    user: User
    csrf: str
    expires_at: datetime

    def csrf_ok(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf.encode(), (token or "").encode())


def signing_secret(store: SqlStore, env_secret: str | None = None) -> str:
    """The secret that signs cookies: the given one, else the database's (created on first use)."""
    if env_secret:
        return env_secret
    with store.begin() as conn:
        row = conn.execute(select(web_keys.c.secret).order_by(web_keys.c.id).limit(1)).first()
        if row is None:
            conn.execute(web_keys.insert().values(secret=secrets.token_urlsafe(48), created_at=datetime.now(UTC)))
    with store.begin() as conn:  # two processes may race to create it: all take the oldest row
        return str(conn.execute(select(web_keys.c.secret).order_by(web_keys.c.id).limit(1)).scalar_one())


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionManager:
    def __init__(self, store: SqlStore, secret: str, hours: float = 8.0, idle_minutes: float = 60.0) -> None:
        self.store = store
        self.signer = Signer(secret, salt="vigil.web.session")
        self.form_signer = Signer(secret, salt="vigil.web.form")  # apart, so one cookie cannot stand for the other
        self.lifetime = timedelta(hours=hours)
        self.idle = timedelta(minutes=idle_minutes)

    def start(self, user: User, now: datetime | None = None) -> tuple[str, WebSession]:
        """A new session for ``user``; returns (the cookie value, the session)."""
        now = now or datetime.now(UTC)
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        expires = now + self.lifetime
        with self.store.begin() as conn:
            sid = inserted_id(conn.execute(web_sessions.insert().values(
                digest=_digest(token), user_id=user.id, csrf=csrf, created_at=now, last_seen_at=now, expires_at=expires)))
        return self.signer.sign(token).decode(), WebSession(sid, user, csrf, expires)

    def load(self, cookie: str | None, now: datetime | None = None) -> WebSession | None:
        """The live session a cookie names, or None (bad signature, unknown, ended, expired, idle,
        or its user disabled)."""
        if not cookie or len(cookie) > MAX_COOKIE_CHARS:
            return None
        try:
            token = self.signer.unsign(cookie).decode()
        except BadSignature:
            return None
        now = now or datetime.now(UTC)
        with self.store.begin() as conn:
            row = conn.execute(
                select(web_sessions, users.c.name, users.c.role, users.c.disabled_at)
                .select_from(web_sessions.join(users, users.c.id == web_sessions.c.user_id))
                .where(web_sessions.c.digest == _digest(token))
            ).mappings().first()
            if row is None or row["ended_at"] is not None or row["disabled_at"] is not None:
                return None
            if now >= row["expires_at"] or now - row["last_seen_at"] >= self.idle:
                conn.execute(update(web_sessions).where(web_sessions.c.id == row["id"]).values(ended_at=now))
                return None
            if now - row["last_seen_at"] >= TOUCH_EVERY:
                conn.execute(update(web_sessions).where(web_sessions.c.id == row["id"]).values(last_seen_at=now))
        return WebSession(row["id"], User(row["user_id"], row["name"], row["role"]), row["csrf"], row["expires_at"])

    def end(self, session_id: int, now: datetime | None = None) -> None:
        with self.store.begin() as conn:
            conn.execute(update(web_sessions).where(web_sessions.c.id == session_id, web_sessions.c.ended_at.is_(None))
                         .values(ended_at=now or datetime.now(UTC)))

    def sign(self, value: str) -> str:
        """Sign a short value with the session secret (the sign-in form's CSRF cookie)."""
        return self.form_signer.sign(value).decode()

    def unsign(self, value: str | None) -> str | None:
        if not value or len(value) > MAX_COOKIE_CHARS:
            return None
        try:
            return self.form_signer.unsign(value).decode()
        except BadSignature:
            return None
