"""A layout that places widgets left to right and wraps them onto new rows (Qt's flow layout example)."""

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
        """Return the size of the largest item plus the margins."""
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def height_with(self, width: int, widgets: list[QWidget]) -> int:
        """Return the height the rows would take at this width if exactly these widgets showed."""
        return self._arrange(QRect(0, 0, width, 0), apply=False, only=widgets)

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
            if only is not None and widget is not None:  # a hidden widget's item measures 0 x 0
                hint = widget.sizeHint().expandedTo(widget.minimumSizeHint())
            else:
                hint = item.sizeHint().expandedTo(item.minimumSize())
            size = QSize(min(hint.width(), area.width()), hint.height())
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
                    item.setGeometry(QRect(QPoint(x, y), size))
                    x += size.width() + self._spacing
            y += height
        return y - rect.y() + margins.bottom()

    def controlTypes(self) -> QSizePolicy.ControlType:  # noqa: N802 (Qt override)
        """Return the kind of controls in the layout."""
        return QSizePolicy.ControlType.PushButton
