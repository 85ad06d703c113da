"""The overview's figures of one campaign, kept: its kiosks, and its days by placed time.

The overview of a campaign showed some figures of every vote held: the kiosks reporting were
those with any vote, and the votes per day were counted by the kiosk's clock, so a campaign's
bars left out its votes from a kiosk whose clock was a year ahead (placed by their receipt,
placement.py) and could take in votes of another campaign. Two tallies make them the
campaign's, read without grouping the votes (tallies.py):

1. ``tally_campaign_kiosks``: for each campaign, each kiosk with votes placed in it, how many
   and when the newest of them was received. The kiosks a campaign's publication names
   (store/runs.py) are exactly these.
2. ``tally_days`` counts each vote on the Thai day of its placed time, no longer of its kiosk's
   clock: a campaign's days then hold exactly its votes. Counted again here from the votes held.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

Count = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _thai_day(column: str) -> str:
    """The Thai day (UTC+7) of a protocol timestamp column, in this backend's SQL (as 0002)."""
    if op.get_bind().dialect.name == "postgresql":
        return (
            f"to_char(({column}::timestamptz AT TIME ZONE 'UTC') + interval '7 hours',"
            " 'YYYY-MM-DD')"
        )
    # Past the year 9999 SQLite gives NULL: such a vote stays on its last day (tallies.py).
    return f"COALESCE(substr(datetime({column}, '+7 hours'), 1, 10), substr({column}, 1, 10))"


def _count_days(column: str) -> None:
    day = _thai_day(column)
    op.execute("DELETE FROM tally_days")
    op.execute(
        f"INSERT INTO tally_days (day, votes) SELECT {day}, COUNT(*) FROM votes GROUP BY {day}"
    )


def upgrade() -> None:
    """Create tally_campaign_kiosks and count it and tally_days from the votes held."""
    op.create_table(
        "tally_campaign_kiosks",
        sa.Column("campaign", sa.Integer, nullable=False),
        sa.Column("kiosk", sa.Text, nullable=False),
        sa.Column("votes", Count, nullable=False, server_default="0"),
        sa.Column("last_received", sa.Text, nullable=False),  # the newest one's received_at
        sa.PrimaryKeyConstraint("campaign", "kiosk"),
    )
    op.execute(
        "INSERT INTO tally_campaign_kiosks (campaign, kiosk, votes, last_received)"
        " SELECT c.year, v.kiosk, COUNT(*), MAX(v.received_at) FROM votes v JOIN campaigns c"
        " ON v.placed_at >= c.starts_at AND v.placed_at < c.ends_at GROUP BY c.year, v.kiosk"
    )
    _count_days("placed_at")


def downgrade() -> None:
    """Drop tally_campaign_kiosks; count tally_days by the kiosk's clock again."""
    op.drop_table("tally_campaign_kiosks")
    _count_days("cast_at")
