"""The collector database's file and connection: owner-only, durable, migrated, one writer.

Opening checks what promise 1 needs at the collector too: WAL with ``synchronous=FULL``, or the
store refuses to open. Several serving processes share the file; a write transaction starts
with ``begin_immediate``, which polls for the write lock instead of sleeping in SQLite's busy
handler.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path
from typing import Final

import sqlite_utils

from collector.store.records import StoreError
from collector.store.schema import migrations
from wire.files import private_sqlite_file

WRITE_LOCK_TIMEOUT_S: Final = 30.0
BUSY_TIMEOUT_MS: Final = 30_000


def open_database(path: Path) -> sqlite_utils.Database:
    """Open (or create) the collector database at path, owner-only, WAL, synchronous=FULL, migrated."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Owner-only (with its -wal and -shm): the database holds every vote and the audit. A
    # folder it cannot be made in (read-only, say) is left to SQLite's own error below.
    with contextlib.suppress(OSError):
        private_sqlite_file(path, "collector database")
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        conn.execute("PRAGMA synchronous = FULL")
        if str(mode).lower() != "wal" or conn.execute("PRAGMA synchronous").fetchone()[0] != 2:
            raise StoreError(
                "not_durable",
                f"the collector database {path} cannot use WAL with synchronous=FULL",
            )
        db = sqlite_utils.Database(conn)
        with db.atomic():  # all of the schema or none of it
            migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            "open_failed", f"cannot open the collector database {path}: {exc}"
        ) from exc
    return db


def begin_immediate(conn: sqlite3.Connection) -> None:
    """Start a write transaction, waiting up to WRITE_LOCK_TIMEOUT_S for the write lock."""
    # Several server processes share the file. SQLite's own busy handler sleeps 1, 2, 5,
    # 10 ... ms between tries, so a process that just missed the write lock idles long
    # after it is free; poll every half millisecond instead (no busy handler for BEGIN).
    deadline = time.monotonic() + WRITE_LOCK_TIMEOUT_S
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.0005)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
