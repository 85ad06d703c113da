"""How many of a campaign's votes came by USB, per district (issue 20).

The overview shows how the votes arrived, by network or on a stick. For every vote it reads
``tally_sources``; for one campaign it needs the same kept beside the campaign's tally, so
``tally_campaigns`` gains ``usb``: the district's votes of the campaign that arrived by USB (the
others came by network). Filled here from the votes held.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

Count = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Add tally_campaigns.usb and count it from the votes held."""
    op.add_column("tally_campaigns", sa.Column("usb", Count, nullable=False, server_default="0"))
    op.execute(
        "UPDATE tally_campaigns SET usb = (SELECT COUNT(*) FROM votes v JOIN campaigns c"
        " ON c.year = tally_campaigns.campaign WHERE v.district = tally_campaigns.district"
        " AND v.source = 'usb' AND v.placed_at >= c.starts_at AND v.placed_at < c.ends_at)"
    )


def downgrade() -> None:
    """Drop tally_campaigns.usb."""
    with op.batch_alter_table("tally_campaigns") as table:
        table.drop_column("usb")
