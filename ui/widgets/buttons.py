"""Touch-sized buttons and toggle chips, shared by the citizen's and the clerk's screens.

Colours and sizes of text live in ui/assets/styles/kiosk.qss. Buttons are styled by a ``kind``
property (``primary``, ``secondary``, ``chip`` …) rather than by object name, so that the
high-contrast and keyboard-focus rules, scoped by properties on the kiosk window, can override
every kind at once. A chip's "on" state is a property too (``on="true"``), not ``:checked``: a
property is part of the polished palette, so the indicator painted here in the text colour
always matches what the stylesheet gives the text.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import (
    QEvent,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QWidget,
)

from ui.widgets.labels import wrap_at_spaces
from ui.widgets.sizes import TOUCH_MIN_MM, mm_to_px, screen_dpi, text_scale
from ui.widgets.style import KEYBOARD_USE_PROPERTY, set_style_property, window_flag

INDICATOR_GAP_PX: Final = 14  # from a chip's left edge to its indicator
INDICATOR_SHARE: Final = 0.62
FOCUS_RING_PX: Final = 4.0  # the focus ring inside the (thickened) border
FOCUS_RING_INSET_PX: Final = 7  # just inside the 6 px focus border
FOCUS_RING_RADIUS_PX: Final = 14.0
_ACTIVATION_KEYS: Final = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def paint_focus_ring(button: QPushButton, painter: QPainter) -> None:
    """Draw the keyboard focus ring just inside a button's border, in the button's text colour.

    The stylesheet thickens the border of the focused control; this ring makes focus plain on
    every control whatever its border already was (a chosen face has a thick one, a primary
    button a dark one): the text colour stands out from the fill by the text's own contrast.
    Drawn only for someone using keys, on the control that has focus.
    """
    if not button.hasFocus() or not window_flag(button, KEYBOARD_USE_PROPERTY):
        return
    # The stylesheet's borders and corners grow on a dense panel (sizes.scaled_stylesheet):
    # the ring grows with them, or it would sit off the border with corners that do not match.
    scale = text_scale(screen_dpi(button))
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(button.palette().color(QPalette.ColorRole.ButtonText))
    pen.setWidthF(FOCUS_RING_PX * scale)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    inset = (FOCUS_RING_INSET_PX + FOCUS_RING_PX / 2) * scale
    ring = QRectF(button.rect()).adjusted(inset, inset, -inset, -inset)
    painter.drawRoundedRect(ring, FOCUS_RING_RADIUS_PX * scale, FOCUS_RING_RADIUS_PX * scale)
    painter.restore()


class TouchButton(QPushButton):
    """A push button at least TOUCH_MIN_MM each way on its screen; Enter activates it as Space does."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("kind", kind)
        self.setProperty("touch", True)
        self.setAutoDefault(False)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._min_mm = TOUCH_MIN_MM

    def touch_size(self, size: QSize) -> QSize:
        """Return size grown, if need be, to TOUCH_MIN_MM each way on the button's screen."""
        side = mm_to_px(self, self._min_mm)
        return size.expandedTo(QSize(side, side))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the styled size, at least a fingertip each way."""
        return self.touch_size(super().sizeHint())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the least size, at least a fingertip each way."""
        return self.touch_size(super().minimumSizeHint())

    # A control that draws its own content (a face and its word, two lines of the story box)
    # sets this: its minimum height is then what it draws, not only a fingertip. (The explicit
    # minimum size set on show would otherwise hide its larger hint from the layout.)
    HINT_IS_MINIMUM = False

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """The screen (and so the size of a millimetre) may have changed: never smaller than a fingertip."""
        self._claim_minimum()
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Large text changes what a self-drawn control needs: claim it again."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self.HINT_IS_MINIMUM:
            self._claim_minimum()

    def _claim_minimum(self) -> None:
        """Set the least size: a fingertip each way, or what the control draws if more."""
        side = mm_to_px(self, self._min_mm)
        high = max(self.minimumHeight(), side)
        if self.HINT_IS_MINIMUM:
            high = max(side, self.minimumSizeHint().height())
        self.setMinimumSize(max(self.minimumWidth(), side), high)
        self.updateGeometry()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Paint the styled button, and the focus ring for someone using keys."""
        super().paintEvent(event)
        painter = QPainter(self)
        paint_focus_ring(self, painter)
        painter.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Enter and Return press the button (outside a dialog, Qt leaves that to Space)."""
        if event.key() in _ACTIVATION_KEYS and not event.modifiers() & ~(
            Qt.KeyboardModifier.KeypadModifier
        ):
            if not event.isAutoRepeat():
                self.animateClick()
            event.accept()
            return
        super().keyPressEvent(event)


class ChipButton(TouchButton):
    """A pill that is on or off, with a painted indicator: a tick box, a radio dot or an icon.

    ``indicator`` is "check" (quick-pick tags), "radio" (one service), "more" and "first" (the
    chip that opens more choices, and the one back to the first ones), "text_size",
    "contrast", "speaker" or "speaker_off" (the display toggles). The chip's left padding in the stylesheet leaves room for
    the indicator, which is drawn in the text colour so that it follows every palette.

    A chip given less width than its label on one line (a roster name of up to 100 characters,
    large text on the smallest panel) wraps the label at spaces, inside a word only if that word
    alone is too wide (ui/widgets/labels.py ``wrap_at_spaces``), and is as tall as its lines: it
    has a height for its width, which a layout that narrows it must give it (FlowLayout does).
    ``text()`` stays the whole label as set; ``shown_lines()`` are the lines painted.
    """

    def __init__(
        self, indicator: str, parent: QWidget | None = None, *, kind: str = "chip"
    ) -> None:
        super().__init__(kind, parent)
        self.setCheckable(True)
        self.setProperty("on", False)
        self.setProperty("indicator", indicator)
        self._indicator = indicator
        self.indicator_share = INDICATOR_SHARE  # the indicator's size as a share of a text line

    def is_on(self) -> bool:
        """Tell whether the chip is on."""
        return self.property("on") is True

    def set_on(self, on: bool) -> None:
        """Show the chip on or off (the flow decides; a tap only asks)."""
        self.setChecked(on)
        set_style_property(self, "on", on)

    def nextCheckState(self) -> None:  # noqa: N802 (Qt override)
        """Leave the state to set_on: a click asks the flow, the render answers."""

    def indicator(self) -> str:
        """Return the name of the indicator painted on the chip."""
        return self._indicator

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the styled size of the label on one line, at least a fingertip each way.

        Measured inside the focus border, the thickest the stylesheet gives: focus moving onto
        a chip never cuts its label, nor makes the chips around it move.
        """
        return self.touch_size(self._styled(self.text() or "XXXX"))  # as QPushButton measures

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the whole label's size: a layout short of room wraps chips, never cuts one."""
        return self.sizeHint()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        """A narrower chip wraps its label onto more lines, and grows taller."""
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        """Return the chip's height at this width: its one-line height, or that of its lines."""
        lines = self.lines_at(width)
        if len(lines) <= 1:
            return self.sizeHint().height()
        return self.touch_size(QSize(width, self._styled("\n".join(lines)).height())).height()

    def lines_at(self, width: int) -> list[str]:
        """Return the lines the label takes in a chip this wide: itself when the chip has the
        width it asks for, else wrapped to the room inside its border and padding."""
        label = self.text()
        if width >= self.sizeHint().width():
            return [label]
        option = self._focused_option(QSize(width, self.sizeHint().height()))
        room = self.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, self)
        return wrap_at_spaces(label, self.font(), room.width()) or [label]

    def shown_lines(self) -> list[str]:
        """Return the lines of the label as the chip paints them at its width."""
        return self.lines_at(self.width())

    def _styled(self, text: str) -> QSize:
        """Return the chip's styled size around text (its lines), with the focus border."""
        contents = QFontMetrics(self.font()).size(Qt.TextFlag.TextShowMnemonic.value, text)
        option = self._focused_option(contents)
        return self.style().sizeFromContents(
            QStyle.ContentsType.CT_PushButton, option, contents, self
        )

    def _focused_option(self, size: QSize) -> QStyleOptionButton:
        """Return the chip's style option at this size, as if it had keyboard focus.

        The chip's label is measured inside the focus border, the thickest the stylesheet
        gives, so that its lines neither reflow nor get cut when focus moves onto the chip.
        """
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.state = option.state | QStyle.StateFlag.State_HasFocus
        option.rect = QRect(QPoint(0, 0), size)
        return option

    def set_indicator(self, indicator: str) -> None:
        """Paint another indicator (the speaker, crossed out when there is no voice)."""
        if indicator != self._indicator:
            self._indicator = indicator
            self.setProperty("indicator", indicator)
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Paint the styled chip with its label's lines, the focus ring, and its indicator in the
        left padding, vertically centred."""
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = "\n".join(self.shown_lines())  # the style draws them centred, in its colours
        painter.drawControl(QStyle.ControlElement.CE_PushButton, option)
        paint_focus_ring(self, painter)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ink = self.palette().color(QPalette.ColorRole.ButtonText)
        fill = self.palette().color(QPalette.ColorRole.Button)
        size = max(14.0, QFontMetrics(self.font()).height() * self.indicator_share)
        box = QRectF(INDICATOR_GAP_PX + 4, (self.height() - size) / 2, size, size)
        paint_indicator(painter, box, self._indicator, self.is_on(), ink, fill, self.font())
        painter.end()


def paint_indicator(
    painter: QPainter,
    box: QRectF,
    indicator: str,
    on: bool,
    ink: QColor,
    fill: QColor,
    font: QFont,
) -> None:
    """Draw a chip's indicator in box: ink on the chip's fill colour."""
    pen = QPen(ink)
    pen.setWidthF(max(2.0, box.width() / 9))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    centre = box.center()
    r = box.width() / 2
    if indicator == "check":
        painter.setPen(pen)
        painter.setBrush(ink if on else Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(box, r * 0.35, r * 0.35)
        if on:
            tick = QPen(fill)
            tick.setWidthF(pen.widthF() * 1.2)
            tick.setCapStyle(Qt.PenCapStyle.RoundCap)
            tick.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(tick)
            path = QPainterPath(centre + QPointF(-r * 0.5, 0))
            path.lineTo(centre + QPointF(-r * 0.12, r * 0.4))
            path.lineTo(centre + QPointF(r * 0.55, -r * 0.42))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
    elif indicator == "radio":
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, r, r)
        if on:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ink)
            painter.drawEllipse(centre, r * 0.5, r * 0.5)
    elif indicator == "contrast":
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, r, r)
        half = QPainterPath()
        half.moveTo(centre + QPointF(0, -r))
        half.arcTo(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r), 90, 180)
        half.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ink)
        painter.drawPath(half)
    elif indicator in ("speaker", "speaker_off"):
        _paint_speaker(painter, box, indicator == "speaker", on, pen, ink)
    elif indicator == "more":  # a plus in a circle: more choices open here
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, r, r)
        painter.drawLine(centre + QPointF(-r * 0.5, 0), centre + QPointF(r * 0.5, 0))
        painter.drawLine(centre + QPointF(0, -r * 0.5), centre + QPointF(0, r * 0.5))
    elif indicator == "first":  # an arrow up in a circle: back to the first choices
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, r, r)
        painter.drawLine(centre + QPointF(0, r * 0.5), centre + QPointF(0, -r * 0.5))
        arrow = QPainterPath(centre + QPointF(-r * 0.4, -r * 0.1))
        arrow.lineTo(centre + QPointF(0, -r * 0.5))
        arrow.lineTo(centre + QPointF(r * 0.4, -r * 0.1))
        painter.drawPath(arrow)
    elif indicator == "text_size":  # a small ก and a large one, on one baseline
        glyphs = QFont(font)
        glyphs.setWeight(QFont.Weight.Bold)
        painter.setPen(ink)
        x = box.left()
        baseline = box.bottom()
        for scale in (0.7, 1.25):
            glyphs.setPixelSize(max(6, round(box.height() * scale)))
            painter.setFont(glyphs)
            painter.drawText(QPointF(x, baseline), "ก")
            x += QFontMetrics(glyphs).horizontalAdvance("ก") + 1


def _paint_speaker(
    painter: QPainter, box: QRectF, voice: bool, on: bool, pen: QPen, ink: QColor
) -> None:
    """Draw a loudspeaker: with sound waves (two when speaking), or crossed out when there is no voice."""
    w, h = box.width(), box.height()
    left, top = box.left(), box.top()
    cone = QPainterPath(QPointF(left, top + h * 0.34))
    cone.lineTo(QPointF(left + w * 0.22, top + h * 0.34))
    cone.lineTo(QPointF(left + w * 0.5, top + h * 0.08))
    cone.lineTo(QPointF(left + w * 0.5, top + h * 0.92))
    cone.lineTo(QPointF(left + w * 0.22, top + h * 0.66))
    cone.lineTo(QPointF(left, top + h * 0.66))
    cone.closeSubpath()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ink)
    painter.drawPath(cone)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(pen)
    centre = QPointF(left + w * 0.5, top + h * 0.5)
    if not voice:
        painter.drawLine(QPointF(left + w * 0.66, top + h * 0.3), QPointF(left + w, top + h * 0.7))
        painter.drawLine(QPointF(left + w * 0.66, top + h * 0.7), QPointF(left + w, top + h * 0.3))
        return
    for reach in (0.22, 0.44) if on else (0.22,):
        r = w * reach
        painter.drawArc(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r), -50 * 16, 100 * 16)


def paint_button_frame(button: QPushButton, painter: QStylePainter) -> None:
    """Draw a button's styled background and border only (its content is painted by its owner)."""
    option = QStyleOptionButton()
    button.initStyleOption(option)
    option.text = ""
    option.icon = QIcon()
    painter.drawControl(QStyle.ControlElement.CE_PushButton, option)
