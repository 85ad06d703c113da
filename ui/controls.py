"""Controls the citizen screens share: touch-sized buttons, toggle chips, arrow-key focus, the display bar.

Colours and sizes of text live in assets/styles/kiosk.qss. Buttons are styled by a ``kind``
property (``primary``, ``secondary``, ``chip`` …) rather than by object name, so that the
high-contrast and keyboard-focus rules, scoped by properties on the kiosk window, can override
every kind at once. A chip's "on" state is a property too (``on="true"``), not ``:checked``: a
property is part of the polished palette, so the indicator painted here in the text colour
always matches what the stylesheet gives the text.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QShowEvent,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QWidget,
)

from kiosk.flow import Session
from ui.i18n import LanguageSwitcher

TOUCH_MIN_MM: Final = 15.0  # the smallest touch target on any citizen screen
TOUCH_GAP_MM: Final = 2.0  # the least room between two controls, so a finger hits only one
PLAUSIBLE_DPI: Final = (50.0, 1000.0)  # a screen reporting a density outside this is not believed
FALLBACK_DPI: Final = 96.0  # what is assumed then: an ordinary screen
INDICATOR_GAP_PX: Final = 14  # from a chip's left edge to its indicator
INDICATOR_SHARE: Final = 0.62
SPEAKER_SHARE: Final = 0.95
FOCUS_RING_PX: Final = 4.0  # the focus ring inside the (thickened) border
FOCUS_RING_INSET_PX: Final = 7  # just inside the 6 px focus border
FOCUS_RING_RADIUS_PX: Final = 14.0
_ACTIVATION_KEYS: Final = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_ARROWS: Final = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down)

# Properties on the kiosk window that the stylesheet scopes rules by.
LARGE_TEXT_PROPERTY: Final = "largeText"
HIGH_CONTRAST_PROPERTY: Final = "highContrast"
KEYBOARD_USE_PROPERTY: Final = "keyboardUse"  # focus outlines only for people using keys
BAR_SPACING_PX: Final = 12
SPEECH_NOTICE_MS: Final = 6000  # how long "no voice for this language" stays
SPEECH_NOTICE_WIDTH_PX: Final = 520
SPEECH_NOTICE_GAP_PX: Final = 10


def mm_to_px(widget: QWidget, mm: float) -> int:
    """Return how many device-independent pixels span mm millimetres on the widget's screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    dpi = screen.physicalDotsPerInch() if screen is not None else FALLBACK_DPI
    if not PLAUSIBLE_DPI[0] <= dpi <= PLAUSIBLE_DPI[1]:  # a screen that reports nonsense
        dpi = FALLBACK_DPI
    return math.ceil(mm / 25.4 * dpi)


def enable_swipe(area: QScrollArea) -> None:
    """Let a finger (or a mouse) drag a scroll area's content; no bounce past the ends."""
    viewport = area.viewport()
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(viewport)
    properties = scroller.scrollerProperties()
    off = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff
    properties.setScrollMetric(QScrollerProperties.ScrollMetric.VerticalOvershootPolicy, off)
    properties.setScrollMetric(QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy, off)
    scroller.setScrollerProperties(properties)


class FittingScrollArea(QScrollArea):
    """A vertical scroll area as tall as its content where there is room, and scrolling where not.

    Its content wraps to its width (a flow of chips), so the height it asks for is the content's
    height for that width; when the screen has less room (large text on a small screen), it
    shrinks to one row and scrolls by swipe, instead of letting the rows overlap what follows.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._width = -1
        enable_swipe(self)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the content's height at the current width."""
        content = self.widget()
        if content is None:
            return super().sizeHint()
        width = max(1, self.width())
        height = (
            content.heightForWidth(width)
            if content.hasHeightForWidth()
            else content.sizeHint().height()
        )
        return QSize(content.minimumSizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return one row of the content."""
        content = self.widget()
        if content is None:
            return super().minimumSizeHint()
        return QSize(content.minimumSizeHint().width(), content.minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """A new width wraps the content anew: ask the layout for its new height."""
        super().resizeEvent(event)
        if self.width() != self._width:
            self._width = self.width()
            self.updateGeometry()


def gap_px(widget: QWidget, least: int = 0) -> int:
    """Return the room to leave between two controls on the widget's screen (at least `least` px)."""
    return max(least, mm_to_px(widget, TOUCH_GAP_MM))


def repolish(widget: QWidget) -> None:
    """Apply the stylesheet again to a widget and everything in it (a property it is styled by changed)."""
    everything = (widget, *widget.findChildren(QWidget))
    for each in everything:
        style = each.style()
        style.unpolish(each)
        style.polish(each)
        each.update()
    for each in everything:
        if isinstance(each, QAbstractScrollArea):  # scroll bars may have changed their width
            QCoreApplication.sendEvent(each, QEvent(QEvent.Type.StyleChange))


def set_style_property(widget: QWidget, name: str, value: object, *, deep: bool = False) -> bool:
    """Set a property the stylesheet selects on and re-polish; return whether it changed."""
    if widget.property(name) == value:
        return False
    widget.setProperty(name, value)
    if deep:
        repolish(widget)
    else:
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)
        widget.update()
    return True


def chain_focus(widgets: Sequence[QWidget]) -> None:
    """Make Tab visit the widgets in this order."""
    for earlier, later in itertools.pairwise(widgets):
        QWidget.setTabOrder(earlier, later)


def window_flag(widget: QWidget, name: str) -> bool:
    """Return a boolean style property of the widget's window (large text, high contrast, keys)."""
    return widget.window().property(name) is True


def paint_focus_ring(button: QPushButton, painter: QPainter) -> None:
    """Draw the keyboard focus ring just inside a button's border, in the button's text colour.

    The stylesheet thickens the border of the focused control; this ring makes focus plain on
    every control whatever its border already was (a chosen face has a thick one, a primary
    button a dark one): the text colour stands out from the fill by the text's own contrast.
    Drawn only for someone using keys, on the control that has focus.
    """
    if not button.hasFocus() or not window_flag(button, KEYBOARD_USE_PROPERTY):
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(button.palette().color(QPalette.ColorRole.ButtonText))
    pen.setWidthF(FOCUS_RING_PX)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    inset = FOCUS_RING_INSET_PX + FOCUS_RING_PX / 2
    ring = QRectF(button.rect()).adjusted(inset, inset, -inset, -inset)
    painter.drawRoundedRect(ring, FOCUS_RING_RADIUS_PX, FOCUS_RING_RADIUS_PX)
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

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """The screen (and so the size of a millimetre) may have changed: never smaller than a fingertip."""
        side = mm_to_px(self, self._min_mm)
        self.setMinimumSize(max(self.minimumWidth(), side), max(self.minimumHeight(), side))
        self.updateGeometry()
        super().showEvent(event)

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

    ``indicator`` is "check" (quick-pick tags), "radio" (one service), "text_size",
    "contrast", "speaker" or "speaker_off" (the display toggles). The chip's left padding in the stylesheet leaves room for
    the indicator, which is drawn in the text colour so that it follows every palette.
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

    def set_indicator(self, indicator: str) -> None:
        """Paint another indicator (the speaker, crossed out when there is no voice)."""
        if indicator != self._indicator:
            self._indicator = indicator
            self.setProperty("indicator", indicator)
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Paint the styled chip, then its indicator in the left padding."""
        super().paintEvent(event)
        painter = QPainter(self)
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


class ArrowNavigation(QObject):
    """Arrow keys move the focus among a screen's choices: along the list, and up or down a row.

    Left and Right go to the previous or next choice in reading order; Up and Down to the
    nearest choice in the row above or below as laid out on screen, so grids and wrapping rows
    of chips work alike. A choice inside a scroll area is scrolled into view.
    """

    moved = Signal(QWidget)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._widgets: list[QWidget] = []

    def set_widgets(self, widgets: Sequence[QWidget]) -> None:
        """Navigate among these widgets, in reading order."""
        for widget in self._widgets:
            widget.removeEventFilter(self)
        self._widgets = list(widgets)
        for widget in self._widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Handle an arrow key pressed on one of the widgets."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ARROWS
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            and isinstance(watched, QWidget)
            and watched in self._widgets
        ):
            target = self._neighbour(watched, Qt.Key(event.key()))
            if target is not None:
                target.setFocus(Qt.FocusReason.TabFocusReason)
                _scroll_into_view(target)
                self.moved.emit(target)
            return True
        return super().eventFilter(watched, event)

    def _neighbour(self, widget: QWidget, key: Qt.Key) -> QWidget | None:
        """Return the choice an arrow leads to from widget, or None at an edge."""
        shown = [w for w in self._widgets if w.isVisible() and w.isEnabled()]
        if widget not in shown:
            return None
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            index = shown.index(widget) + (1 if key == Qt.Key.Key_Right else -1)
            return shown[index] if 0 <= index < len(shown) else None
        here = _global_rect(widget)
        down = key == Qt.Key.Key_Down
        beyond = [
            (w, _global_rect(w))
            for w in shown
            if (
                _global_rect(w).top() >= here.bottom()
                if down
                else _global_rect(w).bottom() <= here.top()
            )
        ]
        if not beyond:
            return None
        row_edge = min(r.top() for _, r in beyond) if down else max(r.bottom() for _, r in beyond)
        row = [
            (w, r)
            for w, r in beyond
            if abs((r.top() if down else r.bottom()) - row_edge) <= max(8, here.height() // 3)
        ]
        return min(row, key=lambda item: abs(item[1].center().x() - here.center().x()))[0]


def _global_rect(widget: QWidget) -> QRect:
    """Return a widget's rectangle in screen coordinates."""
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def _scroll_into_view(widget: QWidget) -> None:
    """Scroll every scroll area the widget is in so that the widget shows."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 24, 24)
        elif isinstance(parent, QAbstractScrollArea):  # pragma: no cover - not used by the screens
            break
        parent = parent.parentWidget()


class SpeakerButton(ChipButton):
    """The speaker toggle: "Listen", "Stop" while speaking, "Listen again", or "No voice".

    It is as wide as its widest text, so the bar does not jump when speaking starts or stops.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("speaker", parent, kind="toggle")
        self.setObjectName("speakerButton")
        self.indicator_share = (
            SPEAKER_SHARE  # the loudspeaker is the sign for those who cannot read
        )
        self._texts: list[str] = []

    def set_texts(self, texts: list[str]) -> None:
        """Set every text the button may show (for its width)."""
        self._texts = texts
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the styled size for the widest of the button's texts."""
        hint = super().sizeHint()
        metrics = QFontMetrics(self.font())
        shown = metrics.horizontalAdvance(self.text())
        widest = max((metrics.horizontalAdvance(text) for text in self._texts), default=shown)
        return QSize(hint.width() + max(0, widest - shown), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return no less than the size hint: the text is never cut."""
        return self.sizeHint()


class DisplayBar(QWidget):
    """The speaker, the large-text and high-contrast toggles and the language switch of every screen.

    The bar only asks (by signal); the kiosk window tells the flow, which owns the choices for
    this one citizen, and renders them back with ``show_session`` and ``show_speech``.
    """

    language_requested = Signal(str)
    large_text_requested = Signal()
    high_contrast_requested = Signal()
    speech_requested = Signal()

    def __init__(self, switcher: LanguageSwitcher, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("displayBar")
        self._switcher = switcher
        self._speech = (True, False, False)  # available, on, speaking
        self.speaker_button = SpeakerButton(self)
        self.speaker_button.clicked.connect(self.speech_requested)
        self.language_button = TouchButton("language", self)
        self.language_button.setObjectName("languageButton")
        self.language_button.clicked.connect(
            lambda: self.language_requested.emit(self._switcher.other_language())
        )
        self.large_text_button = ChipButton("text_size", self, kind="toggle")
        self.large_text_button.setObjectName("largeTextButton")
        self.large_text_button.clicked.connect(self.large_text_requested)
        self.high_contrast_button = ChipButton("contrast", self, kind="toggle")
        self.high_contrast_button.setObjectName("highContrastButton")
        self.high_contrast_button.clicked.connect(self.high_contrast_requested)
        # "Not available in this language": a note under the bar, on the screen the bar is in.
        self.speech_notice = QLabel(parent if parent is not None else self)
        self.speech_notice.setObjectName("speechNotice")
        self.speech_notice.setTextFormat(Qt.TextFormat.PlainText)
        self.speech_notice.setWordWrap(True)
        self.speech_notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.speech_notice.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.speech_notice.hide()
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.setInterval(SPEECH_NOTICE_MS)
        self._notice_timer.timeout.connect(self.hide_speech_notice)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(gap_px(self, BAR_SPACING_PX))
        layout.addWidget(self.speaker_button)
        layout.addWidget(self.large_text_button)
        layout.addWidget(self.high_contrast_button)
        layout.addWidget(self.language_button)
        self.retranslate_ui()

    def buttons(self) -> list[TouchButton]:
        """Return the bar's buttons in Tab order."""
        return [
            self.speaker_button,
            self.large_text_button,
            self.high_contrast_button,
            self.language_button,
        ]

    def show_session(self, session: Session) -> None:
        """Show whether this citizen has large text and high contrast on."""
        self.large_text_button.set_on(session.large_text)
        self.high_contrast_button.set_on(session.high_contrast)

    def show_speech(self, *, available: bool, on: bool, speaking: bool) -> None:
        """Show the speaker: a voice or none for this language, guidance on, speaking now."""
        if (available, on, speaking) == self._speech:
            return
        self._speech = (available, on, speaking)
        self.speaker_button.set_indicator("speaker" if available else "speaker_off")
        self.speaker_button.set_on(available and on)
        self._show_speaker_text()
        if available:
            self.hide_speech_notice()

    def speech_shown(self) -> tuple[bool, bool, bool]:
        """Return what the speaker shows: (a voice is available, guidance on, speaking)."""
        return self._speech

    def show_speech_notice(self) -> None:
        """Say for a few seconds, under the bar, that there is no voice for this language."""
        notice = self.speech_notice
        screen = notice.parentWidget()
        if screen is None or screen is self:
            return
        width = max(self.width(), SPEECH_NOTICE_WIDTH_PX)
        notice.setFixedWidth(width)
        notice.setFixedHeight(notice.heightForWidth(width))
        top_right = self.mapTo(screen, QPoint(self.width(), self.height()))
        notice.move(max(0, top_right.x() - width), top_right.y() + SPEECH_NOTICE_GAP_PX)
        notice.show()
        notice.raise_()
        self._notice_timer.start()

    def hide_speech_notice(self) -> None:
        """Take the note away."""
        self._notice_timer.stop()
        self.speech_notice.hide()

    def _show_speaker_text(self) -> None:
        """Name the speaker button for what a tap on it does now."""
        available, on, speaking = self._speech
        texts = {
            "listen": self.tr("Listen"),
            "stop": self.tr("Stop"),
            "again": self.tr("Listen again"),
            "none": self.tr("No voice"),
        }
        if not available:
            shown = texts["none"]
        elif on and speaking:
            shown = texts["stop"]
        elif on:
            shown = texts["again"]
        else:
            shown = texts["listen"]
        button = self.speaker_button
        button.set_texts(list(texts.values()))
        button.setText(shown)
        if available:
            button.setAccessibleName(self.tr("Read this screen aloud"))
            button.setAccessibleDescription(
                self.tr("Reads the question and the choices aloud, until the next person starts")
            )
        else:
            button.setAccessibleName(shown)
            button.setAccessibleDescription(self.speech_notice.text())

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        #: Shown when the speaker is tapped but the kiosk has no voice for the screen's language.
        self.speech_notice.setText(self.tr("Sorry, this kiosk cannot read aloud in English yet."))
        self.speech_notice.setAccessibleName(self.speech_notice.text())
        self._show_speaker_text()
        #: The language switch shows the name of the OTHER language, written in that language.
        self.language_button.setText(self.tr("ไทย"))
        #: For screen readers: the language switch changes to the OTHER language.
        self.language_button.setAccessibleName(self.tr("Switch to Thai (ภาษาไทย)"))
        self.large_text_button.setText(self.tr("Large text"))
        self.large_text_button.setAccessibleName(self.tr("Large text"))
        self.large_text_button.setAccessibleDescription(
            self.tr("Makes the text larger until the next person starts")
        )
        self.high_contrast_button.setText(self.tr("High contrast"))
        self.high_contrast_button.setAccessibleName(self.tr("High contrast"))
        self.high_contrast_button.setAccessibleDescription(
            self.tr("White and yellow on black, until the next person starts")
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Retranslate when the application's language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


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
        metrics = QFontMetrics(self.font())
        room = self._room(width)
        lines: list[str] = []
        for word in self._full.split():
            if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= room:
                lines[-1] = f"{lines[-1]} {word}"
            elif metrics.horizontalAdvance(word) <= room:
                lines.append(word)
            else:
                lines.extend(_break_word(word, self.font(), room))
        return lines

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


def paint_button_frame(button: QPushButton, painter: QStylePainter) -> None:
    """Draw a button's styled background and border only (its content is painted by its owner)."""
    option = QStyleOptionButton()
    button.initStyleOption(option)
    option.text = ""
    option.icon = QIcon()
    painter.drawControl(QStyle.ControlElement.CE_PushButton, option)


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
