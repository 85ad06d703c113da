"""The display bar on every citizen screen: the speaker, large text, high contrast, the language."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import (
    QEvent,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QFontMetrics,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QWidget,
)

from kiosk.flow import Session
from ui.i18n import LanguageSwitcher
from ui.widgets.buttons import ChipButton, TouchButton
from ui.widgets.labels import WrapLabel
from ui.widgets.sizes import gap_px

SPEAKER_SHARE: Final = 0.95
BAR_SPACING_PX: Final = 12
SPEECH_NOTICE_MS: Final = 6000  # how long "no voice for this language" stays


class SpeakerButton(ChipButton):
    """The speaker toggle: "Listen", "Stop" while speaking, "Listen again", or "No voice".

    It is as wide as its widest text, so the bar does not jump when speaking starts or stops.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("speaker", parent, kind="toggle")
        self.setObjectName("speakerButton")
        self.indicator_share = (
            SPEAKER_SHARE  # the loudspeaker is the sign for those who cannot read
        )
        self._texts: list[str] = []

    def set_texts(self, texts: list[str]) -> None:
        """Set every text the button may show (for its width)."""
        self._texts = texts
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the styled size for the widest of the button's texts."""
        hint = super().sizeHint()
        metrics = QFontMetrics(self.font())
        shown = metrics.horizontalAdvance(self.text())
        widest = max((metrics.horizontalAdvance(text) for text in self._texts), default=shown)
        return QSize(hint.width() + max(0, widest - shown), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return no less than the size hint: the text is never cut."""
        return self.sizeHint()


class DisplayBar(QWidget):
    """The speaker, the large-text and high-contrast toggles and the language switch of every screen.

    The bar only asks (by signal); the kiosk window tells the flow, which owns the choices for
    this one citizen, and renders them back with ``show_session`` and ``show_speech``.
    """

    language_requested = Signal(str)
    large_text_requested = Signal()
    high_contrast_requested = Signal()
    speech_requested = Signal()

    def __init__(self, switcher: LanguageSwitcher, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("displayBar")
        self._switcher = switcher
        self._speech = (True, False, False)  # available, on, speaking
        self.speaker_button = SpeakerButton(self)
        self.speaker_button.clicked.connect(self.speech_requested)
        self.language_button = TouchButton("language", self)
        self.language_button.setObjectName("languageButton")
        self.language_button.clicked.connect(
            lambda: self.language_requested.emit(self._switcher.other_language())
        )
        self.large_text_button = ChipButton("text_size", self, kind="toggle")
        self.large_text_button.setObjectName("largeTextButton")
        self.large_text_button.clicked.connect(self.large_text_requested)
        self.high_contrast_button = ChipButton("contrast", self, kind="toggle")
        self.high_contrast_button.setObjectName("highContrastButton")
        self.high_contrast_button.clicked.connect(self.high_contrast_requested)
        # "Not available in this language": a note under the bar, on the screen the bar is in.
        # The screen puts it in its layout, under the bar.
        self.speech_notice = WrapLabel(parent if parent is not None else self)
        self.speech_notice.setObjectName("speechNotice")
        self.speech_notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.speech_notice.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.speech_notice.hide()
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.setInterval(SPEECH_NOTICE_MS)
        self._notice_timer.timeout.connect(self.hide_speech_notice)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(gap_px(self, BAR_SPACING_PX))
        layout.addWidget(self.speaker_button)
        layout.addWidget(self.large_text_button)
        layout.addWidget(self.high_contrast_button)
        layout.addWidget(self.language_button)
        self.retranslate_ui()

    def buttons(self) -> list[TouchButton]:
        """Return the bar's buttons in Tab order."""
        return [
            self.speaker_button,
            self.large_text_button,
            self.high_contrast_button,
            self.language_button,
        ]

    def show_session(self, session: Session) -> None:
        """Show whether this citizen has large text and high contrast on."""
        self.large_text_button.set_on(session.large_text)
        self.high_contrast_button.set_on(session.high_contrast)

    def show_speech(self, *, available: bool, on: bool, speaking: bool) -> None:
        """Show the speaker: a voice or none for this language, guidance on, speaking now."""
        if (available, on, speaking) == self._speech:
            return
        self._speech = (available, on, speaking)
        self.speaker_button.set_indicator("speaker" if available else "speaker_off")
        self.speaker_button.set_on(available and on)
        self._show_speaker_text()
        if available:
            self.hide_speech_notice()

    def speech_shown(self) -> tuple[bool, bool, bool]:
        """Return what the speaker shows: (a voice is available, guidance on, speaking)."""
        return self._speech

    def show_speech_notice(self) -> None:
        """Say for a few seconds, under the bar, that there is no voice for this language."""
        notice = self.speech_notice
        if notice.parentWidget() in (None, self):
            return
        notice.show()  # the screen's layout gives it a line under the bar
        self._notice_timer.start()

    def hide_speech_notice(self) -> None:
        """Take the note away."""
        self._notice_timer.stop()
        self.speech_notice.hide()

    def _show_speaker_text(self) -> None:
        """Name the speaker button for what a tap on it does now."""
        available, on, speaking = self._speech
        texts = {
            "listen": self.tr("Listen"),
            "stop": self.tr("Stop"),
            "again": self.tr("Listen again"),
            "none": self.tr("No voice"),
        }
        if not available:
            shown = texts["none"]
        elif on and speaking:
            shown = texts["stop"]
        elif on:
            shown = texts["again"]
        else:
            shown = texts["listen"]
        button = self.speaker_button
        button.set_texts(list(texts.values()))
        button.setText(shown)
        if available:
            button.setAccessibleName(self.tr("Read this screen aloud"))
            button.setAccessibleDescription(
                self.tr("Reads the question and the choices aloud, until the next person starts")
            )
        else:
            button.setAccessibleName(shown)
            button.setAccessibleDescription(self.speech_notice.text())

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        #: Shown when the speaker is tapped but the kiosk has no voice for the screen's language.
        self.speech_notice.setText(self.tr("Sorry, this kiosk cannot read aloud in English yet."))
        self.speech_notice.setAccessibleName(self.speech_notice.text())
        self._show_speaker_text()
        #: The language switch shows the name of the OTHER language, written in that language.
        self.language_button.setText(self.tr("ไทย"))
        #: For screen readers: the language switch changes to the OTHER language.
        self.language_button.setAccessibleName(self.tr("Switch to Thai (ภาษาไทย)"))
        self.large_text_button.setText(self.tr("Large text"))
        self.large_text_button.setAccessibleName(self.tr("Large text"))
        self.large_text_button.setAccessibleDescription(
            self.tr("Makes the text larger until the next person starts")
        )
        self.high_contrast_button.setText(self.tr("High contrast"))
        self.high_contrast_button.setAccessibleName(self.tr("High contrast"))
        self.high_contrast_button.setAccessibleDescription(
            self.tr("White and yellow on black, until the next person starts")
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Retranslate when the application's language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
