"""The kiosk's sync commands without a window: enroll, sync, status, export, import-receipt.

Each returns an ``Outcome`` (exit code and lines to print), so ui/cli.py only parses arguments
and the Qt settings screen can call the same functions.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any, Final

from kiosk.commands import Outcome
from kiosk.config import (
    ConfigError,
    KioskConfig,
    load_config,
    place_of,
    save_config,
)
from kiosk.ledger import LEDGER_FILE_NAME, Ledger
from kiosk.roster import Roster, RosterError, load_roster
from kiosk.syncstate import load_sync_state
from sync.uploader import SyncError, Uploader, uploader_for
from sync.usb import UsbError
from sync.usb import import_receipt as usb_import_receipt
from sync.usb_export import export_with_summary
from sync.worker import SyncService, SyncStatus, SyncWorker
from wire import keys
from wire.clock import Clock, SystemClock
from wire.districts import SIZE_GROUPS, valid_district
from wire.files import fsync_dir

DEMO_LEDGER_PREFIX: Final = "demo-ledger-"
ENROLL_FIRST: Final = "enroll it with `sangsuk-kiosk enroll --collector URL --token TOKEN`"
log = logging.getLogger(__name__)

UploaderFactory = Callable[[KioskConfig], Uploader]


# --- enroll ----------------------------------------------------------------------------------


def enroll(
    data_dir: Path,
    collector_url: str,
    token: str,
    *,
    ca_bundle: str | None = None,
    clock: Clock | None = None,
    make_uploader: Callable[[str, str | None], Uploader] | None = None,
) -> Outcome:
    """Enroll this kiosk with a collector using a one-time token; pin the collector's key.

    The district and size group come from the collector. A demo kiosk's votes are set aside
    (never sent, never counted) and the ledger starts again at vote 1. A kiosk already set up
    for one district refuses a token for another and changes nothing. The ledger must not be
    open elsewhere (close the kiosk window first).
    """
    clock = clock or SystemClock()
    config = load_config(data_dir)
    key = keys.load_or_create(data_dir)
    ca_bundle = str(Path(ca_bundle).resolve()) if ca_bundle is not None else config.ca_bundle
    try:
        config.with_changes(collector_url=collector_url.rstrip("/"))
    except ConfigError as exc:
        return Outcome(2, (str(exc),), "bad_url")
    try:
        uploader = (make_uploader or _default_enroll_uploader)(collector_url, ca_bundle)
        with uploader:
            answer = uploader.enroll(
                token, key.public_key_raw.hex(), None if config.demo else config.district
            )
    except SyncError as exc:
        return Outcome(
            1, (exc.message, "Nothing was changed on this kiosk."), exc.collector_error or exc.code
        )
    enrollment = _read_enrollment(answer, key.kiosk_id)
    if isinstance(enrollment, str):
        return Outcome(1, (enrollment, "Nothing was changed on this kiosk."), "bad_response")
    district, size_group, collector_key = enrollment
    if not config.demo and config.district != district:
        return Outcome(
            1,
            (
                f"This kiosk is set up for district {_place_text(config.district)}, but the"
                f" token is for district {_place_text(district)}.",
                "Nothing was changed on this kiosk. The collector has recorded this kiosk under"
                f" district {district}: ask the central office to revoke that and to issue a"
                f" token for district {config.district}.",
            ),
            "wrong_district",
        )
    lines: list[str] = []
    if config.demo:
        try:
            aside = set_aside_demo_votes(data_dir, key, clock)
        except (OSError, sqlite3.Error) as exc:
            return Outcome(
                1,
                (
                    f"The demo votes could not be set aside ({exc}): close the kiosk window and"
                    " enroll again with the same token.",
                    "Nothing else was changed on this kiosk.",
                ),
                "ledger_busy",
            )
        if aside is not None:
            count, path = aside
            lines.append(
                f"{count} demo votes were set aside in {path.name}; they will never be sent or"
                " counted. The ledger starts again at vote 1."
            )
    new = config.with_changes(
        collector_url=collector_url.rstrip("/"),
        collector_key=collector_key,
        district=district,
        size_group=size_group,
        enrolled=True,
        demo=False,
        ca_bundle=ca_bundle,
    )
    save_config(data_dir, new)
    log.info("enrolled kiosk %s for district %s with %s", key.kiosk_id, district, collector_url)
    return Outcome(
        0,
        (
            f"Enrolled kiosk {key.fingerprint} with the collector at {new.collector_url}.",
            f"District: {_place_text(district)}, size group {size_group}.",
            f"Receipts will be trusted only when signed by collector key {collector_key}.",
            *lines,
        ),
    )


def _default_enroll_uploader(url: str, ca_bundle: str | None) -> Uploader:
    return Uploader(url, None, ca_bundle=ca_bundle)


def _read_enrollment(answer: dict[str, Any], kiosk_id: str) -> tuple[str, str, str] | str:
    """(district, size group, collector key hex) from the collector's answer, or what is wrong."""
    district, group, key = (
        answer.get("district"),
        answer.get("size_group"),
        answer.get("collector_key"),
    )
    if answer.get("kiosk") != kiosk_id:
        return "The collector's answer names another kiosk: enrollment was not completed."
    if not isinstance(district, str) or not valid_district(district):
        return f"The collector's answer names an unknown district ({district!r})."
    if group not in SIZE_GROUPS or not isinstance(group, str):
        return f"The collector's answer names an unknown size group ({group!r})."
    try:
        KioskConfig(collector_key=key)
    except ConfigError:
        return "The collector's answer does not carry a valid collector key."
    assert isinstance(key, str)  # checked by KioskConfig
    return district, group, key


def _place_text(district: str) -> str:
    try:
        place = place_of(district)
    except ConfigError:
        return district
    return f"{district} {place.district_en}, {place.province_en}"


def set_aside_demo_votes(
    data_dir: Path, key: keys.DeviceKey, clock: Clock
) -> tuple[int, Path] | None:
    """Move a demo ledger that holds votes aside; return (votes, new path), or None if empty.

    Raises OSError when the ledger is open elsewhere (close it first) and sqlite3.Error.
    """
    path = data_dir / LEDGER_FILE_NAME
    if not path.exists():
        return None
    with Ledger.open(data_dir, key, clock) as ledger:
        count = ledger.counts().total
    if count == 0:
        return None
    # Make the file self-contained (no -wal beside it) and prove nobody else has it open:
    # leaving WAL mode needs the only connection.
    conn = sqlite3.connect(path, timeout=1.0, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = str(conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]).lower()
    finally:
        conn.close()
    if mode != "delete":
        raise OSError("the ledger is open in another program")
    stamp = clock.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = data_dir / f"{DEMO_LEDGER_PREFIX}{stamp}.sqlite3"
    n = 1
    while target.exists():
        n += 1
        target = data_dir / f"{DEMO_LEDGER_PREFIX}{stamp}-{n}.sqlite3"
    os.replace(path, target)
    for suffix in ("-wal", "-shm", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    fsync_dir(data_dir)
    log.warning("set %d demo votes aside in %s", count, target)
    return count, target


# --- sync --------------------------------------------------------------------------------


def _enrolled(data_dir: Path) -> KioskConfig | Outcome:
    config = load_config(data_dir)
    if not config.enrolled:
        return Outcome(1, (f"This kiosk is not enrolled with a collector yet: {ENROLL_FIRST}.",))
    return config


def sync_once(data_dir: Path, make_uploader: UploaderFactory | None = None) -> Outcome:
    """Send every pending vote now; exit 0 when all went through, 1 with the reason if not."""
    config = _enrolled(data_dir)
    if isinstance(config, Outcome):
        return config
    key = keys.load_or_create(data_dir)
    try:
        uploader = (make_uploader or uploader_for)(config)
    except SyncError as exc:
        return Outcome(1, (exc.message,))
    with uploader, Ledger.open(data_dir, key) as ledger:
        service = SyncService(ledger, uploader, data_dir, batch_size=config.batch_size)
        report = service.sync_once()
        counts = ledger.counts()
    if report.batches == 0 and report.ok:
        return Outcome(0, (f"Nothing to send: all {counts.delivered} votes are delivered.",))
    lines = [
        f"Sent {report.sent} votes in {report.batches} batches: {report.delivered} newly"
        f" delivered, {counts.pending} still pending."
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
    config = _enrolled(data_dir)
    if isinstance(config, Outcome):
        return config
    key = keys.load_or_create(data_dir)
    try:
        uploader = (make_uploader or uploader_for)(config)
    except SyncError as exc:
        return Outcome(1, (exc.message,))
    stop = stop or threading.Event()

    def report(status: SyncStatus) -> None:
        if not status.running:
            out(_status_line(status))

    with uploader, Ledger.open(data_dir, key) as ledger:
        service = SyncService(ledger, uploader, data_dir, batch_size=config.batch_size)
        worker = SyncWorker(service, config.sync_interval_s, on_status=report)
        out(f"Sending votes every {config.sync_interval_s:g} s; press Ctrl+C to stop.")
        worker.start()
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            worker.stop()
    return Outcome(0, ("Stopped.",))


def _status_line(status: SyncStatus) -> str:
    if status.last_error_message and status.last_attempt != status.last_success:
        return (
            f"{status.pending} pending, {status.delivered} delivered. {status.last_error_message}"
        )
    return (
        f"{status.pending} pending, {status.delivered} delivered; last sync {status.last_success}."
    )


# --- status ------------------------------------------------------------------------------


def status(data_dir: Path, as_json: bool = False) -> Outcome:
    """What a clerk or technician needs to know about this kiosk's sending."""
    config = load_config(data_dir)
    key = keys.load_or_create(data_dir)
    with Ledger.open(data_dir, key) as ledger:
        counts = ledger.counts()
    state = load_sync_state(data_dir)
    info: dict[str, Any] = {
        "kiosk_id": key.kiosk_id,
        "fingerprint": key.fingerprint,
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
    if as_json:
        return Outcome(0, (json.dumps(info, ensure_ascii=False, indent=2),))
    lines = [
        f"Kiosk {key.fingerprint} (id {key.kiosk_id})",
        f"District {_place_text(config.district)}"
        + (" (demo)" if config.demo else f", size group {config.size_group or 'unknown'}"),
        f"Collector: {config.collector_url}" if config.enrolled else "Collector: not enrolled",
        f"Votes: {counts.total} in all, {counts.delivered} delivered, {counts.pending} pending",
        f"Last sync: {state.last_success or 'never'}",
    ]
    if state.last_error_message:
        lines.append(f"Last error ({state.last_error_at}): {state.last_error_message}")
    return Outcome(0, tuple(lines))


# --- USB ---------------------------------------------------------------------------------


def export(data_dir: Path, folder: Path) -> Outcome:
    """Write every undelivered vote to folder as verified batch files and a CSV summary."""
    config = load_config(data_dir)
    if config.demo:
        return Outcome(
            1,
            (
                "This kiosk is still in demo mode: its votes are demo votes and are not exported."
                " Set the kiosk up for its district first.",
            ),
        )
    key = keys.load_or_create(data_dir)
    try:
        roster = load_roster(data_dir)
    except RosterError as exc:  # the votes still go out; only the names in the CSV are missing
        log.error("the roster cannot be read for the CSV summary: %s", exc)
        roster = Roster()
    with Ledger.open(data_dir, key) as ledger:
        try:
            result = export_with_summary(
                ledger, key, config.district, folder, config.batch_size, roster
            )
            files = list(result.files)
        except UsbError as exc:
            lines = [exc.message]
            if exc.written:
                lines.append(
                    f"{len(exc.written)} files were written and checked before that:"
                    f" {', '.join(p.name for p in exc.written)}"
                )
            return Outcome(1, tuple(lines))
    if not files:
        return Outcome(0, ("Nothing to export: every vote has been delivered.",))
    return Outcome(
        0,
        (
            *(f"wrote and checked {p}" for p in files),
            f"wrote {result.summary} (a summary for Excel)",
            # The votes read back from the files written, not the ledger's count of pending
            # votes: the two differ only when the ledger is damaged, and then this is the truth.
            f"Exported {result.votes} votes in {len(files)} files to {folder}. They stay pending until"
            " the collector's receipt is imported (sangsuk-kiosk import-receipt FILE).",
        ),
    )


def import_receipt(data_dir: Path, file: Path) -> Outcome:
    """Mark delivered the votes a collector's receipt (from a USB import) accepted."""
    config = load_config(data_dir)
    collector_key = config.collector_public_key
    if not config.enrolled or collector_key is None:
        return Outcome(
            1,
            (
                "This kiosk is not enrolled, so it has no collector key to check a receipt"
                f" against and cannot trust it: {ENROLL_FIRST}.",
            ),
        )
    key = keys.load_or_create(data_dir)
    with Ledger.open(data_dir, key) as ledger:
        try:
            added = usb_import_receipt(ledger, file, collector_key, key.kiosk_id)
        except UsbError as exc:
            return Outcome(1, (exc.message,))
        pending = ledger.counts().pending
    return Outcome(
        0, (f"The receipt {file.name} marked {added} votes as delivered; {pending} still pending.",)
    )
