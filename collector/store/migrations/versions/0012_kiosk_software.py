"""Which software each kiosk last said it runs: for checking that a signed update reached them.

A kiosk's sender names its version in every request (``User-Agent: sangsuk-kiosk/<version>``,
wire/agent.py). The collector keeps, per kiosk, the last version that came with an accepted
network batch, in the same write as its last_seen; the kiosks page and `sangsuk-collector
kiosks` show it. It is advice, never used for counting (docs/protocol.md). One column:

1. ``kiosks.software``: the version, or NULL while no accepted network batch has named one
   (kiosks heard from only on a USB stick, or before this revision).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add kiosks.software."""
    op.add_column("kiosks", sa.Column("software", sa.Text))


def downgrade() -> None:
    """Drop it again, in place: a batch would copy the table, and SQLite refuses to drop
    ``kiosks`` while votes refer to it (SQLite 3.35 and later drop a plain column in place)."""
    op.drop_column("kiosks", "software")
