"""Batches on a USB stick, for district offices without a network, and the receipts that return.

A batch file holds exactly the bytes the kiosk would POST (promise 6), so the collector's
``import`` treats it like a network batch. A file is reported as exported only after it was
written under a temporary name, flushed and fsynced, renamed, its folder fsynced, and then read
back and checked (signatures, chain, hash, and exactly the intended seqs). A failed write leaves
no file that looks like a batch.

The receipt the collector writes next to the file (``<stem>.receipt.json``) marks votes
delivered only when its signature verifies against the collector key pinned at enrollment,
and only for votes this kiosk holds with exactly the bytes that batch carried. Like a receipt
over the network, it also tells the kiosk which delivered votes the collector is missing (after
a restore from a backup): those go on the re-send list (kiosk/resend.py) and onto the next stick.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.drives import is_writable_folder
from kiosk.ledger import Ledger
from kiosk.resend import learn_missing, resend_accepted
from kiosk.syncstate import archive_receipt
from sync.batcher import Batch, deliverable, outgoing_batches
from wire.batch import check_batch, votes_hash
from wire.canonical import canonical_json
from wire.clock import format_utc
from wire.files import fsync_dir
from wire.keys import DeviceKey
from wire.receipt import Receipt, check_receipt
from wire.stick import BATCH_SUFFIX, PARTIAL_SUFFIX
from wire.vote import Vote, parse_json_object

MAX_RECEIPT_BYTES: Final = 1024 * 1024
# What a write to a write-protected stick (its lock switch, or mounted read-only) fails with.
_READ_ONLY_ERRNOS: Final = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
log = logging.getLogger(__name__)


class UsbError(Exception):
    """Export or import failed. ``code`` names the reason; the message is for a clerk."""

    def __init__(self, code: str, message: str, written: list[Path] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.written = written or []


def batch_file_name(district: str, kiosk_id: str, first_seq: int, last_seq: int) -> str:
    """The file name of a batch: sangsuk-<district>-<kiosk id, 8>-<first, 8>-<last, 8>.batch.json."""
    return f"sangsuk-{district}-{kiosk_id[:8]}-{first_seq:08d}-{last_seq:08d}{BATCH_SUFFIX}"


def export_batches(
    ledger: Ledger,
    key: DeviceKey,
    district: str,
    folder: Path,
    batch_size: int,
    made_at: Callable[[], str] | None = None,
    on_batch: Callable[[Path, Batch, list[Vote]], None] | None = None,
) -> list[Path]:
    """Write every undelivered vote, and every vote to send again, as verified batch files.

    Returns the files written. ``on_batch`` is called after each file is written and verified, with its path, the batch
    and the votes read back from it (for progress and the CSV summary).
    """
    check_folder(folder)
    stamp = made_at or (lambda: format_utc(ledger.clock.now()))
    written: list[Path] = []
    for batch in outgoing_batches(ledger, key.private_key, batch_size, stamp):
        path = folder / batch_file_name(district, key.kiosk_id, batch.first_seq, batch.last_seq)
        try:
            _write_batch_file(path, batch.data)
            votes = _read_back(path, batch)
        except UsbError as exc:
            exc.written = list(written)
            raise
        written.append(path)
        log.info("exported votes %d-%d to %s", batch.first_seq, batch.last_seq, path)
        if on_batch is not None:
            on_batch(path, batch, votes)
    return written


def check_folder(folder: Path) -> None:
    """Raise UsbError unless files can be written in folder: ``no_folder`` when it is not
    there (the stick is out), ``read_only`` when it cannot be written (write-protected)."""
    if not folder.is_dir():
        raise UsbError(
            "no_folder", f"The folder {folder} does not exist: check that the USB stick is in"
        )
    if not is_writable_folder(folder):
        raise UsbError(
            "read_only",
            f"The folder {folder} cannot be written to: the USB stick is write-protected (check"
            " its lock switch) or read-only. Nothing was written; the votes are still on this"
            " kiosk",
        )


def write_durably(path: Path, data: bytes) -> None:
    """Write to a temporary name, fsync, rename, fsync the folder; raise OSError on failure.

    On any failure neither the temporary file nor the new file is left behind: a file whose
    durability is not known (the rename was not made durable) must not look complete.
    """
    tmp = path.with_name(path.name + PARTIAL_SUFFIX)
    renamed = False
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        renamed = True
        fsync_dir(path.parent)
    except OSError:
        _remove(tmp)
        if renamed:
            _remove(path)
        raise


def _write_batch_file(path: Path, data: bytes) -> None:
    try:
        write_durably(path, data)
    except OSError as exc:
        reason = "the USB stick is full" if exc.errno == errno.ENOSPC else (exc.strerror or exc)
        raise UsbError(
            "read_only" if exc.errno in _READ_ONLY_ERRNOS else "write_failed",
            f"The batch file {path.name} could not be written to {path.parent}: {reason}."
            " No incomplete file was left; the votes are still on this kiosk",
        ) from exc


def _read_back(path: Path, batch: Batch) -> list[Vote]:
    """Read the file back (bypassing the page cache where possible), check it fully, return its votes."""
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            if hasattr(os, "posix_fadvise"):  # ask for the bytes on the stick, not in memory
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            chunks = []
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(fd)
        data = b"".join(chunks)
    except OSError as exc:
        _remove(path)
        raise UsbError(
            "verify_failed",
            f"The batch file {path.name} could not be read back ({exc.strerror or exc}); it was"
            " removed. The votes are still on this kiosk: try another USB stick",
        ) from exc
    check = check_batch(data)
    seqs = tuple(v.seq for v in check.votes)
    if data != batch.data or not check.ok or seqs != batch.seqs:
        _remove(path)
        problem = check.summary() or "the bytes read back differ from those written"
        raise UsbError(
            "verify_failed",
            f"The batch file {path.name} did not read back correctly ({problem}); it was"
            " removed. The votes are still on this kiosk: try another USB stick",
        )
    return check.votes


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def import_receipt(
    ledger: Ledger, file: Path, collector_key: Ed25519PublicKey, kiosk_id: str
) -> int:
    """Mark delivered what a collector's receipt for a USB batch accepted; return how many."""
    try:
        with open(file, "rb") as f:
            data = f.read(MAX_RECEIPT_BYTES + 1)
    except OSError as exc:
        raise UsbError(
            "unreadable", f"The receipt file {file} cannot be read: {exc.strerror or exc}"
        ) from exc
    if len(data) > MAX_RECEIPT_BYTES:
        raise UsbError("not_a_receipt", f"The file {file.name} is too large to be a receipt")
    check = check_receipt(data, collector_key, kiosk_id)
    if not check.ok or check.receipt is None:
        first = check.problems[0]
        if first.code == "bad_receipt_signature":
            message = (
                f"The receipt {file.name} was not signed by the collector this kiosk enrolled"
                " with: nothing was marked as delivered"
            )
        elif first.code == "wrong_kiosk":
            message = f"The receipt {file.name} is for another kiosk: nothing was marked"
        else:
            message = f"The file {file.name} is not a valid receipt ({first.message})"
        raise UsbError(first.code, message)
    seqs = _batch_seqs(ledger, check.receipt, file)
    ranges = deliverable(check.receipt, seqs)
    marked = 0
    if ranges:
        # Archive the canonical bytes (one line, as the collector signs them), whatever the
        # file's layout: the signature covers the content, not the whitespace.
        canonical = canonical_json(parse_json_object(data, "receipt"))
        marked = ledger.mark_delivered(ranges, archive_receipt(ledger.path.parent, canonical))
        resend_accepted(ledger.path.parent, ranges)
    learn_missing(ledger, check.receipt)
    return marked


def _batch_seqs(ledger: Ledger, receipt: Receipt, file: Path) -> set[int]:
    """The seqs of the batch the receipt answers, after checking this kiosk made that batch.

    A receipt names its batch by votes_hash. The batch's seqs are the run from the lowest to
    the highest seq the receipt accepted or found in conflict; recomputing votes_hash from this
    kiosk's own stored votes proves the collector holds exactly these bytes.
    """
    named = receipt.accepted_seqs() | set(receipt.conflicts)
    if not named:
        return set()
    first, last = min(named), max(named)
    if receipt.batch is None or last > ledger.head()[0]:
        raise UsbError(
            "wrong_batch",
            f"The receipt {file.name} names votes this kiosk does not have: nothing was marked",
        )
    hashes = [ledger.vote(seq).hash() for seq in range(first, last + 1)]
    if votes_hash(hashes) != receipt.batch:
        raise UsbError(
            "wrong_batch",
            f"The receipt {file.name} answers a batch with other votes than this kiosk's"
            f" votes {first}-{last}: nothing was marked",
        )
    return set(range(first, last + 1))
