"""Signed kiosk updates (issue 17; docs/deploy.md, "Updates"): check, stage, apply, confirm.

The kiosk runs only software the central office signed, never changes version mid-vote, never
goes back, and keeps the previous version to fall back to (DESIGN.md, promise 12). Updates come
from the collector (``<collector URL>/updates``) or a USB stick (``<mount>/sangsuk-updates``),
both the same TUF repository made by `sangsuk-release`; the trusted root ships in the bundle
(kiosk/assets/update_root.json) and is copied to /opt/sangsuk/updates/metadata/ on first use.

What the UI does (it alone knows when no citizen is in the middle of a vote):

1. ``Updates.here()`` once: None when updates are not managed here (``status_here()`` still
   gives a status whose refusal says so).
2. From a worker thread, never the GUI thread: ``check(source)`` -> ``Offer`` or None (up to
   date), ``stage(source)`` -> the staged version (downloaded, verified, unpacked beside the
   running one, self-tested). Both raise ``UpdateError`` whose ``reason`` has the Thai and
   English sentence to show; the running version is untouched either way.
3. Only when the citizen flow is idle at the welcome screen with no unsaved vote:
   ``apply_pending()`` switches ``current`` to the staged version; the UI then closes the ledger
   and exits with code 75 (``RESTART_EXIT_CODE``): the session starts the new version.
4. Once the welcome screen has been shown: ``confirm_healthy()`` (removes ``trial``; if the
   session fell back from a new version, records why, and that version is not offered again).
   A version whose self-test failed at staging is tried once more after 24 hours, and not
   downloaded again once it has failed twice.
5. ``status()`` for the clerk's page: running and pending versions, the last check, the last
   refusal.

Expiry never stops the kiosk: the running version runs forever offline; only *new* updates
signed too long ago are refused, and a stick made by `sangsuk-release stick` carries freshly
signed metadata, so its expiry counts from the day it was made.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from kiosk import update_reasons as reasons
from kiosk.update_fetch import Plan, Session, Source
from kiosk.update_install import (
    InstallPaths,
    is_installation,
    linked_version,
    point,
    prune,
    read_state,
    remove_trial,
    self_test,
    unpack,
    write_state,
    write_trial,
)
from kiosk.update_reasons import Reason, Refusal, UpdateError
from kiosk.version import running_version
from wire.clock import Clock, SystemClock, format_utc, parse_utc
from wire.updates import STICK_FOLDER

INSTALL_ROOT_ENV: Final = "SANGSUK_INSTALL_ROOT"
BUNDLED_ROOT: Final = Path(__file__).resolve().parent / "assets" / "update_root.json"
# Put beside it by deploy/sangsuk-kiosk.spec in a bundle built without it on purpose
# (build.sh --no-update-key, SANGSUK_NO_UPDATE_KEY=1): --self-test then warns instead of failing.
TEST_BUILD_MARKER: Final = BUNDLED_ROOT.with_name("no_update_key")
RESTART_EXIT_CODE: Final = 75  # EX_TEMPFAIL: "I switched current, start me again"
SPACE_MARGIN: Final = 20_000_000
# A version whose self-test failed at staging is tried once more after this long by the
# kiosk's clock (the cause may have passed: a full disk, a stick pulled out), and never after
# its second failure (docs/operations.md, "Updates").
SELF_TEST_RETRY_AFTER: Final = timedelta(hours=24)
SELF_TEST_TRIES: Final = 2
log = logging.getLogger(__name__)

__all__ = [
    "RESTART_EXIT_CODE",
    "Offer",
    "Reason",
    "Refusal",
    "UpdateError",
    "UpdateStatus",
    "Updates",
    "find_install_root",
    "running_version",
    "status_here",
    "stick_source",
]


def find_install_root(executable: Path | None = None) -> Path | None:
    """/opt/sangsuk when this program runs from its versions/<v>/ folder, else None.

    $SANGSUK_INSTALL_ROOT names it instead (tests). A checkout or a plainly copied bundle has
    no versions/ and current beside it: updates are not managed there.
    """
    named = os.environ.get(INSTALL_ROOT_ENV)
    if named:
        root = Path(named)
    else:
        root = (executable or Path(sys.executable)).resolve().parent.parent.parent
    return root if is_installation(root) else None


def stick_source(mount: Path) -> Path:
    """Where a stick mounted at mount carries the update repository."""
    return mount / STICK_FOLDER


@dataclass(frozen=True, slots=True)
class Offer:
    """A newer release found at a source: its version and how much is downloaded for it."""

    version: str
    source: str
    download_bytes: int
    patch: bool  # a patch from the running version rather than the whole archive


@dataclass(frozen=True, slots=True)
class UpdateStatus:
    """What the clerk's update page shows."""

    managed: bool
    running: str
    pending: str | None  # staged and self-tested, waiting for an idle moment
    pending_source: str | None
    last_check_at: str | None  # UTC, wire/clock.py's format
    last_check_th: str | None
    last_check_en: str | None
    last_refusal: Reason | None
    last_refusal_at: str | None


def status_here() -> UpdateStatus:
    """The status on this machine, also where updates are not managed (the refusal says so)."""
    updates = Updates.here()
    if updates is not None:
        return updates.status()
    return UpdateStatus(
        False, running_version(), None, None, None, None, None, reasons.not_managed(), None
    )


class Updates:
    """Updates of the installation at root for the program running version ``running``."""

    def __init__(
        self,
        root: Path,
        running: str | None = None,
        trusted_root: Path = BUNDLED_ROOT,
        clock: Clock | None = None,
    ) -> None:
        """Work on the installation at root; trusted_root is the bundle's TUF root; clock
        dates the checks and the self-test failures (the machine's by default)."""
        self.paths = InstallPaths(root)
        self.running = running or running_version()
        self.trusted_root = trusted_root
        self.clock = clock or SystemClock()

    @classmethod
    def here(cls) -> Updates | None:
        """The updates of this installation, or None when updates are not managed here."""
        root = find_install_root()
        return None if root is None else cls(root)

    # --- the clerk's status ------------------------------------------------------------------

    def status(self) -> UpdateStatus:
        """Running and pending versions, the last check and the last refusal."""
        state = read_state(self.paths)
        pending = state.get("pending") or {}
        check = state.get("last_check") or {}
        refusal = state.get("last_refusal") or {}
        reason = None
        if refusal:
            reason = Reason(Refusal(refusal["kind"]), refusal["th"], refusal["en"])
        version = pending.get("version")
        if version is not None and not self.paths.version_dir(version).is_dir():
            pending = {}  # its folder is gone (pruned, or removed by hand): nothing to apply
        return UpdateStatus(
            managed=True,
            running=self.running,
            pending=pending.get("version"),
            pending_source=pending.get("source"),
            last_check_at=check.get("at"),
            last_check_th=check.get("th"),
            last_check_en=check.get("en"),
            last_refusal=reason,
            last_refusal_at=refusal.get("at"),
        )

    def _record(self, **changes: Any) -> None:
        state = read_state(self.paths)
        state.update(changes)
        write_state(self.paths, state)

    def _refuse(self, reason: Reason) -> UpdateError:
        """Log and record a refusal; the exception to raise."""
        self._note(reason)
        return UpdateError(reason)

    def _note(self, reason: Reason) -> None:
        """Log and record a refusal, also as the last check's result."""
        log.warning("update refused (%s): %s", reason.kind, reason.en)
        now = format_utc(self.clock.now())
        entry = {"kind": str(reason.kind), "th": reason.th, "en": reason.en, "at": now}
        try:
            self._record(
                last_refusal=entry, last_check={"at": now, "th": reason.th, "en": reason.en}
            )
        except OSError as exc:
            log.error("cannot record the refusal: %s", exc)

    # --- check and stage ---------------------------------------------------------------------

    def _session(self, source: str | Path, ca_bundle: str | None) -> Session:
        trusted = self.paths.metadata / "root.json"
        if not trusted.is_file():
            if not self.trusted_root.is_file():
                raise self._refuse(reasons.not_configured())
            self.paths.metadata.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.trusted_root, trusted)  # first use: the bundle's root
            log.info("trusted update root copied from %s", self.trusted_root)
        return Session(self.paths, Source.of(source, ca_bundle, version=self.running))

    def _plan(self, source: str | Path, ca_bundle: str | None) -> tuple[Session, Plan | None]:
        try:
            session = self._session(source, ca_bundle)
            session.refresh()
            plan = session.plan(self.running)
        except UpdateError as refused:
            raise self._refuse(refused.reason) from refused
        except OSError as exc:
            raise self._refuse(reasons.disk(exc, self.paths.root)) from exc
        state = read_state(self.paths)
        if plan is not None and plan.version in state.get("failed_versions", []):
            raise self._refuse(reasons.fell_back(plan.version, self.running))
        failure = _self_test_failures(state).get(plan.version) if plan is not None else None
        if plan is not None and failure is not None:
            retry_at = _retry_at(failure)
            if retry_at is None or _too_soon(self.clock.now(), failure, retry_at):
                raise self._refuse(reasons.self_test_failed_before(plan.version, retry_at))
            log.info("version %s failed its self-test once; trying it once more", plan.version)
        return session, plan

    def check(self, source: str | Path, *, ca_bundle: str | None = None) -> Offer | None:
        """Refresh the signed metadata from source; the newer release offered, or None.

        ``ca_bundle``: the kiosk's certificate file for an https collector (see Source.of).

        Raises UpdateError (recorded and logged) when the metadata does not verify, has
        expired, rolls back, or the newest release is older than the running one.
        """
        session, plan = self._plan(source, ca_bundle)
        now = format_utc(self.clock.now())
        if plan is None:
            th, en = f"เป็นรุ่นล่าสุดแล้ว ({self.running})", f"Up to date ({self.running})."
            offer = None
        else:
            offer = Offer(
                plan.version, session.source.label, plan.download_size, bool(plan.patches)
            )
            th = f"มีรุ่นใหม่ {plan.version} ({plan.download_size / 1e6:.1f} MB)"
            en = f"Version {plan.version} is available ({plan.download_size / 1e6:.1f} MB)."
        self._record(last_check={"at": now, "th": th, "en": en, "source": session.source.label})
        log.info("update check at %s: %s", session.source.label, en)
        return offer

    def stage(self, source: str | Path, *, ca_bundle: str | None = None) -> str | None:
        """Download, verify, unpack and self-test the newest release from source; its version.

        Returns None when up to date. On success the version is recorded as pending (applied
        later by ``apply_pending``). A failed self-test removes the unpacked folder and records
        why; every refusal leaves the running version and ``current`` as they were.
        """
        session, plan = self._plan(source, ca_bundle)
        if plan is None:
            return None
        pending = read_state(self.paths).get("pending") or {}
        if pending.get("version") == plan.version and self.paths.version_dir(plan.version).is_dir():
            return plan.version
        keep = {self.running, plan.version}
        removed = prune(self.paths, keep)  # leftovers of an earlier try make room first
        if pending.get("version") in removed:  # an older staged version, replaced by this one
            log.info("staged version %s removed for %s", pending["version"], plan.version)
            self._record(pending=None)
        need = plan.download_size + plan.archive.length + plan.installed_size + SPACE_MARGIN
        free = shutil.disk_usage(self.paths.root).free
        if free < need:
            raise self._refuse(reasons.no_space(need, free))
        try:
            archive = session.fetch(plan, self.running)
            folder = unpack(archive, self.paths, plan.version)
        except UpdateError as refused:
            raise self._refuse(refused.reason) from refused
        except OSError as exc:
            shutil.rmtree(self.paths.version_dir(plan.version), ignore_errors=True)
            raise self._refuse(reasons.disk(exc, self.paths.root)) from exc
        except Exception as exc:  # a verified archive that does not unpack: say it, keep running
            log.exception("unpacking %s failed", plan.version)
            detail = f"{type(exc).__name__}: {exc}"
            raise self._refuse(reasons.invalid(reasons.Invalid.ARCHIVE, detail)) from exc
        passed, output = self_test(folder)
        if not passed:
            shutil.rmtree(folder, ignore_errors=True)
            self.paths.archive(plan.version).unlink(missing_ok=True)  # its download, too
            raise self._refuse(self._self_test_failed(plan.version, output))
        now = format_utc(self.clock.now())
        self._record(
            pending={"version": plan.version, "source": session.source.label, "at": now},
            last_check={
                "at": now,
                "th": f"เตรียมรุ่น {plan.version} แล้ว: ติดตั้งเมื่อไม่มีผู้ใช้",
                "en": f"Version {plan.version} is ready: it is applied when nobody is voting.",
                "source": session.source.label,
            },
        )
        log.info("version %s staged from %s", plan.version, session.source.label)
        return plan.version

    def _self_test_failed(self, version: str, output: str) -> Reason:
        """Record one more self-test failure of version; the reason to give."""
        state = read_state(self.paths)
        failures = _self_test_failures(state)
        count = int(failures.get(version, {}).get("count", 0)) + 1
        now = self.clock.now()
        failures[version] = {"count": count, "at": format_utc(now)}
        state.pop("self_test_failed_versions", None)  # the older form, folded in
        state["self_test_failures"] = failures
        write_state(self.paths, state)
        retry_at = now + SELF_TEST_RETRY_AFTER if count < SELF_TEST_TRIES else None
        return reasons.self_test_failed(version, output, retry_at)

    # --- apply and confirm -------------------------------------------------------------------

    def apply_pending(self) -> str:
        """Switch ``current`` to the staged version; the UI must then exit with code 75.

        Call only when the citizen flow is idle at the welcome screen with no unsaved vote.
        ``previous`` is pointed at the running version first, then ``trial`` written, then
        ``current`` replaced atomically: a crash at any point leaves a kiosk that starts.
        Raises UpdateError when nothing is staged (nothing changes then).
        """
        state = read_state(self.paths)
        version: str | None = (state.get("pending") or {}).get("version")
        if version is None or not self.paths.version_dir(version).is_dir():
            self._record(pending=None)
            raise self._refuse(reasons.nothing_pending())
        old = linked_version(self.paths.current) or self.running
        try:
            point(self.paths.previous, old)
            write_trial(self.paths, version)
            point(self.paths.current, version)
        except OSError as exc:
            raise self._refuse(reasons.disk(exc, self.paths.root)) from exc
        self._record(pending=None, applied={"version": version, "from": old})
        prune(self.paths, {version, old})
        log.info("version %s applied (previous: %s); restarting", version, old)
        return version

    def confirm_healthy(self) -> None:
        """The welcome screen has shown: this version stays (``trial`` removed).

        If the session fell back from a version applied earlier (it is not the one running),
        that is recorded as the last refusal and the version is not offered again.
        """
        state = read_state(self.paths)
        applied = state.get("applied")
        if applied and applied.get("version") != self.running:
            failed = sorted({*state.get("failed_versions", []), applied["version"]})
            reason = reasons.fell_back(applied["version"], self.running)
            self._record(applied=None, failed_versions=failed)
            self._note(reason)
        elif applied:
            self._record(applied=None)
        if self.paths.trial.exists():
            remove_trial(self.paths)
            log.info("version %s confirmed healthy", self.running)


def _self_test_failures(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each version whose self-test failed here: how often, and when last (UTC, or None).

    The state of an older kiosk lists the versions alone (``self_test_failed_versions``, each
    refused for good): each counts as one failure at an unknown time, so it is tried once more.
    """
    failures: dict[str, dict[str, Any]] = dict(state.get("self_test_failures") or {})
    for version in state.get("self_test_failed_versions") or []:
        failures.setdefault(version, {"count": 1, "at": None})
    return failures


def _retry_at(failure: dict[str, Any]) -> datetime | None:
    """When a version that failed its self-test may be tried again; None: never (it failed
    twice). A failure at an unknown time may be tried now."""
    if int(failure.get("count", 1)) >= SELF_TEST_TRIES:
        return None
    try:
        return parse_utc(str(failure.get("at"))) + SELF_TEST_RETRY_AFTER
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def _too_soon(now: datetime, failure: dict[str, Any], retry_at: datetime) -> bool:
    """Whether the one more try must still wait. A clock set back before the failure (a dead
    battery) cannot tell how long ago it was: the try is not held back then."""
    try:
        failed_at = parse_utc(str(failure.get("at")))
    except ValueError:
        return False
    return failed_at <= now < retry_at
