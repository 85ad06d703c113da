"""What `sangsuk-kiosk` says: each subcommand's result (sync/operations.py) as lines to print.

ui/cli.py parses the arguments, calls the function named after the subcommand here and prints
the lines: to standard output when the exit code is 0, else to standard error.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.ledger import LEDGER_FILE_NAME
from sync import operations, usb_enroll
from sync.operations import UploaderFactory, district_named
from sync.uploader import SyncError
from sync.usb import UsbError
from sync.worker import SyncStatus
from wire import keys


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a subcommand did: its exit code and the lines to print."""

    exit_code: int
    lines: tuple[str, ...]


def demo_votes(data_dir: Path, count: int, seed: int | None = None) -> Outcome:
    """Cast count realistic demo votes through the real ledger; refused (exit 2) but in demo mode."""
    if count < 1:
        return Outcome(2, ("--count must be at least 1",))
    try:
        cast = operations.cast_demo_votes(data_dir, count, seed)
    except operations.NotDemoError as exc:
        place = district_named(exc.config.district)
        return Outcome(
            2,
            (
                "ไม่ได้บันทึกผลการประเมินทดลอง: ตู้นี้ตั้งค่าสำหรับอำเภอ"
                f" {district_named(exc.config.district, 'th')} แล้ว"
                f"{' และลงทะเบียนแล้ว' if exc.config.enrolled else ''}"
                " ผลทดลองจะถูกส่งไปนับเป็นผลการประเมินจริงของประชาชน ไม่มีอะไรถูกเขียน"
                " ใช้โฟลเดอร์ข้อมูลว่างแทน (--data-dir DIR)",
                f"No demo votes cast: this kiosk is set up for {place}"
                f"{' and enrolled' if exc.config.enrolled else ''}, so they would be sent and"
                " counted as citizens' votes. Nothing was written. Use an empty data folder"
                " (--data-dir DIR) for demo votes.",
            ),
        )
    return Outcome(
        0,
        (
            f"cast {cast.count} demo votes for district {cast.district}:"
            f" seq {cast.first_seq}-{cast.last_seq}",
        ),
    )


def verify(data_dir: Path) -> Outcome:
    """Check everything stored in the ledger, read-only: exit 0 when sound, 1 naming the fault."""
    found = operations.verify(data_dir)
    if found is None:
        return Outcome(
            1,
            (
                f"no kiosk ledger in {data_dir} (expected {keys.KEY_FILE_NAME} and"
                f" {LEDGER_FILE_NAME})",
            ),
        )
    result, who = found.result, f"kiosk {found.kiosk_id} ({found.fingerprint})"
    if result.ok:
        return Outcome(
            0,
            (
                f"ledger OK: {result.checked} votes; every signature, the chain, every stored"
                " column, the counts, the pending list, every delivery receipt and the schema"
                f" agree, {who}",
                *(f"note: {note}" for note in result.notes),
            ),
        )
    if result.first_bad_seq is not None:
        return Outcome(
            1,
            (
                f"ledger NOT OK at vote {result.first_bad_seq} ({result.where or 'the file'}):"
                f" {result.problem}",
                f"{result.checked} votes before it verified, {who}. Nothing was changed.",
            ),
        )
    return Outcome(
        1,
        (
            f"ledger NOT OK in {result.where or 'the file'}: {result.problem}",
            f"{result.checked} votes verified before that, {who}. Nothing was changed.",
        ),
    )


def enroll(data_dir: Path, collector_url: str, token: str, ca_bundle: str | None = None) -> Outcome:
    """Enroll this kiosk with a collector using a one-time token."""
    done = operations.enroll(data_dir, collector_url, token, ca_bundle=ca_bundle)
    if not done.ok:
        return Outcome(2 if done.code == "bad_url" else 1, done.problem)
    config = done.config
    pinned = done.collector_fingerprint
    lines = [
        f"ลงทะเบียนตู้ {done.fingerprint} กับระบบกลาง {config.collector_url} แล้ว",
        f"Enrolled kiosk {done.fingerprint} with the collector at {config.collector_url}.",
        f"District: {district_named(config.district)}, size group {config.size_group}.",
        f"ลายนิ้วมือกุญแจของระบบกลาง {pinned} ต้องตรงกับที่พิมพ์ในใบลงทะเบียน",
        f"Collector key fingerprint {pinned}: it must match the one on the enrollment sheet;"
        " receipts are trusted only when signed by this key.",
    ]
    if done.demo_votes_set_aside is not None:
        count, path = done.demo_votes_set_aside
        lines.append(
            f"{count} demo votes were set aside in {path.name}; they will never be sent or"
            " counted. The ledger starts again at vote 1."
        )
    return Outcome(0, tuple(lines))


def enroll_request(data_dir: Path, folder: Path, token: str | None = None) -> Outcome:
    """Write the enrollment request to a folder (the stick) for the central office."""
    try:
        written = usb_enroll.export_enroll_request(data_dir, folder, token)
    except UsbError as exc:
        return Outcome(1, (exc.message,))
    return Outcome(
        0,
        (
            f"Wrote the enrollment request of kiosk {written.fingerprint} for district"
            f" {district_named(written.district)} to {written.path}.",
            "Take it to the central office; bring back the answer file it writes beside it and"
            " import it with `sangsuk-kiosk enroll-answer FILE`.",
        ),
    )


def enroll_answer(data_dir: Path, file: Path) -> Outcome:
    """Check the collector's enrollment answer (a file, or the stick it is on) and enroll."""
    try:
        path = usb_enroll.find_answer(file, data_dir) if file.is_dir() else file
        done = usb_enroll.import_enroll_answer(data_dir, path)
    except UsbError as exc:
        return Outcome(1, (exc.message, operations.NOTHING_CHANGED))
    if not done.enrollment.ok:
        return Outcome(1, done.enrollment.problem)
    config = done.enrollment.config
    return Outcome(
        0,
        (
            f"Enrolled kiosk {done.enrollment.fingerprint} by USB.",
            f"District: {district_named(config.district)}, size group {config.size_group}.",
            f"Collector key fingerprint {done.collector_fingerprint}: check that it is the one"
            " printed on the enrollment sheet. If it is not, tell the central office at once.",
        ),
    )


def sync_once(data_dir: Path, make_uploader: UploaderFactory | None = None) -> Outcome:
    """Send every pending vote now; exit 0 when all went through, 1 with the reason if not."""
    outcome = operations.SyncJob(data_dir, make_uploader).run()
    report = outcome.report
    if not outcome.ran:
        assert report.error is not None  # no pass is made only for a reason
        return Outcome(1, (report.error.message,))
    if report.batches == 0 and report.ok:
        return Outcome(0, (f"Nothing to send: all {outcome.delivered} votes are delivered.",))
    lines = [
        f"Sent {report.sent} votes in {report.batches} batches: {report.delivered} newly"
        f" delivered, {outcome.pending} still pending."
    ]
    if report.error is not None:
        return Outcome(1, (*lines, report.error.message))
    return Outcome(0, tuple(lines))


def run_sync(
    data_dir: Path,
    stop: threading.Event | None = None,
    out: Callable[[str], None] = print,
    make_uploader: UploaderFactory | None = None,
) -> Outcome:
    """Run the sync worker in the foreground until ``stop`` is set or Ctrl+C."""

    def started(interval_s: float) -> None:
        out(
            f"Sending votes about every {interval_s:g} s, longer after a failure;"
            " press Ctrl+C to stop."
        )

    def report(status: SyncStatus) -> None:
        if not status.running:
            out(_status_line(status))

    try:
        operations.run_sync_worker(
            data_dir,
            stop or threading.Event(),
            on_start=started,
            on_status=report,
            make_uploader=make_uploader,
        )
    except SyncError as exc:
        return Outcome(1, (exc.message,))
    except KeyboardInterrupt:
        pass
    return Outcome(0, ("Stopped.",))


def _status_line(status: SyncStatus) -> str:
    if status.last_error_message and status.last_attempt != status.last_success:
        return (
            f"{status.pending} pending, {status.delivered} delivered. {status.last_error_message}"
        )
    return (
        f"{status.pending} pending, {status.delivered} delivered; last sync {status.last_success}."
    )


def status(data_dir: Path, as_json: bool = False) -> Outcome:
    """What a clerk or technician needs to know about this kiosk's sending."""
    found = operations.status(data_dir)
    config, counts, state = found.config, found.counts, found.sync
    if as_json:
        info: dict[str, Any] = {
            "kiosk_id": found.kiosk_id,
            "fingerprint": found.fingerprint,
            "district": config.district,
            "size_group": config.size_group,
            "demo": config.demo,
            "enrolled": config.enrolled,
            "collector_url": config.collector_url,
            "total": counts.total,
            "pending": counts.pending,
            "delivered": counts.delivered,
            "last_sync": state.last_success,
            "last_attempt": state.last_attempt,
            "last_error": state.last_error_message,
            "last_error_code": state.last_error_code,
        }
        return Outcome(0, (json.dumps(info, ensure_ascii=False, indent=2),))
    lines = [
        f"Kiosk {found.fingerprint} (id {found.kiosk_id})",
        f"District {district_named(config.district)}"
        + (" (demo)" if config.demo else f", size group {config.size_group or 'unknown'}"),
        f"Collector: {config.collector_url}" if config.enrolled else "Collector: not enrolled",
        f"Votes: {counts.total} in all, {counts.delivered} delivered, {counts.pending} pending",
        f"Last sync: {state.last_success or 'never'}",
    ]
    if state.last_error_message:
        lines.append(f"Last error ({state.last_error_at}): {state.last_error_message}")
    return Outcome(0, tuple(lines))


def export(data_dir: Path, folder: Path) -> Outcome:
    """Write every undelivered vote to folder as verified batch files and a CSV summary."""
    try:
        result, request = usb_enroll.export_with_request(data_dir, folder)
    except UsbError as exc:
        lines = [exc.message]
        if exc.written:
            lines.append(
                f"{len(exc.written)} files were written and checked before that:"
                f" {', '.join(p.name for p in exc.written)}"
            )
        return Outcome(1, tuple(lines))
    if not result.files:
        return Outcome(0, ("Nothing to export: every vote has been delivered.",))
    return Outcome(
        0,
        (
            *(f"wrote and checked {p}" for p in result.files),
            f"wrote {result.summary} (a summary for Excel)",
            # The votes read back from the files written, not the ledger's count of pending
            # votes: the two differ only when the ledger is damaged, and then this is the truth.
            f"Exported {result.votes} votes in {len(result.files)} files to {folder}. They stay"
            " pending until the collector's receipt is imported (sangsuk-kiosk import-receipt"
            " FILE).",
            *_not_enrolled_lines(request),
        ),
    )


def _not_enrolled_lines(request: usb_enroll.RequestWritten | None) -> tuple[str, ...]:
    """What an export from a kiosk not enrolled adds: its request is on the stick too."""
    if request is None:
        return ()
    return (
        f"ตู้นี้ยังไม่ได้ลงทะเบียน: ระบบกลางจะนับผลการประเมินเหล่านี้ได้หลังลงทะเบียนตู้แล้วเท่านั้น"
        f" จึงเขียนคำขอลงทะเบียน {request.path.name} ไว้ในแฟลชไดรฟ์ด้วย",
        f"This kiosk is not enrolled: the collector counts these votes only once it is."
        f" Its enrollment request {request.path} is on the stick too: the central office"
        " imports it with the votes (sangsuk-collector import --token TOKEN, or --approve"
        " OFFICER); then read the answer back (sangsuk-kiosk enroll-answer FOLDER).",
    )


def import_receipt(data_dir: Path, file: Path) -> Outcome:
    """Mark delivered the votes a collector's receipt (from a USB import) accepted."""
    try:
        result = operations.import_receipts(data_dir, [file])
    except UsbError as exc:
        return Outcome(1, (exc.message,))
    if result.refused:
        return Outcome(1, tuple(message for _, _, message in result.refused))
    return Outcome(
        0,
        (
            f"The receipt {file.name} marked {result.marked} votes as delivered;"
            f" {result.pending} still pending.",
        ),
    )
