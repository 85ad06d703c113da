"""When each console session's operator last proved who they are: for "sudo mode".

A sensitive action in the console (an account changed, a setting, a kiosk revoked, the awards
announced; collector/auth/web.py ``recently_confirmed``) is done only within
accounts.CONFIRM_WINDOW of the operator's last proof: the login, or the "confirm it's you" page
(collector/routes/confirm.py). One column:

1. ``confirmed_at``: when the session's operator last typed their password (and code, with the
   second step on) for it. NULL for sessions started before this revision: they read as
   confirmed when they started (``created_at``), which is when their login was.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add sessions.confirmed_at."""
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("confirmed_at", sa.Text))


def downgrade() -> None:
    """Drop it again."""
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("confirmed_at")
