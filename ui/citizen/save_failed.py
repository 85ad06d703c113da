"""The vote could not be saved: a calm apology that never says it was, and "try again".

The ledger service has already written the reason to the clerk's log; the screen shows only the
short code, for the clerk the citizen is asked to tell. After a while the flow returns to the
welcome by itself.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QEvent, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.flow import View
from kiosk.speech import Spoken
from ui.citizen.screen import CitizenScreen
from ui.i18n import LanguageSwitcher, fill
from ui.widgets.buttons import TouchButton
from ui.widgets.room import Yielding, give_way
from ui.widgets.sizes import design_px
from ui.widgets.style import HIGH_CONTRAST_PROPERTY, window_flag

MARK_SIZE_PX: Final = 120
MARK_GAP_PX: Final = 8  # between the mark and the apology
MARK_FILL: Final = QColor("#F6E3B4")  # the demo badge's amber: calm, not alarming
MARK_INK: Final = QColor("#6B4A00")


class NoticeMark(QWidget):
    """A soft amber circle with an "i": a notice, not an alarm."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._side = design_px(self, MARK_SIZE_PX)
        self.setFixedSize(self._side, self._side)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the mark's fixed size."""
        return QSize(self._side, self._side)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Draw the circle and the letter i."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        high_contrast = window_flag(self, HIGH_CONTRAST_PROPERTY)
        fill_colour = QColor("#000000") if high_contrast else MARK_FILL
        ink = QColor("#FFE600") if high_contrast else MARK_INK
        side = min(self.width(), self.height())
        centre = QPointF(self.width() / 2, self.height() / 2)
        ring = QPen(ink)
        ring.setWidthF(side * 0.05)
        painter.setPen(ring)
        painter.setBrush(fill_colour)
        painter.drawEllipse(centre, side * 0.45, side * 0.45)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ink)
        painter.drawEllipse(centre + QPointF(0, -side * 0.2), side * 0.06, side * 0.06)
        painter.drawRoundedRect(
            int(centre.x() - side * 0.05),
            int(centre.y() - side * 0.08),
            int(side * 0.1),
            int(side * 0.34),
            side * 0.04,
            side * 0.04,
        )
        painter.end()


class SaveFailedScreen(CitizenScreen):
    """Sorry, not saved; please tell a member of staff; try again."""

    retry_requested = Signal()

    def __init__(self, switcher: LanguageSwitcher, parent: QWidget | None = None) -> None:
        super().__init__(switcher, name="saveFailedScreen", parent=parent)
        self._failure = ""
        self.mark = NoticeMark(self)
        self._yielding = (
            Yielding(
                lambda: self.mark.sizeHint().height() + self.content.spacing(),
                lambda: not self.mark.isHidden(),
                self.mark.setVisible,
            ),
        )
        self.title = self.make_label("failedTitle")
        self.message = self.make_label("failedMessage")
        self.code = self.make_label("failedCode")
        self.retry_button = TouchButton("primary", self)
        self.retry_button.setObjectName("retryButton")
        self.retry_button.clicked.connect(self.retry_requested)
        button_row = QHBoxLayout()
        button_row.addStretch(1)
        button_row.addWidget(self.retry_button, 2)
        button_row.addStretch(1)
        self.content.addStretch(2)
        self.content.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignHCenter)
        self.content.addSpacing(MARK_GAP_PX)
        self.content.addWidget(self.title)
        self.content.addWidget(self.message)
        self.content.addSpacing(24)
        self.content.addLayout(button_row)
        self.content.addSpacing(12)
        self.content.addWidget(self.code)
        self.content.addStretch(3)
        QWidget.setTabOrder(self.retry_button, self.bar.buttons()[0])
        self.retranslate_ui()

    def event(self, event: QEvent) -> bool:
        """On a short screen (large text, the smallest panel) the mark gives its room to the words."""
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Resize):
            give_way(self.root, self.height(), self._yielding)
        return super().event(event)

    def first_choice(self) -> QWidget | None:
        """Focus starts on "try again"."""
        return self.retry_button

    def spoken(self) -> Spoken:
        """Return the apology, what to do, and "try again"."""
        return Spoken(
            self.title.text(), (self.message.text(),), actions=(self.retry_button.text(),)
        )

    def show_view(self, view: View) -> None:
        """Show the reason's code for the clerk."""
        super().show_view(view)
        failure = view.failure or ""
        if failure != self._failure:
            self._failure = failure
            self._show_code()

    def _show_code(self) -> None:
        """Name the reason in the small print meant for the clerk."""
        #: Small print for the district clerk; %1 is a short code such as disk_full.
        template = self.tr("For the district clerk: the kiosk's log has the details (%1)")
        self.code.setText(fill(template, self._failure) if self._failure else "")
        self.code.setAccessibleName(self.code.text() or " ")

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        super().retranslate_ui()
        if not hasattr(self, "retry_button"):
            return
        self.title.setText(self.tr("Sorry, your feedback could not be saved just now."))
        self.title.setAccessibleName(self.title.text())
        self.message.setText(self.tr("Please tell a member of staff."))
        self.message.setAccessibleName(self.message.text())
        self.retry_button.setText(self.tr("Try again"))
        self.retry_button.setAccessibleName(self.tr("Try again to save your feedback"))
        self.mark.setAccessibleName(self.tr("Notice"))
        self._show_code()
