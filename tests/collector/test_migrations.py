"""The schema: one set of migrations for both backends, and old SQLite databases carried on."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa
import sqlite_utils
from alembic import command
from alembic.config import Config

from collector.cli import main
from collector.store import CollectorStore, StoreError, legacy
from collector.store.connection import head_revision, schema_revision
from collector.store.target import DatabaseTarget
from tests.collector.test_tallies import counted_the_slow_way, kept_tallies
from tests.collector_db import one, sql
from tests.fakes import FakeClock
from tests.kiosks import enroll, ingest
from tests.postgres import database_of
from wire.batch import check_batch

TABLES = ("districts", "tokens", "kiosks", "votes", "quarantine", "batches", "audit", "settings")


def shape(store: CollectorStore) -> dict[str, object]:
    """Tables, their columns, primary keys, unique constraints and indexes, by name."""
    inspector = sa.inspect(store.engine)
    return {
        table: (
            [c["name"] for c in inspector.get_columns(table)],
            inspector.get_pk_constraint(table)["constrained_columns"],
            sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)),
            sorted(
                i["name"]
                for i in inspector.get_indexes(table)
                if i["name"] and not i.get("duplicates_constraint")  # PostgreSQL lists those
            ),
        )
        for table in sorted(inspector.get_table_names())
    }


def test_both_backends_get_the_same_schema(tmp_path, pg_url):
    with (
        CollectorStore(tmp_path / "c.sqlite3") as lite,
        CollectorStore(pg_url) as postgres,
    ):
        assert shape(lite) == shape(postgres)
        assert set(TABLES) <= set(shape(lite))
        with lite.engine.connect() as a, postgres.engine.connect() as b:
            assert schema_revision(a) == schema_revision(b) == head_revision()


def test_a_database_opened_again_is_not_migrated_again(collector_db):
    with CollectorStore(collector_db) as store:
        store.load_districts([("3706", "small")])
    with CollectorStore(collector_db) as store:
        assert one(store, "SELECT COUNT(*) FROM alembic_version") == 1
        assert store.report()["districts"][0]["code"] == "3706"


def old_database(path, source: CollectorStore) -> None:
    """A SQLite database as an older release made it (sqlite-utils m001-m003), with source's rows."""
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    legacy.migrations.apply(db, stop_before="m004_vote_bytes_once")
    for table in ("districts", "tokens", "kiosks", "batches", "audit"):
        columns = [c.name for c in db[table].columns]
        for row in sql(source, f"SELECT {', '.join(columns)} FROM {table}"):
            db[table].insert(dict(zip(columns, row, strict=True)))
    columns = [c.name for c in db["votes"].columns if c.name != "body"]
    for row in sql(source, f"SELECT {', '.join(columns)} FROM votes"):
        db["votes"].insert({**dict(zip(columns, row, strict=True)), "body": b""})
    conn.close()


def test_an_old_sqlite_database_is_finished_stamped_and_tallied(tmp_path, make_kiosk):
    k = make_kiosk()
    with CollectorStore(tmp_path / "new.sqlite3", FakeClock()) as source:
        source.load_districts([("3706", "small")])
        enroll(source, k)
        k.cast(12)
        ingest(source, k.batch())
        old_database(tmp_path / "old.sqlite3", source)
    with CollectorStore(tmp_path / "old.sqlite3", FakeClock()) as store:
        # The sqlite-utils migrations it lacked ran (m004 dropped each vote's second copy),
        # then Alembic's baseline was stamped and the tallies were filled from its votes.
        columns = [c["name"] for c in sa.inspect(store.engine).get_columns("votes")]
        assert "body" not in columns
        with store.engine.connect() as conn:
            assert schema_revision(conn) == head_revision()
        assert store.total_votes() == 12
        assert kept_tallies(store) == counted_the_slow_way(store)
        assert check_batch(one(store, "SELECT body FROM batches")).hashes == [
            h for (h,) in sql(store, "SELECT hash FROM votes ORDER BY seq")
        ]
        # Migration 0004 placed the votes held in time (by their clock, bounded by receipt).
        assert sql(store, "SELECT DISTINCT placed_at FROM votes") == [("2026-11-24T03:00:00.000Z",)]
        k.cast(3)
        assert ingest(store, k.batch(first=13)).new == 3
        assert kept_tallies(store) == counted_the_slow_way(store)


def test_a_postgresql_that_could_lose_a_commit_is_refused(pg_url):
    # synchronous_commit off: a signed receipt could outlive the votes it acknowledges.
    risky = pg_url + "&options=-csynchronous_commit%3Doff"
    with pytest.raises(StoreError) as refused:
        CollectorStore(risky)
    assert refused.value.code == "not_durable"
    assert "synchronous_commit" in str(refused.value)
    assert "To fix it: remove synchronous_commit=off from the options= of the URL" in str(
        refused.value
    )
    with CollectorStore(pg_url) as store:  # nothing was made in the database meanwhile
        assert (
            not sa.inspect(store.engine).has_table("alembic_version") or store.enrolled_count() == 0
        )


def test_0012_adds_each_kiosks_software_and_keeps_what_is_held(collector_db, make_kiosk):
    """Down to 0011 and up again on each backend: the column goes and comes back empty, the
    kiosk and its votes stay, and the next network batch names the software again."""
    k = make_kiosk()
    with CollectorStore(collector_db, FakeClock()) as store:
        store.load_districts([("3706", "small")])
        enroll(store, k)
        k.cast(5)
        store.ingest(check_batch(k.batch()), k.batch(), "http", "127.0.0.1", "0.3.0")
        assert store.kiosks()[0].software == "0.3.0"
    engine = sa.create_engine(DatabaseTarget.parse(collector_db).url)
    config = Config()
    config.set_main_option("script_location", "collector.store:migrations")
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0011")
            assert schema_revision(conn) == "0011"
            assert "software" not in [c["name"] for c in sa.inspect(conn).get_columns("kiosks")]
    finally:
        engine.dispose()
    with CollectorStore(collector_db, FakeClock()) as store:  # upgraded to the head again
        (before,) = store.kiosks()
        assert (before.software, before.votes, before.contiguous) == (None, 5, 5)
        k.cast(2)
        batch = k.batch(first=6)
        store.ingest(check_batch(batch), batch, "http", "127.0.0.1", "0.3.1")
        assert store.kiosks()[0].software == "0.3.1"


def test_0013_lets_no_batch_stored_before_it_pass_for_a_check_in(collector_db, make_kiosk):
    """Down to 0012 and up again on each backend: a kiosk that has batches is given the moment
    of the upgrade as its newest made_at, so its old batches replayed are no sign of life."""
    k = make_kiosk()
    with CollectorStore(collector_db, FakeClock()) as store:
        store.load_districts([("3706", "small")])
        enroll(store, k)
        k.cast(5)
        old = k.batch()  # made_at 2026-11-24, stored before the upgrade
        ingest(store, old)
    engine = sa.create_engine(DatabaseTarget.parse(collector_db).url)
    config = Config()
    config.set_main_option("script_location", "collector.store:migrations")
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0012")
            columns = [c["name"] for c in sa.inspect(conn).get_columns("kiosks")]
            assert "last_checkin" not in columns
            assert "newest_made_at" not in columns
    finally:
        engine.dispose()
    with CollectorStore(collector_db, FakeClock()) as store:  # upgraded to the head again
        newest = one(store, "SELECT newest_made_at FROM kiosks")
        assert newest is not None
        assert newest > "2026-11-24T03:00:00.000Z"
        assert ingest(store, old).new == 0  # replayed after the upgrade
        (status,) = store.kiosks()
        assert (status.last_checkin, status.replays, status.votes) == (None, 1, 5)


def test_a_database_set_to_lose_commits_is_refused_with_the_command_that_fixes_it(
    pg_url, postgres_server, capsys
):
    name = database_of(pg_url)
    postgres_server.psql(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    with pytest.raises(StoreError) as refused:
        CollectorStore(pg_url)
    assert f'To fix it: ALTER DATABASE "{name}" RESET synchronous_commit' in str(refused.value)
    assert main(["kiosks", "--db", pg_url]) == 2
    err = capsys.readouterr().err
    assert "วิธีแก้: ให้ผู้ดูแลฐานข้อมูลเปิด fsync และ synchronous_commit" in err
    assert f'ALTER DATABASE "{name}" RESET synchronous_commit' in err
    postgres_server.psql(f'ALTER DATABASE "{name}" RESET synchronous_commit')  # the fix works
    with CollectorStore(pg_url) as store:
        assert store.enrolled_count() == 0
