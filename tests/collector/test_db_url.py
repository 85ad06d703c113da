"""The collector on a PostgreSQL database named by a libpq URL (postgres://), as an IT engineer
types it: it opens, is shown as typed, and an unexpected failure names the real log file."""

from __future__ import annotations

import re

from collector.cli import main
from tests.postgres import database_of, libpq_url


def _short(url: str) -> str:
    """libpq's shortest spelling of the URL: postgres://."""
    return re.sub(r"^postgresql://", "postgres://", libpq_url(url))


def test_a_postgres_url_opens_and_is_shown_as_typed(pg_url, capsys):
    typed = _short(pg_url)
    assert main(["districts", "--load", "demo", "--db", typed]) == 0
    assert main(["kiosks", "--db", typed]) == 0
    out, err = capsys.readouterr()
    assert "NoSuchModuleError" not in out + err
    assert "psycopg://" not in out + err


def test_an_unexpected_failure_names_the_log_in_the_collector_home(
    pg_url, postgres_server, tmp_path, capsys
):
    typed = _short(pg_url)
    assert main(["districts", "--load", "demo", "--db", typed]) == 0
    postgres_server.psql("DROP TABLE kiosks CASCADE", database=database_of(pg_url))
    capsys.readouterr()
    assert main(["kiosks", "--db", typed]) == 2
    err = capsys.readouterr().err
    log = tmp_path / "collector-home" / "logs" / "collector.log"
    assert f"the details are in the log {log}." in err
    assert "beside the database" not in err
    assert "kiosks failed" in log.read_text()


def test_a_sqlite_failure_names_the_log_beside_the_file(tmp_path, capsys):
    db = tmp_path / "central" / "collector.sqlite3"
    assert main(["districts", "--load", "demo", "--db", str(db)]) == 0
    import sqlite3

    with sqlite3.connect(db) as raw:
        raw.execute("DROP TABLE kiosks")
    capsys.readouterr()
    assert main(["kiosks", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert str(db.parent / "logs" / "collector.log") in err
