"""People who sign in to the dashboard: a name, one role (the API's roles), an argon2id password hash.

    vigil users create NAME --role ROLE    (the password from a prompt or standard input, never argv)

Passwords are hashed with argon2-cffi's `PasswordHasher` (argon2id, its RFC 9106 low-memory
defaults); an outdated hash is re-hashed on the next successful sign-in. Sign-in spends one argon2
verification whether or not the name exists, so response time does not tell which names exist.

Failed sign-ins are rate limited per user name and per client address (`LoginThrottle`), counted in
the database so every worker process shares one count.

Where it sits: `vigil.web` signs people in through `authenticate`; `vigil.cli.users` manages them.
User changes go to the audit log; sign-ins do not (they would drown the decisions).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from vigil.core.errors import InvalidInput, NotFound
from vigil.moderation.audit import append_one
from vigil.moderation.keys import check_role
from vigil.store.codec import inserted_id
from vigil.store.schema_web import login_failures, users, web_sessions
from vigil.store.sql import SqlStore

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")
MIN_PASSWORD, MAX_PASSWORD = 10, 1024  # argon2 hashes any length; the cap bounds the work of one request
_HASHER = PasswordHasher()


@functools.cache
def dummy_hash() -> str:
    """Verified when the name is unknown, so that a miss costs what a hit costs. Made on first use,
    not at import: an argon2 hash takes ~0.1 s, which every `vigil` command paid when it was made at
    import. The web app makes it at start-up (`install_web`), so no login waits for it."""
    return _HASHER.hash("vigil: no such user")


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    role: str


def check_name(name: str) -> str:
    if not NAME.fullmatch(name or ""):
        raise InvalidInput(f"user name {name!r} is not valid",
                           hint="use 1 to 64 letters, digits and . _ @ - (starting with a letter or digit)")
    return name


def check_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInput(f"a password needs {MIN_PASSWORD} to {MAX_PASSWORD} characters, got {len(password)}",
                           hint="choose a longer passphrase")
    return password


def create_user(store: SqlStore, name: str, role: str, password: str, now: datetime | None = None) -> User:
    """Add a user.

    Raises:
        InvalidInput: a bad name, role or password, or the name is taken.
    """
    check_name(name)
    check_role(role)
    check_password(password)
    now = now or datetime.now(UTC)
    digest = _HASHER.hash(password)
    try:
        with store.begin() as conn:
            uid = inserted_id(conn.execute(users.insert().values(name=name, role=role, password_hash=digest,
                                                            created_at=now, password_changed_at=now)))
    except IntegrityError as exc:
        raise InvalidInput(f"a user named {name!r} already exists", hint="pick another name") from exc
    append_one(store, "user_created", uid, {"user": name, "role": role}, now)
    return User(uid, name, role)


def set_password(store: SqlStore, name: str, password: str, now: datetime | None = None) -> None:
    """Change a password and end the user's sessions."""
    check_password(password)
    now = now or datetime.now(UTC)
    with store.begin() as conn:
        row = conn.execute(select(users.c.id).where(users.c.name == name)).first()
        if row is None:
            raise NotFound("user", name, hint="list users with `vigil users list`")
        conn.execute(update(users).where(users.c.id == row.id).values(password_hash=_HASHER.hash(password),
                                                                      password_changed_at=now))
        _end_sessions(conn, row.id, now)
    append_one(store, "user_password_changed", row.id, {"user": name}, now)


def disable_user(store: SqlStore, name: str, now: datetime | None = None) -> None:
    """Disable a user and end their sessions at once."""
    now = now or datetime.now(UTC)
    with store.begin() as conn:
        row = conn.execute(select(users.c.id).where(users.c.name == name, users.c.disabled_at.is_(None))).first()
        if row is None:
            raise NotFound("active user", name, hint="list users with `vigil users list`")
        conn.execute(update(users).where(users.c.id == row.id).values(disabled_at=now))
        _end_sessions(conn, row.id, now)
    append_one(store, "user_disabled", row.id, {"user": name}, now)


def _end_sessions(conn: Any, user_id: int, now: datetime) -> None:
    conn.execute(update(web_sessions).where(web_sessions.c.user_id == user_id, web_sessions.c.ended_at.is_(None))
                 .values(ended_at=now))


def list_users(store: SqlStore) -> list[dict[str, Any]]:
    stmt = select(users.c.id, users.c.name, users.c.role, users.c.created_at, users.c.last_login_at,
                  users.c.disabled_at).order_by(users.c.id)
    with store.begin() as conn:
        return [{k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in r._mapping.items()}
                for r in conn.execute(stmt)]


def authenticate(store: SqlStore, name: str, password: str, now: datetime | None = None) -> User | None:
    """The user, when ``name`` is an enabled user and ``password`` is theirs; else None."""
    now = now or datetime.now(UTC)
    if len(password) > MAX_PASSWORD or not NAME.fullmatch(name or ""):
        _verify(dummy_hash(), password[:MAX_PASSWORD])
        return None
    with store.begin() as conn:
        row = conn.execute(select(users).where(users.c.name == name, users.c.disabled_at.is_(None))).mappings().first()
    if row is None:
        _verify(dummy_hash(), password)
        return None
    if not _verify(row["password_hash"], password):
        return None
    values: dict[str, Any] = {"last_login_at": now}
    if _HASHER.check_needs_rehash(row["password_hash"]):
        values["password_hash"] = _HASHER.hash(password)
    with store.begin() as conn:
        conn.execute(update(users).where(users.c.id == row["id"]).values(**values))
    return User(row["id"], row["name"], row["role"])


def _verify(digest: str, password: str) -> bool:
    try:
        return _HASHER.verify(digest, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


class LoginThrottle:
    """At most ``max_failures`` failed sign-ins per subject (a user name, a client address) within
    ``window``; beyond that, sign-in is refused until the oldest failure leaves the window."""

    def __init__(self, store: SqlStore, max_failures: int = 5, window: timedelta = timedelta(minutes=15)) -> None:
        self.store, self.max_failures, self.window = store, max(1, max_failures), window

    def wait_s(self, subjects: list[str], now: datetime | None = None) -> float:
        """Seconds until any of ``subjects`` may try again (0.0: allowed now)."""
        now = now or datetime.now(UTC)
        since = now - self.window
        worst = 0.0
        with self.store.begin() as conn:
            for subject in subjects:
                times = conn.execute(select(login_failures.c.at).where(
                    login_failures.c.subject == subject[:128], login_failures.c.at > since)
                    .order_by(login_failures.c.at.desc()).limit(self.max_failures)).scalars().all()
                if len(times) >= self.max_failures:
                    worst = max(worst, (min(times) + self.window - now).total_seconds())
        return max(0.0, worst)

    def failed(self, subjects: list[str], now: datetime | None = None) -> None:
        now = now or datetime.now(UTC)
        with self.store.begin() as conn:
            conn.execute(login_failures.insert(), [{"subject": s[:128], "at": now} for s in subjects])
            # keep the table small: failures older than the window no longer count
            conn.execute(delete(login_failures).where(login_failures.c.at < now - self.window))

    def succeeded(self, subject: str) -> None:
        with self.store.begin() as conn:
            conn.execute(delete(login_failures).where(login_failures.c.subject == subject[:128]))

    def failures(self, subject: str) -> int:
        with self.store.begin() as conn:
            return int(conn.execute(select(func.count()).where(login_failures.c.subject == subject[:128])).scalar_one())
