"""Hash banks: banks, bank entries with provenance, and the change log that matchers follow.

Revision ID: 0002_banks
Revises: 0001_initial
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from vigil.store.types import Id, Json, UtcDateTime

revision = "0002_banks"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "banks",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("labels", Json, nullable=False),
        sa.Column("group_name", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("negative", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("thresholds", Json, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.UniqueConstraint("name", name="uq_banks_name"),
    )
    op.create_table(
        "bank_entries",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column(
            "bank_id",
            Id,
            sa.ForeignKey("banks.id", ondelete="CASCADE", name="fk_bank_entries_bank_id_banks"),
            nullable=False,
        ),
        sa.Column("signal_type", sa.String(32), nullable=False),
        sa.Column("signal", sa.Text, nullable=False),
        sa.Column("signal_key", sa.String(64), nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("labels", Json, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("added_by", sa.String(128), nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("added_at", UtcDateTime, nullable=False),
        sa.Column("meta", Json),
        sa.UniqueConstraint(
            "bank_id", "signal_type", "signal_key", name="uq_bank_entries_bank_id_signal_type_signal_key"
        ),
    )
    op.create_index("ix_bank_entries_signal_type_signal_key", "bank_entries", ["signal_type", "signal_key"])
    op.create_table(
        "bank_changes",
        sa.Column("seq", Id, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("bank_id", Id, nullable=False),
        sa.Column("entry_id", Id),
        sa.Column("signal_type", sa.String(32)),
        sa.Column("at", UtcDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("bank_changes")
    op.drop_index("ix_bank_entries_signal_type_signal_key", table_name="bank_entries")
    op.drop_table("bank_entries")
    op.drop_table("banks")
