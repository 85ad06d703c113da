"""A throwaway PostgreSQL server for the collector's tests, and a fresh database for each test.

A pytest plugin (tests/conftest.py registers it). The session's first test that asks for
``postgres_server`` (through ``pg_url`` or ``collector_db``) starts a server of its own: a new
cluster (``initdb``) in a temporary folder, listening on a unix socket in that folder and on no
TCP port at all, with fsync on, as the collector's promises are about durability. The session
ends it (a fast shutdown) and removes the folder. Run in parallel, each xdist worker has its own
server: nothing is shared, and starting one costs about a second.

``initdb`` and ``postgres`` refuse to run as root, and CI runs as root: there, the server runs as
the ``postgres`` system user (Debian's package makes it), in a folder that user owns. The tests
themselves (psql, pg_dump, psycopg) stay the user they are; root reaches the socket anyway, and
anyone else runs the server as themselves.

A machine without PostgreSQL skips these tests, saying so; CI (.ci/run sets
SANGSUK_REQUIRE_POSTGRES) installs it, and there a missing server is a failure.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import quote, unquote, urlsplit

import pytest

from tests import processes

SEARCH_ROOT = Path("/usr/lib/postgresql")  # Debian and Ubuntu: one bin/ per major version
SERVER_USER = "postgres"  # the system user a root run starts the server as
SUPERUSER = "postgres"  # the database role the tests connect as (trust, on the private socket)
PORT = 5432  # names the socket file (.s.PGSQL.5432); nothing listens on TCP
WAIT_S = 60.0  # how long starting or stopping the server may take (a wait, not a check)
DRIVER = "postgresql+psycopg"  # SQLAlchemy's name for psycopg 3


def bin_dir(root: Path = SEARCH_ROOT, path: str | None = None) -> Path | None:
    """PostgreSQL's programs: the newest version under root, else initdb's folder on path."""
    versions = []
    for folder in root.glob("*/bin"):
        number = re.fullmatch(r"(\d+)(?:\.(\d+))?", folder.parent.name)
        if number and (folder / "initdb").is_file() and (folder / "postgres").is_file():
            versions.append(((int(number[1]), int(number[2] or 0)), folder))
    if versions:
        return max(versions)[1]
    found = shutil.which("initdb", path=path)
    if found is not None:
        folder = Path(found).resolve().parent  # /usr/local/bin/initdb may link into a version
        if (folder / "postgres").is_file():
            return folder
    return None


def unavailable(reason: str) -> NoReturn:
    """Skip on a developer's machine; fail in CI (SANGSUK_REQUIRE_POSTGRES=1), where PostgreSQL
    is installed and the tests on it must run, not pass by skipping."""
    if os.environ.get("SANGSUK_REQUIRE_POSTGRES"):
        pytest.fail(f"{reason} (SANGSUK_REQUIRE_POSTGRES is set)", pytrace=False)
    pytest.skip(reason)


def libpq_url(url: str) -> str:
    """The same database as a libpq URL (psql, pg_dump, psycopg): without SQLAlchemy's driver."""
    return re.sub(r"^postgresql\+\w+://", "postgresql://", url)


def database_of(url: str) -> str:
    """The database a URL names."""
    return unquote(urlsplit(url).path.lstrip("/"))


def client_env() -> dict[str, str]:
    """This environment without the PG* variables of whoever runs the tests (PGHOST, PGPORT,
    PGUSER, ...): they would send a client, or the server's own settings, somewhere else."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PG")}


def run(command: list[str | Path], what: str, **kwargs: Any) -> str:
    """Run a PostgreSQL program; return its output, or fail the test with what it said."""
    done = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        check=False,
        timeout=WAIT_S,
        env=client_env(),
        stdin=subprocess.DEVNULL,
        **kwargs,
    )
    if done.returncode != 0:
        pytest.fail(
            f"{what} failed (exit {done.returncode}):\n{done.stderr.strip()}\n{done.stdout.strip()}"
        )
    return str(done.stdout)


@dataclass
class PostgresServer:
    """A running throwaway server: its programs, its folder, and its postmaster process."""

    bin: Path
    directory: Path  # data/ (the cluster), socket/ and server.log
    process: subprocess.Popen[bytes]

    @property
    def data(self) -> Path:
        """The cluster's data directory."""
        return self.directory / "data"

    @property
    def socket_dir(self) -> Path:
        """The folder holding the server's unix socket, and the only place it listens."""
        return self.directory / "socket"

    @property
    def log(self) -> Path:
        """Everything the server wrote."""
        return self.directory / "server.log"

    def url(self, database: str = "postgres", driver: str = DRIVER) -> str:
        """A URL for a database on this server, over its unix socket, as the superuser."""
        host = quote(str(self.socket_dir), safe="/")
        return f"{driver}://{SUPERUSER}@/{quote(database)}?host={host}&port={PORT}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run SQL with psql and return its unaligned rows, one a line."""
        command = [str(self.bin / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
        url = libpq_url(self.url(database))
        return run([*command, "-d", url, "-c", sql], f"psql {sql!r}").strip()

    def databases(self) -> set[str]:
        """The names of the databases on the server."""
        return set(self.psql("SELECT datname FROM pg_database").splitlines())

    def create_database(self) -> str:
        """Create a new empty database with a name of its own; return the name."""
        name = f"test_{uuid.uuid4().hex}"
        self.psql(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, ending the connections still open to it first (FORCE)."""
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass(frozen=True)
class _User:
    """Whom to start initdb and postgres as (None: as ourselves)."""

    user: int | None = None
    group: int | None = None
    extra_groups: list[int] | None = None


def _server_user() -> _User:
    """How to start initdb and postgres: as the postgres user when root, as ourselves otherwise."""
    if os.geteuid() != 0:
        return _User()
    try:
        user = pwd.getpwnam(SERVER_USER)
    except KeyError:
        unavailable(
            f"running as root and there is no {SERVER_USER!r} user to run PostgreSQL as"
            " (initdb refuses root; Debian's postgresql package creates the user)"
        )
    return _User(user.pw_uid, user.pw_gid, [])


def _make_folder(as_user: _User) -> Path:
    """A new private folder the server's user owns, with a short path (a socket's is limited)."""
    # Not in pytest's tmp_path: as root that lies under a folder only root may enter.
    parent = "/tmp" if os.path.isdir("/tmp") else None
    directory = Path(tempfile.mkdtemp(prefix="sangsuk-pg-", dir=parent))
    (directory / "socket").mkdir(mode=0o700)
    if as_user.user is not None and as_user.group is not None:
        for path in (directory, directory / "socket"):
            os.chown(path, as_user.user, as_user.group)
    return directory


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the server: a fast shutdown (SIGINT, as ``pg_ctl stop -m fast``), then, if it hangs,
    kill it and every backend it started (each backend is a session of its own)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=WAIT_S)
        except subprocess.TimeoutExpired:
            for proc in processes.started_by(process.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGKILL)
            process.kill()
            process.wait()


@contextmanager
def throwaway_server(programs: Path) -> Iterator[PostgresServer]:
    """Initialise a cluster in a new folder, serve it on a private socket, then remove it all."""
    as_user = _server_user()
    directory = _make_folder(as_user)
    data, socket_dir = str(directory / "data"), str(directory / "socket")
    try:
        run(
            [
                *[str(programs / "initdb"), "--pgdata", data, "--username", SUPERUSER],
                *["--auth", "trust", "--encoding", "UTF8", "--locale", "C"],
                "--no-sync",  # the cluster is thrown away: no need to flush its creation
            ],
            "initdb",
            cwd=directory,
            user=as_user.user,
            group=as_user.group,
            extra_groups=as_user.extra_groups,
        )
        with (directory / "server.log").open("ab") as log:
            process = subprocess.Popen(
                [
                    *[str(programs / "postgres"), "-D", data, "-p", str(PORT)],
                    *["-k", socket_dir, "-c", "listen_addresses="],
                    # The collector's promises are about what survives a crash: flush as in
                    # production, whatever the test machine's default.
                    *["-c", "fsync=on", "-c", "synchronous_commit=on"],
                    *["-c", "full_page_writes=on"],
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=directory,
                env=client_env(),
                start_new_session=True,  # a Ctrl-C at the terminal is pytest's to handle
                user=as_user.user,
                group=as_user.group,
                extra_groups=as_user.extra_groups,
            )
        server = PostgresServer(programs, directory, process)
        try:
            _wait_ready(server)
            yield server
        finally:
            _stop(process)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _wait_ready(server: PostgresServer) -> None:
    """Wait until the server accepts connections; fail with its log if it ends or never does."""
    deadline = time.monotonic() + WAIT_S
    ready = [server.bin / "pg_isready", "-q", "-h", server.socket_dir, "-p", str(PORT)]
    while True:
        if server.process.poll() is not None:
            pytest.fail(
                f"PostgreSQL ended as it started:\n{server.log.read_text(errors='replace')}"
            )
        done = subprocess.run(
            [str(part) for part in ready], env=client_env(), check=False, timeout=WAIT_S
        )
        if done.returncode == 0:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"PostgreSQL did not start in {WAIT_S:.0f} s:\n{server.log.read_text()}")
        threading.Event().wait(0.05)  # polling another process; nothing to wait on in this one


def installed(root: Path = SEARCH_ROOT, path: str | None = None) -> Path:
    """PostgreSQL's programs, or skip (fail in CI) saying it is not installed."""
    found = bin_dir(root, path)
    if found is None:
        unavailable(
            f"PostgreSQL is not installed (no initdb under {root}/*/bin or on PATH):"
            " sudo apt-get install postgresql"
        )
    return found


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """This session's (this xdist worker's) own throwaway PostgreSQL server."""
    with throwaway_server(installed()) as server:
        yield server


@pytest.fixture
def make_pg_url(postgres_server: PostgresServer) -> Iterator[Callable[[], str]]:
    """Make fresh empty databases (SQLAlchemy URLs); all are dropped after the test."""
    made: list[str] = []

    def make() -> str:
        made.append(postgres_server.create_database())
        return postgres_server.url(made[-1])

    yield make
    for name in made:
        postgres_server.drop_database(name)


@pytest.fixture
def pg_url(make_pg_url: Callable[[], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh empty database for this test, as a SQLAlchemy URL:
    ``postgresql+psycopg://postgres@/test_<hex>?host=/tmp/sangsuk-pg-…/socket&port=5432``.

    The collector keeps its key and logs for a PostgreSQL database in $SANGSUK_COLLECTOR_HOME:
    it is the test's own folder here (never the user's data folder).
    """
    monkeypatch.setenv("SANGSUK_COLLECTOR_HOME", str(tmp_path / "collector-home"))
    return make_pg_url()


@pytest.fixture(params=["sqlite", "postgresql"], ids=["sqlite", "postgresql"])
def collector_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The collector's database, once on each backend: a SQLite file path (not yet created)
    in tmp_path, or a fresh PostgreSQL database's URL (skipped where PostgreSQL is missing)."""
    if request.param == "sqlite":
        return str(tmp_path / "collector.sqlite3")
    url: str = request.getfixturevalue("pg_url")
    return url
