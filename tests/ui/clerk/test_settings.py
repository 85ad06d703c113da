"""Settings: timings and language honoured by the flow, enrolling, changing the PIN, leaving."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.flow import Step
from kiosk.pin import PinStore
from tests.collector_server import RunningCollector, serve_collector
from tests.ui.citizen.helpers import human
from tests.ui.clerk.helpers import (
    PIN,
    build_kiosk,
    idle,
    open_clerk,
    set_up,
    tap_field,
    unlock,
)
from tests.ui.displays import REQUIRED, xvfb
from wire.keys import fingerprint_for


@pytest.fixture
def kiosk(qtbot, switcher, clock, data_dir, ledger_service):
    set_up(data_dir, clock)
    return build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)


@pytest.fixture
def settings(qtbot, kiosk, clock):
    area = unlock(qtbot, kiosk, clock)
    area.nav[area.settings].click()
    return area


def test_timings_and_language_are_saved_and_the_next_citizen_gets_them(
    qtbot, kiosk, settings, data_dir, clock
):
    screen = settings.settings
    assert screen.idle.shown.text() == "60 วินาที"
    for _ in range(3):
        screen.idle.plus.click()
    for _ in range(2):
        screen.cooldown.minus.click()
    screen.language_chips["en"].click()
    screen.save_button.click()
    idle(qtbot, settings)
    config = load_config(data_dir)
    assert (config.idle_timeout_s, config.cooldown_s, config.default_language) == (90, 0, "en")
    assert "บันทึกแล้ว" in screen.settings_message.text()
    assert kiosk.flow.settings.idle_timeout_s == 90
    assert kiosk.flow.settings.cooldown_s == 0
    settings.leave_button.click()
    assert kiosk.flow.session.lang == "en"  # the next citizen starts in English
    kiosk.welcome.start_button.click()
    human(clock)
    clock.advance(80)
    kiosk.tick()
    assert kiosk.flow.view().still_there_remaining is None  # 90 s now, not 60
    clock.advance(15)
    assert kiosk.flow.view().still_there_remaining is not None


def test_the_clerks_screens_stay_thai_whatever_the_citizens_default_language(
    qtbot, switcher, kiosk, settings, data_dir, clock
):
    """A trial: English as the citizens' default turned the PIN pad and every clerk screen to
    English, and saving Thai again left them English. The clerk's language is its own."""
    screen = settings.settings
    screen.language_chips["en"].click()
    screen.save_button.click()
    idle(qtbot, settings)
    assert "บันทึกแล้ว" in screen.settings_message.text()
    assert settings.nav[screen].text() == "ตั้งค่า"  # the clerk's screens stay Thai
    settings.leave_button.click()
    assert switcher.language == "en"  # the citizens' screens are English now

    area = open_clerk(qtbot, kiosk, clock)  # the PIN pad is in the clerk's language
    assert area.current_page() is area.pin_screen
    assert switcher.language == "th"
    qtbot.waitUntil(lambda: area.pin_screen.prompt.text() == "ใส่รหัส PIN ของเจ้าหน้าที่")
    area.pin_screen.pad.type_pin(PIN)
    area.pin_screen.pad.ok_key.click()
    qtbot.waitUntil(lambda: area.current_page() is area.dashboard)
    idle(qtbot, area)
    assert area.nav[area.dashboard].text() == "ภาพรวม"

    area.nav[screen].click()
    assert screen.language_chips["en"].is_on()
    screen.language_chips["th"].click()  # Thai for citizens again: in force at once
    screen.save_button.click()
    idle(qtbot, area)
    assert load_config(data_dir).default_language == "th"
    assert "บันทึกแล้ว" in screen.settings_message.text()
    area.leave_button.click()
    assert switcher.language == "th"
    assert kiosk.flow.session.lang == "th"


def test_a_technician_may_give_the_clerk_english_screens_of_their_own(
    qtbot, switcher, clock, data_dir, ledger_service
):
    set_up(data_dir, clock, clerk_language="en")
    kiosk = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    assert switcher.language == "th"  # citizens start in Thai
    area = open_clerk(qtbot, kiosk, clock)
    assert switcher.language == "en"
    qtbot.waitUntil(lambda: area.pin_screen.prompt.text() == "Enter the clerk PIN")
    area.leave_button.click()
    assert switcher.language == "th"
    assert kiosk.flow.session.lang == "th"


def test_the_steppers_stop_at_their_limits(settings):
    screen = settings.settings
    for _ in range(100):
        screen.idle.plus.click()
    assert screen.idle.value == 600
    assert not screen.idle.plus.isEnabled()


def test_a_bad_collector_address_is_refused_and_nothing_saved(qtbot, settings, data_dir):
    before = (data_dir / "config.json").read_bytes()
    settings.settings.url.setText("collector.example")
    settings.settings.save_button.click()
    assert "http://" in settings.settings.settings_message.text()
    assert (data_dir / "config.json").read_bytes() == before


@pytest.fixture
def collector(tmp_path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "central.sqlite3", [("3706", "small")]) as running:
        yield running


def test_enrol_later_from_settings(qtbot, kiosk, settings, data_dir, collector):
    screen = settings.settings
    tap_field(screen.url)
    settings.keyboard.type_text(collector.url)
    assert screen.url.text() == collector.url
    screen.token.setText("wrong-token")
    screen.enroll_button.click()
    idle(qtbot, settings)
    assert "ไม่พบรหัสลงทะเบียนนี้" in screen.enroll_message.text()
    screen.token.setText("")
    tap_field(screen.token)  # typed on the on-screen keyboard, as a clerk does
    settings.keyboard.type_text(collector.store.issue_token("3706"))
    assert settings.keyboard.isVisible()
    screen.enroll_button.click()
    idle(qtbot, settings)
    assert load_config(data_dir).enrolled
    assert kiosk.config.enrolled
    assert "ลงทะเบียนแล้ว" in screen.enroll_message.text()
    sheet = fingerprint_for(bytes.fromhex(collector.collector_key_hex))
    assert f"ลายนิ้วมือกุญแจของระบบกลางคือ {sheet}" in screen.enroll_message.text()
    # The token is used: its keyboard (and its count of characters left) goes.
    qtbot.waitUntil(lambda: not settings.keyboard.isVisible())
    # The card folds to say where the kiosk is enrolled; no token field is offered any more.
    assert_enrolled_card(screen, collector.url, sheet)


def assert_enrolled_card(screen, url: str, sheet: str) -> None:
    """The collector's card says where the kiosk is enrolled, and offers no token field."""
    assert f"ลงทะเบียนแล้ว ส่งผลการประเมินไปยังระบบกลางที่ {url}" in screen.enroll_state.text()
    assert f"ลายนิ้วมือกุญแจของระบบกลาง: {sheet}" in screen.enroll_facts.text()
    assert "หัวตะพาน, อำนาจเจริญ (3706)" in screen.enroll_facts.text()
    for hidden in (screen.token, screen.enroll_button, screen.usb_card, screen.url):
        assert not hidden.isVisible()
    assert screen.enroll_again_button.isVisible()
    assert screen.enroll_again_button.text() == "ลงทะเบียนใหม่ด้วยรหัสลงทะเบียนใหม่"


def test_a_kiosk_not_enrolled_offers_the_token_and_the_usb_stick(settings):
    screen = settings.settings
    assert "ยังไม่ได้ลงทะเบียน" in screen.enroll_state.text()
    for shown in (screen.url, screen.token, screen.enroll_button, screen.usb_card):
        assert shown.isVisible()
    assert not screen.enroll_again_button.isVisible()
    assert not screen.enroll_facts.isVisible()


OLD_COLLECTOR = "https://sangsuk-old.example.go.th"


@pytest.fixture
def enrolled_settings(qtbot, switcher, clock, data_dir, ledger_service, collector):
    """Settings of a kiosk enrolled with the central collector at its old address: it trusts
    the collector's key, and may enrol again at the new address with a new token."""
    set_up(
        data_dir,
        clock,
        enrolled=True,
        collector_url=OLD_COLLECTOR,
        collector_key=collector.collector_key_hex,
        size_group="small",
    )
    kiosk = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    area = unlock(qtbot, kiosk, clock)
    area.nav[area.settings].click()
    return area, fingerprint_for(bytes.fromhex(collector.collector_key_hex))


def test_an_enrolled_kiosk_says_where_and_enrols_again_only_when_asked(
    qtbot, enrolled_settings, data_dir, collector
):
    area, old_sheet = enrolled_settings
    screen = area.settings
    assert_enrolled_card(screen, OLD_COLLECTOR, old_sheet)

    screen.enroll_again_button.click()  # the central office asked: the fields unfold
    for shown in (screen.url, screen.token, screen.enroll_button, screen.usb_card):
        assert shown.isVisible()
    assert "เฉพาะเมื่อส่วนกลางแจ้ง" in screen.enroll_again_note.text()
    assert screen.enroll_again_button.text() == "ใช้การลงทะเบียนเดิมต่อ"
    screen.token.setText("typed by mistake")
    screen.enroll_again_button.click()  # folded again: nothing typed stays, nothing changed
    assert_enrolled_card(screen, OLD_COLLECTOR, old_sheet)
    assert screen.token.text() == ""
    assert load_config(data_dir).collector_url == OLD_COLLECTOR

    screen.enroll_again_button.click()
    screen.url.setText(collector.url)
    screen.token.setText(collector.store.issue_token("3706"))
    screen.enroll_button.click()
    idle(qtbot, area)
    assert load_config(data_dir).collector_url == collector.url
    assert f"ลายนิ้วมือกุญแจของระบบกลางคือ {old_sheet}" in screen.enroll_message.text()
    assert_enrolled_card(screen, collector.url, old_sheet)  # folded, at the new address


def test_enrolling_again_with_a_wrong_token_keeps_the_fields_open(
    qtbot, enrolled_settings, data_dir, collector
):
    area, old_sheet = enrolled_settings
    screen = area.settings
    screen.enroll_again_button.click()
    screen.url.setText(collector.url)
    tap_field(screen.token)  # typed on the on-screen keyboard: the card beside it makes room
    area.keyboard.type_text("wrong-token")
    qtbot.waitUntil(lambda: area.keyboard.isVisible())
    assert not screen.usb_card.isVisible()
    screen.enroll_button.click()
    idle(qtbot, area)
    assert "ไม่พบรหัสลงทะเบียนนี้" in screen.enroll_message.text()
    assert screen.token.isVisible()  # the clerk can correct the token
    assert not screen.usb_card.isVisible()  # still typing: the keyboard keeps its room
    area.keyboard.hide_button.click()
    qtbot.waitUntil(lambda: screen.usb_card.isVisible())
    assert load_config(data_dir).collector_url == OLD_COLLECTOR
    area.nav[area.dashboard].click()
    area.nav[area.settings].click()  # shown afresh: folded, still the old collector
    assert_enrolled_card(screen, OLD_COLLECTOR, old_sheet)


def test_change_the_pin(qtbot, settings, data_dir, clock):
    screen = settings.settings
    screen.change_pin_button.click()
    change = screen.change_pin
    assert change.isVisible()
    change.pad.type_pin(PIN)
    change.pad.ok_key.click()
    change.pad.type_pin("739251")
    change.pad.ok_key.click()
    change.pad.type_pin("739251")
    change.pad.ok_key.click()
    idle(qtbot, settings)
    assert "เปลี่ยนรหัส PIN เรียบร้อยแล้ว" in change.message.text()
    assert PinStore(data_dir, clock).check("739251").ok


def test_change_the_pin_with_a_wrong_current_one_changes_nothing(qtbot, settings, data_dir, clock):
    change = settings.settings.change_pin
    settings.settings.change_pin_button.click()
    for pin in ("000111", "739251", "739251"):
        change.pad.type_pin(pin)
        change.pad.ok_key.click()
    idle(qtbot, settings)
    assert "ไม่ถูกต้อง" in change.message.text()
    assert PinStore(data_dir, clock).check(PIN).ok


def test_leaving_kiosk_mode_needs_a_second_tap(qtbot, kiosk, settings):
    screen = settings.settings
    screen.exit_button.click()
    assert kiosk.isVisible()
    assert screen.exit_message.isVisible()
    with qtbot.waitSignal(settings.exit_requested, timeout=2000):
        screen.exit_button.click()
    qtbot.waitUntil(lambda: not kiosk.isVisible(), timeout=5000)


def test_the_citizen_flow_is_paused_while_the_clerk_works(qtbot, kiosk, settings, clock):
    assert kiosk.flow.step is Step.WELCOME
    clock.advance(600)
    kiosk.tick()
    assert kiosk.clerk_open()


def test_a_long_address_shows_from_its_start_when_nobody_types_in_it(settings) -> None:
    field = settings.settings.url
    field.setText("https://sangsuk-collector.province.example.go.th/very/long/path")
    field.setFixedWidth(200)  # narrower than the address, as on the smallest panel
    assert field.cursorPosition() == 0  # "https://…" shows, not "…long/path" (nor "ttps://")


@pytest.mark.skipif(
    not REQUIRED and not all(shutil.which(t) for t in ("Xvfb", "xdotool")),
    reason="Xvfb or xdotool is not installed (apt-get install xvfb xdotool)",
)
def test_a_tap_on_the_address_and_the_token_opens_the_keyboard_on_a_real_x_server(
    tmp_path: Path,
) -> None:
    """A trial saw taps on these fields do nothing: offscreen, QTest's press on a line edit in a
    page that scrolls never arrives. On a real X server, a pointer's press and release on each
    field, on the 1024x600 panel, give it focus and the keyboard, and what is typed lands there."""
    with xvfb(1024, 600) as display:
        done = subprocess.run(
            [sys.executable, "-m", "tests.ui.clerk.tap_on_x", str(tmp_path)],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[3],
            env={**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"},
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    told = json.loads(done.stdout.strip().splitlines()[-1])
    assert told["active"]
    assert told["collectorUrl"] == {
        "focus": "collectorUrl",
        "typing_into": "collectorUrl",
        "text": "http://127.0.0.1:9",
    }
    assert told["enrollToken"] == {
        "focus": "enrollToken",
        "typing_into": "enrollToken",
        "text": "ABCD1234",
    }
    assert told["url_after_token"] == "http://127.0.0.1:9"
