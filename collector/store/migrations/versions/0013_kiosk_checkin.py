"""When an idle kiosk last checked in: a sign of life that brings no new vote.

A kiosk with nothing to send checks in once a day over the network: it sends its newest
delivered vote again, in a batch it signs anew (sync/worker.py, docs/protocol.md 4.4). Such a
batch brings no new vote, like a replay, and a replay is no sign of life, since anyone holding a
publication can send its batches again. What tells a check-in from a replay is its ``made_at``:
the kiosk signs it now, so it is later than every batch the collector has had from that kiosk,
while a replayed batch is one of them. Two columns:

1. ``kiosks.newest_made_at``: the latest ``made_at`` of the kiosk's accepted batches, by
   either path (protocol timestamps, which sort as text); NULL while it has sent none. The
   batches stored before this revision are not read again (their bytes may be gigabytes): a
   kiosk that has any is given the moment of the upgrade, so none of them, replayed, can pass
   for a check-in.
2. ``kiosks.last_checkin``: the receipt time of the latest batch that brought no new vote but
   was later than every earlier one; the kiosks page and `sangsuk-collector kiosks` show it, and a
   kiosk that checked in is not silent.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add kiosks.newest_made_at and kiosks.last_checkin."""
    op.add_column("kiosks", sa.Column("newest_made_at", sa.Text))
    op.add_column("kiosks", sa.Column("last_checkin", sa.Text))
    now = datetime.now(UTC)
    stamp = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
    op.execute(
        sa.text(
            "UPDATE kiosks SET newest_made_at = :now"
            " WHERE EXISTS (SELECT 1 FROM batches b WHERE b.kiosk = kiosks.kiosk)"
        ).bindparams(now=stamp)
    )


def downgrade() -> None:
    """Drop them again, in place (as 0012 does)."""
    op.drop_column("kiosks", "last_checkin")
    op.drop_column("kiosks", "newest_made_at")
