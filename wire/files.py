"""Files that hold votes, for both programs: written so that a crash leaves the old file or the
new one, never half, and kept owner-only, because they hold citizens' votes and stories.

Privacy of the data folder: a file the kiosk creates there (the ledger and its ``-wal`` and
``-shm``, receipts, settings, roster, logs) is readable by its owner only (``0600``), a folder
it creates is ``0700``, and ``keep_private`` (for the whole data folder, kiosk/paths.py's
``keep_folder_private``) takes group and other permissions off any
file an older version left readable, with a log line for each. On Windows, where ``chmod`` only
sets the read-only flag, the folder's ACL (the user's own profile) is what keeps it private.
A USB stick is none of this: FAT has no owners, and its files are meant to travel. The
collector keeps its database and its log owner-only in the same way.
"""

from __future__ import annotations

import contextlib
import errno
import io
import logging
import logging.handlers
import os
import stat
import tempfile
from pathlib import Path
from typing import Final

PRIVATE_FILE_MODE: Final = 0o600
PRIVATE_DIR_MODE: Final = 0o700
log = logging.getLogger(__name__)


def make_private_dir(folder: Path) -> None:
    """Create folder (and its parents) if missing; the folder itself owner-only (``0700``)."""
    folder.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)


def private_opener(path: str, flags: int) -> int:
    """An ``opener`` for ``open()`` that creates a missing file owner-only (``0600``)."""
    return os.open(path, flags, PRIVATE_FILE_MODE)


def keep_private(path: Path, what: str = "file") -> None:
    """Take group and other permissions off an existing file (POSIX), saying so in the log."""
    if os.name != "posix":
        return
    try:
        st = path.lstat()
    except FileNotFoundError:
        return
    mode = stat.S_IMODE(st.st_mode)
    if stat.S_ISLNK(st.st_mode) or not mode & 0o077:
        return
    try:
        path.chmod(mode & ~0o077)
    except OSError as exc:
        log.error(
            "the %s %s is readable by others (mode %o) and cannot be tightened: %s",
            what, path, mode, exc,
        )  # fmt: skip
        return
    log.warning(
        "the %s %s was readable by others (mode %o); it is now %o (owner only)",
        what, path, mode, mode & ~0o077,
    )  # fmt: skip


# SQLite's files beside a database, which hold the same votes until a checkpoint.
SQLITE_SIDE_FILES: Final = ("-wal", "-shm", "-journal")


def private_sqlite_file(path: Path, what: str) -> None:
    """Before SQLite opens path: create it owner-only, or tighten it and its side files.

    SQLite gives the ``-wal`` and ``-shm`` it creates the mode of the database file, so a file
    made ``0600`` here keeps all three owner-only. Raises OSError if the file cannot be made.
    """
    # An existing database is never opened here, only created when missing (O_EXCL). On POSIX,
    # closing *any* descriptor of a file drops every lock this process holds on it, those of
    # SQLite's open connections included; another process closing the database would then
    # take itself for the last user and delete the -wal that holds this process's votes
    # (SQLite's "How To Corrupt", 2.2). SQLite alone may open a database that it has open.
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_RDONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    for file in (path, *(path.with_name(path.name + s) for s in SQLITE_SIDE_FILES)):
        keep_private(file, what)


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file, the first and each one after a rollover, is owner-only.

    A log line can quote what a clerk typed, name a staff member or a client's address.
    """

    def __init__(self, filename: Path, max_bytes: int = 2_000_000, backups: int = 5) -> None:
        """Log to filename, rotated at max_bytes with backups old files; an existing one tightened."""
        super().__init__(filename, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
        keep_private(filename, "log")

    def _open(self) -> io.TextIOWrapper:
        # A rotating handler always appends ("a"); only the mode of a new file differs.
        return open(
            self.baseFilename,
            "a",
            encoding=self.encoding,
            errors=self.errors,
            opener=private_opener,
        )


def read_only_uri(path: Path) -> str:
    """The URI that opens the SQLite file at path read-only (``sqlite3.connect(uri, uri=True)``)."""
    # as_uri() percent-encodes the path, so a folder named "kiosk #2" or "100%" works.
    return path.resolve().as_uri() + "?mode=ro"


def fsync_dir(directory: Path) -> None:
    """Make a rename in directory durable (POSIX); file systems that cannot do it are let be."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:  # some USB file systems cannot fsync a folder; the file was fsynced
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes) -> None:
    """Write data to path via a unique temporary file, fsynced, renamed, the folder fsynced.

    The file is owner-only (``0600``): the temporary file is made so, and the rename keeps it.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)
