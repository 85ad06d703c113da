"""The PIN pad and the on-screen keyboard on every supported panel, at the panel's density.

Issue 16: on the 1024×600 panel the PIN pad's rows of keys lay over each other and its last
row (⌫ 0 OK) was cut off; on the 1920×1200 one its keys were 1.4 mm apart. The clerk's
keyboard was squeezed to keys 8 to 10 mm tall on every panel, the form above it keeping its
room. What the USB page says after an export was cut by a pixel on the 1024×600 panel. Measured
here on a real kiosk window, the size of a millimetre being the panel's.
"""

from __future__ import annotations

import contextlib
import itertools

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QListWidget,
    QScrollArea,
    QWidget,
)

from kiosk.drives import Drive
from kiosk.setup import Panel, SetupStep
from tests.ui.clerk.helpers import (
    PIN,
    build_kiosk,
    cast,
    idle,
    open_clerk,
    set_up,
    tap_field,
    unlock,
)
from ui.app import KioskWindow
from ui.clerk.area import ClerkArea
from ui.clerk.pin import PinPad
from ui.clerk.widgets import TextField
from ui.widgets.keyboard import KEY_MIN_MM
from ui.widgets.sizes import TOUCH_GAP_MM, TOUCH_MIN_MM

SLACK_MM = 0.05  # rounding of millimetres to whole pixels


def on_panel(window: KioskWindow, panel: Panel) -> KioskWindow:
    """Show the window at the panel's size in pixels."""
    window.resize(panel.width_px, panel.height_px)
    return window


@pytest.fixture
def kiosk(qtbot, switcher, clock, data_dir, ledger_service, panel):
    set_up(data_dir, clock)
    return on_panel(build_kiosk(qtbot, switcher, clock, data_dir, ledger_service), panel)


@pytest.fixture
def demo_kiosk(qtbot, switcher, clock, data_dir, ledger_service, panel):
    cast(ledger_service, 2)
    return on_panel(build_kiosk(qtbot, switcher, clock, data_dir, ledger_service), panel)


def rect_in(window: QWidget, widget: QWidget) -> QRect:
    """The widget's rectangle in the window."""
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def shown_rect(window: QWidget, widget: QWidget) -> QRect:
    """The part of the widget that its parents (scroll areas among them) let show."""
    shown = rect_in(window, widget)
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        shown = shown.intersected(rect_in(window, parent))
        parent = parent.parentWidget()
    return shown


def mm(pixels: int, panel: Panel) -> float:
    """Pixels on the panel, in millimetres."""
    return pixels / panel.dpi * 25.4


def apart_mm(a: QRect, b: QRect, panel: Panel) -> float:
    """The room between two rectangles, in millimetres (0 when they touch or overlap)."""
    dx = max(b.left() - a.right() - 1, a.left() - b.right() - 1, 0)
    dy = max(b.top() - a.bottom() - 1, a.top() - b.bottom() - 1, 0)
    return mm(max(dx, dy), panel)


def pad_problems(window: QWidget, pad: PinPad, panel: Panel) -> list[str]:
    """Every PIN key cut off, smaller than 15 mm, or closer than 2 mm to another."""
    keys = [*pad.keys.values(), pad.back_key, pad.ok_key]
    found = []
    for key in keys:
        whole = rect_in(window, key)
        if not key.isVisible() or shown_rect(window, key) != whole:
            found.append(f"{key.text()!r} is cut off")
        if min(mm(whole.width(), panel), mm(whole.height(), panel)) < TOUCH_MIN_MM - SLACK_MM:
            found.append(
                f"{key.text()!r} is {mm(whole.width(), panel):.1f} mm wide x "
                f"{mm(whole.height(), panel):.1f} mm tall"
            )
    for a, b in itertools.combinations(keys, 2):
        gap = apart_mm(rect_in(window, a), rect_in(window, b), panel)
        if gap < TOUCH_GAP_MM - SLACK_MM:
            found.append(f"{a.text()!r} and {b.text()!r} are {gap:.1f} mm apart")
    return found


def test_the_pin_pad_fits_the_panel(qtbot, kiosk, clock, panel):
    area = open_clerk(qtbot, kiosk, clock)
    qtbot.waitUntil(lambda: area.pin_screen.pad.isVisible())
    assert pad_problems(kiosk, area.pin_screen.pad, panel) == []
    # One way back to the kiosk, the top bar's, whole (the page had a second one: issue 16).
    back = [
        button
        for button in kiosk.findChildren(QAbstractButton)
        if button.isVisible() and button.text() == area.leave_button.text()
    ]
    assert back == [area.leave_button]
    assert shown_rect(kiosk, area.leave_button) == rect_in(kiosk, area.leave_button)


def test_the_change_pin_pad_fits_the_panel(qtbot, kiosk, clock, panel):
    area = unlock(qtbot, kiosk, clock)
    area.show_page(area.settings)
    area.settings.open_change_pin()
    change = area.settings.change_pin
    qtbot.waitUntil(lambda: change.pad.isVisible())
    assert pad_problems(kiosk, change.pad, panel) == []
    assert shown_rect(kiosk, change.back_button) == rect_in(kiosk, change.back_button)


def test_the_setup_pin_pad_fits_the_panel_with_its_message(qtbot, demo_kiosk, clock, panel):
    area = open_clerk(qtbot, demo_kiosk, clock)
    setup = area.setup
    setup.next_button.click()
    setup.choose_province("37")
    setup.choose_district("3706")
    setup.next_button.click()
    assert setup.wizard.step is SetupStep.PIN
    setup.pin_pad.type_pin(PIN)
    setup.pin_pad.ok_key.click()
    setup.pin_pad.type_pin("111222")
    setup.pin_pad.ok_key.click()  # not the same PIN: a message says so
    qtbot.waitUntil(lambda: setup.message.isVisible())
    assert pad_problems(demo_kiosk, setup.pin_pad, panel) == []
    for widget in (setup.message, setup.back_button, setup.next_button):
        assert shown_rect(demo_kiosk, widget) == rect_in(demo_kiosk, widget), widget.objectName()


def cut_across(window: QWidget, widget: QWidget) -> bool:
    """Whether the widget shows in part only: cut across by an edge of what holds it."""
    seen = shown_rect(window, widget)
    return not seen.isEmpty() and seen != rect_in(window, widget)


def cut_in_scroll(window: QWidget, field: QWidget) -> list[str]:
    """The texts, fields and buttons of the field's scrolling form cut across by its edges."""
    view = field.parentWidget()
    while view is not None and not isinstance(view, QScrollArea):
        view = view.parentWidget()
    assert view is not None, f"{field.objectName()} is not in a scrolling form"
    return [
        f"{widget.objectName()} {getattr(widget, 'text', str)()!r} is cut by the form's edge"
        for widget in view.widget().findChildren(QWidget)
        if widget.isVisible()
        and isinstance(widget, QLabel | QLineEdit | QAbstractButton)
        and cut_across(window, widget)
    ]


def typing_problems(
    qtbot, area: ClerkArea, field: TextField, label: QLabel, panel: Panel
) -> list[str]:
    """Tap the field: the keys must be 15 mm tall, the whole field and the whole label that
    names it in view above them, and no label or field of the form cut across by its edges."""
    tap_field(field)
    keyboard = area.keyboard
    window = area.window()

    def problems() -> list[str]:
        found = []
        for key in keyboard.keyboard.key_buttons():
            tall = mm(key.height(), panel)
            if tall < KEY_MIN_MM - SLACK_MM:
                found.append(f"{field.objectName()}: the key {key.text()!r} is {tall:.1f} mm tall")
        if shown_rect(window, field) != rect_in(window, field):
            found.append(f"{field.objectName()} is not in view")
        if rect_in(window, field).bottom() >= rect_in(window, keyboard).top():
            found.append(f"{field.objectName()} is under the keyboard")
        if not label.isVisible() or shown_rect(window, label) != rect_in(window, label):
            found.append(f"{field.objectName()}: its label {label.text()!r} is not in view")
        return found + cut_in_scroll(window, field)

    qtbot.waitUntil(lambda: keyboard.isVisible() and keyboard.field is field)
    # The keys are laid out, and the form scrolled to the field, once the keyboard has its room.
    with contextlib.suppress(qtbot.TimeoutError):
        qtbot.waitUntil(lambda: not problems(), timeout=2000)
    return problems()


def test_every_field_of_the_settings_and_roster_form_is_typed_above_15_mm_keys(
    qtbot, kiosk, clock, panel
):
    area = unlock(qtbot, kiosk, clock)
    area.show_page(area.settings)
    found = []
    settings = area.settings
    for field, name in ((settings.url, "url"), (settings.token, "token")):
        found += typing_problems(qtbot, area, field, settings.labels[name], panel)
    area.show_page(area.roster_editor)
    area.roster_editor.add()  # a staff member: names, positions and a photo
    form = area.roster_editor.form
    for field in form.fields():
        found += typing_problems(qtbot, area, field, form.labels[field], panel)
    assert found == [], "\n".join(found)
    area.keyboard.hide_button.click()  # Save and Cancel are there again, whole
    for button in (form.save_button, form.cancel_button):
        qtbot.waitUntil(lambda b=button: shown_rect(kiosk, b) == rect_in(kiosk, b))


def test_every_field_of_the_setup_wizard_is_typed_above_15_mm_keys(qtbot, demo_kiosk, clock, panel):
    area = open_clerk(qtbot, demo_kiosk, clock)
    setup = area.setup
    setup.next_button.click()
    assert setup.wizard.step is SetupStep.PLACE
    picker = setup.picker
    found = typing_problems(qtbot, area, picker.province_search, picker.province_heading, panel)
    area.keyboard.type_text("อำนาจ")
    setup.choose_province("37")
    found += typing_problems(qtbot, area, picker.district_search, picker.district_heading, panel)
    area.keyboard.hide_button.click()  # Back and Next come back with the keyboard hidden
    assert setup.next_button.isVisible()
    setup.choose_district("3706")
    setup.next_button.click()
    for _ in range(2):
        setup.pin_pad.type_pin(PIN)
        setup.pin_pad.ok_key.click()
    assert setup.wizard.step is SetupStep.COLLECTOR
    for field, label in ((setup.url, setup.url_label), (setup.token, setup.token_label)):
        found += typing_problems(qtbot, area, field, label, panel)
    assert found == [], "\n".join(found)


def test_the_district_is_searched_above_15_mm_keys_in_settings(qtbot, kiosk, clock, panel):
    area = unlock(qtbot, kiosk, clock)
    area.show_page(area.settings)
    idle(qtbot, area)  # the card has checked that the district may still change
    area.settings.district.change_button.click()
    page = area.settings.change_district
    picker = page.picker
    found = typing_problems(qtbot, area, picker.province_search, picker.province_heading, panel)
    area.keyboard.type_text("เชียงใหม่")
    qtbot.waitUntil(picker.province_offer.isVisible)
    assert shown_rect(kiosk, picker.province_offer) == rect_in(kiosk, picker.province_offer)
    picker.province_offer.click()
    found += typing_problems(qtbot, area, picker.district_search, picker.district_heading, panel)
    assert found == [], "\n".join(found)
    area.keyboard.hide_button.click()  # Back and Save come back whole
    picker.pick_district("5001")
    for button in (page.back_button, page.save_button):
        qtbot.waitUntil(
            lambda b=button: b.isVisible() and shown_rect(kiosk, b) == rect_in(kiosk, b)
        )
    assert page.save_button.isEnabled()


def test_what_the_usb_page_says_after_an_export_shows_whole(
    qtbot, kiosk, clock, panel, switcher, ledger_service, tmp_path
):
    # The longer text: a clerk's screens in English (a technician's clerk_language).
    kiosk.apply_config(kiosk.config.with_changes(clerk_language="en"))
    cast(ledger_service, 40)
    stick = tmp_path / "KINGSTON"
    stick.mkdir()
    area = unlock(qtbot, kiosk, clock)
    page = area.export
    page._drives = lambda: [Drive(stick, "KINGSTON", 7_400_000_000, 15_500_000_000)]
    area.nav[page].click()
    idle(qtbot, area)
    page.export_button.click()
    idle(qtbot, area)
    message = page.message
    assert message.isVisible()
    assert "Done: 40 votes" in message.text()
    qtbot.waitUntil(lambda: message.height() >= message.heightForWidth(message.width()))
    # The page lays itself out over a few turns of the event loop (the message grows, then
    # the scroll range): once it has settled, as the clerk sees it, the message shows whole.
    qtbot.waitUntil(lambda: shown_rect(kiosk, message) == rect_in(kiosk, message))


def cut_rows(view: QListWidget) -> list[str]:
    """The rows of a list that its view shows in part only, cut through at its top or foot."""
    room = view.viewport().rect()
    found = []
    for row in range(view.count()):
        item = view.item(row)
        box = view.visualItemRect(item)
        seen = box.intersected(room)
        if not seen.isEmpty() and seen != box:
            found.append(
                f"{view.objectName()}: {item.text()!r} shows {seen.height()} of {box.height()} px"
            )
    return found


def test_the_lists_show_whole_rows(qtbot, kiosk, clock, panel, ledger_service, tmp_path):
    # Issue 16's third review: the staff list scrolled to a chosen name showed the row above it
    # cut through its text; the list of sticks was one row tall, its chosen row a green bar.
    cast(ledger_service, 3)
    area = unlock(qtbot, kiosk, clock)
    roster = area.roster_editor
    area.nav[roster].click()
    roster.select("s09")  # far down the list: it scrolls
    qtbot.waitUntil(lambda: roster.list.verticalScrollBar().value() > 0)
    assert cut_rows(roster.list) == []
    stick = tmp_path / "KINGSTON"
    stick.mkdir()
    page = area.export
    page._drives = lambda: [Drive(stick, "KINGSTON", 7_400_000_000, 15_500_000_000)]
    area.nav[page].click()
    idle(qtbot, area)
    drives = page.drive_list
    assert drives.currentRow() == 0
    assert cut_rows(drives) == []
    assert drives.viewport().height() >= 2 * drives.sizeHintForRow(0)


def tap(widget: QWidget) -> None:
    """A finger's tap on the widget: press and release, focus moving as it would.

    A field is tapped near its start: offscreen, a point past the 800 px wide screen that Qt
    makes up is dropped, and a field of the 1920×1200 panel ends past it.
    """
    middle = widget.rect().center()
    point = QPoint(min(middle.x(), 12), middle.y()) if isinstance(widget, QLineEdit) else middle
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def assert_keyboard_stays_hidden(qtbot, area: ClerkArea, fields: list[TextField]) -> None:
    """The keyboard is hidden, nothing has handed it a field, and no text is selected."""
    keyboard = area.keyboard
    qtbot.waitUntil(lambda: not keyboard.isVisible())
    QApplication.processEvents()  # a focus moved on by the hidden button would reopen it here
    assert not keyboard.isVisible(), "the keyboard came back by itself"
    assert keyboard.field is None, keyboard.field.objectName()
    assert [f.objectName() for f in fields if f.hasSelectedText()] == []
    assert not isinstance(QApplication.focusWidget(), TextField), "a field took focus by itself"


def test_a_real_tap_on_hide_keyboard_hides_it_and_the_form_shows_its_buttons(
    qtbot, kiosk, clock, panel
):
    # A new-user trial: the tap gave the button focus, the button hid itself, focus went on to
    # the first field, and the keyboard came back with that field's text all selected; the
    # form stayed squeezed, Cancel and Save cut off at 1024×600.
    area = unlock(qtbot, kiosk, clock)
    tap(area.nav[area.roster_editor])
    area.roster_editor.add()
    form = area.roster_editor.form
    tap_field(form.name_th)  # the keyboard opens on the Thai name
    qtbot.waitUntil(lambda: area.keyboard.field is form.name_th)
    area.keyboard.type_text("มาลี")
    tap(area.keyboard.hide_button)
    assert_keyboard_stays_hidden(qtbot, area, form.fields())
    assert form.name_th.text() == "มาลี"
    for button in (form.save_button, form.cancel_button):
        qtbot.waitUntil(
            lambda b=button: b.isVisible() and shown_rect(kiosk, b) == rect_in(kiosk, b)
        )
    tap(form.name_th)  # a tap on a field is what brings it back, the text as it was
    qtbot.waitUntil(lambda: area.keyboard.isVisible() and area.keyboard.field is form.name_th)
    assert not form.name_th.hasSelectedText()
    area.keyboard.type_text(" ศรีสุข")
    assert form.name_th.text() == "มาลี ศรีสุข"


def test_a_real_tap_on_hide_keyboard_on_the_collector_step_hides_it(
    qtbot, demo_kiosk, clock, panel
):
    area = open_clerk(qtbot, demo_kiosk, clock)
    setup = area.setup
    tap(setup.next_button)
    setup.choose_province("37")
    setup.choose_district("3706")
    tap(setup.next_button)
    for _ in range(2):
        setup.pin_pad.type_pin(PIN)
        setup.pin_pad.ok_key.click()
    assert setup.wizard.step is SetupStep.COLLECTOR
    setup.url.setText("https://sangsuk.example.go.th")
    tap(setup.token)
    qtbot.waitUntil(lambda: area.keyboard.field is setup.token)
    area.keyboard.type_text("kM3v")
    tap(area.keyboard.hide_button)
    assert_keyboard_stays_hidden(qtbot, area, [setup.url, setup.token])
    assert (setup.url.text(), setup.token.text()) == ("https://sangsuk.example.go.th", "kM3v")
    qtbot.waitUntil(
        lambda: shown_rect(demo_kiosk, setup.next_button) == rect_in(demo_kiosk, setup.next_button)
    )
