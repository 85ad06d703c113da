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
    with op.batch_alter_table("kiosks") as batch:
        batch.add_column(sa.Column("software", sa.Text))


def downgrade() -> None:
    """Drop it again."""
    with op.batch_alter_table("kiosks") as batch:
        batch.drop_column("software")
