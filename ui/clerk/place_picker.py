"""The province and the district office, searched by typing and chosen by the clerk's tap.

Shown by the setup wizard's place step and by Settings' "change the district office". Typing
only narrows the lists: nothing is chosen, and the keyboard never moves to another field, until
the clerk taps a name in a list, taps the offer beside the field, or presses Enter on a physical
keyboard (a new-user trial: typing ชลบุรี whole, the letters after "ชล" went into the district
field by themselves and picked เมืองชลบุรี).

On the 1024×600 panel the room above the keyboard holds the field being typed into and nothing
of the lists: beside the field, the one name the typing leaves is offered on a button (or how
many are left), and the other search steps aside meanwhile.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.setup import Choice, districts, offered, provinces
from ui.clerk.widgets import TYPING_PROPERTY, ClerkList, TextField, spaced, ui_language
from ui.i18n import fill
from ui.widgets.buttons import TouchButton
from ui.widgets.labels import WrapLabel

CODE_ROLE: Final = Qt.ItemDataRole.UserRole
QWIDGETSIZE_MAX: Final = 16_777_215  # Qt's "no maximum" for a widget's size


def _select(view: QListWidget, code: str | None) -> None:
    """Show the item with this code as chosen, scrolled into view (none chosen: no selection)."""
    view.clearSelection()
    for row in range(view.count()):
        item = view.item(row)
        if item.data(CODE_ROLE) == code:
            view.setCurrentItem(item)
            item.setSelected(True)
            view.scrollToItem(item)
            return


class _Column(QWidget):
    """One search: its name, its field, the offer and count beside it, and its list."""

    def __init__(self, name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.heading = WrapLabel(self)
        self.heading.setObjectName("fieldLabel")
        self.heading.setWordWrap(False)
        self.field = TextField(f"{name}Search", keyboard_language="th", max_length=40, parent=self)
        self.offer = TouchButton("primary", self)
        self.offer.setObjectName(f"{name}Offer")
        self.count = QLabel(self)
        self.count.setObjectName("fieldLabel")
        self.list = ClerkList(f"{name}List", self)
        self.heading.setBuddy(self.field)
        self.offer.hide()
        self.count.hide()
        row = spaced(QHBoxLayout(), self)
        row.addWidget(self.heading)
        row.addWidget(self.field, 1)
        row.addWidget(self.offer)
        row.addWidget(self.count)
        box = spaced(QVBoxLayout(self), self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(row)
        box.addWidget(self.list, 1)
        self.choice: Choice | None = None  # what the offer would choose

    def show_search(self, typing: bool, others_typing: bool, found: str) -> None:
        """While this field is typed into, the offer (or found, how many names are left) shows
        beside it; while the other one is, this whole column steps aside."""
        self.setVisible(not others_typing)
        self.offer.setVisible(typing and self.choice is not None)
        self.count.setText(found)
        self.count.setVisible(typing and self.choice is None and bool(self.field.text().strip()))


class PlacePicker(QWidget):
    """The province and the district office, side by side, each typed to search and tapped."""

    changed = Signal()  # the province or the district chosen changed
    chosen = Signal()  # the clerk chose a province or a district: the keyboard may close

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("placePicker")
        self.province: str | None = None
        self.district: str | None = None
        self._typing = False
        self._scroll: QScrollArea | None = None
        self._provinces = _Column("province", self)
        self._districts = _Column("district", self)
        self.province_search = self._provinces.field
        self.district_search = self._districts.field
        self.province_list = self._provinces.list
        self.district_list = self._districts.list
        self.province_heading = self._provinces.heading
        self.district_heading = self._districts.heading
        self.province_offer = self._provinces.offer
        self.district_offer = self._districts.offer
        self.province_search.textChanged.connect(self._fill_provinces)
        self.district_search.textChanged.connect(self._fill_districts)
        self.province_list.itemClicked.connect(
            lambda item: self.pick_province(item.data(CODE_ROLE))
        )
        self.district_list.itemClicked.connect(
            lambda item: self.pick_district(item.data(CODE_ROLE))
        )
        self.province_offer.clicked.connect(lambda: self._take_offer(self._provinces))
        self.district_offer.clicked.connect(lambda: self._take_offer(self._districts))
        self.province_search.returnPressed.connect(lambda: self._take_offer(self._provinces))
        self.district_search.returnPressed.connect(lambda: self._take_offer(self._districts))
        for field in (self.province_search, self.district_search):  # the keyboard moved to it
            field.focused.connect(lambda _field: QTimer.singleShot(0, self, self._show_searches))
        row = spaced(QHBoxLayout(self), self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self._provinces, 1)
        row.addWidget(self._districts, 1)
        self._fill_provinces()
        self.retranslate_ui()

    # --- the clerk's choices ---------------------------------------------------------------------

    def set_place(self, district: str | None) -> None:
        """Start from this district (and its province), or from nothing; the searches empty."""
        self.province = district[:2] if district else None
        self.district = district
        self.province_search.clear()
        self.district_search.clear()
        self._fill_provinces()

    def pick_province(self, code: str) -> None:
        """The clerk chose a province (a tap on its name, or on the offer): its districts show,
        none of them chosen."""
        if code != self.province:
            self.province = code
            self.district = None
        _select(self.province_list, code)
        self.district_search.clear()
        self._fill_districts()
        self.changed.emit()
        self.chosen.emit()

    def pick_district(self, code: str) -> None:
        """The clerk chose the district office (a tap on its name, or on the offer)."""
        self.district = code
        _select(self.district_list, code)
        self.changed.emit()
        self.chosen.emit()

    def _take_offer(self, column: _Column) -> None:
        """The offer was tapped (or Enter pressed): choose what it offers, if anything."""
        choice = column.choice
        if choice is None:
            return
        if column is self._provinces:
            self.pick_province(choice.code)
        else:
            self.pick_district(choice.code)

    # --- the lists ------------------------------------------------------------------------------

    def _fill(self, column: _Column, found: list[Choice], chosen: str | None) -> None:
        lang = ui_language()
        column.list.clear()
        for choice in found:
            item = QListWidgetItem(choice.name(lang))
            item.setData(CODE_ROLE, choice.code)
            column.list.addItem(item)
        _select(column.list, chosen)
        column.choice = offered(column.field.text(), found)
        if column.choice is not None:
            #: The one province or district the typing leaves, on a button to choose it.
            column.offer.setText(fill(self.tr("Choose %1"), column.choice.name(lang)))
        self._show_searches()

    def _fill_provinces(self) -> None:
        self._fill(self._provinces, provinces(self.province_search.text()), self.province)
        self._fill_districts()

    def _fill_districts(self) -> None:
        found = (
            [] if self.province is None else districts(self.province, self.district_search.text())
        )
        self._fill(self._districts, found, self.district)

    def _show_searches(self) -> None:
        typing_province = self._typing and bool(self.province_search.property(TYPING_PROPERTY))
        typing_district = self._typing and bool(self.district_search.property(TYPING_PROPERTY))
        for column, typing, others_typing in (
            (self._provinces, typing_province, typing_district),
            (self._districts, typing_district, typing_province),
        ):
            #: How many provinces or districts the typing leaves, beside the field.
            found = fill(self.tr("%1 found"), str(column.list.count()))
            column.show_search(typing, others_typing, found)

    # --- the keyboard ----------------------------------------------------------------------------

    def watch(self, scroll: QScrollArea) -> None:
        """Fit the lists to what scroll's view shows above the keyboard, as it changes size."""
        self._scroll = scroll
        scroll.viewport().installEventFilter(self)

    def keyboard_shown(self, shown: bool) -> None:
        """While typing, the field typed into has the offer beside it, and the lists show whole
        rows of the room above the keyboard (none if not one fits)."""
        self._typing = shown
        self._show_searches()
        QTimer.singleShot(0, self, self._fit_lists)  # once the page is laid out for it

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """The view changed size (the keyboard came or went): fit the lists."""
        scroll = self._scroll
        resized = event.type() == QEvent.Type.Resize
        if resized and scroll is not None and watched is scroll.viewport():
            self._fit_lists()
        return super().eventFilter(watched, event)

    def _fit_lists(self) -> None:
        """While typing, make the lists whole rows of what the room above the keyboard shows
        (none if not one row fits), never a strip of half-cut names; their own height again
        when the keyboard goes."""
        self._show_searches()  # the field typed into may have changed
        scroll = self._scroll
        content = scroll.widget() if scroll is not None else None
        for view in (self.province_list, self.district_list):
            if not self._typing or scroll is None or content is None:
                view.setMinimumHeight(0)
                view.setMaximumHeight(QWIDGETSIZE_MAX)
                continue
            row = view.row_height()
            top = view.mapTo(content, QPoint(0, 0)).y() - scroll.verticalScrollBar().value()
            rows = max(0, (scroll.viewport().height() - top - 2 * view.frameWidth()) // max(1, row))
            height = rows * row + 2 * view.frameWidth() if rows else 0
            if view.maximumHeight() != height:
                view.setFixedHeight(height)
            selected = view.selectedItems()
            if selected:
                view.scrollToItem(selected[0], QAbstractItemView.ScrollHint.PositionAtTop)
            else:
                view.scrollToTop()

    # --- text ------------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        """Set every text in the current language (the lists' names too)."""
        self.province_heading.setText(self.tr("Province"))
        self.district_heading.setText(self.tr("District office"))
        for heading, field in (
            (self.province_heading, self.province_search),
            (self.district_heading, self.district_search),
        ):
            field.setPlaceholderText(self.tr("Type to search"))
            field.setAccessibleName(heading.text())
        self._fill_provinces()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Retranslate when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
