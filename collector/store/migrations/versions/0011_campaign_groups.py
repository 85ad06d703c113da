"""A campaign's own size groups: what a later classification must not change.

The awards of a campaign are decided within the size groups of its year. ``districts.size_group``
is the department's current classification; a campaign follows it until a classification is
loaded that applies only from a later campaign on (collector/store/classification.py). Then the
earlier campaigns keep, in this table, the groups they had, so their rankings, reports and
publications stay as they were. One table:

1. ``campaign_groups``: (campaign, district) with the size group the district has in that
   campaign. A campaign with no rows here follows ``districts``.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create campaign_groups."""
    op.create_table(
        "campaign_groups",
        sa.Column("campaign", sa.Integer, sa.ForeignKey("campaigns.year"), nullable=False),
        sa.Column("district", sa.Text, sa.ForeignKey("districts.code"), nullable=False),
        sa.Column("size_group", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("campaign", "district"),
        sa.CheckConstraint(
            "size_group IN ('small', 'medium', 'large')", name="campaign_groups_size_group"
        ),
    )


def downgrade() -> None:
    """Drop it again."""
    op.drop_table("campaign_groups")
