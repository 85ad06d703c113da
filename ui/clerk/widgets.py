"""What the clerk's screens share: a page with a title, text fields typed on the on-screen
keyboard, the keyboard panel, and small helpers for labels, touch-sized buttons and layouts.

A tablet has no physical keyboard, so every ``TextField`` asks the clerk area's one
``KeyboardPanel`` (the citizens' Thai keyboard, ui/widgets/keyboard.py) to type into it when
it gets focus. A physical keyboard works too, for a technician.

Every clerk panel is 10.1 inches, from 1024×600 to 1920×1200 (kiosk/setup.py
``SUPPORTED_PANELS``): the room between two controls is 2 mm at the panel's density, never a
number of pixels (``spaced``).
"""

from __future__ import annotations

from typing import Final, TypeVar

from PySide6.QtCore import QEvent, QLocale, QObject, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLayout,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.buttons import TouchButton
from ui.widgets.keyboard import ThaiKeyboard
from ui.widgets.sizes import gap_px, mm_to_px

FIELD_MIN_MM: Final = 12.0  # a text field is tall enough to tap
PAGE_MARGIN_PX: Final = 28  # left and right of a page
PAGE_MARGIN_TOP_PX: Final = 18  # above and below a page
CARD_MARGINS_PX: Final = (18, 14, 18, 14)

LayoutT = TypeVar("LayoutT", bound=QLayout)


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

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        """Ask for the on-screen keyboard."""
        super().focusInEvent(event)
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
        self.hide_button.clicked.connect(self.detach)
        self.hide_button.hide()
        self.field: TextField | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.keyboard, 1)
        self.keyboard.text_changed.connect(self._typed)
        self.hide()
        self.retranslate_ui()

    def attach(self, field: TextField) -> None:
        """Type into field from now on, and show the keyboard."""
        if self.field is not field:
            self._let_go()
            self.field = field
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
        """Hide the keyboard; the field keeps its text."""
        self._let_go()
        if self.isVisible():
            self.hide()
            self.hide_button.hide()
            self.opened.emit(False)

    def _let_go(self) -> None:
        """Stop typing into the field (if any)."""
        if self.field is not None:
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
        if self.field is not None and self.field.text() != text:
            self.field.setText(text)
            self.field.textEdited.emit(text)

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
    """Scroll every scroll area the widget is in so that it shows above the keyboard."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 16, 16)
        parent = parent.parentWidget()


class ClerkPage(QWidget):
    """A clerk screen: a title over its content; ``refresh`` runs each time it is shown."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("clerkPage", True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title = self.label("clerkTitle")
        self.root = spaced(QVBoxLayout(self), self)
        self.root.setContentsMargins(
            PAGE_MARGIN_PX, PAGE_MARGIN_TOP_PX, PAGE_MARGIN_PX, PAGE_MARGIN_TOP_PX
        )
        self.root.addWidget(self.title)

    def nest(self) -> None:
        """This page shows inside another page, within that page's margins."""
        self.root.setContentsMargins(0, 0, 0, 0)

    def label(self, name: str, *, wrap: bool = True) -> QLabel:
        """Return a plain-text label styled by its object name."""
        label = QLabel(self)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
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
        """The on-screen keyboard opened or closed: make room (the title goes while it is open)."""
        self.title.setVisible(not shown)

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
