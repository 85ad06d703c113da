"""Districts, tokens, kiosks, votes, quarantine, batches, audit and settings.

The schema the SQLite store had reached by its last sqlite-utils migration (m005), written
once for both backends. A SQLite database made by those migrations is stamped with this
revision when it first opens (connection.py), not made again.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# A whole number that may pass 2**31 (a kiosk's seq, a count): BIGINT on PostgreSQL; SQLite's
# INTEGER is 64-bit already, and only "INTEGER PRIMARY KEY" is the rowid.
Count = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Text = sa.Text


def upgrade() -> None:
    """Create the tables, and make accepted votes impossible to change or delete."""
    op.create_table(
        "districts",
        sa.Column("code", Text, primary_key=True),
        sa.Column("size_group", Text, nullable=False),
        sa.Column("name_th", Text, nullable=False),
        sa.Column("name_en", Text, nullable=False),
        sa.Column("province_th", Text, nullable=False),
        sa.Column("province_en", Text, nullable=False),
        sa.CheckConstraint("size_group IN ('small', 'medium', 'large')", name="size_group"),
    )
    op.create_table(
        "tokens",
        sa.Column("token_hash", Text, primary_key=True),
        sa.Column("district", Text, sa.ForeignKey("districts.code"), nullable=False),
        sa.Column("issued_at", Text, nullable=False),
        sa.Column("used_at", Text),
        sa.Column("used_by", Text),
    )
    op.create_table(
        "kiosks",
        sa.Column("kiosk", Text, primary_key=True),
        sa.Column("public_key", Text, nullable=False, unique=True),
        sa.Column("district", Text, sa.ForeignKey("districts.code"), nullable=False),
        sa.Column("enrolled_at", Text, nullable=False),
        sa.Column("revoked_at", Text),
        sa.Column("last_seen", Text),
        sa.Column("last_source", Text),
        sa.Column("contiguous", Count, nullable=False, server_default="0"),
        sa.Column("max_seq", Count, nullable=False, server_default="0"),
        sa.Column("votes", Count, nullable=False, server_default="0"),
        sa.Column("clock_skew_s", sa.Float),
        sa.Column("vote_ahead_s", sa.Float),
        sa.Column("clock_checked_at", Text),
        sa.Column("replays", Count, nullable=False, server_default="0"),
        sa.Column("last_replay_at", Text),
    )
    op.create_table(
        "votes",
        sa.Column("kiosk", Text, sa.ForeignKey("kiosks.kiosk"), nullable=False),
        sa.Column("seq", Count, nullable=False),
        sa.Column("hash", Text, nullable=False),
        sa.Column("prev", Text, nullable=False),
        sa.Column("district", Text, nullable=False),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("target_kind", Text),
        sa.Column("target_id", Text),
        sa.Column("service", Text),
        sa.Column("tags", Text, nullable=False),
        sa.Column("story", Text, nullable=False),
        sa.Column("lang", Text, nullable=False),
        sa.Column("burst", sa.Integer, nullable=False),
        sa.Column("cast_at", Text, nullable=False),
        sa.Column("received_at", Text, nullable=False),
        sa.Column("source", Text, nullable=False),
        sa.Column("batch", Text, nullable=False),
        sa.PrimaryKeyConstraint("kiosk", "seq"),
        sqlite_with_rowid=False,
    )
    op.create_index("votes_district", "votes", ["district", "rating"])
    op.create_table(
        "quarantine",
        sa.Column("id", Count, primary_key=True, autoincrement=True),
        sa.Column("kiosk", Text, nullable=False),
        sa.Column("seq", Count, nullable=False),
        sa.Column("hash", Text, nullable=False),
        sa.Column("held_hash", Text),
        sa.Column("reason", Text, nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("received_at", Text, nullable=False),
        sa.Column("source", Text, nullable=False),
        sa.Column("source_addr", Text),
        sa.UniqueConstraint("kiosk", "seq", "hash"),
    )
    op.create_table(
        "batches",
        sa.Column("hash", Text, primary_key=True),
        sa.Column("kiosk", Text, nullable=False),
        sa.Column("first_seq", Count, nullable=False),
        sa.Column("last_seq", Count, nullable=False),
        sa.Column("new_votes", Count, nullable=False),
        sa.Column("received_at", Text, nullable=False),
        sa.Column("source", Text, nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("id", Count, primary_key=True, autoincrement=True),
        sa.Column("at", Text, nullable=False),
        sa.Column("kind", Text, nullable=False),
        sa.Column("reason", Text, nullable=False),
        sa.Column("kiosk", Text),
        sa.Column("source", Text),
        sa.Column("source_addr", Text),
        sa.Column("detail", Text, nullable=False),
    )
    op.create_table(
        "settings",
        sa.Column("key", Text, primary_key=True),
        sa.Column("value", Text, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        # One function raises with the trigger's own message. TRUNCATE skips row triggers,
        # so it is refused by a statement trigger of its own.
        op.execute(
            "CREATE FUNCTION sangsuk_refuse() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$"
        )
        for name, when, message in (
            ("votes_no_update", "BEFORE UPDATE", "accepted votes are never changed"),
            ("votes_no_delete", "BEFORE DELETE", "accepted votes are never deleted"),
        ):
            op.execute(
                f"CREATE TRIGGER {name} {when} ON votes FOR EACH ROW"
                f" EXECUTE FUNCTION sangsuk_refuse('{message}')"
            )
        op.execute(
            "CREATE TRIGGER votes_no_truncate BEFORE TRUNCATE ON votes FOR EACH STATEMENT"
            " EXECUTE FUNCTION sangsuk_refuse('accepted votes are never deleted')"
        )
    else:
        op.execute(
            "CREATE TRIGGER votes_no_update BEFORE UPDATE ON votes"
            " BEGIN SELECT RAISE(ABORT, 'accepted votes are never changed'); END"
        )
        op.execute(
            "CREATE TRIGGER votes_no_delete BEFORE DELETE ON votes"
            " BEGIN SELECT RAISE(ABORT, 'accepted votes are never deleted'); END"
        )
