"""What the kiosk can be asked to do without a window: one function per operation.

The clerk's screens call these on a worker thread and show the results in Thai and English
(ui/clerk/); `sangsuk-kiosk` prints them (sync/terminal.py). Each returns a typed result. A
failure carries a ``code`` naming the reason, which the screens translate, and a message in
English for the terminal and the log: inside the result when the screens expect one (enrolling,
sending), else as the error raised (UsbError, PinError …). Each opens its own ledger connection
(the ledger allows several; the citizen screens' stays open), except where a demo kiosk's votes
are set aside (enrolling, finishing setup): the demo ledger is moved then, so every other
connection must be closed first.
"""

from __future__ import annotations

import logging
import os
import random
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.campaign import ShownCampaign, shown_campaign
from kiosk.config import ConfigError, KioskConfig, load_config, place_of, save_config
from kiosk.demo import random_ballot
from kiosk.ledger import LEDGER_FILE_NAME, Counts, Ledger
from kiosk.ledger_verify import VerifyResult, verify_ledger
from kiosk.pin import PinStore
from kiosk.resend import resend_count
from kiosk.roster import Roster, RosterError, load_roster
from kiosk.setup import SetupAnswers
from kiosk.syncstate import SyncState, load_sync_state
from kiosk.version import running_version
from sync.enroll_reply import ReplyProblem, read_reply
from sync.uploader import SyncError, Uploader, uploader_for
from sync.usb import UsbError, import_receipt
from sync.usb_export import ExportResult, ProgressCallback, export_with_summary
from sync.worker import SyncReport, SyncService, SyncStatus, SyncWorker
from wire import keys
from wire.clock import Clock, SystemClock, thai_day
from wire.files import fsync_dir
from wire.stick import RECEIPT_SUFFIX

DEMO_LEDGER_PREFIX: Final = "demo-ledger-"
ENROLL_FIRST: Final = "enroll it with `sangsuk-kiosk enroll --collector URL --token TOKEN`"
NOTHING_CHANGED: Final = "Nothing was changed on this kiosk."
log = logging.getLogger(__name__)

UploaderFactory = Callable[[KioskConfig], Uploader]
EnrollUploaderFactory = Callable[[str, str | None], Uploader]  # (collector URL, CA bundle)


def district_named(district: str, language: str = "en") -> str:
    """Return "3706 Hua Taphan, Amnat Charoen" (or in Thai "3706 หัวตะพาน จังหวัดอำนาจเจริญ")
    for a district code; the code when unknown."""
    try:
        place = place_of(district)
    except ConfigError:
        return district
    if language == "th":
        return f"{district} {place.district_th} จังหวัด{place.province_th}"
    return f"{district} {place.district_en}, {place.province_en}"


# --- demo votes and verify ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DemoVotes:
    """Demo votes cast: how many, for which district, and the seqs they got."""

    count: int
    district: str
    first_seq: int
    last_seq: int


class NotDemoError(Exception):
    """Demo votes refused: the kiosk has been set up for its district (or enrolled), so they
    would be sent to the collector and counted as citizens' votes."""

    def __init__(self, config: KioskConfig) -> None:
        super().__init__(
            f"this kiosk is set up for district {config.district}"
            + (" and enrolled" if config.enrolled else "")
        )
        self.config = config


def cast_demo_votes(
    data_dir: Path, count: int, seed: int | None = None, chunk: int = 1000
) -> DemoVotes:
    """Cast count realistic demo votes through the real ledger, in durable chunks.

    Only on a kiosk still in demo mode (no district set up, not enrolled): anywhere else they
    would be real votes to the collector. Raises NotDemoError then, before anything is written.
    """
    if count < 1:
        raise ValueError(f"count must be at least 1, not {count}")
    config = load_config(data_dir)
    if not config.demo or config.enrolled:
        log.warning("demo votes refused: %s", NotDemoError(config))
        raise NotDemoError(config)
    key = keys.load_or_create(data_dir)
    rng = random.Random(seed)
    with Ledger.open(data_dir, key) as ledger:
        first = ledger.head()[0] + 1
        left = count
        while left:
            n = min(chunk, left)
            ledger.cast_many([random_ballot(rng, config.district) for _ in range(n)])
            left -= n
        last = ledger.head()[0]
    return DemoVotes(count, config.district, first, last)


@dataclass(frozen=True, slots=True)
class Verification:
    """What verify found in the ledger, and the kiosk whose key it checked the votes with."""

    result: VerifyResult
    kiosk_id: str
    fingerprint: str


def verify(data_dir: Path) -> Verification | None:
    """Check everything stored in the ledger, read-only; None when data_dir holds no kiosk."""
    key_path = data_dir / keys.KEY_FILE_NAME
    if not key_path.exists() or not (data_dir / LEDGER_FILE_NAME).exists():
        return None
    key = keys.load(key_path)
    result = verify_ledger(data_dir / LEDGER_FILE_NAME, key.public_key_raw)
    return Verification(result, key.kiosk_id, key.fingerprint)


# --- status --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KioskStatus:
    """What a clerk or technician needs to know about this kiosk's sending."""

    kiosk_id: str
    fingerprint: str
    config: KioskConfig
    counts: Counts
    sync: SyncState
    version: str  # the program's version, which the sender names to the collector
    resend: int = 0  # delivered votes the collector asked for again (kiosk/resend.py)
    campaign: ShownCampaign | None = None  # the campaign kept, where it stands today


def status(data_dir: Path, clock: Clock | None = None) -> KioskStatus:
    """Return this kiosk's identity, settings, vote counts, latest sync attempts and the
    campaign kept (where it stands on the Thai day of ``clock``, the machine's by default)."""
    config = load_config(data_dir)
    key = keys.load_or_create(data_dir)
    with Ledger.open(data_dir, key) as ledger:
        counts = ledger.counts()
    return KioskStatus(
        key.kiosk_id,
        key.fingerprint,
        config,
        counts,
        load_sync_state(data_dir),
        running_version(),
        resend_count(data_dir),
        shown_campaign(data_dir, config, thai_day((clock or SystemClock()).now())),
    )


# --- enrolling and setup ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Enrollment:
    """How enrolling went, and the kiosk's settings afterwards.

    ``code`` is empty when the kiosk is enrolled. Otherwise it names the reason for the clerk's
    screens, ``problem`` says it in words, and nothing else on the kiosk was changed.
    """

    code: str
    problem: tuple[str, ...]
    config: KioskConfig
    fingerprint: str
    demo_votes_set_aside: tuple[int, Path] | None = None  # (votes, the file they are in)

    @property
    def ok(self) -> bool:
        """True when the kiosk is enrolled."""
        return not self.code

    @property
    def collector_fingerprint(self) -> str:
        """The pinned collector key's short fingerprint, as the token sheet prints it ("" when
        no key is pinned): the clerk compares the two."""
        key = self.config.collector_key
        return keys.fingerprint_for(bytes.fromhex(key)) if key else ""


def enroll(
    data_dir: Path,
    collector_url: str,
    token: str,
    *,
    ca_bundle: str | None = None,
    clock: Clock | None = None,
    make_uploader: EnrollUploaderFactory | None = None,
) -> Enrollment:
    """Enroll this kiosk with a collector using a one-time token; pin the collector's key.

    The district and size group come from the collector. A demo kiosk's votes are set aside
    (never sent, never counted) and the ledger starts again at vote 1. A kiosk already set up
    for one district refuses a token for another and changes nothing. The ledger must not be
    open elsewhere while a demo kiosk enrolls (close the kiosk window first).
    """
    clock = clock or SystemClock()
    config = load_config(data_dir)
    key = keys.load_or_create(data_dir)

    def refused(code: str, *problem: str) -> Enrollment:
        return Enrollment(code, problem, config, key.fingerprint)

    ca_bundle = str(Path(ca_bundle).resolve()) if ca_bundle is not None else config.ca_bundle
    try:
        config.with_changes(collector_url=collector_url.rstrip("/"))
    except ConfigError:
        return refused(
            "bad_url",
            "ที่อยู่ระบบกลางต้องขึ้นต้นด้วย http:// หรือ https:// ไม่มีอะไรเปลี่ยน",
            f"The collector address must start with http:// or https://, not {collector_url!r}."
            " Nothing was changed.",
        )
    try:
        uploader = (make_uploader or _enroll_uploader)(collector_url, ca_bundle)
        with uploader:
            answer = uploader.enroll(
                token, key.public_key_raw.hex(), None if config.demo else config.district
            )
    except SyncError as exc:
        return refused(exc.collector_error or exc.code, exc.message, NOTHING_CHANGED)
    enrollment = read_reply(
        answer, key.public_key_raw.hex(), config.collector_key if config.enrolled else None
    )
    if isinstance(enrollment, ReplyProblem):
        return refused(enrollment.code, enrollment.message, NOTHING_CHANGED)
    district, size_group, collector_key = enrollment
    return apply_enrollment(
        data_dir,
        config,
        key,
        district=district,
        size_group=size_group,
        collector_key=collector_key,
        collector_url=collector_url.rstrip("/"),
        ca_bundle=ca_bundle,
        clock=clock,
    )


def apply_enrollment(
    data_dir: Path,
    config: KioskConfig,
    key: keys.DeviceKey,
    *,
    district: str,
    size_group: str,
    collector_key: str,
    collector_url: str | None,
    ca_bundle: str | None,
    clock: Clock,
) -> Enrollment:
    """Enroll with what a checked answer says: pin the key, take the district and size group.

    Refused (nothing changed) when the kiosk is set up for another district or its demo votes
    cannot be set aside. Shared by the network and the USB paths (sync/usb_enroll.py).
    """

    def refused(code: str, *problem: str) -> Enrollment:
        return Enrollment(code, problem, config, key.fingerprint)

    if not config.demo and config.district != district:
        return refused(
            "wrong_district",
            f"This kiosk is set up for district {district_named(config.district)}, but the"
            f" token is for district {district_named(district)}.",
            "Nothing was changed on this kiosk. The collector has recorded this kiosk under"
            f" district {district}: ask the central office to revoke that and to issue a"
            f" token for district {config.district}.",
        )
    aside = None
    if config.demo:
        try:
            aside = set_aside_demo_votes(data_dir, key, clock)
        except (OSError, sqlite3.Error) as exc:
            return refused(
                "ledger_busy",
                f"The demo votes could not be set aside ({exc}): close the kiosk window and"
                " enroll again with the same token.",
                "Nothing else was changed on this kiosk.",
            )
    new = config.with_changes(
        collector_url=collector_url,
        collector_key=collector_key,
        district=district,
        size_group=size_group,
        enrolled=True,
        demo=False,
        ca_bundle=ca_bundle,
    )
    save_config(data_dir, new)
    log.info("enrolled kiosk %s for district %s with %s", key.kiosk_id, district, collector_url)
    return Enrollment("", (), new, key.fingerprint, aside)


def _enroll_uploader(url: str, ca_bundle: str | None) -> Uploader:
    return Uploader(url, None, ca_bundle=ca_bundle)


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


@dataclass(frozen=True, slots=True)
class SetupResult:
    """What finishing setup did: the new settings, demo votes set aside, how enrolling went."""

    config: KioskConfig
    demo_votes_set_aside: int
    enroll: Enrollment | None  # None: not asked to enroll now


def complete_setup(
    data_dir: Path,
    answers: SetupAnswers,
    pins: PinStore,
    *,
    clock: Clock | None = None,
    make_uploader: EnrollUploaderFactory | None = None,
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
    if answers.enroll_now and answers.collector_url and answers.token:
        enrollment = enroll(
            data_dir, answers.collector_url, answers.token, clock=clock, make_uploader=make_uploader
        )
        return SetupResult(enrollment.config, aside, enrollment)
    return SetupResult(new, aside, None)


# --- sending -------------------------------------------------------------------------------


def _sender(
    data_dir: Path, make_uploader: UploaderFactory | None
) -> tuple[KioskConfig, keys.DeviceKey, Uploader]:
    """The settings, key and an uploader of an enrolled kiosk; SyncError when it cannot send."""
    config = load_config(data_dir)
    if not config.enrolled:
        raise SyncError(
            "not_enrolled", f"This kiosk is not enrolled with a collector yet: {ENROLL_FIRST}."
        )
    key = keys.load_or_create(data_dir)
    return config, key, (make_uploader or uploader_for)(config)


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    """A "sync now" pass: what it did and the counts afterwards (-1 when no pass was made)."""

    report: SyncReport
    pending: int
    delivered: int

    @property
    def ran(self) -> bool:
        """True when a pass was made (the kiosk is enrolled and had an uploader)."""
        return self.pending >= 0


class SyncJob:
    """One "sync now" pass that another thread may cancel."""

    def __init__(
        self,
        data_dir: Path,
        make_uploader: UploaderFactory | None = None,
        *,
        check: bool | None = None,
    ) -> None:
        """Prepare a pass for the kiosk in data_dir.

        ``check``: True when someone asked for this pass (it checks in with the collector if
        there is nothing else to send), None when the schedule did (it checks in once a day).
        """
        self.data_dir = data_dir
        self._make_uploader = make_uploader
        self._check = check
        self._lock = threading.Lock()
        self._service: SyncService | None = None
        self._cancelled = False

    def run(self, on_progress: ProgressCallback | None = None) -> SyncOutcome:
        """Send every pending vote; progress is (votes sent so far, votes pending at the start)."""
        try:
            config, key, uploader = _sender(self.data_dir, self._make_uploader)
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
            report = service.sync_once(on_progress=progress, check=self._check)
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


def run_sync_worker(
    data_dir: Path,
    stop: threading.Event,
    *,
    on_start: Callable[[float], None],
    on_status: Callable[[SyncStatus], None],
    make_uploader: UploaderFactory | None = None,
) -> None:
    """Send votes in the background until stop is set; raise SyncError if the kiosk cannot send.

    on_start gets the seconds between passes once the worker starts; on_status every status.
    """
    config, key, uploader = _sender(data_dir, make_uploader)
    with uploader, Ledger.open(data_dir, key) as ledger:
        service = SyncService(ledger, uploader, data_dir, batch_size=config.batch_size)
        worker = SyncWorker(service, config.sync_interval_s, on_status=on_status)
        on_start(config.sync_interval_s)
        worker.start()
        try:
            while not stop.wait(0.5):
                pass
        finally:
            worker.stop()


# --- USB -------------------------------------------------------------------------------------


def _summary_roster(data_dir: Path) -> Roster:
    try:
        return load_roster(data_dir)
    except RosterError as exc:  # the votes still go out; only the names in the CSV are missing
        log.error("the roster cannot be read for the CSV summary: %s", exc)
        return Roster()


def export_to(
    data_dir: Path, folder: Path, on_progress: ProgressCallback | None = None
) -> ExportResult:
    """Write every undelivered vote to folder as verified batch files and a CSV summary.

    Raises UsbError when the kiosk is in demo mode or the stick fails (``written`` then names
    the complete files). The votes stay pending until the collector's receipt comes back.
    """
    config = load_config(data_dir)
    if config.demo:
        raise UsbError(
            "demo",
            "This kiosk is still in demo mode: its votes are demo votes and are not exported."
            " Set the kiosk up for its district first.",
        )
    key = keys.load_or_create(data_dir)
    roster = _summary_roster(data_dir)
    with Ledger.open(data_dir, key) as ledger:
        result = export_with_summary(
            ledger, key, config.district, folder, config.batch_size, roster, on_progress
        )
    if result.files and hasattr(os, "sync"):
        os.sync()  # every file was fsynced; this asks the system to flush everything else too
    return result


@dataclass(frozen=True, slots=True)
class ReceiptImport:
    """Receipts read: votes newly marked delivered, files read and refused, votes still pending."""

    marked: int
    files: int
    refused: tuple[tuple[str, str, str], ...]  # (file name, code, message)
    pending: int
    resend: int = 0  # votes the collector asked for again, for the next stick (kiosk/resend.py)


def _trusted_collector(data_dir: Path) -> Ed25519PublicKey:
    config = load_config(data_dir)
    if not config.enrolled or config.collector_public_key is None:
        raise UsbError(
            "not_enrolled",
            "This kiosk is not enrolled, so it has no collector key to check a receipt"
            f" against and cannot trust it: {ENROLL_FIRST}.",
        )
    return config.collector_public_key


def _import(
    data_dir: Path, collector_key: Ed25519PublicKey, files: Sequence[Path]
) -> ReceiptImport:
    key = keys.load_or_create(data_dir)
    marked = 0
    refused: list[tuple[str, str, str]] = []
    with Ledger.open(data_dir, key) as ledger:
        for path in files:
            try:
                marked += import_receipt(ledger, path, collector_key, key.kiosk_id)
            except UsbError as exc:
                log.warning("the receipt %s was refused (%s): %s", path, exc.code, exc.message)
                refused.append((path.name, exc.code, exc.message))
        pending = ledger.counts().pending
    return ReceiptImport(marked, len(files), tuple(refused), pending, resend_count(data_dir))


def import_receipts(data_dir: Path, files: Sequence[Path]) -> ReceiptImport:
    """Mark delivered what each collector's receipt accepted; a file refused is named in the result.

    Raises UsbError when the kiosk is not enrolled (it has no key to check a receipt with).
    """
    return _import(data_dir, _trusted_collector(data_dir), files)


def import_receipts_in(data_dir: Path, folder: Path) -> ReceiptImport:
    """Import every ``*.receipt.json`` in folder; raise UsbError when that cannot begin."""
    collector_key = _trusted_collector(data_dir)
    try:
        found = sorted(p for p in folder.iterdir() if p.name.endswith(RECEIPT_SUFFIX))
    except OSError as exc:
        raise UsbError(
            "no_folder", f"The folder {folder} cannot be read: {exc.strerror or exc}"
        ) from exc
    return _import(data_dir, collector_key, found)
