"""Campaigns, and the time each vote is placed at (issue 20).

A campaign is a period of Thai days with its names and slogan, one per Buddhist-era year. A
vote belongs to the campaign whose period holds its ``placed_at``: the time the collector
decided for it when it arrived (placement.py: the kiosk's clock, corrected when the collector
found that clock off, never after the vote's receipt, never before the kiosk's enrollment, and
never out of order in the kiosk's chain). It is written once, with the vote, and never changes:
a campaign defined later takes the votes whose placed time its period holds.

Votes held before this migration are placed by their own clock, bounded the same way (their
receipt, their kiosk's enrollment, and the running latest of the votes before them in their
chain); no correction is made for them, as no skew was kept per batch.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

Count = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Text = sa.Text


def upgrade() -> None:
    """Create campaigns, add placed_at to votes and place the votes already held."""
    op.create_table(
        "campaigns",
        sa.Column("year", sa.Integer, primary_key=True),  # Buddhist era, e.g. 2569
        sa.Column("name_th", Text, nullable=False),
        sa.Column("name_en", Text, nullable=False),
        sa.Column("starts_on", Text, nullable=False),  # first Thai day, YYYY-MM-DD (Gregorian)
        sa.Column("ends_on", Text, nullable=False),  # last Thai day, included
        sa.Column("starts_at", Text, nullable=False),  # UTC: 00:00 Thai time of starts_on
        sa.Column("ends_at", Text, nullable=False),  # UTC: 00:00 Thai time after ends_on
        sa.Column("slogan_th", Text, nullable=False),
        sa.Column("slogan_en", Text, nullable=False),
        sa.Column("created_at", Text, nullable=False),
        sa.Column("created_by", Text),
        sa.CheckConstraint("starts_at < ends_at", name="campaign_period"),
    )
    op.add_column("votes", sa.Column("placed_at", Text))
    postgresql = op.get_bind().dialect.name == "postgresql"
    lower, upper = ("LEAST", "GREATEST") if postgresql else ("MIN", "MAX")
    # Accepted votes are never changed: the trigger stands aside for this one filling only.
    if postgresql:
        op.execute("ALTER TABLE votes DISABLE TRIGGER votes_no_update")
    else:
        op.execute("DROP TRIGGER votes_no_update")
    op.execute(
        "WITH p AS (SELECT v.kiosk, v.seq, MAX("
        f"{upper}({lower}(v.cast_at, v.received_at), k.enrolled_at))"
        " OVER (PARTITION BY v.kiosk ORDER BY v.seq) AS at"
        " FROM votes v JOIN kiosks k ON k.kiosk = v.kiosk)"
        " UPDATE votes SET placed_at = p.at FROM p"
        " WHERE votes.kiosk = p.kiosk AND votes.seq = p.seq"
    )
    if postgresql:
        op.execute("ALTER TABLE votes ENABLE TRIGGER votes_no_update")
    else:
        op.execute(
            "CREATE TRIGGER votes_no_update BEFORE UPDATE ON votes"
            " BEGIN SELECT RAISE(ABORT, 'accepted votes are never changed'); END"
        )
    op.create_index("votes_placed", "votes", ["placed_at"])
    op.create_table(
        "tally_campaigns",  # a campaign's counted votes by district: tally_districts' columns
        sa.Column("campaign", sa.Integer, nullable=False),
        sa.Column("district", Text, nullable=False),
        *(sa.Column(f"r{r}", Count, nullable=False, server_default="0") for r in range(1, 6)),
        sa.Column("stories", Count, nullable=False, server_default="0"),
        sa.Column("burst", Count, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("campaign", "district"),
    )
    # A size group's awards are announced per campaign: the key becomes (campaign, group).
    # Announcements made before campaigns keep campaign 0: they were made over every vote.
    op.create_table(
        "campaign_announcements",
        sa.Column("campaign", sa.Integer, nullable=False),
        sa.Column("size_group", Text, nullable=False),
        sa.Column("announced_at", Text, nullable=False),
        sa.Column("operator", Text, nullable=False),
        sa.Column("method", Text, nullable=False),  # JSON: the ranking method used
        sa.Column("awards", Text, nullable=False),  # JSON: the group's ranking as announced
        sa.Column("votes", Count, nullable=False),  # the campaign's votes when announced
        sa.PrimaryKeyConstraint("campaign", "size_group"),
        sa.CheckConstraint(
            "size_group IN ('small', 'medium', 'large')", name="campaign_announced_group"
        ),
    )
    op.execute(
        "INSERT INTO campaign_announcements (campaign, size_group, announced_at, operator,"
        " method, awards, votes) SELECT 0, size_group, announced_at, operator, method, awards,"
        " votes FROM announcements"
    )
    op.drop_table("announcements")
