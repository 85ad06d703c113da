"""The facts of each audit row, kept apart from its English words, so the console can say it.

An audit row's ``detail`` is an English sentence written when the row was made; an officer who
reads only Thai could not tell from it what happened. From this revision a row also keeps the
facts its sentence was made of (who was added and as what, the district of a token, the seq of
a quarantined vote, the counts of an import ...) as a JSON object of names to numbers and
codes, never words; the audit page words them in the reader's language
(collector/routes/audit_words.py). One column:

1. ``audit.facts``: the JSON object, or NULL for a row written before this revision (the page
   then says what it can from the row's kind, reason, kiosk and operator, and shows the
   English detail as it was written).

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add audit.facts."""
    op.add_column("audit", sa.Column("facts", sa.Text))


def downgrade() -> None:
    """Drop it again, in place (SQLite 3.35 and later drop a plain column in place); the
    English details stay."""
    op.drop_column("audit", "facts")
