"""Contrast (WCAG 2.2 1.4.3 and 1.4.6) of every text on every citizen screen, as the kiosk draws it.

Nothing here lists colours: the text colour is the one the widget was given (its palette after
the stylesheet, or the one it paints in), the background is what the rendered screen shows
behind the text, and each text must be found painted in its colour. Each screen is checked in
the normal style (at least 4.5:1) and in high contrast (at least 7:1), at rest, with keyboard
focus on each control, and with each control held down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QPushButton, QWidget

from tests.ui.accessibility import (
    TEXT_CONTRAST,
    background_and_ink,
    citizen_scenes,
    colour_counts,
    contrast,
    rect_in,
    settle,
    shrunk,
)
from tests.ui.citizen.helpers import human
from ui.app import KioskWindow
from ui.citizen.rating import RATINGS, FaceButton, face_colours
from ui.citizen.story_invite import StoryInvite
from ui.citizen.target_cards import Avatar, Card
from ui.speech import SilentEngine, SpeechGuide
from ui.widgets.story_field import CARET_WIDTH_PX, caret_colour
from ui.widgets.style import KEYBOARD_USE_PROPERTY, repolish

BORDER_PX = 8  # left out around a button's edge: its border and round corners are not text


@pytest.fixture
def scenes_kiosk(make_kiosk: Callable[..., KioskWindow]) -> KioskWindow:
    """A kiosk with no ledger and a speech engine that has an English voice but no Thai one."""
    return make_kiosk(speech=SpeechGuide(SilentEngine(("en_US",))))


def shown_root(kiosk: KioskWindow) -> QWidget:
    """Return what is on top: "still there?" when it shows, else the current screen."""
    return kiosk.still_there if kiosk.still_there.isVisible() else kiosk.current_screen()


def texts(
    kiosk: KioskWindow, widgets: list[QWidget]
) -> Iterator[tuple[QWidget, QRect, QColor | None]]:
    """Yield each text among widgets: where it is (window coordinates) and its colour if known.

    A label's colour is its palette's; a button that paints its own text uses ButtonText; an
    avatar's letters have no palette colour (None: the ink is read from the rendering).
    """
    for widget in widgets:
        if not widget.isVisible() or widget.visibleRegion().isEmpty():
            continue
        palette = widget.palette()
        if isinstance(widget, QLabel):
            if widget.text().strip():
                yield widget, rect_in(kiosk, widget), palette.color(widget.foregroundRole())
        elif isinstance(widget, FaceButton):
            word = widget.face_layout()[2]
            yield widget, rect_in(kiosk, widget, word), palette.color(QPalette.ColorRole.ButtonText)
        elif isinstance(widget, Card):
            continue  # its name and detail are labels of their own
        elif isinstance(widget, QPushButton):
            if widget.text().strip() or isinstance(widget, StoryInvite):
                inner = shrunk(rect_in(kiosk, widget), BORDER_PX)
                yield widget, inner, palette.color(QPalette.ColorRole.ButtonText)
        elif isinstance(widget, QPlainTextEdit):
            role = (
                QPalette.ColorRole.Text
                if widget.toPlainText()
                else QPalette.ColorRole.PlaceholderText
            )
            yield widget, rect_in(kiosk, widget.viewport()), palette.color(role)
        elif isinstance(widget, Avatar) and not widget.has_photo():
            yield widget, shrunk(rect_in(kiosk, widget), widget.width() // 5), None


def name_of(widget: QWidget) -> str:
    """Return a name to report a widget by."""
    text = widget.text() if isinstance(widget, (QLabel, QPushButton)) else ""
    return f"{widget.objectName() or type(widget).__name__} {text[:30]!r}"


def measure(
    image: QImage,
    origin: QRect,
    found: list[tuple[QWidget, QRect, QColor | None]],
    *,
    rendered_ink: bool,
) -> Iterator[tuple[QWidget, float, QColor, QColor, int]]:
    """Yield, for each text, its contrast, colour, background and how many pixels show the colour.

    ``origin`` is the window rectangle the image shows; with ``rendered_ink`` the text colour is
    read from the image (a pressed or focused button's colour is not in its palette).
    """
    for widget, rect, colour in found:
        counts = colour_counts(image, rect.translated(-origin.topLeft()))
        background, ink = background_and_ink(counts)
        # The stylesheet's colours for :focus, :pressed and :checked are not in the palette.
        in_state = isinstance(widget, QPushButton) and (
            widget.hasFocus() or widget.isDown() or widget.isChecked()
        )
        if colour is None or in_state or (rendered_ink and not isinstance(widget, QLabel)):
            colour = ink
        if colour is None:
            continue  # a region of one colour: nothing is written there
        yield widget, contrast(colour, background), colour, background, counts[colour.rgb()]


def check(
    kiosk: KioskWindow,
    widgets: list[QWidget],
    *,
    scene: str,
    rendered_ink: bool = False,
    region: QRect | None = None,
) -> list[str]:
    """Return what fails among the texts in widgets, as the window shows them now."""
    high = kiosk.property("highContrast") is True
    least = TEXT_CONTRAST[high]
    area = region if region is not None else kiosk.rect()
    image = kiosk.grab(area).toImage()
    found = [(w, r, c) for w, r, c in texts(kiosk, widgets) if area.contains(r)]
    failures = []
    for widget, ratio, colour, background, pixels in measure(
        image, area, found, rendered_ink=rendered_ink
    ):
        where = f"{scene}{' (high contrast)' if high else ''}: {name_of(widget)}"
        if pixels == 0:
            failures.append(f"{where}: not painted in its colour {colour.name()}")
        elif ratio < least:
            failures.append(
                f"{where}: {colour.name()} on {background.name()} is {ratio:.2f}:1, below {least}:1"
            )
    return failures


def check_states(kiosk: KioskWindow, root: QWidget, scene: str) -> list[str]:
    """Return what fails with keyboard focus on each control, and with each control held down."""
    buttons = [
        b
        for b in root.findChildren(QPushButton)
        if b.isVisible() and b.isEnabled() and not b.visibleRegion().isEmpty()
    ]
    had_focus = QApplication.focusWidget()
    kiosk.setProperty(KEYBOARD_USE_PROPERTY, True)
    repolish(kiosk)
    failures = []
    try:
        for button in buttons:
            parts = [button, *button.findChildren(QWidget)]
            region = rect_in(kiosk, button)
            button.setFocus(Qt.FocusReason.TabFocusReason)
            failures += check(
                kiosk, parts, scene=f"{scene}, focused", rendered_ink=True, region=region
            )
            button.setDown(True)
            failures += check(
                kiosk, parts, scene=f"{scene}, held down", rendered_ink=True, region=region
            )
            button.setDown(False)
    finally:
        if had_focus is not None:
            had_focus.setFocus(Qt.FocusReason.OtherFocusReason)
        kiosk.setProperty(KEYBOARD_USE_PROPERTY, False)
        repolish(kiosk)
        settle()
    return failures


def test_every_text_on_every_screen_meets_wcag_contrast_in_both_styles(
    qtbot, scenes_kiosk: KioskWindow, clock
) -> None:
    kiosk = scenes_kiosk
    failures: list[str] = []
    checked = 0
    for scene in citizen_scenes(qtbot, kiosk, clock):
        for high in (False, True):
            if high:
                kiosk.flow.toggle_high_contrast()
                kiosk.render_flow()
                settle()
            root = shown_root(kiosk)
            widgets = [root, *root.findChildren(QWidget)]
            checked += sum(1 for _ in texts(kiosk, widgets))
            failures += check(kiosk, widgets, scene=scene)
            failures += check_states(kiosk, root, scene)
            if high:
                kiosk.flow.toggle_high_contrast()
                kiosk.render_flow()
    assert checked > 500  # every label, button, key and card text of 16 states, twice
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("high", [False, True], ids=["normal", "high contrast"])
def test_the_faces_features_stand_out_from_their_colour(
    qtbot, scenes_kiosk: KioskWindow, high: bool
) -> None:
    kiosk = scenes_kiosk
    if high:
        kiosk.flow.toggle_high_contrast()
    kiosk.welcome.start_button.click()
    for rating in RATINGS:
        face = kiosk.rating.faces[rating]
        fill, ink = face_colours(rating, high_contrast=high)
        centre, radius, _word, _font = face.face_layout()
        disc = QRect(
            round(centre.x() - radius),
            round(centre.y() - radius),
            round(2 * radius),
            round(2 * radius),
        )
        counts = colour_counts(face.grab().toImage(), disc)
        # The colours measured are the ones painted: the fill covers the face, the ink draws
        # the eyes and the mouth.
        assert counts[fill.rgb()] > 0.4 * disc.width() * disc.height(), rating
        assert counts[ink.rgb()] > 0.02 * disc.width() * disc.height(), rating
        assert contrast(ink, fill) >= TEXT_CONTRAST[high], (rating, ink.name(), fill.name())


@pytest.mark.parametrize("high", [False, True], ids=["normal", "high contrast"])
def test_the_story_caret_stands_out_from_the_field(
    qtbot, scenes_kiosk: KioskWindow, clock, high: bool
) -> None:
    """The caret is where the next letter goes: it stands out from the field as the text does
    (4.5:1, and 7:1 in high contrast, where green on black was 3.4:1)."""
    kiosk = scenes_kiosk
    if high:
        kiosk.flow.toggle_high_contrast()
    kiosk.welcome.start_button.click()
    human(clock)
    kiosk.rating.faces[5].click()
    human(clock)
    kiosk.target.staff_cards[0].click()
    kiosk.impression.open_story()
    kiosk.impression.keyboard.set_text("ดีมาก")
    settle()
    field = kiosk.impression.field
    caret = field.cursorRect()
    image = field.viewport().grab().toImage()
    stripe = QRect(caret.left(), caret.top() + 2, CARET_WIDTH_PX, caret.height() - 4)
    caret_counts = colour_counts(image, stripe)
    background, _ink = background_and_ink(
        colour_counts(image, QRect(caret.right() + 12, caret.top(), 20, caret.height()))
    )
    painted = QColor(caret_counts.most_common(1)[0][0])
    assert painted == caret_colour(field)
    assert contrast(painted, background) >= TEXT_CONTRAST[high], (painted.name(), background.name())
