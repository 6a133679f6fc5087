"""The analyst-intelligence tables: entity mentions and events as rows (not only JSON on the
assessment), stories and their members, watch rules and alerts.

Kept apart from `schema` (and written by their own migration, ``0100_intel``) so the other stages'
tables and migrations can be merged and re-chained without touching these. `schema` imports this
module at its end, so ``schema.metadata`` always describes the whole database.

Where it sits: ``save_assessments`` writes mentions and events in the assessment's transaction;
stories and alerts are written there too by the intel save hooks (``vigil.intel.hooks``).
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
    String,
    Table,
    Text,
)

from vigil.store.schema import metadata
from vigil.store.types import Id, Json, UtcDateTime

entity_mentions = Table(
    "entity_mentions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("raw_id", Id, ForeignKey("raw_items.id", ondelete="CASCADE"), nullable=False),
    # gazetteer id when known, else "kind:canonical" lower-cased: what profiles and stories group by
    Column("entity_key", String(300), nullable=False),
    Column("entity_id", String(128)),
    Column("canonical", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("extractor", String(64), nullable=False),
    Index(None, "entity_key"),
    Index(None, "raw_id"),
    Index(None, "kind"),
)

events = Table(
    "events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("raw_id", Id, ForeignKey("raw_items.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),  # position among the item's events (trigger_event refers to it)
    Column("kind", String(32), nullable=False),
    Column("date", String(10)),  # ISO date when resolved
    Column("place", Text),
    Column("deaths", Integer),
    Column("fields", Json, nullable=False),
    Column("evidence", Json, nullable=False),
    Column("extractor", String(64), nullable=False),
    Index(None, "raw_id"),
    Index(None, "kind", "date"),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("title", Text, nullable=False),
    Column("first_seen", UtcDateTime, nullable=False),
    Column("last_seen", UtcDateTime, nullable=False),
    Column("size", Integer, nullable=False, server_default="0"),
    Column("dated", Boolean, nullable=False, server_default="1"),  # false while no member has its own date
    Column("centroid", LargeBinary),  # sum of member text vectors (float32), None without an embedder
    Column("entities", Json, nullable=False),  # entity_key -> {"canonical", "kind", "count"}
    Column("events", Json, nullable=False),  # event key -> {"kind", "date", "place", "count"}
    Column("merged_into", Id, ForeignKey("stories.id", ondelete="SET NULL")),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index(None, "last_seen"),
    Index(None, "merged_into"),
)

story_items = Table(
    "story_items",
    metadata,
    Column("raw_id", Id, ForeignKey("raw_items.id", ondelete="CASCADE"), primary_key=True),
    Column("story_id", Id, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("score", Float, nullable=False),  # similarity that made it join (1.0 for the item that started it)
    Column("seen_at", UtcDateTime, nullable=False),  # the item's own date (published, else received)
    Index(None, "story_id", "seen_at"),
)

watch_rules = Table(
    "watch_rules",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),  # entity | term | label | channel | score | spike
    Column("value", Text),
    Column("label", String(32)),
    Column("threshold", Float),
    Column("window_hours", Integer),
    Column("baseline_days", Integer),
    Column("factor", Float),
    Column("min_count", Integer),
    Column("enabled", Boolean, nullable=False, server_default="1"),
    Column("notify", Boolean, nullable=False, server_default="1"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_fired_at", UtcDateTime),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("rule_id", Id, ForeignKey("watch_rules.id", ondelete="SET NULL")),
    Column("rule_name", String(128), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("raw_id", Id, ForeignKey("raw_items.id", ondelete="SET NULL")),
    Column("summary", Text, nullable=False),
    Column("details", Json, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("delivery", String(16), nullable=False),  # pending | sent | failed | off
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("delivered_at", UtcDateTime),
    Column("last_error", Text),
    Index(None, "created_at"),
    Index(None, "delivery"),
    Index(None, "rule_id"),
)
