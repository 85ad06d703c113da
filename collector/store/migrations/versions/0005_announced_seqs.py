"""The votes each announcement counted, kept as runs of seqs per kiosk (issue 20).

An announcement freezes a size group's awards. For a publication made later to recount to
exactly those awards, it must name exactly the votes they were decided on, even after votes of
the same period arrive late (a USB stick weeks after the end, a gap in a chain filled): so the
announcing transaction writes the runs of seqs of every kiosk it counted (every kiosk's, as the
national mean of them all is part of a group's ranking; collector/store/runs.py).

Announcements made before this migration are given the runs of the votes of their campaign (or
of every vote, campaign 0) that had arrived by the announcement's time: the
best that can be known afterwards, and exact unless a batch was being stored in the very second
of the announcement.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

Count = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Text = sa.Text


def upgrade() -> None:
    """Create announced_seqs and fill it for the announcements already made."""
    op.create_table(
        "announced_seqs",
        sa.Column("campaign", sa.Integer, nullable=False),
        sa.Column("size_group", Text, nullable=False),
        sa.Column("kiosk", Text, sa.ForeignKey("kiosks.kiosk"), nullable=False),
        sa.Column("first_seq", Count, nullable=False),
        sa.Column("last_seq", Count, nullable=False),
        sa.PrimaryKeyConstraint("campaign", "size_group", "kiosk", "first_seq"),
        sa.CheckConstraint("first_seq >= 1 AND first_seq <= last_seq", name="announced_run"),
    )
    # Gaps and islands: within a kiosk, seq - row_number() is the same along a run of seqs.
    op.execute(
        "INSERT INTO announced_seqs (campaign, size_group, kiosk, first_seq, last_seq)"
        " SELECT campaign, size_group, kiosk, MIN(seq), MAX(seq) FROM ("
        "  SELECT a.campaign, a.size_group, v.kiosk, v.seq, v.seq - ROW_NUMBER() OVER"
        "   (PARTITION BY a.campaign, a.size_group, v.kiosk ORDER BY v.seq) AS island"
        "  FROM campaign_announcements a"
        "  JOIN votes v ON v.received_at <= a.announced_at"
        "  LEFT JOIN campaigns c ON c.year = a.campaign"
        "  WHERE a.campaign = 0 OR (v.placed_at >= c.starts_at AND v.placed_at < c.ends_at)"
        " ) runs GROUP BY campaign, size_group, kiosk, island"
    )


def downgrade() -> None:
    """Drop announced_seqs."""
    op.drop_table("announced_seqs")
