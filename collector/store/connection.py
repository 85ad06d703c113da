"""The collector database's file and connection: owner-only, durable, migrated, one writer.

Opening checks what promise 1 needs at the collector too: WAL with ``synchronous=FULL``, or the
store refuses to open. Several serving processes share the file; a write transaction starts
with ``begin_immediate``, which polls for the write lock instead of sleeping in SQLite's busy
handler.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import time
from pathlib import Path
from typing import Final

import sqlite_utils

from collector.store.records import StoreError
from collector.store.schema import migrations

WRITE_LOCK_TIMEOUT_S: Final = 30.0
BUSY_TIMEOUT_MS: Final = 30_000
DB_FILE_MODE: Final = 0o600  # owner-only: the database holds every vote and the audit
SQLITE_SIDE_FILES: Final = ("-wal", "-shm", "-journal")
log = logging.getLogger(__name__)


def open_database(path: Path) -> sqlite_utils.Database:
    """Open (or create) the collector database at path, owner-only, WAL, synchronous=FULL, migrated."""
    path.parent.mkdir(parents=True, exist_ok=True)
    restrict_to_owner(path)
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


def restrict_to_owner(path: Path) -> None:
    """Make the database file owner-only (0600), or tighten an existing one and its WAL files.

    A new file is created 0600 before SQLite opens it, so the -wal and -shm files SQLite makes
    beside it get 0600 too. An existing file (and any -wal, -shm or -journal beside it) loses
    every permission of group and others, with a log line. Nothing to do on Windows.
    """
    if os.name != "posix":
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, DB_FILE_MODE))
        return
    except FileExistsError:
        pass
    except OSError:  # e.g. a read-only folder: SQLite's own error says it better
        return
    for file in (path, *(path.with_name(path.name + s) for s in SQLITE_SIDE_FILES)):
        try:
            st = os.stat(file)
        except OSError:
            continue
        mode = stat.S_IMODE(st.st_mode)
        if not stat.S_ISREG(st.st_mode) or not mode & 0o077:
            continue
        try:
            os.chmod(file, mode & 0o700)
        except OSError as exc:
            log.warning(
                "%s can be read by others (mode %o) and cannot be made owner-only: %s",
                file,
                mode,
                exc.strerror or exc,
            )
        else:
            log.warning(
                "made %s owner-only (mode %o, was %o): it holds votes", file, mode & 0o700, mode
            )
