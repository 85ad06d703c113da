"""Export to a USB stick, and receipts back from it.

The screen lists the removable drives (kiosk/drives.py; the clerk's folder picker,
ui/clerk/file_picker.py, shown in place of the page when the stick is not among them), says how many votes and about how many bytes will be written and whether the stick
has room, then writes the signed batch files and the CSV summary off the GUI thread with a
progress bar (sync/operations.py). Only when every file is written, flushed and read back does it
say the stick may be removed. A stick pulled mid-way gives a clear message; no partial file
is left that looks like a batch. Receipts the collector wrote on the stick mark votes sent.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Final

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidgetItem,
    QProgressBar,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.campaign import first_day, last_day
from kiosk.config import load_config
from kiosk.dashboard import ExportPlan, read_dashboard
from kiosk.drives import Drive, DriveDetector
from kiosk.folders import place_holding, places, size_text, trail
from kiosk.roster import Roster
from sync.campaign import StickCampaign, read_campaign_in
from sync.operations import ReceiptImport, import_receipts_in
from sync.usb import UsbError, check_folder
from sync.usb_enroll import RequestWritten, export_with_request
from sync.usb_export import ExportResult
from ui.clerk.campaign_card import day_text
from ui.clerk.file_picker import SEPARATOR, Chosen, FilePicker
from ui.clerk.text import usb_error
from ui.clerk.widgets import (
    ClerkList,
    ClerkPage,
    PageScroll,
    PageStack,
    keep_in_view,
    set_message,
    spaced,
    ui_language,
)
from ui.i18n import fill
from ui.tasks import Progress, TaskRunner
from wire.clock import SystemClock, thai_day

PATH_ROLE: Final = Qt.ItemDataRole.UserRole
MIN_DRIVE_ROWS: Final = 2  # the list of sticks is this many rows tall at least
MAX_DRIVE_ROWS: Final = 4  # and at most
# Asks the clerk for a folder, and calls back with it if one is chosen (never on Cancel).
FolderChooser = Callable[[Chosen], None]
log = logging.getLogger(__name__)


class ExportScreen(ClerkPage):
    """Choose a stick, see what will be written, export with progress, import receipts."""

    campaign_read = Signal(object)  # a campaign notice on the stick, kept (CampaignNotice)

    def __init__(
        self,
        data_dir: Path,
        runner: TaskRunner,
        drives: DriveDetector,
        parent: QWidget | None = None,
        folder_chooser: FolderChooser | None = None,
    ) -> None:
        super().__init__("exportScreen", parent)
        self._data_dir = data_dir
        self._runner = runner
        self._drives = drives
        # The picker, in place of the page while the clerk chooses (tests may pass another).
        self.picker = FilePicker("folder", runner, lambda: self._drives(), self)
        self.picker.closed.connect(self._picker_closed)
        self._folder_chooser: FolderChooser = folder_chooser or self.open_picker
        self._busy = False
        self.plan: ExportPlan | None = None
        self.enrolled = True  # until the plan says otherwise: no warning while it is read
        self.target: Path | None = None
        self._folder_chosen = False  # the target is a folder the clerk picked, not a listed stick
        self._lost: Path | None = None  # the stick chosen, pulled out since (chosen again if back)
        self._seen: dict[Path, Drive] = {}  # every stick listed here: named even once pulled out
        self.last_result: ExportResult | None = None
        self.intro = self.label("cardText")
        self.drive_list = ClerkList("driveList", self)
        self.drive_list.itemSelectionChanged.connect(self._drive_chosen)
        self.no_drives = self.label("cardText")
        self.rescan_button = self.button("rescanDrives")
        self.rescan_button.clicked.connect(self.scan_drives)
        self.folder_button = self.button("chooseFolder")
        self.folder_button.clicked.connect(self._pick_folder)
        self.plan_label = self.label("planText")
        self.export_button = self.button("exportNow", "primary")
        self.export_button.clicked.connect(self.export)
        self.receipts_button = self.button("importReceipts")
        self.receipts_button.clicked.connect(self.import_receipts)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("exportProgress")
        self.progress.hide()
        self.message = self.label("clerkMessage")
        # The sticks beside "look again" and "choose a folder": a list of two rows or more, in
        # the height the two buttons take anyway (on the 1024×600 panel, Export stays in view).
        self.drive_list.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        sticks = spaced(QVBoxLayout(), self)
        sticks.addWidget(self.drive_list, 1)
        sticks.addWidget(self.no_drives)
        choosers = spaced(QVBoxLayout(), self)
        choosers.addWidget(self.rescan_button)
        choosers.addWidget(self.folder_button)
        choosers.addStretch(1)
        choose_row = spaced(QHBoxLayout(), self)
        choose_row.addLayout(sticks, 1)
        choose_row.addLayout(choosers)
        actions = spaced(QHBoxLayout(), self)
        actions.addWidget(self.export_button)
        actions.addWidget(self.receipts_button)
        actions.addStretch(1)
        # What is said after an export is long: on the smallest panel the page scrolls.
        body = QWidget(self)
        column = spaced(QVBoxLayout(body), self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.intro)
        column.addLayout(choose_row)
        column.addWidget(self.plan_label)
        # Export above what is said of it: a long error never pushes the button below the fold.
        column.addLayout(actions)
        column.addWidget(self.progress)
        column.addWidget(self.message)
        column.addStretch(1)
        self.page = PageScroll(body, self)
        self.views = PageStack(self)
        self.views.addWidget(self.page)
        self.views.addWidget(self.picker)
        self.views.setCurrentWidget(self.page)
        self.root.addWidget(self.views, 1)
        self.message.installEventFilter(self)  # what was said stays in view as it grows
        # and as the page under it grows or shrinks (the plan read again after an export)
        self.page.verticalScrollBar().rangeChanged.connect(self._keep_message_in_view)
        set_message(self.message, "")
        self.retranslate_ui()

    # --- choosing --------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Look for sticks and work out what an export would write (a choice left open when
        the clerk went to another page is given up)."""
        self.picker.cancel()
        self.scan_drives()
        data_dir = self._data_dir

        def plan(_progress: Progress) -> tuple[ExportPlan, bool]:
            config = load_config(data_dir)
            figures = read_dashboard(
                data_dir, Roster(), thai_day(SystemClock().now()), batch_size=config.batch_size
            )
            return figures.export, config.enrolled or config.demo

        self._runner.submit(plan, self._planned, lambda exc: self._show_error(str(exc)))

    def _planned(self, planned: tuple[ExportPlan, bool]) -> None:
        self.plan, self.enrolled = planned
        self._show_plan()

    def scan_drives(self) -> None:
        """List the removable drives the detector finds now; the stick chosen stays chosen while
        it is plugged in, and when it is gone nothing is chosen (never another stick instead)."""
        try:
            found = self._drives()
        except OSError:
            found = []
        self._seen.update((drive.path, drive) for drive in found)
        target = self.target
        chosen: int | None = None
        # Rebuilding the list is not the clerk choosing: what was said stays on screen.
        self.drive_list.blockSignals(True)
        try:
            self.drive_list.clear()
            for row, drive in enumerate(found):
                #: A USB stick in the list: %1 its name, %2 its free space (e.g. 3.2 GB).
                text = fill(self.tr("%1 — %2 free"), drive.label, size_text(drive.free_bytes))
                item = QListWidgetItem(text)
                item.setData(PATH_ROLE, drive)
                self.drive_list.addItem(item)
                if drive.path in (target, self._lost):
                    chosen = row
            if target is not None and chosen is None and not self._folder_kept(target):
                self._lost = target  # pulled out: said so, and nothing else is chosen
                self.target = None
            elif chosen is None and target is None and self._lost is None and len(found) == 1:
                chosen = 0  # the one stick plugged in, when the clerk has chosen none yet
            if chosen is not None:
                self.drive_list.setCurrentRow(chosen)
                self.drive_list.item(chosen).setSelected(True)
                self.target, self._lost = found[chosen].path, None
        finally:
            self.drive_list.blockSignals(False)
        self.no_drives.setVisible(not found)
        self.drive_list.setVisible(bool(found))
        # Room for two sticks at least, so that one stick reads as a choice in a list (not a
        # green bar); four at most, the rest a swipe away.
        rows = min(max(len(found), MIN_DRIVE_ROWS), MAX_DRIVE_ROWS)
        self.drive_list.setMinimumHeight(self.drive_list.rows_height(rows))
        self._show_plan()

    def _folder_kept(self, target: Path) -> bool:
        """A folder the clerk chose (not a stick in the list) stays chosen while it is there."""
        return self._folder_chosen and target.is_dir()

    def _drive_chosen(self) -> None:
        item = self.drive_list.currentItem()
        if item is not None and item.isSelected():
            drive: Drive = item.data(PATH_ROLE)
            self._retarget(drive.path)
            self._folder_chosen = False
        self._show_plan()

    def _pick_folder(self) -> None:
        self._folder_chooser(self.set_target)

    def open_picker(self, chosen: Chosen) -> None:
        """Show the folder picker in place of the page; chosen(folder) if the clerk picks one."""
        self.views.setCurrentWidget(self.picker)
        self.title.hide()  # the picker has a title of its own
        self.picker.ask(chosen)

    def _picker_closed(self) -> None:
        self.views.setCurrentWidget(self.page)
        self.title.show()

    def set_target(self, folder: Path) -> None:
        """Export to this folder (a stick, or any folder the clerk chose)."""
        self.drive_list.clearSelection()
        self._retarget(folder)
        self._folder_chosen = True
        self._show_plan()

    def _retarget(self, folder: Path) -> None:
        """Aim at folder; what was said of another stick or folder no longer applies."""
        if folder != self.target and not self._busy:
            set_message(self.message, "")
        self.target = folder
        self._lost = None

    def _show_plan(self) -> None:
        plan, target = self.plan, self.target
        lines = []
        if plan is not None:
            if plan.votes == 0:
                lines.append(self.tr("Every vote has been delivered: there is nothing to export."))
            elif plan.resend == 0:
                #: %1 votes, %2 their size (e.g. 85.2 KB)
                template = self.tr("%1 votes not yet delivered will be written: about %2.")
                lines.append(fill(template, str(plan.votes), size_text(plan.estimated_bytes)))
            else:
                lines += self._resend_plan(plan)
            if plan.votes and not self.enrolled:
                lines.append(
                    self.tr(
                        "This kiosk is not enrolled yet: the central office can count these"
                        " votes only after enrolling it. Its enrollment request is written"
                        " on the stick with them."
                    )
                )
        too_small = False
        if target is not None:
            lines.append(fill(self.tr("To: %1"), self.where(target)))
            free = self._free_bytes(target)
            too_small = plan is not None and free is not None and free < plan.estimated_bytes
            if too_small and free is not None:
                lines.append(
                    fill(self.tr("The stick has only %1 free: not enough."), size_text(free))
                )
        elif self._lost is not None:
            #: %1 is the stick by its name (and the folder on it), e.g. USB stick KINGSTON
            template = self.tr(
                "The USB stick you chose (%1) has been removed. Plug it in again and press"
                " Look again, or choose another stick or a folder."
            )
            lines.append(fill(template, self.where(self._lost, free=False)))
        else:
            lines.append(self.tr("Choose a USB stick above, or a folder."))
        self.plan_label.setText("\n".join(lines))
        ready = (
            target is not None
            and plan is not None
            and plan.votes > 0
            and not too_small
            and not self._busy
        )
        self.export_button.setEnabled(ready)
        self.receipts_button.setEnabled(target is not None and not self._busy)

    def _resend_plan(self, plan: ExportPlan) -> list[str]:
        """The plan when delivered votes wait to be sent again: those are told apart from the
        votes not yet delivered (a clerk who delivered every vote must not read them as late)."""
        if plan.new:
            #: %1 votes never delivered yet.
            lines = [fill(self.tr("%1 votes not yet delivered will be written."), str(plan.new))]
        else:
            lines = [self.tr("Every vote has been delivered.")]
        if plan.resend == 1:
            lines.append(
                self.tr(
                    "1 delivered vote the central office asked for again goes too (it lost it"
                    " when it restored a backup)."
                )
            )
        else:
            #: %1 delivered votes the central collector lost (restored from a backup) and asked
            #: for again in its receipts: not late votes.
            template = self.tr(
                "%1 delivered votes the central office asked for again go too (it lost them"
                " when it restored a backup)."
            )
            lines.append(fill(template, str(plan.resend)))
        #: %1 the size of everything written (e.g. 85.2 KB)
        lines.append(fill(self.tr("About %1 in all."), size_text(plan.estimated_bytes)))
        return lines

    def where(self, folder: Path, *, free: bool = True) -> str:
        """Where the votes go, as the clerk knows it: the stick by its name (and free space, as
        the picker's places name it), then the folder on it, never a system path (/media/…)."""
        place = place_holding(folder, places(self._seen.values(), Path.home()))
        if place is None:  # pragma: no cover - every folder is under the computer's top
            return folder.name
        name = self.picker.place_name(place, free=free and place.kind == "drive")
        inside = trail(place, folder)
        if not inside:
            return name
        #: Where an export goes: %1 a USB stick (or the home folder), %2 the folder on it.
        return fill(self.tr("%1 · folder %2"), name, SEPARATOR.join(inside))

    @staticmethod
    def _free_bytes(folder: Path) -> int | None:
        try:
            return shutil.disk_usage(folder).free
        except OSError:
            return None

    # --- writing ---------------------------------------------------------------------------------

    def export(self) -> None:
        """Write the batch files and the summary to the chosen stick, with a progress bar."""
        target = self.target
        if target is None or self._busy:
            return
        try:
            check_folder(target)
        except UsbError as exc:
            log.warning("export to %s refused (%s): %s", target, exc.code, exc.message)
            self._show_error(usb_error(exc.code))
            return
        self._set_busy(True)
        self.progress.setRange(0, max(1, self.plan.votes if self.plan else 1))
        self.progress.setValue(0)
        self.progress.show()
        self._say(self.tr("Writing… do not remove the USB stick."), "info")
        data_dir = self._data_dir
        self._runner.submit(
            lambda progress: export_with_request(data_dir, target, progress),
            self._exported,
            self._export_failed,
            self._progress,
        )

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _exported(self, written: tuple[ExportResult, RequestWritten | None]) -> None:
        result, request = written
        self._set_busy(False)
        self.last_result = result
        self.progress.hide()
        if not result.files:
            self._say(self.tr("Nothing to export: every vote has been delivered."), "ok")
        else:
            #: %1 votes, %2 files. Said only after every file was written, flushed and read back.
            template = self.tr(
                "Done: %1 votes written and checked (files: %2), with a summary for Excel."
                " You can remove the USB stick safely now. The votes count as sent once the"
                " central office's receipt is read back from the stick."
            )
            text = fill(template, str(result.votes), str(len(result.files)))
            if result.resent == 1:
                text += "\n" + self.tr(
                    "1 of them is a vote the central office asked for again (delivered before)."
                )
            elif result.resent:
                #: %1 of the votes written were delivered before and sent again because the
                #: central office asked for them.
                text += "\n" + fill(
                    self.tr(
                        "%1 of them are votes the central office asked for again (delivered"
                        " before)."
                    ),
                    str(result.resent),
                )
            tone = "ok"
            if request is not None:
                #: %1 is this kiosk's fingerprint, e.g. 8E1B-0C55-3A7F-92D4.
                text += "\n" + fill(
                    self.tr(
                        "This kiosk is not enrolled yet, so its enrollment request (kiosk %1) is"
                        " on the stick too: the central office enrols the kiosk from it when it"
                        " imports the votes, and they count from then on. Then read the answer"
                        " back in Settings (No internet? Enrol by USB stick)."
                    ),
                    request.fingerprint,
                )
                tone = "info"
            self._say(text, tone)
        self.refresh()

    def _export_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.progress.hide()
        code = exc.code if isinstance(exc, UsbError) else "write_failed"
        log.warning("export to %s failed (%s): %s", self.target, code, exc)
        text = usb_error(code)
        written = exc.written if isinstance(exc, UsbError) else []
        if written:
            #: After a failed export: %1 files were written completely before the failure.
            text += "\n" + fill(self.tr("%1 files were complete before that."), str(len(written)))
        self._show_error(text)
        self.refresh()

    def import_receipts(self) -> None:
        """Mark as delivered what the receipts on the stick accepted."""
        target = self.target
        if target is None or self._busy:
            return
        self._set_busy(True)
        data_dir = self._data_dir

        def read(_progress: Progress) -> tuple[ReceiptImport, StickCampaign]:
            result = import_receipts_in(data_dir, target)
            # The collector's campaign notice may travel with the receipts (sync/campaign.py).
            return result, read_campaign_in(data_dir, target)

        self._runner.submit(read, self._read_from_stick, self._receipts_failed)

    def _read_from_stick(self, found: tuple[ReceiptImport, StickCampaign]) -> None:
        result, campaign = found
        if campaign.kept is not None:
            self.campaign_read.emit(campaign.kept)
        self._receipts_read(result, campaign)

    def _receipts_read(self, result: ReceiptImport, campaign: StickCampaign) -> None:
        self._set_busy(False)
        lines = self._campaign_lines(campaign)
        if result.files == 0:
            lines.append(self.tr("There are no receipts on this USB stick yet."))
        else:
            #: %1 receipt files read, %2 votes newly marked as delivered.
            text = fill(
                self.tr("%1 receipts read: %2 votes are now marked as delivered."),
                str(result.files),
                str(result.marked),
            )
            for name, code, _message in result.refused:
                text += "\n" + fill(self.tr("%1: %2"), name, usb_error(code))
            if result.resend == 1:
                text += "\n" + self.tr(
                    "1 vote to send again (the central office asked for it):"
                    " it goes on the next USB stick."
                )
            elif result.resend:
                #: %1 delivered votes the central collector lost (restored from a backup) and
                #: asked for again in its receipts.
                text += "\n" + fill(
                    self.tr(
                        "%1 votes to send again (the central office asked for them):"
                        " they go on the next USB stick."
                    ),
                    str(result.resend),
                )
            lines.append(text)
        nothing = result.files == 0 and campaign.read is None
        refused = bool(result.refused or campaign.refused)
        self._say("\n".join(lines), "error" if nothing or refused else "ok")
        self.refresh()

    def _campaign_lines(self, campaign: StickCampaign) -> list[str]:
        """What the campaign notices on the stick gave, for the clerk: the campaign read (its
        name, year and Thai days), and each notice file not used and why."""
        lines: list[str] = []
        notice = campaign.read
        if notice is not None:
            #: %1 the campaign's name, %2 its Buddhist-era year, %3 and %4 its first and last
            #: days, e.g. 1 November 2569.
            template = self.tr("Campaign read from the USB stick: %1 (year %2), from %3 to %4.")
            name = notice.name("th" if ui_language() == "th" else "en")
            first, last = day_text(first_day(notice)), day_text(last_day(notice))
            lines.append(fill(template, name, str(notice.year), first, last))
            kept = campaign.kept
            if kept is not None and kept != notice:
                #: %1 is the name of the campaign the kiosk keeps (newer than the stick's).
                text = self.tr("This kiosk already has a newer campaign, and keeps it: %1.")
                lines.append(fill(text, kept.name("th" if ui_language() == "th" else "en")))
        for name in campaign.foreign:
            #: %1 is the file's name, e.g. sangsuk-2570.campaign.json.
            text = self.tr(
                "%1: this campaign file is not from this kiosk's central office and was not used."
            )
            lines.append(fill(text, name))
        for name in campaign.unreadable:
            #: %1 is the file's name, e.g. sangsuk-2570.campaign.json.
            text = self.tr("%1: this campaign file cannot be read and was not used.")
            lines.append(fill(text, name))
        return lines

    def _receipts_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self._show_error(usb_error(exc.code if isinstance(exc, UsbError) else "no_folder"))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.rescan_button, self.folder_button, self.drive_list):
            widget.setEnabled(not busy)
        self._show_plan()

    def _show_error(self, text: str) -> None:
        self._say(text, "error")

    def _say(self, text: str, tone: str) -> None:
        """Show what happened, scrolled into view whole (see eventFilter)."""
        set_message(self.message, text, tone=tone)
        keep_in_view(self.page, self.message)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Keep the message in view whole as it is laid out: after an export from a kiosk not
        enrolled it is long, and on the smallest panel it would end below the page's fold."""
        moved = event.type() in (QEvent.Type.Resize, QEvent.Type.Move)
        if watched is self.message and moved:
            self._keep_message_in_view()
        return super().eventFilter(watched, event)

    def _keep_message_in_view(self) -> None:
        if self.message.isVisible():
            keep_in_view(self.page, self.message)

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.title.setText(self.tr("Export to a USB stick"))
        self.intro.setText(
            self.tr(
                "When the internet is down, carry the votes to the central office on a USB stick."
                " Plug the stick in, choose it, and press Export."
            )
        )
        self.no_drives.setText(
            self.tr("No USB stick found. Plug one in and press Look again, or choose a folder.")
        )
        self.rescan_button.setText(self.tr("Look again"))
        self.folder_button.setText(self.tr("Choose a folder…"))
        self.export_button.setText(self.tr("Export"))
        self.receipts_button.setText(self.tr("Read receipts from the stick"))
        self._show_plan()
