"""`sangsuk-collector copy`: a SQLite collector moved into PostgreSQL, every batch verified again."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from collector import results
from collector.cli import main
from collector.keys import collector_key_path
from collector.manifest import MANIFEST_NAME
from collector.ranking import RankingMethod
from collector.store import CollectorStore, campaigns
from collector.store.announcements import Decided, announce, announcements
from collector.store.runs import announced_runs
from collector.store.target import HOME_ENV
from tests.collector_db import one, sql
from tests.fakes import FakeClock
from tests.kiosks import enroll, ingest


@pytest.fixture
def lite(tmp_path, make_kiosk):
    """A SQLite collector with two offices, a USB batch, a quarantined fork and a revoked kiosk."""
    path = tmp_path / "central" / "collector.sqlite3"
    assert (
        main(["districts", "--load", "collector/data/districts-demo.csv", "--db", str(path)]) == 0
    )
    with CollectorStore(path, FakeClock()) as store:
        campaigns.add(
            store,
            campaigns.make(2569, "ก", "A", "2026-11-01", "2026-11-30", "ข", "B"),  # holds its votes
        )
        a, b = make_kiosk("a", "3706"), make_kiosk("b", "4712")
        for k in (a, b):
            enroll(store, k)
        a.cast(30)
        b.cast(12)
        ingest(store, a.batch(limit=20))
        ingest(store, a.batch(first=21), source="usb")
        ingest(store, b.batch())
        ingest(store, b.batch())  # a replay
        store.revoke(b.key.kiosk_id)
        store.issue_token("3706")
        store.clock.set_wall(datetime(2026, 12, 1, tzinfo=UTC))
        results.save_method(store, RankingMethod(5, 3))

        def decide(conn):
            ranking = results.rank_conn(conn, RankingMethod(5, 3), 2569)
            return Decided(RankingMethod(5, 3).to_json(), ranking.awards_json()["small"], 42)

        announce(store, "small", "somchai", decide, "cli", 2569)
        store.load_districts([("3706", "medium")])  # from 2570 on: 2569 keeps its groups
    return path


def test_a_copy_holds_the_same_votes_report_audit_and_publication(
    lite, pg_url, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "pg-home"))
    assert main(["copy", "--db", str(lite), "--to", pg_url]) == 0
    out = capsys.readouterr().out
    assert "Copied 42 votes in 3 batches (each verified again), 2 kiosks" in out
    # The kiosks' pinned key went along: both databases sign with it.
    assert collector_key_path(pg_url).read_bytes() == collector_key_path(lite).read_bytes()
    with CollectorStore(lite) as source, CollectorStore(pg_url) as copy:
        assert copy.report() == source.report()
        assert [s for s in copy.kiosks()] == [s for s in source.kiosks()]
        kinds = [r["kind"] for r in copy.audit_rows()]
        assert kinds[0] == "copied"
        assert kinds[1:] == [r["kind"] for r in source.audit_rows()]
        assert one(copy, "SELECT COUNT(*) FROM tokens") == one(
            source, "SELECT COUNT(*) FROM tokens"
        )
        # The campaign went along, and every vote is placed in it as in the source.
        assert campaigns.every(copy) == campaigns.every(source)
        with copy.reading() as c, source.reading() as s:
            assert results.tallies(c, 2569) == results.tallies(s, 2569)
            assert results.tallies(c) == results.tallies(s)
        # The groups campaign 2569 kept went along: 3706 is small in it, medium now.
        kept = "SELECT size_group FROM campaign_groups WHERE campaign = 2569 AND district = '3706'"
        assert one(copy, kept) == one(source, kept) == "small"
        assert one(copy, "SELECT COUNT(*) FROM campaign_groups") == 878
        assert one(copy, "SELECT SUM(r1 + r2 + r3 + r4 + r5) FROM tally_campaigns") == 42
        # The announcement went along, with the votes it was decided on.
        assert announcements(copy, 2569) == announcements(source, 2569)
        with copy.reading() as c, source.reading() as s:
            assert announced_runs(c, 2569) == announced_runs(s, 2569)
            assert sorted(announced_runs(c, 2569)["small"].values()) == [[(1, 12)], [(1, 30)]]
    for db, folder in ((str(lite), "from-sqlite"), (pg_url, "from-postgresql")):
        assert main(["publish", "--db", db, "--to", str(tmp_path / folder)]) == 0
        assert main(["recount", str(tmp_path / folder)]) == 0
    manifests = [
        json.loads((tmp_path / f / MANIFEST_NAME).read_bytes())
        for f in ("from-sqlite", "from-postgresql")
    ]
    for manifest in manifests:
        manifest.pop("published_at")
        manifest.pop("sig")  # over published_at too
    assert manifests[0] == manifests[1]


def test_a_batch_changed_in_the_source_stops_the_copy_before_anything_is_written(
    lite, pg_url, capsys
):
    with CollectorStore(lite) as source:
        body = bytes(one(source, "SELECT body FROM batches WHERE source = 'usb'"))
        changed = body.replace(b'"rating":5', b'"rating":4', 1)
        assert changed != body
        sql(source, "UPDATE batches SET body = :body WHERE source = 'usb'", body=changed)
    assert main(["copy", "--db", str(lite), "--to", pg_url]) == 2
    err = capsys.readouterr().err
    assert "does not verify" in err
    assert "nothing was copied" in err
    with CollectorStore(pg_url) as copy:
        assert copy.enrolled_count() == 0
        assert copy.total_votes() == 0


def test_a_copy_into_a_database_in_use_is_refused(lite, pg_url, capsys):
    assert main(["copy", "--db", str(lite), "--to", pg_url]) == 0
    assert main(["copy", "--db", str(lite), "--to", pg_url]) == 2
    assert "already holds kiosks or votes" in capsys.readouterr().err
