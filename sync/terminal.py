"""What `sangsuk-kiosk` has to say: each subcommand's result (sync/operations.py) as things said.

ui/cli.py parses the arguments, calls the function named after the subcommand here and hands
the outcome to ui/cli_words.py, which words each thing said in Thai and English (through the
translation files; this layer never imports Qt) and prints it: to standard output when the exit
code is 0, else to standard error. A thing said is a name (``what``) and the values to fill in;
a refusal carries the reason's ``code``, which the clerk's screens word the same way. The
English detail of a refusal goes to the kiosk's log, not to the reader.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.campaign import ShownCampaign, shown_campaign
from kiosk.config import load_config
from kiosk.ledger import LEDGER_FILE_NAME
from sync import operations, usb_enroll
from sync.campaign import StickCampaign, notice_files_in, read_campaign_files, refresh_campaign
from sync.operations import EnrollUploaderFactory, UploaderFactory
from sync.uploader import SyncError
from sync.usb import UsbError
from sync.worker import SyncStatus
from wire import keys
from wire.campaign import CAMPAIGN_FILE_SUFFIX
from wire.clock import SystemClock, thai_day

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Said:
    """One thing a subcommand tells its reader: what (ui/cli_words.py words it) and its values."""

    what: str
    values: Mapping[str, Any] = field(default_factory=dict)


def said(what: str, **values: Any) -> Said:
    """Return Said(what, values), written as a call."""
    return Said(what, values)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a subcommand did: its exit code and the things to tell its reader, in order."""

    exit_code: int
    said: tuple[Said, ...]

    @property
    def whats(self) -> tuple[str, ...]:
        """The names of the things said, in order (for tests and the log)."""
        return tuple(s.what for s in self.said)


def demo_votes(data_dir: Path, count: int, seed: int | None = None) -> Outcome:
    """Cast count realistic demo votes through the real ledger; refused (exit 2) but in demo mode."""
    if count < 1:
        return Outcome(2, (said("count_too_small"),))
    try:
        cast = operations.cast_demo_votes(data_dir, count, seed)
    except operations.NotDemoError as exc:
        return Outcome(
            2,
            (said("demo_refused", district=exc.config.district, enrolled=exc.config.enrolled),),
        )
    return Outcome(
        0,
        (
            said(
                "demo_cast",
                count=cast.count,
                district=cast.district,
                first=cast.first_seq,
                last=cast.last_seq,
            ),
        ),
    )


def verify(data_dir: Path) -> Outcome:
    """Check everything stored in the ledger, read-only: exit 0 when sound, 1 naming the fault."""
    found = operations.verify(data_dir)
    if found is None:
        return Outcome(
            1,
            (
                said(
                    "no_ledger",
                    folder=data_dir,
                    key_file=keys.KEY_FILE_NAME,
                    ledger_file=LEDGER_FILE_NAME,
                ),
            ),
        )
    result = found.result
    who = {"checked": result.checked, "kiosk_id": found.kiosk_id, "fingerprint": found.fingerprint}
    if result.ok:
        return Outcome(
            0, (Said("ledger_ok", who), *(said("verify_note", note=n) for n in result.notes))
        )
    fault = result.fault  # a kind and its facts, for the words in each language
    if result.first_bad_seq is not None:
        bad = said("ledger_bad_at", seq=result.first_bad_seq, where=result.where, fault=fault)
    else:
        bad = said("ledger_bad_in", where=result.where, fault=fault)
    return Outcome(1, (bad, Said("verified_before", who)))


def enroll(
    data_dir: Path,
    collector_url: str,
    token: str,
    ca_bundle: str | None = None,
    make_uploader: EnrollUploaderFactory | None = None,
) -> Outcome:
    """Enroll this kiosk with a collector using a one-time token."""
    done = operations.enroll(
        data_dir, collector_url, token, ca_bundle=ca_bundle, make_uploader=make_uploader
    )
    if not done.ok:
        log.warning("enrolling was refused (%s): %s", done.code, " ".join(done.problem))
        refusal = said(
            "enroll_refused", code=done.code, district=done.config.district, url=collector_url
        )
        return Outcome(2 if done.code == "bad_url" else 1, (refusal,))
    config = done.config
    lines = [
        said("enrolled", fingerprint=done.fingerprint, url=config.collector_url),
        said("district", district=config.district, size_group=config.size_group),
        said("collector_key", fingerprint=done.collector_fingerprint),
    ]
    if done.demo_votes_set_aside is not None:
        count, path = done.demo_votes_set_aside
        lines.append(said("demo_set_aside", count=count, file=path.name))
    return Outcome(0, tuple(lines))


def enroll_request(data_dir: Path, folder: Path, token: str | None = None) -> Outcome:
    """Write the enrollment request to a folder (the stick) for the central office."""
    try:
        written = usb_enroll.export_enroll_request(data_dir, folder, token)
    except UsbError as exc:
        log.warning("the enrollment request was not written (%s): %s", exc.code, exc.message)
        return Outcome(1, (said("request_refused", code=exc.code, folder=folder),))
    return Outcome(
        0,
        (
            said(
                "request_written",
                fingerprint=written.fingerprint,
                district=written.district,
                path=written.path,
            ),
            said("request_next"),
        ),
    )


def enroll_answer(data_dir: Path, file: Path) -> Outcome:
    """Check the collector's enrollment answer (a file, or the stick it is on) and enroll."""
    try:
        path = usb_enroll.find_answer(file, data_dir) if file.is_dir() else file
        done = usb_enroll.import_enroll_answer(data_dir, path)
    except UsbError as exc:
        log.warning("the enrollment answer was refused (%s): %s", exc.code, exc.message)
        return Outcome(1, (said("answer_refused", code=exc.code),))
    enrollment = done.enrollment
    if not enrollment.ok:
        log.warning("enrolling was refused (%s): %s", enrollment.code, " ".join(enrollment.problem))
        return Outcome(
            1, (said("enroll_refused", code=enrollment.code, district=enrollment.config.district),)
        )
    config = enrollment.config
    return Outcome(
        0,
        (
            said("enrolled_by_usb", fingerprint=enrollment.fingerprint),
            said("district", district=config.district, size_group=config.size_group),
            said("collector_key_usb", fingerprint=done.collector_fingerprint),
        ),
    )


def _sync_refused(error: SyncError) -> Said:
    return said("sync_refused", code=error.code, collector_error=error.collector_error)


def campaign_said(campaign: ShownCampaign | None) -> Said:
    """The campaign kept: its names, year, Thai days, where it stands today and when it came."""
    if campaign is None:
        return said("no_campaign")
    notice, heard = campaign.notice, campaign.heard
    return said(
        "campaign",
        year=notice.year,
        name_th=notice.name_th,
        name_en=notice.name_en,
        first=campaign.first_day,
        last=campaign.last_day,
        phase=campaign.phase.value,
        heard_at=heard.at if heard else None,
        heard_from=heard.source if heard else None,
    )


def _campaign_now(data_dir: Path) -> ShownCampaign | None:
    return shown_campaign(data_dir, load_config(data_dir), thai_day(SystemClock().now()))


def sync_once(data_dir: Path, make_uploader: UploaderFactory | None = None) -> Outcome:
    """Send every pending vote now, then ask the collector for its campaign (as the window
    does after a pass); exit 0 when all went through, 1 with the reason if not."""
    outcome = operations.SyncJob(data_dir, make_uploader, check=True).run()
    report = outcome.report
    if not outcome.ran:
        assert report.error is not None  # no pass is made only for a reason
        return Outcome(1, (_sync_refused(report.error),))
    campaign: tuple[Said, ...] = ()
    if report.error is None:  # the collector answered: its campaign is asked for too
        refresh_campaign(data_dir, make_uploader)
        campaign = (campaign_said(_campaign_now(data_dir)),)
    if report.batches == 0 and report.ok:
        held_all = report.checked and report.gaps == 0
        nothing = said("nothing_to_send", delivered=outcome.delivered, checked=held_all)
        return Outcome(0, (nothing, *campaign))
    sent = said(
        "sent",
        sent=report.sent,
        batches=report.batches,
        delivered=report.delivered,
        pending=outcome.pending,
        resent=report.resent,
    )
    if report.error is not None:
        return Outcome(1, (sent, _sync_refused(report.error)))
    return Outcome(0, (sent, *campaign))


def run_sync(
    data_dir: Path,
    stop: threading.Event | None = None,
    out: Callable[[Said], None] = print,
    make_uploader: UploaderFactory | None = None,
) -> Outcome:
    """Run the sync worker in the foreground until ``stop`` is set or Ctrl+C; tell ``out``
    what happens as it happens."""

    def started(interval_s: float) -> None:
        out(said("sync_started", seconds=f"{interval_s:g}"))

    def report(status: SyncStatus) -> None:
        if not status.running:
            out(_status_said(status))

    try:
        operations.run_sync_worker(
            data_dir,
            stop or threading.Event(),
            on_start=started,
            on_status=report,
            make_uploader=make_uploader,
        )
    except SyncError as exc:
        return Outcome(1, (_sync_refused(exc),))
    except KeyboardInterrupt:
        pass
    return Outcome(0, (said("stopped"),))


def _status_said(status: SyncStatus) -> Said:
    counts = {"pending": status.pending, "delivered": status.delivered}
    if status.last_error_code and status.last_attempt != status.last_success:
        return Said("sync_failed_pass", {**counts, "code": status.last_error_code})
    return Said("sync_pass", {**counts, "at": status.last_success})


def status(data_dir: Path, as_json: bool = False) -> Outcome:
    """What a clerk or technician needs to know about this kiosk's sending."""
    found = operations.status(data_dir)
    config, counts, state = found.config, found.counts, found.sync
    if as_json:
        info: dict[str, Any] = {
            "kiosk_id": found.kiosk_id,
            "fingerprint": found.fingerprint,
            "version": found.version,
            "district": config.district,
            "size_group": config.size_group,
            "demo": config.demo,
            "enrolled": config.enrolled,
            "collector_url": config.collector_url,
            "total": counts.total,
            "pending": counts.pending,
            "delivered": counts.delivered,
            "resend": found.resend,
            "last_sync": state.last_success,
            "last_attempt": state.last_attempt,
            "last_error": state.last_error_message,
            "last_error_code": state.last_error_code,
            "campaign": _campaign_json(found.campaign),
        }
        return Outcome(0, (said("json", info=info),))
    lines = [
        said("status_kiosk", fingerprint=found.fingerprint, kiosk_id=found.kiosk_id),
        said("status_version", version=found.version),
        said(
            "status_district",
            district=config.district,
            demo=config.demo,
            size_group=config.size_group,
        ),
        said("status_collector", url=config.collector_url if config.enrolled else None),
        said(
            "status_votes",
            total=counts.total,
            delivered=counts.delivered,
            pending=counts.pending,
        ),
        said("status_last_sync", at=state.last_success),
    ]
    if found.resend:
        lines.insert(-1, said("status_resend", count=found.resend))
    if state.last_error_code:
        lines.append(said("status_last_error", at=state.last_error_at, code=state.last_error_code))
    lines.append(campaign_said(found.campaign))
    return Outcome(0, tuple(lines))


def _campaign_json(campaign: ShownCampaign | None) -> dict[str, Any] | None:
    """The campaign kept, for `status --json` (None: none heard yet)."""
    if campaign is None:
        return None
    notice, heard = campaign.notice, campaign.heard
    return {
        "year": notice.year,
        "name_th": notice.name_th,
        "name_en": notice.name_en,
        "starts_at": notice.starts_at,
        "ends_at": notice.ends_at,
        "first_day": campaign.first_day.isoformat(),
        "last_day": campaign.last_day.isoformat(),
        "phase": campaign.phase.value,  # running, upcoming or ended (on the kiosk's clock)
        "heard_at": heard.at if heard else None,
        "heard_from": heard.source if heard else None,
    }


def export(data_dir: Path, folder: Path) -> Outcome:
    """Write every undelivered vote to folder as verified batch files and a CSV summary."""
    try:
        result, request = usb_enroll.export_with_request(data_dir, folder)
    except UsbError as exc:
        log.warning("the export stopped (%s): %s", exc.code, exc.message)
        lines = [said("export_refused", code=exc.code, folder=folder)]
        if exc.written:
            lines.append(
                said(
                    "written_before",
                    count=len(exc.written),
                    names=", ".join(p.name for p in exc.written),
                )
            )
        return Outcome(1, tuple(lines))
    if not result.files:
        return Outcome(0, (said("nothing_to_export"),))
    return Outcome(
        0,
        (
            *(said("file_written", path=p) for p in result.files),
            said("summary_written", path=result.summary),
            # The votes read back from the files written, not the ledger's count of pending
            # votes: the two differ only when the ledger is damaged, and then this is the truth.
            said(
                "exported",
                votes=result.votes,
                files=len(result.files),
                folder=folder,
                resent=result.resent,
            ),
            *(
                ()
                if request is None  # an enrolled kiosk: the collector counts its votes as they are
                else (said("request_beside_votes", name=request.path.name, path=request.path),)
            ),
        ),
    )


def _stick_campaign_said(found: StickCampaign, data_dir: Path) -> tuple[Said, ...]:
    """What the campaign notices read gave: the campaign kept, and each file not used."""
    lines = [said("campaign_foreign", name=name) for name in found.foreign]
    lines += [said("campaign_unreadable", name=name) for name in found.unreadable]
    if found.read is not None:
        lines.insert(0, campaign_said(_campaign_now(data_dir)))
    return tuple(lines)


def import_receipt(data_dir: Path, file: Path) -> Outcome:
    """Mark delivered the votes a collector's receipt (from a USB import) accepted, and keep
    the central office's campaign notice beside it; or read FILE itself when it is a notice
    (``*.campaign.json``)."""
    if file.name.endswith(CAMPAIGN_FILE_SUFFIX):
        return _import_notice(data_dir, file)
    try:
        result = operations.import_receipts(data_dir, [file])
    except UsbError as exc:
        log.warning("the receipt %s was not read (%s): %s", file, exc.code, exc.message)
        return Outcome(1, (said("receipt_refused", code=exc.code),))
    found = read_campaign_files(data_dir, notice_files_in(file.parent))
    campaign = _stick_campaign_said(found, data_dir)
    if result.refused:
        return Outcome(
            1,
            (
                *(
                    said("receipt_file_refused", name=name, code=code)
                    for name, code, _ in result.refused
                ),
                *campaign,
            ),
        )
    marked = said("receipt_marked", name=file.name, marked=result.marked, pending=result.pending)
    resend = (said("status_resend", count=result.resend),) if result.resend else ()
    # the collector lacks delivered votes (resend): the next stick carries them
    return Outcome(1 if found.refused else 0, (marked, *resend, *campaign))


def _import_notice(data_dir: Path, file: Path) -> Outcome:
    """Keep the campaign notice in file when this kiosk's collector signed it."""
    if not load_config(data_dir).enrolled:
        return Outcome(1, (said("campaign_not_enrolled"),))
    if not file.is_file():
        return Outcome(1, (said("campaign_unreadable", name=file.name),))
    found = read_campaign_files(data_dir, [file])
    return Outcome(1 if found.refused else 0, _stick_campaign_said(found, data_dir))
