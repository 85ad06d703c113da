"""Saving: the calm moment between Send and the thanks, while the ledger commits the vote.

A commit usually takes a few milliseconds, so the message appears only after REVEAL_DELAY_MS:
a quick save goes straight from the question to the thanks without a flash in between.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.flow import View
from kiosk.speech import Spoken
from ui.citizen.welcome import SunMark

REVEAL_DELAY_MS: Final = 400


class SavingScreen(QWidget):
    """ "Saving…", shown only if the save takes longer than a blink."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("savingScreen")
        self.setProperty("citizenScreen", True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.sun = SunMark(self)
        self.message = QLabel(self)
        self.message.setObjectName("savingMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self._reveal = QTimer(self)
        self._reveal.setSingleShot(True)
        self._reveal.setInterval(REVEAL_DELAY_MS)
        self._reveal.timeout.connect(self.reveal)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.sun, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(24)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self._set_shown(False)
        self.retranslate_ui()

    def enter(self, view: View) -> None:
        """Start blank; show the message if the save is still running after a moment."""
        self._set_shown(False)
        self._reveal.start()

    def show_view(self, view: View) -> None:
        """Nothing changes while saving."""

    def focus_first(self) -> None:
        """Nothing to choose here."""

    def spoken(self) -> Spoken | None:
        """Nothing is read: a save takes a blink, and the thanks are read right after."""
        return None

    def reveal(self) -> None:
        """Show the message now."""
        self._reveal.stop()
        self._set_shown(True)

    def is_revealed(self) -> bool:
        """Tell whether the message shows."""
        return self.message.isVisibleTo(self)

    def _set_shown(self, shown: bool) -> None:
        """Show or hide the sun and the message (keeping their room, so nothing jumps)."""
        for widget in (self.sun, self.message):
            policy = widget.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            widget.setSizePolicy(policy)
            widget.setVisible(shown)

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.message.setText(self.tr("Saving…"))
        self.message.setAccessibleName(self.message.text())
        self.sun.setAccessibleName(self.tr("Happy District emblem"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Retranslate when the application's language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
