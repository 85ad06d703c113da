"""Below the supported screen, the kiosk says so, in Thai and English, instead of a broken screen.

The supported panels are landscape, from 1024 x 600 pixels on a 10-inch panel up
(kiosk/setup.py ``SUPPORTED_PANELS``). A smaller window, a tablet turned to portrait, or in kiosk
mode a panel under MIN_DIAGONAL_INCHES shows this page in place of the citizens' screens: whom it
concerns (staff, not citizens), what is wrong (pixels and inches measured) and what to do (turn
the tablet, use a larger one). The clerk's corner still opens the clerk's screens, so votes can be
exported from a tablet that is being replaced. Both languages show at once: whoever reads it may
not read the kiosk's default language.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.setup import MIN_DIAGONAL_INCHES, MIN_SCREEN_PX, ScreenCheck
from ui.i18n import LanguageSwitcher, fill
from ui.widgets.labels import WrapLabel

CONTEXT: Final = "TooSmallPage"


# The page's texts in English, the source language (lupdate finds them here).
TEXTS: Final[dict[str, str]] = {
    "title": str(QT_TRANSLATE_NOOP("TooSmallPage", "This screen is too small for the kiosk")),
    "portrait": str(
        QT_TRANSLATE_NOOP("TooSmallPage", "Please turn the tablet on its side (landscape)")
    ),
    "need": str(
        QT_TRANSLATE_NOOP(
            "TooSmallPage",
            "The kiosk needs at least %1 × %2 pixels, landscape, on a %3-inch screen",
        )
    ),
    "have": str(QT_TRANSLATE_NOOP("TooSmallPage", "This screen: %1 × %2 pixels")),
    "inches": str(QT_TRANSLATE_NOOP("TooSmallPage", "about %1 inches")),
    "staff": str(
        QT_TRANSLATE_NOOP(
            "TooSmallPage",
            "For staff: use a 10-inch tablet or larger. Votes already saved are kept.",
        )
    ),
}


class TooSmallPage(QWidget):
    """The notice shown instead of the citizens' screens on a screen below the supported range."""

    def __init__(self, switcher: LanguageSwitcher, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._switcher = switcher
        self.setObjectName("tooSmallPage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.thai_title = self._label("tooSmallTitle")
        self.english_title = self._label("tooSmallTitle")
        self.thai_detail = self._label("tooSmallDetail")
        self.english_detail = self._label("tooSmallDetail")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(12)
        layout.addStretch(1)
        for label in (self.thai_title, self.english_title, self.thai_detail, self.english_detail):
            layout.addWidget(label)
        layout.addStretch(1)
        self.check = ScreenCheck(0, 0)

    def _label(self, name: str) -> QLabel:
        """Return a centred wrapping label."""
        label = WrapLabel(self)
        label.setObjectName(name)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    def show_check(self, check: ScreenCheck) -> None:
        """Say what is wrong with this screen, in Thai and in English."""
        self.check = check
        thai = {
            key: self._switcher.translate_in("th", CONTEXT, source) for key, source in TEXTS.items()
        }
        for (title, detail), texts in (
            ((self.thai_title, self.thai_detail), thai),
            ((self.english_title, self.english_detail), TEXTS),
        ):
            turn = check.portrait and check.fits_turned
            title.setText(texts["portrait"] if turn else texts["title"])
            have = fill(texts["have"], str(check.width_px), str(check.height_px))
            diagonal = check.diagonal_inches
            if diagonal is not None:
                have += ", " + fill(texts["inches"], f"{diagonal:.1f}")
            need = fill(
                texts["need"],
                str(MIN_SCREEN_PX[0]),
                str(MIN_SCREEN_PX[1]),
                f"{MIN_DIAGONAL_INCHES:g}",
            )
            detail.setText(f"{have}\n{need}\n{texts['staff']}")
