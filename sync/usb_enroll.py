"""Enrollment by USB on the kiosk: write the request to a stick, read the collector's answer.

The clerk exports a request file (wire/enrollment.py) signed by the kiosk's key, naming the
district chosen in setup and, if the clerk typed it, the token from the enrollment sheet. A
copy stays in the data folder: an answer is accepted only if it answers that very request
(so an old answer, or one made for another request, is refused as replayed), names this
kiosk's key, and is signed by the collector key it names, which the kiosk then pins, as
enrolling over the network does (sync/operations.apply_enrollment).

What the kiosk trusts. It has no collector key before its first enrollment, so the answer's
signature alone proves only that it was not altered since the holder of that key signed it.
The link to the real collector is the clerk: the enrollment sheet prints the collector key's
fingerprint, and the kiosk shows the fingerprint of the key it pinned for the clerk to compare
(docs/protocol.md 5.8). A kiosk that already has a collector key refuses an answer signed by
another.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kiosk.config import load_config
from sync.operations import Enrollment, apply_enrollment, export_to
from sync.usb import UsbError
from sync.usb_export import ExportResult, ProgressCallback
from wire import keys
from wire.clock import Clock, SystemClock, format_utc
from wire.enrollment import (
    MAX_ENROLL_FILE_BYTES,
    EnrollFileError,
    check_answer,
    read_request,
    sign_request,
)
from wire.files import fsync_dir, write_atomically
from wire.keys import fingerprint_for
from wire.stick import ENROLL_ANSWER_SUFFIX, enroll_request_name

PENDING_REQUEST_FILE: Final = "enroll-request.json"
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RequestWritten:
    """The request file written to the stick, and this kiosk's fingerprint to note."""

    path: Path
    district: str
    fingerprint: str


def export_enroll_request(
    data_dir: Path, folder: Path, token: str | None = None, clock: Clock | None = None
) -> RequestWritten:
    """Write a signed enrollment request to folder (the stick); keep a copy to check the answer.

    Raises UsbError when the kiosk is still in demo mode (no district chosen yet) or the stick
    cannot be written; then the copy of an earlier request is kept as it was.
    """
    config = load_config(data_dir)
    if config.demo:
        raise UsbError(
            "demo",
            "This kiosk is still in demo mode: choose its district in setup first, then export"
            " the enrollment request.",
        )
    key = keys.load_or_create(data_dir)
    token = " ".join(token.split()) if token and token.strip() else None
    made_at = format_utc((clock or SystemClock()).now())
    data = sign_request(key.private_key, config.district, token, made_at)
    path = _write_request(folder / enroll_request_name(config.district, key.kiosk_id), data)
    write_atomically(data_dir / PENDING_REQUEST_FILE, data)
    fsync_dir(data_dir)
    log.info("wrote the enrollment request %s for district %s", path, config.district)
    return RequestWritten(path, config.district, key.fingerprint)


def request_beside_votes(data_dir: Path, folder: Path) -> RequestWritten | None:
    """For a kiosk not enrolled, its enrollment request on the stick its votes were written to.

    The collector counts a kiosk's votes only once it is enrolled, and its import enrolls the
    kiosk of a request on the stick first (docs/operations.md). The request already written
    (with the clerk's token, from Settings) goes again, byte for byte, so that the answer to it
    is still the one this kiosk accepts; without one, a new request without a token is written
    (the officer types the token or approves it). None for an enrolled kiosk.
    """
    config = load_config(data_dir)
    if config.enrolled or config.demo:
        return None
    key = keys.load_or_create(data_dir)
    try:
        earlier = (data_dir / PENDING_REQUEST_FILE).read_bytes()
        request = read_request(earlier)
    except (OSError, EnrollFileError):
        return export_enroll_request(data_dir, folder)
    if request.public_key != key.public_key_raw.hex() or request.district != config.district:
        return export_enroll_request(data_dir, folder)
    path = _write_request(folder / enroll_request_name(config.district, key.kiosk_id), earlier)
    log.info("wrote the enrollment request %s again beside the votes", path)
    return RequestWritten(path, config.district, key.fingerprint)


def export_with_request(
    data_dir: Path, folder: Path, on_progress: ProgressCallback | None = None
) -> tuple[ExportResult, RequestWritten | None]:
    """Export the votes (operations.export_to) and, from a kiosk not enrolled, its request
    beside them (request_beside_votes). A request that cannot be written raises UsbError
    naming the batch files already written and checked."""
    result = export_to(data_dir, folder, on_progress)
    if not result.files:
        return result, None
    try:
        return result, request_beside_votes(data_dir, folder)
    except UsbError as exc:
        exc.written = list(result.files)
        raise


def _write_request(path: Path, data: bytes) -> Path:
    try:
        write_atomically(path, data)
        if hasattr(os, "sync"):
            os.sync()
    except OSError as exc:
        raise UsbError(
            "write_failed",
            f"The enrollment request could not be written to {path.parent}:"
            f" {exc.strerror or exc}. Check the stick and try again.",
        ) from exc
    return path


def request_pending(data_dir: Path) -> bool:
    """Tell whether an enrollment request was written to a stick and awaits its answer."""
    return (data_dir / PENDING_REQUEST_FILE).is_file()


@dataclass(frozen=True, slots=True)
class AnswerImport:
    """How importing an answer went: the enrollment, and the collector key's fingerprint."""

    enrollment: Enrollment
    collector_fingerprint: str


def find_answer(folder: Path, data_dir: Path) -> Path:
    """The answer file on the stick for this kiosk's request; UsbError when there is none."""
    key = keys.load_or_create(data_dir)
    config = load_config(data_dir)
    name = enroll_request_name(config.district, key.kiosk_id).replace(
        ".request.json", ENROLL_ANSWER_SUFFIX
    )
    path = folder / name
    if not path.is_file():
        raise UsbError(
            "no_answer",
            f"There is no enrollment answer for this kiosk ({name}) in {folder}: has the"
            " central office imported the request yet?",
        )
    return path


def import_enroll_answer(data_dir: Path, path: Path, clock: Clock | None = None) -> AnswerImport:
    """Check the collector's answer file and enroll: pin its key, take district and size group.

    Raises UsbError (nothing changed) when the file cannot be read, when no request was
    exported from this kiosk, and when the answer is refused: ``bad_signature`` (altered, or not
    signed by the key it names), ``wrong_kiosk`` (another kiosk's, or an older key's),
    ``wrong_collector`` (not the collector already pinned), ``stale_answer`` (an answer to
    another request: replayed) and ``malformed``/``not_answer``.
    """
    config = load_config(data_dir)
    key = keys.load_or_create(data_dir)
    try:
        request = (data_dir / PENDING_REQUEST_FILE).read_bytes()
    except FileNotFoundError:
        raise UsbError(
            "no_request",
            "This kiosk has not written an enrollment request, so it expects no answer:"
            " export the request first.",
        ) from None
    try:
        with path.open("rb") as f:
            data = f.read(MAX_ENROLL_FILE_BYTES + 1)
    except OSError as exc:
        raise UsbError(
            "unreadable", f"The answer file {path} cannot be read: {exc.strerror or exc}"
        ) from exc
    try:
        answer = check_answer(
            data,
            key.public_key_raw.hex(),
            pinned_collector_key=config.collector_key if config.enrolled else None,
            request=request,
        )
    except EnrollFileError as exc:
        log.warning("the enrollment answer %s was refused (%s): %s", path, exc.code, exc.message)
        raise UsbError(exc.code, f"The enrollment answer was refused: {exc.message}.") from exc
    done = apply_enrollment(
        data_dir,
        config,
        key,
        district=answer.district,
        size_group=answer.size_group,
        collector_key=answer.collector_key,
        collector_url=config.collector_url,
        ca_bundle=config.ca_bundle,
        clock=clock or SystemClock(),
    )
    return AnswerImport(done, fingerprint_for(bytes.fromhex(answer.collector_key)))
