"""Where each vote of a checked batch goes, inside the store's write transaction.

This is where exactly once and the chain are kept (promises 3 and 4): a vote whose (kiosk,
seq) is held with the same hash is acknowledged again and not stored twice; one held with
other bytes (a conflict), or one that would fork the chain (its ``prev`` is not the held vote
before it, or the held vote after it does not name it), goes to ``quarantine`` with an audit
row and never overwrites what is held. Every function here runs on the connection of a write
transaction that ``CollectorStore.ingest`` opened, on either backend; none commits. The
primary key (kiosk, seq) is the database's own guard behind these checks: a second copy of a
vote cannot be stored even by a bug here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import attrgetter

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from collector.store import tallies
from collector.store.audit import Facts
from collector.store.records import IngestResult
from wire.batch import BatchCheck, VoteRecord, to_ranges
from wire.clock import format_utc, parse_utc
from wire.receipt import Ranges, Receipt

_SEQ, _PREV, _CAST_AT = attrgetter("seq"), attrgetter("prev"), attrgetter("cast_at")
_BEYOND = 2**63  # above every seq
# CollectorStore's audit writer: (conn, kind, reason, detail, kiosk, source, source_addr,
# operator, facts).
AuditWriter = Callable[
    [Connection, str, str, str, str | None, str | None, str | None, str | None, Facts | None],
    None,
]

_HELD_AROUND = sa.text(
    "SELECT seq, hash FROM votes WHERE kiosk = :kiosk AND seq BETWEEN :low AND :high"
)
_VOTE_COLUMNS = (
    "kiosk, seq, hash, prev, district, rating, target_kind, target_id, service, tags, story,"
    " lang, burst, cast_at, received_at, source, batch, placed_at"
)


_INSERT_VOTES = f"INSERT INTO votes ({_VOTE_COLUMNS}) VALUES ({', '.join(['?'] * 18)})"


# arrival numbers batches in the order they were stored (publish numbers its files so). Two
# PostgreSQL transactions storing at the same moment may take the same number: their order
# is then by hash, as neither came first in any way that matters.
_INSERT_BATCH = sa.text(
    "INSERT INTO batches (hash, kiosk, first_seq, last_seq, new_votes, received_at, source,"
    " body, arrival) VALUES (:hash, :kiosk, :first, :last, :new, :now, :source, :body,"
    " (SELECT COALESCE(MAX(arrival), 0) + 1 FROM batches)) ON CONFLICT (hash) DO NOTHING"
)
_INSERT_QUARANTINE = sa.text(
    "INSERT INTO quarantine (kiosk, seq, hash, held_hash, reason, body, received_at, source,"
    " source_addr) VALUES (:kiosk, :seq, :hash, :held_hash, :reason, :body, :now, :source,"
    " :source_addr) ON CONFLICT (kiosk, seq, hash) DO NOTHING"
)


def place_votes(
    conn: Connection,
    check: BatchCheck,
    records: list[VoteRecord],
    kiosk: str,
    first: int,
    last: int,
    now: str,
    source: str,
    source_addr: str | None,
    batch_hash: str,
    data: bytes,
    audit: AuditWriter,
    clock: ClockBounds,
) -> IngestResult:
    """Place each vote of a checked batch: new, held already, or quarantined; return what it did."""
    held: dict[int, str] = {
        int(seq): str(digest)
        for seq, digest in conn.execute(
            _HELD_AROUND, {"kiosk": kiosk, "low": first - 1, "high": last + 1}
        )
    }
    hashes = check.hashes
    result = IngestResult(receipt=Receipt(kiosk, None, [], [], [], [], now))
    if _all_new(conn, records, hashes, kiosk, held):
        new_votes, new_hashes = records, hashes
        accepted = list(map(_SEQ, records))
    else:
        new, accepted = _place_each(
            conn, check, records, kiosk, now, source, source_addr, audit, held, result
        )
        new_votes, new_hashes = [records[i] for i in new], [hashes[i] for i in new]
    result.new = len(new_votes)
    if new_votes:
        placed = placed_times(conn, kiosk, first, last, new_votes, clock)
        _store_votes(
            conn,
            [
                (
                    kiosk, seq, digest, prev, district, rating, target_kind, target_id, service,
                    tags_json(tags), story, lang, int(burst), cast_at, now, source, batch_hash,
                    at,
                )
                # A VoteRecord's fields in their order: unpacked, not looked up one by one.
                for (
                    seq, prev, cast_at, district, rating, target_kind, target_id, service, tags,
                    story, lang, burst,
                ), digest, at in zip(new_votes, new_hashes, placed, strict=True)
            ],
        )  # fmt: skip
        # The received bytes are kept: `publish` gives them to auditors as they are, since
        # only the kiosk can sign a batch (docs/recount.md). Every counted vote must have
        # its batch here; publish refuses to run otherwise.
        conn.execute(
            _INSERT_BATCH,
            {
                "hash": batch_hash, "kiosk": kiosk, "first": first, "last": last,
                "new": len(new_votes), "now": now, "source": source, "body": data,
            },
        )  # fmt: skip
        tallies.add_votes(conn, kiosk, new_votes[0].district, source, now, new_votes, placed)
    result.receipt = Receipt(
        kiosk, None, to_ranges(accepted), sorted(result.conflicts), [], [], now
    )
    return result


def _all_new(
    conn: Connection,
    records: list[VoteRecord],
    hashes: list[str],
    kiosk: str,
    held: dict[int, str],
) -> bool:
    """True when every vote of the batch is new and continues the held chain: the usual batch.

    Then ``_place_each`` would accept each vote in turn, and deciding it for the batch at once
    saves a lookup per vote. Only the ends can meet held votes: none is held inside the batch,
    the votes chain one to the next (checked here again: the store keeps the chain itself), the
    first continues what is held before it (or, if nothing is, no quarantined branch) and the
    vote held after the last, if any, names the last.
    """
    first, last = records[0].seq, records[-1].seq
    if any(first <= seq <= last for seq in held) or last - first + 1 != len(records):
        return False
    if list(map(_PREV, records[1:])) != hashes[: len(records) - 1]:
        return False
    before = held.get(first - 1)
    start = records[0].prev
    if before is None and quarantined_hash(conn, kiosk, first - 1, start):
        return False
    if before is not None and start != before:
        return False
    return last + 1 not in held or next_links(conn, kiosk, last + 1, hashes[-1])


def _place_each(
    conn: Connection,
    check: BatchCheck,
    records: list[VoteRecord],
    kiosk: str,
    now: str,
    source: str,
    source_addr: str | None,
    audit: AuditWriter,
    held: dict[int, str],
    result: IngestResult,
) -> tuple[list[int], list[int]]:
    """Place the votes one by one; return (the positions of the new votes, the seqs accepted)."""
    new: list[int] = []
    accepted: list[int] = []
    known = dict(held)  # what the chain looks like with this batch's new votes added
    quarantined: dict[int, str] = {}  # votes of this batch sent to quarantine
    for index, (vote, digest) in enumerate(zip(records, check.hashes, strict=True)):
        seq = vote.seq
        if seq in held:
            if held[seq] == digest:
                result.duplicates += 1
                accepted.append(seq)
            else:
                quarantine(
                    conn, kiosk, seq, digest, held[seq], "conflict", check.body(index), now,
                    source, source_addr, audit,
                )  # fmt: skip
                result.conflicts.append(seq)
                quarantined[seq] = digest
            continue
        before = known.get(seq - 1)
        if before is None:
            # No held vote before it: it must not continue a branch already quarantined.
            forked = quarantined.get(seq - 1) == vote.prev or quarantined_hash(
                conn, kiosk, seq - 1, vote.prev
            )
        else:
            forked = vote.prev != before
        if forked or (seq + 1 in held and not next_links(conn, kiosk, seq + 1, digest)):
            quarantine(
                conn, kiosk, seq, digest, None, "chain_fork", check.body(index), now, source,
                source_addr, audit,
            )  # fmt: skip
            result.conflicts.append(seq)
            quarantined[seq] = digest
            continue
        known[seq] = digest
        new.append(index)
        accepted.append(seq)
    return new, accepted


@dataclass(frozen=True, slots=True)
class ClockBounds:
    """What the collector knows of a batch's times: its receipt, the kiosk's enrollment, and
    the kiosk clock's error to take off its votes' times (None when the clock is not flagged).
    """

    received_at: str
    enrolled_at: str
    correction_s: float | None


# Where a vote is placed in time (and so in which campaign it counts; docs/operations.md,
# "Campaigns"). The kiosk's clock is advice (promise 7), so its cast_at is bounded by what the
# collector knows for sure:
#   1. the kiosk's clock, less the error the collector measured when that error is flagged
#      (the error of this network batch's made_at, or for a USB file the kiosk's last measured);
#   2. never after the vote reached the collector (received_at), never before the kiosk was
#      enrolled (enrolled_at): a clock a year ahead or behind cannot move a vote out of them;
#   3. never before a vote earlier in the kiosk's chain, never after a later one already held:
#      placed_at rises with seq, so a campaign's votes of one kiosk are one run of seqs, which
#      the publication names and a recount counts (docs/recount.md).
# It is written once with the vote and never changes, so a campaign's votes never move.
_PLACED_BELOW = sa.text(
    "SELECT placed_at FROM votes WHERE kiosk = :kiosk AND seq < :first ORDER BY seq DESC LIMIT 1"
)
_PLACED_FROM = sa.text(
    "SELECT seq, placed_at FROM votes WHERE kiosk = :kiosk AND seq >= :first ORDER BY seq LIMIT :n"
)


def placed_times(
    conn: Connection,
    kiosk: str,
    first: int,
    last: int,
    new: Sequence[VoteRecord],
    clock: ClockBounds,
) -> list[str]:
    """The time each new vote is placed at (in the order given, which is by seq)."""
    low = conn.execute(_PLACED_BELOW, {"kiosk": kiosk, "first": first}).scalar()
    floor = max(str(low), clock.enrolled_at) if low else clock.enrolled_at
    # The held votes from the batch's first seq on: those inside it, and the first after it.
    held_from: list[tuple[int, str | None]] = [
        (int(seq), str(at))
        for seq, at in conn.execute(
            _PLACED_FROM, {"kiosk": kiosk, "first": first, "n": last - first + 2}
        )
    ]
    held_from.append((_BEYOND, None))  # after the last held vote: no ceiling
    placed = []
    next_seq, ceiling = held_from[0]
    next_held = 0
    received_at = clock.received_at
    # Protocol timestamps order as strings; a corrected time is compared as a moment first
    # and written out only when it is not the receipt time anyway (a clock far behind).
    shift = _shift(clock.correction_s)
    received = parse_utc(received_at)
    for seq, cast_at in zip(map(_SEQ, new), map(_CAST_AT, new), strict=True):
        while next_seq < seq:
            assert ceiling is not None  # only the end has none, and no seq goes past it
            floor = max(floor, ceiling)
            next_held += 1
            next_seq, ceiling = held_from[next_held]
        if shift is None:
            at = cast_at if cast_at < received_at else received_at
        else:
            at = _corrected(cast_at, shift, received_at, received)
        if at < floor:
            at = floor
        if ceiling is not None and ceiling < at:
            at = ceiling
        placed.append(at)
        floor = at
    return placed


def _shift(correction_s: float | None) -> timedelta | None:
    """The clock's measured error as a timedelta; None when there is none to take off."""
    try:
        return timedelta(seconds=correction_s) if correction_s else None
    except OverflowError:  # beyond any clock (a year 1 made_at is 3e11 s off): left as is
        return None


def _corrected(cast_at: str, shift: timedelta, received_at: str, received: datetime) -> str:
    """cast_at less the clock's measured error, but never after received_at (the same moment
    as ``received``)."""
    try:
        # cast_at was checked with the batch (parse_utc): the C reader alone reads it.
        moment = datetime.fromisoformat(cast_at) - shift
    except OverflowError:  # a clock at the edge of time: the bounds place the vote
        return min(cast_at, received_at)
    # Whole milliseconds: the text of a later moment is never smaller, so this is the same as
    # comparing the texts, without writing out a moment that is not kept.
    return received_at if moment >= received else format_utc(moment)


def _store_votes(conn: Connection, rows: Sequence[tuple[object, ...]]) -> None:
    """Insert a batch's new votes: PostgreSQL's COPY, SQLite's executemany."""
    if conn.dialect.name == "postgresql":
        # One COPY instead of a statement per row: on PostgreSQL each INSERT costs a round of
        # parse, bind and execute in the server (about 100 µs a vote, measured); COPY streams
        # the rows into the same transaction, with the same constraints and triggers.
        driver = conn.connection.driver_connection
        assert driver is not None
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY votes ({_VOTE_COLUMNS}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    # A batch's rows go to the driver's executemany as plain tuples (tallies.run_rows).
    tallies.run_rows(conn, _INSERT_VOTES, rows)


def quarantined_hash(conn: Connection, kiosk: str, seq: int, digest: str) -> bool:
    """True when this exact vote of the kiosk is already in quarantine."""
    row = conn.execute(
        sa.text("SELECT 1 FROM quarantine WHERE kiosk = :kiosk AND seq = :seq AND hash = :hash"),
        {"kiosk": kiosk, "seq": seq, "hash": digest},
    ).first()
    return row is not None


def next_links(conn: Connection, kiosk: str, seq: int, digest: str) -> bool:
    """True when the held vote at seq names digest as its prev (or none is held there)."""
    prev = conn.execute(
        sa.text("SELECT prev FROM votes WHERE kiosk = :kiosk AND seq = :seq"),
        {"kiosk": kiosk, "seq": seq},
    ).scalar()
    return prev is None or prev == digest


def quarantine(
    conn: Connection,
    kiosk: str,
    seq: int,
    digest: str,
    held_hash: str | None,
    reason: str,
    body: bytes,
    now: str,
    source: str,
    source_addr: str | None,
    audit: AuditWriter,
) -> None:
    """Keep a vote that conflicts with the held chain apart, with an audit row."""
    cur = conn.execute(
        _INSERT_QUARANTINE,
        {
            "kiosk": kiosk, "seq": seq, "hash": digest, "held_hash": held_hash,
            "reason": reason, "body": body, "now": now, "source": source,
            "source_addr": source_addr,
        },
    )  # fmt: skip
    what = (
        f"vote {seq} arrived with other bytes than the copy already held; quarantined, the held copy is kept"
        if reason == "conflict"
        else f"vote {seq} does not chain to the votes held around it; quarantined"
    )
    audit(
        conn,
        "conflict" if cur.rowcount else "conflict-again",
        reason,
        what,
        kiosk,
        source,
        source_addr,
        None,
        {"seq": seq},
    )


def update_kiosk(
    conn: Connection,
    kiosk: str,
    contiguous: int,
    accepted: Ranges,
    now: str,
    source: str,
    skew: float | None,
    new_votes: int,
    software: str | None = None,
    made_at: str | None = None,
) -> None:
    """After a batch brought new votes: last seen, the contiguous mark, the counts, the skew,
    the software version the kiosk named (a network batch's; None leaves the one held), and
    ``made_at`` when it is the kiosk's newest network batch (None leaves the one held)."""
    # The contiguous mark is the last seq of the run held from 1. Every accepted seq is
    # held now, so the batch itself may carry the run on; the database is asked only
    # about what lies beyond (a gap filled later makes the run jump past votes held).
    mark = contiguous
    for first, last in accepted:  # sorted, disjoint
        if first > mark + 1:
            break
        mark = max(mark, last)
    end = conn.execute(
        sa.text(
            "SELECT MIN(v.seq + 1) FROM votes v WHERE v.kiosk = :kiosk AND v.seq >= :from"
            " AND NOT EXISTS (SELECT 1 FROM votes w WHERE w.kiosk = v.kiosk AND w.seq = v.seq + 1)"
        ),
        {"kiosk": kiosk, "from": max(mark, 1)},
    ).scalar()
    has_first = (
        mark >= 1
        or conn.execute(
            sa.text("SELECT 1 FROM votes WHERE kiosk = :kiosk AND seq = 1"), {"kiosk": kiosk}
        ).first()
        is not None
    )
    new_contiguous = int(end) - 1 if has_first and end is not None else 0
    max_new = accepted[-1][1] if accepted else 0
    params = {"now": now, "source": source, "contiguous": new_contiguous, "max_new": max_new}
    params |= {"new": new_votes, "kiosk": kiosk, "software": software, "made_at": made_at}
    conn.execute(
        sa.text(
            "UPDATE kiosks SET last_seen = :now, last_source = :source,"
            " software = COALESCE(:software, software),"
            " newest_made_at = COALESCE(:made_at, newest_made_at),"
            " contiguous = :contiguous,"
            " max_seq = CASE WHEN max_seq > :max_new THEN max_seq ELSE :max_new END,"
            " votes = votes + :new WHERE kiosk = :kiosk"
        ),
        params,
    )
    if skew is not None:
        conn.execute(
            sa.text("UPDATE kiosks SET clock_skew_s = :skew WHERE kiosk = :kiosk"),
            {"skew": skew, "kiosk": kiosk},
        )


def record_vote_clock(
    conn: Connection,
    kiosk: str,
    records: list[VoteRecord],
    received_at: datetime,
    now: str,
) -> None:
    """How far the newest vote's clock was past the receipt time, and when that was measured."""
    # cast_at has one fixed format, so the newest is the greatest string: parse just one.
    newest = max(map(_CAST_AT, records), default=None)
    if newest is None:
        return
    ahead = (parse_utc(newest) - received_at).total_seconds()
    conn.execute(
        sa.text(
            "UPDATE kiosks SET vote_ahead_s = :ahead, clock_checked_at = :now WHERE kiosk = :kiosk"
        ),
        {"ahead": ahead, "now": now, "kiosk": kiosk},
    )


def held_ranges(conn: Connection, kiosk: str) -> Ranges:
    """The seq ranges held for a kiosk: 1 to its contiguous mark, then whatever lies above."""
    contiguous = conn.execute(
        sa.text("SELECT contiguous FROM kiosks WHERE kiosk = :kiosk"), {"kiosk": kiosk}
    ).scalar()
    mark = int(contiguous) if contiguous else 0
    above = [
        int(seq)
        for (seq,) in conn.execute(
            sa.text("SELECT seq FROM votes WHERE kiosk = :kiosk AND seq > :mark ORDER BY seq"),
            {"kiosk": kiosk, "mark": mark},
        )
    ]
    return ranges_above(mark, above)


def ranges_above(mark: int, above: list[int]) -> Ranges:
    """The held ranges: 1 to the contiguous mark, then the seqs held above it."""
    return ([(1, mark)] if mark else []) + to_ranges(above)


def tags_json(tags: tuple[str, ...]) -> str:
    """Tags as a JSON list; they are codes ([a-z0-9_-]), so nothing needs escaping."""
    return '["' + '","'.join(tags) + '"]' if tags else "[]"
