"""The SQLite store's first migrations (sqlite-utils), kept to finish an old database.

Until the store moved to Alembic (migrations/), a SQLite collector database was made by these
five migrations. One made by an older release may lack the later ones: connection.py applies
what is missing, then stamps the Alembic baseline (0001), which is the same schema, and the
Alembic migrations carry on from there. Nothing new is ever added here.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "sangsuk-collector"
LEGACY_TABLE = "_sqlite_migrations"  # where sqlite-utils records what it applied
migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_collector(db: sqlite_utils.Database) -> None:
    """Create districts, tokens, kiosks, votes, quarantine, batches and audit."""
    for sql in (
        """CREATE TABLE districts (
            code TEXT PRIMARY KEY, size_group TEXT NOT NULL
                CHECK (size_group IN ('small', 'medium', 'large')),
            name_th TEXT NOT NULL, name_en TEXT NOT NULL,
            province_th TEXT NOT NULL, province_en TEXT NOT NULL)""",
        """CREATE TABLE tokens (
            token_hash TEXT PRIMARY KEY, district TEXT NOT NULL REFERENCES districts (code),
            issued_at TEXT NOT NULL, used_at TEXT, used_by TEXT)""",
        """CREATE TABLE kiosks (
            kiosk TEXT PRIMARY KEY, public_key TEXT NOT NULL UNIQUE,
            district TEXT NOT NULL REFERENCES districts (code),
            enrolled_at TEXT NOT NULL, revoked_at TEXT, last_seen TEXT, last_source TEXT,
            contiguous INTEGER NOT NULL DEFAULT 0, max_seq INTEGER NOT NULL DEFAULT 0,
            votes INTEGER NOT NULL DEFAULT 0, clock_skew_s REAL)""",
        """CREATE TABLE votes (
            kiosk TEXT NOT NULL REFERENCES kiosks (kiosk), seq INTEGER NOT NULL,
            hash TEXT NOT NULL, prev TEXT NOT NULL, district TEXT NOT NULL,
            rating INTEGER NOT NULL, target_kind TEXT, target_id TEXT, service TEXT,
            tags TEXT NOT NULL, story TEXT NOT NULL, lang TEXT NOT NULL, burst INTEGER NOT NULL,
            cast_at TEXT NOT NULL, received_at TEXT NOT NULL, source TEXT NOT NULL,
            batch TEXT NOT NULL, body BLOB NOT NULL,
            PRIMARY KEY (kiosk, seq)) WITHOUT ROWID""",
        "CREATE INDEX votes_district ON votes (district, rating)",
        """CREATE TRIGGER votes_no_update BEFORE UPDATE ON votes
           BEGIN SELECT RAISE(ABORT, 'accepted votes are never changed'); END""",
        """CREATE TRIGGER votes_no_delete BEFORE DELETE ON votes
           BEGIN SELECT RAISE(ABORT, 'accepted votes are never deleted'); END""",
        """CREATE TABLE quarantine (
            id INTEGER PRIMARY KEY, kiosk TEXT NOT NULL, seq INTEGER NOT NULL,
            hash TEXT NOT NULL, held_hash TEXT, reason TEXT NOT NULL, body BLOB NOT NULL,
            received_at TEXT NOT NULL, source TEXT NOT NULL, source_addr TEXT,
            UNIQUE (kiosk, seq, hash))""",
        """CREATE TABLE batches (
            hash TEXT PRIMARY KEY, kiosk TEXT NOT NULL, first_seq INTEGER NOT NULL,
            last_seq INTEGER NOT NULL, new_votes INTEGER NOT NULL, received_at TEXT NOT NULL,
            source TEXT NOT NULL, body BLOB NOT NULL)""",
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL,
            kiosk TEXT, source TEXT, source_addr TEXT, detail TEXT NOT NULL)""",
    ):
        db.execute(sql)


@migrations()
def m002_vote_clock(db: sqlite_utils.Database) -> None:
    """Per kiosk: how far its newest vote's clock was past the receipt time, and when measured."""
    db.execute("ALTER TABLE kiosks ADD COLUMN vote_ahead_s REAL")
    db.execute("ALTER TABLE kiosks ADD COLUMN clock_checked_at TEXT")


@migrations()
def m003_settings(db: sqlite_utils.Database) -> None:
    """Settings the central office chooses (the ranking method), by name."""
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


@migrations()
def m004_vote_bytes_once(db: sqlite_utils.Database) -> None:
    """Keep each vote's signed bytes once: in its batch, not again beside its fields.

    Every counted vote names the batch that brought it (votes.batch), and batches.body holds
    that batch's exact bytes, the vote's among them: what `publish` hands to auditors and
    `recount` re-verifies. The copy in votes.body was never read, and writing it cost a
    quarter of the time to store a vote (docs/performance.md).
    """
    db.execute("ALTER TABLE votes DROP COLUMN body")


@migrations()
def m005_replays(db: sqlite_utils.Database) -> None:
    """Per kiosk: batches that brought no new vote, counted apart from last_seen, and when."""
    db.execute("ALTER TABLE kiosks ADD COLUMN replays INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE kiosks ADD COLUMN last_replay_at TEXT")
