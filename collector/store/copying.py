"""Copying a collector database into another (SQLite into PostgreSQL), every batch verified again.

The votes are not copied as rows: each stored batch is checked again as if it had just
arrived (its kiosk's signatures, its chain, its votes' hashes), every one before anything is
written, and then stored through ``ingest`` in the order it first arrived, at the moment it
first arrived. So the copy holds only what its kiosks signed, and the tallies, the contiguous
marks and the quarantine are rebuilt by the same code that built them the first time. The rest
(districts, tokens, kiosks, settings, the audit) is copied row by row. The copy ends by
comparing every vote's (kiosk, seq, hash) and the report of both databases.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

import sqlalchemy as sa

from collector.store.collector_store import CollectorStore
from collector.store.records import StoreError
from wire.batch import check_batch
from wire.clock import parse_utc

log = logging.getLogger(__name__)
KIOSK_LIFE: Final = (
    "revoked_at", "last_seen", "last_source", "clock_skew_s", "vote_ahead_s",
    "clock_checked_at", "replays", "last_replay_at", "software", "newest_made_at", "last_checkin",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Copied:
    """What a copy moved."""

    batches: int
    votes: int
    kiosks: int
    quarantined: int
    audit_rows: int


class _At:
    """The clock of the copy: each batch is stored at the moment it first arrived."""

    def __init__(self) -> None:
        self.moment = datetime.now().astimezone()

    def now(self) -> datetime:
        """The moment the batch being copied first arrived."""
        return self.moment

    def monotonic(self) -> float:
        """Unused by the store; a clock must have it."""
        return 0.0


def _rows(store: CollectorStore, sql: str) -> list[tuple[Any, ...]]:
    with store.reading() as conn:
        return [tuple(row) for row in conn.execute(sa.text(sql))]


def _batches(store: CollectorStore) -> Iterator[tuple[str, bytes, str, str, int]]:
    """Every stored batch in arrival order: (hash, bytes, received_at, source, new votes)."""
    with store.reading() as conn:
        yield from (
            (str(h), bytes(body), str(at), str(source), int(new))
            for h, body, at, source, new in conn.execute(
                sa.text(
                    "SELECT hash, body, received_at, source, new_votes FROM batches"
                    " ORDER BY arrival, hash"
                ),
                execution_options={"yield_per": 100},
            )
        )


def _insert(store: CollectorStore, table: str, columns: tuple[str, ...], rows: list[Any]) -> None:
    if not rows:
        return
    names = ", ".join(columns)
    values = ", ".join(f":{c}" for c in columns)
    with store.engine.begin() as conn:
        conn.execute(
            sa.text(f"INSERT INTO {table} ({names}) VALUES ({values})"),
            [dict(zip(columns, row, strict=True)) for row in rows],
        )


def verify_batches(source: CollectorStore, progress: Callable[[int], None] | None = None) -> int:
    """Check every stored batch again and match it to the votes held; StoreError at the first fault."""
    held: dict[tuple[str, int], str] = {
        (str(k), int(s)): str(h) for k, s, h in _rows(source, "SELECT kiosk, seq, hash FROM votes")
    }
    covered = 0
    count = 0
    for count, (digest, body, _, _, _) in enumerate(_batches(source), start=1):
        check = check_batch(body)
        if not check.ok or check.kiosk is None:
            raise StoreError(
                "copy_refused",
                f"stored batch {digest[:16]} does not verify ({check.summary()}); nothing was"
                " copied. The source database was changed outside the collector.",
            )
        for vote, vote_hash in zip(check.records(), check.hashes, strict=True):
            if held.get((check.kiosk, vote.seq)) == vote_hash:
                covered += 1
        if progress:
            progress(count)
    if covered < len(held):
        raise StoreError(
            "copy_refused",
            f"{len(held) - covered} counted votes are in no verified batch; nothing was copied",
        )
    return count


def copy_database(
    source: CollectorStore,
    target: CollectorStore,
    progress: Callable[[str, int], None] | None = None,
) -> Copied:
    """Copy source into target, which must hold no kiosk yet; every batch is verified first."""
    if target.enrolled_count() or target.total_votes():
        raise StoreError(
            "copy_target_not_empty",
            f"the database {target.target} already holds kiosks or votes; copy into a new,"
            " empty database",
        )
    batches = verify_batches(source, (lambda n: progress("verified", n)) if progress else None)
    _insert(
        target,
        "districts",
        ("code", "size_group", "name_th", "name_en", "province_th", "province_en"),
        _rows(
            source,
            "SELECT code, size_group, name_th, name_en, province_th, province_en FROM districts",
        ),
    )
    _insert(target, "settings", ("key", "value"), _rows(source, "SELECT key, value FROM settings"))
    _insert(
        target,
        "tokens",
        ("token_hash", "district", "issued_at", "used_at", "used_by"),
        _rows(source, "SELECT token_hash, district, issued_at, used_at, used_by FROM tokens"),
    )
    # The campaigns before the votes: each copied vote is placed and tallied as it arrives.
    campaign_columns = (
        "year", "name_th", "name_en", "starts_on", "ends_on", "starts_at", "ends_at",
        "slogan_th", "slogan_en", "created_at", "created_by",
    )  # fmt: skip
    _insert(
        target, "campaigns", campaign_columns,
        _rows(source, f"SELECT {', '.join(campaign_columns)} FROM campaigns"),
    )  # fmt: skip
    own = ("campaign", "district", "size_group")  # the groups a campaign kept: after both
    _insert(
        target, "campaign_groups", own,
        _rows(source, f"SELECT {', '.join(own)} FROM campaign_groups"),
    )  # fmt: skip
    announced = ("campaign", "size_group", "announced_at", "operator", "method", "awards", "votes")
    _insert(
        target, "campaign_announcements", announced,
        _rows(source, f"SELECT {', '.join(announced)} FROM campaign_announcements"),
    )  # fmt: skip
    kiosks = _rows(source, "SELECT kiosk, public_key, district, enrolled_at FROM kiosks")
    _insert(target, "kiosks", ("kiosk", "public_key", "district", "enrolled_at"), kiosks)
    frozen = ("campaign", "size_group", "kiosk", "first_seq", "last_seq")  # after the kiosks
    _insert(
        target, "announced_seqs", frozen,
        _rows(source, f"SELECT {', '.join(frozen)} FROM announced_seqs"),
    )  # fmt: skip
    clock, kept = _At(), target.clock
    target.clock = clock
    try:
        for number, (digest, body, received_at, how, new) in enumerate(_batches(source), 1):
            clock.moment = parse_utc(received_at)
            result = target.ingest(check_batch(body), body, how)
            if result.new != new:
                raise StoreError(
                    "copy_mismatch",
                    f"batch {digest[:16]} brought {result.new} new votes in the copy but {new}"
                    " in the source; the copy is incomplete: drop it and copy again",
                )
            if progress:
                progress("copied", number)
    finally:
        target.clock = kept
    columns = (
        "kiosk",
        "seq",
        "hash",
        "held_hash",
        "reason",
        "body",
        "received_at",
        "source",
        "source_addr",
    )
    quarantine = _rows(source, f"SELECT {', '.join(columns)} FROM quarantine ORDER BY id")
    audit_columns = (
        "at", "kind", "reason", "kiosk", "source", "source_addr", "detail", "operator",
        "repeats", "last_at", "facts",
    )  # fmt: skip
    audit = _rows(source, f"SELECT {', '.join(audit_columns)} FROM audit ORDER BY id")
    life = _rows(source, f"SELECT kiosk, {', '.join(KIOSK_LIFE)} FROM kiosks")
    with target.engine.begin() as conn:
        # What ingest wrote to the audit while copying is replaced by the source's own history.
        conn.execute(sa.text("DELETE FROM audit"))
        if quarantine:
            conn.execute(
                sa.text(
                    f"INSERT INTO quarantine ({', '.join(columns)}) VALUES"
                    f" ({', '.join(':' + c for c in columns)}) ON CONFLICT (kiosk, seq, hash) DO NOTHING"
                ),
                [dict(zip(columns, row, strict=True)) for row in quarantine],
            )
        if life:
            conn.execute(
                sa.text(
                    "UPDATE kiosks SET "
                    + ", ".join(f"{c} = :{c}" for c in KIOSK_LIFE)
                    + " WHERE kiosk = :kiosk"
                ),
                [dict(zip(("kiosk", *KIOSK_LIFE), row, strict=True)) for row in life],
            )
    _insert(target, "audit", audit_columns, audit)
    _compare(source, target)
    target.audit(
        "copied",
        "copied",
        f"copied from {source.target}: {batches} batches verified again, {target.total_votes()} votes",
        source="cli",
        facts={"from": str(source.target), "batches": batches, "votes": target.total_votes()},
    )
    return Copied(batches, target.total_votes(), len(kiosks), len(quarantine), len(audit))


def _compare(source: CollectorStore, target: CollectorStore) -> None:
    # placed_at too: the batches replayed at their own receipt times place every vote again
    # where the source placed it (placement.py), so each campaign counts the same votes.
    sql = "SELECT kiosk, seq, hash, placed_at FROM votes ORDER BY kiosk, seq"
    if _rows(source, sql) != _rows(target, sql) or source.report() != target.report():
        raise StoreError(
            "copy_mismatch",
            "the copy does not hold the same votes as the source; drop it and copy again",
        )
    log.info("the copy holds the same votes and report as %s", source.target)
