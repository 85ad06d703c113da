"""The kiosk's vote ledger: one SQLite file of signed, chained votes.

What the ledger promises (design promises 1-3):

* ``cast`` returns only after the vote is committed with WAL and ``synchronous=FULL``: when it
  returns, the vote survives a power cut. The UI thanks a citizen only after it returns.
  ``open`` checks both settings and refuses to run without them.
* Votes are append-only. Triggers refuse UPDATE and DELETE on ``votes``, and refuse an INSERT
  whose seq is not exactly one more than the last. Delivery state lives in ``delivery``, a
  separate append-only table, so marking votes delivered never touches a vote.
* Every vote names the hash of the one before it (the first names the hash of the public key)
  and is signed with the device key.
* ``verify`` proves everything stored (promise 10): the chain and every signature, and every
  column, count, pending row, delivery mark and trigger derived from them; it names the first
  seq (or count key, or table) where the file disagrees, and changes nothing
  (kiosk/ledger_verify.py).

What it does not promise: protection from someone with write access to the file and the key.
Triggers stop bugs, not attackers; the signatures, the receipts, the high-water mark and the
collector's copy let ``verify`` and the collector see what an attacker without the key did.

Counts are kept in ``vote_counts`` by triggers in the same transaction as the vote, so they
cost O(1) to read at any size and can never disagree with the votes after a crash. The schema
and what each column derives from are in kiosk/ledger_schema.py.

The file is created owner-only (``0600``; SQLite gives its ``-wal`` and ``-shm`` the same mode)
and an existing one readable by others is tightened when opened: it holds citizens' stories.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Final

import sqlite_utils
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.ledger_schema import migrations, vote_columns
from kiosk.ledger_schema import target_key as target_key
from kiosk.ledger_verify import VerifyResult as VerifyResult
from kiosk.ledger_verify import verify_ledger
from kiosk.paths import keep_folder_private
from wire.clock import Clock, SystemClock, format_utc, thai_day
from wire.files import (
    make_private_dir,
    private_sqlite_file,
    read_only_uri,
)
from wire.keys import DeviceKey
from wire.vote import Ballot, Vote, genesis_prev, parse_vote, sign_vote

LEDGER_FILE_NAME: Final = "ledger.sqlite3"
log = logging.getLogger(__name__)


class LedgerError(Exception):
    """The ledger cannot do what was asked. ``code`` names the reason for the UI and logs."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class StoredVote:
    """A vote as stored: its seq, its signed bytes and its hash."""

    seq: int
    body: bytes
    hash: str


@dataclass(frozen=True, slots=True)
class Counts:
    """Vote counts for the clerk's dashboard."""

    total: int
    today: int
    delivered: int
    by_rating: dict[int, int] = field(default_factory=dict)
    by_target: dict[str, int] = field(default_factory=dict)

    @property
    def pending(self) -> int:
        """Votes not yet acknowledged by the collector."""
        return self.total - self.delivered


def require_durable(conn: sqlite3.Connection, path: Path) -> None:
    """Raise ``LedgerError`` unless the connection uses WAL and synchronous=FULL (promise 1)."""
    mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
    sync = conn.execute("PRAGMA synchronous").fetchone()[0]
    if mode != "wal":
        raise LedgerError(
            "not_durable",
            f"the ledger {path} cannot use write-ahead logging (journal_mode is {mode});"
            " votes would not be safe, so the kiosk will not run",
        )
    if sync != 2:
        raise LedgerError(
            "not_durable",
            f"the ledger {path} cannot use synchronous=FULL (it is {sync});"
            " votes would not be safe, so the kiosk will not run",
        )


class Ledger:
    """The kiosk's durable, append-only, signed and chained store of votes."""

    def __init__(self, path: Path, key: DeviceKey, clock: Clock | None = None) -> None:
        """Open (or create) the ledger at path for the given device key; see ``open``."""
        self.path = path
        self.key = key
        self.kiosk_id = key.kiosk_id  # derived from the key once, not on every cast
        self._public_raw = key.public_key_raw
        self.clock: Clock = clock or SystemClock()
        self._lock = threading.Lock()
        try:
            make_private_dir(path.parent)
            keep_folder_private(path.parent)  # files an older version left readable by others
            private_sqlite_file(path, "ledger")
            self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise LedgerError("open_failed", f"cannot open the ledger {path}: {exc}") from exc
        try:
            self._configure()
            self.db = sqlite_utils.Database(self._conn)
            # One transaction for the whole schema: a kill mid-way (a power cut on the first
            # start) must leave either no schema or all of it, never a table without its index.
            with self.db.atomic():
                migrations.apply(self.db)
            self._bind_identity()
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise LedgerError("open_failed", f"cannot open the ledger {path}: {exc}") from exc
        except LedgerError:
            self._conn.close()
            raise

    @classmethod
    def open(cls, data_dir: Path, key: DeviceKey, clock: Clock | None = None) -> Ledger:
        """Open the ledger in a data folder, creating it on first use."""
        return cls(data_dir / LEDGER_FILE_NAME, key, clock)

    def _configure(self) -> None:
        self._conn.execute("PRAGMA busy_timeout = 10000")
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = FULL")
        require_durable(self._conn, self.path)

    def _bind_identity(self) -> None:
        meta = dict(self._conn.execute("SELECT key, value FROM meta").fetchall())
        if not meta:
            with self._transaction():
                self._conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [
                        ("kiosk_id", self.kiosk_id),
                        ("public_key", self._public_raw.hex()),
                    ],
                )
            return
        if meta.get("kiosk_id") != self.kiosk_id:
            raise LedgerError(
                "wrong_key",
                f"the ledger {self.path} belongs to kiosk {meta.get('kiosk_id')}, but the device"
                f" key is kiosk {self.kiosk_id}; nothing was changed",
            )

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------------------

    def _transaction(self) -> _Transaction:
        return _Transaction(self._conn)

    def cast(self, ballot: Ballot) -> Vote:
        """Number, chain, sign and durably commit one vote; return it only after the commit."""
        return self.cast_many([ballot])[0]

    def cast_many(self, ballots: Sequence[Ballot]) -> list[Vote]:
        """Cast several votes in one transaction: all are committed, or none is."""
        with self._lock:
            try:
                with self._transaction():
                    seq, prev = self._head()
                    votes = []
                    for ballot in ballots:
                        now = self.clock.now()
                        seq += 1
                        vote = sign_vote(
                            self.key.private_key,
                            self.kiosk_id,
                            seq,
                            format_utc(now),
                            prev,
                            ballot,
                        )
                        body = vote.signed_bytes()  # serialised and hashed once per vote
                        prev = hashlib.sha256(body).hexdigest()
                        self._insert(vote, body, prev)
                        votes.append(vote)
            except sqlite3.Error as exc:
                code = "disk_full" if _is_disk_full(exc) else "database_error"
                log.error("vote not saved (%s): %s", code, exc)
                raise LedgerError(code, f"the vote was not saved: {exc}") from exc
        return votes

    def _head(self) -> tuple[int, str]:
        row = self._conn.execute("SELECT seq, hash FROM votes ORDER BY seq DESC LIMIT 1").fetchone()
        if row is None:
            return 0, genesis_prev(self._public_raw)
        return int(row[0]), str(row[1])

    def _insert(self, vote: Vote, body: bytes, digest: str) -> None:
        self._conn.execute(
            "INSERT INTO votes (seq, cast_at, local_day, rating, target, hash, body)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (vote.seq, *vote_columns(vote), digest, body),
        )

    def mark_delivered(self, ranges: Iterable[tuple[int, int]], receipt: str) -> int:
        """Record votes in the inclusive seq ranges as delivered; return how many were new."""
        now = format_utc(self.clock.now())
        with self._lock, self._transaction():
            added = 0
            for first, last in ranges:
                cur = self._conn.execute(
                    "INSERT OR IGNORE INTO delivery (seq, delivered_at, receipt)"
                    " SELECT seq, ?, ? FROM votes WHERE seq BETWEEN ? AND ?",
                    (now, receipt, first, last),
                )
                added += cur.rowcount
            return added

    # --- reading ---------------------------------------------------------------------------

    def head(self) -> tuple[int, str]:
        """Return the last seq and its hash (0 and the genesis hash when empty)."""
        with self._lock:
            return self._head()

    def vote(self, seq: int) -> Vote:
        """Return the stored vote with this seq."""
        with self._lock:
            row = self._conn.execute("SELECT body FROM votes WHERE seq = ?", (seq,)).fetchone()
        if row is None:
            raise KeyError(seq)
        return parse_vote(bytes(row[0]))

    def pending(self, after_seq: int = 0, limit: int = 500) -> list[StoredVote]:
        """Return up to limit undelivered votes with seq greater than after_seq, in seq order."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT v.seq, v.body, v.hash FROM undelivered u JOIN votes v ON v.seq = u.seq"
                " WHERE u.seq > ? ORDER BY u.seq LIMIT ?",
                (after_seq, limit),
            ).fetchall()
        return [StoredVote(int(s), bytes(b), str(h)) for s, b, h in rows]

    def delivered_seqs(self, first: int, last: int) -> list[int]:
        """Return the seqs from first to last (inclusive) that are marked delivered, in order."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT seq FROM delivery WHERE seq BETWEEN ? AND ? ORDER BY seq", (first, last)
            ).fetchall()
        return [int(r[0]) for r in rows]

    def stored(self, first: int, last: int) -> list[StoredVote]:
        """Return the stored votes from first to last (inclusive), in seq order."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT seq, body, hash FROM votes WHERE seq BETWEEN ? AND ? ORDER BY seq",
                (first, last),
            ).fetchall()
        return [StoredVote(int(s), bytes(b), str(h)) for s, b, h in rows]

    def counts(self, day: date | None = None) -> Counts:
        """Return totals, today's count (Thai day), delivered, and counts per rating and target."""
        today = day or thai_day(self.clock.now())
        with self._lock:
            # Only the keys shown: there is one "day:" row per day the kiosk has been used.
            rows = dict(
                self._conn.execute(
                    "SELECT key, n FROM vote_counts WHERE key IN"
                    " ('total', 'delivered', 'rating:1', 'rating:2', 'rating:3', 'rating:4',"
                    " 'rating:5', ?) OR key >= 'target:' AND key < 'target;'",
                    (f"day:{today.isoformat()}",),
                ).fetchall()
            )
        return Counts(
            total=rows.get("total", 0),
            today=rows.get(f"day:{today.isoformat()}", 0),
            delivered=rows.get("delivered", 0),
            by_rating={r: rows.get(f"rating:{r}", 0) for r in range(1, 6)},
            by_target={k[7:]: n for k, n in rows.items() if k.startswith("target:")},
        )

    def iter_votes(self, batch: int = 1000) -> Iterator[StoredVote]:
        """Yield every stored vote in seq order, reading in batches on its own connection."""
        conn = sqlite3.connect(read_only_uri(self.path), uri=True)
        try:
            last = 0
            while True:
                rows = conn.execute(
                    "SELECT seq, body, hash FROM votes WHERE seq > ? ORDER BY seq LIMIT ?",
                    (last, batch),
                ).fetchall()
                if not rows:
                    return
                for s, b, h in rows:
                    yield StoredVote(int(s), bytes(b), str(h))
                last = int(rows[-1][0])
        finally:
            conn.close()

    def verify(self, collector_key: Ed25519PublicKey | None = None) -> VerifyResult:
        """Check everything stored against the signed votes (kiosk/ledger_verify.py). Never raises.

        Delivery marks are checked against ``collector_key``, by default the key pinned at
        enrollment in the settings beside the ledger.
        """
        return verify_ledger(self.path, self._public_raw, collector_key)


def _is_disk_full(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code == 13 or "full" in str(exc).lower()  # 13 is SQLITE_FULL


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error (the write lock is taken at once)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        elif self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
