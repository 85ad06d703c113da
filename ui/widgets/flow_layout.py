"""A layout that places widgets left to right and wraps them onto new rows (Qt's flow layout example).

A widget wider than the whole row is narrowed to it; if it has a height for its width (a chip
that wraps its label), it gets that height.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    """Rows of widgets that wrap to the width available, so larger text reflows instead of clipping."""

    def __init__(
        self, parent: QWidget | None = None, *, spacing: int = 12, centred: bool = False
    ) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._centred = centred
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt override)
        """Add an item at the end."""
        self._items.append(item)

    def count(self) -> int:
        """Return the number of items."""
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt override)
        """Return the item at index, or None."""
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt override)
        """Remove and return the item at index, or None."""
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt override)
        """Never ask for more room than the rows need."""
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        """The height depends on how many rows the width allows."""
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        """Return the height the rows take at this width."""
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt override)
        """Place the items in rect."""
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the smallest size (the widest item)."""
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the size of the largest item plus the margins.

        An item narrowed to the row the layout now has counts as tall as it is there, so that a
        scrolling area that shrinks to one row still shows a wrapped chip whole.
        """
        margins = self.contentsMargins()
        width = self.geometry().width() - margins.left() - margins.right()
        size = QSize()
        for item in self._items:
            least = item.minimumSize()
            if width > 0 and not item.isEmpty():
                least.setHeight(max(least.height(), self._size_in_row(item, width).height()))
            size = size.expandedTo(least)
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def height_with(self, width: int, widgets: list[QWidget]) -> int:
        """Return the height the rows would take at this width if exactly these widgets showed."""
        return self._arrange(QRect(0, 0, width, 0), apply=False, only=widgets)

    @staticmethod
    def _size_in_row(item: QLayoutItem, width: int, *, hidden: bool = False) -> QSize:
        """Return the size an item takes in a row this wide: its hint, narrowed to the row.

        An item wider than the row (a chip with a long label), or than its widget's maximum
        width, wraps its text and takes the height its lines need at that width. ``hidden``:
        measure the widget itself (the item of a hidden widget measures 0 x 0).
        """
        widget = item.widget()
        if hidden and widget is not None:
            hint = widget.sizeHint().expandedTo(widget.minimumSizeHint())
            wraps, height_for = widget.hasHeightForWidth(), widget.heightForWidth
        else:
            hint = item.sizeHint().expandedTo(item.minimumSize())
            wraps, height_for = item.hasHeightForWidth(), item.heightForWidth
        if widget is not None:  # the whole label's width, before a maximum narrows it
            hint = hint.expandedTo(QSize(widget.sizeHint().width(), 0))
            width = min(width, widget.maximumWidth())
        size = QSize(min(hint.width(), width), hint.height())
        if size.width() < hint.width() and wraps:
            size.setHeight(max(hint.height(), height_for(size.width())))
        return size

    def _arrange(self, rect: QRect, *, apply: bool, only: list[QWidget] | None = None) -> int:
        """Lay the items out in rows within rect (or only measure); return the height used.

        ``only`` measures as if just those widgets showed (hidden or not).
        """
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        rows: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        used = 0
        for item in self._items:
            widget = item.widget()
            if only is not None:
                if widget is None or not any(widget is w for w in only):
                    continue
            elif widget is not None and widget.isHidden():
                continue
            size = self._size_in_row(item, area.width(), hidden=only is not None)
            if rows[-1] and used + self._spacing + size.width() > area.width():
                rows.append([])
                used = 0
            used += (self._spacing if rows[-1] else 0) + size.width()
            rows[-1].append((item, size))
        y = area.y()
        for index, row in enumerate(rows):
            if not row:
                continue
            if index:
                y += self._spacing
            width = sum(size.width() for _, size in row) + self._spacing * (len(row) - 1)
            x = area.x() + ((area.width() - width) // 2 if self._centred else 0)
            height = max(size.height() for _, size in row)
            if apply:
                for item, size in row:
                    place = QRect(QPoint(x, y), size)
                    widget = item.widget()
                    if widget is not None:
                        # Exactly the measured rectangle: the widget's item would clamp a push
                        # button's height (a Fixed policy) to its one-line hint.
                        widget.setGeometry(place)
                    else:
                        item.setGeometry(place)
                    x += size.width() + self._spacing
            y += height
        return y - rect.y() + margins.bottom()

    def controlTypes(self) -> QSizePolicy.ControlType:  # noqa: N802 (Qt override)
        """Return the kind of controls in the layout."""
        return QSizePolicy.ControlType.PushButton
