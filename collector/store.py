"""The collector's store: one SQLite file (WAL, synchronous=FULL) through sqlite-utils.

What the store promises (design promises 3, 4, 6, 7, 9):

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
import os
import secrets
import sqlite3
import stat
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import geothai
import sqlite_utils
from sqlite_utils.migrations import Migrations

from wire.batch import BatchCheck, Ranges, Receipt, VoteRecord, gaps, to_ranges
from wire.clock import Clock, SystemClock, format_utc, parse_utc
from wire.districts import SIZE_GROUPS, valid_district
from wire.keys import is_weak_public_key, kiosk_id_for

WRITE_LOCK_TIMEOUT_S: Final = 30.0
BUSY_TIMEOUT_MS: Final = 30_000
SKEW_FLAG_SECONDS: Final = 300  # a kiosk clock more than 5 minutes off is flagged (default)
SKEW_THRESHOLD_ENV: Final = "SANGSUK_CLOCK_THRESHOLD_S"
DB_FILE_MODE: Final = 0o600  # owner-only: the database holds every vote and the audit
SQLITE_SIDE_FILES: Final = ("-wal", "-shm", "-journal")
log = logging.getLogger(__name__)

migrations = Migrations("sangsuk-collector")


@migrations()
def m001_collector(db: sqlite_utils.Database) -> None:
    """Create districts, tokens, kiosks, votes, quarantine, batches and audit."""
    for sql in (
        """CREATE TABLE districts (
            code TEXT PRIMARY KEY, size_group TEXT NOT NULL
                CHECK (size_group IN ('small', 'medium', 'large')),
            name_th TEXT NOT NULL, name_en TEXT NOT NULL,
            province_th TEXT NOT NULL, province_en TEXT NOT NULL)""",
        """CREATE TABLE tokens (
            token_hash TEXT PRIMARY KEY, district TEXT NOT NULL REFERENCES districts (code),
            issued_at TEXT NOT NULL, used_at TEXT, used_by TEXT)""",
        """CREATE TABLE kiosks (
            kiosk TEXT PRIMARY KEY, public_key TEXT NOT NULL UNIQUE,
            district TEXT NOT NULL REFERENCES districts (code),
            enrolled_at TEXT NOT NULL, revoked_at TEXT, last_seen TEXT, last_source TEXT,
            contiguous INTEGER NOT NULL DEFAULT 0, max_seq INTEGER NOT NULL DEFAULT 0,
            votes INTEGER NOT NULL DEFAULT 0, clock_skew_s REAL)""",
        """CREATE TABLE votes (
            kiosk TEXT NOT NULL REFERENCES kiosks (kiosk), seq INTEGER NOT NULL,
            hash TEXT NOT NULL, prev TEXT NOT NULL, district TEXT NOT NULL,
            rating INTEGER NOT NULL, target_kind TEXT, target_id TEXT, service TEXT,
            tags TEXT NOT NULL, story TEXT NOT NULL, lang TEXT NOT NULL, burst INTEGER NOT NULL,
            cast_at TEXT NOT NULL, received_at TEXT NOT NULL, source TEXT NOT NULL,
            batch TEXT NOT NULL, body BLOB NOT NULL,
            PRIMARY KEY (kiosk, seq)) WITHOUT ROWID""",
        "CREATE INDEX votes_district ON votes (district, rating)",
        """CREATE TRIGGER votes_no_update BEFORE UPDATE ON votes
           BEGIN SELECT RAISE(ABORT, 'accepted votes are never changed'); END""",
        """CREATE TRIGGER votes_no_delete BEFORE DELETE ON votes
           BEGIN SELECT RAISE(ABORT, 'accepted votes are never deleted'); END""",
        """CREATE TABLE quarantine (
            id INTEGER PRIMARY KEY, kiosk TEXT NOT NULL, seq INTEGER NOT NULL,
            hash TEXT NOT NULL, held_hash TEXT, reason TEXT NOT NULL, body BLOB NOT NULL,
            received_at TEXT NOT NULL, source TEXT NOT NULL, source_addr TEXT,
            UNIQUE (kiosk, seq, hash))""",
        """CREATE TABLE batches (
            hash TEXT PRIMARY KEY, kiosk TEXT NOT NULL, first_seq INTEGER NOT NULL,
            last_seq INTEGER NOT NULL, new_votes INTEGER NOT NULL, received_at TEXT NOT NULL,
            source TEXT NOT NULL, body BLOB NOT NULL)""",
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL,
            kiosk TEXT, source TEXT, source_addr TEXT, detail TEXT NOT NULL)""",
    ):
        db.execute(sql)


@migrations()
def m002_vote_clock(db: sqlite_utils.Database) -> None:
    """Per kiosk: how far its newest vote's clock was past the receipt time, and when measured."""
    db.execute("ALTER TABLE kiosks ADD COLUMN vote_ahead_s REAL")
    db.execute("ALTER TABLE kiosks ADD COLUMN clock_checked_at TEXT")


@migrations()
def m003_settings(db: sqlite_utils.Database) -> None:
    """Settings the central office chooses (the ranking method), by name."""
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


@migrations()
def m004_vote_bytes_once(db: sqlite_utils.Database) -> None:
    """Keep each vote's signed bytes once: in its batch, not again beside its fields.

    Every counted vote names the batch that brought it (votes.batch), and batches.body holds
    that batch's exact bytes, the vote's among them: what `publish` hands to auditors and
    `recount` re-verifies. The copy in votes.body was never read, and writing it cost a
    quarter of the time to store a vote (docs/performance.md).
    """
    db.execute("ALTER TABLE votes DROP COLUMN body")


@migrations()
def m005_replays(db: sqlite_utils.Database) -> None:
    """Per kiosk: batches that brought no new vote, counted apart from last_seen, and when."""
    db.execute("ALTER TABLE kiosks ADD COLUMN replays INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE kiosks ADD COLUMN last_replay_at TEXT")


def restrict_to_owner(path: Path) -> None:
    """Make the database file owner-only (0600), or tighten an existing one and its WAL files.

    A new file is created 0600 before SQLite opens it, so the -wal and -shm files SQLite makes
    beside it get 0600 too. An existing file (and any -wal, -shm or -journal beside it) loses
    every permission of group and others, with a log line. Nothing to do on Windows.
    """
    if os.name != "posix":
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, DB_FILE_MODE))
        return
    except FileExistsError:
        pass
    except OSError:  # e.g. a read-only folder: SQLite's own error says it better
        return
    for file in (path, *(path.with_name(path.name + s) for s in SQLITE_SIDE_FILES)):
        try:
            st = os.stat(file)
        except OSError:
            continue
        mode = stat.S_IMODE(st.st_mode)
        if not stat.S_ISREG(st.st_mode) or not mode & 0o077:
            continue
        try:
            os.chmod(file, mode & 0o700)
        except OSError as exc:
            log.warning(
                "%s can be read by others (mode %o) and cannot be made owner-only: %s",
                file,
                mode,
                exc.strerror or exc,
            )
        else:
            log.warning(
                "made %s owner-only (mode %o, was %o): it holds votes", file, mode & 0o700, mode
            )


def skew_threshold_from_env() -> float:
    """The clock-skew flag threshold in seconds: $SANGSUK_CLOCK_THRESHOLD_S, else 300."""
    text = os.environ.get(SKEW_THRESHOLD_ENV, "")
    try:
        value = float(text) if text else float(SKEW_FLAG_SECONDS)
    except ValueError:
        log.warning("ignoring %s=%r: not a number of seconds", SKEW_THRESHOLD_ENV, text)
        return float(SKEW_FLAG_SECONDS)
    return value if value > 0 else float(SKEW_FLAG_SECONDS)


class StoreError(Exception):
    """A request the store refuses. ``code`` names the reason; the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Enrollment:
    """What a kiosk learns when it enrolls."""

    kiosk: str
    district: str
    size_group: str
    name_th: str
    name_en: str
    province_th: str
    province_en: str


@dataclass(slots=True)
class IngestResult:
    """What one batch did to the store."""

    receipt: Receipt
    new: int = 0
    duplicates: int = 0
    conflicts: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class KioskStatus:
    """What the collector holds for one kiosk."""

    kiosk: str
    district: str
    enrolled_at: str
    revoked_at: str | None
    last_seen: str | None
    contiguous: int
    max_seq: int
    votes: int
    held: Ranges
    missing: Ranges
    clock_skew_s: float | None
    # The newest vote's cast_at minus the receipt time of the latest batch (any source):
    # positive means votes stamped in the future, a clock running ahead.
    vote_ahead_s: float | None = None
    clock_checked_at: str | None = None
    skew_threshold_s: float = SKEW_FLAG_SECONDS
    # Batches that brought no new vote (replays, or resends): they do not move last_seen.
    replays: int = 0
    last_replay_at: str | None = None

    @property
    def revoked(self) -> bool:
        """True once the central office revoked the kiosk."""
        return self.revoked_at is not None

    @property
    def skew_flagged(self) -> bool:
        """True when the kiosk's clock was found more than skew_threshold_s off.

        Either a network batch's made_at was that far from the receipt time (ahead or
        behind), or a batch (network or USB) held votes cast that far after it was received.
        """
        return (
            self.clock_skew_s is not None and abs(self.clock_skew_s) > self.skew_threshold_s
        ) or (self.vote_ahead_s is not None and self.vote_ahead_s > self.skew_threshold_s)


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
        path.parent.mkdir(parents=True, exist_ok=True)
        restrict_to_owner(path)
        try:
            self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._conn.execute("PRAGMA foreign_keys = ON")
            mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            self._conn.execute("PRAGMA synchronous = FULL")
            if (
                str(mode).lower() != "wal"
                or self._conn.execute("PRAGMA synchronous").fetchone()[0] != 2
            ):
                raise StoreError(
                    "not_durable",
                    f"the collector database {path} cannot use WAL with synchronous=FULL",
                )
            self.db = sqlite_utils.Database(self._conn)
            with self.db.atomic():  # all of the schema or none of it
                migrations.apply(self.db)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                "open_failed", f"cannot open the collector database {path}: {exc}"
            ) from exc

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
            self._begin_immediate()
            try:
                yield self._conn
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")

    def _begin_immediate(self) -> None:
        # Several server processes share the file. SQLite's own busy handler sleeps 1, 2, 5,
        # 10 ... ms between tries, so a process that just missed the write lock idles long
        # after it is free; poll every half millisecond instead (no busy handler for BEGIN).
        deadline = time.monotonic() + WRITE_LOCK_TIMEOUT_S
        self._conn.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    self._conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.0005)
        finally:
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

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
                result = self._store(
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
                )
                # Only a batch that brought new votes tells how the kiosk's clock is now: an
                # exact replay of old bytes (months later, by anyone) must neither flag a
                # sound clock nor clear the flag of a wrong one.
                skew = None
                if source == "http" and check.made_at is not None and result.new:
                    skew = (parse_utc(check.made_at) - received_at).total_seconds()
                if result.new:
                    self._update_kiosk(
                        conn, kiosk, int(row[2]), result.receipt.accepted, now, source, skew,
                        result.new,
                    )  # fmt: skip
                    self._record_vote_clock(conn, kiosk, records, received_at, now)
                else:
                    # Nothing new: every vote was held already (or quarantined). Bytes anyone
                    # may hold are no sign of the kiosk's life, so last_seen stays.
                    conn.execute(
                        "UPDATE kiosks SET replays = replays + 1, last_replay_at = ?"
                        " WHERE kiosk = ?",
                        (now, kiosk),
                    )
                held = self._held(conn, kiosk)
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

    def _store(
        self,
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
    ) -> IngestResult:
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
                    self._quarantine(
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
                    )
                    result.conflicts.append(seq)
                    quarantined[seq] = digest
                continue
            before = known.get(seq - 1)
            if before is None:
                # No held vote before it: it must not continue a branch already quarantined.
                forked = quarantined.get(seq - 1) == vote.prev or self._quarantined_hash(
                    conn, kiosk, seq - 1, vote.prev
                )
            else:
                forked = vote.prev != before
            if forked or (seq + 1 in held and not self._next_links(conn, kiosk, seq + 1, digest)):
                self._quarantine(
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
                )
                result.conflicts.append(seq)
                quarantined[seq] = digest
                continue
            known[seq] = digest
            new_rows.append(
                (
                    kiosk, seq, digest, vote.prev, vote.district, vote.rating, vote.target_kind,
                    vote.target_id, vote.service, _tags_json(vote.tags), vote.story, vote.lang,
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

    def _quarantined_hash(
        self, conn: sqlite3.Connection, kiosk: str, seq: int, digest: str
    ) -> bool:
        row = conn.execute(
            "SELECT 1 FROM quarantine WHERE kiosk = ? AND seq = ? AND hash = ?",
            (kiosk, seq, digest),
        ).fetchone()
        return row is not None

    def _next_links(self, conn: sqlite3.Connection, kiosk: str, seq: int, digest: str) -> bool:
        row = conn.execute(
            "SELECT prev FROM votes WHERE kiosk = ? AND seq = ?", (kiosk, seq)
        ).fetchone()
        return row is None or row[0] == digest

    def _quarantine(
        self,
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
    ) -> None:
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
        self._audit(
            conn,
            "conflict" if cur.rowcount else "conflict-again",
            reason,
            what,
            kiosk,
            source,
            source_addr,
        )

    def _update_kiosk(
        self,
        conn: sqlite3.Connection,
        kiosk: str,
        contiguous: int,
        accepted: Ranges,
        now: str,
        source: str,
        skew: float | None,
        new_votes: int,
    ) -> None:
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

    def _record_vote_clock(
        self,
        conn: sqlite3.Connection,
        kiosk: str,
        records: list[VoteRecord],
        received_at: datetime,
        now: str,
    ) -> None:
        # cast_at has one fixed format, so the newest is the greatest string: parse just one.
        newest = max((r.cast_at for r in records), default=None)
        if newest is None:
            return
        ahead = (parse_utc(newest) - received_at).total_seconds()
        conn.execute(
            "UPDATE kiosks SET vote_ahead_s = ?, clock_checked_at = ? WHERE kiosk = ?",
            (ahead, now, kiosk),
        )

    def _held(self, conn: sqlite3.Connection, kiosk: str) -> Ranges:
        contiguous = conn.execute(
            "SELECT contiguous FROM kiosks WHERE kiosk = ?", (kiosk,)
        ).fetchone()
        mark = int(contiguous[0]) if contiguous else 0
        above = [
            int(r[0])
            for r in conn.execute(
                "SELECT seq FROM votes WHERE kiosk = ? AND seq > ? ORDER BY seq", (kiosk, mark)
            )
        ]
        return ([(1, mark)] if mark else []) + to_ranges(above)

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
            held = self._held(self._conn, kiosk)
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


def _tags_json(tags: tuple[str, ...]) -> str:
    """Tags as a JSON list; they are codes ([a-z0-9_-]), so nothing needs escaping."""
    return '["' + '","'.join(tags) + '"]' if tags else "[]"
