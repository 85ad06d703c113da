"""The welcome screen: the campaign, the district office, and one large button to start rating."""

from __future__ import annotations

import math
from typing import Final

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPaintEvent, QPen, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Place
from ui.i18n import LanguageSwitcher, fill

START_BUTTON_MIN_MM: Final = 15.0  # a touch target an unsteady finger hits the first time
LANGUAGE_BUTTON_MIN_MM: Final = 11.0
SUN_SIZE_PX: Final = 112
SUN_COLOUR: Final = QColor("#E9A83B")
SUN_FACE_COLOUR: Final = QColor("#7A4B0C")


def mm_to_px(widget: QWidget, mm: float) -> int:
    """Return how many device-independent pixels span mm millimetres on the widget's screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    dpi = screen.physicalDotsPerInch() if screen is not None else 96.0
    if not 50.0 <= dpi <= 1000.0:  # a screen that reports nonsense: assume an ordinary one
        dpi = 96.0
    return math.ceil(mm / 25.4 * dpi)


def _round_pen(colour: QColor, width: float) -> QPen:
    """Return a pen with round ends."""
    pen = QPen(colour)
    pen.setWidthF(width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


class SunMark(QWidget):
    """A smiling sun: the campaign's warmth, drawn rather than shipped as an image."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(SUN_SIZE_PX, SUN_SIZE_PX)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the fixed size of the mark."""
        return QSize(SUN_SIZE_PX, SUN_SIZE_PX)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Draw the rays, the disc and a gentle smile."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height())
        centre = QPointF(self.width() / 2, self.height() / 2)
        disc = side * 0.30
        painter.setPen(_round_pen(SUN_COLOUR, side * 0.055))
        for i in range(12):
            angle = math.radians(i * 30)
            inner, outer = disc + side * 0.08, disc + side * (0.16 if i % 2 == 0 else 0.12)
            painter.drawLine(
                centre + QPointF(math.cos(angle) * inner, math.sin(angle) * inner),
                centre + QPointF(math.cos(angle) * outer, math.sin(angle) * outer),
            )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(SUN_COLOUR)
        painter.drawEllipse(centre, disc, disc)
        painter.setBrush(SUN_FACE_COLOUR)
        eye = side * 0.03
        for dx in (-0.11, 0.11):
            painter.drawEllipse(centre + QPointF(side * dx, -side * 0.06), eye, eye)
        painter.setPen(_round_pen(SUN_FACE_COLOUR, side * 0.035))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        r = side * 0.15
        painter.drawArc(
            QRectF(centre.x() - r, centre.y() - r * 0.9, 2 * r, 2 * r), -25 * 16, -130 * 16
        )
        painter.end()


class WelcomeScreen(QWidget):
    """The first screen a citizen sees; tapping the large button starts the rating."""

    start_requested = Signal()

    def __init__(
        self,
        place: Place,
        switcher: LanguageSwitcher,
        *,
        demo: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._place = place
        self._switcher = switcher
        self.setObjectName("welcomeScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

        self.demo_badge = QLabel(self)
        self.demo_badge.setObjectName("demoBadge")
        self.demo_badge.setVisible(demo)
        self.language_button = QPushButton(self)
        self.language_button.setObjectName("languageButton")
        self.language_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.language_button.clicked.connect(switcher.toggle)

        self.sun = SunMark(self)
        self.title = QLabel(self)
        self.title.setObjectName("welcomeTitle")
        self.place_label = QLabel(self)
        self.place_label.setObjectName("placeLabel")
        self.start_button = QPushButton(self)
        self.start_button.setObjectName("startButton")
        self.start_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.start_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.start_button.clicked.connect(self.start_requested)
        self.slogan = QLabel(self)
        self.slogan.setObjectName("slogan")

        for label in (self.title, self.place_label, self.slogan):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.demo_badge.setTextFormat(Qt.TextFormat.PlainText)

        self._build_layout()
        self.retranslate_ui()
        self._apply_touch_sizes()

    def _build_layout(self) -> None:
        """Arrange the screen: a top bar, the centred message and button, a footer band."""
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.demo_badge, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addStretch(1)
        top.addWidget(self.language_button, 0, Qt.AlignmentFlag.AlignVCenter)

        button_row = QHBoxLayout()
        button_row.addStretch(1)
        button_row.addWidget(self.start_button, 6)
        button_row.addStretch(1)

        body = QVBoxLayout()
        body.setContentsMargins(48, 32, 48, 24)
        body.setSpacing(0)
        body.addLayout(top)
        body.addStretch(2)
        body.addWidget(self.sun, 0, Qt.AlignmentFlag.AlignHCenter)
        body.addSpacing(20)
        body.addWidget(self.title)
        body.addSpacing(12)
        body.addWidget(self.place_label)
        body.addSpacing(56)
        body.addLayout(button_row)
        body.addStretch(3)

        footer = QFrame(self)
        footer.setObjectName("footer")
        footer_layout = QVBoxLayout(footer)
        footer_layout.setContentsMargins(32, 20, 32, 24)
        footer_layout.addWidget(self.slogan)

        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addLayout(body, 1)
        root.addWidget(footer)

    def _apply_touch_sizes(self) -> None:
        """Make the buttons at least as tall as a fingertip needs on this screen."""
        start = max(mm_to_px(self, START_BUTTON_MIN_MM), self.start_button.sizeHint().height())
        self.start_button.setMinimumHeight(start)
        language = max(
            mm_to_px(self, LANGUAGE_BUTTON_MIN_MM), self.language_button.sizeHint().height()
        )
        self.language_button.setMinimumHeight(language)

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        thai = self._switcher.language == "th"
        place = self._place
        district = place.district_th if thai else place.district_en
        province = place.province_th if thai else place.province_en

        self.title.setText(self.tr("Happy District — Happiness can be built"))
        self.title.setAccessibleName(self.title.text())
        self.place_label.setText(fill(self.tr("%1 District, %2"), district, province))
        self.place_label.setAccessibleName(self.place_label.text())
        self.start_button.setText(self.tr("Tap to rate our service"))
        self.start_button.setAccessibleName(self.start_button.text())
        self.start_button.setAccessibleDescription(
            self.tr("Starts a short survey. You are not asked who you are.")
        )
        self.slogan.setText(self.tr("Less suffering, more happiness"))
        self.slogan.setAccessibleName(self.slogan.text())
        self.demo_badge.setText(self.tr("Demo"))
        self.demo_badge.setAccessibleName(self.tr("Demo district: for trying out the kiosk"))
        #: The language switch shows the name of the OTHER language, written in that language.
        self.language_button.setText(self.tr("ไทย"))
        #: For screen readers: the language switch changes to the OTHER language.
        self.language_button.setAccessibleName(self.tr("Switch to Thai (ภาษาไทย)"))
        self.sun.setAccessibleName(self.tr("Happy District emblem"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Retranslate when the application's language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Recompute touch sizes for the screen the window is shown on."""
        self._apply_touch_sizes()
        super().showEvent(event)
