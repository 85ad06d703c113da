"""The welcome screen: the campaign, the district office, and one large button to start rating."""

from __future__ import annotations

import math
from typing import Final

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Place
from kiosk.flow import View
from kiosk.speech import Spoken
from ui.citizen.display_bar import DisplayBar
from ui.i18n import LanguageSwitcher, fill
from ui.widgets.buttons import TouchButton
from ui.widgets.labels import WrapLabel
from ui.widgets.room import Yielding, give_way
from ui.widgets.sizes import design_px, gap_px, mm_to_px
from ui.widgets.style import set_style_property
from wire.campaign import CampaignNotice

__all__ = ["START_BUTTON_MIN_MM", "SunMark", "WelcomeScreen"]

START_BUTTON_MIN_MM: Final = 15.0  # a touch target an unsteady finger hits the first time
SUN_SIZE_PX: Final = 112
SUN_GAP_PX: Final = 8  # between the sun and the title
COOLDOWN_GAP_PX: Final = 12  # between the big button and "please wait"
SUN_MIN_PX: Final = 48  # on a short screen the sun gives up room rather than lie over the title
WAITING_PROPERTY: Final = "waiting"  # the start button's quiet look during the cooldown
SUN_COLOUR: Final = QColor("#E9A83B")
SUN_FACE_COLOUR: Final = QColor("#7A4B0C")


def _round_pen(colour: QColor, width: float) -> QPen:
    """Return a pen with round ends."""
    pen = QPen(colour)
    pen.setWidthF(width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


class SunMark(QWidget):
    """A smiling sun: the campaign's warmth, drawn rather than shipped as an image.

    The layout reserves its room: it is as large as `side` where there is room and shrinks (to
    SUN_MIN_PX) where there is not, so it is never painted over the text beside it.
    """

    def __init__(self, parent: QWidget | None = None, *, side: int = SUN_SIZE_PX) -> None:
        super().__init__(parent)
        self.set_side(side)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def set_side(self, side: int) -> None:
        """Draw the sun at most side pixels of the design across (grown on a dense panel)."""
        self._side = design_px(self, side)
        least = design_px(self, SUN_MIN_PX)
        self.setMinimumSize(least, least)
        self.setMaximumSize(self._side, self._side)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the size of the mark where there is room."""
        return QSize(self._side, self._side)

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


class StartButton(TouchButton):
    """The big "tap to rate" button: never squeezed below its whole label and padding.

    (A short screen with large text gave it less height than its text, and Qt cut the Thai tone
    mark stacked over เพื่อ; the sun and the "please wait" room give way instead.)
    """

    HINT_IS_MINIMUM = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("start", parent)


class WelcomeScreen(QWidget):
    """The first screen a citizen sees; tapping the large button starts the rating.

    Right after a vote the next one may not start at once (the flow's cooldown): a tap then
    shows a gentle message instead. If the ledger cannot be opened the kiosk is out of service
    and says so instead of offering to start.
    """

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
        self._campaign: CampaignNotice | None = None
        self.setObjectName("welcomeScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

        self.demo_badge = QLabel(self)
        self.demo_badge.setObjectName("demoBadge")
        self.demo_badge.setVisible(demo)
        self.bar = DisplayBar(switcher, self)
        self.language_button = self.bar.language_button

        self.sun = SunMark(self)
        self.title = WrapLabel(self)
        self.title.setObjectName("welcomeTitle")
        self.place_label = WrapLabel(self)
        self.place_label.setObjectName("placeLabel")
        self.start_button = StartButton(self)
        self.start_button.setObjectName("startButton")
        self.start_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.start_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.start_button.clicked.connect(self.start_requested)
        self.slogan = WrapLabel(self)
        self.slogan.setObjectName("slogan")
        self.cooldown_message = WrapLabel(self)
        self.cooldown_message.setObjectName("cooldownMessage")
        self.out_of_service = WrapLabel(self)
        self.out_of_service.setObjectName("outOfService")
        policy = self.cooldown_message.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the big button stays put when the message shows
        self.cooldown_message.setSizePolicy(policy)
        self.cooldown_message.hide()
        self.out_of_service.hide()
        self._out_of_service_code = ""

        for label in (
            self.title,
            self.place_label,
            self.slogan,
            self.cooldown_message,
            self.out_of_service,
        ):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.demo_badge.setTextFormat(Qt.TextFormat.PlainText)

        cooldown = self.cooldown_message
        self._yielding = (
            Yielding(
                lambda: (
                    0
                    if cooldown.isVisible()
                    else max(cooldown.minimumHeight(), cooldown.minimumSizeHint().height())
                ),
                lambda: cooldown.sizePolicy().retainSizeWhenHidden() or cooldown.isVisible(),
                self._keep_cooldown_room,
            ),
            Yielding(
                lambda: self.sun.minimumHeight() + SUN_GAP_PX,
                lambda: not self.sun.isHidden(),
                self.sun.setVisible,
            ),
        )
        self._build_layout()
        self.retranslate_ui()
        self._apply_touch_sizes()

    def _build_layout(self) -> None:
        """Arrange the screen: a top bar, the centred message and button, a footer band."""
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addStretch(1)
        top.addWidget(self.bar, 0, Qt.AlignmentFlag.AlignVCenter)

        button_row = QHBoxLayout()
        button_row.addStretch(1)
        button_row.addWidget(self.start_button, 6)
        button_row.addStretch(1)

        body = QVBoxLayout()
        body.setContentsMargins(32, 20, 32, 16)
        body.setSpacing(0)
        body.addLayout(top)
        body.addSpacing(gap_px(self))
        body.addWidget(self.bar.speech_notice)  # "no voice": a line of its own, under the bar
        body.addStretch(2)
        body.addWidget(self.sun, 0, Qt.AlignmentFlag.AlignHCenter)
        body.addSpacing(SUN_GAP_PX)
        body.addWidget(self.title)
        body.addSpacing(12)
        body.addWidget(self.place_label)
        body.addSpacing(16)
        body.addStretch(1)
        body.addLayout(button_row)
        body.addSpacing(COOLDOWN_GAP_PX)
        notice_row = QHBoxLayout()
        notice_row.addStretch(1)
        notice_row.addWidget(self.cooldown_message, 6)
        notice_row.addStretch(1)
        body.addLayout(notice_row)
        body.addWidget(self.out_of_service)
        body.addStretch(3)

        footer = QFrame(self)
        footer.setObjectName("footer")
        # The demo badge sits in the footer's corner: the top row is the display bar's, which
        # with large text on the smallest screen needs all of its width.
        footer_layout = QGridLayout(footer)
        footer_layout.setContentsMargins(32, 20, 32, 24)
        footer_layout.addWidget(self.demo_badge, 0, 0, Qt.AlignmentFlag.AlignVCenter)
        footer_layout.addWidget(self.slogan, 0, 1)
        footer_layout.setColumnStretch(1, 1)
        self._footer = footer_layout

        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addLayout(body, 1)
        root.addWidget(footer)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Keep the slogan centred: the column after it is as wide as the badge before it."""
        super().resizeEvent(event)
        badge = self.demo_badge.sizeHint().width() if not self.demo_badge.isHidden() else 0
        self._footer.setColumnMinimumWidth(2, badge)
        self._fit_height()

    def event(self, event: QEvent) -> bool:
        """Fit the height again when what is on the screen changed size (large text)."""
        if event.type() == QEvent.Type.LayoutRequest:
            self._fit_height()
        return super().event(event)

    def _fit_height(self) -> None:
        """On a short screen give up the room kept for the "please wait" line, then the sun."""
        layout = self.layout()
        if layout is not None:
            give_way(layout, self.height(), self._yielding)

    def _keep_cooldown_room(self, keep: bool) -> None:
        """Keep (or not) the "please wait" line's room while it is hidden."""
        policy = self.cooldown_message.sizePolicy()
        policy.setRetainSizeWhenHidden(keep)
        self.cooldown_message.setSizePolicy(policy)

    def _apply_touch_sizes(self) -> None:
        """Make the buttons at least as tall as a fingertip needs on this screen."""
        start = max(mm_to_px(self, START_BUTTON_MIN_MM), self.start_button.sizeHint().height())
        self.start_button.setMinimumHeight(start)

    def set_campaign(self, campaign: CampaignNotice | None) -> None:
        """Show this campaign's name and slogan (None: the default words)."""
        self._campaign = campaign
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        thai = self._switcher.language == "th"
        place = self._place
        district = place.district_th if thai else place.district_en
        province = place.province_th if thai else place.province_en

        campaign = self._campaign
        lang = self._switcher.language
        self.title.setText(
            campaign.name(lang) if campaign else self.tr("Happy District — Happiness can be built")
        )
        self.title.setAccessibleName(self.title.text())
        self.place_label.setText(fill(self.tr("%1 District, %2"), district, province))
        self.place_label.setAccessibleName(self.place_label.text())
        self.start_button.setText(self.tr("Tap to rate our service"))
        self.start_button.setAccessibleName(self.start_button.text())
        self.start_button.setAccessibleDescription(
            self.tr("Starts a short survey. You are not asked who you are.")
        )
        self.slogan.setText(
            campaign.slogan(lang) if campaign else self.tr("Less suffering, more happiness")
        )
        self.slogan.setAccessibleName(self.slogan.text())
        self.demo_badge.setText(self.tr("Demo"))
        self.demo_badge.setAccessibleName(self.tr("Demo district: for trying out the kiosk"))
        self.sun.setAccessibleName(self.tr("Happy District emblem"))
        self.cooldown_message.setText(self.tr("Please wait a moment before the next rating"))
        self.cooldown_message.setAccessibleName(self.cooldown_message.text())
        self._show_out_of_service_text()

    def _show_out_of_service_text(self) -> None:
        """Write the out-of-service notice, with its code for the clerk."""
        #: The ledger could not be opened; %1 is a short code for the district clerk.
        template = self.tr(
            "This kiosk cannot record feedback right now. Please tell a member of staff. (%1)"
        )
        self.out_of_service.setText(fill(template, self._out_of_service_code))
        self.out_of_service.setAccessibleName(self.out_of_service.text())

    # -- the flow -----------------------------------------------------------------------------

    def enter(self, view: View) -> None:
        """A new citizen may come: no message yet, focus on the big button."""
        self.bar.hide_speech_notice()
        self.show_cooldown_message(False)
        self.show_view(view)
        self.focus_first()

    def show_view(self, view: View) -> None:
        """Show this citizen's display choices; the cooldown message goes once the wait is over."""
        self.bar.show_session(view.session)
        waiting = view.cooldown_remaining is not None
        set_style_property(self.start_button, WAITING_PROPERTY, waiting)
        if not waiting:
            self.show_cooldown_message(False)

    def spoken(self) -> Spoken:
        """Return what the speaker reads: the campaign, the office, and how to start."""
        if self.is_out_of_service():
            return Spoken(self.out_of_service.text())
        details = [self.place_label.text()]
        if self.cooldown_message.isVisibleTo(self):
            details.append(self.cooldown_message.text())
        return Spoken(self.title.text(), tuple(details), actions=(self.start_button.text(),))

    def focus_first(self) -> None:
        """Give keyboard focus to the big button."""
        if self.start_button.isVisibleTo(self):
            self.start_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_cooldown_message(self, shown: bool) -> None:
        """Show or hide "please wait a moment" (after a tap during the cooldown)."""
        self.cooldown_message.setVisible(shown)

    def set_out_of_service(self, code: str | None) -> None:
        """Say the kiosk cannot record votes (code for the clerk), or None when it can."""
        self._out_of_service_code = code or ""
        self._show_out_of_service_text()
        self.out_of_service.setVisible(code is not None)
        self.start_button.setVisible(code is None)
        if code is not None:
            self.cooldown_message.hide()

    def is_out_of_service(self) -> bool:
        """Tell whether the out-of-service notice shows instead of the big button."""
        return not self.start_button.isVisibleTo(self)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Retranslate when the application's language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Recompute touch sizes for the screen the window is shown on."""
        self._apply_touch_sizes()
        super().showEvent(event)
