"""Changing the district office in Settings: allowed only while the kiosk is not enrolled and its
ledger holds no vote; every refusal changes nothing (real config files, a real SQLite ledger)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.config import CONFIG_FILE_NAME, KioskConfig, load_config, save_config
from kiosk.district_change import (
    DEMO,
    ENROLLED,
    HAS_VOTES,
    UNKNOWN,
    UNREADABLE,
    DistrictChangeError,
    change_district,
    votes_cast,
    why_locked,
)
from kiosk.ledger import LEDGER_FILE_NAME, Ledger
from wire.vote import Ballot

SET_UP = KioskConfig(district="3706", demo=False, idle_timeout_s=90.0, cooldown_s=5.0,
                     default_language="en", collector_url="https://sangsuk.example.go.th")  # fmt: skip


def files(data_dir: Path) -> dict[str, bytes]:
    """Every file of the data folder and its bytes (what a refusal must leave as it was).

    Not SQLite's shared-memory index (``-shm``), which any reader of a WAL database writes, nor
    an empty write-ahead log that a reader opens: neither holds a vote.
    """
    return {
        str(path.relative_to(data_dir)): path.read_bytes()
        for path in sorted(data_dir.rglob("*"))
        if path.is_file()
        and not path.name.endswith("-shm")
        and not (path.name.endswith("-wal") and path.stat().st_size == 0)
    }


def enrolled() -> KioskConfig:
    key = Ed25519PrivateKey.generate().public_key().public_bytes_raw().hex()
    return SET_UP.with_changes(enrolled=True, collector_key=key, size_group="small")


def refused(data_dir: Path, district: str, code: str) -> None:
    """change_district refuses with code and leaves every file of data_dir as it was."""
    before = files(data_dir)
    with pytest.raises(DistrictChangeError) as caught:
        change_district(data_dir, district)
    assert caught.value.code == code
    assert files(data_dir) == before


def test_a_kiosk_set_up_with_no_ledger_yet_changes_its_district(tmp_path):
    save_config(tmp_path, SET_UP)
    assert why_locked(tmp_path) is None
    saved = change_district(tmp_path, "5001")
    assert saved.district == "5001"
    on_disk = load_config(tmp_path)
    assert on_disk == saved
    # Only the district changed: the clerk's other settings stay.
    assert on_disk == SET_UP.with_changes(district="5001")
    assert not (tmp_path / LEDGER_FILE_NAME).exists()  # reading made no ledger


def test_a_kiosk_whose_ledger_holds_no_vote_yet_changes_its_district(tmp_path, ledger):
    # The ledger thread has made the file (as at every start) and holds it open; no one voted.
    save_config(tmp_path, SET_UP)
    assert votes_cast(tmp_path) == 0
    assert why_locked(tmp_path) is None
    assert change_district(tmp_path, "5001").district == "5001"
    assert load_config(tmp_path).district == "5001"
    ledger.cast(Ballot("5001", 5))  # and the first vote names the new district
    assert votes_cast(tmp_path) == 1


def test_choosing_the_district_already_set_writes_nothing(tmp_path):
    save_config(tmp_path, SET_UP)
    path = tmp_path / CONFIG_FILE_NAME
    before = path.stat().st_mtime_ns, path.read_bytes()
    assert change_district(tmp_path, "3706") == SET_UP
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before


def test_one_vote_in_the_ledger_keeps_the_district(tmp_path, ledger, caplog):
    save_config(tmp_path, SET_UP)
    ledger.cast(Ballot("3706", 4))
    assert votes_cast(tmp_path) == 1
    assert why_locked(tmp_path) == HAS_VOTES
    with caplog.at_level(logging.WARNING, logger="kiosk.district_change"):
        refused(tmp_path, "5001", HAS_VOTES)
    assert "the district stays 3706" in caplog.text
    assert ledger.counts().total == 1  # the vote is there, as it was


def test_an_enrolled_kiosk_keeps_its_district(tmp_path):
    save_config(tmp_path, enrolled())
    assert why_locked(tmp_path) == ENROLLED
    refused(tmp_path, "5001", ENROLLED)


def test_an_enrolled_kiosk_with_votes_is_refused_as_enrolled(tmp_path, ledger):
    save_config(tmp_path, enrolled())
    ledger.cast_many([Ballot("3706", 5), Ballot("3706", 3)])
    assert votes_cast(tmp_path) == 2
    refused(tmp_path, "5001", ENROLLED)


def test_a_kiosk_in_demo_mode_chooses_its_district_in_setup_not_here(tmp_path):
    assert why_locked(tmp_path) == DEMO  # no settings file: the demo
    refused(tmp_path, "5001", DEMO)
    assert not (tmp_path / CONFIG_FILE_NAME).exists()
    save_config(tmp_path, KioskConfig())
    refused(tmp_path, "5001", DEMO)


@pytest.mark.parametrize("district", ["9999", "1001", "50", "abcd", ""])
def test_a_code_that_is_no_district_office_is_refused(tmp_path, district):
    save_config(tmp_path, SET_UP)
    refused(tmp_path, district, UNKNOWN)


def test_a_ledger_that_cannot_be_read_keeps_the_district(tmp_path, caplog):
    save_config(tmp_path, SET_UP)
    (tmp_path / LEDGER_FILE_NAME).write_bytes(b"not a database, but maybe votes" * 200)
    with caplog.at_level(logging.WARNING, logger="kiosk.district_change"):
        assert why_locked(tmp_path) == UNREADABLE
    assert "cannot be read" in caplog.text
    refused(tmp_path, "5001", UNREADABLE)


def test_settings_that_cannot_be_read_keep_the_district(tmp_path):
    (tmp_path / CONFIG_FILE_NAME).write_text('{"district": "3706", "demo": fal', encoding="utf-8")
    assert why_locked(tmp_path) == UNREADABLE
    refused(tmp_path, "5001", UNREADABLE)


def test_the_ledger_is_read_without_being_changed(tmp_path, device_key, clock):
    with Ledger.open(tmp_path, device_key, clock) as opened:
        opened.cast_many([Ballot("3706", 5)] * 3)
    before = files(tmp_path)
    assert votes_cast(tmp_path) == 3
    assert files(tmp_path) == before
