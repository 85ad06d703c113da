"""The welcome screen and the kiosk window, as a citizen (or a clerk starting the kiosk) sees them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QColor, QFontInfo, QFontMetrics, QImage
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton, QWidget

from kiosk.config import KioskConfig
from kiosk.flow import Step
from tests.ui.citizen.helpers import to_impression
from ui.app import KioskWindow
from ui.citizen.welcome import START_BUTTON_MIN_MM
from ui.fonts import FONT_FAMILY, missing_characters
from ui.ledger_service import LedgerService
from ui.startup import EXIT_STARTUP_FAILED, run

TITLE_TH = "อำเภอสร้างสุข — สุข สร้าง ได้"
TITLE_EN = "Happy District — Happiness can be built"
PLACE_TH = "อำเภอหัวตะพาน จังหวัดอำนาจเจริญ"
PLACE_EN = "Hua Taphan District, Amnat Charoen"
START_TH = "แตะเพื่อประเมินความพึงพอใจ"
START_EN = "Tap to rate our service"
SLOGAN_TH = "ทุกข์น้อยลง สุขมากขึ้น"
SLOGAN_EN = "Less suffering, more happiness"


def texts(window: KioskWindow) -> dict[str, str]:
    """Return what the welcome screen says."""
    w = window.welcome
    return {
        "title": w.title.text(),
        "place": w.place_label.text(),
        "start": w.start_button.text(),
        "slogan": w.slogan.text(),
        "badge": w.demo_badge.text(),
        "language": w.language_button.text(),
    }


THAI = {
    "title": TITLE_TH,
    "place": PLACE_TH,
    "start": START_TH,
    "slogan": SLOGAN_TH,
    "badge": "ตัวอย่าง",
    "language": "English",
}
ENGLISH = {
    "title": TITLE_EN,
    "place": PLACE_EN,
    "start": START_EN,
    "slogan": SLOGAN_EN,
    "badge": "Demo",
    "language": "ไทย",
}


def test_shows_the_campaign_and_the_demo_district_in_thai(window: KioskWindow) -> None:
    assert texts(window) == THAI
    assert window.welcome.demo_badge.isVisible()
    assert window.windowTitle() == "ตู้ประเมินอำเภอสร้างสุข"


def test_title_is_drawn_in_sarabun_with_real_thai_glyphs(window: KioskWindow) -> None:
    title = window.welcome.title
    assert QFontInfo(title.font()).family() == FONT_FAMILY
    assert missing_characters(title.font(), title.text()) == ""
    metrics = QFontMetrics(title.font())
    thai = [ch for ch in title.text() if "\u0e00" <= ch <= "\u0e7f"]
    assert len(thai) > 10
    assert all(metrics.inFontUcs4(ord(ch)) for ch in thai)
    # Every text on the screen is Sarabun, not only the title.
    for widget in window.welcome.findChildren(QWidget):
        if isinstance(widget, QLabel | QPushButton):
            assert QFontInfo(widget.font()).family() == FONT_FAMILY, widget.objectName()


def test_title_is_large(window: KioskWindow) -> None:
    assert QFontInfo(window.welcome.title.font()).pixelSize() >= 40


def test_language_button_switches_to_english_and_back(qtbot, window: KioskWindow) -> None:
    button = window.welcome.language_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: texts(window) == ENGLISH)
    assert window.windowTitle() == "Happy District kiosk"
    assert button.accessibleName() == "Switch to Thai (ภาษาไทย)"

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: texts(window) == THAI)
    assert button.accessibleName() == "เปลี่ยนเป็นภาษาอังกฤษ (English)"


def test_tapping_the_big_button_asks_to_start(qtbot, window: KioskWindow) -> None:
    with qtbot.waitSignal(window.welcome.start_requested, timeout=2000):
        qtbot.mouseClick(window.welcome.start_button, Qt.MouseButton.LeftButton)


def test_big_button_is_at_least_15_mm_tall(window: KioskWindow) -> None:
    button = window.welcome.start_button
    screen = button.screen()
    needed_px = START_BUTTON_MIN_MM / 25.4 * screen.physicalDotsPerInch()
    assert button.height() >= needed_px
    assert button.width() >= 2 * button.height()


def test_every_control_has_an_accessible_name(qtbot, window: KioskWindow) -> None:
    def unnamed() -> list[str]:
        return [
            w.objectName() or type(w).__name__
            for w in window.welcome.findChildren(QWidget)
            if isinstance(w, QLabel | QPushButton) and not w.accessibleName().strip()
        ]

    assert unnamed() == []
    assert window.welcome.start_button.accessibleName() == START_TH
    qtbot.mouseClick(window.welcome.language_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.welcome.start_button.accessibleName() == START_EN)
    assert unnamed() == []


def test_a_configured_district_has_no_demo_marker(make_window) -> None:
    window = make_window(KioskConfig(district="5001", demo=False))
    assert not window.welcome.demo_badge.isVisible()
    assert window.welcome.place_label.text() == "อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่"


def _relative_luminance(colour: QColor) -> float:
    """Return the WCAG relative luminance of a colour."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def _contrast(a: QColor, b: QColor) -> float:
    """Return the WCAG contrast ratio of two colours."""
    high, low = sorted((_relative_luminance(a), _relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _rendered_contrast(image: QImage, rect: QRect) -> float:
    """Return the contrast between a region's background (its commonest colour) and its text."""
    counts: Counter[int] = Counter()
    for y in range(rect.top(), rect.bottom() + 1, 2):
        for x in range(rect.left(), rect.right() + 1, 2):
            counts[image.pixel(x, y)] += 1
    background = QColor.fromRgb(counts.most_common(1)[0][0])
    return max(_contrast(background, QColor.fromRgb(pixel)) for pixel in counts)


@pytest.mark.parametrize("language", ["th", "en"])
def test_every_text_has_enough_contrast_as_rendered(qtbot, window: KioskWindow, language) -> None:
    window.switcher.set_language(language)
    qtbot.waitUntil(lambda: texts(window) == (THAI if language == "th" else ENGLISH))
    screen = window.welcome
    image = screen.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    for widget in (
        screen.title,
        screen.place_label,
        screen.start_button,
        screen.slogan,
        screen.demo_badge,
        screen.language_button,
    ):
        rect = QRect(widget.mapTo(screen, widget.rect().topLeft()), widget.size())
        ratio = _rendered_contrast(image, rect)
        assert ratio >= 4.5, f"{widget.objectName()}: contrast {ratio:.2f}"


def test_kiosk_mode_is_full_screen_without_decorations(make_window) -> None:
    window = make_window(windowed=False)
    assert window.kiosk_mode
    assert window.isFullScreen()
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint


def test_kiosk_mode_cannot_be_left_with_escape_alt_f4_or_close(qtbot, make_window) -> None:
    window = make_window(windowed=False)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.keyClick(window.welcome.start_button, Qt.Key.Key_Escape)
    qtbot.keyClick(window, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    assert window.close() is False
    QApplication.processEvents()
    assert window.isVisible()
    assert window.isFullScreen()

    assert window.shutdown() is True
    assert not window.isVisible()


def test_windowed_mode_is_a_normal_window(make_window) -> None:
    window = make_window(windowed=True)
    assert not window.kiosk_mode
    assert not window.isFullScreen()
    assert not window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.close() is True


def _when_shown(app: QApplication, act) -> QTimer:
    """Call act(window_or_box) once run() has shown its window or message box."""
    timer = QTimer(app)
    timer.setInterval(10)

    def poll() -> None:
        box = QApplication.activeModalWidget()
        kiosk = [w for w in QApplication.topLevelWidgets() if isinstance(w, KioskWindow)]
        target = box if box is not None else next((w for w in kiosk if w.isVisible()), None)
        if target is not None:
            timer.stop()
            act(target)

    timer.timeout.connect(poll)
    timer.start()
    return timer


def test_run_opens_the_welcome_screen_and_returns_when_closed(kiosk_app, tmp_path: Path) -> None:
    seen: dict[str, str] = {}

    def look_and_close(window: KioskWindow) -> None:
        seen.update(texts(window), windowed=str(not window.kiosk_mode))
        window.close()

    timer = _when_shown(kiosk_app, look_and_close)
    assert run(tmp_path, windowed=True) == 0
    timer.deleteLater()
    assert {k: seen[k] for k in THAI} == THAI
    assert seen["windowed"] == "True"


def test_run_honours_the_language_argument(kiosk_app, tmp_path: Path) -> None:
    seen: dict[str, str] = {}

    def look_and_close(window: KioskWindow) -> None:
        seen.update(texts(window))
        window.shutdown()

    timer = _when_shown(kiosk_app, look_and_close)
    assert run(tmp_path, windowed=False, language="en") == 0
    timer.deleteLater()
    assert {k: seen[k] for k in ENGLISH} == ENGLISH


def test_run_explains_bad_settings_instead_of_crashing(kiosk_app, tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"district": "9999"}), encoding="utf-8")
    shown: dict[str, str] = {}

    def read_and_dismiss(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        shown.update(text=box.text(), detail=box.informativeText())
        box.button(QMessageBox.StandardButton.Ok).click()

    timer = _when_shown(kiosk_app, read_and_dismiss)
    assert run(tmp_path) == EXIT_STARTUP_FAILED
    timer.deleteLater()
    assert "เจ้าหน้าที่อำเภอ" in shown["text"]
    assert "9999" in shown["detail"]
    assert not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, KioskWindow) and w.isVisible()
    ]


def test_run_rejects_an_unknown_language(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="language"):
        run(tmp_path, language="fr")


# --- the welcome in the citizen's flow: cooldown, out of service ------------------------------


def _vote_and_return(qtbot, kiosk: KioskWindow, clock) -> None:
    """Vote, get thanked, and let the thanks screen end."""
    to_impression(kiosk, clock)
    with qtbot.waitSignal(kiosk.ledger.saved, timeout=10_000):
        kiosk.impression.send_button.click()
    qtbot.waitUntil(lambda: kiosk.current_screen() is kiosk.thanks)
    clock.advance(kiosk.flow.settings.thanks_s)
    kiosk.tick()
    assert kiosk.current_screen() is kiosk.welcome


def test_a_tap_during_the_cooldown_asks_gently_to_wait(qtbot, kiosk: KioskWindow, clock) -> None:
    _vote_and_return(qtbot, kiosk, clock)
    welcome = kiosk.welcome
    assert not welcome.cooldown_message.isVisible()
    assert kiosk.flow.view().cooldown_remaining is not None
    welcome.start_button.click()
    assert kiosk.flow.step is Step.WELCOME  # not started
    assert welcome.cooldown_message.isVisible()
    assert welcome.cooldown_message.text() == "กรุณารอสักครู่ แล้วแตะเพื่อเริ่มใหม่"
    clock.advance(kiosk.flow.settings.cooldown_s)
    kiosk.tick()
    assert not welcome.cooldown_message.isVisible()  # the wait is over
    welcome.start_button.click()
    assert kiosk.current_screen() is kiosk.rating


def button_fill(button: QPushButton) -> QColor:
    """Return the colour most of the button is painted in."""
    image = button.grab().toImage()
    counts = Counter(
        image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
    )
    return QColor(counts.most_common(1)[0][0])


def test_the_start_button_looks_quiet_while_the_next_rating_must_wait(
    qtbot, kiosk: KioskWindow, clock
) -> None:
    """During the cooldown the big button does not look like an invitation: it is painted sand,
    not green, until the wait is over; a tap still answers "please wait"."""
    inviting = button_fill(kiosk.welcome.start_button)
    assert inviting == QColor("#1D6B55")
    _vote_and_return(qtbot, kiosk, clock)
    welcome = kiosk.welcome
    assert kiosk.flow.view().cooldown_remaining is not None
    assert button_fill(welcome.start_button) == QColor("#E9E1D3")
    welcome.start_button.click()
    assert welcome.cooldown_message.isVisible()
    clock.advance(kiosk.flow.settings.cooldown_s)
    kiosk.tick()
    assert button_fill(welcome.start_button) == inviting


def test_the_cooldown_message_in_english(qtbot, kiosk: KioskWindow, clock) -> None:
    _vote_and_return(qtbot, kiosk, clock)
    kiosk.welcome.language_button.click()
    kiosk.welcome.start_button.click()
    qtbot.waitUntil(
        lambda: (
            kiosk.welcome.cooldown_message.text() == "Please wait a moment before the next rating"
        )
    )
    assert kiosk.welcome.cooldown_message.isVisible()


def test_a_ledger_that_cannot_open_puts_the_kiosk_out_of_service(
    qtbot, make_kiosk, data_dir: Path, clock
) -> None:
    (data_dir / "device_key.pem").write_text("garbage")
    service = LedgerService(data_dir, clock)
    try:
        window = make_kiosk(ledger=service)
        with qtbot.waitSignal(service.open_failed, timeout=10_000):
            service.start()
        qtbot.waitUntil(window.welcome.is_out_of_service)
        welcome = window.welcome
        assert welcome.out_of_service.isVisible()
        assert not welcome.start_button.isVisible()
        assert "กรุณาแจ้งเจ้าหน้าที่" in welcome.out_of_service.text()
        assert window.flow.step is Step.WELCOME
    finally:
        service.stop()
        service.deleteLater()


def test_the_welcome_has_the_display_toggles(window: KioskWindow) -> None:
    bar = window.welcome.bar
    assert bar.large_text_button.text() == "ตัวอักษรใหญ่"
    assert bar.high_contrast_button.text() == "ความคมชัดสูง"
    bar.large_text_button.click()
    assert window.flow.session.large_text
    assert window.property("largeText") is True
