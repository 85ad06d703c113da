"""What a person would see wrong on a screen, measured: cut text, overlaps, clipped and small targets.

Used by the test of every supported screen (tests/ui/test_every_screen.py) on every citizen and
clerk screen, and by the label test of the citizen's screens. Each check returns one line per
problem, naming the widget and its text, so a failure reads like a reviewer's note.

- ``cut_texts``: a button's or label's text, line by line, wider than the room its style leaves
  (a wrapping label: taller than the height it got; a chip that wraps its label: each line it
  paints, and those lines must hold the whole label). A screenshot looked at by someone who does
  not read Thai misses "ปร" for "ประจำตัว"; a measurement does not.
- ``squeezed``: a control given less height than its own content needs (a box of two lines
  squeezed to one, which ``cut_texts`` cannot see when the control draws its text itself; a
  push button's text measured inside its border and padding, where Qt clips it: a Thai tone
  mark over a vowel is the first thing cut).
- ``clipped``: a control or text that runs off the window or out of its parent, except inside a
  scrolling area (there the rest is a swipe away) unless someone uses keys and it has the focus:
  the control they just moved to must show whole, focus frame and all.
- ``overlaps``: two texts over each other, or a drawing (the sun, a notice mark, the PIN dots, a
  QR code) over a text.
- ``small_targets``: a control under 15 mm either way at the screen's density, or two controls
  less than 2 mm apart (keyboard keys: 15 mm tall and 12 mm wide, as docs/accessibility.md says).
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollBar,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from ui.citizen.save_failed import NoticeMark
from ui.citizen.welcome import SunMark
from ui.clerk.pin import PinDots
from ui.widgets.buttons import ChipButton
from ui.widgets.keyboard import KEY_MIN_MM, KEY_MIN_WIDTH_MM, KeyButton
from ui.widgets.labels import ElidedLabel
from ui.widgets.sizes import TOUCH_GAP_MM, TOUCH_MIN_MM, screen_dpi
from ui.widgets.style import KEYBOARD_USE_PROPERTY, window_flag

DRAWINGS = (SunMark, NoticeMark, PinDots)
SLACK_MM = 0.05  # rounding of millimetres to whole pixels


def shown(widget: QWidget) -> bool:
    """Whether the widget is on screen: visible, with some size."""
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def name_of(widget: QWidget) -> str:
    """Return a short name for a widget in a problem line: its object name or class, and text."""
    text = getattr(widget, "text", lambda: "")()
    text = text if isinstance(text, str) else ""
    label = widget.objectName() or type(widget).__name__
    return f"{label} {text[:40]!r}" if text else label


def in_window(widget: QWidget, root: QWidget) -> QRect:
    """Return the widget's rectangle in root's coordinates."""
    return QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())


def seen_rect(widget: QWidget, root: QWidget) -> tuple[QRect, bool]:
    """Return the part of the widget its ancestors let show (in root's coordinates), and whether
    a scrolling area is among those ancestors."""
    rect = in_window(widget, root)
    scrolled = False
    parent = widget.parentWidget()
    while parent is not None:
        rect = rect.intersected(in_window(parent, root))
        if isinstance(parent, QAbstractScrollArea):
            scrolled = True
        if parent is root:
            break
        parent = parent.parentWidget()
    return rect, scrolled


def text_room(button: QAbstractButton) -> QRect:
    """Return the rectangle the button's style leaves for its text (inside border and padding)."""
    if not isinstance(button, QPushButton):
        return button.contentsRect()
    option = QStyleOptionButton()
    button.initStyleOption(option)
    return button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)


def texts(root: QWidget) -> list[QWidget]:
    """Return every shown widget under root that holds text a person reads or types."""
    found: list[QWidget] = []
    for widget in root.findChildren(QWidget):
        if not shown(widget):
            continue
        if (isinstance(widget, QAbstractButton | QLabel) and widget.text()) or isinstance(
            widget, QLineEdit | QPlainTextEdit
        ):
            found.append(widget)
    return found


def shown_lines(button: QAbstractButton) -> list[str]:
    """Return the lines of text a button shows: a chip's label as it wraps it, else the text's
    own lines."""
    if isinstance(button, ChipButton):
        return button.shown_lines()
    return button.text().split("\n")


def not_whole(button: QAbstractButton) -> list[str]:
    """Return a line if the lines a button shows leave out any of its text (spaces aside)."""
    if "".join("".join(shown_lines(button)).split()) == "".join(button.text().split()):
        return []
    return [f"{name_of(button)}: shows only {shown_lines(button)!r}"]


def cut_texts(root: QWidget) -> list[str]:
    """Return a line for every shown text under root that does not fit the room it has."""
    found: list[str] = []
    for widget in texts(root):
        metrics = QFontMetrics(widget.font())
        if isinstance(widget, QAbstractButton):
            room = text_room(widget).width()
            found += not_whole(widget)
            for line in shown_lines(widget):
                if metrics.horizontalAdvance(line) > room:
                    found.append(
                        f"{name_of(widget)}: {line!r} is {metrics.horizontalAdvance(line)} px"
                        f" in {room} px"
                    )
        elif isinstance(widget, QLabel):
            if widget.wordWrap():
                need = widget.heightForWidth(widget.width())
                if need > widget.height():
                    found.append(
                        f"{name_of(widget)}: needs {need} px high, has {widget.height()} px"
                    )
                continue
            if isinstance(widget, ElidedLabel):
                continue  # a header's title gives way with "…" by design: checked by its own test
            room = widget.contentsRect().width() - max(0, widget.indent()) - 2 * widget.margin()
            for line in widget.text().split("\n"):
                if metrics.horizontalAdvance(line) > room:
                    found.append(
                        f"{name_of(widget)}: {line!r} is {metrics.horizontalAdvance(line)} px"
                        f" in {room} px"
                    )
    return found


def squeezed(root: QWidget) -> list[str]:
    """Return the controls a layout gave less height than they say they need (their text, drawn
    by themselves, would be cut: a box of two lines squeezed to one)."""
    found: list[str] = []
    for button in controls(root):
        if button.text():  # Qt draws it, clipped to the room inside the border and padding
            lines = len(shown_lines(button))
            need = QFontMetrics(button.font()).height() * lines
            if isinstance(button, QPushButton) and not isinstance(button, ChipButton):
                room = text_room(button).height()
                if room < need:
                    found.append(f"{name_of(button)}: text room {room} px high, needs {need} px")
                continue
        else:  # the control draws its own content (a face and its word, the story box)
            need = button.minimumSizeHint().height()
        if button.height() < need:
            found.append(f"{name_of(button)}: squeezed to {button.height()} px, needs {need} px")
    return found


def clipped(root: QWidget) -> list[str]:
    """Return the texts and controls under root that run off the window or out of their parent."""
    found: list[str] = []
    candidates = {id(w): w for w in texts(root)}
    for button in root.findChildren(QAbstractButton):
        if shown(button) and not isinstance(button.parentWidget(), QScrollBar):
            candidates[id(button)] = button
    for widget in candidates.values():
        full = in_window(widget, root)
        seen, scrolled = seen_rect(widget, root)
        if scrolled and not (widget.hasFocus() and window_flag(widget, KEYBOARD_USE_PROPERTY)):
            continue
        if seen != full:
            found.append(
                f"{name_of(widget)}: {full.width()}x{full.height()} at ({full.x()}, {full.y()})"
                f" but only {seen.width()}x{seen.height()} shows"
            )
    return found


def overlaps(root: QWidget) -> list[str]:
    """Return every pair of texts that lie over each other, and every drawing over a text."""
    found: list[str] = []
    written = [(w, seen_rect(w, root)[0]) for w in texts(root)]
    drawings = [
        (w, seen_rect(w, root)[0])
        for w in root.findChildren(QWidget)
        if shown(w)
        and (isinstance(w, DRAWINGS) or (isinstance(w, QLabel) and not w.pixmap().isNull()))
    ]
    for (a, ra), (b, rb) in itertools.combinations(written, 2):
        if a.isAncestorOf(b) or b.isAncestorOf(a) or ra.isEmpty() or rb.isEmpty():
            continue
        if ra.intersects(rb):
            found.append(f"{name_of(a)} and {name_of(b)} overlap")
    for drawing, rd in drawings:
        for text, rt in written:
            if drawing.isAncestorOf(text) or text.isAncestorOf(drawing) or rt.isEmpty():
                continue
            if rd.intersects(rt):
                found.append(f"{name_of(drawing)} is drawn over {name_of(text)}")
    return found


def controls(root: QWidget) -> list[QAbstractButton]:
    """Return the controls under root a finger can reach now (at least partly in view)."""
    return [
        b
        for b in root.findChildren(QAbstractButton)
        if shown(b)
        and not isinstance(b.parentWidget(), QScrollBar)
        and not seen_rect(b, root)[0].isEmpty()
    ]


def small_targets(root: QWidget, *, keys_narrow: bool = True) -> tuple[list[str], int]:
    """Return the controls under 15 mm or closer than 2 mm to a neighbour, and how many were seen.

    Sizes are taken at the density the kiosk believes its screen has (ui/widgets/sizes.py).
    ``keys_narrow``: keyboard keys need only be KEY_MIN_WIDTH_MM wide (a 10-inch panel).
    """
    px_per_mm = screen_dpi(root) / 25.4
    found = controls(root)
    failures = []
    for button in found:
        wide_mm, high_mm = button.width() / px_per_mm, button.height() / px_per_mm
        key = isinstance(button, KeyButton)
        least_wide = KEY_MIN_WIDTH_MM if key and keys_narrow else TOUCH_MIN_MM
        least_high = KEY_MIN_MM if key else TOUCH_MIN_MM
        if wide_mm < least_wide - SLACK_MM or high_mm < least_high - SLACK_MM:
            failures.append(f"{name_of(button)}: {wide_mm:.1f} x {high_mm:.1f} mm")
    for a, b in itertools.combinations(found, 2):
        if a.isAncestorOf(b) or b.isAncestorOf(a):
            continue
        # What a finger can reach: a control partly scrolled out of view counts as far as it shows.
        gap = mm_between(seen_rect(a, root)[0], seen_rect(b, root)[0], px_per_mm)
        if gap < TOUCH_GAP_MM - SLACK_MM:
            failures.append(f"{name_of(a)} and {name_of(b)} are {gap:.1f} mm apart")
    return failures, len(found)


def mm_between(a: QRect, b: QRect, px_per_mm: float) -> float:
    """Return the gap between two rectangles in millimetres (0 if they touch or overlap)."""
    dx = max(b.left() - a.right() - 1, a.left() - b.right() - 1, 0)
    dy = max(b.top() - a.bottom() - 1, a.top() - b.bottom() - 1, 0)
    return max(dx, dy) / px_per_mm


def problems(root: QWidget) -> list[str]:
    """Return every cut text, clipped control, overlap and small target under root."""
    return (
        cut_texts(root) + squeezed(root) + clipped(root) + overlaps(root) + small_targets(root)[0]
    )
