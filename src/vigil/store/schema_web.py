"""The dashboard's tables: users who sign in (argon2 password hashes), their server-side sessions,
failed sign-ins (rate limiting), saved searches, case escalations, and the cookie-signing key.

Kept apart from `schema` and written by their own migration (``0200_web``) like the intelligence
tables: only new tables, so the migration's place in the chain can change when branches merge.
`schema` imports this module at its end, so ``schema.metadata`` always describes the whole database.

Where it sits: `vigil.moderation.users` and `vigil.moderation.sessions` (sign-in), `vigil.intel.saved`
(saved searches), `vigil.moderation.escalation` (escalated cases), read by `vigil.web`.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, String, Table, Text, UniqueConstraint

from vigil.store.schema import metadata
from vigil.store.types import Id, Json, UtcDateTime

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False),
    Column("role", String(16), nullable=False),  # platform | moderator | analyst | admin (as API keys)
    Column("password_hash", Text, nullable=False),  # argon2id, PHC string; the password is never stored
    Column("created_at", UtcDateTime, nullable=False),
    Column("password_changed_at", UtcDateTime, nullable=False),
    Column("last_login_at", UtcDateTime),
    Column("disabled_at", UtcDateTime),
    UniqueConstraint("name"),
)

# The cookie carries a signed random token; only its SHA-256 is stored, so a copy of the database
# does not hold live session tokens. Expiry is decided here, never by the cookie.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("digest", String(64), nullable=False),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf", String(64), nullable=False),  # the synchronizer token every form of this session carries
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),  # absolute limit; idle expiry is last_seen_at + idle
    Column("ended_at", UtcDateTime),
    UniqueConstraint("digest"),
    Index(None, "user_id"),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("subject", String(128), nullable=False),  # "user:<name>" or "ip:<address>"
    Column("at", UtcDateTime, nullable=False),
    Index(None, "subject", "at"),
)

saved_searches = Table(
    "saved_searches",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(128), nullable=False),
    Column("query", Text, nullable=False),
    Column("filters", Json, nullable=False),
    Column("watch_rule", String(128)),  # the watch rule made from it, by name
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("user_id", "name"),
)

case_escalations = Table(
    "case_escalations",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("case_id", Id, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("reason", Text, nullable=False),
    Column("moderator", String(64), nullable=False),
    Column("priority_before", Float, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index(None, "case_id"),
)

web_keys = Table(
    "web_keys",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("secret", String(128), nullable=False),  # signs session cookies when no secret is given by env
    Column("created_at", UtcDateTime, nullable=False),
)
