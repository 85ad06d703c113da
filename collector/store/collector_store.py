"""CollectorStore: the collector's database, a SQLite file or PostgreSQL, through SQLAlchemy Core.

What the store promises (design promises 3, 4, 6, 7, 9); the transaction ``ingest`` opens is
ingest.py's (a batch refused or stored whole, the kiosk's bookkeeping), and where each vote of
a batch goes is decided in placement.py, inside it:

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
  look alive on the fleet page. An idle kiosk's daily check-in also brings nothing new, but it
  is signed now: a network batch whose ``made_at`` is later than every earlier one of that
  kiosk (``newest_made_at``) is a check-in (``last_checkin``), which a replay cannot be.
* The database holds every vote and the audit: a SQLite file is made owner-only (0600), and
  an existing file (with its -wal and -shm) loses any access for group and others when
  opened. SQLite gives the -wal and -shm files the database's own mode.
* Several processes, one database: on SQLite a writer holds the file's write lock; on
  PostgreSQL an ingest locks its kiosk's row first (``FOR NO KEY UPDATE``), so two servers given the
  same batch at the same moment place it one after the other, and the second finds every
  vote held. Rows every batch touches (the tallies) are taken in one fixed order, and a
  transaction PostgreSQL still aborts (a deadlock, a serialization failure) is run again.
* Tallies (tallies.py) are added to in the same transaction as the votes they count.

What the store holds is read for the fleet page, `report` and the quarantine page in
holdings.py.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from collector.store import audit as audit_log
from collector.store import classification, district_groups, holdings, tokens
from collector.store.connection import WRITE_OPTION, open_engine
from collector.store.ingest import RETRIES, retryable, store_batch
from collector.store.records import (
    Enrollment,
    IngestResult,
    KioskStatus,
    StoreError,
    skew_threshold_from_env,
)
from collector.store.target import DatabaseTarget
from wire.batch import BatchCheck
from wire.clock import Clock, SystemClock, format_utc
from wire.keys import fingerprint_for_id, is_weak_public_key, kiosk_id_for

log = logging.getLogger(__name__)
_DASHES: Final = re.compile("[-\u2010-\u2015\u2212]")  # hyphen-minus, Unicode dashes, minus
_HEX32: Final = re.compile("[0-9a-f]{32}")


def token_hash(token: str) -> str:
    """The stored form of an enrollment token (the token itself is never stored).

    Case, spaces and dashes do not matter: a token read over the phone may be typed in capitals,
    without its dashes or with another dash (a keyboard's en dash); 32 hex digits are grouped
    as issued (four groups of 8), so tokens issued before hash as they did.
    """
    typed = "".join(token.split()).lower()
    digits = _DASHES.sub("", typed)
    if _HEX32.fullmatch(digits):
        typed = "-".join(digits[i : i + 8] for i in range(0, 32, 8))
    return hashlib.sha256(typed.encode("utf-8")).hexdigest()


class CollectorStore:
    """The collector's database with small guarded methods."""

    def __init__(
        self,
        target: str | Path | DatabaseTarget,
        clock: Clock | None = None,
        skew_threshold_s: float | None = None,
    ) -> None:
        """Open (or create) the collector database: a SQLite path or a postgresql:// URL.

        skew_threshold_s: a kiosk clock further off than this is flagged (default
        $SANGSUK_CLOCK_THRESHOLD_S, else SKEW_FLAG_SECONDS).
        """
        self.target = DatabaseTarget.parse(target)
        self.path: Path | None = self.target.path  # the SQLite file (None on PostgreSQL)
        self.clock: Clock = clock or SystemClock()
        self.skew_threshold_s = (
            skew_threshold_s if skew_threshold_s is not None else skew_threshold_from_env()
        )
        # SQLite has one writer per file: this process's writers queue here rather than poll
        # the file's lock against each other. PostgreSQL takes concurrent writers.
        self._lock = threading.Lock() if self.target.is_sqlite else None
        self.engine = open_engine(self.target)
        self.dialect = self.engine.dialect.name  # sqlite or postgresql

    def close(self) -> None:
        """Close the database (every pooled connection)."""
        self.engine.dispose()

    def __enter__(self) -> CollectorStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with (
            self._lock or nullcontext(),
            self.engine.connect().execution_options(**{WRITE_OPTION: True}) as conn,
            conn.begin(),
        ):
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection in one read transaction: every query in it sees the same snapshot."""
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn

    def _read(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        with self.reading() as conn:
            return [tuple(row) for row in conn.execute(sa.text(sql), dict(params or {}))]

    def _for_update(self) -> str:
        """The row lock a PostgreSQL transaction takes before deciding; SQLite's is the file's."""
        # NO KEY: it serialises the writers of the row as FOR UPDATE does, but leaves the
        # key-share lock a foreign key takes free, so an announcement keeping a kiosk's runs
        # (announced_seqs references kiosks) cannot deadlock with that kiosk's ingest.
        return " FOR NO KEY UPDATE" if self.dialect == "postgresql" else ""

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
        operator: str | None = None,
        facts: audit_log.Facts | None = None,
    ) -> None:
        """Write an audit row (refusals, conflicts, operator actions) in its own transaction;
        facts: what the console words the row from (collector/store/audit.py)."""
        with self._write() as conn:
            self._audit(conn, kind, reason, detail, kiosk, source, source_addr, operator, facts)
        log.warning(
            "audit %s %s kiosk=%s from=%s by=%s: %s",
            kind, reason, kiosk, source_addr, operator, detail,
        )  # fmt: skip

    def _audit(
        self,
        conn: Connection,
        kind: str,
        reason: str,
        detail: str,
        kiosk: str | None,
        source: str | None,
        source_addr: str | None,
        operator: str | None = None,
        facts: audit_log.Facts | None = None,
    ) -> None:
        audit_log.write(
            conn, self.now(), kind, reason, detail, kiosk, source, source_addr, operator, facts
        )

    def audit_rows(
        self, limit: int = 200, which: audit_log.AuditFilter | None = None
    ) -> list[dict[str, Any]]:
        """The latest audit rows (those which matches, when given), newest first."""
        with self.reading() as conn:
            return audit_log.rows(conn, which or audit_log.AuditFilter(), limit)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction, for the store's companions (operators.py); commits on success."""
        with self._write() as conn:
            yield conn

    # --- settings --------------------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        """A setting's value, or None when it was never set."""
        rows = self._read("SELECT value FROM settings WHERE key = :key", {"key": key})
        return str(rows[0][0]) if rows else None

    def set_setting(
        self, key: str, value: str, operator: str | None = None, source: str = "cli"
    ) -> None:
        """Set a setting; the change is written to the audit (with who) in the same transaction."""
        self.set_settings({key: value}, operator, source)

    def set_settings(
        self, values: Mapping[str, str], operator: str | None = None, source: str = "cli"
    ) -> None:
        """Set several settings together (all or none), each with its audit row naming who."""
        with self._write() as conn:
            for key, value in values.items():
                conn.execute(
                    sa.text(
                        "INSERT INTO settings (key, value) VALUES (:key, :value)"
                        " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                    ),
                    {"key": key, "value": value},
                )
                detail = f"{key} set to {value}"
                self._audit(
                    conn, "settings", key, detail, None, source, None, operator, {"value": value}
                )

    # --- districts and enrollment ----------------------------------------------------------

    def load_districts(
        self,
        rows: Iterable[tuple[str, str]],
        operator: str | None = None,
        source: str = "cli",
        expect: str | None = None,
        demo: bool = False,
        applies_from: int | None = None,
    ) -> district_groups.Preview:
        """Set the size group of districts from (code, size_group) pairs (the bundled demo's if
        ``demo``), names from geothai, with an audit row; refused if the table is not in state
        ``expect`` (district_groups.py). It applies from campaign ``applies_from`` on (a year;
        any year up to the first campaign's: every campaign), by default from the first that
        has not ended; the campaigns before keep their groups (classification.py)."""
        records = district_groups.records(rows)
        with self._write() as conn:
            if applies_from is None:
                applies_from = classification.first_open(conn, self.now())
            done = district_groups.write(conn, records, expect, applies_from)
            if records:
                detail = district_groups.detail(done, demo)
                self._audit(
                    conn, "districts", "loaded", detail, None, source, None, operator,
                    district_groups.facts(done, demo),
                )  # fmt: skip
        return done

    def issue_token(self, district: str, operator: str | None = None, source: str = "cli") -> str:
        """Issue a one-time enrollment token for a district; only its hash is stored (audited)."""
        if not self._read("SELECT 1 FROM districts WHERE code = :code", {"code": district}):
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
                sa.text(
                    "INSERT INTO tokens (token_hash, district, issued_at)"
                    " VALUES (:hash, :district, :now)"
                ),
                {"hash": token_hash(token), "district": district, "now": self.now()},
            )
            self._audit(
                conn, "token", "issued", f"enrollment token issued for district {district}",
                None, source, None, operator, {"district": district},
            )  # fmt: skip
        return token

    def void_tokens(self, district: str, operator: str | None = None, source: str = "cli") -> int:
        """Void a district's unused enrollment tokens (a lost sheet, say); how many (audited)."""
        with self._write() as conn:
            voided = tokens.void_unused(conn, district)
            if voided:
                self._audit(
                    conn, "token", "voided",
                    f"{voided} unused enrollment token(s) of district {district} voided",
                    None, source, None, operator, {"district": district, "tokens": voided},
                )  # fmt: skip
        return voided

    def enroll(
        self,
        token: str,
        public_key_hex: str,
        source_addr: str | None = None,
        expected_district: str | None = None,
        source: str = "http",
        operator: str | None = None,
    ) -> Enrollment:
        """Bind a kiosk's public key to the district its one-time token was issued for.

        A kiosk already set up for a district names it as expected_district: a token for
        another district is then refused and stays unused. Each enrollment is audited ("enrolled")
        and logged with the token's issue time and the source (http, usb, console).
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
        hashed = token_hash(token)
        with self._write() as conn:
            row: Any = conn.execute(
                sa.text(
                    "SELECT district, used_by, issued_at FROM tokens WHERE token_hash = :hash"
                    + self._for_update()
                ),
                {"hash": hashed},
            ).first()
            facts: dict[str, str | None] = {}
            if row is None:
                refusal = ("token_unknown", "this enrollment token is not known to the collector")
            elif row[1] is not None and row[1] != kiosk:
                refusal = (
                    "token_used",
                    "this enrollment token has already been used by another kiosk",
                )
            elif expected_district is not None and row[0] != expected_district:
                facts = {"district": row[0], "expected": expected_district}
                refusal = (
                    "token_other_district",
                    f"this token is for district {row[0]}, but the kiosk is set up for district"
                    f" {expected_district}; the token was not used",
                )
            else:
                refusal = None
            detail = ""
            if refusal is None:
                existing: Any = conn.execute(
                    sa.text("SELECT district, revoked_at FROM kiosks WHERE kiosk = :kiosk"),
                    {"kiosk": kiosk},
                ).first()
                if existing is not None and existing[1] is not None:
                    refusal = ("revoked", "this kiosk has been revoked by the central office")
                elif existing is not None and existing[0] != row[0]:
                    facts = {"district": existing[0], "token_district": row[0]}
                    refusal = (
                        "already_enrolled",
                        f"this kiosk is already enrolled for district {existing[0]}",
                    )
            if refusal is not None:
                self._audit(conn, "refused", *refusal, kiosk, "enroll", source_addr, None, facts)
            else:
                now = self.now()
                conn.execute(
                    sa.text(
                        "UPDATE tokens SET used_at = COALESCE(used_at, :now), used_by = :kiosk"
                        " WHERE token_hash = :hash"
                    ),
                    {"now": now, "kiosk": kiosk, "hash": hashed},
                )
                conn.execute(
                    sa.text(
                        "INSERT INTO kiosks (kiosk, public_key, district, enrolled_at)"
                        " VALUES (:kiosk, :public_key, :district, :now)"
                        " ON CONFLICT (kiosk) DO NOTHING"
                    ),
                    {"kiosk": kiosk, "public_key": public_key_hex, "district": row[0], "now": now},
                )
                again = row[1] == kiosk  # a retry: the answer was lost on its way
                detail = tokens.enrolled_detail(
                    fingerprint_for_id(kiosk), row[0], row[2], hashed, source, again
                )
                self._audit(
                    conn, "enrolled", "again" if again else "new", detail, kiosk, source,
                    source_addr, operator, {"district": row[0], "issued_at": row[2]},
                )  # fmt: skip
        if refusal is not None:
            raise StoreError(*refusal)
        log.info("%s (from %s)", detail, source_addr or "-")
        return self.enrollment(kiosk)

    def enrollment(self, kiosk: str) -> Enrollment:
        """The district and names a kiosk is enrolled for."""
        rows = self._read(
            "SELECT k.kiosk, k.district, d.size_group, d.name_th, d.name_en, d.province_th,"
            " d.province_en FROM kiosks k JOIN districts d ON d.code = k.district"
            " WHERE k.kiosk = :kiosk",
            {"kiosk": kiosk},
        )
        if not rows:
            raise StoreError("unknown_kiosk", f"kiosk {kiosk} is not enrolled")
        return Enrollment(*rows[0])

    def revoke(
        self,
        kiosk: str,
        reason: str = "",
        operator: str | None = None,
        source: str = "cli",
    ) -> None:
        """Revoke a kiosk: its batches are refused from now on; its accepted votes stay.

        reason, the operator's words, goes to the audit with who revoked it.
        """
        with self._write() as conn:
            cur = conn.execute(
                sa.text(
                    "UPDATE kiosks SET revoked_at = COALESCE(revoked_at, :now) WHERE kiosk = :kiosk"
                ),
                {"now": self.now(), "kiosk": kiosk},
            )
            if cur.rowcount == 0:
                raise StoreError("unknown_kiosk", f"kiosk {kiosk} is not enrolled")
            why = " ".join(reason.split())
            said = "kiosk revoked by the central office" + (f": {why}" if why else "")
            self._audit(
                conn,
                "revoked",
                "revoked",
                said,
                kiosk,
                source,
                None,
                operator,
                {"why": why or None},
            )

    # --- ingest ----------------------------------------------------------------------------

    def refuse(self, check: BatchCheck, source: str, source_addr: str | None) -> None:
        """Audit a batch that failed its checks (nothing of it is stored)."""
        reason = check.problems[0].code if check.problems else "refused"
        self.audit("refused", reason, check.summary(), check.kiosk, source, source_addr)

    def ingest(
        self,
        check: BatchCheck,
        data: bytes,
        source: str,
        source_addr: str | None = None,
        software: str | None = None,
    ) -> IngestResult:
        """Store a batch that passed ``check_batch``: each vote exactly once, conflicts quarantined.

        ``software`` is the version a network batch's sender named (wire/agent.py): kept with
        the kiosk's last_seen when the batch brings new votes, as advice for the fleet page."""
        if not check.ok or check.kiosk is None or check.first_seq is None or check.last_seq is None:
            self.refuse(check, source, source_addr)
            raise StoreError("invalid_batch", check.summary() or "the batch was not checked")
        records = check.records()
        for attempt in range(RETRIES):
            try:
                received_at = self.clock.now()
                with self._write() as conn:  # ingest.py: the batch refused or stored whole
                    done = store_batch(
                        conn, check, records, data, source, source_addr, software, received_at,
                        self.skew_threshold_s, self._for_update(), self._audit,
                    )  # fmt: skip
                break
            except sa.exc.DBAPIError as exc:
                if not retryable(exc) or attempt == RETRIES - 1:
                    raise
                log.info("batch from %s met another transaction; storing it again", check.kiosk)
        else:
            raise AssertionError("unreachable")  # pragma: no cover
        if isinstance(done, tuple):  # refused: the audit row is committed, nothing else
            log.warning("refused batch from %s (%s): %s", check.kiosk, source_addr, done[1])
            raise StoreError(*done)
        return done

    # --- reading (holdings.py) -------------------------------------------------------------

    def kiosk_status(self, kiosk: str) -> KioskStatus:
        """What the collector holds for a kiosk."""
        with self.reading() as conn:
            return holdings.kiosk_status(conn, kiosk, self.skew_threshold_s)

    def kiosks(self) -> list[KioskStatus]:
        """Every enrolled kiosk's status."""
        with self.reading() as conn:
            return holdings.kiosks(conn, self.skew_threshold_s)

    def report(self, campaign: int | None = None) -> dict[str, Any]:
        """Votes per district and size group, the counts of `report --json` (from the tallies):
        of one campaign (its year), or of every vote held."""
        with self.reading() as conn:
            return holdings.report(conn, campaign)

    def quarantined(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Quarantined votes, newest first (the newest ``limit`` of them when given)."""
        with self.reading() as conn:
            return holdings.quarantined(conn, limit)

    def quarantined_count(self) -> int:
        """How many votes are in quarantine."""
        return int(self._read("SELECT COUNT(*) FROM quarantine")[0][0])

    def enrolled_count(self) -> int:
        """How many kiosks are enrolled (revoked ones included)."""
        return int(self._read("SELECT COUNT(*) FROM kiosks")[0][0])

    def total_votes(self) -> int:
        """How many votes are held (from the tallies)."""
        return int(self._read("SELECT COALESCE(SUM(votes), 0) FROM tally_sources")[0][0])
