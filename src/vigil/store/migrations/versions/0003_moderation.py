"""Moderation service: API keys, accounts, decisions, strikes, the hash-chained audit log, review
cases, appeals, training labels, crisis incidents and flood alerts.

Revision ID: 0003_moderation
Revises: 0002_banks
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from vigil.store.types import Id, Json, UtcDateTime

revision = "0003_moderation"
down_revision = "0002_banks"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.id", ondelete=ondelete, name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("name", sa.Text),
        sa.Column("rate_per_s", sa.Float),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("revoked_at", UtcDateTime),
        sa.UniqueConstraint("digest", name="uq_api_keys_digest"),
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(256), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False, server_default="active"),
        sa.Column("restricted_until", UtcDateTime),
        sa.Column("banned_at", UtcDateTime),
        sa.Column("status_reason", sa.Text),
        sa.Column("first_seen", UtcDateTime, nullable=False),
        sa.Column("created_at", UtcDateTime),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.Column("blocked", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("ix_accounts_status", "accounts", ["status"])
    op.create_table(
        "decisions",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("account_id", sa.String(256)),
        sa.Column("chat_id", sa.String(256)),
        sa.Column("surface", sa.String(64), nullable=False),
        sa.Column("raw_id", Id, _fk("decisions", "raw_id", "raw_items", "SET NULL")),
        sa.Column("content_digest", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("top_label", sa.String(32)),
        sa.Column("top_score", sa.Float, nullable=False, server_default="0"),
        sa.Column("scores", Json),
        sa.Column("reasons", Json),
        sa.Column("enforcement", sa.String(32)),
        sa.Column("policy", sa.String(64)),
        sa.Column("versions", Json),
        sa.Column("crisis", sa.String(128)),
        sa.Column("flood_id", Id),
        sa.Column("latency_ms", sa.Float),
        sa.Column("audit_seq", Id, nullable=False),
    )
    op.create_index("ix_decisions_account_id_created_at", "decisions", ["account_id", "created_at"])
    op.create_index("ix_decisions_raw_id", "decisions", ["raw_id"])
    op.create_index("ix_decisions_action", "decisions", ["action"])
    op.create_table(
        "strikes",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("account_id", sa.String(256), _fk("strikes", "account_id", "accounts", "CASCADE"), nullable=False),
        sa.Column("decision_id", Id, _fk("strikes", "decision_id", "decisions", "CASCADE"), nullable=False),
        sa.Column("label", sa.String(32)),
        sa.Column("severity", sa.Integer, nullable=False),
        sa.Column("weight", sa.Float, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("removed_at", UtcDateTime),
        sa.Column("removed_reason", sa.Text),
    )
    op.create_index("ix_strikes_account_id_removed_at", "strikes", ["account_id", "removed_at"])
    op.create_index("ix_strikes_decision_id", "strikes", ["decision_id"])
    op.create_table(
        "audit_log",
        sa.Column("seq", Id, primary_key=True, autoincrement=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("ref", sa.String(64)),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_log_kind_ref", "audit_log", ["kind", "ref"])
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", Id, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS}])
    op.create_table(
        "cases",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="open"),
        sa.Column("priority", sa.Float, nullable=False, server_default="0"),
        sa.Column("decision_id", Id, _fk("cases", "decision_id", "decisions", "CASCADE"), nullable=False),
        sa.Column("raw_id", Id, _fk("cases", "raw_id", "raw_items", "SET NULL")),
        sa.Column("account_id", sa.String(256)),
        sa.Column("appeal_id", Id),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("closed_at", UtcDateTime),
        sa.Column("verdict", sa.String(16)),
        sa.Column("reason", sa.Text),
        sa.Column("moderator", sa.String(64)),
        sa.Column("outcome_decision_id", Id),
    )
    op.create_index("ix_cases_status_priority", "cases", ["status", "priority"])
    op.create_index("ix_cases_decision_id", "cases", ["decision_id"])
    op.create_table(
        "appeals",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("account_id", sa.String(256), nullable=False),
        sa.Column("decision_id", Id, _fk("appeals", "decision_id", "decisions", "CASCADE"), nullable=False),
        sa.Column("statement", sa.Text),
        sa.Column("status", sa.String(16), nullable=False, server_default="open"),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("resolved_at", UtcDateTime),
        sa.Column("case_id", Id),
        sa.UniqueConstraint("decision_id", name="uq_appeals_decision_id"),
    )
    op.create_index("ix_appeals_account_id", "appeals", ["account_id"])
    op.create_table(
        "training_labels",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("raw_id", Id, _fk("training_labels", "raw_id", "raw_items", "CASCADE"), nullable=False),
        sa.Column("case_id", Id, nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("labels", Json, nullable=False),
        sa.Column("moderator", sa.String(64)),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_training_labels_raw_id", "training_labels", ["raw_id"])
    op.create_table(
        "crises",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("terms", Json, nullable=False),
        sa.Column("entities", Json, nullable=False),
        sa.Column("banks", Json, nullable=False),
        sa.Column("started_at", UtcDateTime, nullable=False),
        sa.Column("until", UtcDateTime),
        sa.Column("ended_at", UtcDateTime),
        sa.Column("note", sa.Text),
    )
    op.create_index("ix_crises_name", "crises", ["name"])
    op.create_table(
        "flood_alerts",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("signature", sa.Text, nullable=False),
        sa.Column("label", sa.String(32)),
        sa.Column("accounts", sa.Integer, nullable=False),
        sa.Column("new_accounts", sa.Integer, nullable=False),
        sa.Column("messages", sa.Integer, nullable=False),
        sa.Column("first_seen", UtcDateTime, nullable=False),
        sa.Column("raised_at", UtcDateTime, nullable=False),
        sa.Column("expires_at", UtcDateTime, nullable=False),
        sa.Column("held", sa.Integer, nullable=False, server_default="0"),
        sa.Column("example_decision_id", Id),
    )
    op.create_index("ix_flood_alerts_expires_at", "flood_alerts", ["expires_at"])


def downgrade() -> None:
    for table in ("flood_alerts", "crises", "training_labels", "appeals", "cases", "audit_head", "audit_log",
                  "strikes", "decisions", "accounts", "api_keys"):
        op.drop_table(table)
