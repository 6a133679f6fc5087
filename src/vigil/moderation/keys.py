"""API keys: high-entropy bearer secrets, stored only as SHA-256 digests, with one role each.

    vgl_<43 url-safe characters>    secrets.token_urlsafe(32): 256 bits of entropy

A fast digest is right here (argon2 is for human passwords): a 256-bit random key cannot be guessed,
so slow hashing would only cost every request milliseconds. Lookup is by digest (unique index), then
the digest is compared again with `hmac.compare_digest` so no timing difference depends on the key.
Validated keys are cached for ``cache_s`` seconds per process; a revocation reaches every process
within that time.

Roles: ``platform`` (moderate, submit items and appeals), ``moderator`` (cases, appeals, accounts),
``analyst`` (read and search), ``admin`` (everything: banks, policy, keys, crises, metrics).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from vigil.core.errors import InvalidInput, NotFound
from vigil.moderation.audit import append_one
from vigil.store.codec import inserted_id
from vigil.store.schema import api_keys
from vigil.store.sql import SqlStore

PREFIX = "vgl_"
ROLES = ("platform", "moderator", "analyst", "admin")
MAX_KEY_CHARS = 200


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}", hint="use one of: " + ", ".join(ROLES))
    return role


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: int
    prefix: str
    role: str
    name: str | None
    rate_per_s: float | None


def create_key(store: SqlStore, role: str, name: str | None = None, rate_per_s: float | None = None) -> tuple[str, ApiKey]:
    """Make a new key; returns (the key, shown only now, and its stored record)."""
    check_role(role)
    key = PREFIX + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with store.begin() as conn:
        key_id = inserted_id(conn.execute(
            api_keys.insert().values(prefix=key[:12], digest=digest(key), role=role, name=name,
                                     rate_per_s=rate_per_s, created_at=now)
        ))
    record = ApiKey(int(key_id), key[:12], role, name, rate_per_s)
    append_one(store, "key_created", key_id, {"prefix": record.prefix, "role": role, "name": name}, now)
    return key, record


def list_keys(store: SqlStore, include_revoked: bool = False) -> list[dict[str, Any]]:
    stmt = select(api_keys.c.id, api_keys.c.prefix, api_keys.c.role, api_keys.c.name, api_keys.c.rate_per_s,
                  api_keys.c.created_at, api_keys.c.revoked_at).order_by(api_keys.c.id)
    if not include_revoked:
        stmt = stmt.where(api_keys.c.revoked_at.is_(None))
    with store.begin() as conn:
        return [{k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in r._mapping.items()} for r in conn.execute(stmt)]


def revoke_key(store: SqlStore, ident: str) -> dict[str, Any]:
    """Revoke a key by id or by its prefix (``vgl_xxxxxxxx`` as listed)."""
    cond = api_keys.c.id == int(ident) if ident.isdigit() else api_keys.c.prefix == ident[:12]
    now = datetime.now(UTC)
    with store.begin() as conn:
        rows = conn.execute(select(api_keys.c.id, api_keys.c.prefix, api_keys.c.role).where(cond, api_keys.c.revoked_at.is_(None))).all()
        if not rows:
            raise NotFound("active API key", ident, hint="list keys with `vigil keys list`")
        if len(rows) > 1:
            raise InvalidInput(f"prefix {ident!r} names {len(rows)} keys", hint="revoke by id instead")
        conn.execute(update(api_keys).where(api_keys.c.id == rows[0].id).values(revoked_at=now))
    append_one(store, "key_revoked", rows[0].id, {"prefix": rows[0].prefix, "role": rows[0].role}, now)
    return {"id": rows[0].id, "prefix": rows[0].prefix, "role": rows[0].role, "revoked_at": now.isoformat()}


class KeyRing:
    """Authenticates bearer keys against the store, with a short per-process cache."""

    def __init__(self, store: SqlStore, cache_s: float = 5.0) -> None:
        self.store = store
        self.cache_s = cache_s
        self._cache: dict[str, tuple[float, ApiKey | None]] = {}
        self._lock = threading.Lock()

    def authenticate(self, key: str) -> ApiKey | None:
        """The key's record, or None for an unknown, revoked or malformed key."""
        if not key.startswith(PREFIX) or len(key) > MAX_KEY_CHARS:
            return None
        d = digest(key)
        now = time.monotonic()
        hit = self._cache.get(d)
        if hit is not None and now - hit[0] < self.cache_s:
            return hit[1]
        with self.store.begin() as conn:
            row = conn.execute(
                select(api_keys.c.id, api_keys.c.prefix, api_keys.c.role, api_keys.c.name, api_keys.c.rate_per_s,
                       api_keys.c.digest).where(api_keys.c.digest == d, api_keys.c.revoked_at.is_(None))
            ).first()
        found = None
        if row is not None and hmac.compare_digest(row.digest, d):
            found = ApiKey(row.id, row.prefix, row.role, row.name, row.rate_per_s)
        with self._lock:
            if len(self._cache) > 10_000:  # unknown keys are cached too; bound what a scanner can fill
                self._cache.clear()
            self._cache[d] = (now, found)
        return found
