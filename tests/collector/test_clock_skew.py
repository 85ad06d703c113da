"""Clock skew: a kiosk whose clock is off is measured per batch and flagged past a threshold."""

import json
from datetime import timedelta

import pytest

from collector.cli import main
from collector.store import SKEW_THRESHOLD_ENV, CollectorStore
from tests.kiosks import enroll, ingest


@pytest.fixture
def kiosk(store, make_kiosk):
    k = make_kiosk()
    enroll(store, k)
    return k


def test_a_network_batch_made_an_hour_ago_flags_the_clock(store, kiosk):
    kiosk.cast(3)
    store.clock.set_wall(store.clock.now() + timedelta(hours=1))  # the batch says 03:00
    ingest(store, kiosk.batch(), source="http")
    status = store.kiosk_status(kiosk.key.kiosk_id)
    assert status.clock_skew_s == pytest.approx(-3600, abs=1)
    assert status.vote_ahead_s == pytest.approx(-3600, abs=1)  # cast before receipt: normal
    assert status.clock_checked_at == "2026-11-24T04:00:00.000Z"
    assert status.skew_flagged


def test_a_clock_within_the_threshold_is_not_flagged(store, kiosk):
    kiosk.cast(3)
    store.clock.set_wall(store.clock.now() + timedelta(seconds=40))
    ingest(store, kiosk.batch(), source="http")
    status = store.kiosk_status(kiosk.key.kiosk_id)
    assert status.clock_skew_s == pytest.approx(-40, abs=1)
    assert not status.skew_flagged


def test_votes_from_the_future_flag_the_clock_even_from_a_usb_file(store, kiosk):
    kiosk.cast(2)  # cast at 03:00 by the kiosk's clock
    store.clock.set_wall(store.clock.now() - timedelta(hours=2))  # received at 01:00
    ingest(store, kiosk.batch(), source="usb")
    status = store.kiosk_status(kiosk.key.kiosk_id)
    assert status.clock_skew_s is None  # a file's made_at says nothing about the clock
    assert status.vote_ahead_s == pytest.approx(7200, abs=1)
    assert status.skew_flagged


def test_an_old_usb_file_is_not_a_clock_problem(store, kiosk):
    kiosk.cast(2)
    store.clock.set_wall(store.clock.now() + timedelta(days=9))  # imported nine days later
    ingest(store, kiosk.batch(), source="usb")
    status = store.kiosk_status(kiosk.key.kiosk_id)
    assert status.vote_ahead_s == pytest.approx(-9 * 86400, abs=1)
    assert not status.skew_flagged


def test_the_threshold_is_configurable(tmp_path, make_kiosk, monkeypatch, clock):
    path = tmp_path / "c.sqlite3"
    with CollectorStore(path, clock, skew_threshold_s=7200) as store:
        store.load_districts([("3706", "small")])
        k = make_kiosk()
        enroll(store, k)
        k.cast(1)
        clock.set_wall(clock.now() + timedelta(hours=1))
        ingest(store, k.batch(), source="http")
        assert not store.kiosk_status(k.key.kiosk_id).skew_flagged
    monkeypatch.setenv(SKEW_THRESHOLD_ENV, "60")
    with CollectorStore(path, clock) as store:
        assert store.skew_threshold_s == 60
        assert store.kiosk_status(k.key.kiosk_id).skew_flagged
    monkeypatch.setenv(SKEW_THRESHOLD_ENV, "soon")  # nonsense falls back to the default
    with CollectorStore(path, clock) as store:
        assert store.skew_threshold_s == 300


def test_kiosks_command_shows_the_clock_and_takes_a_threshold(tmp_path, make_kiosk, clock, capsys):
    db = tmp_path / "collector.sqlite3"
    with CollectorStore(db, clock) as store:
        store.load_districts([("3706", "small")])
        k = make_kiosk()
        enroll(store, k)
        k.cast(2)
        clock.set_wall(clock.now() - timedelta(minutes=10))  # votes 10 min in the future
        ingest(store, k.batch(), source="usb")
    assert main(["kiosks", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "votes +600 s ahead OFF" in out
    assert "1 with a clock off by more than 300 s" in out
    assert main(["kiosks", "--json", "--clock-threshold", "900", "--db", str(db)]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["vote_ahead_s"] == pytest.approx(600, abs=1)
    assert row["clock_threshold_s"] == 900
    assert row["skew_flagged"] is False
