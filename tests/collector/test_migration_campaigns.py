"""A collector database from before campaigns (schema 0003), holding votes, announced awards and
a publication, upgraded to the newest schema: migration 0004 places every vote held in time
(by its kiosk's clock, never after its receipt, never before its kiosk's enrollment, never
before the vote before it in the chain) and keeps the awards announced over every vote as
campaign 0 ("all votes"). After the upgrade the awards are unchanged, the pages render, the
publication made before still recounts to the same awards, and a campaign defined later
counts the old votes its days hold.

The old database is made as the release before campaigns left it: Alembic takes a fresh
database to revision 0003, and it is filled with plain SQL from a collector of today that
received the same signed batches (its columns that 0003 lacks, and the campaign key of its
announcements, left out). The old publication is what that release wrote: the same files and
a version 2 manifest (no ``campaign`` member), signed by the same collector key.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from collector import results
from collector.keys import load_collector_key
from collector.manifest import MANIFEST_NAME, read_manifest, sign_manifest
from collector.publish import make_zip, publications, publish_in_home
from collector.ranking import RankingMethod
from collector.recount import recount
from collector.store import CollectorStore, campaigns
from collector.store.announcements import NO_CAMPAIGN, Announcement, Decided, announce
from collector.store.announcements import announcements as announced
from collector.store.connection import head_revision, schema_revision
from collector.store.target import DatabaseTarget
from tests.collector.campaign_data import C2569, utc
from tests.collector.test_console_awards import codes, section
from tests.collector.test_tallies import counted_the_slow_way, kept_tallies
from tests.collector_db import one, sql
from tests.collector_server import serve_collector
from tests.console import log_in, make_operator
from tests.fakes import FakeClock
from tests.kiosks import Kiosk, enroll, ingest
from wire.vote import Ballot

METHOD = RankingMethod(5, 3)
ENROLLED = utc(2026, 10, 20, 3)
ANNOUNCED = utc(2026, 12, 5, 3)


def send(store: CollectorStore, kiosk: Kiosk, when: datetime, ratings: list[int], at: datetime):
    """Cast ratings at when by the kiosk's clock; its pending votes arrive at at."""
    kiosk.ledger.clock.set_wall(when)
    kiosk.ledger.cast_many([Ballot(kiosk.district, r) for r in ratings])
    store.clock.set_wall(at)
    assert ingest(store, kiosk.batch(), "usb").new == len(ratings)  # the held ones again, too


def held_before_campaigns(store: CollectorStore, make_kiosk: Callable[..., Kiosk]) -> dict:
    """Three kiosks' votes, the small and medium awards announced over every vote.

    a's clock is right; b's ran behind its enrollment before it was set right; c's ran a
    month ahead, then was set back to before the votes it had sent.
    """
    store.clock.set_wall(ENROLLED)
    store.load_districts([("3706", "small"), ("3701", "small"), ("4408", "medium")])
    results.save_method(store, METHOD)
    a, b, c = make_kiosk("a", "3706"), make_kiosk("b", "3701"), make_kiosk("c", "4408")
    for k in (a, b, c):
        enroll(store, k)
    send(store, a, utc(2026, 11, 10, 3), [4] * 5, utc(2026, 11, 10, 4))
    send(store, b, utc(2026, 10, 1, 3), [3] * 5, utc(2026, 11, 12, 4))
    send(store, b, utc(2026, 11, 13, 3), [3, 2, 3, 3, 3], utc(2026, 11, 13, 4))
    send(store, c, utc(2026, 12, 25, 3), [5, 4, 4, 5], utc(2026, 11, 15, 4))
    send(store, c, utc(2026, 11, 14, 3), [5, 5], utc(2026, 11, 16, 4))
    store.clock.set_wall(ANNOUNCED)
    for group in ("small", "medium"):

        def decide(conn: sa.Connection, group: str = group) -> Decided:
            ranking = results.rank_conn(conn, METHOD)
            return Decided(METHOD.to_json(), ranking.awards_json()[group], ranking.total_votes)

        announce(store, group, "officer", decide)
    return {"a": a, "b": b, "c": c}


def database_at_0003(target: DatabaseTarget) -> sa.Engine:
    """A fresh database taken by Alembic to revision 0003, the schema before campaigns."""
    engine = sa.create_engine(target.url)
    config = Config()
    config.set_main_option("script_location", "collector.store:migrations")
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
        assert schema_revision(conn) == "0003"
    return engine


def copy_rows(source: CollectorStore, engine: sa.Engine) -> None:
    """Fill the 0003 database with source's rows, in 0003's columns (plain SQL)."""
    old = sa.MetaData()
    old.reflect(engine)
    new = sa.MetaData()
    new.reflect(source.engine)
    with source.engine.connect() as read, engine.begin() as write:
        for table in old.sorted_tables:  # a table before those whose keys name it
            if table.name == "alembic_version":
                continue
            held = new.tables["campaign_announcements" if table.name == "announcements" else
                              table.name]  # fmt: skip
            columns = [c.name for c in table.columns]
            query = sa.select(*(held.c[name] for name in columns))
            if table.name == "announcements":  # 0004 made them campaign 0's
                query = query.where(held.c.campaign == NO_CAMPAIGN)
            rows = [dict(zip(columns, row, strict=True)) for row in read.execute(query)]
            if rows:
                write.execute(table.insert(), rows)
            if write.dialect.name == "postgresql" and "id" in table.c:
                # As the old release's inserts would have left them: the next id is free.
                write.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
                        f" (SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"
                    )
                )


# The members of the manifest the release before campaigns wrote (version 2).
VERSION_2_MEMBERS = ("kind", "collector_key", "published_at", "ranking", "districts", "kiosks",
                     "batches", "quarantined", "counted", "awards")  # fmt: skip


def as_version_2(folder: Path, target: DatabaseTarget) -> None:
    """The publication as the release before campaigns wrote it: a version 2 manifest, which
    names no campaign (a publication of every vote writes ``"campaign": null`` today)."""
    manifest: dict[str, Any] = json.loads((folder / MANIFEST_NAME).read_bytes())
    assert manifest["campaign"] is None
    manifest = {name: manifest[name] for name in VERSION_2_MEMBERS} | {"version": 2}
    key = load_collector_key(target)
    (folder / MANIFEST_NAME).write_bytes(sign_manifest(key.private_key, manifest))
    make_zip(folder, folder.with_name(f"{folder.name}.zip"))


@pytest.fixture
def upgraded(collector_db: str, tmp_path: Path, make_kiosk) -> tuple[str, dict, dict, Path]:
    """A 0003 database with votes, two announcements and a publication, then opened (which
    migrates it to the newest schema): the database, its kiosks, the announcements held
    before, and the publication's folder."""
    target = DatabaseTarget.parse(collector_db)
    load_collector_key(target)  # the collector's key, in its home, as the old release made it
    source_db = tmp_path / "today" / "collector.sqlite3"
    with CollectorStore(source_db, FakeClock()) as source:
        kiosks = held_before_campaigns(source, make_kiosk)
        before = announced(source)
        engine = database_at_0003(target)
        try:
            copy_rows(source, engine)
        finally:
            engine.dispose()
        key = load_collector_key(target)
        published = publish_in_home(source, key, target.home, METHOD, utc(2026, 12, 5, 3, 30))
    as_version_2(published.folder, target)
    with (
        CollectorStore(collector_db, FakeClock(ANNOUNCED)) as store,
        store.engine.connect() as conn,
    ):
        assert schema_revision(conn) == head_revision()
    return collector_db, kiosks, before, published.folder


def test_the_awards_announced_before_campaigns_are_unchanged(upgraded):
    db, _, before, _ = upgraded
    with CollectorStore(db, FakeClock(ANNOUNCED)) as store:
        after = announced(store)
        assert after == before
        assert set(after) == {"small", "medium"}
        assert all(a.campaign == NO_CAMPAIGN for a in after.values())
        assert isinstance(after["small"], Announcement)
        assert after["small"].winner is not None
        assert after["small"].votes == 21
        assert one(store, "SELECT COUNT(*) FROM campaigns") == 0


def test_every_vote_held_is_placed_by_its_clock_within_its_bounds(upgraded):
    db, kiosks, _, _ = upgraded
    with CollectorStore(db, FakeClock(ANNOUNCED)) as store:
        placed = {
            (k, seq): at for k, seq, at in sql(store, "SELECT kiosk, seq, placed_at FROM votes")
        }
        ids = {name: k.key.kiosk_id for name, k in kiosks.items()}
        expected = {
            **{(ids["a"], s): "2026-11-10T03:00:00.000Z" for s in range(1, 6)},  # its clock
            **{(ids["b"], s): "2026-10-20T03:00:00.000Z" for s in range(1, 6)},  # enrollment
            **{(ids["b"], s): "2026-11-13T03:00:00.000Z" for s in range(6, 11)},
            **{(ids["c"], s): "2026-11-15T04:00:00.000Z" for s in range(1, 5)},  # receipt
            **{(ids["c"], s): "2026-11-15T04:00:00.000Z" for s in range(5, 7)},  # the chain
        }
        assert placed == expected
        assert kept_tallies(store) == counted_the_slow_way(store)
        # A vote sent after the upgrade is placed as any new vote is, after the ones before.
        send(store, kiosks["c"], utc(2026, 11, 14, 5), [4], utc(2026, 11, 20, 4))
        assert one(store, "SELECT placed_at FROM votes WHERE kiosk = :k AND seq = 7",
                   k=ids["c"]) == "2026-11-15T04:00:00.000Z"  # fmt: skip
        assert kept_tallies(store) == counted_the_slow_way(store)


def test_the_publication_made_before_campaigns_still_recounts_to_the_announced_awards(upgraded):
    db, _, before, folder = upgraded
    assert read_manifest((folder / MANIFEST_NAME).read_bytes()).campaign is None
    assert json.loads((folder / MANIFEST_NAME).read_bytes())["version"] == 2
    checked = recount([folder])
    assert checked.ok, checked.problems
    assert checked.agrees
    assert checked.counted == 21
    with CollectorStore(db, FakeClock(ANNOUNCED)) as store:
        target = store.target
        # A version 2 manifest names no campaign: it is listed, and offered, as every vote's.
        assert [(p.folder, p.campaign) for p in publications(target.home)] == [(folder, None)]
        after = announced(store)
        assert set(after) == {"small", "medium"}
        for group, announcement in after.items():
            assert checked.ranking is not None
            assert checked.ranking.awards_json()[group] == announcement.awards
            assert announcement == before[group]


def test_the_pages_render_the_old_awards_and_a_new_campaign_counts_the_old_votes(upgraded):
    db, _, before, folder = upgraded
    small = [a["code"] for a in before["small"].awards]
    assert small == ["3706", "3701"]
    with serve_collector(db if "://" in db else Path(db)) as running:
        store = running.store
        store.clock = FakeClock(ANNOUNCED)
        make_operator(store, "officer2", "officer")
        with httpx.Client(base_url=running.url, timeout=60) as client:
            for path in ("/", "/leaderboard", "/districts/3706", "/districts/4408"):
                assert client.get(f"{path}?lang=en").status_code == 200, path
            board = client.get("/leaderboard?lang=en").text  # no campaign yet: every vote
            assert codes(section(board, "small"), "announced-code") == small
            assert 'data-announced-winner="4408"' in board
            log_in(client, name="officer2")
            page = client.get("/console/awards?lang=en")
            assert page.status_code == 200
            assert codes(section(page.text, "small"), "announced-code") == small
            listing = client.get("/console/publish?lang=en")
            assert listing.status_code == 200
            assert folder.name in listing.text

            # The officer defines the campaign whose days hold the old votes: they count in it,
            # placed as the migration placed them; the old awards stay those of every vote.
            campaigns.add(store, C2569)
            with store.reading() as conn:
                ranking = results.rank_conn(conn, METHOD, 2569)
            assert ranking.total_votes == 5 + 5 + 6  # b's votes placed before it are not
            board = client.get("/leaderboard?lang=en").text
            assert 'data-campaign="2569"' in board
            assert codes(section(board, "small"), "announced-code") == []  # not announced
            every = client.get("/leaderboard?campaign=all&lang=en").text
            assert codes(section(every, "small"), "announced-code") == small
            assert client.get("/console/awards?campaign=all&lang=en").status_code == 200
    assert recount([folder]).agrees
