"""Initial schema: raw items, items, assessments, labels, quarantine, ingest runs, full-text search.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from vigil.store.types import Id, Json, UtcDateTime

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "raw_items",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(512), nullable=False),
        sa.Column("source_id", sa.String(512), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("connector", sa.String(64), nullable=False),
        sa.Column("received_at", UtcDateTime, nullable=False),
        sa.Column("published_at", UtcDateTime),
        sa.Column("author", sa.Text),
        sa.Column("author_id", sa.Text),
        sa.Column("channel", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("reply_to", sa.Text),
        sa.Column("forwarded_from", sa.Text),
        sa.Column("edited_at", UtcDateTime),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("media", Json),
        sa.Column("meta", Json),
        sa.Column("locator", sa.Text),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.UniqueConstraint("source", "source_id", name="uq_raw_items_source_source_id"),
    )
    op.create_index("ix_raw_items_status", "raw_items", ["status"])
    op.create_index("ix_raw_items_channel", "raw_items", ["channel"])
    op.create_index("ix_raw_items_published_at", "raw_items", ["published_at"])

    op.create_table(
        "items",
        sa.Column("raw_id", Id, sa.ForeignKey("raw_items.id", ondelete="CASCADE", name="fk_items_raw_id_raw_items"), primary_key=True),
        sa.Column("title", sa.Text),
        sa.Column("normalized", sa.Text, nullable=False),
        sa.Column("language", sa.String(16)),
        sa.Column("language_score", sa.Float),
        sa.Column("script", sa.String(16)),
        sa.Column("urls", Json),
        sa.Column("handles", Json),
        sa.Column("hashtags", Json),
        sa.Column("normalizers", Json),
    )
    op.create_index("ix_items_language", "items", ["language"])

    op.create_table(
        "assessments",
        sa.Column("raw_id", Id, sa.ForeignKey("raw_items.id", ondelete="CASCADE", name="fk_assessments_raw_id_raw_items"), primary_key=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("top_label", sa.String(32)),
        sa.Column("top_score", sa.Float, nullable=False, server_default="0"),
        sa.Column("reporting", sa.Float, nullable=False, server_default="0"),
        sa.Column("tier", sa.Integer, nullable=False, server_default="1"),
        sa.Column("scores", Json, nullable=False),
        sa.Column("labels", Json, nullable=False),
        sa.Column("context", Json),
        sa.Column("matches", Json),
        sa.Column("entities", Json),
        sa.Column("events", Json),
        sa.Column("reasons", Json),
        sa.Column("policy", sa.String(64)),
        sa.Column("versions", Json),
        sa.Column("assessed_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_assessments_action", "assessments", ["action"])
    op.create_index("ix_assessments_top_score", "assessments", ["top_score"])

    op.create_table(
        "item_labels",
        sa.Column("raw_id", Id, sa.ForeignKey("raw_items.id", ondelete="CASCADE", name="fk_item_labels_raw_id_raw_items"), primary_key=True),
        sa.Column("label", sa.String(32), primary_key=True),
        sa.Column("score", sa.Float, nullable=False),
    )
    op.create_index("ix_item_labels_label_score", "item_labels", ["label", "score"])

    op.create_table(
        "quarantine",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("raw_id", Id, sa.ForeignKey("raw_items.id", ondelete="CASCADE", name="fk_quarantine_raw_id_raw_items")),
        sa.Column("source", sa.String(512), nullable=False),
        sa.Column("locator", sa.Text),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("plugin", sa.String(64), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("payload", sa.LargeBinary),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="1"),
        sa.Column("resolved_at", UtcDateTime),
    )
    op.create_index("ix_quarantine_resolved_at", "quarantine", ["resolved_at"])
    op.create_index("ix_quarantine_raw_id", "quarantine", ["raw_id"])

    op.create_table(
        "ingest_runs",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("connector", sa.String(64), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.String(128), nullable=False),
        sa.Column("started_at", UtcDateTime, nullable=False),
        sa.Column("finished_at", UtcDateTime),
        sa.Column("checkpoint", sa.Text),
        sa.Column("counts", Json),
    )
    op.create_index("ix_ingest_runs_connector_fingerprint", "ingest_runs", ["connector", "fingerprint"])

    # Full-text search: FTS5 on SQLite (external content = items), a generated tsvector on PostgreSQL.
    # 'simple' / unicode61 with diacritics removed: no stemming, so Arabic, Cyrillic and Latin behave alike.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE items_fts USING fts5(title, normalized, content='items', "
            "content_rowid='raw_id', tokenize='unicode61 remove_diacritics 2')"
        )
    else:
        op.execute(
            "ALTER TABLE items ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
            "(to_tsvector('simple', coalesce(title, '') || ' ' || normalized)) STORED"
        )
        op.execute("CREATE INDEX ix_items_tsv ON items USING gin (tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS items_fts")
    for table in ("ingest_runs", "quarantine", "item_labels", "assessments", "items", "raw_items"):
        op.drop_table(table)
