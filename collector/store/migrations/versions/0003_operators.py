"""Operator accounts, their sessions, login throttling, announced awards; who did what.

The console (issue 19) needs accounts with roles, sessions shared by every serving process
(so they live in the database, not in one process's memory), a failed-login count per account
and per client address for the growing lockout, and the awards announced per size group, frozen
once announced. The audit gains the operator who acted, and a count and last time for a group of
repeated anonymous refusals from one source (so a flood of bad requests is one row, not five
hundred that push a revocation off the page).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

Count = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Text = sa.Text


def upgrade() -> None:
    """Create the operator tables and add operator, repeats and last_at to the audit."""
    op.create_table(
        "operators",
        sa.Column("name", Text, primary_key=True),
        sa.Column("role", Text, nullable=False),
        sa.Column("password_hash", Text, nullable=False),  # argon2id, PHC string
        sa.Column("created_at", Text, nullable=False),
        sa.Column("created_by", Text),
        sa.Column("password_changed_at", Text, nullable=False),
        sa.Column("disabled_at", Text),
        sa.CheckConstraint("role IN ('admin', 'officer', 'viewer')", name="operator_role"),
    )
    op.create_table(
        "sessions",
        sa.Column("token_hash", Text, primary_key=True),  # SHA-256 of the cookie's secret
        sa.Column("operator", Text, sa.ForeignKey("operators.name"), nullable=False),
        sa.Column("csrf", Text, nullable=False),
        sa.Column("created_at", Text, nullable=False),
        sa.Column("last_seen", Text, nullable=False),
        sa.Column("expires_at", Text, nullable=False),
    )
    op.create_index("sessions_operator", "sessions", ["operator"])
    op.create_table(
        "login_throttle",  # 'name:<login name>' or 'addr:<client address>'
        sa.Column("key", Text, primary_key=True),
        sa.Column("failures", Count, nullable=False, server_default="0"),
        sa.Column("last_failure", Text),
        sa.Column("locked_until", Text),
    )
    op.create_table(
        "announcements",
        sa.Column("size_group", Text, primary_key=True),
        sa.Column("announced_at", Text, nullable=False),
        sa.Column("operator", Text, nullable=False),
        sa.Column("method", Text, nullable=False),  # JSON: the ranking method used
        sa.Column("awards", Text, nullable=False),  # JSON: the group's ranking as announced
        sa.Column("votes", Count, nullable=False),  # votes held when it was announced
        sa.CheckConstraint("size_group IN ('small', 'medium', 'large')", name="announced_group"),
    )
    with op.batch_alter_table("audit") as audit:
        audit.add_column(sa.Column("operator", Text))
        audit.add_column(sa.Column("repeats", Count, nullable=False, server_default="1"))
        audit.add_column(sa.Column("last_at", Text))
    op.create_index("audit_operator", "audit", ["operator"])
    op.create_index("audit_kiosk", "audit", ["kiosk"])
    op.create_index("audit_group", "audit", ["kind", "reason", "source", "source_addr"])
