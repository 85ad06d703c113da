"""Tallies kept as votes are stored, so no page or report counts the votes again.

Every page, `report` and `awards` read these few rows instead of grouping every vote per
request (docs/performance.md: the overview went from 0.26 s at 100,000 votes to 2.7 s at a
million). ``ingest`` adds a batch's new votes to them in the same transaction that stores
the votes (tallies.py); this migration fills them from the votes already held.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Count = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Text = sa.Text


def _count(name: str) -> sa.Column[int]:
    return sa.Column(name, Count, nullable=False, server_default="0")


def upgrade() -> None:
    """Create the tallies, fill them from the held votes, and index the stories."""
    op.create_table(
        "tally_districts",  # counted votes by rating, and the stories and bursts among them
        sa.Column("district", Text, primary_key=True),
        *(_count(f"r{rating}") for rating in range(1, 6)),
        _count("stories"),
        _count("burst"),
    )
    op.create_table(
        "tally_targets",  # per staff member or unit; '' and '' for votes that named nobody
        sa.Column("district", Text, nullable=False),
        sa.Column("target_kind", Text, nullable=False),
        sa.Column("target_id", Text, nullable=False),
        _count("votes"),
        _count("rating_sum"),
        sa.PrimaryKeyConstraint("district", "target_kind", "target_id"),
    )
    op.create_table(
        "tally_days",  # votes by Thai day (UTC+7) of the kiosk's clock
        sa.Column("day", Text, primary_key=True),
        _count("votes"),
    )
    op.create_table(
        "tally_sources",  # votes by how they arrived: http, usb
        sa.Column("source", Text, primary_key=True),
        _count("votes"),
    )
    # A district's newest stories, a page at a time, in the page's own order (newest first,
    # then kiosk and seq), without reading or sorting the district's other votes.
    op.create_index(
        "votes_stories",
        "votes",
        ["district", sa.text("cast_at DESC"), "kiosk", "seq"],
        sqlite_where=sa.text("story <> ''"),
        postgresql_where=sa.text("story <> ''"),
    )
    op.create_index("audit_kind", "audit", ["kind"])
    # The order batches arrived in, for `publish` to number them: SQLite's rowid said it, and
    # PostgreSQL has none. Each new batch takes the next number (placement.py).
    with op.batch_alter_table("batches") as batch:
        batch.add_column(sa.Column("arrival", Count))
    if op.get_bind().dialect.name == "sqlite":
        op.execute("UPDATE batches SET arrival = rowid")
    op.create_index("batches_arrival", "batches", ["arrival"])
    thai_day = (
        "to_char((cast_at::timestamptz AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM-DD')"
        if op.get_bind().dialect.name == "postgresql"
        # Past the year 9999 SQLite gives NULL: such a vote stays on its last day (tallies.py).
        else "COALESCE(substr(datetime(cast_at, '+7 hours'), 1, 10), substr(cast_at, 1, 10))"
    )
    ratings = ", ".join(f"SUM(CASE WHEN rating = {r} THEN 1 ELSE 0 END)" for r in range(1, 6))
    op.execute(
        "INSERT INTO tally_districts (district, r1, r2, r3, r4, r5, stories, burst)"
        f" SELECT district, {ratings}, SUM(CASE WHEN story <> '' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN burst = 1 THEN 1 ELSE 0 END) FROM votes GROUP BY district"
    )
    op.execute(
        "INSERT INTO tally_targets (district, target_kind, target_id, votes, rating_sum)"
        " SELECT district, COALESCE(target_kind, ''), COALESCE(target_id, ''), COUNT(*),"
        " SUM(rating) FROM votes"
        " GROUP BY district, COALESCE(target_kind, ''), COALESCE(target_id, '')"
    )
    op.execute(
        f"INSERT INTO tally_days (day, votes) SELECT {thai_day}, COUNT(*) FROM votes"
        f" GROUP BY {thai_day}"
    )
    op.execute(
        "INSERT INTO tally_sources (source, votes) SELECT source, COUNT(*) FROM votes"
        " GROUP BY source"
    )
