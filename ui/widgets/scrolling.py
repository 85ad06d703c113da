"""Scroll areas a finger can drag, and one that is only as tall as its content needs."""

from __future__ import annotations

from PySide6.QtCore import (
    QSize,
    Qt,
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
