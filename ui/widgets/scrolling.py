"""Scroll areas a finger can drag, and one that is only as tall as its content needs."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import (
    QEvent,
    QObject,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QFrame,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QWidget,
)

from ui.widgets.style import KEYBOARD_USE_PROPERTY, window_flag


def enable_swipe(area: QAbstractScrollArea) -> None:
    """Let a finger (or a mouse) drag a scroll area's content; no bounce past the ends.

    Every area that scrolls on a kiosk screen needs this (a tablet has no wheel, and the scroll
    bar is too thin for a finger); tests/ui/test_touch_scrolling.py finds any that lacks it.
    A list scrolls by pixels then, so it follows the finger, not jumps a row at a time.
    """
    if isinstance(area, QAbstractItemView):
        area.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        area.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    viewport = area.viewport()
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(viewport)
    properties = scroller.scrollerProperties()
    off = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff
    properties.setScrollMetric(QScrollerProperties.ScrollMetric.VerticalOvershootPolicy, off)
    properties.setScrollMetric(QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy, off)
    scroller.setScrollerProperties(properties)


FOCUS_MARGIN_PX: Final = 24  # room kept around a control scrolled into view, when it fits


def show_whole(area: QScrollArea, widget: QWidget, margin: int = FOCUS_MARGIN_PX) -> None:
    """Scroll the area so that the widget shows whole, with up to ``margin`` px around it.

    Qt's ``ensureWidgetVisible`` centres a widget that is taller than the view with its margins
    (50 px by default, on Tab), which cuts a two-line chip on a short screen through its focus
    frame; here the margins shrink to what the view has room for, so the widget shows whole
    whenever it fits at all.
    """
    view = area.viewport()
    spare_x = max(0, (view.width() - widget.width()) // 2)
    spare_y = max(0, (view.height() - widget.height()) // 2)
    area.ensureWidgetVisible(widget, min(margin, spare_x), min(margin, spare_y))


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
        self._whole_rows()
        self._keep_focus_whole_later()

    def setWidget(self, widget: QWidget) -> None:  # noqa: N802 (Qt override)
        """Take the content, and follow its layout to keep its first view to whole rows."""
        super().setWidget(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """The content was laid out anew: show whole rows again."""
        if watched is self.widget() and event.type() == QEvent.Type.Resize:
            self._whole_rows()
            self._keep_focus_whole_later()
        elif watched is self.widget() and event.type() == QEvent.Type.Move:
            self._whole_rows()
        return super().eventFilter(watched, event)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802 (Qt override)
        """Tab moved the focus: show the focused control whole (see ``show_whole``)."""
        moved = super().focusNextPrevChild(next)
        if moved:
            self._keep_focus_whole()
        return moved

    def _keep_focus_whole_later(self) -> None:
        """Once the new size is laid out (the chips move after this event), show focus whole."""
        QTimer.singleShot(0, self, self._keep_focus_whole)

    def _keep_focus_whole(self) -> None:
        """Show the focused control whole again, if someone uses keys and the focus is in the list.

        (A finger's screen keeps its scroll: the focus given on entering a screen is for keys.)
        """
        focused = self.focusWidget()
        content = self.widget()
        if (
            focused is not None
            and content is not None
            and content.isAncestorOf(focused)
            and window_flag(self, KEYBOARD_USE_PROPERTY)
        ):
            show_whole(self, focused)

    def _whole_rows(self) -> None:
        """End the first view under the last whole row of chips (see ``end_at_whole_rows``)."""
        end_at_whole_rows(self)


def end_at_whole_rows(area: QScrollArea, top: int = 0) -> None:
    """End an area's first view under the last whole row of its content, never through a row.

    The rows are the content's direct children (chips, cards, headings). A row cut through the
    middle shows words cut in half (Thai marks and all); the room under the last whole row stays
    empty instead (a bottom margin of the viewport), and the bar says the list goes on.
    ``top`` is where in the content the view begins, when a screen scrolls it there itself
    (the letters of an index over the cards they chose).
    """
    content = area.widget()
    if content is None:
        return
    room = area.height() - 2 * area.frameWidth()
    boxes = [
        child.geometry().translated(0, -top)
        for child in content.findChildren(
            QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
        )
        if not child.isHidden() and child.geometry().bottom() >= top
    ]
    if not boxes or max(b.bottom() + 1 for b in boxes) <= room:
        cut = 0
    else:
        # Never shorter than the tallest row: each must be able to show whole when scrolled to.
        tallest = max(b.height() for b in boxes)
        ends = sorted(
            {b.bottom() + 1 for b in boxes if tallest <= b.bottom() + 1 <= room}, reverse=True
        )
        whole = next(
            (end for end in ends if not any(b.top() < end < b.bottom() + 1 for b in boxes)), 0
        )
        cut = room - whole if whole > 0 else 0
    if area.viewportMargins().bottom() != cut:
        area.setViewportMargins(0, 0, 0, cut)
