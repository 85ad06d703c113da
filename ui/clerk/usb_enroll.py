"""Enrollment by USB stick in the clerk's settings: write the request, read the answer.

In its own card, under the collector's. The clerk (with the token from the enrollment
sheet typed in the same "One-time token" field, if there is one) writes the kiosk's signed
enrollment request to the USB stick the drive detector finds (kiosk/drives.py), and later
reads the central office's answer from it (sync/usb_enroll.py, off the GUI thread). Once
enrolled, the settings show the collector key's fingerprint (under the collector's card: this
one folds away with the token) for the clerk to compare with the
one printed on the enrollment sheet: that comparison is what the kiosk's trust in its first
collector key rests on (docs/protocol.md 5.8).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout

from kiosk.config import KioskConfig, load_config
from kiosk.drives import DriveDetector
from sync.usb import UsbError
from sync.usb_enroll import (
    AnswerImport,
    RequestWritten,
    export_enroll_request,
    find_answer,
    import_enroll_answer,
)
from ui.clerk.text import enroll_error, usb_enroll_error
from ui.clerk.widgets import ClerkPage, set_message
from ui.i18n import fill
from ui.tasks import Progress, TaskRunner
from ui.widgets.buttons import TouchButton


class UsbEnrollment(QObject):
    """The request and answer buttons, their message, and the work behind them."""

    enrolled = Signal(object, str)  # the new KioskConfig, and what to tell the clerk

    def __init__(
        self,
        page: ClerkPage,
        data_dir: Path,
        runner: TaskRunner,
        drives: DriveDetector,
        token: Callable[[], str],
    ) -> None:
        super().__init__(page)
        self._data_dir = data_dir
        self._runner = runner
        self._drives = drives
        self._token = token
        self.title: QLabel = page.label("cardTitle")
        self.explain: QLabel = page.label("cardText")
        self.request_button: TouchButton = page.button("writeEnrollRequest")
        self.answer_button: TouchButton = page.button("readEnrollAnswer")
        self.message: QLabel = page.label("clerkMessage")
        self.request_button.clicked.connect(self.write_request)
        self.answer_button.clicked.connect(self.read_answer)
        set_message(self.message, "")
        self.retranslate_ui()

    def add_to(self, box: QVBoxLayout) -> None:
        """Lay the part out in its card."""
        box.addWidget(self.title)
        box.addWidget(self.explain)
        box.addWidget(self.request_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.answer_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.message)

    def clear(self) -> None:
        """Forget the last message (the screen is shown afresh)."""
        set_message(self.message, "")

    def _stick(self) -> Path | None:
        try:
            found = self._drives()
        except OSError:
            found = []
        if not found:
            set_message(
                self.message,
                self.tr("No USB stick was found. Plug one in and try again."),
                tone="error",
            )
            return None
        return found[0].path

    def _busy(self, busy: bool) -> None:
        self.request_button.setEnabled(not busy)
        self.answer_button.setEnabled(not busy)

    def write_request(self) -> None:
        """Write the signed enrollment request to the stick (off the GUI thread)."""
        stick = self._stick()
        if stick is None:
            return
        data_dir, token = self._data_dir, "".join(self._token().split()) or None
        self._busy(True)
        set_message(self.message, self.tr("Writing to the USB stick…"), tone="info")

        def job(_progress: Progress) -> RequestWritten:
            return export_enroll_request(data_dir, stick, token)

        self._runner.submit(job, self._written, self._failed)

    def _written(self, written: RequestWritten) -> None:
        self._busy(False)
        #: %1 is the request's file name on the stick, %2 the kiosk's fingerprint.
        text = self.tr(
            "The enrollment request %1 is on the USB stick (kiosk %2). Send the stick to the"
            " central office; when it comes back, tap \u201cRead the answer\u201d."
        )
        set_message(self.message, fill(text, written.path.name, written.fingerprint), tone="ok")

    def read_answer(self) -> None:
        """Check the central office's answer on the stick and enroll (off the GUI thread)."""
        stick = self._stick()
        if stick is None:
            return
        data_dir = self._data_dir
        self._busy(True)
        set_message(self.message, self.tr("Reading the answer…"), tone="info")

        def job(_progress: Progress) -> tuple[AnswerImport, KioskConfig]:
            done = import_enroll_answer(data_dir, find_answer(stick, data_dir))
            return done, load_config(data_dir)

        self._runner.submit(job, self._read, self._failed)

    def _read(self, result: tuple[AnswerImport, KioskConfig]) -> None:
        done, config = result
        self._busy(False)
        if not done.enrollment.ok:
            set_message(self.message, enroll_error(done.enrollment.code), tone="error")
            return
        set_message(self.message, "")
        #: %1 is the collector key's fingerprint, e.g. 8E1B-0C55-3A7F-92D4.
        text = self.tr(
            "Enrolled by USB stick. The central collector's key fingerprint is %1: check that"
            " it is exactly the one printed on the enrollment sheet. If it is not, call the"
            " central office at once."
        )
        self.enrolled.emit(config, fill(text, done.collector_fingerprint))

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        code = exc.code if isinstance(exc, UsbError) else "internal"
        set_message(self.message, usb_enroll_error(code), tone="error")

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.title.setText(self.tr("No internet? Enrol by USB stick"))
        self.explain.setText(
            self.tr(
                "Type the token above if you have one, plug in a USB stick and write the"
                " enrollment request to it. The central office writes its answer on the stick;"
                " read it here to enrol."
            )
        )
        self.request_button.setText(self.tr("Write the request to the stick"))
        self.answer_button.setText(self.tr("Read the answer"))
