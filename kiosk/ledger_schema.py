"""The ledger's schema (sqlite-utils migrations) and how each stored column derives from a vote.

The signed body of a vote is the only thing signed. Every other column of ``votes``, every row
of ``vote_counts``, ``undelivered`` and ``high_water`` is derived from the bodies (and the
delivery marks) by the code and triggers here, in the same transaction as the vote. ``verify``
(kiosk/ledger_verify.py) derives them again from the bodies and compares; it also rebuilds this
schema in memory and compares it with the file's, so a dropped or altered trigger is seen.
"""

from __future__ import annotations

from typing import Final, NamedTuple

import sqlite_utils
from sqlite_utils.migrations import Migrations

from wire.clock import parse_utc, thai_day
from wire.vote import Vote

MIGRATION_SET: Final = "sangsuk-kiosk-ledger"

migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_votes(db: sqlite_utils.Database) -> None:
    """Create the vote, delivery and count tables with their guarding triggers."""
    for sql in (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE votes (
            seq INTEGER PRIMARY KEY CHECK (seq >= 1),
            cast_at TEXT NOT NULL,
            local_day TEXT NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
            target TEXT NOT NULL,
            hash TEXT NOT NULL,
            body BLOB NOT NULL
        )""",
        """CREATE TRIGGER votes_no_update BEFORE UPDATE ON votes
           BEGIN SELECT RAISE(ABORT, 'votes are append-only: UPDATE is not allowed'); END""",
        """CREATE TRIGGER votes_no_delete BEFORE DELETE ON votes
           BEGIN SELECT RAISE(ABORT, 'votes are append-only: DELETE is not allowed'); END""",
        """CREATE TRIGGER votes_seq_follows BEFORE INSERT ON votes
           WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM votes)
           BEGIN SELECT RAISE(ABORT, 'seq must be one more than the last vote'); END""",
        "CREATE TABLE vote_counts (key TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID",
        """CREATE TRIGGER votes_counted AFTER INSERT ON votes BEGIN
             INSERT INTO vote_counts (key, n) VALUES
               ('total', 1), ('rating:' || NEW.rating, 1), ('day:' || NEW.local_day, 1),
               ('target:' || NEW.target, 1)
             ON CONFLICT (key) DO UPDATE SET n = n + 1;
           END""",
        """CREATE TABLE delivery (
            seq INTEGER PRIMARY KEY REFERENCES votes (seq),
            delivered_at TEXT NOT NULL,
            receipt TEXT NOT NULL
        )""",
        """CREATE TRIGGER delivery_no_update BEFORE UPDATE ON delivery
           BEGIN SELECT RAISE(ABORT, 'delivery is final: UPDATE is not allowed'); END""",
        """CREATE TRIGGER delivery_no_delete BEFORE DELETE ON delivery
           BEGIN SELECT RAISE(ABORT, 'delivery is final: DELETE is not allowed'); END""",
        """CREATE TRIGGER delivery_counted AFTER INSERT ON delivery BEGIN
             INSERT INTO vote_counts (key, n) VALUES ('delivered', 1)
             ON CONFLICT (key) DO UPDATE SET n = n + 1;
             DELETE FROM undelivered WHERE seq = NEW.seq;
           END""",
        # The seqs not yet delivered, kept by triggers, so that a page of pending votes is
        # found at once even when one early vote stays undelivered among a million.
        "CREATE TABLE undelivered (seq INTEGER PRIMARY KEY)",
        """CREATE TRIGGER votes_undelivered AFTER INSERT ON votes
           BEGIN INSERT INTO undelivered (seq) VALUES (NEW.seq); END""",
    ):
        db.execute(sql)


@migrations()
def m002_high_water(db: sqlite_utils.Database) -> None:
    """Keep the highest seq ever stored, so that a removed last vote is seen; guard ``meta``.

    A ledger made before this migration starts its mark at its last vote when it is opened.
    """
    for sql in (
        """CREATE TABLE high_water (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq INTEGER NOT NULL CHECK (seq >= 0)
        )""",
        "INSERT INTO high_water (id, seq) SELECT 1, COALESCE(MAX(seq), 0) FROM votes",
        """CREATE TRIGGER votes_high_water AFTER INSERT ON votes
           BEGIN UPDATE high_water SET seq = NEW.seq WHERE id = 1; END""",
        """CREATE TRIGGER high_water_only_rises BEFORE UPDATE ON high_water
           WHEN NEW.id IS NOT OLD.id OR NEW.seq < OLD.seq
           BEGIN SELECT RAISE(ABORT, 'the high-water mark only rises'); END""",
        """CREATE TRIGGER high_water_no_delete BEFORE DELETE ON high_water
           BEGIN SELECT RAISE(ABORT, 'the high-water mark is never deleted'); END""",
        """CREATE TRIGGER high_water_one_row BEFORE INSERT ON high_water
           BEGIN SELECT RAISE(ABORT, 'the high-water mark is one row'); END""",
        """CREATE TRIGGER meta_no_update BEFORE UPDATE ON meta
           BEGIN SELECT RAISE(ABORT, 'meta is final: UPDATE is not allowed'); END""",
        """CREATE TRIGGER meta_no_delete BEFORE DELETE ON meta
           BEGIN SELECT RAISE(ABORT, 'meta is final: DELETE is not allowed'); END""",
    ):
        db.execute(sql)


def target_key(vote_target: tuple[str, str] | None) -> str:
    """Return the key a target is counted under: 'staff:ID', 'unit:ID' or 'none'."""
    return "none" if vote_target is None else f"{vote_target[0]}:{vote_target[1]}"


class VoteColumns(NamedTuple):
    """The columns of ``votes`` besides seq, hash and body, as the signed body says them."""

    cast_at: str
    local_day: str
    rating: int
    target: str


def vote_columns(vote: Vote) -> VoteColumns:
    """Derive the stored columns from a vote: the ledger writes these and verify expects them."""
    target = vote.ballot.target
    return VoteColumns(
        vote.cast_at,
        thai_day(parse_utc(vote.cast_at)).isoformat(),
        vote.ballot.rating,
        target_key((target.kind, target.id) if target else None),
    )
