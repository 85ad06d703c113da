"""One checked batch into the store: the write transaction ``CollectorStore.ingest`` runs.

The kiosk's row is read first, and on PostgreSQL locked (``lock_rows``: ``FOR NO KEY UPDATE``),
so that two servers given the same batch place it one after the other. The batch is refused
whole when its kiosk is unknown or revoked, its key is not the one enrolled, or a vote names
another district than the kiosk's: the refusal's audit row is the only thing written.
Otherwise placement.py places each vote (exactly once, the chain), and the kiosk's bookkeeping
follows: ``last_seen``, the software it named and its clock's skew move only for a batch that
brought a new vote; a batch that brought nothing new is counted apart as a replay, and kept as
a check-in when the kiosk signed it now (its ``made_at`` later than any before). The receipt
names what is held once the batch is in. Nothing here commits: the store's write transaction
does (collector_store.py, with what the store promises), and it runs the whole again when
PostgreSQL aborts it (``retryable``).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from operator import attrgetter
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from collector.store.placement import (
    AuditWriter,
    ClockBounds,
    held_ranges,
    place_votes,
    record_vote_clock,
    update_kiosk,
)
from collector.store.records import IngestResult
from wire.batch import BatchCheck, VoteRecord, gaps, to_ranges
from wire.clock import format_utc, parse_utc
from wire.receipt import Receipt

_DISTRICT = attrgetter("district")
RETRIES: Final = 5  # a PostgreSQL transaction aborted by a deadlock or conflict is run again
RETRY_STATES: Final = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected
Refusal = tuple[str, str]  # a StoreError's code and its sentence


def retryable(exc: sa.exc.DBAPIError) -> bool:
    """Whether PostgreSQL aborted the transaction for another one (run it again) or not."""
    return getattr(exc.orig, "sqlstate", None) in RETRY_STATES


def store_batch(
    conn: Connection,
    check: BatchCheck,
    records: list[VoteRecord],
    data: bytes,
    source: str,
    source_addr: str | None,
    software: str | None,
    received_at: datetime,
    skew_threshold_s: float,
    lock_rows: str,
    audit: AuditWriter,
) -> IngestResult | Refusal:
    """Store a batch that passed its checks on ``conn``, a write transaction: what it did, or
    why it was refused (audited with ``audit``, and nothing else written)."""
    assert check.kiosk is not None
    assert check.first_seq is not None
    assert check.last_seq is not None
    kiosk, first, last = check.kiosk, check.first_seq, check.last_seq
    now = format_utc(received_at)
    batch_hash = hashlib.sha256(data).hexdigest()
    row: Any = conn.execute(
        sa.text(
            "SELECT district, revoked_at, contiguous, public_key, enrolled_at,"
            " clock_skew_s, newest_made_at FROM kiosks"
            " WHERE kiosk = :kiosk" + lock_rows
        ),
        {"kiosk": kiosk},
    ).first()
    refused = refusal(row, check, records)
    if refused is not None:
        # The refusal is committed to the audit; nothing of the batch is stored.
        audit(conn, "refused", *refused, kiosk, source, source_addr, None, None)
        return refused
    measured = None
    if source == "http" and check.made_at is not None:
        measured = (parse_utc(check.made_at) - received_at).total_seconds()
    # The votes' times are corrected by the clock's error when it is flagged:
    # this network batch's, or for a USB file the last one measured.
    error = measured if measured is not None else row[5]
    bounds = ClockBounds(
        now,
        str(row[4]),
        error if error is not None and abs(error) > skew_threshold_s else None,
    )
    result = place_votes(
        conn, check, records, kiosk, first, last, now, source, source_addr,
        batch_hash, data, audit, bounds,
    )  # fmt: skip
    # Only a batch that brought new votes tells how the kiosk's clock is now: an
    # exact replay of old bytes (months later, by anyone) must neither flag a
    # sound clock nor clear the flag of a wrong one.
    skew = measured if result.new else None
    # A batch later than every earlier one of this kiosk (by either path) was
    # signed by it since; a replay is one of the earlier ones (timestamps sort as
    # text). Only a network one that brings nothing new is a check-in.
    made_at = check.made_at
    newest = made_at if made_at and (row[6] is None or made_at > row[6]) else None
    checkin = newest if source == "http" else None
    if result.new:
        update_kiosk(
            conn, kiosk, int(row[2]), result.receipt.accepted, now, source, skew,
            result.new, software if source == "http" else None, newest,
        )  # fmt: skip
        record_vote_clock(conn, kiosk, records, received_at, now)
    else:
        # Nothing new: every vote was held already (or quarantined). Bytes anyone
        # may hold are no sign of the kiosk's life, so last_seen stays; a batch
        # the kiosk signed now (a check-in) is kept apart as last_checkin.
        conn.execute(
            sa.text(
                "UPDATE kiosks SET replays = replays + 1, last_replay_at = :now,"
                + (" last_checkin = :now," if checkin else "")
                + " newest_made_at = COALESCE(:newest, newest_made_at)"
                " WHERE kiosk = :kiosk"
            ),
            {"now": now, "kiosk": kiosk, "newest": newest},
        )
    held = held_ranges(conn, kiosk)
    r = result.receipt
    result.receipt = Receipt(
        kiosk, check.votes_hash, r.accepted, r.conflicts, held, gaps(held), now
    )
    return result


def refusal(row: Any, check: BatchCheck, records: list[VoteRecord]) -> Refusal | None:
    """Why a batch is refused whole, given its kiosk's row (None: not enrolled), or None."""
    if row is None:
        return ("unknown_kiosk", f"kiosk {check.kiosk} is not enrolled")
    district, revoked_at, _, public_key = row[:4]
    if revoked_at is not None:
        return ("revoked", f"kiosk {check.kiosk} was revoked on {revoked_at}")
    if public_key != (check.public_key or b"").hex():
        return ("unknown_kiosk", "the batch's public key is not the one enrolled")
    if any(d != district for d in set(map(_DISTRICT, records))):
        wrong = [r.seq for r in records if r.district != district]
        return (
            "district_mismatch",
            f"votes {to_ranges(wrong)} name another district than {district}, which this kiosk is enrolled for",
        )
    return None
