"""What the store holds, as the fleet page, `report` and the quarantine page read it.

Each kiosk's status (its held votes as runs, the gaps between them, its clock), the votes per
district and size group from the tallies, and the quarantined votes. Nothing here writes:
each function reads through a connection from ``CollectorStore.reading()``, so every query of
one page sees the same snapshot; ``CollectorStore`` keeps the methods the collector calls.
"""

from __future__ import annotations

from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from collector.store import classification
from collector.store.placement import held_ranges, ranges_above
from collector.store.records import KioskStatus, StoreError
from wire.batch import gaps
from wire.districts import SIZE_GROUPS
from wire.receipt import Ranges

_KIOSK_COLUMNS: Final = (
    "kiosk, district, enrolled_at, revoked_at, last_seen, contiguous, max_seq, votes,"
    " clock_skew_s, vote_ahead_s, clock_checked_at, replays, last_replay_at, software,"
    " last_checkin"
)
_QUARANTINE_KEYS: Final = (
    "id", "kiosk", "seq", "reason", "hash", "held_hash", "received_at", "source", "source_addr",
)  # fmt: skip


def _status(row: Any, held: Ranges, skew_threshold_s: float) -> KioskStatus:
    k, district, enrolled, revoked, seen, contiguous, max_seq, votes = row[:8]
    skew, ahead, checked, replays, last_replay_at, software, checkin = row[8:]
    return KioskStatus(
        k, district, enrolled, revoked, seen, int(contiguous), int(max_seq), int(votes),
        held, gaps(held), skew, ahead, checked, skew_threshold_s, int(replays),
        last_replay_at, software, checkin,
    )  # fmt: skip


def kiosk_status(conn: Connection, kiosk: str, skew_threshold_s: float) -> KioskStatus:
    """What the collector holds for a kiosk (StoreError 'unknown_kiosk' if it is not enrolled)."""
    row = conn.execute(
        sa.text(f"SELECT {_KIOSK_COLUMNS} FROM kiosks WHERE kiosk = :kiosk"),
        {"kiosk": kiosk},
    ).first()
    if row is None:
        raise StoreError("unknown_kiosk", f"kiosk {kiosk} is not enrolled")
    return _status(row, held_ranges(conn, kiosk), skew_threshold_s)


def kiosks(conn: Connection, skew_threshold_s: float) -> list[KioskStatus]:
    """Every enrolled kiosk's status, by district and kiosk."""
    rows = conn.execute(
        sa.text(f"SELECT {_KIOSK_COLUMNS} FROM kiosks ORDER BY district, kiosk")
    ).all()
    # The votes above each kiosk's contiguous mark, for all kiosks in one query (each
    # kiosk's part a range of the primary key): usually none, a few for a kiosk
    # with a gap. One query per kiosk cost more than the rest of the fleet page.
    # CROSS JOIN keeps kiosks the outer loop in SQLite (a plain JOIN let it scan every
    # vote: 2.8 s against 18 ms at a million votes); PostgreSQL plans it as a join.
    above: dict[str, list[int]] = {}
    for kiosk, seq in conn.execute(
        sa.text(
            "SELECT k.kiosk, v.seq FROM kiosks k CROSS JOIN votes v"
            " WHERE v.kiosk = k.kiosk AND v.seq > k.contiguous ORDER BY k.kiosk, v.seq"
        )
    ):
        above.setdefault(str(kiosk), []).append(int(seq))
    return [
        _status(row, ranges_above(int(row[5]), above.get(str(row[0]), [])), skew_threshold_s)
        for row in rows
    ]


def report(conn: Connection, campaign: int | None = None) -> dict[str, Any]:
    """Votes per district and size group, the counts of `report --json` (from the tallies): of
    one campaign (its Buddhist-era year, with its size groups), or of every vote held (None,
    the current groups). A district's kiosks are those enrolled for it, whatever the campaign."""
    tally = (
        "tally_districts t ON t.district = d.code"
        if campaign is None
        else "tally_campaigns t ON t.district = d.code AND t.campaign = :campaign"
    )
    rows = conn.execute(
        sa.text(
            "SELECT d.code, d.size_group, d.name_th, d.name_en, d.province_th, d.province_en,"
            " COALESCE(t.r1, 0), COALESCE(t.r2, 0), COALESCE(t.r3, 0), COALESCE(t.r4, 0),"
            f" COALESCE(t.r5, 0), COALESCE(k.n, 0) FROM {classification.table(campaign)} d"
            f" LEFT JOIN {tally}"
            " LEFT JOIN (SELECT district, COUNT(*) AS n FROM kiosks GROUP BY district) k"
            " ON k.district = d.code ORDER BY d.code"
        ),
        {"campaign": campaign},
    )
    districts = []
    for code, group, name_th, name_en, prov_th, prov_en, *counts in rows:
        ratings, kiosks = [int(c) for c in counts[:5]], int(counts[5])
        votes = sum(ratings)
        mean = sum(r * c for r, c in zip(range(1, 6), ratings, strict=True)) / votes if votes else 0
        districts.append(
            {
                "code": code,
                "size_group": group,
                "votes": votes,
                "mean_rating": round(mean, 3) if votes else None,
                "name_th": name_th,
                "name_en": name_en,
                "province_th": prov_th,
                "province_en": prov_en,
                "kiosks": kiosks,
            }
        )
    by_group = {g: sum(d["votes"] for d in districts if d["size_group"] == g) for g in SIZE_GROUPS}
    return {
        "total": sum(d["votes"] for d in districts),
        "size_groups": by_group,
        "districts": districts,
    }


def quarantined(conn: Connection, limit: int | None) -> list[dict[str, Any]]:
    """Quarantined votes, newest first (the newest ``limit`` of them when given)."""
    rows = conn.execute(
        sa.text(
            "SELECT id, kiosk, seq, reason, hash, held_hash, received_at, source, source_addr"
            " FROM quarantine ORDER BY id DESC" + (" LIMIT :limit" if limit is not None else "")
        ),
        {"limit": limit} if limit is not None else {},
    )
    return [dict(zip(_QUARANTINE_KEYS, row, strict=True)) for row in rows]
