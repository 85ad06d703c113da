"""The first-run setup wizard on a demo kiosk with a real ledger: offline, and enrolling now."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtTest import QTest

from kiosk.config import load_config
from kiosk.pin import PinStore
from kiosk.roster import DEFAULT_TAGS
from kiosk.setup import ScreenCheck, SetupStep
from tests.collector_server import RunningCollector, serve_collector
from tests.ui.citizen.helpers import human, stored_votes
from tests.ui.clerk.helpers import (
    JOB_TIMEOUT_MS,
    PIN,
    build_kiosk,
    cast,
    idle,
    open_clerk,
    tap_field,
)
from ui.clerk.text import setup_error
from ui.clerk.widgets import TextField
from ui.widgets.buttons import TouchButton
from wire.keys import fingerprint_for


@pytest.fixture
def demo_kiosk(qtbot, switcher, clock, data_dir, ledger_service):
    cast(ledger_service, 4)  # a few votes from trying the demo
    return build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)


def walk_to_collector(qtbot, area, province: str = "50", district: str = "5001") -> None:
    setup = area.setup
    assert setup.wizard.step is SetupStep.SCREEN
    assert setup.screen_text.text()  # the measured size is shown
    setup.next_button.click()
    setup.next_button.click()  # nothing chosen yet
    assert setup.wizard.step is SetupStep.PLACE
    assert setup.message.isVisible()
    tap_field(setup.picker.province_search)
    area.keyboard.type_text("เชียงใหม่")
    assert area.keyboard.isVisible()
    assert setup.picker.province_list.count() == 1
    setup.picker.pick_province(setup.picker.province_list.item(0).data(Qt.ItemDataRole.UserRole))
    assert setup.wizard.province == province
    setup.choose_district(district)
    setup.next_button.click()
    assert setup.wizard.step is SetupStep.PIN
    first_prompt = setup.pin_prompt.text()
    setup.pin_pad.type_pin("123456")
    setup.pin_pad.ok_key.click()  # refused at once: it is not asked for again
    assert setup.message.text() == setup_error("pin_simple")
    assert setup.pin_prompt.text() == first_prompt
    setup.pin_pad.type_pin(PIN)
    setup.next_button.click()  # Next instead of the pad's OK: taken the same
    assert setup.message.text() == ""
    assert setup.pin_prompt.text() != first_prompt  # now it is asked again
    setup.pin_pad.type_pin("111222")
    setup.pin_pad.ok_key.click()  # not the same: asked again from the start
    assert setup.wizard.step is SetupStep.PIN
    assert setup.message.isVisible()
    setup.pin_pad.type_pin(PIN)
    setup.pin_pad.ok_key.click()
    setup.pin_pad.type_pin(PIN)
    setup.pin_pad.ok_key.click()
    assert setup.wizard.step is SetupStep.COLLECTOR


def finish(qtbot, area) -> None:
    area.setup.next_button.click()
    assert area.setup.wizard.step is SetupStep.REVIEW
    assert "5001" in area.setup.review.text()
    area.setup.next_button.click()
    qtbot.waitUntil(lambda: area.current_page() is area.dashboard, timeout=JOB_TIMEOUT_MS)
    idle(qtbot, area)


def test_setup_offline_sets_the_district_and_pin_and_puts_demo_votes_aside(
    qtbot, demo_kiosk, clock, data_dir, ledger_service
):
    assert demo_kiosk.welcome.demo_badge.isVisibleTo(demo_kiosk.welcome)
    area = open_clerk(qtbot, demo_kiosk, clock)
    assert area.current_page() is area.setup
    walk_to_collector(qtbot, area)
    area.setup.enroll_later_chip.click()
    finish(qtbot, area)

    config = load_config(data_dir)
    assert (config.district, config.demo, config.enrolled) == ("5001", False, False)
    assert PinStore(data_dir, clock).check(PIN).ok
    assert list(data_dir.glob("demo-ledger-*.sqlite3"))
    assert (
        "set up" in area.dashboard.sync_message.text()
        or "ตั้งค่า" in area.dashboard.sync_message.text()
    )
    # The citizen screens show the new district at once, without the demo badge.
    area.leave_button.click()
    assert "เมืองเชียงใหม่" in demo_kiosk.welcome.place_label.text()
    assert not demo_kiosk.welcome.demo_badge.isVisibleTo(demo_kiosk.welcome)
    assert demo_kiosk.flow.district == "5001"
    # The ledger was reopened: a citizen's vote is saved for the new district, as vote 1.
    qtbot.waitUntil(lambda: ledger_service.ledger is not None, timeout=JOB_TIMEOUT_MS)
    demo_kiosk.welcome.start_button.click()
    human(clock)
    demo_kiosk.rating.faces[5].click()
    human(clock)
    demo_kiosk.target.not_sure_button.click()
    human(clock)
    # Nobody is named yet, but the last question offers the default tags, not an empty list.
    impression = demo_kiosk.impression
    assert demo_kiosk.current_screen() is impression
    assert [chip.text() for chip in impression.shown_chips().values()] == [
        t.label_th for t in DEFAULT_TAGS
    ]
    impression.tag_chips["polite"].click()
    with qtbot.waitSignal(ledger_service.saved, timeout=JOB_TIMEOUT_MS):
        impression.send_button.click()
    (vote,) = stored_votes(data_dir)
    assert vote.seq == 1
    assert (vote.ballot.district, vote.ballot.tags) == ("5001", ("polite",))
    # And from now on the corner asks for the PIN.
    area.leave_button.click()
    clock.advance(60)
    demo_kiosk.tick()
    open_clerk(qtbot, demo_kiosk, clock)
    assert area.current_page() is area.pin_screen


@pytest.fixture
def collector(tmp_path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "central.sqlite3", [("5001", "large")]) as running:
        yield running


def test_setup_and_enrol_now(qtbot, demo_kiosk, clock, data_dir, collector):
    area = open_clerk(qtbot, demo_kiosk, clock)
    walk_to_collector(qtbot, area)
    area.setup.url.setText(collector.url)
    area.setup.token.setText(collector.store.issue_token("5001"))
    area.setup.enroll_now_chip.click()
    finish(qtbot, area)
    config = load_config(data_dir)
    assert config.enrolled
    assert config.collector_key == collector.collector_key_hex
    assert demo_kiosk.config.enrolled  # the window has the new settings too
    assert area.dashboard.sync_button.isEnabled()
    # The fingerprint the token sheet prints, for the clerk to compare (docs/clerk-guide.md).
    sheet = fingerprint_for(bytes.fromhex(collector.collector_key_hex))
    assert sheet in area.dashboard.sync_message.text()


def test_a_bad_token_still_sets_the_kiosk_up_and_says_why_in_plain_words(
    qtbot, demo_kiosk, clock, data_dir, collector, switcher
):
    area = open_clerk(qtbot, demo_kiosk, clock)
    walk_to_collector(qtbot, area)
    area.setup.url.setText(collector.url)
    area.setup.token.setText("not-a-token")
    area.setup.enroll_now_chip.click()
    finish(qtbot, area)
    config = load_config(data_dir)
    assert not config.enrolled
    assert config.district == "5001"
    assert "รหัสลงทะเบียน" in area.dashboard.sync_message.text()  # Thai: the token is unknown


def test_a_token_for_another_district_is_named_once_and_plainly(
    qtbot, demo_kiosk, clock, data_dir, tmp_path, switcher
):
    with serve_collector(
        tmp_path / "two.sqlite3", [("5001", "large"), ("3706", "small")]
    ) as collector:
        area = open_clerk(qtbot, demo_kiosk, clock)
        walk_to_collector(qtbot, area)  # Mueang Chiang Mai, 5001
        area.setup.url.setText(collector.url)
        area.setup.token.setText(collector.store.issue_token("3706"))
        area.setup.enroll_now_chip.click()
        finish(qtbot, area)
    text = area.dashboard.sync_message.text()
    assert "รหัสลงทะเบียนนี้เป็นของอำเภออื่น" in text
    assert text.count("ลงทะเบียนไม่สำเร็จ") == 1
    assert "การส่งหยุดลง" not in text
    assert (load_config(data_dir).district, load_config(data_dir).enrolled) == ("5001", False)


def test_enrolling_now_needs_an_address_and_a_token(qtbot, demo_kiosk, clock):
    area = open_clerk(qtbot, demo_kiosk, clock)
    walk_to_collector(qtbot, area)
    area.setup.enroll_now_chip.click()
    area.setup.next_button.click()
    assert area.setup.wizard.step is SetupStep.COLLECTOR
    assert area.setup.message.isVisible()


def test_a_set_up_kiosk_whose_pin_file_was_removed_keeps_its_district_in_the_wizard(
    qtbot, switcher, clock, data_dir, ledger_service
):
    from tests.ui.clerk.helpers import set_up

    set_up(data_dir, clock)
    (data_dir / "clerk-pin.json").unlink()  # what the guide tells a technician to do
    kiosk = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    area = open_clerk(qtbot, kiosk, clock)
    assert area.current_page() is area.setup
    assert area.setup.wizard.district == "3706"


def visible_rect(widget) -> QRect:
    """The part of widget that shows in its window: its rect cut by every parent's."""
    window = widget.window()
    shown = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None:
        shown = shown.intersected(QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return shown


@pytest.mark.parametrize("size", [QSize(1024, 600), QSize(1280, 800)])
def test_the_keyboard_from_the_place_step_does_not_crush_the_pin_pad(
    qtbot, demo_kiosk, clock, size
):
    # Issue 16: the Thai keyboard opened for the province search stayed open on the PIN step,
    # and the pad's keys overlapped, its last row (⌫ 0 OK) cut off by the keyboard.
    demo_kiosk.resize(size)
    area = open_clerk(qtbot, demo_kiosk, clock)
    setup = area.setup
    setup.next_button.click()
    assert setup.wizard.step is SetupStep.PLACE
    tap_field(setup.picker.province_search)
    assert area.keyboard.isVisible()
    tap_keys(area.keyboard.keyboard, "เชียง")
    assert setup.picker.province_search.text() == "เชียง"
    setup.choose_province("50")
    setup.choose_district("5001")
    setup.next_button.click()
    assert setup.wizard.step is SetupStep.PIN
    qtbot.waitUntil(lambda: not area.keyboard.isVisible())
    pad = setup.pin_pad
    keys = [*pad.keys.values(), pad.back_key, pad.ok_key]
    for key in keys:
        assert key.isVisible()
        assert visible_rect(key) == QRect(key.mapTo(demo_kiosk, QPoint(0, 0)), key.size()), (
            f"the PIN key {key.text()!r} is cut at {size.width()}×{size.height()}"
        )
    rects = [visible_rect(key) for key in keys]
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not a.intersects(b), "two PIN keys overlap"
    # On the collector step the keyboard waits for a tap on a field (it does not open by itself
    # because the focus moved on from a hidden field), and then types English.
    for _ in range(2):
        pad.type_pin(PIN)
        pad.ok_key.click()
    assert setup.wizard.step is SetupStep.COLLECTOR
    assert not area.keyboard.isVisible()
    tap_field(setup.url)
    assert area.keyboard.isVisible()
    assert area.keyboard.keyboard.keyboard_language() == "en"


def test_a_tap_on_a_list_that_scrolls_by_touch_still_picks_the_province(qtbot, demo_kiosk, clock):
    area = open_clerk(qtbot, demo_kiosk, clock)
    setup = area.setup
    setup.next_button.click()
    view = setup.picker.province_list
    item = view.findItems("ชัยนาท", Qt.MatchFlag.MatchExactly)[0]
    view.scrollToItem(item)
    point = view.visualItemRect(item).center()
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
    )
    qtbot.waitUntil(lambda: setup.wizard.province == "18")


@pytest.mark.parametrize(
    ("check", "says"),
    [
        (ScreenCheck(1280, 800, 217, 136), "หน้าจอมีขนาดเพียงพอสำหรับตู้ประเมิน"),
        (ScreenCheck(800, 1280, 136, 217), "กรุณาหมุนเป็นแนวนอน"),
        (ScreenCheck(900, 560, 200, 125), "มีพิกเซลน้อยกว่าที่ตู้ประเมินต้องการ (1024 × 600"),
        (ScreenCheck(1024, 600, 154, 90), "หน้าจอเล็กกว่าแท็บเล็ต 10 นิ้ว"),
    ],
    ids=["10-inch", "portrait", "too few pixels", "7-inch"],
)
def test_the_screen_step_says_what_is_wrong_with_the_screen(
    qtbot, demo_kiosk, clock, check: ScreenCheck, says: str
) -> None:
    area = open_clerk(qtbot, demo_kiosk, clock)
    setup = area.setup
    setup.wizard.measure_screen(check)
    setup.retranslate_ui()
    shown = setup.screen_text.text()
    assert f"{check.width_px} × {check.height_px}" in shown
    assert says in shown


def tap(widget) -> None:
    """A finger's tap: press and release on the widget's middle (focus moves as it would)."""
    QTest.mouseClick(
        widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, widget.rect().center()
    )


def tap_keys(keyboard, text: str) -> None:
    """Type text by tapping the on-screen keyboard's keys (each on the normal layer)."""
    for char in text:
        (key,) = [k for k in keyboard.key_buttons() if k.accessibleName() == char]
        tap(key)


def test_typing_a_whole_province_name_chooses_nothing_until_the_clerk_taps_it(
    qtbot, demo_kiosk, clock
) -> None:
    # A new-user trial: typing ชลบุรี as the guide says, "ชล" already left one province, which
    # was chosen; "บุรี" went on into the district field and chose เมืองชลบุรี by itself.
    area = open_clerk(qtbot, demo_kiosk, clock)
    setup = area.setup
    tap(setup.next_button)
    assert setup.wizard.step is SetupStep.PLACE
    province = setup.findChild(TextField, "provinceSearch")
    district = setup.findChild(TextField, "districtSearch")
    tap(province)
    assert area.keyboard.field is province
    tap_keys(area.keyboard.keyboard, "ชลบุรี")
    assert province.text() == "ชลบุรี"  # every letter where the clerk typed it
    assert district.text() == ""
    assert area.keyboard.field is province, "the keyboard moved to a field nobody tapped"
    assert (setup.wizard.province, setup.wizard.district) == (None, None)
    offer = setup.findChild(TouchButton, "provinceOffer")
    assert offer is not None, "nothing is offered"
    assert offer.isVisible()  # offered beside the field, above the keys
    assert "ชลบุรี" in offer.text()
    tap(offer)
    assert setup.wizard.province == "20"
    assert setup.wizard.district is None  # no district is chosen for the clerk
    qtbot.waitUntil(lambda: not area.keyboard.isVisible())  # the district list shows whole
    assert setup.picker.district_list.count() == 11
    tap(district)
    assert area.keyboard.field is district
    tap_keys(area.keyboard.keyboard, "พนัสนิคม")
    assert setup.wizard.district is None
    district_offer = setup.findChild(TouchButton, "districtOffer")
    assert district_offer.isVisible()
    assert "พนัสนิคม" in district_offer.text()
    tap(district_offer)
    assert setup.wizard.district == "2006"
    qtbot.waitUntil(lambda: not area.keyboard.isVisible())
    assert setup.next_button.isVisible()


def test_the_guides_example_leaves_the_province_offered_and_enter_chooses_it(
    qtbot, demo_kiosk, clock
) -> None:
    area = open_clerk(qtbot, demo_kiosk, clock)
    setup = area.setup
    tap(setup.next_button)
    picker = setup.picker
    tap(picker.province_search)
    tap_keys(area.keyboard.keyboard, "อำนาจ")
    assert setup.wizard.province is None
    assert picker.district_list.count() == 0  # no province, no districts yet
    assert picker.province_offer.isVisible()
    # A technician's physical keyboard: Enter takes the offer.
    QTest.keyClick(picker.province_search, Qt.Key.Key_Return)
    assert setup.wizard.province == "37"
    assert setup.wizard.district is None
    assert picker.district_list.count() == 7
    # Typing that leaves several names offers none, and says how many are left.
    tap(picker.district_search)
    tap_keys(area.keyboard.keyboard, "อำนาจ")  # ลืออำนาจ and เมืองอำนาจเจริญ
    assert picker.district_list.count() == 2
    assert not picker.district_offer.isVisible()
    assert "2" in picker._districts.count.text()
    QTest.keyClick(picker.district_search, Qt.Key.Key_Return)
    assert setup.wizard.district is None


def test_while_typing_the_lists_show_whole_rows_or_none_and_come_back_after(
    qtbot, demo_kiosk, clock
) -> None:
    area = open_clerk(qtbot, demo_kiosk, clock)
    setup = area.setup
    setup.next_button.click()
    tap_field(setup.picker.province_search)
    area.keyboard.type_text("ส")  # many provinces
    scroll = setup._place_scroll
    for view in (setup.picker.province_list, setup.picker.district_list):
        qtbot.waitUntil(lambda v=view: v.maximumHeight() < 16_777_215)
        inner = view.height() - 2 * view.frameWidth()
        row = view.sizeHintForRow(0) if view.count() else inner or 1
        assert view.height() == 0 or inner % row == 0, (view.objectName(), inner, row)
        bottom = view.mapTo(scroll.viewport(), QPoint(0, view.height())).y()
        assert bottom <= scroll.viewport().height()  # not cut by the keyboard's edge
    area.keyboard.detach()
    qtbot.waitUntil(lambda: setup.picker.province_list.height() > 0)
    assert setup.picker.province_list.count() > 1


def tap_in(view, text: str) -> None:
    """A finger's tap on the row of view that reads text."""
    (item,) = view.findItems(text, Qt.MatchFlag.MatchExactly)
    view.scrollToItem(item)
    point = view.visualItemRect(item).center()
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
    )


def test_the_red_place_message_goes_once_the_place_is_chosen(qtbot, demo_kiosk, clock):
    area = open_clerk(qtbot, demo_kiosk, clock)
    setup = area.setup
    setup.next_button.click()
    assert setup.wizard.step is SetupStep.PLACE
    setup.next_button.click()  # Next with nothing chosen
    assert setup.message.text() == setup_error("no_province")
    assert setup.message.property("tone") == "error"
    tap_in(setup.picker.province_list, "ชัยนาท")
    qtbot.waitUntil(lambda: setup.wizard.province == "18")
    assert setup.message.text() == ""  # the province is chosen: that no longer applies
    setup.next_button.click()  # the district is not chosen yet
    assert setup.message.text() == setup_error("no_district")
    setup.choose_district(setup.picker.district_list.item(0).data(Qt.ItemDataRole.UserRole))
    qtbot.waitUntil(lambda: setup.wizard.district is not None)
    assert setup.message.text() == ""
    setup.next_button.click()
    assert setup.wizard.step is SetupStep.PIN


def test_the_top_bar_says_first_time_setup_not_the_demo_district_while_setting_up(
    qtbot, demo_kiosk, clock, switcher
):
    # A trial: the wizard's bar read "for the clerk · Hua Taphan" (the demo's district) while
    # the clerk was choosing their own; it names no district until setup has saved one.
    area = open_clerk(qtbot, demo_kiosk, clock)
    assert area.current_page() is area.setup
    assert area.heading.text() == "ตั้งค่าเครื่องครั้งแรก"
    walk_to_collector(qtbot, area)  # Chiang Mai chosen, not yet saved
    assert area.heading.text() == "ตั้งค่าเครื่องครั้งแรก"
    switcher.set_language("en")
    qtbot.waitUntil(lambda: area.heading.text() == "First-time setup")
    switcher.set_language("th")
    area.setup.enroll_later_chip.click()
    finish(qtbot, area)
    assert area.heading.text() == "สำหรับเจ้าหน้าที่ · อำเภอเมืองเชียงใหม่"  # saved: named


def test_a_set_up_kiosk_whose_pin_file_was_removed_keeps_its_district_in_the_top_bar(
    qtbot, switcher, clock, data_dir, ledger_service
):
    from tests.ui.clerk.helpers import set_up

    set_up(data_dir, clock)
    (data_dir / "clerk-pin.json").unlink()
    kiosk = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    area = open_clerk(qtbot, kiosk, clock)
    assert area.current_page() is area.setup
    assert area.heading.text() == "สำหรับเจ้าหน้าที่ · อำเภอหัวตะพาน"
