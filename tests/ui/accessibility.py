"""Helpers for the accessibility tests: WCAG contrast, colours as rendered, every citizen screen.

``citizen_scenes`` brings one kiosk window through every citizen screen and state a person can
see (the welcome and its notices, each question, chosen answers shown on return, the story
keyboard, "still there?", the failure screen, the thanks), so that the contrast, size and text
checks run over all of them rather than over a list kept by hand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from PySide6.QtCore import QCoreApplication, QPoint, QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget

from tests.fakes import FakeClock
from tests.ui.citizen.helpers import human
from ui.app import KioskWindow

# WCAG 2.2: 1.4.3 (AA) asks 4.5:1 for text; the high-contrast style promises 1.4.6's 7:1.
TEXT_CONTRAST: dict[bool, float] = {False: 4.5, True: 7.0}
MIN_GAP_MM = 2.0  # between two controls, so a finger on one does not press its neighbour


def relative_luminance(colour: QColor) -> float:
    """Return the WCAG relative luminance of an sRGB colour."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """Return the WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def colour_counts(image: QImage, rect: QRect) -> Counter[int]:
    """Return how many pixels of each colour (0xAARRGGBB, opaque) a region of an image holds."""
    part = image.copy(rect).convertToFormat(QImage.Format.Format_RGB32)
    counts: Counter[int] = Counter()
    for y in range(part.height()):
        row = memoryview(part.constScanLine(y)).cast("I")[: part.width()]
        counts.update(row)
    return counts


def background_and_ink(counts: Counter[int]) -> tuple[QColor, QColor | None]:
    """Return a region's background (its commonest colour) and its ink (the next commonest).

    Text is drawn in one solid colour with antialiased edges in many others, so after the
    background the commonest colour is the text's own.
    """
    common = counts.most_common(2)
    background = QColor.fromRgb(common[0][0])
    ink = QColor.fromRgb(common[1][0]) if len(common) > 1 else None
    return background, ink


def rect_in(window: QWidget, widget: QWidget, rect: QRect | None = None) -> QRect:
    """Return a widget's rectangle (or a rectangle inside it) in window coordinates, clipped to what shows."""
    local = rect if rect is not None else widget.rect()
    local = local.intersected(widget.visibleRegion().boundingRect())
    return QRect(widget.mapTo(window, local.topLeft()), local.size())


def shrunk(rect: QRect, by: int) -> QRect:
    """Return rect made smaller on every side (to leave out borders and round corners)."""
    by = max(0, min(by, rect.width() // 4, rect.height() // 4))
    return rect.adjusted(by, by, -by, -by)


def mm_between(a: QRect, b: QRect, px_per_mm: float) -> float:
    """Return the gap between two rectangles in millimetres (0 if they touch or overlap)."""
    dx = max(b.left() - a.right() - 1, a.left() - b.right() - 1, 0)
    dy = max(b.top() - a.bottom() - 1, a.top() - b.bottom() - 1, 0)
    return max(dx, dy) / px_per_mm


def global_rect(widget: QWidget) -> QRect:
    """Return a widget's rectangle in screen coordinates."""
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def settle() -> None:
    """Deliver the events already posted (a relayout, a language change), as the event loop would."""
    QCoreApplication.sendPostedEvents()
    QCoreApplication.processEvents()


def citizen_scenes(qtbot, kiosk: KioskWindow, clock: FakeClock) -> Iterator[str]:
    """Bring the kiosk (without a ledger: saving is driven on the flow) to every citizen state.

    Yields a name for each state while the kiosk shows it. Give the kiosk a speech engine with an
    English voice and no Thai one to see both the "no voice" note and the speaker turned on.
    """
    welcome = kiosk.welcome
    settle()
    yield "welcome"
    welcome.show_cooldown_message(True)
    settle()
    yield "welcome, please wait"
    welcome.show_cooldown_message(False)
    welcome.set_out_of_service("disk_full")
    settle()
    yield "welcome, out of service"
    welcome.set_out_of_service(None)
    welcome.start_button.click()
    settle()
    yield "rating"
    if not kiosk.speech.available(kiosk.flow.session.lang):
        kiosk.rating.bar.speaker_button.click()
        assert kiosk.rating.bar.speech_notice.isVisible()
        settle()
        yield "rating, no voice for the language"
    human(clock)
    kiosk.rating.faces[4].click()
    kiosk.target.service_chips["birth"].click()
    settle()
    yield "target, a service chosen"
    kiosk.target.back_button.click()
    settle()
    yield "rating, the face chosen before"
    human(clock)
    kiosk.rating.faces[1].click()
    human(clock)
    kiosk.target.staff_cards[1].click()
    kiosk.impression.concern_chips["long-wait"].click()
    settle()
    yield "impression after the angriest face, a concern tag"
    kiosk.impression.back_button.click()
    kiosk.target.back_button.click()
    human(clock)
    kiosk.rating.faces[4].click()
    human(clock)
    kiosk.target.staff_cards[1].click()
    kiosk.impression.tag_chips["fast"].click()
    kiosk.impression.tag_chips["polite"].click()
    settle()
    yield "impression, two tags"
    kiosk.impression.back_button.click()
    settle()
    yield "target, the card chosen before"
    human(clock)
    kiosk.target.staff_cards[1].click()
    kiosk.impression.write_button.click()
    kiosk.impression.keyboard.shift_key.click()
    settle()
    yield "impression, the keyboard with Shift"
    kiosk.impression.keyboard.shift_key.click()
    kiosk.impression.keyboard.set_text("เจ้าหน้าที่ใจดี")
    settle()
    yield "impression, a story typed"
    kiosk.impression.back_button.click()  # closes the keyboard
    settle()
    yield "impression, the story written"
    other = "en" if kiosk.switcher.language == "th" else "th"
    kiosk.impression.bar.language_button.click()
    qtbot.waitUntil(lambda: kiosk.switcher.language == other)
    if kiosk.speech.available(other):
        kiosk.impression.bar.speaker_button.click()
        assert kiosk.flow.session.speech
    settle()
    yield "impression, the other language (spoken guidance on if it has a voice)"
    clock.advance(kiosk.flow.settings.idle_timeout_s)
    kiosk.tick()
    assert kiosk.still_there.isVisible()
    settle()
    yield "still there?"
    kiosk.still_there.button.click()
    kiosk.flow.finish()
    kiosk.render_flow()
    kiosk.saving.reveal()
    settle()
    yield "saving"
    kiosk.flow.save_failed("disk_full")
    kiosk.render_flow()
    settle()
    yield "save failed"
    kiosk.flow.retry()
    kiosk.flow.saved()
    kiosk.render_flow()
    settle()
    yield "thanks"
