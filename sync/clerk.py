"""What the clerk's screens do, without Qt: finish setup, enroll, sync now, export, receipts.

Each function does its work where it is called; the UI calls them on a worker thread and shows
the result. They open their own ledger connection (the ledger allows several; the citizen
screens' connection stays open), except ``complete_setup`` on a demo kiosk, which moves the
demo ledger aside and so needs every other connection closed first.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.commands import Outcome
from kiosk.config import KioskConfig, load_config, save_config
from kiosk.ledger import Ledger
from kiosk.pin import PinStore
from kiosk.roster import Roster, RosterError, load_roster
from kiosk.setup import SetupAnswers
from sync.commands import enroll, set_aside_demo_votes
from sync.uploader import SyncError, Uploader, uploader_for
from sync.usb import UsbError, import_receipt
from sync.usb_export import ExportResult, ProgressCallback, export_with_summary
from sync.worker import SyncReport, SyncService
from wire import keys
from wire.clock import Clock, SystemClock
from wire.stick import RECEIPT_SUFFIX

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SetupResult:
    """What finishing setup did: the new settings, demo votes set aside, how enrolling went."""

    config: KioskConfig
    demo_votes_set_aside: int
    enroll: Outcome | None  # None: not asked to enroll now


def complete_setup(
    data_dir: Path,
    answers: SetupAnswers,
    pins: PinStore,
    *,
    clock: Clock | None = None,
    make_uploader: Callable[[str, str | None], Uploader] | None = None,
) -> SetupResult:
    """Save the wizard's answers: demo votes aside, the district, the PIN, then maybe enroll.

    The ledger must be closed everywhere else when the kiosk is still in demo mode (its demo
    votes are moved aside, as enrolling does). Raises OSError or sqlite3.Error if that fails,
    and PinError if the PIN cannot be set (a PIN is already set, or the disk refuses it);
    either way the settings are not changed. A failed enrollment does not undo setup: the
    kiosk runs offline and can enroll later.
    """
    clock = clock or SystemClock()
    config = load_config(data_dir)
    key = keys.load_or_create(data_dir)
    aside = 0
    if config.demo:
        moved = set_aside_demo_votes(data_dir, key, clock)
        aside = moved[0] if moved else 0
    pins.set_first(answers.pin)
    new = config.with_changes(
        district=answers.district,
        demo=False,
        default_language=answers.default_language,
        collector_url=answers.collector_url or config.collector_url,
    )
    save_config(data_dir, new)
    log.info("the kiosk was set up for district %s", answers.district)
    outcome: Outcome | None = None
    if answers.enroll_now and answers.collector_url and answers.token:
        outcome = enroll(
            data_dir, answers.collector_url, answers.token, clock=clock, make_uploader=make_uploader
        )
        new = load_config(data_dir)
    return SetupResult(new, aside, outcome)


def enroll_now(
    data_dir: Path,
    collector_url: str,
    token: str,
    *,
    make_uploader: Callable[[str, str | None], Uploader] | None = None,
) -> Outcome:
    """Enroll from the settings screen (the kiosk is set up, so no ledger is moved)."""
    return enroll(data_dir, collector_url, token, make_uploader=make_uploader)


def _roster(data_dir: Path) -> Roster:
    try:
        return load_roster(data_dir)
    except RosterError as exc:
        log.error("the roster cannot be read for the CSV summary: %s", exc)
        return Roster()


def export_to(
    data_dir: Path, folder: Path, on_progress: ProgressCallback | None = None
) -> ExportResult:
    """Export the undelivered votes to folder with the CSV summary; raise UsbError on failure."""
    config = load_config(data_dir)
    if config.demo:
        raise UsbError("demo", "This kiosk is still in demo mode: set it up before exporting")
    key = keys.load_or_create(data_dir)
    with Ledger.open(data_dir, key) as ledger:
        result = export_with_summary(
            ledger, key, config.district, folder, config.batch_size, _roster(data_dir), on_progress
        )
    if result.files and hasattr(os, "sync"):
        os.sync()  # every file was fsynced; this asks the system to flush everything else too
    return result


@dataclass(frozen=True, slots=True)
class ReceiptImport:
    """Receipts read from a folder: votes newly marked delivered, and the files refused."""

    marked: int
    files: int
    refused: tuple[tuple[str, str, str], ...]  # (file name, code, message)


def import_receipts_in(data_dir: Path, folder: Path) -> ReceiptImport:
    """Import every ``*.receipt.json`` in folder; raise UsbError when the kiosk is not enrolled."""
    config = load_config(data_dir)
    collector_key = config.collector_public_key
    if not config.enrolled or collector_key is None:
        raise UsbError(
            "not_enrolled",
            "This kiosk is not enrolled, so it cannot check a receipt's signature",
        )
    try:
        found = sorted(p for p in folder.iterdir() if p.name.endswith(RECEIPT_SUFFIX))
    except OSError as exc:
        raise UsbError(
            "no_folder", f"The folder {folder} cannot be read: {exc.strerror or exc}"
        ) from exc
    key = keys.load_or_create(data_dir)
    marked = 0
    refused: list[tuple[str, str, str]] = []
    with Ledger.open(data_dir, key) as ledger:
        for path in found:
            try:
                marked += import_receipt(ledger, path, collector_key, key.kiosk_id)
            except UsbError as exc:
                log.warning("the receipt %s was refused (%s): %s", path, exc.code, exc.message)
                refused.append((path.name, exc.code, exc.message))
    return ReceiptImport(marked, len(found), tuple(refused))


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    """A "sync now" pass: what it did and the counts afterwards."""

    report: SyncReport
    pending: int
    delivered: int


class SyncJob:
    """One "sync now" pass that another thread may cancel."""

    def __init__(
        self, data_dir: Path, make_uploader: Callable[[KioskConfig], Uploader] | None = None
    ) -> None:
        """Prepare a pass for the kiosk in data_dir."""
        self.data_dir = data_dir
        self._make_uploader = make_uploader or uploader_for
        self._lock = threading.Lock()
        self._service: SyncService | None = None
        self._cancelled = False

    def run(self, on_progress: ProgressCallback | None = None) -> SyncOutcome:
        """Send every pending vote; progress is (votes sent so far, votes pending at the start)."""
        config = load_config(self.data_dir)
        if not config.enrolled:
            error = SyncError("not_enrolled", "This kiosk is not enrolled with a collector yet")
            return SyncOutcome(SyncReport(error=error), -1, -1)
        key = keys.load_or_create(self.data_dir)
        try:
            uploader = self._make_uploader(config)
        except SyncError as exc:
            return SyncOutcome(SyncReport(error=exc), -1, -1)
        with uploader, Ledger.open(self.data_dir, key) as ledger:
            service = SyncService(ledger, uploader, self.data_dir, batch_size=config.batch_size)
            with self._lock:
                self._service = service
                if self._cancelled:
                    service.cancel()
            start = ledger.counts().pending

            def progress() -> None:
                if on_progress is not None:
                    on_progress(max(0, start - ledger.counts().pending), start)

            if on_progress is not None:
                on_progress(0, start)
            report = service.sync_once(on_progress=progress)
            counts = ledger.counts()
        with self._lock:
            self._service = None
        return SyncOutcome(report, counts.pending, counts.delivered)

    def cancel(self) -> None:
        """Stop waiting between retries (the window is closing)."""
        with self._lock:
            self._cancelled = True
            if self._service is not None:
                self._service.cancel()
