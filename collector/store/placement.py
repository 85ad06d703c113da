"""Where each vote of a checked batch goes, inside the store's write transaction.

This is where exactly once and the chain are kept (promises 3 and 4): a vote whose (kiosk,
seq) is held with the same hash is acknowledged again and not stored twice; one held with
other bytes (a conflict), or one that would fork the chain (its ``prev`` is not the held vote
before it, or the held vote after it does not name it), goes to ``quarantine`` with an audit
row and never overwrites what is held. Every function here runs on the connection of a write
transaction that ``CollectorStore.ingest`` opened; none commits.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from collector.store.records import IngestResult
from wire.batch import BatchCheck, VoteRecord, to_ranges
from wire.clock import parse_utc
from wire.receipt import Ranges, Receipt

# CollectorStore's audit writer: (conn, kind, reason, detail, kiosk, source, source_addr).
AuditWriter = Callable[
    [sqlite3.Connection, str, str, str, str | None, str | None, str | None], None
]


def place_votes(
    conn: sqlite3.Connection,
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
) -> IngestResult:
    """Place each vote of a checked batch: new, held already, or quarantined; return what it did."""
    held = dict(
        conn.execute(
            "SELECT seq, hash FROM votes WHERE kiosk = ? AND seq BETWEEN ? AND ?",
            (kiosk, first - 1, last + 1),
        ).fetchall()
    )
    result = IngestResult(receipt=Receipt(kiosk, None, [], [], [], [], now))
    new_rows = []
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
                    conn,
                    kiosk,
                    seq,
                    digest,
                    held[seq],
                    "conflict",
                    check.body(index),
                    now,
                    source,
                    source_addr,
                    audit,
                )
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
                conn,
                kiosk,
                seq,
                digest,
                None,
                "chain_fork",
                check.body(index),
                now,
                source,
                source_addr,
                audit,
            )
            result.conflicts.append(seq)
            quarantined[seq] = digest
            continue
        known[seq] = digest
        new_rows.append(
            (
                kiosk, seq, digest, vote.prev, vote.district, vote.rating, vote.target_kind,
                vote.target_id, vote.service, tags_json(vote.tags), vote.story, vote.lang,
                int(vote.burst), vote.cast_at, now, source, batch_hash,
            )
        )  # fmt: skip
        accepted.append(seq)
    conn.executemany(
        "INSERT INTO votes (kiosk, seq, hash, prev, district, rating, target_kind, target_id,"
        " service, tags, story, lang, burst, cast_at, received_at, source, batch)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        new_rows,
    )
    result.new = len(new_rows)
    if new_rows:
        # The received bytes are kept: `publish` gives them to auditors as they are, since
        # only the kiosk can sign a batch (docs/recount.md). Every counted vote must have
        # its batch here; publish refuses to run otherwise.
        conn.execute(
            "INSERT OR IGNORE INTO batches (hash, kiosk, first_seq, last_seq, new_votes, received_at, source, body)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (batch_hash, kiosk, first, last, len(new_rows), now, source, data),
        )
    result.receipt = Receipt(
        kiosk, None, to_ranges(accepted), sorted(result.conflicts), [], [], now
    )
    return result


def quarantined_hash(conn: sqlite3.Connection, kiosk: str, seq: int, digest: str) -> bool:
    """True when this exact vote of the kiosk is already in quarantine."""
    row = conn.execute(
        "SELECT 1 FROM quarantine WHERE kiosk = ? AND seq = ? AND hash = ?",
        (kiosk, seq, digest),
    ).fetchone()
    return row is not None


def next_links(conn: sqlite3.Connection, kiosk: str, seq: int, digest: str) -> bool:
    """True when the held vote at seq names digest as its prev (or none is held there)."""
    row = conn.execute(
        "SELECT prev FROM votes WHERE kiosk = ? AND seq = ?", (kiosk, seq)
    ).fetchone()
    return row is None or row[0] == digest


def quarantine(
    conn: sqlite3.Connection,
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
        "INSERT OR IGNORE INTO quarantine (kiosk, seq, hash, held_hash, reason, body, received_at, source, source_addr)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (kiosk, seq, digest, held_hash, reason, body, now, source, source_addr),
    )
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
    )


def update_kiosk(
    conn: sqlite3.Connection,
    kiosk: str,
    contiguous: int,
    accepted: Ranges,
    now: str,
    source: str,
    skew: float | None,
    new_votes: int,
) -> None:
    """After a batch brought new votes: last seen, the contiguous mark, the counts, the skew."""
    # The contiguous mark is the last seq of the run held from 1. Every accepted seq is
    # held now, so the batch itself may carry the run on; the database is asked only
    # about what lies beyond (a gap filled later makes the run jump past votes held).
    mark = contiguous
    for first, last in accepted:  # sorted, disjoint
        if first > mark + 1:
            break
        mark = max(mark, last)
    row = conn.execute(
        "SELECT MIN(v.seq + 1) FROM votes v WHERE v.kiosk = ? AND v.seq >= ?"
        " AND NOT EXISTS (SELECT 1 FROM votes w WHERE w.kiosk = v.kiosk AND w.seq = v.seq + 1)",
        (kiosk, max(mark, 1)),
    ).fetchone()
    has_first = (
        mark >= 1
        or conn.execute("SELECT 1 FROM votes WHERE kiosk = ? AND seq = 1", (kiosk,)).fetchone()
    )
    new_contiguous = int(row[0]) - 1 if has_first and row[0] is not None else 0
    max_new = accepted[-1][1] if accepted else 0
    conn.execute(
        "UPDATE kiosks SET last_seen = ?, last_source = ?, contiguous = ?,"
        " max_seq = MAX(max_seq, ?), votes = votes + ?,"
        " clock_skew_s = COALESCE(?, clock_skew_s) WHERE kiosk = ?",
        (now, source, new_contiguous, max_new, new_votes, skew, kiosk),
    )


def record_vote_clock(
    conn: sqlite3.Connection,
    kiosk: str,
    records: list[VoteRecord],
    received_at: datetime,
    now: str,
) -> None:
    """How far the newest vote's clock was past the receipt time, and when that was measured."""
    # cast_at has one fixed format, so the newest is the greatest string: parse just one.
    newest = max((r.cast_at for r in records), default=None)
    if newest is None:
        return
    ahead = (parse_utc(newest) - received_at).total_seconds()
    conn.execute(
        "UPDATE kiosks SET vote_ahead_s = ?, clock_checked_at = ? WHERE kiosk = ?",
        (ahead, now, kiosk),
    )


def held_ranges(conn: sqlite3.Connection, kiosk: str) -> Ranges:
    """The seq ranges held for a kiosk: 1 to its contiguous mark, then whatever lies above."""
    contiguous = conn.execute("SELECT contiguous FROM kiosks WHERE kiosk = ?", (kiosk,)).fetchone()
    mark = int(contiguous[0]) if contiguous else 0
    above = [
        int(r[0])
        for r in conn.execute(
            "SELECT seq FROM votes WHERE kiosk = ? AND seq > ? ORDER BY seq", (kiosk, mark)
        )
    ]
    return ([(1, mark)] if mark else []) + to_ranges(above)


def tags_json(tags: tuple[str, ...]) -> str:
    """Tags as a JSON list; they are codes ([a-z0-9_-]), so nothing needs escaping."""
    return '["' + '","'.join(tags) + '"]' if tags else "[]"
