"""The console's second step at login: each operator's TOTP secret, recovery codes, pending logins.

An operator may turn on a second step (a 6-digit code from a phone authenticator app, RFC 6238)
and an admin may require it of officers and admins (collector/auth/second_step.py):

1. ``second_steps``: one row per operator who began or finished setting it up: the base32
   secret (readable by anyone who can read the database, docs/operations.md "Second step"),
   when it was turned on (NULL while only proposed on the setup page) and the last time step a
   code was accepted for, so a code used once is refused on every server (replay).
2. ``recovery_codes``: the one-time codes shown once when it is turned on, stored salted and
   hashed; used_at is set when one is used (each works once).
3. ``pending_logins``: a password accepted, the code not yet: the browser's cookie secret as its
   SHA-256 (like sessions), its own CSRF value, what is asked next ('code' or 'setup'), where
   the operator was going, and when it ends (five minutes after the password).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

Count = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Text = sa.Text


def upgrade() -> None:
    """Create second_steps, recovery_codes and pending_logins."""
    op.create_table(
        "second_steps",
        sa.Column("operator", Text, sa.ForeignKey("operators.name"), primary_key=True),
        sa.Column("secret", Text, nullable=False),  # base32, as the authenticator app reads it
        sa.Column("created_at", Text, nullable=False),
        sa.Column("enabled_at", Text),  # NULL: proposed on the setup page, not confirmed yet
        sa.Column("last_step", Count),  # the newest 30-second step a code was accepted for
    )
    op.create_table(
        "recovery_codes",
        sa.Column("operator", Text, sa.ForeignKey("operators.name"), nullable=False),
        sa.Column("code_hash", Text, nullable=False),  # '<salt hex>$<SHA-256 hex>'
        sa.Column("created_at", Text, nullable=False),
        sa.Column("used_at", Text),
        sa.PrimaryKeyConstraint("operator", "code_hash"),
    )
    op.create_table(
        "pending_logins",
        sa.Column("token_hash", Text, primary_key=True),  # SHA-256 of the cookie's secret
        sa.Column("operator", Text, sa.ForeignKey("operators.name"), nullable=False),
        sa.Column("csrf", Text, nullable=False),
        sa.Column("purpose", Text, nullable=False),
        sa.Column("next", Text, nullable=False),
        sa.Column("created_at", Text, nullable=False),
        sa.Column("expires_at", Text, nullable=False),
        sa.CheckConstraint("purpose IN ('code', 'setup')", name="pending_purpose"),
    )
    op.create_index("pending_logins_operator", "pending_logins", ["operator"])


def downgrade() -> None:
    """Drop them (every operator logs in with the password alone again)."""
    op.drop_index("pending_logins_operator", "pending_logins")
    op.drop_table("pending_logins")
    op.drop_table("recovery_codes")
    op.drop_table("second_steps")
