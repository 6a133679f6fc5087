"""Dashboard: users, web sessions, failed sign-ins, saved searches, case escalations, cookie key.

Revision ID: 0200_web
Revises: 0100_intel
Create Date: 2026-11-24

Self-contained (only new tables), so its place in the chain can change when other branches'
migrations are merged: only ``down_revision`` needs editing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from vigil.store.types import Id, Json, UtcDateTime

revision = "0200_web"
down_revision = "0100_intel"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.id", ondelete="CASCADE", name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("password_changed_at", UtcDateTime, nullable=False),
        sa.Column("last_login_at", UtcDateTime),
        sa.Column("disabled_at", UtcDateTime),
        sa.UniqueConstraint("name", name="uq_users_name"),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("user_id", Id, _fk("web_sessions", "user_id", "users"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("last_seen_at", UtcDateTime, nullable=False),
        sa.Column("expires_at", UtcDateTime, nullable=False),
        sa.Column("ended_at", UtcDateTime),
        sa.UniqueConstraint("digest", name="uq_web_sessions_digest"),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_table(
        "login_failures",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("subject", sa.String(128), nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_login_failures_subject_at", "login_failures", ["subject", "at"])
    op.create_table(
        "saved_searches",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("user_id", Id, _fk("saved_searches", "user_id", "users"), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("filters", Json, nullable=False),
        sa.Column("watch_rule", sa.String(128)),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.UniqueConstraint("user_id", "name", name="uq_saved_searches_user_id_name"),
    )
    op.create_table(
        "case_escalations",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("case_id", Id, _fk("case_escalations", "case_id", "cases"), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("moderator", sa.String(64), nullable=False),
        sa.Column("priority_before", sa.Float, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_case_escalations_case_id", "case_escalations", ["case_id"])
    op.create_table(
        "web_keys",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("secret", sa.String(128), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("web_keys", "case_escalations", "saved_searches", "login_failures", "web_sessions", "users"):
        op.drop_table(table)
