""" "Are you still there?": a card over whatever question the citizen left, with a countdown.

Shown by the kiosk window while the flow's view has ``still_there_remaining``; any tap on it
(or the big button) tells the flow the citizen is still here.
"""

from __future__ import annotations

import math
from typing import Final

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.speech import Spoken
from ui.i18n import fill
from ui.widgets.buttons import TouchButton
from ui.widgets.labels import WrapLabel
from ui.widgets.sizes import screen_dpi, text_scale
from ui.widgets.style import HIGH_CONTRAST_PROPERTY, window_flag

BACKDROP: Final = QColor(42, 39, 35, 150)  # ink, translucent: the question stays faintly visible
BACKDROP_HIGH_CONTRAST: Final = QColor(0, 0, 0, 225)
CARD_WIDTH_PX: Final = 720


class StillThereOverlay(QWidget):
    """A translucent layer over the screen with a card: the question, the seconds left, a button."""

    still_here_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stillThere")
        self._seconds = 0
        self.card = QFrame(self)
        self.card.setObjectName("stillThereCard")
        # As wide as its text needs: wider on a dense panel, where the text is drawn larger.
        self.card.setFixedWidth(round(CARD_WIDTH_PX * text_scale(screen_dpi(self))))
        self.title = WrapLabel(self.card)
        self.title.setObjectName("stillThereTitle")
        self.countdown = WrapLabel(self.card)
        self.countdown.setObjectName("stillThereCountdown")
        for label in (self.title, self.countdown):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
        self.button = TouchButton("primary", self.card)
        self.button.setObjectName("stillHereButton")
        self.button.clicked.connect(self.still_here_requested)
        card_layout = QVBoxLayout(self.card)
        card_layout.setContentsMargins(48, 40, 48, 40)
        card_layout.setSpacing(16)
        card_layout.addWidget(self.title)
        card_layout.addWidget(self.countdown)
        card_layout.addSpacing(12)
        card_layout.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.card, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.hide()
        self.retranslate_ui()

    def show_remaining(self, seconds: float) -> None:
        """Show the whole seconds left before the screen starts over."""
        whole = max(0, math.ceil(seconds))
        if whole != self._seconds:
            self._seconds = whole
            self._show_countdown()

    def spoken(self) -> Spoken:
        """Return the question, the countdown and the button."""
        return Spoken(self.title.text(), (self.countdown.text(),), actions=(self.button.text(),))

    def seconds(self) -> int:
        """Return the seconds the countdown shows."""
        return self._seconds

    def _show_countdown(self) -> None:
        """Write the countdown in the current language."""
        if self._seconds == 1:
            text = self.tr("The screen will start over in 1 second")
        else:
            #: %1 is a number of seconds other than 1 (which has a string of its own).
            template = self.tr("The screen will start over in %1 seconds")
            text = fill(template, str(self._seconds))
        self.countdown.setText(text)
        self.countdown.setAccessibleName(text)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """A tap anywhere on the layer also means "still here"."""
        self.still_here_requested.emit()
        event.accept()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Dim the screen underneath."""
        painter = QPainter(self)
        high_contrast = window_flag(self, HIGH_CONTRAST_PROPERTY)
        painter.fillRect(self.rect(), BACKDROP_HIGH_CONTRAST if high_contrast else BACKDROP)
        painter.end()

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.title.setText(self.tr("Are you still there?"))
        self.title.setAccessibleName(self.title.text())
        self.button.setText(self.tr("I'm still here"))
        self.button.setAccessibleName(self.button.text())
        self._show_countdown()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Retranslate when the application's language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
