"""Changing the district office in Settings, on a real kiosk window with a real ledger thread:
chosen again with the setup wizard's picker while the kiosk is not enrolled and nobody has voted,
refused in the clerk's words (and nothing changed) once it is enrolled or holds a vote."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.config import CONFIG_FILE_NAME, load_config
from kiosk.drives import Drive
from tests.collector_server import RunningCollector, serve_collector
from tests.ui.citizen.helpers import human, stored_votes
from tests.ui.clerk.helpers import build_kiosk, cast, idle, set_up, tap_field, unlock
from ui.app import KioskWindow
from ui.clerk.area import ClerkArea
from wire.stick import ENROLL_REQUEST_SUFFIX

CALL = "โทรแจ้งส่วนกลาง"


def open_settings(qtbot, kiosk: KioskWindow, clock) -> ClerkArea:
    """Unlock the clerk's screens, open Settings, and wait for the district card's check."""
    area = unlock(qtbot, kiosk, clock)
    area.nav[area.settings].click()
    idle(qtbot, area)
    return area


@pytest.fixture
def kiosk(qtbot, switcher, clock, data_dir, ledger_service):
    set_up(data_dir, clock)  # Hua Taphan, not enrolled; the ledger is open and holds no vote
    return build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)


def choose_chiang_mai(qtbot, area: ClerkArea) -> None:
    """On the change page, type the province and the district and tap what is offered."""
    picker = area.settings.change_district.picker
    tap_field(picker.province_search)
    qtbot.waitUntil(lambda: area.keyboard.field is picker.province_search)
    area.keyboard.type_text("เชียงใหม่")
    qtbot.waitUntil(picker.province_offer.isVisible)
    picker.province_offer.click()
    assert picker.province == "50"
    assert picker.district is None  # choosing a province chooses no district
    tap_field(picker.district_search)
    qtbot.waitUntil(lambda: area.keyboard.field is picker.district_search)
    area.keyboard.type_text("เมืองเชียงใหม่")
    qtbot.waitUntil(picker.district_offer.isVisible)
    picker.district_offer.click()
    assert picker.district == "5001"
    qtbot.waitUntil(lambda: not area.keyboard.isVisible())


def test_the_district_chosen_wrongly_is_changed_and_the_next_vote_names_the_new_one(
    qtbot, kiosk, clock, data_dir, ledger_service
):
    area = open_settings(qtbot, kiosk, clock)
    settings = area.settings
    card = settings.district
    assert card.current.text() == "หัวตะพาน, อำนาจเจริญ (3706)"
    assert card.change_button.isVisible()
    assert "เปลี่ยนได้จนกว่าตู้จะลงทะเบียน" in card.explain.text()

    card.change_button.click()
    page = settings.change_district
    assert page.isVisible()
    assert "หัวตะพาน, อำนาจเจริญ (3706)" in page.intro.text()
    assert page.picker.province == "37"  # it starts from the district set now
    assert page.picker.district == "3706"
    assert not page.save_button.isEnabled()  # nothing new chosen yet
    choose_chiang_mai(qtbot, area)
    assert page.chosen.text() == "ที่ว่าการอำเภอใหม่: เมืองเชียงใหม่, เชียงใหม่ (5001)"
    assert page.save_button.isVisible()
    page.save_button.click()
    idle(qtbot, area)

    assert settings.main_view.isVisible()
    assert card.current.text() == "เมืองเชียงใหม่, เชียงใหม่ (5001)"
    assert "ที่ว่าการอำเภอตอนนี้คือ เมืองเชียงใหม่" in card.message.text()
    assert "แฟลชไดรฟ์" not in card.message.text()  # no USB request was written
    config = load_config(data_dir)
    assert (config.district, config.demo, config.enrolled) == ("5001", False, False)
    assert kiosk.config.district == "5001"
    assert "เมืองเชียงใหม่" in area.heading.text()
    # The citizens see the new district, and the next vote names it.
    area.leave_button.click()
    assert "เมืองเชียงใหม่" in kiosk.welcome.place_label.text()
    kiosk.welcome.start_button.click()
    human(clock)
    kiosk.rating.faces[5].click()
    human(clock)
    kiosk.target.not_sure_button.click()
    human(clock)
    with qtbot.waitSignal(ledger_service.saved, timeout=10_000):
        kiosk.impression.send_button.click()
    (vote,) = stored_votes(data_dir)
    assert vote.ballot.district == "5001"

    # Now a citizen has voted: the district stays, and the card says why.
    clock.advance(60)
    kiosk.tick()
    area = open_settings(qtbot, kiosk, clock)
    card = area.settings.district
    assert not card.change_button.isVisible()
    assert "มีประชาชนประเมินที่ตู้นี้" in card.explain.text()
    assert CALL in card.explain.text()


def test_a_kiosk_with_votes_cannot_change_its_district(
    qtbot, kiosk, clock, data_dir, ledger_service
):
    cast(ledger_service, 1)
    before = (data_dir / CONFIG_FILE_NAME).read_bytes()
    area = open_settings(qtbot, kiosk, clock)
    card = area.settings.district
    assert card.current.text() == "หัวตะพาน, อำนาจเจริญ (3706)"
    assert not card.change_button.isVisible()
    assert card.explain.text() == (
        "มีประชาชนประเมินที่ตู้นี้ในนามที่ว่าการอำเภอนี้แล้ว และผลการประเมินแก้ไขไม่ได้"
        " จึงเปลี่ยนที่นี่ไม่ได้อีก ถ้าอำเภอไม่ถูกต้อง โทรแจ้งส่วนกลาง"
    )
    assert (data_dir / CONFIG_FILE_NAME).read_bytes() == before


def test_an_enrolled_kiosk_cannot_change_its_district_and_says_so_in_english(
    qtbot, switcher, clock, data_dir, ledger_service
):
    key = Ed25519PrivateKey.generate().public_key().public_bytes_raw().hex()
    set_up(data_dir, clock, enrolled=True, collector_key=key, collector_url="https://c.example",
           clerk_language="en")  # fmt: skip
    kiosk = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    area = open_settings(qtbot, kiosk, clock)
    card = area.settings.district
    assert card.title.text() == "District office"
    assert card.current.text() == "Hua Taphan, Amnat Charoen (3706)"
    assert not card.change_button.isVisible()
    assert card.explain.text() == (
        "This kiosk is enrolled with the central collector for this district office, so it can"
        " no longer be changed here. If it is wrong, call the central office."
    )


def test_a_vote_cast_after_the_page_opened_keeps_the_district(
    qtbot, kiosk, clock, data_dir, ledger_service
):
    # The card offered the change; by the time Save is tapped the ledger holds a vote (as
    # another window or a restored backup might): the check is made again, and refuses.
    area = open_settings(qtbot, kiosk, clock)
    settings = area.settings
    settings.district.change_button.click()
    choose_chiang_mai(qtbot, area)
    before = (data_dir / CONFIG_FILE_NAME).read_bytes()
    cast(ledger_service, 1)
    settings.change_district.save_button.click()
    idle(qtbot, area)
    assert settings.main_view.isVisible()
    card = settings.district
    assert card.message.text() == "ไม่ได้เปลี่ยนที่ว่าการอำเภอ"
    assert card.message.property("tone") == "error"
    assert "มีประชาชนประเมินที่ตู้นี้" in card.explain.text()
    assert CALL in card.explain.text()
    assert not card.change_button.isVisible()
    assert (data_dir / CONFIG_FILE_NAME).read_bytes() == before
    assert kiosk.config.district == "3706"
    assert kiosk.flow.district == "3706"


def test_back_to_settings_changes_nothing(qtbot, kiosk, clock, data_dir):
    area = open_settings(qtbot, kiosk, clock)
    settings = area.settings
    before = (data_dir / CONFIG_FILE_NAME).read_bytes()
    settings.district.change_button.click()
    choose_chiang_mai(qtbot, area)
    settings.change_district.back_button.click()
    assert settings.main_view.isVisible()
    assert (data_dir / CONFIG_FILE_NAME).read_bytes() == before
    settings.district.change_button.click()  # opened again: from the district set now
    assert settings.change_district.picker.district == "3706"


@pytest.fixture
def collector(tmp_path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "central.sqlite3", [("5001", "large")]) as running:
        yield running


def test_the_token_for_the_right_district_enrols_once_the_district_is_changed(
    qtbot, kiosk, clock, data_dir, collector
):
    area = open_settings(qtbot, kiosk, clock)
    settings = area.settings
    settings.url.setText(collector.url)
    settings.token.setText(collector.store.issue_token("5001"))
    settings.enroll_button.click()
    idle(qtbot, area)
    # The collector refused it, unused: the clerk is told to check the district, and where.
    assert "รหัสลงทะเบียนนี้เป็นของอำเภออื่น" in settings.enroll_message.text()
    assert "เปลี่ยนได้ที่หน้าตั้งค่า" in settings.enroll_message.text()
    settings.district.change_button.click()
    choose_chiang_mai(qtbot, area)
    settings.change_district.save_button.click()
    idle(qtbot, area)
    settings.enroll_button.click()  # the token is still in its field
    idle(qtbot, area)
    config = load_config(data_dir)
    assert (config.enrolled, config.district, config.size_group) == (True, "5001", "large")
    # Enrolled for it: from now on the district stays.
    assert not settings.district.change_button.isVisible()
    assert "ลงทะเบียนกับระบบกลางในนามที่ว่าการอำเภอนี้แล้ว" in settings.district.explain.text()


def test_a_usb_request_written_before_the_change_is_to_be_written_again(
    qtbot, kiosk, clock, tmp_path
):
    stick = tmp_path / "KINGSTON"
    stick.mkdir()
    area = open_settings(qtbot, kiosk, clock)
    settings = area.settings
    settings.usb._drives = lambda: [Drive(stick, "KINGSTON", 1 << 30, 2 << 30)]
    settings.usb.request_button.click()
    idle(qtbot, area)
    (old,) = stick.glob("*" + ENROLL_REQUEST_SUFFIX)
    assert "-3706-" in old.name
    settings.district.change_button.click()
    choose_chiang_mai(qtbot, area)
    settings.change_district.save_button.click()
    idle(qtbot, area)
    message = settings.district.message.text()
    assert "คำขอลงทะเบียนที่บันทึกลงแฟลชไดรฟ์ไว้ก่อนหน้านี้เป็นของอำเภอเดิม ให้บันทึกคำขอใหม่" in message
    settings.usb.request_button.click()
    idle(qtbot, area)
    names = sorted(path.name for path in stick.glob("*" + ENROLL_REQUEST_SUFFIX))
    assert [name.split("-")[2] for name in names] == ["3706", "5001"]


def test_the_keyboard_gives_the_searches_the_room(qtbot, kiosk, clock, data_dir: Path):
    area = open_settings(qtbot, kiosk, clock)
    settings = area.settings
    settings.district.change_button.click()
    page = settings.change_district
    tap_field(page.picker.province_search)
    qtbot.waitUntil(area.keyboard.isVisible)
    assert not page.save_button.isVisible()
    assert not page.intro.isVisible()
    area.keyboard.hide_button.click()
    qtbot.waitUntil(page.save_button.isVisible)
    assert page.intro.isVisible()
