"""Taking in one checked batch, the same way whether it came over the network or on a stick.

Promise 6: the network and the USB stick carry the same signed batch, and the collector treats
both alike. So there is one intake: a batch that failed its checks is refused with an audit row
and nothing of it is stored; one that passed is stored (each vote exactly once, conflicts
quarantined; the store may still refuse it, e.g. a revoked kiosk, and audits that too); and
the receipt of what is held is signed with the collector's key. ``POST /api/v1/batches``
(routes/api.py) and `sangsuk-collector import` (cli/stick_import.py) both call ``take_batch``
and only say the outcome in their own words.

Checking is left to the caller, because the server checks in worker processes off the event
loop (checking.py) while the import checks in its own process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from collector.store import IngestResult, StoreError
from wire.batch import BatchCheck
from wire.receipt import Problem, sign_receipt

if TYPE_CHECKING:
    from collector.store import CollectorStore


@dataclass(frozen=True, slots=True)
class Refused:
    """Nothing of the batch was stored; the refusal is in the audit."""

    code: str  # the first problem's code, or the store's reason (e.g. revoked)
    message: str  # every problem in one line, or the store's sentence
    problems: tuple[Problem, ...] = ()  # what the check found; empty when the store refused


@dataclass(frozen=True, slots=True)
class Accepted:
    """The batch is stored; ``receipt`` is the signed receipt to hand back."""

    result: IngestResult
    receipt: bytes


def take_batch(
    store: CollectorStore,
    key: Ed25519PrivateKey,
    check: BatchCheck,
    data: bytes,
    source: str,
    source_addr: str | None,
    software: str | None = None,
) -> Accepted | Refused:
    """Refuse (with an audit row) or store a checked batch, and sign the receipt of what is held.

    ``check`` is the result of checking ``data``, in this process or another (its votes are
    reattached from ``data``); ``source`` is "http" or "usb", ``source_addr`` the client's
    address or the file's name. An error other than a refusal (say the database stays locked)
    is raised: the caller decides what it means for its reader. ``software`` is the version
    a network batch's sender named (wire/agent.py), kept for the fleet page, never counted.
    """
    check.reattach(data)  # the votes, if a worker process checked the batch
    if not check.ok:
        store.refuse(check, source, source_addr)
        return Refused(check.problems[0].code, check.summary(), tuple(check.problems))
    try:
        result = store.ingest(check, data, source, source_addr, software)
    except StoreError as exc:  # unknown or revoked kiosk, another district; audited by the store
        return Refused(exc.code, str(exc))
    return Accepted(result, sign_receipt(key, result.receipt))
