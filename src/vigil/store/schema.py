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
