"""What the clerk's screens share: a page with a title, text fields typed on the on-screen
keyboard, the keyboard panel, and small helpers for labels, touch-sized buttons and layouts.

A tablet has no physical keyboard, so every ``TextField`` asks the clerk area's one
``KeyboardPanel`` (the citizens' Thai keyboard, ui/widgets/keyboard.py) to type into it when
it gets focus. A physical keyboard works too, for a technician.

Every clerk panel is 10.1 inches, from 1024×600 to 1920×1200 (kiosk/setup.py
``SUPPORTED_PANELS``): the room between two controls is 2 mm at the panel's density, never a
number of pixels (``spaced``), and the keyboard keeps its 15 mm keys while the form above it
scrolls (``PageScroll``).
"""

from __future__ import annotations

from typing import Final, TypeVar

from PySide6.QtCore import (
    QEvent,
    QLocale,
    QObject,
    QPoint,
    QRect,
    QSignalBlocker,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFocusEvent, QMouseEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFrame,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.buttons import TouchButton
from ui.widgets.keyboard import KEYBOARD_MARGIN_PX, ThaiKeyboard
from ui.widgets.labels import WrapLabel
from ui.widgets.scrolling import enable_swipe
from ui.widgets.sizes import gap_px, mm_to_px

FIELD_MIN_MM: Final = 12.0  # a text field is tall enough to tap
PAGE_MARGIN_PX: Final = 28  # left and right of a page
PAGE_MARGIN_TOP_PX: Final = 18  # above and below a page (2 mm while the keyboard is open)
CARD_MARGINS_PX: Final = (18, 14, 18, 14)
TYPING_PROPERTY: Final = "typing"  # set on the field the keyboard types into
# What a view may not end across: a text, a field or a button (a list ends on whole rows itself).
ROW_WIDGETS: Final = (QLabel, QLineEdit, QAbstractButton)

LayoutT = TypeVar("LayoutT", bound=QLayout)
# The ways focus reaches a field that mean "I want to type here": a tap, or Tab on a keyboard.
_ASKED_FOCUS: Final = (
    Qt.FocusReason.MouseFocusReason,
    Qt.FocusReason.TabFocusReason,
    Qt.FocusReason.BacktabFocusReason,
)


def spaced(layout: LayoutT, widget: QWidget) -> LayoutT:
    """Return layout with 2 mm between its items at the density of widget's screen.

    Every layout of the clerk's screens is spaced here, so that two controls side by side or
    one above the other are never closer than a finger can tell apart (TOUCH_GAP_MM), on any
    panel: a number of pixels is 2 mm on one panel and 1 mm on the next.
    """
    layout.setSpacing(gap_px(widget))
    return layout


class TextField(QLineEdit):
    """A one-line field typed on the on-screen keyboard (``keyboard_language`` "th" or "en")."""

    focused = Signal(object)

    def __init__(
        self,
        name: str,
        *,
        keyboard_language: str = "th",
        max_length: int = 100,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("clerkField", True)
        self.setMaxLength(max_length)
        self.keyboard_language = keyboard_language
        self.setMinimumHeight(mm_to_px(self, FIELD_MIN_MM))

    def setText(self, text: str | None) -> None:  # noqa: N802 (Qt override)
        """Show text from its start when nobody is typing (a long address shows its "https")."""
        super().setText(text)
        if not self.hasFocus():
            self.setCursorPosition(0)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        """Ask for the on-screen keyboard when a tap (or Tab) brought the focus here.

        Focus a form gives on opening, or that comes back after the photo picker, leaves the
        keyboard closed: it opens only when the clerk taps a field (docs/clerk-guide.md).
        """
        super().focusInEvent(event)
        if event.reason() in _ASKED_FOCUS:
            self.focused.emit(self)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """A tap on a field that already has focus brings the keyboard back too."""
        super().mousePressEvent(event)
        self.focused.emit(self)


class KeyboardPanel(QWidget):
    """The on-screen keyboard at the foot of the clerk area, typing into one field at a time.

    ``hide_button`` is for the clerk area to place (its top bar has room; the screen has not).
    The keyboard closes when its field goes out of sight (another wizard step, another page):
    left open, it would take the room of a screen with no field to type in (issue 16: the PIN
    pad after the setup wizard's place step).
    """

    opened = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clerkKeyboardPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.keyboard = ThaiKeyboard(max_length=100, parent=self)
        self.hide_button = TouchButton("secondary", self)
        self.hide_button.setObjectName("hideKeyboardButton")
        # A tap leaves focus where it was (Tab still reaches the button): see ``detach``.
        self.hide_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.hide_button.clicked.connect(self.detach)
        self.hide_button.hide()
        self.field: TextField | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setSpacing(0)
        self._layout.addWidget(self.keyboard, 1)
        # As tall as keys of KEY_MIN_MM need, no more, no less: the page above gives way.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._measure()
        self.keyboard.text_changed.connect(self._typed)
        self.hide()
        self.retranslate_ui()

    def _measure(self) -> None:
        """Leave 2 mm above the keys on this screen (the keyboard has a margin of its own)."""
        self._layout.setContentsMargins(0, max(0, gap_px(self) - KEYBOARD_MARGIN_PX), 0, 0)
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the height at which the keys are KEY_MIN_MM tall."""
        need = self.keyboard.minimumSizeHint()
        margins = self._layout.contentsMargins()
        return QSize(need.width(), need.height() + margins.top() + margins.bottom())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """No smaller than the size hint: keys are never squeezed below KEY_MIN_MM."""
        return self.sizeHint()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """The keys have been measured for this screen: take their height."""
        self._measure()
        super().showEvent(event)

    def attach(self, field: TextField) -> None:
        """Type into field from now on, and show the keyboard."""
        if self.field is not field:
            self._let_go()
            self.field = field
            field.setProperty(TYPING_PROPERTY, True)
            field.textEdited.connect(self._edited)
            field.installEventFilter(self)
        with QSignalBlocker(self.keyboard):
            self.keyboard.set_max_length(field.maxLength())
            self.keyboard.set_text(field.text())
        if self.keyboard.keyboard_language() != field.keyboard_language:
            self.keyboard.set_keyboard_language(field.keyboard_language)
        if not self.isVisible():
            self.show()
            self.hide_button.show()
            self.opened.emit(True)
        QTimer.singleShot(0, lambda: _scroll_to(field))

    def detach(self) -> None:
        """Hide the keyboard; the field keeps its text, and a tap on it opens the keyboard again.

        Focus leaves the field, the keys and the hide button first: a button hidden while it has
        focus hands it on to the next control, and a field that gets it so opens the keyboard
        again with all its text selected, for the next key to replace (a new-user trial: a real
        tap on "Hide keyboard" gave the button focus, and the keyboard came straight back).
        """
        field = self.field
        self._let_go()
        focus = QApplication.focusWidget()
        if focus is not None and (
            focus is field or focus is self.hide_button or self.isAncestorOf(focus)
        ):
            focus.clearFocus()
        if self.isVisible():
            self.hide()
            self.hide_button.hide()
            self.opened.emit(False)

    def _let_go(self) -> None:
        """Stop typing into the field (if any)."""
        if self.field is not None:
            self.field.setProperty(TYPING_PROPERTY, False)
            self.field.textEdited.disconnect(self._edited)
            self.field.removeEventFilter(self)
            self.field = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """The field went out of sight (its page or step changed): the keyboard closes."""
        if watched is self.field and event.type() == QEvent.Type.Hide:
            self.detach()
        return False

    def type_text(self, text: str) -> None:
        """Type text as if tapped key by key (for tests and screenshots)."""
        self.keyboard.set_text(self.keyboard.text() + text)

    def _typed(self, text: str) -> None:
        field = self.field  # a field's answer to the text may hand the keyboard to another
        if field is not None and field.text() != text:
            field.setText(text)
            field.textEdited.emit(text)

    def _edited(self, text: str) -> None:
        if self.keyboard.text() != text:
            with QSignalBlocker(self.keyboard):
                self.keyboard.set_text(text)

    def retranslate_ui(self) -> None:
        """Set the texts in the current language."""
        self.hide_button.setText(self.tr("Hide keyboard"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Retranslate when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


def _scroll_to(widget: QWidget) -> None:
    """Scroll every scroll area the widget is in so that it shows above the keyboard (a page's
    with its label)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, PageScroll):
            parent.show_typing()
        elif isinstance(parent, QScrollArea):
            keep_in_view(parent, widget)
        parent = parent.parentWidget()


def keep_in_view(area: QScrollArea, widget: QWidget) -> None:
    """Scroll area up or down, as little as needed, until the whole of widget shows.

    (Qt's ensureWidgetVisible shows a line edit's cursor only, and may cut the field's edge.)
    """
    content = area.widget()
    if content is None or not content.isAncestorOf(widget):
        return
    top = widget.mapTo(content, QPoint(0, 0)).y()
    bar = area.verticalScrollBar()
    room = area.viewport().height()
    if top < bar.value() or widget.height() > room:
        bar.setValue(top)
    elif top + widget.height() > bar.value() + room:
        bar.setValue(top + widget.height() - room)


class PageScroll(QScrollArea):
    """A page's content, that scrolls by a finger's drag where the panel leaves it too little
    height (a long message on the smallest panel, a form above the on-screen keyboard).

    The field being typed into stays in view with its label whenever the content changes size
    (the keyboard opening, the page above it giving way), and the view ends on whole rows: on a
    1024×600 panel the room above the keyboard's 15 mm keys holds that one row and little more.
    """

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)
        enable_swipe(self)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Room for one text field: the one being typed into, above the keyboard."""
        least = super().minimumSizeHint()
        content = self.widget()
        fields = content.findChildren(TextField) if content is not None else []
        tallest = max(
            (field.minimumSize().expandedTo(field.minimumSizeHint()).height() for field in fields),
            default=0,
        )
        return QSize(least.width(), tallest + 2 * self.frameWidth())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Keep the field being typed into in view, with its label, and nothing cut below it."""
        super().resizeEvent(event)
        self.show_typing()

    def show_typing(self) -> None:
        """Show the field being typed into whole with its label, and nothing else cut across
        the view's edges; without a field typed into, the view's whole height."""
        content = self.widget()
        if content is None:
            return
        field = next(
            (
                field
                for field in content.findChildren(TextField)
                if field.property(TYPING_PROPERTY) and field.isVisible()
            ),
            None,
        )
        cut = 0
        if field is not None:
            cut = self._show_named(content, field)
        if self.viewportMargins().bottom() != cut:
            self.setViewportMargins(0, 0, 0, cut)

    def _show_named(self, content: QWidget, field: QWidget) -> int:
        """Scroll to the field and the label that names it (above or beside it), from their
        top; only the field when both do not fit. Return how much of the view's foot to leave
        empty so that it ends above the first label, field or button it would cut across.

        Above the keyboard on the 1024×600 panel the form shows one row: a label cut in half at
        an edge of the view reads as nonsense ("Name (Engli"), and a field with no label shows
        nothing of what to type.
        """
        room = self.height() - 2 * self.frameWidth()
        boxes = [
            _box_in(content, widget)
            for widget in content.findChildren(QWidget)
            if widget.isVisible() and isinstance(widget, ROW_WIDGETS)
        ]
        shown = _box_in(content, field)
        label = _label_of(content, field)
        if label is not None and shown.united(_box_in(content, label)).height() <= room:
            shown = shown.united(_box_in(content, label))
        top = shown.top()
        # Start above what the top would cut across (a row of the next column), room allowing.
        while across := [b for b in boxes if b.top() < top <= b.bottom()]:
            higher = min(b.top() for b in across)
            if shown.bottom() + 1 - higher > room:
                break
            top = higher
        bar = self.verticalScrollBar()
        bar.setValue(top)
        top = bar.value()  # no further than the form's end
        end = top + room
        while across := [b for b in boxes if b.top() < end <= b.bottom()]:
            higher = min(b.top() for b in across)
            if higher <= shown.bottom():
                break
            end = higher
        return top + room - end


def _box_in(content: QWidget, widget: QWidget) -> QRect:
    """Return the widget's rectangle in content's coordinates."""
    return QRect(widget.mapTo(content, QPoint(0, 0)), widget.size())


def _label_of(content: QWidget, field: QWidget) -> QLabel | None:
    """Return the label that names a field: its buddy, else the label just above it."""
    labels = [label for label in content.findChildren(QLabel) if label.isVisible()]
    for label in labels:
        if label.buddy() is field:
            return label
    box = QRect(field.mapTo(content, QPoint(0, 0)), field.size())
    best: QLabel | None = None
    for label in labels:
        place = QRect(label.mapTo(content, QPoint(0, 0)), label.size())
        overlaps = place.left() < box.right() and box.left() < place.right()
        gap = box.top() - place.bottom()
        if (
            overlaps
            and 0 <= gap <= box.height()
            and (
                best is None
                or place.bottom() > best.mapTo(content, QPoint(0, 0)).y() + best.height()
            )
        ):
            best = label
    return best


class ClerkList(QListWidget):
    """A list to choose from by a finger's tap or swipe, that shows whole rows: its view ends
    under the last row it holds whole (the room below stays white), so the first view never
    shows a name cut through at its top or foot (issue 16's third review: the staff list
    scrolled to a chosen name showed the row above it cut in half)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        enable_swipe(self)
        self.model().rowsInserted.connect(self.end_on_whole_rows)
        self.model().rowsRemoved.connect(self.end_on_whole_rows)

    def row_height(self) -> int:
        """The height of one row (every row is one line of the same font)."""
        return self.sizeHintForRow(0) if self.count() else self.fontMetrics().height() + 26

    def rows_height(self, rows: int) -> int:
        """The list's height to show rows whole rows, border and padding included."""
        return rows * self.row_height() + 2 * self.frameWidth()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """End the view on a whole row."""
        super().resizeEvent(event)
        self.end_on_whole_rows()

    def end_on_whole_rows(self) -> None:
        """Leave the part of a row at the view's foot empty (none when every row shows)."""
        room = self.height() - 2 * self.frameWidth()
        row = self.row_height()
        cut = room % row if 0 < row < room else 0
        if self.viewportMargins().bottom() != cut:
            self.setViewportMargins(0, 0, 0, cut)


class PageStack(QStackedWidget):
    """Pages on top of each other, as large as the page on show asks.

    Qt's stack asks for the room of its largest page, shown or not: the PIN pad behind the
    settings would keep the keyboard from its room while the clerk types an address.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the size the page on show asks for."""
        page = self.currentWidget()
        return super().sizeHint() if page is None else page.sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the least size of the page on show."""
        page = self.currentWidget()
        if page is None:
            return super().minimumSizeHint()
        return page.minimumSizeHint().expandedTo(page.minimumSize())


class ClerkPage(QWidget):
    """A clerk screen: a title over its content; ``refresh`` runs each time it is shown."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("clerkPage", True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title = self.label("clerkTitle")
        self._nested = False
        self.root = spaced(QVBoxLayout(self), self)
        self.root.setContentsMargins(
            PAGE_MARGIN_PX, PAGE_MARGIN_TOP_PX, PAGE_MARGIN_PX, PAGE_MARGIN_TOP_PX
        )
        self.root.addWidget(self.title)

    def nest(self) -> None:
        """This page shows inside another page, within that page's margins."""
        self._nested = True
        self.root.setContentsMargins(0, 0, 0, 0)

    def label(self, name: str, *, wrap: bool = True) -> QLabel:
        """Return a plain-text label styled by its object name, its wrapped lines spaced apart."""
        label = WrapLabel(self)
        label.setObjectName(name)
        label.setWordWrap(wrap)
        return label

    def button(self, name: str, kind: str = "secondary") -> TouchButton:
        """Return a touch-sized button styled by kind."""
        button = TouchButton(kind, self)
        button.setObjectName(name)
        return button

    def text_field(
        self, name: str, *, keyboard_language: str = "th", max_length: int = 100
    ) -> TextField:
        """Return a text field for the on-screen keyboard."""
        return TextField(
            name, keyboard_language=keyboard_language, max_length=max_length, parent=self
        )

    def card(self, name: str) -> tuple[QFrame, QVBoxLayout]:
        """Return a white panel and its layout."""
        frame = QFrame(self)
        frame.setObjectName(name)
        frame.setProperty("clerkCard", True)
        layout = spaced(QVBoxLayout(frame), self)
        layout.setContentsMargins(*CARD_MARGINS_PX)
        return frame, layout

    def refresh(self) -> None:
        """Bring the figures up to date (the page is being shown)."""

    def keyboard_shown(self, shown: bool) -> None:
        """The on-screen keyboard opened or closed: make room (the title goes while it is open,
        and the margins above and below shrink to the 2 mm between two controls)."""
        self.title.setVisible(not shown)
        if not self._nested:
            vertical = gap_px(self) if shown else PAGE_MARGIN_TOP_PX
            self.root.setContentsMargins(PAGE_MARGIN_PX, vertical, PAGE_MARGIN_PX, vertical)

    def retranslate_ui(self) -> None:
        """Set every text in the current language (subclasses)."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Retranslate when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


def ui_language() -> str:
    """The language the UI is shown in now ("th" or "en"), as the language switcher set it."""
    return "th" if QLocale().language() == QLocale.Language.Thai else "en"


def set_message(label: QLabel, text: str, *, tone: str = "info") -> None:
    """Show a message in a label styled by tone ("info", "ok", "error"); empty text hides it."""
    label.setText(text)
    label.setAccessibleName(text or " ")
    if label.property("tone") != tone:
        label.setProperty("tone", tone)
        label.style().unpolish(label)
        label.style().polish(label)
    label.setVisible(bool(text))
