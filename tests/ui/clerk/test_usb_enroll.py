"""Enrollment by USB stick in the clerk's settings: the request written to the stick, the
central office's real import, the answer read back and checked; refusals in the clerk's words."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from collector.cli import main as collector_main
from kiosk.config import load_config
from kiosk.drives import Drive
from tests.collector_server import RunningCollector, serve_collector
from tests.ui.clerk.helpers import build_kiosk, idle, set_up, unlock
from ui.clerk.area import ClerkArea
from wire.canonical import canonical_json
from wire.keys import fingerprint_for
from wire.stick import ENROLL_ANSWER_SUFFIX, ENROLL_REQUEST_SUFFIX


@pytest.fixture
def collector(tmp_path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "central.sqlite3", [("3706", "small")]) as running:
        yield running


@pytest.fixture
def stick(tmp_path) -> Path:
    folder = tmp_path / "media" / "clerk" / "KINGSTON"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def area(qtbot, switcher, clock, data_dir, ledger_service, stick) -> ClerkArea:
    set_up(data_dir, clock)
    kiosk = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    opened = unlock(qtbot, kiosk, clock)
    opened.settings.usb._drives = lambda: [Drive(stick, "KINGSTON", 1 << 30, 2 << 30)]
    opened.nav[opened.settings].click()
    return opened


def central_import(collector: RunningCollector, stick: Path) -> None:
    assert collector_main(["import", str(stick), "--db", str(collector.db_path)]) == 0


def test_write_the_request_then_read_the_answer(qtbot, area, data_dir, stick, collector):
    screen = area.settings
    usb = screen.usb
    assert usb.request_button.text() == "บันทึกคำขอลงแฟลชไดรฟ์"
    screen.token.setText(collector.store.issue_token("3706"))
    usb.request_button.click()
    idle(qtbot, area)
    (request,) = stick.glob("*" + ENROLL_REQUEST_SUFFIX)
    assert request.name in usb.message.text()
    assert "บันทึกคำขอลงทะเบียน" in usb.message.text()

    usb.answer_button.click()  # nothing there yet
    idle(qtbot, area)
    assert "ยังไม่มีคำตอบ" in usb.message.text()

    central_import(collector, stick)
    usb.answer_button.click()
    idle(qtbot, area)
    fingerprint = fingerprint_for(bytes.fromhex(collector.collector_key_hex))
    # The USB stick's card folds away with the token; the collector's card says the news.
    qtbot.waitUntil(lambda: not screen.usb_card.isVisible())
    assert fingerprint in screen.enroll_message.text()
    assert "ลงทะเบียนด้วยแฟลชไดรฟ์แล้ว" in screen.enroll_message.text()
    assert load_config(data_dir).enrolled
    assert area.host.config.enrolled
    assert "ลงทะเบียนด้วยแฟลชไดรฟ์แล้ว" in screen.enroll_state.text()
    assert f"ลายนิ้วมือกุญแจของระบบกลาง: {fingerprint}" in screen.enroll_facts.text()
    assert not screen.token.isVisible()
    # No address yet: the field stays, for the day the office has internet.
    assert screen.url.isVisible()
    assert screen.enroll_again_button.isVisible()
    # No address: the votes go out on a stick, and "Send now" is not offered.
    area.nav[area.dashboard].click()
    idle(qtbot, area)
    assert "ลงทะเบียนด้วยแฟลชไดรฟ์แล้ว ส่งผลการประเมินด้วยแฟลชไดรฟ์" in area.dashboard.sync_state.text()
    assert not area.dashboard.sync_button.isEnabled()


def test_a_tampered_answer_is_refused_in_words(qtbot, area, data_dir, stick, collector):
    usb = area.settings.usb
    area.settings.token.setText(collector.store.issue_token("3706"))
    usb.request_button.click()
    idle(qtbot, area)
    central_import(collector, stick)
    (answer,) = stick.glob("*" + ENROLL_ANSWER_SUFFIX)
    obj = json.loads(answer.read_bytes())
    obj["size_group"] = "large"
    answer.write_bytes(canonical_json(obj))
    usb.answer_button.click()
    idle(qtbot, area)
    assert "ถูกแก้ไขหลังจากส่วนกลางลงนาม" in usb.message.text()
    assert not load_config(data_dir).enrolled


def test_no_stick(qtbot, area):
    usb = area.settings.usb
    usb._drives = list
    usb.request_button.click()
    assert "ไม่พบแฟลชไดรฟ์" in usb.message.text()
