"""Back up a PostgreSQL database and restore it into a fresh one, as an operator would.

pg_dump's custom format (``-Fc``) and pg_restore, of the same version as the test server
(tests/postgres.py). They run as the user the tests run as, connecting as the ``postgres`` role
over the server's private socket: the dump file is written, and read, with the test's own
rights (in its tmp_path, which only that user may enter).
"""

from __future__ import annotations

from pathlib import Path

from tests.postgres import bin_dir, libpq_url, run, unavailable


def _program(name: str) -> Path:
    """A PostgreSQL client program of the newest installed version (the test server's)."""
    found = bin_dir()
    if found is None or not (found / name).is_file():
        unavailable(f"{name} is not installed: sudo apt-get install postgresql")
    return found / name


def dump(url: str, file: Path) -> None:
    """Write the whole database at url (SQLAlchemy's form or libpq's) to file, with pg_dump -Fc."""
    run([_program("pg_dump"), "-Fc", "-f", file, "-d", libpq_url(url)], f"pg_dump of {url}")


def restore(file: Path, url: str) -> None:
    """Load a pg_dump -Fc file into the fresh, empty database at url: all of it, or nothing."""
    run(
        [
            _program("pg_restore"),
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            "-d",
            libpq_url(url),
            file,
        ],
        f"pg_restore of {file} into {url}",
    )
