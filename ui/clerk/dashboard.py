"""The clerk's overview: votes, the rating chart, who was named, stories, sync, the campaign
shown (ui/clerk/campaign_card.py), updates, the kiosk's key.

The figures come from kiosk/dashboard.py's read-only query, run on the clerk's task runner.
The kiosk sends by itself (ui/sync_scheduler.py); "Send now" asks that same scheduler, which
starts a pass at once or joins the one under way, with a progress bar, so the screen never
freezes and the clerk and the timer never send twice. When a pass ends while the overview is
open, its figures and the last problem are read again. The kiosk's fingerprint and id stand
beside the title, in view on every panel however far the figures are scrolled; its id and public
key are also shown as a QR code for the central office, in a card at the foot that the "QR code"
button scrolls to.

QtCharts is optional: where it cannot be loaded, the ratings are a plain list instead of a chart
(the reason is logged once, by ui/preflight.py).
"""

from __future__ import annotations

import importlib.metadata
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import segno
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.dashboard import DashboardData, read_dashboard
from kiosk.flow import asks_who_served
from sync.operations import SyncOutcome
from ui.clerk.campaign_card import CampaignCard
from ui.clerk.host import ClerkHost
from ui.clerk.text import local_time, save_failure, sync_error
from ui.clerk.updates import UpdatesCard
from ui.clerk.widgets import ClerkPage, keep_in_view, set_message, spaced, ui_language
from ui.fonts import FONT_FAMILY
from ui.i18n import fill
from ui.preflight import optional_module
from ui.tasks import Progress, TaskRunner
from ui.widgets.labels import SpaceWrapLabel
from ui.widgets.scrolling import enable_swipe
from ui.widgets.sizes import screen_dpi, text_scale
from wire import keys
from wire.clock import Clock, thai_day

if TYPE_CHECKING:
    from PySide6.QtCharts import QChart, QChartView

RATING_COLOURS: Final = {
    5: "#2E9E5B",
    4: "#8DBA3C",
    3: "#F2C12E",
    2: "#F08C3A",
    1: "#D64541",
}
QR_PX: Final = 168
CHART_MIN_PX: Final = 230  # the chart's height at the design's density (grown with the type)
TOP_NAMES: Final = 6
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Identity:
    """The kiosk's key, as the central office checks it."""

    kiosk_id: str
    fingerprint: str
    public_key_hex: str

    def qr_text(self, district: str) -> str:
        """What the QR code holds: the kiosk id, its public key and its district."""
        return f"sangsuk:kiosk?id={self.kiosk_id}&key={self.public_key_hex}&district={district}"


def app_version() -> str:
    """The installed version of Sangsuk."""
    try:
        return importlib.metadata.version("sangsuk")
    except importlib.metadata.PackageNotFoundError:
        return "dev"


def qr_pixmap(text: str, side: int = QR_PX, border: int = 2) -> QPixmap:
    """Render text as a QR code (segno's module matrix, painted square by square) about side px wide."""
    qr = segno.make(text, error="m")
    rows = [list(row) for row in qr.matrix]
    modules = len(rows) + 2 * border
    scale = max(1, side // modules)
    image = QImage(modules * scale, modules * scale, QImage.Format.Format_RGB32)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#000000"))
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                painter.drawRect((x + border) * scale, (y + border) * scale, scale, scale)
    painter.end()
    return QPixmap.fromImage(image)


class DashboardScreen(ClerkPage):
    """Votes today and in all, the chart, names, stories, sync state and the kiosk's identity."""

    def __init__(
        self,
        host: ClerkHost,
        data_dir: Path,
        clock: Clock,
        runner: TaskRunner,
        parent: QWidget | None = None,
        make_uploader: Callable[..., object] | None = None,
    ) -> None:
        super().__init__("dashboardScreen", parent)
        self._host = host
        self._data_dir = data_dir
        self._clock = clock
        self._runner = runner
        self._make_uploader = make_uploader
        self._waiting = False  # the clerk pressed "Send now" and waits for that pass
        self.data: DashboardData | None = None
        self.identity: Identity | None = None

        # Shown while the roster gives citizens nothing to choose on "who served you".
        self.empty_roster = self.label("clerkMessage")

        self.figures: dict[str, QLabel] = {}
        figures_row = spaced(QHBoxLayout(), self)
        self.figure_titles: dict[str, QLabel] = {}
        for key in ("today", "total", "pending", "last_sync"):
            frame, box = self.card(f"figure_{key}")
            title = self.label("figureTitle")
            value = self.label("figureValueSmall" if key == "last_sync" else "figureValue")
            box.addWidget(title)
            box.addWidget(value)
            # Title and figure at the top of every card, in line with the other cards' (a
            # shorter figure, the time of the last send, would otherwise sit lower).
            box.addStretch(1)
            self.figure_titles[key] = title
            self.figures[key] = value
            figures_row.addWidget(frame, 1)

        chart_card, chart_box = self.card("chartCard")
        self.chart_title = self.label("cardTitle")
        chart_box.addWidget(self.chart_title)
        # The chart, or without QtCharts the same figures as lines of text.
        self.chart: QChart | None = None
        self.chart_view: QChartView | None = None
        self.rating_list = self.label("cardText")
        charts = optional_module("PySide6.QtCharts", "the clerk's rating chart")
        if charts is not None:
            self.chart = charts.QChart()
            self.chart.setBackgroundVisible(False)
            self.chart.setPlotAreaBackgroundVisible(False)
            self.chart.legend().hide()
            self.chart.setMargins(QMargins(4, 4, 4, 4))
            self.chart_view = charts.QChartView(self.chart, self)
            self.chart_view.setObjectName("ratingChart")
            self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.chart_view.setBackgroundBrush(QColor("#FFFFFF"))
            self.chart_view.setMinimumHeight(CHART_MIN_PX)
            chart_box.addWidget(self.chart_view)
            self.rating_list.hide()
        chart_box.addWidget(self.rating_list)

        names_card, names_box = self.card("namesCard")
        self.names_title = self.label("cardTitle")
        self.names = self.label("cardText")
        names_box.addWidget(self.names_title)
        names_box.addWidget(self.names)
        names_box.addStretch(1)

        stories_card, stories_box = self.card("storiesCard")
        self.stories_title = self.label("cardTitle")
        self.stories = self.label("cardText")
        stories_box.addWidget(self.stories_title)
        stories_box.addWidget(self.stories)
        stories_box.addStretch(1)

        sync_card, sync_box = self.card("syncCard")
        self.sync_title = self.label("cardTitle")
        self.sync_state = self.label("cardText")
        self.sync_error = self.label("clerkMessage")
        self.save_failure = self.label("clerkMessage")
        self.sync_button = self.button("syncNow", "primary")
        self.sync_button.clicked.connect(self.sync_now)
        # Beside "Send now" while it cannot be pressed: why, and what to do instead (broken only
        # at spaces: Qt would split ตั้งค่า, the name of the Settings menu).
        self.sync_reason = SpaceWrapLabel(self)
        self.sync_reason.setObjectName("syncReason")
        self.sync_progress = QProgressBar(self)
        self.sync_progress.setObjectName("syncProgress")
        self.sync_progress.hide()
        self.sync_message = self.label("clerkMessage")
        for widget in (
            self.sync_title,
            self.sync_state,
            self.sync_error,
            self.save_failure,
            self.sync_progress,
            self.sync_message,
        ):
            sync_box.addWidget(widget)
        send_row = spaced(QHBoxLayout(), self)
        # At its own width (not the card's) whether or not a reason stands beside it.
        send_row.addWidget(
            self.sync_button, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        )
        send_row.addWidget(self.sync_reason, 1)
        sync_box.addLayout(send_row)
        sync_box.addStretch(1)  # the card's spare height below "Send now", not between its lines

        # The kiosk's fingerprint and id stand beside the title, outside the scrolling body, so
        # they show whatever part of the overview is in view, on every panel (issue 16: the
        # central office asks for them on the phone). They never wrap: a 32-digit id has no
        # place to break. "QR code" brings the card with the QR code, district and version.
        self.fingerprint_line = self.label("kioskFingerprintLine", wrap=False)
        self.kiosk_id_line = self.label("kioskIdLine", wrap=False)
        id_lines = QVBoxLayout()
        id_lines.setSpacing(0)
        id_lines.addStretch(1)  # the two lines together, beside the middle of the button
        for line in (self.fingerprint_line, self.kiosk_id_line):
            line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            id_lines.addWidget(line)
        id_lines.addStretch(1)
        self.qr_button = self.button("showQrCode")
        self.qr_button.clicked.connect(self.show_qr_code)
        header = spaced(QHBoxLayout(), self)
        self.root.removeWidget(self.title)
        header.addWidget(self.title, 1)
        header.addLayout(id_lines)
        header.addWidget(self.qr_button)
        self.root.insertLayout(0, header)

        self.id_card, id_box = self.card("identityCard")
        self.id_title = self.label("cardTitle")
        self.id_text = self.label("cardText")
        self.id_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.qr = QLabel(self)
        self.qr.setObjectName("kioskQr")
        id_row = spaced(QHBoxLayout(), self)
        id_row.addWidget(self.id_text, 1)
        id_row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        id_box.addWidget(self.id_title)
        id_box.addLayout(id_row)

        # The campaign the citizens' screens show, and when it came.
        self.campaign = CampaignCard(self)
        # The running and waiting versions, the last check and refusal, "Check now".
        self.updates = UpdatesCard(self, host.update_scheduler)

        body = QWidget(self)
        body.setObjectName("dashboardBody")
        grid = spaced(QGridLayout(body), self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.empty_roster, 0, 0, 1, 2)
        grid.addLayout(figures_row, 1, 0, 1, 2)
        grid.addWidget(chart_card, 2, 0)
        grid.addWidget(sync_card, 2, 1)
        grid.addWidget(names_card, 3, 0)
        grid.addWidget(stories_card, 3, 1)
        grid.addWidget(self.campaign.frame, 4, 0, 1, 2)
        grid.addWidget(self.updates.frame, 5, 0, 1, 2)
        grid.addWidget(self.id_card, 6, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.body_scroll = QScrollArea(self)
        self.body_scroll.setObjectName("dashboardScroll")
        self.body_scroll.setWidgetResizable(True)
        self.body_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body_scroll.setWidget(body)
        enable_swipe(self.body_scroll)
        self.root.addWidget(self.body_scroll, 1)
        for message in (self.empty_roster, self.sync_error, self.save_failure, self.sync_message):
            set_message(message, "")
        scheduler = host.sync_scheduler
        if scheduler is not None:
            scheduler.pass_started.connect(self._pass_started)
            scheduler.progress.connect(self._sync_progress)
            scheduler.pass_finished.connect(self._synced)
        self.retranslate_ui()

    # --- reading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the figures again, off the GUI thread."""
        data_dir, roster = self._data_dir, self._host.roster
        self._render_roster()
        self.updates.render()
        today = thai_day(self._clock.now())
        config = self._host.config

        def read(_progress: Progress) -> tuple[DashboardData, Identity]:
            key = keys.load_or_create(data_dir)
            identity = Identity(key.kiosk_id, key.fingerprint, key.public_key_raw.hex())
            data = read_dashboard(
                data_dir, roster, today, batch_size=config.batch_size, config=config
            )
            return data, identity

        self._runner.submit(read, self._show, self._read_failed)

    def _read_failed(self, exc: BaseException) -> None:
        set_message(
            self.sync_message,
            fill(self.tr("The figures cannot be read: %1"), str(exc)),
            tone="error",
        )

    def _show(self, result: tuple[DashboardData, Identity]) -> None:
        self.data, self.identity = result
        self._render()

    def _render(self) -> None:
        data = self.data
        if data is None:
            return
        lang = ui_language()
        self.figures["today"].setText(str(data.today))
        self.figures["total"].setText(str(data.total))
        self.figures["pending"].setText(str(data.pending))
        self.figures["last_sync"].setText(local_time(data.sync.last_success) or self.tr("never"))
        self._render_chart(data)
        lines = [
            f"{t.name(lang)}{self._retired(t.retired)} — {t.votes}" for t in data.staff[:TOP_NAMES]
        ]
        lines += [
            f"{u.name(lang)}{self._retired(u.retired)} — {u.votes}" for u in data.units[:TOP_NAMES]
        ]
        if data.no_target:
            lines.append(fill(self.tr("Not sure who — %1"), str(data.no_target)))
        self.names.setText("\n".join(lines) or self.tr("No votes yet."))
        stories = [f"({s.rating}) {s.text}" for s in data.stories]
        self.stories.setText("\n\n".join(stories) or self.tr("No stories yet."))
        self._render_sync(data)
        self.campaign.render(data.campaign)
        self._render_identity()

    def _render_roster(self) -> None:
        """Say so while citizens skip "who served you" because the roster is empty."""
        text = ""
        if not asks_who_served(self._host.roster):
            text = self.tr(
                "There are no staff, units or services yet: citizens will not be asked "
                "'Who served you today?' until you add them under Staff and services."
            )
        set_message(self.empty_roster, text, tone="info")

    def _retired(self, retired: bool) -> str:
        return self.tr(" (retired)") if retired else ""

    def _render_chart(self, data: DashboardData) -> None:
        names = {
            5: self.tr("Very satisfied"),
            4: self.tr("Satisfied"),
            3: self.tr("Fair"),
            2: self.tr("Unsatisfied"),
            1: self.tr("Very unsatisfied"),
        }
        chart = self.chart
        if chart is None:
            lines = [f"{names[r]} — {data.by_rating[r]}" for r in (5, 4, 3, 2, 1)]
            self.rating_list.setText("\n".join(lines))
            return
        from PySide6.QtCharts import (  # loaded: the chart exists
            QBarCategoryAxis,
            QBarSet,
            QHorizontalStackedBarSeries,
            QValueAxis,
        )

        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        series = QHorizontalStackedBarSeries()
        # One stacked set per rating, zero but on its own row, so each bar has its face's colour.
        for rating in (1, 2, 3, 4, 5):
            bar = QBarSet(names[rating])
            bar.append([float(data.by_rating[r]) if r == rating else 0.0 for r in (1, 2, 3, 4, 5)])
            bar.setColor(QColor(RATING_COLOURS[rating]))
            bar.setBorderColor(QColor(RATING_COLOURS[rating]))
            bar.setLabelColor(QColor("#2A2723"))
            series.append(bar)
        series.setBarWidth(0.8)
        series.setLabelsVisible(False)
        chart.addSeries(series)
        scale = text_scale(screen_dpi(self))
        font = QFont(FONT_FAMILY)
        font.setPixelSize(round(16 * scale))
        if self.chart_view is not None:  # five rows of labels as large as the type: room for each
            self.chart_view.setMinimumHeight(round(CHART_MIN_PX * scale))
        categories = QBarCategoryAxis()
        categories.append([f"{names[r]} ({data.by_rating[r]})" for r in (1, 2, 3, 4, 5)])
        categories.setLabelsFont(font)
        categories.setTruncateLabels(False)
        values = QValueAxis()
        values.setLabelFormat("%d")
        top = max(data.by_rating.values())
        values.setRange(0, max(4, -(-top // 4) * 4))  # whole numbers on four ticks
        values.setTickCount(5)
        values.setLabelsFont(font)
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        series.attachAxis(values)

    def _render_sync(self, data: DashboardData) -> None:
        config = self._host.config
        if not config.enrolled:
            state = self.tr("Not enrolled with the central collector: votes go out on a USB stick.")
        elif not config.sends_over_network:
            state = self.tr("Enrolled by USB stick: votes go out on a USB stick.")
        else:
            state = fill(self.tr("Sending to %1"), config.collector_url or "")
            minutes = f"{round(config.sync_interval_s / 60, 1):g}"
            #: %1 is a number of minutes, e.g. 5.
            state += "\n" + fill(
                self.tr("Sent by itself every %1 min when there is internet."), minutes
            )
        #: %1 votes still to send, %2 votes the collector has acknowledged.
        counts = fill(self.tr("%1 to send, %2 delivered"), str(data.pending), str(data.delivered))
        if data.resend == 1:
            counts += "\n" + self.tr("1 vote to send again (the central office asked for it)")
        elif data.resend:
            #: %1 delivered votes the central collector lost (restored from a backup) and asked
            #: this kiosk for again; they are sent by themselves at the next send.
            counts += "\n" + fill(
                self.tr("%1 votes to send again (the central office asked for them)"),
                str(data.resend),
            )
        self.sync_state.setText(f"{state}\n{counts}")
        sync = data.sync
        if sync.last_error_code and sync.last_error_at and sync.last_error_at != sync.last_success:
            #: %1 is when sending last failed (local time), %2 the reason in plain words.
            text = fill(
                self.tr("Last problem (%1): %2"),
                local_time(sync.last_error_at),
                sync_error(sync.last_error_code),
            )
            set_message(self.sync_error, text, tone="error")
        else:
            set_message(self.sync_error, "")
        failure = data.save_failure
        if failure is not None:
            #: A citizen's vote could not be saved; %1 is when, %2 the reason.
            text = fill(
                self.tr("A vote could not be saved (%1): %2"),
                local_time(failure.at),
                save_failure(failure.code),
            )
            set_message(self.save_failure, text, tone="error")
        else:
            set_message(self.save_failure, "")
        scheduler = self._host.sync_scheduler
        self._render_send_button()
        self.sync_progress.setVisible(scheduler is not None and scheduler.running)

    def send_refusal(self) -> str:
        """Why "Send now" cannot be pressed, and what the clerk can do instead ("" when it can,
        or while the clerk's own send is under way: "Sending…" says so above it)."""
        config = self._host.config
        if not config.enrolled:
            return self.tr(
                "Not enrolled yet: enrol in Settings. Until then, export on a USB stick."
            )
        if not config.sends_over_network:
            return self.tr(
                "No collector address yet: type it in Settings. Until then, export on a USB stick."
            )
        return ""

    def _render_send_button(self) -> None:
        """Turn "Send now" on or off; when off, say why beside it."""
        scheduler = self._host.sync_scheduler
        reason = self.send_refusal()
        self.sync_button.setEnabled(not reason and scheduler is not None and not self._waiting)
        self.sync_reason.set_full_text(reason)
        self.sync_reason.setVisible(bool(reason))

    def _render_identity(self) -> None:
        identity = self.identity
        if identity is None:
            return
        config = self._host.config
        place = self._host.place
        district = place.district_en if ui_language() == "en" else place.district_th
        self.fingerprint_line.setText(fill(self.tr("Kiosk fingerprint: %1"), identity.fingerprint))
        self.kiosk_id_line.setText(fill(self.tr("Kiosk id: %1"), identity.kiosk_id))
        self.id_text.setText(
            "\n".join(
                (
                    fill(self.tr("District: %1 (%2)"), district, config.district),
                    fill(self.tr("Version: %1"), app_version()),
                )
            )
        )
        self.qr.setPixmap(qr_pixmap(identity.qr_text(config.district)))
        self.qr.setAccessibleName(self.tr("QR code of the kiosk's id and key"))

    def show_qr_code(self) -> None:
        """Scroll the overview to the card with the kiosk's QR code."""
        keep_in_view(self.body_scroll, self.id_card)

    # --- sending ---------------------------------------------------------------------------------

    def sync_now(self) -> None:
        """Send the pending votes now (or join the pass under way), in the background."""
        scheduler = self._host.sync_scheduler
        if self._waiting or scheduler is None or not scheduler.send_now():
            return
        self._waiting = True
        self.sync_button.setEnabled(False)
        self.sync_progress.show()
        set_message(self.sync_message, self.tr("Sending…"), tone="info")

    def sending(self) -> bool:
        """Tell whether the clerk waits for a "Send now" to end."""
        return self._waiting

    def _pass_started(self) -> None:
        self.sync_progress.setRange(0, 0)  # busy until the first figure comes
        self.sync_progress.show()

    def _sync_progress(self, done: int, total: int) -> None:
        self.sync_progress.setRange(0, max(1, total))
        self.sync_progress.setValue(done)

    def _synced(self, outcome: SyncOutcome) -> None:
        """A pass ended: the clerk's own, or one the kiosk started by itself."""
        self.sync_progress.hide()
        if self._waiting:
            self._waiting = False
            error = outcome.report.error
            report = outcome.report
            if error is None and report.checked and report.gaps == 0 and report.batches == 0:
                # Nothing was left to send, and the check-in's receipt listed no gap.
                text = self.tr(
                    "All votes have been sent, and the central office confirmed that it holds"
                    " every one of them."
                )
                set_message(self.sync_message, text, tone="ok")
            elif error is None:
                set_message(self.sync_message, self.tr("All votes have been sent."), tone="ok")
            else:
                set_message(self.sync_message, sync_error(error.code), tone="error")
        if self.isVisible():
            self.refresh()
        else:
            self._render_send_button()

    def notify(self, text: str, tone: str = "info") -> None:
        """Show a message under the sync button (e.g. how setup went)."""
        set_message(self.sync_message, text, tone=tone)

    def cancel_sync(self) -> None:
        """Stop a send under way (the window is closing)."""
        scheduler = self._host.sync_scheduler
        if scheduler is not None:
            scheduler.cancel()

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.title.setText(self.tr("Overview"))
        self._render_roster()
        self.figure_titles["today"].setText(self.tr("Votes today"))
        self.figure_titles["total"].setText(self.tr("Votes in all"))
        self.figure_titles["pending"].setText(self.tr("Not yet sent"))
        self.figure_titles["last_sync"].setText(self.tr("Last sent"))
        self.chart_title.setText(self.tr("How satisfied citizens were"))
        self.names_title.setText(self.tr("Votes per staff member and unit"))
        self.stories_title.setText(self.tr("Latest stories"))
        self.sync_title.setText(self.tr("Sending to the central office"))
        self.id_title.setText(self.tr("This kiosk"))
        self.qr_button.setText(self.tr("QR code"))
        self.sync_button.setText(self.tr("Send now"))
        self._render_send_button()
        self.updates.retranslate_ui()
        self.campaign.retranslate_ui()
        self._render()
