"""Atomic writes: the old file or the new one, never half, and no temporary file left."""

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from wire.files import private_sqlite_file, write_atomically


def test_writes_the_whole_file_and_leaves_nothing_else(tmp_path):
    target = tmp_path / "config.json"
    target.write_bytes(b"old")
    write_atomically(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.json"]


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "config.json"
    target.write_bytes(b"old")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)  # the disk is outside the program
    with pytest.raises(OSError, match="No space"):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.json"]


# Another process that reads the database and closes it, as `sangsuk-kiosk status` or a
# collector command does while the kiosk or the server runs.
_READ_AND_CLOSE = (
    "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
    " c.execute('SELECT COUNT(*) FROM t').fetchall(); c.close()"
)


def test_preparing_a_database_this_process_has_open_keeps_its_locks(tmp_path):
    """A database made private again while a connection holds it keeps its -wal and rows."""
    path = tmp_path / "votes.sqlite3"
    private_sqlite_file(path, "test database")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE t (n INTEGER)")
        conn.execute("INSERT INTO t VALUES (1)")
        private_sqlite_file(path, "test database")  # a second store opening the same file
        subprocess.run([sys.executable, "-c", _READ_AND_CLOSE, str(path)], check=True, timeout=60)
        assert Path(f"{path}-wal").exists(), "the other process deleted this one's -wal"
        conn.execute("INSERT INTO t VALUES (2)")
    finally:
        conn.close()
    with sqlite3.connect(path) as again:
        assert again.execute("SELECT COUNT(*) FROM t").fetchone() == (2,)
    again.close()
