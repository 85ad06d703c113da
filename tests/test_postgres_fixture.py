"""The throwaway PostgreSQL server of tests/postgres.py: private, durable, a database per test,
and gone with the session; and the backup helpers of tests/pg_backup.py."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import pg_backup
from tests.postgres import (
    PORT,
    PostgresServer,
    bin_dir,
    client_env,
    database_of,
    installed,
    libpq_url,
)

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_the_server_listens_only_on_its_own_private_socket(postgres_server: PostgresServer) -> None:
    assert postgres_server.psql("SHOW listen_addresses") == ""  # no TCP port at all
    assert postgres_server.psql("SHOW unix_socket_directories") == str(postgres_server.socket_dir)
    assert (postgres_server.socket_dir / f".s.PGSQL.{PORT}").is_socket()
    assert postgres_server.socket_dir.stat().st_mode & 0o077 == 0  # no other user may connect
    assert postgres_server.directory.name.startswith("sangsuk-pg-")
    assert postgres_server.psql("SHOW server_encoding") == "UTF8"


def test_the_server_flushes_every_commit_to_disk(postgres_server: PostgresServer) -> None:
    for setting in ("fsync", "synchronous_commit", "full_page_writes"):
        assert postgres_server.psql(f"SHOW {setting}") == "on", setting


def test_when_root_the_server_runs_as_the_postgres_user(postgres_server: PostgresServer) -> None:
    owner = postgres_server.data.stat().st_uid
    server_uid = os.stat(f"/proc/{postgres_server.process.pid}").st_uid
    assert server_uid == owner
    if os.geteuid() == 0:
        assert owner != 0
    else:
        assert owner == os.geteuid()


def test_a_database_is_created_empty_and_dropped_with_a_client_still_connected(
    postgres_server: PostgresServer,
) -> None:
    name = postgres_server.create_database()
    other = postgres_server.create_database()
    assert name != other
    assert {name, other} <= postgres_server.databases()
    assert (
        postgres_server.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", name)
        == "0"
    )
    postgres_server.drop_database(other)
    # A client left connected (as a test's connection pool may be) does not stop the drop.
    client = subprocess.Popen(
        [
            str(postgres_server.bin / "psql"),
            "-X",
            "-q",
            "-A",
            "-t",
            "-d",
            libpq_url(postgres_server.url(name)),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=client_env(),
        text=True,
    )
    try:
        assert client.stdin is not None
        assert client.stdout is not None
        client.stdin.write("SELECT 'connected';\n")
        client.stdin.flush()
        assert client.stdout.readline().strip() == "connected"
        postgres_server.drop_database(name)
        assert name not in postgres_server.databases()
        assert other not in postgres_server.databases()
    finally:
        client.communicate(timeout=60)  # end of input: psql ends (its connection was ended)


def test_pg_url_is_a_fresh_database_of_the_test_over_the_private_socket(
    pg_url: str, postgres_server: PostgresServer
) -> None:
    assert re.fullmatch(
        r"postgresql\+psycopg://postgres@/test_[0-9a-f]{32}\?host=/\S+/socket&port=\d+", pg_url
    )
    assert f"host={postgres_server.socket_dir}&" in pg_url
    assert database_of(pg_url) in postgres_server.databases()


def test_sqlalchemy_and_psycopg_connect_with_pg_url(pg_url: str) -> None:
    sqlalchemy = pytest.importorskip("sqlalchemy")
    psycopg = pytest.importorskip("psycopg")
    engine = sqlalchemy.create_engine(pg_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                sqlalchemy.text("CREATE TABLE vote (seq integer PRIMARY KEY, t text)")
            )
            connection.execute(sqlalchemy.text("INSERT INTO vote VALUES (1, 'สุข')"))
        with engine.connect() as connection:
            assert connection.execute(sqlalchemy.text("SELECT t FROM vote")).scalar_one() == "สุข"
            assert connection.execute(sqlalchemy.text("SHOW fsync")).scalar_one() == "on"
    finally:
        engine.dispose()
    # The plain postgresql:// form the collector also accepts, straight to psycopg.
    with psycopg.connect(libpq_url(pg_url)) as connection:
        assert connection.execute("SELECT count(*) FROM vote").fetchone() == (1,)


def test_collector_db_is_a_sqlite_path_or_a_postgresql_url(
    collector_db: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    backend = request.node.callspec.id
    if backend == "sqlite":
        assert collector_db == str(tmp_path / "collector.sqlite3")
        assert not Path(collector_db).exists()
    else:
        assert backend == "postgresql"
        assert collector_db.startswith("postgresql+psycopg://postgres@/test_")


def test_the_newest_postgresql_is_found_and_a_machine_without_one_has_none(tmp_path: Path) -> None:
    for version in ("9.6", "15", "16", "notes"):
        folder = tmp_path / version / "bin"
        folder.mkdir(parents=True)
        for program in ("initdb", "postgres"):
            (folder / program).touch()
    (tmp_path / "17" / "bin").mkdir(parents=True)  # a half-removed version: no programs
    assert bin_dir(root=tmp_path, path="") == tmp_path / "16" / "bin"
    assert bin_dir(root=tmp_path / "none", path="") is None


def test_without_postgresql_a_developer_skips_and_ci_fails(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SANGSUK_REQUIRE_POSTGRES", raising=False)
    with pytest.raises(
        pytest.skip.Exception, match=r"PostgreSQL is not installed.*apt-get install"
    ):
        installed(tmp_path, path="")
    monkeypatch.setenv("SANGSUK_REQUIRE_POSTGRES", "1")
    with pytest.raises(pytest.fail.Exception, match="SANGSUK_REQUIRE_POSTGRES is set"):
        installed(tmp_path, path="")


_TWO_TESTS = """
import json
import os
from pathlib import Path

from tests.postgres import database_of

RECORD = Path(os.environ["SANGSUK_PG_RECORD"])


def test_first(pg_url, postgres_server):
    RECORD.write_text(json.dumps({"directory": str(postgres_server.directory),
                                  "pid": postgres_server.process.pid, "first": pg_url}))


def test_second(pg_url, postgres_server):
    record = json.loads(RECORD.read_text())
    assert database_of(record["first"]) not in postgres_server.databases()
    record["second"] = pg_url
    record["left"] = sorted(postgres_server.databases())
    RECORD.write_text(json.dumps(record))
"""


def _processes_in(directory: Path) -> list[str]:
    """Processes running in directory (every PostgreSQL process works in its data directory)
    or naming it on their command line."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # ended, or another user's
        if cwd.startswith(str(directory)) or str(directory) in command:
            found.append(f"{pid}: {command}")
    return found


def test_each_test_has_its_own_database_and_the_session_leaves_no_server_behind(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    """A session of its own, in a pytest of its own: the server must be gone when it ends.

    (This session's server is asked for only so that the test skips, or fails in CI, as the
    others do where PostgreSQL is missing.)"""
    (tmp_path / "test_two.py").write_text(_TWO_TESTS)
    (tmp_path / "pytest.ini").write_text("[pytest]\nfilterwarnings = error\n")
    record = tmp_path / "record.json"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "SANGSUK_PG_RECORD": str(record)}
    done = subprocess.run(
        [
            *[sys.executable, "-m", "pytest", "-q", "-p", "tests.postgres"],
            *["-p", "no:cacheprovider", "-c", str(tmp_path / "pytest.ini")],
            str(tmp_path / "test_two.py"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout
    seen = json.loads(record.read_text())
    first, second = database_of(seen["first"]), database_of(seen["second"])
    assert first != second
    assert second in seen["left"]
    assert first not in seen["left"]
    directory = Path(seen["directory"])
    assert directory != postgres_server.directory  # a server of its own, not this session's
    assert not directory.exists()
    assert not _processes_in(directory)
    assert not Path(f"/proc/{seen['pid']}").exists()


def test_a_dump_restores_into_a_fresh_database(
    make_pg_url: Callable[[], str], postgres_server: PostgresServer, tmp_path: Path
) -> None:
    source, target = make_pg_url(), make_pg_url()
    postgres_server.psql(
        "CREATE TABLE vote (kiosk text, seq integer, story text, PRIMARY KEY (kiosk, seq));"
        " INSERT INTO vote VALUES ('k1', 1, 'บริการดีมาก'), ('k1', 2, NULL)",
        database_of(source),
    )
    backup = tmp_path / "collector.dump"
    pg_backup.dump(source, backup)
    assert backup.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format
    pg_backup.restore(backup, target)
    rows = "SELECT kiosk, seq, coalesce(story, '-') FROM vote ORDER BY seq"
    assert postgres_server.psql(rows, database_of(target)) == "k1|1|บริการดีมาก\nk1|2|-"
    # The primary key came back too: the same (kiosk, seq) cannot be stored twice.
    with pytest.raises(pytest.fail.Exception, match="duplicate key"):
        postgres_server.psql("INSERT INTO vote VALUES ('k1', 1, 'again')", database_of(target))


def test_restoring_what_is_not_a_dump_fails_saying_why_and_leaves_the_database_empty(
    make_pg_url: Callable[[], str], postgres_server: PostgresServer, tmp_path: Path
) -> None:
    target = make_pg_url()
    garbage = tmp_path / "collector.dump"
    garbage.write_bytes(b"not a dump")
    with pytest.raises(pytest.fail.Exception, match=r"(?s)pg_restore of .* failed.*input file"):
        pg_backup.restore(garbage, target)
    tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
    assert postgres_server.psql(tables, database_of(target)) == "0"
