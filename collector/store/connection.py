"""Opening the collector database: SQLite durable and owner-only, PostgreSQL durable, both migrated.

Promise 1 holds at the collector too: a store refuses to open a database that could lose a
committed batch (SQLite without WAL and ``synchronous=FULL``; PostgreSQL with ``fsync`` or
``synchronous_commit`` off), because a receipt is signed only after the commit. Several
serving processes may share one database: on SQLite a write transaction starts with ``BEGIN
IMMEDIATE``, polled for the write lock (``begin_immediate``); on PostgreSQL every process
writes at once and the rows a transaction locks keep them apart (collector_store.py). The
migrations run once per database, under a lock, when a store opens.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sqlite3
import time
from typing import TYPE_CHECKING, Any, Final

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from collector.store.records import StoreError
from collector.store.target import DatabaseTarget
from wire.files import private_sqlite_file

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic, sqlite-utils and the legacy migrations are imported when a store opens, not with
# this module: a command that opens no database (`recount`) would otherwise spend 0.4-0.6 s
# importing them (docs/performance.md).

WRITE_LOCK_TIMEOUT_S: Final = 30.0
BUSY_TIMEOUT_MS: Final = 30_000
WRITE_OPTION: Final = "sangsuk_write"  # execution option: this transaction will write
POOL_SIZE: Final = 8  # connections per serving process (the checking threads and the pages)
MIGRATION_LOCK: Final = 0x53616E67  # PostgreSQL advisory lock held while migrating ("Sang")
log = logging.getLogger(__name__)


def open_engine(target: DatabaseTarget) -> Engine:
    """An engine on the database, checked durable and migrated to the newest schema."""
    engine = _sqlite_engine(target) if target.is_sqlite else _postgres_engine(target)
    try:
        with engine.connect() as conn:
            _check_durable(conn, target)
        migrate(engine, target)
    except sa.exc.DBAPIError as exc:
        engine.dispose()
        raise StoreError(
            "open_failed", f"cannot open the collector database {target}: {exc.orig}"
        ) from exc
    except BaseException:
        engine.dispose()  # no connection is left open behind a refusal
        raise
    return engine


def _sqlite_engine(target: DatabaseTarget) -> Engine:
    assert target.path is not None
    target.path.parent.mkdir(parents=True, exist_ok=True)
    # Owner-only (with its -wal and -shm): the database holds every vote and the audit. A
    # folder it cannot be made in (read-only, say) is left to SQLite's own error.
    with contextlib.suppress(OSError):
        private_sqlite_file(target.path, "collector database")
    engine = sa.create_engine(
        target.url,
        connect_args={"check_same_thread": False},
        pool_size=POOL_SIZE,
        max_overflow=POOL_SIZE,
    )

    # SQLAlchemy's recipe for pysqlite: the driver's own transaction handling is turned off
    # and each transaction begins with a BEGIN this module writes (IMMEDIATE for a write).
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None
        dbapi_conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        dbapi_conn.execute("PRAGMA foreign_keys = ON")
        dbapi_conn.execute("PRAGMA journal_mode = WAL")
        dbapi_conn.execute("PRAGMA synchronous = FULL")

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            begin_immediate(conn.connection.dbapi_connection)  # type: ignore[arg-type]
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def _postgres_engine(target: DatabaseTarget) -> Engine:
    # SQLAlchemy's own pool holds the psycopg 3 connections (with a ping before each use, so
    # a server restart costs one retry, not an error): a second pool (psycopg_pool) under it
    # would only add a layer.
    engine = sa.create_engine(
        target.url, pool_size=POOL_SIZE, max_overflow=POOL_SIZE, pool_pre_ping=True
    )

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: object) -> None:
        # Every batch's bytes are kept (batches.body, 200-400 kB), and PostgreSQL compresses
        # a value that large before storing it: with its default, pglz, that cost the
        # database server about 9 µs of CPU per vote stored, with lz4 about 2.5, for a
        # slightly smaller table (docs/performance.md). The setting is this session's and
        # changes nothing in the schema; PostgreSQL reads values stored either way. A server
        # without lz4 (before version 14, or built without it) keeps its default.
        with dbapi_conn.cursor() as cursor:
            cursor.execute(
                "SELECT 'lz4' = ANY(enumvals) FROM pg_settings"
                " WHERE name = 'default_toast_compression'"
            )
            row = cursor.fetchone()
            if row is not None and row[0]:
                cursor.execute("SET default_toast_compression = lz4")
        dbapi_conn.commit()

    return engine


def _check_durable(conn: Connection, target: DatabaseTarget) -> None:
    if target.is_sqlite:
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
        durable = str(mode).lower() == "wal" and sync == 2
        wanted = "WAL with synchronous=FULL"
        fix = "keep the file on a local disk (not a network share), where WAL works"
    else:
        fsync = conn.exec_driver_sql("SHOW fsync").scalar()
        commit = conn.exec_driver_sql("SHOW synchronous_commit").scalar()
        durable = fsync == "on" and commit in ("on", "remote_write", "remote_apply", "local")
        wanted = "fsync and synchronous_commit on"
        fix = "" if durable else _durable_fix(conn, fsync_on=fsync == "on")
    conn.rollback()
    if not durable:
        raise StoreError(
            "not_durable",
            f"the collector database {target} is not durable ({wanted} is needed): a signed"
            f" receipt could outlive the votes it acknowledges. To fix it: {fix}",
        )


def _durable_fix(conn: Connection, *, fsync_on: bool) -> str:
    """What turns a PostgreSQL database durable again: the command for where it was turned off
    (pg_settings.source: the database, the role, the connection, or postgresql.conf)."""
    if not fsync_on:
        return "set fsync = on in postgresql.conf and reload the server (SELECT pg_reload_conf())"
    row = conn.exec_driver_sql(
        "SELECT source, sourcefile, current_database(), current_user FROM pg_settings"
        " WHERE name = 'synchronous_commit'"
    ).one()
    source, sourcefile, database, role = row
    db, user = f'"{database}"', f'"{role}"'
    return {
        "database": f"ALTER DATABASE {db} RESET synchronous_commit",
        "user": f"ALTER ROLE {user} RESET synchronous_commit",
        "database user": f"ALTER ROLE {user} IN DATABASE {db} RESET synchronous_commit",
        "client": "remove synchronous_commit=off from the options= of the URL or from $PGOPTIONS",
        "configuration file": (
            f"set synchronous_commit = on in {sourcefile or 'postgresql.conf'} and reload the"
            " server (SELECT pg_reload_conf())"
        ),
    }.get(
        str(source),
        f"ALTER DATABASE {db} SET synchronous_commit = on (or SET synchronous_commit = on"
        " where it is turned off)",
    )


@functools.cache
def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "collector.store:migrations")
    return config


@functools.cache
def head_revision() -> str:
    """The newest schema revision this program knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def schema_revision(conn: Connection) -> str | None:
    """The database's schema revision (None before the first migration)."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def migrate(engine: Engine, target: DatabaseTarget) -> None:
    """Bring the database to the newest schema, all of it or none, once among many processes."""
    with engine.connect() as conn:
        if schema_revision(conn) == head_revision():
            conn.rollback()
            return
        conn.rollback()
    if target.is_sqlite:
        _finish_legacy(target)
    with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        current = schema_revision(conn)
        if current == head_revision():
            return  # another process migrated while this one waited for the lock
        from alembic import command

        config = _alembic_config()
        config.attributes["connection"] = conn
        try:
            if current is None and sa.inspect(conn).has_table("votes"):
                command.stamp(config, "0001")  # made by the sqlite-utils migrations
            log.info("migrating the collector database %s to schema %s", target, head_revision())
            command.upgrade(config, "head")
        finally:
            config.attributes.pop("connection", None)
        newer = schema_revision(conn)
        if newer != head_revision():  # pragma: no cover - Alembic raises first
            raise StoreError("open_failed", f"the schema is at {newer}, not {head_revision()}")


def _finish_legacy(target: DatabaseTarget) -> None:
    """Apply the sqlite-utils migrations an old SQLite database lacks (before Alembic's)."""
    import sqlite_utils

    from collector.store import legacy

    assert target.path is not None
    conn = sqlite3.connect(target.path, isolation_level=None)
    try:
        db = sqlite_utils.Database(conn)
        if legacy.LEGACY_TABLE in db.table_names() and "alembic_version" not in db.table_names():
            with db.atomic():
                legacy.migrations.apply(db)
    finally:
        conn.close()


def begin_immediate(conn: sqlite3.Connection) -> None:
    """Start a SQLite write transaction, waiting up to WRITE_LOCK_TIMEOUT_S for the write lock."""
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
