"""The cards of "who served you": a round avatar (a photo, initials on a colour, a building for a
unit, or "?") beside a name and a detail line that wrap.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Final

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from ui.widgets.buttons import TouchButton
from ui.widgets.labels import SpaceWrapLabel
from ui.widgets.sizes import design_px
from ui.widgets.style import HIGH_CONTRAST_PROPERTY, window_flag
from wire.vote import Target

AVATAR_PX: Final = 64
CARD_MARGIN_X_PX: Final = 16
CARD_MARGIN_Y_PX: Final = 12
CARD_SPACING_PX: Final = 14  # between the avatar and the text
CARD_TEXT_SPACING_PX: Final = 2  # between the name and the detail line
CARD_MIN_WIDTH_PX: Final = 330
CARD_MIN_WIDTH_LARGE_PX: Final = 420
MAX_COLUMNS: Final = 4
# Circle colours for initials, each at least 4.5:1 with white text (tests/ui/test_contrast.py).
AVATAR_COLOURS: Final = ("#1D6B55", "#8A4B2A", "#2F5D8A", "#6B4A8A", "#8A2F4B", "#56621C")
UNIT_COLOUR: Final = QColor("#5C4F42")
UNSURE_COLOUR: Final = QColor("#7A6A56")  # 5.2:1 with the white "?"


def avatar_colour(key: str) -> QColor:
    """Return a calm colour for a staff member's circle, the same every time for the same id."""
    return QColor(AVATAR_COLOURS[zlib.crc32(key.encode("utf-8")) % len(AVATAR_COLOURS)])


def round_photo(path: Path, side: int) -> QPixmap | None:
    """Return the photo cut to a circle of side pixels (cropped to its centre), or None if unreadable."""
    source = QPixmap(str(path))
    if source.isNull():
        return None
    scaled = source.scaled(
        side * 2,
        side * 2,
        Qt.AspectRatioMode.KeepAspectRatioByExpanding,
        Qt.TransformationMode.SmoothTransformation,
    )
    square = scaled.copy(
        (scaled.width() - side * 2) // 2, (scaled.height() - side * 2) // 2, side * 2, side * 2
    )
    result = QPixmap(side * 2, side * 2)
    result.fill(Qt.GlobalColor.transparent)
    painter = QPainter(result)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    clip = QPainterPath()
    clip.addEllipse(QRectF(0, 0, side * 2, side * 2))
    painter.setClipPath(clip)
    painter.drawPixmap(0, 0, square)
    painter.end()
    result.setDevicePixelRatio(2.0)
    return result


class Avatar(QWidget):
    """A round picture on a card: a photo, initials on a colour, a building for a unit, or "?"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        side = design_px(self, AVATAR_PX)
        self.setFixedSize(side, side)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self._photo: QPixmap | None = None
        self._letters = ""
        self._shape = "letters"
        self._colour = UNIT_COLOUR

    def show_photo(self, photo: QPixmap) -> None:
        """Show a round photo."""
        self._photo, self._shape = photo, "photo"
        self.update()

    def show_letters(self, letters: str, colour: QColor) -> None:
        """Show initials on a coloured circle."""
        self._letters, self._colour, self._shape = letters, colour, "letters"
        self.update()

    def show_symbol(self, shape: str, colour: QColor) -> None:
        """Show a drawn symbol: "unit" (a building) or "unsure" (a question mark)."""
        self._shape, self._colour = shape, colour
        self.update()

    def letters(self) -> str:
        """Return the initials shown (empty for a photo or a symbol)."""
        return self._letters if self._shape == "letters" else ""

    def has_photo(self) -> bool:
        """Tell whether a photo is shown."""
        return self._shape == "photo"

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Draw the circle and what is on it."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height())
        circle = QRectF(1.5, 1.5, side - 3, side - 3)
        high_contrast = window_flag(self, HIGH_CONTRAST_PROPERTY)
        if self._shape == "photo" and self._photo is not None:
            painter.drawPixmap(circle.toRect(), self._photo)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#000000") if high_contrast else self._colour)
            painter.drawEllipse(circle)
            painter.setPen(QColor("#FFFFFF"))
            if self._shape == "letters":
                font = QFont(self.font())
                font.setPixelSize(round(side * (0.44 if len(self._letters) < 2 else 0.36)))
                font.setWeight(QFont.Weight.Bold)
                painter.setFont(font)
                painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, self._letters)
            elif self._shape == "unit":
                _paint_building(painter, circle)
            else:
                font = QFont(self.font())
                font.setPixelSize(round(side * 0.55))
                font.setWeight(QFont.Weight.Bold)
                painter.setFont(font)
                painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, "?")
        if high_contrast:
            ring = QPen(QColor("#FFFFFF"))
            ring.setWidthF(3.0)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(circle)
        painter.end()


def _paint_building(painter: QPainter, circle: QRectF) -> None:
    """Draw a small office building (a roof, columns and a step) in white."""
    c = circle.center()
    s = circle.width()
    pen = QPen(QColor("#FFFFFF"))
    pen.setWidthF(max(2.0, s * 0.05))
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(QColor("#FFFFFF"))
    roof = QPainterPath(QPointF(c.x() - s * 0.3, c.y() - s * 0.08))
    roof.lineTo(QPointF(c.x(), c.y() - s * 0.28))
    roof.lineTo(QPointF(c.x() + s * 0.3, c.y() - s * 0.08))
    roof.closeSubpath()
    painter.drawPath(roof)
    for dx in (-0.2, 0.0, 0.2):
        x = c.x() + s * dx
        painter.drawLine(QPointF(x, c.y() - s * 0.02), QPointF(x, c.y() + s * 0.18))
    painter.drawLine(
        QPointF(c.x() - s * 0.3, c.y() + s * 0.25), QPointF(c.x() + s * 0.3, c.y() + s * 0.25)
    )


class Card(TouchButton):
    """A card to tap: an avatar, a name and a detail line, laid out by labels that wrap."""

    def __init__(self, target: Target | None, parent: QWidget | None = None) -> None:
        super().__init__("card", parent)
        self.target = target
        self.setProperty("chosen", False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.avatar = Avatar(self)
        self.name = SpaceWrapLabel(self)
        self.name.setObjectName("cardName")
        self.detail = SpaceWrapLabel(self)
        self.detail.setObjectName("cardDetail")
        for label in (self.name, self.detail):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        text = QVBoxLayout()
        text.setContentsMargins(0, 0, 0, 0)
        text.setSpacing(CARD_TEXT_SPACING_PX)
        text.addStretch(1)
        text.addWidget(self.name)
        text.addWidget(self.detail)
        text.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(
            CARD_MARGIN_X_PX, CARD_MARGIN_Y_PX, CARD_MARGIN_X_PX, CARD_MARGIN_Y_PX
        )
        layout.setSpacing(CARD_SPACING_PX)
        layout.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(text, 1)

    def set_texts(self, name: str, detail: str) -> None:
        """Show a name and a detail line (hidden when empty); the name is the accessible name."""
        self.name.set_full_text(name)
        self.detail.set_full_text(detail)
        self.detail.setVisible(bool(detail))
        self.setAccessibleName(name)
        self.setAccessibleDescription(detail)
        self.updateGeometry()

    def is_chosen(self) -> bool:
        """Tell whether this is the card the citizen chose before going back."""
        return self.property("chosen") is True

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return what the avatar and the labels need on one line each (measured afresh)."""
        labels = [self.name, *([self.detail] if self.detail.isVisibleTo(self) else [])]
        width = max(label.sizeHint().width() for label in labels)
        height = sum(label.sizeHint().height() for label in labels) + CARD_TEXT_SPACING_PX
        return self.touch_size(
            QSize(
                CARD_MARGIN_X_PX * 2 + self.avatar.width() + CARD_SPACING_PX + width,
                CARD_MARGIN_Y_PX * 2 + max(self.avatar.height(), height),
            )
        )

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the least the card's labels need."""
        layout = self.layout()
        if layout is None:
            return super().minimumSizeHint()
        return self.touch_size(layout.totalMinimumSize())

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        """Wrapped names make the height depend on the width."""
        return True

    def event(self, event: QEvent) -> bool:
        """When the labels change size (language, large text), let the layout around know."""
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return handled

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        """Return the height the wrapped labels need at this width."""
        layout = self.layout()
        if layout is None:
            return super().heightForWidth(width)
        return self.touch_size(QSize(width, layout.totalHeightForWidth(width))).height()
