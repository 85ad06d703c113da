"""The collector's signed receipt: its format, signing it, and checking it against a pinned key.

A *receipt* is the collector's signed answer to a batch:

    {"kind": "sangsuk-receipt", "version": 1, "kiosk": ..., "batch": votes_hash or null,
     "accepted": [[a, b], ...], "conflicts": [seq, ...], "held": [[1, n], ...],
     "missing": [[x, y], ...], "server_time": ..., "sig": ...}

``accepted`` are the seqs of that batch the collector now holds with exactly these bytes;
only those may be marked delivered. ``conflicts`` are seqs of the batch whose identity the
collector already holds with other bytes (quarantined, never overwritten). ``held`` and
``missing`` describe everything the collector holds for the kiosk. ``sig`` is the collector's
signature over ``RECEIPT_DOMAIN`` + the RFC 8785 bytes of the receipt without ``sig``.

It lives here, below ``sync/``, because the kiosk's own ``verify`` checks every delivery mark
in its ledger against the receipt that made it (kiosk/ledger_verify.py), and the kiosk's domain
never imports ``sync``. ``wire.batch`` re-exports all of it with the batch format, and
borrows the small value checks at the end of this file. docs/protocol.md is the normative text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from wire import ed25519
from wire.canonical import canonical_json
from wire.clock import parse_utc
from wire.ed25519 import PublicKey, raw_public_key
from wire.vote import MAX_SEQ, VoteError, parse_json_object

RECEIPT_KIND: Final = "sangsuk-receipt"
PROTOCOL_VERSION: Final = 1  # of batches and receipts alike
RECEIPT_DOMAIN: Final = b"sangsuk/v1/receipt\n"

_RECEIPT_MEMBERS: Final = frozenset(
    {
        "kind",
        "version",
        "kiosk",
        "batch",
        "accepted",
        "conflicts",
        "held",
        "missing",
        "server_time",
        "sig",
    }
)

Ranges = list[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a batch or receipt."""

    code: str
    message: str
    seq: int | None = None


@dataclass(frozen=True, slots=True)
class Receipt:
    """A receipt's content (see the module docstring)."""

    kiosk: str
    batch: str | None
    accepted: Ranges
    conflicts: list[int]
    held: Ranges
    missing: Ranges
    server_time: str

    def to_json(self) -> dict[str, Any]:
        """Return the receipt as its JSON object, without signature."""
        return {
            "kind": RECEIPT_KIND,
            "version": PROTOCOL_VERSION,
            "kiosk": self.kiosk,
            "batch": self.batch,
            "accepted": [list(r) for r in self.accepted],
            "conflicts": list(self.conflicts),
            "held": [list(r) for r in self.held],
            "missing": [list(r) for r in self.missing],
            "server_time": self.server_time,
        }

    def accepted_seqs(self) -> set[int]:
        """The seqs that may be marked delivered."""
        return {s for a, b in self.accepted for s in range(a, b + 1)} - set(self.conflicts)


# --- ranges --------------------------------------------------------------------------------


# --- signing and checking ------------------------------------------------------------------


def sign_receipt(key: Ed25519PrivateKey, receipt: Receipt) -> bytes:
    """Sign a receipt with the collector's key and return its bytes."""
    obj = receipt.to_json()
    obj["sig"] = key.sign(RECEIPT_DOMAIN + canonical_json(obj)).hex()
    return canonical_json(obj)


@dataclass(slots=True)
class ReceiptCheck:
    """The result of checking a receipt against the pinned collector key."""

    receipt: Receipt | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the receipt is genuine and well formed."""
        return self.receipt is not None and not self.problems


def check_receipt(
    data: bytes, collector_key: PublicKey, kiosk: str, batch: str | None = None
) -> ReceiptCheck:
    """Check a receipt's format and signature, and that it is for this kiosk (and batch)."""
    result = ReceiptCheck()
    try:
        obj = parse_json_object(data, "receipt")
    except VoteError as exc:
        result.problems.append(Problem(exc.code, str(exc)))
        return result
    try:
        if (
            obj.get("kind") != RECEIPT_KIND
            or not is_int(obj.get("version"))
            or obj.get("version") != PROTOCOL_VERSION
        ):
            result.problems.append(
                Problem("not_a_receipt", "this is not a Sangsuk receipt of a known version")
            )
            return result
        if set(obj) != _RECEIPT_MEMBERS:
            result.problems.append(
                Problem("bad_receipt", "the receipt has missing or unknown members")
            )
            return result
        sig = obj["sig"]
        unsigned = {k: v for k, v in obj.items() if k != "sig"}
        if not (
            isinstance(sig, str)
            and signature_ok(collector_key, sig, RECEIPT_DOMAIN + canonical_json(unsigned))
        ):
            result.problems.append(
                Problem(
                    "bad_receipt_signature",
                    "the receipt is not signed by the collector this kiosk enrolled with",
                )
            )
            return result
        receipt = Receipt(
            kiosk=obj["kiosk"],
            batch=obj["batch"],
            accepted=_ranges(obj["accepted"]),
            conflicts=_seqs(obj["conflicts"]),
            held=_ranges(obj["held"]),
            missing=_ranges(obj["missing"]),
            server_time=_timestamp(obj["server_time"]),
        )
        if not isinstance(receipt.kiosk, str) or not (
            receipt.batch is None or is_hex(receipt.batch, 64)
        ):
            raise ValueError("kiosk must be text and batch a hash or null")
    except (TypeError, ValueError, KeyError) as exc:
        result.problems.append(Problem("bad_receipt", f"the receipt is malformed: {exc}"))
        return result
    if receipt.kiosk != kiosk:
        result.problems.append(
            Problem("wrong_kiosk", f"the receipt is for kiosk {receipt.kiosk}, not this kiosk")
        )
    if batch is not None and receipt.batch != batch:
        result.problems.append(Problem("wrong_batch", "the receipt answers another batch"))
    result.receipt = receipt
    return result


def _ranges(value: Any) -> Ranges:
    if not isinstance(value, list):
        raise ValueError("ranges must be a list")
    out: Ranges = []
    for item in value:
        if not (
            isinstance(item, list)
            and len(item) == 2
            and all(is_seq(x) for x in item)
            and item[0] <= item[1]
        ):
            raise ValueError(f"bad range {item!r}")
        if out and item[0] <= out[-1][1] + 1:
            raise ValueError("ranges must be sorted, apart and not touching")
        out.append((item[0], item[1]))
    return out


def _seqs(value: Any) -> list[int]:
    if not isinstance(value, list) or not all(is_seq(x) for x in value):
        raise ValueError("conflicts must be a list of seqs")
    if value != sorted(set(value)):
        raise ValueError("conflicts must be sorted, without repeats")
    return list(value)


def _timestamp(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("server_time must be a timestamp")
    parse_utc(value)
    return value


def signature_ok(key: PublicKey, sig_hex: str, message: bytes) -> bool:
    """Tell whether sig_hex (128 lowercase hex digits) is key's Ed25519 signature of message."""
    if not is_hex(sig_hex, 128):
        return False
    return ed25519.verify(raw_public_key(key), bytes.fromhex(sig_hex), message)


def is_hex(value: Any, length: int) -> bool:
    """Tell whether value is text of exactly length lowercase hex digits."""
    return (
        isinstance(value, str)
        and len(value) == length
        and all(c in "0123456789abcdef" for c in value)
    )


def is_int(value: Any) -> bool:
    """Tell whether value is a JSON integer (an int, not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_seq(value: Any) -> bool:
    """Tell whether value is a seq: an integer from 1 to MAX_SEQ."""
    return is_int(value) and 1 <= value <= MAX_SEQ
