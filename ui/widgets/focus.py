"""Moving the keyboard focus: the Tab order, and the arrow keys among a screen's choices."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import (
    QEvent,
    QObject,
    QPoint,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QKeyEvent,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QScrollArea,
    QWidget,
)

from ui.widgets.scrolling import show_whole

_ARROWS: Final = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down)


def chain_focus(widgets: Sequence[QWidget]) -> None:
    """Make Tab visit the widgets in this order."""
    for earlier, later in itertools.pairwise(widgets):
        QWidget.setTabOrder(earlier, later)


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
                scroll_into_view(target)
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


def scroll_into_view(widget: QWidget) -> None:
    """Scroll every scroll area the widget is in so that the widget shows."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            show_whole(parent, widget)
        elif isinstance(parent, QAbstractScrollArea):  # pragma: no cover - not used by the screens
            break
        parent = parent.parentWidget()
