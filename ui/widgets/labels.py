"""Text that fits: a wrapping label that claims the height of its lines, a label that wraps only
at spaces (Thai names), a heading that gives up its room to the buttons beside it, and a font
made small enough."""

from __future__ import annotations

import math

from PySide6.QtCore import (
    QEvent,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QLabel,
    QSizePolicy,
    QWidget,
)

LEADING_SHARE = 0.15  # extra room between wrapped lines, as a share of the font's line spacing


class WrapLabel(QLabel):
    """A word-wrapping plain-text label that never gets less height than its lines need.

    A layout short of room squeezes a wrapping QLabel below its height for its width (Qt's box
    layouts give height-for-width only as a preference), and the last line is cut. This label
    makes the height its lines take at its current width its minimum, so the layout takes the
    room from what can give it (stretch, a scrolling list) instead.

    Its lines stand a little further apart than the font's own spacing (``LEADING_SHARE``):
    Sarabun's line spacing is its ascent plus descent, so a Thai tone mark stacked over a vowel
    (นี้) meets a vowel written under the line above (ญ, ุ) with nothing between them. The label
    lays out and paints its lines itself (Qt's plain-text label has no line spacing); a single
    line is painted by QLabel as before.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt override)
        """Show text and claim the height it needs."""
        super().setText(text)
        self._claim_height()

    def setWordWrap(self, on: bool) -> None:  # noqa: N802 (Qt override)
        """Wrap (or not) and claim the height that takes."""
        super().setWordWrap(on)
        self._claim_height()

    def leading(self) -> int:
        """Return the extra pixels between two lines."""
        return round(QFontMetrics(self.font()).lineSpacing() * LEADING_SHARE)

    def text_width(self, width: int) -> int:
        """Return the room for the text in a label this wide (frame, margin and indent off)."""
        margins = self.contentsMargins()
        extra = 2 * self.margin()
        return max(1, width - margins.left() - margins.right() - extra - max(0, self.indent()))

    def shown_lines(self, width: int) -> list[str]:
        """Return the lines the text is painted in at this label width."""
        return wrapped_lines(self.text(), self.font(), self.text_width(width), self.wordWrap())

    def lines_height(self, width: int) -> int:
        """Return the height the wrapped text takes at this width, frame and margins included.

        (QLabel.heightForWidth cannot say: it never answers less than the minimum height.)
        """
        if not self.text():
            return 0
        margins = self.contentsMargins()
        return (
            self._block_height(len(self.shown_lines(width)))
            + margins.top()
            + margins.bottom()
            + 2 * self.margin()
        )

    def _block_height(self, lines: int) -> int:
        """Return the height of this many lines, with the leading between them."""
        metrics = QFontMetrics(self.font())
        return metrics.height() + (lines - 1) * (metrics.lineSpacing() + self.leading())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Paint one line as QLabel does; several lines with the leading between them."""
        lines = self.shown_lines(self.width()) if self.text() else []
        if len(lines) < 2:
            super().paintEvent(event)
            return
        painter = QPainter(self)
        self.drawFrame(painter)
        margin = self.margin()
        room = self.contentsRect().adjusted(margin, margin, -margin, -margin)
        room.setLeft(room.left() + max(0, self.indent()))
        metrics = QFontMetrics(self.font())
        block = self._block_height(len(lines))
        align = self.alignment()
        if align & Qt.AlignmentFlag.AlignBottom:
            top = room.bottom() + 1 - block
        elif align & Qt.AlignmentFlag.AlignVCenter:
            top = room.top() + (room.height() - block) // 2
        else:
            top = room.top()
        painter.setFont(self.font())
        painter.setPen(self.palette().color(self.foregroundRole()))
        step = metrics.lineSpacing() + self.leading()
        for number, line in enumerate(lines):
            box = QRect(room.left(), top + number * step, room.width(), metrics.height())
            horizontal = align & (
                Qt.AlignmentFlag.AlignLeft
                | Qt.AlignmentFlag.AlignRight
                | Qt.AlignmentFlag.AlignHCenter
                | Qt.AlignmentFlag.AlignJustify
            )
            # Not clipped to the line's box: Sarabun draws "_" wholly below its descent, and a
            # clipped line would show sangsuk_export as "sangsuk export".
            flags = horizontal | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextDontClip
            painter.drawText(box, int(flags), line)
        painter.end()

    def _claim_height(self) -> None:
        """Make the wrapped lines' height at the current width the label's minimum.

        A hidden label gets no resize events, so its width may be stale: it claims nothing until
        it shows (a hidden label that keeps its room keeps QLabel's own minimum).
        """
        need = self.lines_height(max(1, self.width())) if self.isVisible() else 0
        if need != self.minimumHeight():
            self.setMinimumHeight(need)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Claim the height again for the new width."""
        super().resizeEvent(event)
        self._claim_height()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Claim the height for the width the label shows at."""
        super().showEvent(event)
        self._claim_height()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Claim the height again when the stylesheet changes the font (large text)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._claim_height()


class SpaceWrapLabel(QLabel):
    """A label that wraps only at spaces, as Thai names and unit names should.

    Qt's line breaker splits Thai between dictionary words, which tears a family name such as
    ใจดี into ใจ and ดี. Names are written with spaces between their parts, so the label
    breaks only there; a single part wider than the label is left to Qt's breaker.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)
        self.setIndent(0)  # the stylesheet gives labels a frame, and with it an indent
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._full = ""

    def full_text(self) -> str:
        """Return the text without the line breaks the label added."""
        return self._full

    def set_full_text(self, text: str) -> None:
        """Show text, wrapped at spaces to the label's width."""
        self._full = text
        self.setAccessibleName(text)
        self._wrap()
        self.updateGeometry()

    def _room(self, width: int) -> int:
        """Return the width available for text in a label this wide."""
        margins = self.contentsMargins()
        return max(1, width - margins.left() - margins.right() - 2 * self.margin())

    def _lines(self, width: int) -> list[str]:
        """Return the lines the text takes at a label width."""
        return wrap_at_spaces(self._full, self.font(), self._room(width))

    def _wrap(self) -> None:
        """Put the line breaks in for the current width."""
        super().setText("\n".join(self._lines(self.width())))

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        """The number of lines depends on the width."""
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        """Return the height of the wrapped lines at this width."""
        margins = self.contentsMargins()
        lines = max(1, len(self._lines(width)))
        return lines * QFontMetrics(self.font()).lineSpacing() + margins.top() + margins.bottom()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the text on one line."""
        margins = self.contentsMargins()
        metrics = QFontMetrics(self.font())
        return QSize(
            metrics.horizontalAdvance(self._full) + margins.left() + margins.right(),
            metrics.lineSpacing() + margins.top() + margins.bottom(),
        )

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return one line of a short width."""
        return QSize(40, self.sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Wrap again for the new width."""
        super().resizeEvent(event)
        self._wrap()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Wrap again when the stylesheet changes the font."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._wrap()
            self.updateGeometry()
            parent = self.parentWidget()
            if parent is not None:  # a card sized by its labels must measure them again
                parent.updateGeometry()


class ElidedLabel(QLabel):
    """A one-line label that shrinks to an ellipsis before its neighbours lose any of their text.

    A header's title and its buttons share one row; at the smallest screen the buttons keep
    their whole words and the title ends in "…" (its whole text stays the accessible name and
    the tooltip).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt override)
        """Show text, elided if it must be; a person hovering or a reader hears all of it."""
        super().setText(text)
        self.setToolTip(text)
        self.setAccessibleName(text)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Room for the ellipsis and a few letters: the rest of the row comes first."""
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance("…") * 4, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Paint the text, elided at the right to the room the label has."""
        painter = QPainter(self)
        room = self.contentsRect()
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, room.width()
        )
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(room, int(self.alignment()), shown)
        painter.end()


def wrap_at_spaces(text: str, font: QFont, room: int) -> list[str]:
    """Return text in lines no wider than room, broken at spaces (inside a word only if it alone
    is wider than room): Thai names keep their parts whole (see SpaceWrapLabel)."""
    metrics = QFontMetrics(font)
    lines: list[str] = []
    for word in text.split():
        if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= room:
            lines[-1] = f"{lines[-1]} {word}"
        elif metrics.horizontalAdvance(word) <= room:
            lines.append(word)
        else:
            lines.extend(_break_word(word, font, room))
    return lines


def _break_word(word: str, font: QFont, room: int) -> list[str]:
    """Split one word too wide for room where Qt's line breaker allows."""
    layout = QTextLayout(word, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    parts: list[str] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(room)
        parts.append(word[line.textStart() : line.textStart() + line.textLength()])
    layout.endLayout()
    return [part for part in parts if part]


def wrapped_lines(text: str, font: QFont, room: int, wrap: bool = True) -> list[str]:
    """Return text's lines as Qt breaks them to fit room px (its own line breaks kept).

    The same breaks as QPainter.drawText with TextWordWrap (and so QLabel): at word boundaries
    only (Thai ones from Qt's dictionary breaker); a word wider than the room overflows it.
    """
    lines: list[str] = []
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap if wrap else QTextOption.WrapMode.ManualWrap)
    for paragraph in text.split("\n"):
        layout = QTextLayout(paragraph, font)
        layout.setTextOption(option)
        layout.beginLayout()
        found = False
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(room)
            lines.append(
                paragraph[line.textStart() : line.textStart() + line.textLength()].rstrip()
            )
            found = True
        layout.endLayout()
        if not found:
            lines.append("")
    return lines


def fitting_font(base: QFont, text: str, room: QSize, *, lines: int, minimum_px: int = 14) -> QFont:
    """Return base, made smaller if need be, so that text wraps into room in at most `lines` lines."""
    font = QFont(base)
    px = base.pixelSize() if base.pixelSize() > 0 else round(base.pointSizeF() * 96 / 72)
    while px > minimum_px:
        font.setPixelSize(px)
        metrics = QFontMetrics(font)
        bounds = metrics.boundingRect(
            QRect(0, 0, room.width(), 10_000), int(Qt.TextFlag.TextWordWrap), text
        )
        if bounds.width() <= room.width() and bounds.height() <= min(
            room.height(), math.ceil(metrics.lineSpacing() * lines)
        ):
            break
        px -= 1
    font.setPixelSize(px)
    return font
