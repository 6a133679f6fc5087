"""Analyst intelligence: entity mentions, events, stories and members, watch rules, alerts.

Revision ID: 0100_intel
Revises: 0001_initial
Create Date: 2026-11-22

Self-contained (only new tables that refer to ``raw_items``), so its place in the chain can change
when other branches' migrations are merged: only ``down_revision`` needs editing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from vigil.store.types import Id, Json, UtcDateTime

revision = "0100_intel"
down_revision = "0003_moderation"
branch_labels = None
depends_on = None


def _raw_fk(table: str, ondelete: str = "CASCADE") -> sa.ForeignKey:
    return sa.ForeignKey("raw_items.id", ondelete=ondelete, name=f"fk_{table}_raw_id_raw_items")


def upgrade() -> None:
    op.create_table(
        "entity_mentions",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("raw_id", Id, _raw_fk("entity_mentions"), nullable=False),
        sa.Column("entity_key", sa.String(300), nullable=False),
        sa.Column("entity_id", sa.String(128)),
        sa.Column("canonical", sa.Text, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("extractor", sa.String(64), nullable=False),
    )
    op.create_index("ix_entity_mentions_entity_key", "entity_mentions", ["entity_key"])
    op.create_index("ix_entity_mentions_raw_id", "entity_mentions", ["raw_id"])
    op.create_index("ix_entity_mentions_kind", "entity_mentions", ["kind"])

    op.create_table(
        "events",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("raw_id", Id, _raw_fk("events"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("date", sa.String(10)),
        sa.Column("place", sa.Text),
        sa.Column("deaths", sa.Integer),
        sa.Column("fields", Json, nullable=False),
        sa.Column("evidence", Json, nullable=False),
        sa.Column("extractor", sa.String(64), nullable=False),
    )
    op.create_index("ix_events_raw_id", "events", ["raw_id"])
    op.create_index("ix_events_kind_date", "events", ["kind", "date"])

    op.create_table(
        "stories",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("first_seen", UtcDateTime, nullable=False),
        sa.Column("last_seen", UtcDateTime, nullable=False),
        sa.Column("size", sa.Integer, nullable=False, server_default="0"),
        sa.Column("dated", sa.Boolean, nullable=False, server_default="1"),
        sa.Column("centroid", sa.LargeBinary),
        sa.Column("entities", Json, nullable=False),
        sa.Column("events", Json, nullable=False),
        sa.Column("merged_into", Id, sa.ForeignKey("stories.id", ondelete="SET NULL", name="fk_stories_merged_into_stories")),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_stories_last_seen", "stories", ["last_seen"])
    op.create_index("ix_stories_merged_into", "stories", ["merged_into"])

    op.create_table(
        "story_items",
        sa.Column("raw_id", Id, _raw_fk("story_items"), primary_key=True),
        sa.Column("story_id", Id, sa.ForeignKey("stories.id", ondelete="CASCADE", name="fk_story_items_story_id_stories"),
                  nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("seen_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_story_items_story_id_seen_at", "story_items", ["story_id", "seen_at"])

    op.create_table(
        "watch_rules",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("label", sa.String(32)),
        sa.Column("threshold", sa.Float),
        sa.Column("window_hours", sa.Integer),
        sa.Column("baseline_days", sa.Integer),
        sa.Column("factor", sa.Float),
        sa.Column("min_count", sa.Integer),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default="1"),
        sa.Column("notify", sa.Boolean, nullable=False, server_default="1"),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("last_fired_at", UtcDateTime),
        sa.UniqueConstraint("name", name="uq_watch_rules_name"),
    )

    op.create_table(
        "alerts",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("rule_id", Id, sa.ForeignKey("watch_rules.id", ondelete="SET NULL", name="fk_alerts_rule_id_watch_rules")),
        sa.Column("rule_name", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("raw_id", Id, _raw_fk("alerts", "SET NULL")),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("details", Json, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("delivery", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("delivered_at", UtcDateTime),
        sa.Column("last_error", sa.Text),
    )
    op.create_index("ix_alerts_created_at", "alerts", ["created_at"])
    op.create_index("ix_alerts_delivery", "alerts", ["delivery"])
    op.create_index("ix_alerts_rule_id", "alerts", ["rule_id"])


def downgrade() -> None:
    for table in ("alerts", "watch_rules", "story_items", "stories", "events", "entity_mentions"):
        op.drop_table(table)
