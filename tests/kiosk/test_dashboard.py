"""The dashboard's figures from a real ledger, read-only; the last failed save."""

import sqlite3
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.campaign import FROM_USB, Heard, ShownCampaign, accept_campaign
from kiosk.config import CONFIG_FILE_NAME, KioskConfig, save_config
from kiosk.dashboard import DashboardError, read_dashboard
from kiosk.demo import DEMO_ROSTER
from kiosk.ledger import LEDGER_FILE_NAME
from kiosk.save_failure import (
    SAVE_FAILURE_FILE_NAME,
    clear_save_failure,
    last_save_failure,
    record_save_failure,
)
from kiosk.syncstate import SyncState, save_sync_state
from wire.campaign import CampaignNotice, sign_notice
from wire.vote import Ballot, Target

TODAY = date(2026, 11, 24)  # the fake clock's Thai day


def ballot(rating, target=None, story=""):
    return Ballot(district="3706", rating=rating, target=target, story=story)


def test_an_empty_kiosk_shows_zeros_and_creates_no_ledger(tmp_path):
    data = read_dashboard(tmp_path, DEMO_ROSTER, TODAY)
    assert (data.total, data.today, data.pending) == (0, 0, 0)
    assert data.by_rating == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}
    assert not (tmp_path / LEDGER_FILE_NAME).exists()


def test_counts_targets_and_stories(tmp_path, ledger, clock):
    ledger.cast_many(
        [
            ballot(5, Target("staff", "s01"), "เจ้าหน้าที่ใจดี โทร 081-234-5678"),
            ballot(5, Target("staff", "s01")),
            ballot(4, Target("staff", "s09")),  # retired, still counted by name
            ballot(2, Target("unit", "id-card"), "รอนาน"),
            ballot(3),
        ]
    )
    clock.advance(86400)
    ledger.cast(ballot(1, Target("staff", "zz-gone")))
    ledger.mark_delivered([(1, 2)], "sha256:" + "0" * 64)
    save_sync_state(tmp_path, SyncState(last_success="2026-11-25T03:00:00.000Z"))

    data = read_dashboard(tmp_path, DEMO_ROSTER, date(2026, 11, 25))
    assert (data.total, data.today, data.delivered, data.pending) == (6, 1, 2, 4)
    assert data.by_rating == {1: 1, 2: 1, 3: 1, 4: 1, 5: 2}
    staff = {t.id: t for t in data.staff}
    assert staff["s01"].votes == 2
    assert staff["s01"].name("th") == "นางสาวกานดา ใจดี"
    assert staff["s09"].retired
    assert staff["s09"].name("en") == "Mr Pairoj Jaikwang"
    assert staff["zz-gone"].name("th") == "zz-gone"  # an id the roster never had
    assert data.staff[0].id == "s01"  # most votes first
    assert [(u.id, u.votes) for u in data.units] == [("id-card", 1)]
    assert data.no_target == 1
    assert [s.text for s in data.stories] == ["รอนาน", "เจ้าหน้าที่ใจดี โทร XXX-XXX-XXXX"]
    assert data.export.votes == 4
    assert data.export.estimated_bytes > data.export.vote_bytes > 0
    assert data.sync.last_success == "2026-11-25T03:00:00.000Z"


def test_the_dashboard_never_writes_to_the_ledger(tmp_path, ledger):
    ledger.cast(ballot(5))
    path = tmp_path / LEDGER_FILE_NAME
    before = path.stat().st_mtime_ns
    read_dashboard(tmp_path, DEMO_ROSTER, TODAY)
    assert path.stat().st_mtime_ns == before


def test_a_ledger_that_is_not_a_database_is_a_clear_error(tmp_path):
    (tmp_path / LEDGER_FILE_NAME).write_bytes(b"not a database" * 100)
    with pytest.raises(DashboardError, match="cannot be read"):
        read_dashboard(tmp_path, DEMO_ROSTER, TODAY)


def test_a_save_failure_is_kept_in_memory_when_the_disk_refuses_it(tmp_path):
    (tmp_path / SAVE_FAILURE_FILE_NAME).mkdir()  # the file cannot be written
    record_save_failure(
        tmp_path, "disk_full", "database or disk is full", "2026-11-24T03:00:00.000Z"
    )
    found = last_save_failure(tmp_path)
    assert found is not None
    assert found.code == "disk_full"
    assert read_dashboard(tmp_path, DEMO_ROSTER, TODAY).save_failure == found


def test_a_save_failure_survives_a_restart_on_file_and_can_be_cleared(tmp_path, monkeypatch):
    import kiosk.save_failure as module

    record_save_failure(tmp_path, "database_error", "boom", "2026-11-24T03:00:00.000Z")
    monkeypatch.setattr(module, "_in_memory", {})  # a restarted kiosk
    found = last_save_failure(tmp_path)
    assert found is not None
    assert found.message == "boom"
    clear_save_failure(tmp_path)
    assert last_save_failure(tmp_path) is None


def test_a_damaged_save_failure_file_reads_as_none(tmp_path):
    (tmp_path / SAVE_FAILURE_FILE_NAME).write_text("[1]")
    assert last_save_failure(tmp_path) is None


def test_reading_while_another_connection_writes(tmp_path, ledger):
    ledger.cast(ballot(5))
    conn = sqlite3.connect(tmp_path / LEDGER_FILE_NAME)
    conn.execute("BEGIN IMMEDIATE")  # a writer holds the lock: WAL readers carry on
    try:
        assert read_dashboard(tmp_path, DEMO_ROSTER, TODAY).total == 1
    finally:
        conn.rollback()
        conn.close()


def test_a_ledger_file_whose_tables_are_still_being_made_reads_as_empty(tmp_path):
    # The ledger thread creates the file, then its tables in one transaction: a reader in
    # between sees an empty database, which holds no votes yet.
    sqlite3.connect(tmp_path / LEDGER_FILE_NAME).close()
    data = read_dashboard(tmp_path, DEMO_ROSTER, TODAY)
    assert (data.total, data.today, data.pending) == (0, 0, 0)


NOTICE = CampaignNotice(
    2569, "ประเมินอำเภอ ๒๕๖๙", "District rating 2569", "เสียงของคุณสำคัญ", "Your voice matters",
    "2026-10-31T17:00:00.000Z", "2026-11-30T17:00:00.000Z", "2026-10-20T03:00:00.000Z",
)  # fmt: skip


def test_the_dashboard_names_the_campaign_shown_or_none(tmp_path, ledger):
    key = Ed25519PrivateKey.generate()
    config = KioskConfig(district="3706", demo=False, collector_url="http://c", enrolled=True,
                         collector_key=key.public_key().public_bytes_raw().hex())  # fmt: skip
    save_config(tmp_path, config)
    ledger.cast(ballot(5))
    assert read_dashboard(tmp_path, DEMO_ROSTER, TODAY).campaign is None  # the default shows
    heard = Heard("2026-11-24T03:00:00.000Z", FROM_USB)
    accept_campaign(tmp_path, config, sign_notice(key, NOTICE), heard)
    data = read_dashboard(tmp_path, DEMO_ROSTER, TODAY)  # the settings read from the folder
    assert data.campaign == ShownCampaign(NOTICE, heard, TODAY)
    assert data.total == 1
    demo = KioskConfig()  # settings without the collector's key cannot trust it
    assert read_dashboard(tmp_path, DEMO_ROSTER, TODAY, config=demo).campaign is None


def test_unreadable_settings_hide_the_campaign_not_the_figures(tmp_path, ledger, caplog):
    key = Ed25519PrivateKey.generate()
    config = KioskConfig(district="3706", demo=False, collector_url="http://c", enrolled=True,
                         collector_key=key.public_key().public_bytes_raw().hex())  # fmt: skip
    accept_campaign(tmp_path, config, sign_notice(key, NOTICE), Heard(NOTICE.issued_at, FROM_USB))
    ledger.cast(ballot(4))
    (tmp_path / CONFIG_FILE_NAME).write_text("{broken", encoding="utf-8")
    data = read_dashboard(tmp_path, DEMO_ROSTER, TODAY)
    assert (data.total, data.campaign) == (1, None)
    assert "cannot check the kept campaign" in caplog.text
