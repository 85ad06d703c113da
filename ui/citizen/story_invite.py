"""The box that invites a citizen to tell their story: the prompt, or the start of what they
typed, on at most two lines (ui/citizen/impression.py shows it under the tags)."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent, QPalette, QResizeEvent, QTextLayout
from PySide6.QtWidgets import QSizePolicy, QStylePainter, QWidget

from ui.widgets.buttons import TouchButton, paint_button_frame, paint_focus_ring
from ui.widgets.style import set_style_property

INVITE_PADDING_PX: Final = 24  # left and right of the text
INVITE_PADDING_V_PX: Final = 12  # above and below: the box is no taller than its lines need
INVITE_LINES: Final = 2  # at most; one when the text fits on one line


class StoryInvite(TouchButton):
    """A wide box that looks like a text field: an invitation to write, or the story so far."""

    HINT_IS_MINIMUM = True  # the face and its word / two lines of text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("invite", parent)
        self.setObjectName("storyInvite")
        self.setProperty("filled", False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._shown = ""

    def shown_text(self) -> str:
        """Return what the box says: the invitation, or the story."""
        return self._shown

    def show_text(self, text: str, *, filled: bool) -> None:
        """Show the invitation (filled False) or the story typed so far (filled True)."""
        self._shown = text
        set_style_property(self, "filled", filled)
        self._fit_height()
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """A new width may put the text on one line or two: ask for that height."""
        super().resizeEvent(event)
        if event.oldSize().width() != self.width():
            self._fit_height()

    def _fit_height(self) -> None:
        """Claim the height of the text's lines now (the least height is set explicitly)."""
        if self.isVisible():  # (on show, TouchButton claims it)
            self.setMinimumHeight(self.sizeHint().height())
        self.updateGeometry()

    def lines(self) -> int:
        """Return how many lines the text takes at the box's width: one if it fits, else two."""
        room = self.width() - 2 * INVITE_PADDING_PX
        fits = QFontMetrics(self.font()).horizontalAdvance(self._shown) <= room
        return 1 if fits else INVITE_LINES

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the text's lines inside the padding, at least a fingertip high.

        One line where the text fits on one: the room the box does not need goes to the tags.
        """
        lines = QFontMetrics(self.font()).lineSpacing() * self.lines()
        return self.touch_size(QSize(400, lines + 2 * INVITE_PADDING_V_PX))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the same height as the size hint, and a narrow width."""
        return QSize(200, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Paint the styled box and up to two lines of text, the second cut with "…"."""
        painter = QStylePainter(self)
        paint_button_frame(self, painter)
        paint_focus_ring(self, painter)
        room = self.rect().adjusted(
            INVITE_PADDING_PX, INVITE_PADDING_V_PX, -INVITE_PADDING_PX, -INVITE_PADDING_V_PX
        )
        painter.setPen(self.palette().color(QPalette.ColorRole.ButtonText))
        painter.setFont(self.font())
        _draw_lines(painter, room, self._shown, INVITE_LINES)
        painter.end()


def _draw_lines(painter: QPainter, room: QRect, text: str, most: int) -> None:
    """Draw text wrapped into room, at most `most` lines, the last one elided if there is more."""
    metrics = QFontMetrics(painter.font())
    layout = QTextLayout(text, painter.font())
    layout.beginLayout()
    lines: list[str] = []
    start = 0
    while len(lines) < most:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(room.width())
        start = line.textStart()
        lines.append(text[start : start + line.textLength()])
    layout.endLayout()
    if lines and start + len(lines[-1]) < len(text):
        rest = text[start:].replace("\n", " ")
        lines[-1] = metrics.elidedText(rest, Qt.TextElideMode.ElideRight, room.width())
    top = room.top() + (room.height() - metrics.lineSpacing() * len(lines)) // 2
    for index, line_text in enumerate(lines):
        y = top + index * metrics.lineSpacing()
        painter.drawText(
            QRect(room.left(), y, room.width(), metrics.lineSpacing()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            line_text.strip(),
        )
