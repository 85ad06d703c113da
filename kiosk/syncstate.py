"""What the kiosk remembers about sending votes: the last sync, the last error, the receipts.

Two small files in the data folder, apart from the ledger (which holds only votes and their
delivery marks):

* ``sync-state.json`` — the last attempt, the last success and the last error, for the clerk's
  status line, and when the collector last answered with a receipt (which tells when the next
  check-in is due, sync/worker.py). It is advice, not data: a damaged file is logged and read as "never synced".
  It is replaced atomically, so a crash leaves the old file or the new one.
* ``receipts.jsonl`` — every signed receipt on which votes were marked delivered, one per line,
  appended and fsynced *before* the votes are marked. The ledger's delivery rows name a receipt
  by its id (``sha256:`` and the hash of its bytes), so each mark can be traced to the
  collector's signature and checked again later against the pinned key (``sangsuk-kiosk verify``
  does). Both files are owner-only (``0600``), as every file in the data folder.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Final

from wire.files import PRIVATE_FILE_MODE, make_private_dir, write_atomically

SYNC_STATE_FILE_NAME: Final = "sync-state.json"
RECEIPTS_FILE_NAME: Final = "receipts.jsonl"
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SyncState:
    """The outcome of the latest sync attempts; times are protocol timestamps (UTC)."""

    last_attempt: str | None = None
    last_success: str | None = None
    last_error_at: str | None = None
    last_error_code: str | None = None
    last_error_message: str | None = None
    last_receipt: str | None = None  # when a signed receipt last came back (any batch)

    def answered(self, at: str) -> SyncState:
        """Return the state after a pass in which the collector answered with a receipt at ``at``."""
        return replace(self, last_receipt=at)

    def succeeded(self, at: str) -> SyncState:
        """Return the state after a sync that finished without error at ``at``."""
        return replace(
            self,
            last_attempt=at,
            last_success=at,
            last_error_at=None,
            last_error_code=None,
            last_error_message=None,
        )

    def failed(self, at: str, code: str, message: str) -> SyncState:
        """Return the state after a sync that stopped with an error at ``at``."""
        return replace(
            self,
            last_attempt=at,
            last_error_at=at,
            last_error_code=code,
            last_error_message=message,
        )


def load_sync_state(data_dir: Path) -> SyncState:
    """Read the sync state; a missing or damaged file reads as "never synced" (it is advice)."""
    path = data_dir / SYNC_STATE_FILE_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return SyncState()
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.warning("the sync state file %s cannot be read (%s); treating it as empty", path, exc)
        return SyncState()
    if not isinstance(raw, dict):
        log.warning("the sync state file %s does not hold an object; treating it as empty", path)
        return SyncState()
    values = {
        f.name: raw[f.name]
        for f in fields(SyncState)
        if isinstance(raw.get(f.name), str) or raw.get(f.name) is None
    }
    return SyncState(**values)


def save_sync_state(data_dir: Path, state: SyncState) -> None:
    """Write the sync state atomically (a unique temporary file, fsynced, then renamed)."""
    make_private_dir(data_dir)
    path = data_dir / SYNC_STATE_FILE_NAME
    write_atomically(path, json.dumps(asdict(state), indent=2).encode("utf-8"))


def receipt_id(data: bytes) -> str:
    """The id a delivery mark names its receipt by: ``sha256:`` and the hash of its bytes."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def archive_receipt(data_dir: Path, data: bytes) -> str:
    """Append a signed receipt (one line of canonical JSON) durably; return its id."""
    if b"\n" in data:
        raise ValueError("a receipt to archive must be one line of canonical JSON")
    make_private_dir(data_dir)
    fd = os.open(
        data_dir / RECEIPTS_FILE_NAME, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE_MODE
    )
    try:
        view = memoryview(data + b"\n")
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    return receipt_id(data)


def archived_receipts(data_dir: Path) -> dict[str, bytes]:
    """Every archived receipt by its id (for audits and tests)."""
    try:
        lines = (data_dir / RECEIPTS_FILE_NAME).read_bytes().splitlines()
    except FileNotFoundError:
        return {}
    return {receipt_id(line): line for line in lines if line}
