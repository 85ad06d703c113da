"""The on-screen keyboard, driven as a citizen drives it: taps, Shift, the language key, Tab."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFontInfo, QFontMetrics, QImage, QScreen
from PySide6.QtWidgets import QApplication, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.keyboard_layouts import DOTTED_CIRCLE, THAI_KEDMANEE
from ui.fonts import FONT_FAMILY, missing_characters
from ui.i18n import LanguageSwitcher
from ui.widgets.keyboard import KEY_MIN_MM, KEY_MIN_WIDTH_MM, ThaiKeyboard
from ui.widgets.story_field import StoryField
from wire.vote import STORY_MAX_CHARS

WINDOW = (1280, 800)  # a 10-inch tablet, landscape
SENTENCE = "เจ้าหน้าที่พูดจาสุภาพ ขอบคุณค่ะ"
GREEN = QColor("#1D6B55")
INK = QColor("#2A2723")


@dataclass
class Page:
    """A story page as the impression screen will build it: a field above, the keyboard below."""

    window: QWidget
    before: QPushButton
    field: StoryField
    keyboard: ThaiKeyboard
    after: QPushButton


@pytest.fixture
def make_page(qtbot, switcher: LanguageSwitcher) -> Callable[..., Page]:
    """Return a function that builds and shows a 1280x800 page with the keyboard in its lower half."""

    def make(**options: object) -> Page:
        window = QWidget()
        window.setObjectName("kioskWindow")
        before = QPushButton("before", window)
        field = StoryField(window)
        keyboard = ThaiKeyboard(parent=window, **options)  # type: ignore[arg-type]
        after = QPushButton("after", window)
        keyboard.text_changed.connect(field.show_text)
        top = QHBoxLayout()
        top.addWidget(before)
        top.addWidget(field, 1)
        top.addWidget(after)
        layout = QVBoxLayout(window)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top, 1)
        layout.addWidget(keyboard, 1)
        qtbot.addWidget(window)
        window.resize(*WINDOW)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        return Page(window, before, field, keyboard, after)

    return make


@pytest.fixture
def page(make_page: Callable[..., Page]) -> Page:
    """The page with a Thai keyboard and the vote's 500-character limit."""
    return make_page()


def label_of(ch: str) -> str:
    """Return what the key that types ch shows."""
    return DOTTED_CIRCLE + ch if unicodedata.category(ch) == "Mn" else ch


def shown(keyboard: ThaiKeyboard, label: str) -> QPushButton | None:
    """Return the character key showing label, or None if the current layer has none."""
    found = [b for row in keyboard.character_keys for b in row if b.text() == label]
    assert len(found) <= 1
    return found[0] if found else None


def tap(keyboard: ThaiKeyboard, ch: str) -> None:
    """Type one character with real clicks: Shift first if it is on the upper layer."""
    if ch == " ":
        keyboard.space_key.click()
        return
    button = shown(keyboard, label_of(ch))
    if button is None:
        assert not keyboard.is_shifted(), f"{ch!r} is on neither layer"
        keyboard.shift_key.click()
        button = shown(keyboard, label_of(ch))
        assert button is not None, f"{ch!r} is on neither layer"
    button.click()
    assert not keyboard.is_shifted()  # one character with Shift, then the normal layer again


def type_text(keyboard: ThaiKeyboard, text: str) -> None:
    """Type text key by key."""
    for ch in text:
        tap(keyboard, ch)


def layer_labels(keyboard: ThaiKeyboard) -> list[str]:
    """Return the labels of the character keys, row by row."""
    return [" ".join(b.text() for b in row) for row in keyboard.character_keys]


def mm(widget: QWidget, millimetres: float) -> float:
    """Return how many pixels millimetres span on the widget's screen."""
    return millimetres / 25.4 * widget.screen().physicalDotsPerInch()


def test_clicking_keys_types_the_thai_sentence_exactly(page: Page) -> None:
    keyboard = page.keyboard
    emitted: list[str] = []
    keyboard.text_changed.connect(emitted.append)
    type_text(keyboard, SENTENCE)
    assert keyboard.text() == SENTENCE
    assert [f"U+{ord(c):04X}" for c in keyboard.text()] == [f"U+{ord(c):04X}" for c in SENTENCE]
    assert emitted == [SENTENCE[:n] for n in range(1, len(SENTENCE) + 1)]  # once per key
    assert page.field.toPlainText() == SENTENCE
    assert keyboard.remaining() == STORY_MAX_CHARS - len(SENTENCE)


def test_shift_shows_the_upper_layer_for_one_character(page: Page) -> None:
    keyboard = page.keyboard
    normal = layer_labels(keyboard)
    assert normal[0] == "ๅ / - ภ ถ ◌ุ ◌ึ ค ต จ ข ช"
    assert not keyboard.shift_key.isChecked()

    keyboard.shift_key.click()
    assert keyboard.is_shifted()
    assert keyboard.shift_key.isChecked()
    assert layer_labels(keyboard)[0] == "+ ๑ ๒ ๓ ๔ ◌ู ฿ ๕ ๖ ๗ ๘ ๙"
    assert layer_labels(keyboard)[3] == "( ) ฉ ฮ ◌ฺ ◌์ ? ฒ ฬ ฦ"
    shown(keyboard, "ฉ").click()
    assert keyboard.text() == "ฉ"
    assert not keyboard.is_shifted()
    assert not keyboard.shift_key.isChecked()
    assert layer_labels(keyboard) == normal

    keyboard.shift_key.click()
    keyboard.shift_key.click()  # Shift again: back to the normal layer, nothing typed
    assert not keyboard.is_shifted()
    assert layer_labels(keyboard) == normal
    assert keyboard.text() == "ฉ"


def test_the_language_key_switches_to_english_and_back(qtbot, page: Page) -> None:
    keyboard = page.keyboard
    assert keyboard.keyboard_language() == "th"
    assert keyboard.language_key.text() == "ABC"
    assert keyboard.language_key.accessibleName() == "เปลี่ยนแป้นพิมพ์เป็นภาษาอังกฤษ"

    keyboard.language_key.click()
    assert keyboard.keyboard_language() == "en"
    assert keyboard.language_key.text() == "ไทย"
    assert keyboard.language_key.accessibleName() == "เปลี่ยนแป้นพิมพ์เป็นภาษาไทย"
    assert layer_labels(keyboard)[1] == "q w e r t y u i o p [ ] \\"
    emitted: list[str] = []
    keyboard.text_changed.connect(emitted.append)
    type_text(keyboard, "Thank you")
    assert keyboard.text() == "Thank you"
    assert emitted[-1] == "Thank you"

    keyboard.shift_key.click()
    keyboard.language_key.click()  # switching language releases Shift
    assert keyboard.keyboard_language() == "th"
    assert not keyboard.is_shifted()
    assert layer_labels(keyboard)[1] == "ๆ ไ ำ พ ะ ◌ั ◌ี ร น ย บ ล ฃ"
    type_text(keyboard, " ขอบคุณ")
    assert keyboard.text() == "Thank you ขอบคุณ"


def test_backspace_removes_one_code_point(qtbot, page: Page) -> None:
    keyboard = page.keyboard
    type_text(keyboard, "ผู้ใหญ่")
    assert keyboard.text() == "ผู้ใหญ่"
    with qtbot.waitSignal(keyboard.text_changed, timeout=2000) as changed:
        keyboard.backspace_key.click()
    assert changed.args == ["ผู้ใหญ"]  # only the tone mark went
    keyboard.backspace_key.click()
    keyboard.backspace_key.click()
    keyboard.backspace_key.click()
    assert keyboard.text() == "ผู้"
    keyboard.backspace_key.click()
    assert keyboard.text() == "ผู"
    assert page.field.toPlainText() == "ผู"
    for _ in range(3):
        keyboard.backspace_key.click()
    assert keyboard.text() == ""
    with qtbot.assertNotEmitted(keyboard.text_changed):
        keyboard.backspace_key.click()  # nothing left to delete


def test_characters_left_counts_down_and_typing_stops_at_the_limit(qtbot, page: Page) -> None:
    keyboard = page.keyboard
    counter = keyboard.characters_left
    assert counter.text() == "เหลืออีก 500 ตัวอักษร"
    keyboard.set_max_length(4)
    assert keyboard.max_length() == 4
    assert counter.text() == "เหลืออีก 4 ตัวอักษร"
    seen = []
    for ch in "ดีจ":
        tap(keyboard, ch)
        seen.append(counter.text())
    assert seen == ["เหลืออีก 3 ตัวอักษร", "เหลืออีก 2 ตัวอักษร", "เหลืออีก 1 ตัวอักษร"]
    assert counter.accessibleName() == counter.text()
    tap(keyboard, "ั")
    assert counter.text() == "พิมพ์ครบจำนวนแล้ว"
    assert counter.property("full") is True
    assert keyboard.text() == "ดีจั"

    with (
        qtbot.waitSignal(keyboard.limit_reached, timeout=2000),
        qtbot.assertNotEmitted(keyboard.text_changed),
    ):
        shown(keyboard, "ง").click()
    keyboard.space_key.click()
    assert keyboard.text() == "ดีจั"  # typing stopped at the limit
    keyboard.backspace_key.click()
    assert counter.text() == "เหลืออีก 1 ตัวอักษร"
    assert counter.property("full") is False
    shown(keyboard, "ง").click()
    assert keyboard.text() == "ดีจง"


def test_the_counter_and_key_names_follow_the_ui_language(
    qtbot, page: Page, switcher: LanguageSwitcher
) -> None:
    keyboard = page.keyboard
    names = {
        "shift": keyboard.shift_key,
        "backspace": keyboard.backspace_key,
        "space": keyboard.space_key,
        "language": keyboard.language_key,
    }
    assert {k: b.accessibleName() for k, b in names.items()} == {
        "shift": "ยกแคร่",
        "backspace": "ลบ",
        "space": "เว้นวรรค",
        "language": "เปลี่ยนแป้นพิมพ์เป็นภาษาอังกฤษ",
    }
    assert keyboard.space_key.text() == "เว้นวรรค"
    assert keyboard.backspace_key.text() == "← ลบ"
    assert page.field.placeholderText().startswith("พิมพ์เรื่องราว")

    switcher.set_language("en")
    qtbot.waitUntil(lambda: keyboard.characters_left.text() == "500 characters left")
    assert {k: b.accessibleName() for k, b in names.items()} == {
        "shift": "Shift",
        "backspace": "Backspace",
        "space": "Space",
        "language": "Switch the keyboard to English",
    }
    assert keyboard.accessibleName() == "On-screen keyboard"
    assert page.field.accessibleName() == "Your story"
    assert keyboard.language_key.text() == "ABC"  # names the layout, not the UI language
    keyboard.set_max_length(1)
    assert keyboard.characters_left.text() == "1 character left"
    keyboard.set_text("ก")
    assert keyboard.characters_left.text() == "No characters left"


def test_every_key_has_an_accessible_name(page: Page) -> None:
    keyboard = page.keyboard
    for shifted in (False, True):
        keyboard.set_shifted(shifted)
        for key in keyboard.key_buttons():
            assert key.accessibleName().strip(), key.objectName()
        for row, buttons in zip(THAI_KEDMANEE.layer(shifted), keyboard.character_keys, strict=True):
            for key, button in zip(row, buttons, strict=True):
                assert button.accessibleName() == key.value  # the mark itself, no circle
    assert keyboard.accessibleName() == "แป้นพิมพ์บนหน้าจอ"


def test_keyboard_only_tab_arrows_and_enter(qtbot, page: Page) -> None:
    keyboard = page.keyboard
    page.before.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(page.before.hasFocus)

    def focused() -> str:
        widget = QApplication.focusWidget()
        return widget.text() if isinstance(widget, QPushButton) else repr(widget)

    def press(key: Qt.Key) -> None:
        qtbot.keyClick(QApplication.focusWidget(), key)

    press(Qt.Key.Key_Tab)  # into the keyboard: its first key
    assert focused() == "ๅ"
    press(Qt.Key.Key_Right)
    press(Qt.Key.Key_Right)
    assert focused() == "-"
    press(Qt.Key.Key_Down)
    assert focused() == "ำ"
    press(Qt.Key.Key_Down)
    assert focused() == "ห"  # straight below, on the staggered row
    with qtbot.waitSignal(keyboard.text_changed, timeout=2000) as typed:
        press(Qt.Key.Key_Return)
    assert typed.args == ["ห"]
    press(Qt.Key.Key_Left)
    press(Qt.Key.Key_Left)  # wraps to the end of the row
    assert focused() == "ง"
    press(Qt.Key.Key_Up)
    assert focused() == "ล"
    press(Qt.Key.Key_Space)  # Space presses the focused key too
    qtbot.waitUntil(lambda: keyboard.text() == "หล")
    press(Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: keyboard.text() == "หลล")

    for _ in range(3):
        press(Qt.Key.Key_Down)
    assert QApplication.focusWidget() is keyboard.space_key  # the bottom row; no further
    press(Qt.Key.Key_Down)
    assert QApplication.focusWidget() is keyboard.space_key
    press(Qt.Key.Key_Tab)  # and on out of the keyboard
    assert QApplication.focusWidget() is page.after

    # Tab visits every key once, in reading order.
    keyboard.key_buttons()[0].setFocus(Qt.FocusReason.TabFocusReason)
    visited = [QApplication.focusWidget()]
    for _ in range(len(keyboard.key_buttons()) - 1):
        press(Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert visited == keyboard.key_buttons()
    assert len(visited) == 46 + 4


def test_a_tap_does_not_move_the_keyboard_focus(qtbot, page: Page) -> None:
    keyboard = page.keyboard
    first = keyboard.key_buttons()[0]
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(first.hasFocus)
    qtbot.mouseClick(shown(keyboard, "ก"), Qt.MouseButton.LeftButton)
    assert keyboard.text() == "ก"
    assert first.hasFocus()  # a switch user's place is kept


def _border_colour(key: QPushButton) -> QColor:
    """Return the colour a key is drawn with just inside its left edge, halfway down."""
    image = key.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    return image.pixelColor(3, image.height() // 2)


def test_focus_and_pressed_keys_are_clearly_marked(qtbot, page: Page) -> None:
    key = shown(page.keyboard, "ก")
    assert _border_colour(key) != INK
    key.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(key.hasFocus)
    assert _border_colour(key) == INK  # a thick dark outline

    other = shown(page.keyboard, "ด")
    centre = QRect(0, 0, 1, 1).translated(other.width() // 2, 6)

    def fill(button: QPushButton) -> QColor:
        image = button.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        return image.pixelColor(centre.topLeft())

    assert fill(other) == QColor("#FFFFFF")
    other.setDown(True)
    assert fill(other) == GREEN
    other.setDown(False)
    page.keyboard.shift_key.click()
    assert fill(page.keyboard.shift_key) == GREEN  # Shift shows that it is on


def test_keys_are_labelled_in_sarabun_at_a_legible_size(page: Page) -> None:
    keyboard = page.keyboard
    for shifted in (False, True):
        keyboard.set_shifted(shifted)
        for row in keyboard.character_keys:
            for key in row:
                info = QFontInfo(key.font())
                assert info.family() == FONT_FAMILY
                assert info.pixelSize() >= 24, key.text()
                assert missing_characters(key.font(), key.text().lstrip(DOTTED_CIRCLE)) == ""
    for key in (keyboard.shift_key, keyboard.backspace_key, keyboard.space_key):
        assert QFontInfo(key.font()).family() == FONT_FAMILY
        assert QFontInfo(key.font()).pixelSize() >= 18


def test_mark_keys_draw_the_mark_on_a_dotted_circle(page: Page) -> None:
    keyboard = page.keyboard

    def ink(button: QPushButton) -> int:
        image = button.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        inner = QRect(8, 8, image.width() - 16, image.height() - 16)
        return sum(
            1
            for y in range(inner.top(), inner.bottom())
            for x in range(inner.left(), inner.right())
            if QColor(image.pixel(x, y)).lightness() < 128
        )

    tone_one, tone_two = shown(keyboard, "◌่"), shown(keyboard, "◌้")
    consonant = shown(keyboard, "ก")
    assert tone_one is not None
    assert tone_two is not None
    assert ink(tone_one) > 40  # the circle and the mark, not an empty key
    assert ink(tone_two) > ink(tone_one)  # mai tho has more strokes than mai ek
    assert tone_one.grab().toImage() != tone_two.grab().toImage()
    assert ink(consonant) > 40


def _check_key_sizes(page: Page) -> None:
    """Assert every key is 15 mm tall, 12 mm wide, inside the keyboard and not overlapping."""
    keyboard = page.keyboard
    keys = keyboard.key_buttons()
    tall, wide = mm(keyboard, KEY_MIN_MM), mm(keyboard, KEY_MIN_WIDTH_MM)
    for key in keys:
        assert key.isVisible()
        assert key.height() >= tall, (key.objectName(), key.height(), tall)
        assert key.width() >= wide, (key.objectName(), key.width(), wide)
        assert keyboard.rect().contains(key.geometry()), key.objectName()
    for i, key in enumerate(keys):
        for other in keys[i + 1 :]:
            assert not key.geometry().intersects(other.geometry())
    assert not keyboard.characters_left.geometry().intersects(keyboard.space_key.geometry())
    for widget in (*keys, keyboard.characters_left):  # every label fits on one line
        text_width = QFontMetrics(widget.font()).horizontalAdvance(widget.text())
        assert text_width < widget.width() - 8, (widget.objectName(), widget.text())
    window = page.window
    inside = QRect(keyboard.mapTo(window, keyboard.rect().topLeft()), keyboard.size())
    assert window.rect().contains(inside)  # nothing clipped by the window


def test_every_key_is_at_least_15_mm_tall_on_a_1280x800_window(page: Page) -> None:
    assert (page.window.width(), page.window.height()) == WINDOW
    _check_key_sizes(page)
    assert page.keyboard.height() <= WINDOW[1] // 2 + 1  # the lower half of the screen


def test_keys_stay_15_mm_on_a_10_inch_tablet(
    qtbot, monkeypatch: pytest.MonkeyPatch, make_page: Callable[..., Page]
) -> None:
    # 1280x800 on a 10.1-inch panel is about 150 DPI: 15 mm is 89 pixels.
    monkeypatch.setattr(QScreen, "physicalDotsPerInch", lambda _screen: 150.0)
    page = make_page()
    qtbot.waitUntil(
        lambda: page.keyboard.key_buttons()[0].height() >= mm(page.keyboard, KEY_MIN_MM)
    )
    assert page.keyboard.minimumSizeHint().width() <= WINDOW[0]
    _check_key_sizes(page)


def test_text_and_limit_can_be_set_from_outside(qtbot, make_page: Callable[..., Page]) -> None:
    page = make_page(max_length=10, language="en")
    keyboard = page.keyboard
    assert keyboard.keyboard_language() == "en"
    with qtbot.waitSignal(keyboard.text_changed, timeout=2000) as changed:
        keyboard.set_text("ขอบคุณมากครับท่าน")
    assert changed.args == ["ขอบคุณมากค"]
    assert keyboard.remaining() == 0
    keyboard.set_max_length(20)
    assert keyboard.remaining() == 10
    keyboard.set_keyboard_language("th")
    assert shown(keyboard, "ก") is not None
    with pytest.raises(ValueError, match="fr"):
        keyboard.set_keyboard_language("fr")
    keyboard.clear()
    assert keyboard.text() == ""
    assert page.field.toPlainText() == ""
