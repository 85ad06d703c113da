"""The doctor compares the kiosk's clock with its collector's: a real collector served by uvicorn,
a kiosk enrolled with it, and the kiosk's clock faked (right, or an hour fast)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.config import load_config, save_config
from kiosk.doctor import Status
from sync.doctor import CLOCK_OFF_S, check_clock
from sync.operations import enroll
from tests.collector_server import RunningCollector, serve_collector
from tests.fakes import FakeClock
from wire.clock import SystemClock


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "central.sqlite3", [("3706", "small")]) as running:
        yield running


@pytest.fixture
def enrolled(tmp_path: Path, collector: RunningCollector) -> Path:
    folder = tmp_path / "kiosk"
    token = collector.store.issue_token("3706")
    assert enroll(folder, collector.url, token).ok
    return folder


def test_a_clock_that_agrees_is_ok(enrolled: Path) -> None:
    finding = check_clock(enrolled, SystemClock())
    assert finding.status is Status.OK, finding
    assert "agrees" in finding.detail_en


def test_a_clock_a_hair_behind_reads_zero_seconds_off(enrolled: Path) -> None:
    behind = FakeClock(SystemClock().now() - timedelta(milliseconds=300))
    finding = check_clock(enrolled, behind)
    assert finding.status is Status.OK, finding
    assert "(0 s)" in finding.detail_en  # not "-0 s"


def test_a_clock_an_hour_fast_is_a_warning_with_the_fix(enrolled: Path) -> None:
    fast = FakeClock(SystemClock().now() + timedelta(hours=1))
    finding = check_clock(enrolled, fast)
    assert finding.status is Status.WARN
    assert "+3600 s" in finding.detail_en or "+3599 s" in finding.detail_en
    assert f"more than {CLOCK_OFF_S} s" in finding.detail_en
    assert "timedatectl set-ntp true" in finding.fix_en
    assert finding.detail_th.startswith("นาฬิกาของตู้คลาด")


def test_an_unreachable_collector_is_a_warning(enrolled: Path) -> None:
    config = load_config(enrolled)
    save_config(enrolled, replace(config, collector_url="http://127.0.0.1:9"))  # nothing there
    finding = check_clock(enrolled, SystemClock())
    assert finding.status is Status.WARN
    assert "cannot be reached" in finding.detail_en
    assert "network" in finding.fix_en


def test_another_collector_than_the_one_enrolled_with_fails(enrolled: Path) -> None:
    config = load_config(enrolled)
    stranger = Ed25519PrivateKey.generate().public_key().public_bytes_raw().hex()
    save_config(enrolled, replace(config, collector_key=stranger))
    finding = check_clock(enrolled, SystemClock())
    assert finding.status is Status.FAIL
    assert "not the one this kiosk enrolled with" in finding.detail_en


def test_not_enrolled_is_not_compared_and_points_at_the_enrollment_check(tmp_path: Path) -> None:
    """The enrollment check is the one that warns (kiosk/doctor_tablet.py): not counted twice."""
    finding = check_clock(tmp_path / "kiosk", SystemClock())
    assert finding.status is Status.OK
    assert finding.detail_en.startswith("Not compared: the kiosk is not enrolled")
    assert "(see enrollment)" in finding.detail_en
