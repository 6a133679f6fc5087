"""The schema, as SQLAlchemy Core tables. The single source of truth: the Alembic migrations build
exactly this (a test compares the migrated database with this metadata on both backends).

Raw items are written first, in their own transaction, before any stage runs; the stage results
(items, assessments, labels, full-text rows) are written together with the raw item's status.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)

from vigil.store.types import Id, Json, UtcDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

# Raw item status: pending (stored, stages not yet run), done, quarantined (a stage failed).
PENDING, DONE, QUARANTINED = "pending", "done", "quarantined"

raw_items = Table(
    "raw_items",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("source", String(512), nullable=False),
    Column("source_id", String(512), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("connector", String(64), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("published_at", UtcDateTime),
    Column("author", Text),
    Column("author_id", Text),
    Column("channel", Text),
    Column("title", Text),
    Column("url", Text),
    Column("reply_to", Text),
    Column("forwarded_from", Text),
    Column("edited_at", UtcDateTime),
    Column("text", Text, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("media", Json),
    Column("meta", Json),
    Column("locator", Text),
    Column("status", String(16), nullable=False, server_default=PENDING),
    UniqueConstraint("source", "source_id"),
    Index(None, "status"),
    Index(None, "channel"),
    Index(None, "published_at"),
)

items = Table(
    "items",
    metadata,
    Column("raw_id", Id, ForeignKey("raw_items.id", ondelete="CASCADE"), primary_key=True),
    Column("title", Text),
    Column("normalized", Text, nullable=False),
    Column("language", String(16)),
    Column("language_score", Float),
    Column("script", String(16)),
    Column("urls", Json),
    Column("handles", Json),
    Column("hashtags", Json),
    Column("normalizers", Json),
    Index(None, "language"),
)

assessments = Table(
    "assessments",
    metadata,
    Column("raw_id", Id, ForeignKey("raw_items.id", ondelete="CASCADE"), primary_key=True),
    Column("action", String(16), nullable=False),
    Column("top_label", String(32)),
    Column("top_score", Float, nullable=False, server_default="0"),
    Column("reporting", Float, nullable=False, server_default="0"),
    Column("tier", Integer, nullable=False, server_default="1"),
    Column("scores", Json, nullable=False),
    Column("labels", Json, nullable=False),
    Column("context", Json),
    Column("matches", Json),
    Column("entities", Json),
    Column("events", Json),
    Column("reasons", Json),
    Column("policy", String(64)),
    Column("versions", Json),
    Column("assessed_at", UtcDateTime, nullable=False),
    Index(None, "action"),
    Index(None, "top_score"),
)

# One row per (item, label) the item carries at or above the label threshold: fast filters and counts.
item_labels = Table(
    "item_labels",
    metadata,
    Column("raw_id", Id, ForeignKey("raw_items.id", ondelete="CASCADE"), primary_key=True),
    Column("label", String(32), primary_key=True),
    Column("score", Float, nullable=False),
    Index(None, "label", "score"),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("raw_id", Id, ForeignKey("raw_items.id", ondelete="CASCADE")),
    Column("source", String(512), nullable=False),
    Column("locator", Text),
    Column("stage", String(32), nullable=False),
    Column("plugin", String(64), nullable=False),
    Column("code", String(64), nullable=False),
    Column("message", Text, nullable=False),
    Column("payload", LargeBinary),
    Column("created_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="1"),
    Column("resolved_at", UtcDateTime),
    Index(None, "resolved_at"),
    Index(None, "raw_id"),
)

ingest_runs = Table(
    "ingest_runs",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("connector", String(64), nullable=False),
    Column("target", Text, nullable=False),
    Column("fingerprint", String(128), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime),
    Column("checkpoint", Text),
    Column("counts", Json),
    Index(None, "connector", "fingerprint"),
)

# ---- hash banks (vigil.match.banks) -------------------------------------------------------------

banks = Table(
    "banks",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("labels", Json, nullable=False),
    Column("group_name", Text),
    Column("source", Text),
    Column("description", Text, nullable=False, server_default=""),
    Column("negative", Boolean, nullable=False, server_default=false()),
    Column("enabled", Boolean, nullable=False, server_default=true()),
    Column("thresholds", Json, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# ``signal_key`` is the SHA-256 of the signal: signals can be long (a text_near signature is ~700
# characters), and a fixed-width key keeps the uniqueness index small on both backends.
bank_entries = Table(
    "bank_entries",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("bank_id", Id, ForeignKey("banks.id", ondelete="CASCADE"), nullable=False),
    Column("signal_type", String(32), nullable=False),
    Column("signal", Text, nullable=False),
    Column("signal_key", String(64), nullable=False),
    Column("enabled", Boolean, nullable=False, server_default=true()),
    Column("labels", Json, nullable=False),
    Column("note", Text),
    Column("added_by", String(128), nullable=False),
    Column("origin", Text, nullable=False),
    Column("added_at", UtcDateTime, nullable=False),
    Column("meta", Json),
    UniqueConstraint("bank_id", "signal_type", "signal_key"),
    Index(None, "signal_type", "signal_key"),
)

# Every bank write appends here in the same transaction; running matchers poll it (``seq``) to follow
# bank changes without a restart.
bank_changes = Table(
    "bank_changes",
    metadata,
    Column("seq", Id, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("bank_id", Id, nullable=False),
    Column("entry_id", Id),
    Column("signal_type", String(32)),
    Column("at", UtcDateTime, nullable=False),
)

# ---- moderation service (send-time decisions, enforcement, review, audit, access) -----------------
# Written by `vigil.moderation`; migration 0003_moderation builds them.

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("prefix", String(16), nullable=False),  # the key's public start, shown in listings and logs
    Column("digest", String(64), nullable=False),  # SHA-256 of the whole key; the key itself is never stored
    Column("role", String(16), nullable=False),
    Column("name", Text),
    Column("rate_per_s", Float),  # per-key override of settings.api_rate_per_s
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
    UniqueConstraint("digest"),
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", String(256), primary_key=True),  # the platform's account id
    Column("status", String(16), nullable=False, server_default="active"),  # active | restricted | banned
    Column("restricted_until", UtcDateTime),
    Column("banned_at", UtcDateTime),
    Column("status_reason", Text),
    Column("first_seen", UtcDateTime, nullable=False),
    Column("created_at", UtcDateTime),  # when the platform created the account, if it told us
    Column("updated_at", UtcDateTime, nullable=False),
    Column("blocked", Integer, nullable=False, server_default="0"),
    Index(None, "status"),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("origin", String(16), nullable=False),  # moderate | batch | case | appeal
    Column("account_id", String(256)),
    Column("chat_id", String(256)),
    Column("surface", String(64), nullable=False),
    Column("raw_id", Id, ForeignKey("raw_items.id", ondelete="SET NULL")),  # set when the text is kept
    Column("content_digest", String(64), nullable=False),
    Column("action", String(16), nullable=False),
    Column("top_label", String(32)),
    Column("top_score", Float, nullable=False, server_default="0"),
    Column("scores", Json),
    Column("reasons", Json),
    Column("enforcement", String(32)),  # why no classifier ran: banned | restricted; else null
    Column("policy", String(64)),
    Column("versions", Json),
    Column("crisis", String(128)),
    Column("flood_id", Id),
    Column("latency_ms", Float),
    Column("audit_seq", Id, nullable=False),
    Index(None, "account_id", "created_at"),
    Index(None, "raw_id"),
    Index(None, "action"),
)

strikes = Table(
    "strikes",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", String(256), ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("decision_id", Id, ForeignKey("decisions.id", ondelete="CASCADE"), nullable=False),
    Column("label", String(32)),
    Column("severity", Integer, nullable=False),
    Column("weight", Float, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("removed_at", UtcDateTime),
    Column("removed_reason", Text),
    Index(None, "account_id", "removed_at"),
    Index(None, "decision_id"),
)

# Append-only and hash-chained: hash = SHA-256(prev_hash + "\n" + record), record is canonical JSON
# stored as text so verification rehashes exactly the bytes that were hashed. audit_head holds the
# last (seq, hash) and is the row every append locks, which serializes appends across workers.
audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Id, primary_key=True, autoincrement=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("ref", String(64)),
    Column("record", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index(None, "kind", "ref"),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Id, nullable=False),
    Column("hash", String(64), nullable=False),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # review | appeal
    Column("status", String(16), nullable=False, server_default="open"),  # open | closed
    Column("priority", Float, nullable=False, server_default="0"),
    Column("decision_id", Id, ForeignKey("decisions.id", ondelete="CASCADE"), nullable=False),
    Column("raw_id", Id, ForeignKey("raw_items.id", ondelete="SET NULL")),
    Column("account_id", String(256)),
    Column("appeal_id", Id),
    Column("created_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime),
    Column("verdict", String(16)),  # confirm | overturn
    Column("reason", Text),
    Column("moderator", String(64)),
    Column("outcome_decision_id", Id),
    Index(None, "status", "priority"),
    Index(None, "decision_id"),
)

appeals = Table(
    "appeals",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", String(256), nullable=False),
    Column("decision_id", Id, ForeignKey("decisions.id", ondelete="CASCADE"), nullable=False),
    Column("statement", Text),
    Column("status", String(16), nullable=False, server_default="open"),  # open | granted | denied
    Column("created_at", UtcDateTime, nullable=False),
    Column("resolved_at", UtcDateTime),
    Column("case_id", Id),
    UniqueConstraint("decision_id"),
    Index(None, "account_id"),
)

# What moderators decided, kept as training data for the classifier (`vigil train` reads it).
training_labels = Table(
    "training_labels",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("raw_id", Id, ForeignKey("raw_items.id", ondelete="CASCADE"), nullable=False),
    Column("case_id", Id, nullable=False),
    Column("verdict", String(16), nullable=False),  # confirm (harmful) | overturn (not harmful)
    Column("labels", Json, nullable=False),
    Column("moderator", String(64)),
    Column("created_at", UtcDateTime, nullable=False),
    Index(None, "raw_id"),
)

crises = Table(
    "crises",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False),
    Column("terms", Json, nullable=False),
    Column("entities", Json, nullable=False),
    Column("banks", Json, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("until", UtcDateTime),
    Column("ended_at", UtcDateTime),
    Column("note", Text),
    Index(None, "name"),
)

flood_alerts = Table(
    "flood_alerts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("signature", Text, nullable=False),  # the near-duplicate fingerprint quarantined
    Column("label", String(32)),
    Column("accounts", Integer, nullable=False),
    Column("new_accounts", Integer, nullable=False),
    Column("messages", Integer, nullable=False),
    Column("first_seen", UtcDateTime, nullable=False),
    Column("raised_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("held", Integer, nullable=False, server_default="0"),
    Column("example_decision_id", Id),
    Index(None, "expires_at"),
)

# The analyst-intelligence tables live in their own module and migration; importing it here keeps
# `metadata` complete for the migration check.
from vigil.store import schema_intel as _schema_intel  # noqa: E402,F401
from vigil.store import schema_web as _schema_web  # noqa: E402,F401  (dashboard: users, sessions, saved searches)
