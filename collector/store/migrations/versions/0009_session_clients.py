"""Where each console session was started: the address and the browser, for the session list.

An operator's own account page lists the sessions open in their name (collector/routes/
sessions.py), so a login left open on another computer can be seen and ended. Two columns,
both NULL for sessions started before this revision (they show as "not recorded"):

1. ``addr``: the client's address as the collector saw it (behind a reverse proxy, the address
   the proxy passed on, as the audit records it).
2. ``agent``: the browser's User-Agent header, cut to 300 characters.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add sessions.addr and sessions.agent."""
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("addr", sa.Text))
        batch.add_column(sa.Column("agent", sa.Text))


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("agent")
        batch.drop_column("addr")
