"""CollectorStore: the collector's one SQLite file (WAL, synchronous=FULL), through sqlite-utils.

What the store promises (design promises 3, 4, 6, 7, 9); where each vote of a batch goes is
decided in placement.py, inside the transaction ``ingest`` opens:

* Exactly once: (kiosk, seq) is a vote's identity and the primary key of ``votes``. A vote
  already held with the same hash is acknowledged again and not stored twice; a vote whose
  identity is held with *other* bytes goes to ``quarantine`` with an audit row and never
  overwrites what is held. Network and USB batches go through the same ``ingest``.
* A batch is stored whole or not at all: it is checked completely before the transaction, and
  every vote, the batch bytes and the kiosk's bookkeeping are written in one transaction.
* Every refusal is written to ``audit`` with its reason, the kiosk and the source address.
* The chain holds across batches: a new vote must name the hash of the held vote before it,
  and the held vote after it must name the new vote's hash; a vote that would fork the chain
  is quarantined like a conflict.
* Time: the collector stamps ``received_at`` itself; a kiosk's clock skew is measured from the
  ``made_at`` of batches that came over the network (a USB file is made long before import).
* Life: a kiosk's ``last_seen`` moves only when one of its batches brings at least one new
  vote. Anyone holding a publication can send a stored batch again, so a batch that brings
  nothing new (a replay, or the kiosk's own resend after a lost receipt) is acknowledged and
  counted apart (``replays``, ``last_replay_at``); it must not make a silent or stolen kiosk
  look alive on the fleet page.
* The database holds every vote and the audit: it is made owner-only (0600), and an existing
  file (with its -wal and -shm) loses any access for group and others when opened. SQLite
  gives the -wal and -shm files the database's own mode.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geothai

from collector.store.connection import begin_immediate, open_database
from collector.store.placement import (
    held_ranges,
    place_votes,
    record_vote_clock,
    update_kiosk,
)
from collector.store.records import (
    Enrollment,
    IngestResult,
    KioskStatus,
    StoreError,
    skew_threshold_from_env,
)
from wire.batch import BatchCheck, VoteRecord, gaps, to_ranges
from wire.clock import Clock, SystemClock, format_utc, parse_utc
from wire.districts import SIZE_GROUPS, valid_district
from wire.keys import is_weak_public_key, kiosk_id_for
from wire.receipt import Receipt

log = logging.getLogger(__name__)


def token_hash(token: str) -> str:
    """The stored form of an enrollment token (the token itself is never stored).

    Case and spaces do not matter: a token read over the phone may be typed in capitals.
    """
    return hashlib.sha256("".join(token.split()).lower().encode("utf-8")).hexdigest()


class CollectorStore:
    """The collector's database with small guarded methods."""

    def __init__(
        self, path: Path, clock: Clock | None = None, skew_threshold_s: float | None = None
    ) -> None:
        """Open (or create) the collector database at path.

        skew_threshold_s: a kiosk clock further off than this is flagged (default
        $SANGSUK_CLOCK_THRESHOLD_S, else SKEW_FLAG_SECONDS).
        """
        self.path = path
        self.clock: Clock = clock or SystemClock()
        self.skew_threshold_s = (
            skew_threshold_s if skew_threshold_s is not None else skew_threshold_from_env()
        )
        self._lock = threading.Lock()
        self.db = open_database(path)
        self._conn: sqlite3.Connection = self.db.conn

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> CollectorStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            begin_immediate(self._conn)
            try:
                yield self._conn
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchall()

    def now(self) -> str:
        """The collector's own time, as a protocol timestamp."""
        return format_utc(self.clock.now())

    # --- audit -----------------------------------------------------------------------------

    def audit(
        self,
        kind: str,
        reason: str,
        detail: str,
        kiosk: str | None = None,
        source: str | None = None,
        source_addr: str | None = None,
    ) -> None:
        """Write an audit row (refusals, conflicts, revocations) in its own transaction."""
        with self._write() as conn:
            self._audit(conn, kind, reason, detail, kiosk, source, source_addr)
        log.warning("audit %s %s kiosk=%s from=%s: %s", kind, reason, kiosk, source_addr, detail)

    def _audit(
        self,
        conn: sqlite3.Connection,
        kind: str,
        reason: str,
        detail: str,
        kiosk: str | None,
        source: str | None,
        source_addr: str | None,
    ) -> None:
        conn.execute(
            "INSERT INTO audit (at, kind, reason, kiosk, source, source_addr, detail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (self.now(), kind, reason, kiosk, source, source_addr, detail[:4000]),
        )

    def audit_rows(self, limit: int = 200) -> list[dict[str, Any]]:
        """The latest audit rows, newest first."""
        rows = self._read(
            "SELECT id, at, kind, reason, kiosk, source, source_addr, detail FROM audit"
            " ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        keys = ("id", "at", "kind", "reason", "kiosk", "source", "source_addr", "detail")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    # --- settings --------------------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        """A setting's value, or None when it was never set."""
        rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_setting(self, key: str, value: str) -> None:
        """Set a setting; the change is written to the audit in the same transaction."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
            self._audit(conn, "settings", key, f"{key} set to {value}", None, "cli", None)

    # --- districts and enrollment ----------------------------------------------------------

    def load_districts(self, rows: Iterable[tuple[str, str]]) -> int:
        """Set the size group of districts from (code, size_group) pairs; names from geothai."""
        records = []
        for line, (code, group) in enumerate(rows, start=1):
            code, group = code.strip(), group.strip().lower()
            if not valid_district(code):
                raise StoreError(
                    "bad_district", f"row {line}: {code!r} is not the code of a district office"
                )
            if group not in SIZE_GROUPS:
                raise StoreError(
                    "bad_size_group",
                    f"row {line}: size group must be small, medium or large, not {group!r}",
                )
            district = geothai.district(code)
            province = geothai.province(code[:2])
            if district is None or province is None:  # pragma: no cover - valid_district checked it
                raise StoreError("bad_district", f"row {line}: {code!r} is not in geothai")
            records.append(
                (
                    code,
                    group,
                    district.name_th,
                    district.name_en,
                    province.name_th,
                    province.name_en,
                )
            )
        with self._write() as conn:
            conn.executemany(
                "INSERT INTO districts (code, size_group, name_th, name_en, province_th, province_en)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET size_group = excluded.size_group",
                records,
            )
        return len(records)

    def issue_token(self, district: str) -> str:
        """Issue a one-time enrollment token for a district; only its hash is stored."""
        if not self._read("SELECT 1 FROM districts WHERE code = ?", (district,)):
            raise StoreError(
                "unknown_district",
                f"district {district!r} is not loaded; run `districts --load` first",
            )
        # 128 random bits as four groups of 8 lowercase hex digits: easy to read aloud and to
        # type on the kiosk's keyboard, and never starting with "-" (which a command line
        # would take for an option).
        raw = secrets.token_hex(16)
        token = "-".join(raw[i : i + 8] for i in range(0, 32, 8))
        with self._write() as conn:
            conn.execute(
                "INSERT INTO tokens (token_hash, district, issued_at) VALUES (?, ?, ?)",
                (token_hash(token), district, self.now()),
            )
        return token

    def enroll(
        self,
        token: str,
        public_key_hex: str,
        source_addr: str | None = None,
        expected_district: str | None = None,
    ) -> Enrollment:
        """Bind a kiosk's public key to the district its one-time token was issued for.

        A kiosk already set up for a district names it as expected_district: a token for
        another district is then refused and stays unused.
        """
        try:
            public_raw = bytes.fromhex(public_key_hex)
            if (
                len(public_raw) != 32
                or public_key_hex != public_raw.hex()
                or is_weak_public_key(public_raw)
            ):
                raise ValueError
        except (ValueError, TypeError):
            self.audit(
                "refused",
                "bad_public_key",
                "enrollment with a malformed public key",
                None,
                "enroll",
                source_addr,
            )
            raise StoreError(
                "bad_public_key",
                "the public key must be 64 lowercase hex digits of a usable Ed25519 key",
            ) from None
        kiosk = kiosk_id_for(public_raw)
        with self._write() as conn:
            row = conn.execute(
                "SELECT district, used_by FROM tokens WHERE token_hash = ?", (token_hash(token),)
            ).fetchone()
            if row is None:
                refusal = ("token_unknown", "this enrollment token is not known to the collector")
            elif row[1] is not None and row[1] != kiosk:
                refusal = (
                    "token_used",
                    "this enrollment token has already been used by another kiosk",
                )
            elif expected_district is not None and row[0] != expected_district:
                refusal = (
                    "token_other_district",
                    f"this token is for district {row[0]}, but the kiosk is set up for district"
                    f" {expected_district}; the token was not used",
                )
            else:
                refusal = None
            if refusal is None:
                existing = conn.execute(
                    "SELECT district, revoked_at FROM kiosks WHERE kiosk = ?", (kiosk,)
                ).fetchone()
                if existing is not None and existing[1] is not None:
                    refusal = ("revoked", "this kiosk has been revoked by the central office")
                elif existing is not None and existing[0] != row[0]:
                    refusal = (
                        "already_enrolled",
                        f"this kiosk is already enrolled for district {existing[0]}",
                    )
            if refusal is not None:
                self._audit(conn, "refused", refusal[0], refusal[1], kiosk, "enroll", source_addr)
            else:
                now = self.now()
                conn.execute(
                    "UPDATE tokens SET used_at = COALESCE(used_at, ?), used_by = ? WHERE token_hash = ?",
                    (now, kiosk, token_hash(token)),
                )
                conn.execute(
                    "INSERT INTO kiosks (kiosk, public_key, district, enrolled_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (kiosk) DO NOTHING",
                    (kiosk, public_key_hex, row[0], now),
                )
        if refusal is not None:
            raise StoreError(*refusal)
        return self.enrollment(kiosk)

    def enrollment(self, kiosk: str) -> Enrollment:
        """The district and names a kiosk is enrolled for."""
        rows = self._read(
            "SELECT k.kiosk, k.district, d.size_group, d.name_th, d.name_en, d.province_th, d.province_en"
            " FROM kiosks k JOIN districts d ON d.code = k.district WHERE k.kiosk = ?",
            (kiosk,),
        )
        if not rows:
            raise StoreError("unknown_kiosk", f"kiosk {kiosk} is not enrolled")
        return Enrollment(*rows[0])

    def revoke(self, kiosk: str) -> None:
        """Revoke a kiosk: its batches are refused from now on; its accepted votes stay."""
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE kiosks SET revoked_at = COALESCE(revoked_at, ?) WHERE kiosk = ?",
                (self.now(), kiosk),
            )
            if cur.rowcount == 0:
                raise StoreError("unknown_kiosk", f"kiosk {kiosk} is not enrolled")
            self._audit(
                conn,
                "revoked",
                "revoked",
                "kiosk revoked by the central office",
                kiosk,
                "cli",
                None,
            )

    # --- ingest ----------------------------------------------------------------------------

    def refuse(self, check: BatchCheck, source: str, source_addr: str | None) -> None:
        """Audit a batch that failed its checks (nothing of it is stored)."""
        reason = check.problems[0].code if check.problems else "refused"
        self.audit("refused", reason, check.summary(), check.kiosk, source, source_addr)

    def ingest(
        self, check: BatchCheck, data: bytes, source: str, source_addr: str | None = None
    ) -> IngestResult:
        """Store a batch that passed ``check_batch``: each vote exactly once, conflicts quarantined."""
        if not check.ok or check.kiosk is None or check.first_seq is None or check.last_seq is None:
            self.refuse(check, source, source_addr)
            raise StoreError("invalid_batch", check.summary() or "the batch was not checked")
        kiosk, first, last = check.kiosk, check.first_seq, check.last_seq
        received_at = self.clock.now()
        now = format_utc(received_at)
        batch_hash = hashlib.sha256(data).hexdigest()
        records = check.records()
        with self._write() as conn:
            row = conn.execute(
                "SELECT district, revoked_at, contiguous, public_key FROM kiosks WHERE kiosk = ?",
                (kiosk,),
            ).fetchone()
            refusal = self._refusal(row, check, records)
            if refusal is not None:
                # The refusal is committed to the audit; nothing of the batch is stored.
                self._audit(conn, "refused", refusal[0], refusal[1], kiosk, source, source_addr)
            else:
                result = place_votes(
                    conn,
                    check,
                    records,
                    kiosk,
                    first,
                    last,
                    now,
                    source,
                    source_addr,
                    batch_hash,
                    data,
                    self._audit,
                )
                # Only a batch that brought new votes tells how the kiosk's clock is now: an
                # exact replay of old bytes (months later, by anyone) must neither flag a
                # sound clock nor clear the flag of a wrong one.
                skew = None
                if source == "http" and check.made_at is not None and result.new:
                    skew = (parse_utc(check.made_at) - received_at).total_seconds()
                if result.new:
                    update_kiosk(
                        conn, kiosk, int(row[2]), result.receipt.accepted, now, source, skew,
                        result.new,
                    )  # fmt: skip
                    record_vote_clock(conn, kiosk, records, received_at, now)
                else:
                    # Nothing new: every vote was held already (or quarantined). Bytes anyone
                    # may hold are no sign of the kiosk's life, so last_seen stays.
                    conn.execute(
                        "UPDATE kiosks SET replays = replays + 1, last_replay_at = ?"
                        " WHERE kiosk = ?",
                        (now, kiosk),
                    )
                held = held_ranges(conn, kiosk)
                r = result.receipt
                result.receipt = Receipt(
                    kiosk, check.votes_hash, r.accepted, r.conflicts, held, gaps(held), now
                )
        if refusal is not None:
            log.warning("refused batch from %s (%s): %s", kiosk, source_addr, refusal[1])
            raise StoreError(*refusal)
        return result

    def _refusal(
        self, row: tuple[Any, ...] | None, check: BatchCheck, records: list[VoteRecord]
    ) -> tuple[str, str] | None:
        if row is None:
            return ("unknown_kiosk", f"kiosk {check.kiosk} is not enrolled")
        district, revoked_at, _, public_key = row
        if revoked_at is not None:
            return ("revoked", f"kiosk {check.kiosk} was revoked on {revoked_at}")
        if public_key != (check.public_key or b"").hex():
            return ("unknown_kiosk", "the batch's public key is not the one enrolled")
        wrong = [r.seq for r in records if r.district != district]
        if wrong:
            return (
                "district_mismatch",
                f"votes {to_ranges(wrong)} name another district than {district}, which this kiosk is enrolled for",
            )
        return None

    # --- reading ---------------------------------------------------------------------------

    def kiosk_status(self, kiosk: str) -> KioskStatus:
        """What the collector holds for a kiosk."""
        rows = self._read(
            "SELECT kiosk, district, enrolled_at, revoked_at, last_seen, contiguous, max_seq, votes,"
            " clock_skew_s, vote_ahead_s, clock_checked_at, replays, last_replay_at"
            " FROM kiosks WHERE kiosk = ?",
            (kiosk,),
        )
        if not rows:
            raise StoreError("unknown_kiosk", f"kiosk {kiosk} is not enrolled")
        with self._lock:
            held = held_ranges(self._conn, kiosk)
        (k, district, enrolled, revoked, seen, contiguous, max_seq, votes, skew, ahead, checked) = (
            rows[0][:11]
        )
        replays, last_replay_at = rows[0][11:]
        return KioskStatus(
            k,
            district,
            enrolled,
            revoked,
            seen,
            contiguous,
            max_seq,
            votes,
            held,
            gaps(held),
            skew,
            ahead,
            checked,
            self.skew_threshold_s,
            replays,
            last_replay_at,
        )

    def kiosks(self) -> list[KioskStatus]:
        """Every enrolled kiosk's status."""
        return [
            self.kiosk_status(r[0])
            for r in self._read("SELECT kiosk FROM kiosks ORDER BY district, kiosk")
        ]

    def report(self) -> dict[str, Any]:
        """Votes per district and size group, in the shape of `report --json`."""
        rows = self._read(
            "SELECT d.code, d.size_group, d.name_th, d.name_en, d.province_th, d.province_en,"
            " COUNT(v.seq), COALESCE(AVG(v.rating), 0),"
            " (SELECT COUNT(*) FROM kiosks k WHERE k.district = d.code)"
            " FROM districts d LEFT JOIN votes v ON v.district = d.code"
            " GROUP BY d.code ORDER BY d.code"
        )
        districts = [
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
            for code, group, name_th, name_en, prov_th, prov_en, votes, mean, kiosks in rows
        ]
        by_group = {
            g: sum(d["votes"] for d in districts if d["size_group"] == g) for g in SIZE_GROUPS
        }
        return {
            "total": sum(d["votes"] for d in districts),
            "size_groups": by_group,
            "districts": districts,
        }

    def quarantined(self) -> list[dict[str, Any]]:
        """Quarantined votes, newest first."""
        rows = self._read(
            "SELECT id, kiosk, seq, reason, hash, held_hash, received_at, source, source_addr"
            " FROM quarantine ORDER BY id DESC"
        )
        keys = (
            "id",
            "kiosk",
            "seq",
            "reason",
            "hash",
            "held_hash",
            "received_at",
            "source",
            "source_addr",
        )
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def enrolled_count(self) -> int:
        """How many kiosks are enrolled (revoked ones included)."""
        return int(self._read("SELECT COUNT(*) FROM kiosks")[0][0])

    def total_votes(self) -> int:
        """How many votes are held."""
        return int(self._read("SELECT COUNT(*) FROM votes")[0][0])
