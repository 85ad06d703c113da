"""The citizen's story as typed on the on-screen keyboard: read-only, with a steady caret."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QPlainTextEdit,
    QWidget,
)

from ui.widgets.scrolling import enable_swipe
from ui.widgets.style import HIGH_CONTRAST_PROPERTY, window_flag

STORY_CARET: Final = QColor("#1D6B55")  # the kiosk's green on the white field (6.4:1)
CARET_WIDTH_PX: Final = 3


def caret_colour(field: QWidget) -> QColor:
    """Return the caret's colour: green on the light field, the text's own colour in high contrast
    (green on black would be 3.4:1, and the caret is where a citizen's eyes look for the next letter).
    """
    if window_flag(field, HIGH_CONTRAST_PROPERTY):
        return field.palette().color(QPalette.ColorRole.Text)
    return STORY_CARET


class StoryField(QPlainTextEdit):
    """A read-only display of the story being typed, ending in a caret where the next letter goes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("storyField")
        self.setReadOnly(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        enable_swipe(self)  # a long story can be dragged back to its start
        self.retranslate_ui()

    def show_text(self, text: str) -> None:
        """Show text and scroll so that its end, where typing continues, is in view."""
        if text != self.toPlainText():
            self.setPlainText(text)
        cursor = self.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        self.setAccessibleDescription(text)
        self.viewport().update()

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.setAccessibleName(self.tr("Your story"))
        self.setPlaceholderText(self.tr("Type your story with the keyboard below (optional)"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Retranslate when the application's language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Paint the text, then a steady caret after its last character."""
        super().paintEvent(event)
        if not self.toPlainText():
            return
        caret = self.cursorRect()
        painter = QPainter(self.viewport())
        painter.fillRect(
            QRect(caret.left(), caret.top(), CARET_WIDTH_PX, caret.height()), caret_colour(self)
        )
        painter.end()
