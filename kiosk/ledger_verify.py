"""What ``verify`` proves about a kiosk's ledger (design promise 10), and how.

The signed body of each vote is the only thing the device key signs; everything else in the
file is derived from the bodies by the ledger's code and triggers (kiosk/ledger_schema.py).
``verify_ledger`` reads the file once, read-only, in one snapshot, and checks in this order:

1. SQLite's own ``integrity_check``.
2. The schema: every migration of this version applied, none unknown, and every table, index
   and trigger exactly as the migrations make it (a dropped or altered trigger is named).
3. ``meta``: exactly this device key's kiosk id and public key.
4. Every vote in seq order, streamed: seqs 1, 2, 3 ... with no gap; the body is a vote of this
   kiosk, in canonical bytes, chained to the one before, signed by the device key; ``hash`` is
   the SHA-256 of the body; ``cast_at``, ``local_day``, ``rating`` and ``target`` are what the
   body says; the vote is in ``undelivered`` exactly when it has no ``delivery`` row; and a
   delivery row names a receipt in receipts.jsonl, signed by the collector key pinned at
   enrollment, for this kiosk, that accepted this seq.
5. The last vote against the high-water mark (the highest seq ever stored, kept by a trigger)
   and against the highest seq any genuine receipt says the collector holds: a removed last
   vote is seen even though nothing follows it to break the chain.
6. No ``undelivered`` or ``delivery`` row names a vote that is not there.
7. ``vote_counts`` equals a recount of the votes and delivery marks, key by key.

The first disagreement ends the check: the result names its seq (or count key, or table) and
what disagreed. Nothing is written, not even to the WAL. What this cannot prove: a file whose
every vote, mark and count was rewritten by someone holding the device key; the collector's
copy and its receipts are the defence against that.
"""

from __future__ import annotations

import functools
import hashlib
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Final, NoReturn

import sqlite_utils
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.config import ConfigError, load_config
from kiosk.ledger_schema import MIGRATION_SET, VoteColumns, migrations, vote_columns
from kiosk.syncstate import RECEIPTS_FILE_NAME, archived_receipts
from wire.files import read_only_uri
from wire.keys import kiosk_id_for
from wire.receipt import Receipt, check_receipt
from wire.vote import VoteError, genesis_prev, parse_vote, verify_vote_signature

_VOTES_SQL: Final = (
    "SELECT v.seq, v.cast_at, v.local_day, v.rating, v.target, v.hash, v.body, d.receipt,"
    " u.seq IS NOT NULL FROM votes v LEFT JOIN delivery d ON d.seq = v.seq"
    " LEFT JOIN undelivered u ON u.seq = v.seq ORDER BY v.seq"
)
# The schema compared: everything but SQLite's own objects and sqlite-utils' migration record
# (whose rows are compared instead: its table's text is the library's, not ours).
_SCHEMA_SQL: Final = (
    "SELECT name, type, tbl_name, sql FROM sqlite_master"
    " WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!' AND tbl_name != ? ORDER BY name"
)


# Every fault verify can find, by kind, in English; `sangsuk-kiosk verify` words each kind in
# the reader's language too (ui/cli_faults.py, checked against these by tests/sync).
FAULTS: Final[dict[str, str]] = {
    "file_unreadable": "the ledger file cannot be read: {error}",
    "integrity": "SQLite integrity check failed: {found}",
    "no_migrations": "the ledger has no record of its migrations: it was not made by the kiosk",
    "newer_version": "the ledger was brought up to date by a newer version of the kiosk"
    " (migration {migration}); verify it with that version",
    "other_migrations": "the ledger's migrations {applied} are not this version's {expected}",
    "schema_missing": "the {kind} {name} is missing from the ledger",
    "schema_changed": "the {kind} {name} is not as the ledger's schema made it",
    "schema_extra": "the ledger holds a {kind} {name} that its schema never made",
    "meta_wrong": "meta's {key} is {stored}, not this device key's {expected}",
    "meta_extra": "meta holds {key}, which the kiosk never writes",
    "vote_missing": "vote {seq} is missing (the next stored vote is {next})",
    "body_not_bytes": "vote {seq}'s body is not stored as bytes",
    "body_unreadable": "vote {seq} cannot be read: {error}",
    "wrong_seq": "vote {seq} says it is vote {says}",
    "other_kiosk": "vote {seq} names kiosk {kiosk}, not this kiosk",
    "chain_broken": "the chain is broken between vote {before} and vote {seq}",
    "not_canonical": "vote {seq} is not stored in its canonical bytes",
    "bad_signature": "vote {seq} has a bad signature",
    "hash_mismatch": "vote {seq} does not match its stored hash",
    "column_mismatch": "vote {seq}'s stored {column} is {stored}, but its signed body says {says}",
    "never_sent": "vote {seq} is neither delivered nor in undelivered: it would never be sent",
    "delivered_pending": "vote {seq} is marked delivered but is still in undelivered",
    "receipt_not_kept": "vote {seq} is marked delivered, but receipt {receipt} is not in {file}",
    "receipt_no_settings": "vote {seq} is marked delivered, but receipt {receipt} cannot be"
    " checked: the kiosk's settings cannot be read ({error})",
    "receipt_no_key": "vote {seq} is marked delivered, but receipt {receipt} cannot be checked:"
    " this kiosk has no pinned collector key (it is not enrolled)",
    "receipt_not_genuine": "vote {seq} is marked delivered, but receipt {receipt} is not genuine:"
    " {error}",
    "receipt_not_accepting": "vote {seq} is marked delivered, but its receipt {receipt} did not"
    " accept it",
    "receipts_unreadable": "{file} cannot be read: {error}",
    "receipt_beyond_one": "the collector's receipt {receipt} says it holds vote {held}, but the"
    " ledger's last vote is {last}: vote {held} was removed",
    "receipt_beyond_many": "the collector's receipt {receipt} says it holds vote {held}, but the"
    " ledger's last vote is {last}: votes {first}-{held} were removed",
    "high_water_bad": "the high-water mark is missing or not one row",
    "high_water_one": "the ledger once held vote {mark} (its high-water mark), but its last vote"
    " is {last}: vote {mark} was removed",
    "high_water_many": "the ledger once held vote {mark} (its high-water mark), but its last vote"
    " is {last}: votes {first}-{mark} were removed",
    "high_water_mismatch": "the high-water mark is {mark}, but the last vote is {last}",
    "stray": "{table} names vote {seq}, which is not in the ledger",
    "count_differs": "vote_counts says {key} is {says}, but the votes say {recount}",
    "count_extra": "vote_counts says {key} is {says}, but the votes say absent",
    "count_missing": "vote_counts says {key} is absent, but the votes say {recount}",
    # notes on a sound ledger
    "older_version": "the ledger was made by an older version (migration {migration} not yet"
    " applied); the kiosk brings it up to date the next time it starts",
    "no_high_water": "it keeps no high-water mark yet, so a removed last vote is caught only"
    " against the collector's receipts",
}


@dataclass(frozen=True, slots=True)
class Fault:
    """A fault (or a note) verify found: its kind in FAULTS and the facts its words name."""

    kind: str
    facts: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return FAULTS[self.kind].format_map(dict(self.facts))


def _fault(kind: str, /, **facts: object) -> Fault:
    return Fault(kind, tuple((name, str(value)) for name, value in facts.items()))


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """The outcome of a verify: ok, or where the file first disagrees and how.

    ``checked`` counts the votes that verified before the problem (all of them when the problem
    is after the votes). ``first_bad_seq`` is the vote at fault when there is one; ``where``
    names the column, table, count key or schema object that disagrees; ``fault`` is what
    disagreed, by kind, and ``problem`` its English words.
    """

    ok: bool
    checked: int
    first_bad_seq: int | None = None
    fault: Fault | None = None
    where: str = ""
    notes: tuple[Fault, ...] = ()

    @property
    def problem(self) -> str:
        """What disagreed, in English ("" when the ledger is sound)."""
        return "" if self.fault is None else str(self.fault)


class _DisagreementError(Exception):
    def __init__(self, where: str, fault: Fault, seq: int | None) -> None:
        super().__init__(str(fault))
        self.where, self.fault, self.seq = where, fault, seq


def _bad(where: str, fault: Fault, seq: int | None = None) -> NoReturn:
    raise _DisagreementError(where, fault, seq)


def verify_ledger(
    path: Path, public_key_raw: bytes, collector_key: Ed25519PublicKey | None = None
) -> VerifyResult:
    """Check everything stored in the ledger at path against its signed votes. Never raises.

    The votes must be signed with the device key whose public half is given. The receipts are
    read from the data folder that holds the ledger, and checked against ``collector_key``, or
    when it is not given, the key pinned at enrollment in that folder's settings.
    """
    check = _Verifier(path, public_key_raw, collector_key)
    try:
        check.run()
    except _DisagreementError as found:
        return VerifyResult(False, check.checked, found.seq, found.fault, found.where)
    except sqlite3.DatabaseError as exc:
        seq = check.checked + 1 if check.reading_votes else None
        return VerifyResult(False, check.checked, seq, _fault("file_unreadable", error=exc))
    return VerifyResult(True, check.checked, notes=tuple(check.notes))


@functools.cache
def _migration_names() -> tuple[str, ...]:
    """The names of this version's migrations, in the order they apply."""
    conn = sqlite3.connect(":memory:")
    try:
        return tuple(m.name for m in migrations.pending(sqlite_utils.Database(conn)))
    finally:
        conn.close()


@functools.cache
def _expected_schema(stop_before: str | None = None) -> dict[str, tuple[str, str, str | None]]:
    """The schema this version's migrations make (those before ``stop_before``), in memory."""
    conn = sqlite3.connect(":memory:")
    try:
        migrations.apply(sqlite_utils.Database(conn), stop_before=stop_before)
        return _schema(conn)
    finally:
        conn.close()


def _schema(conn: sqlite3.Connection) -> dict[str, tuple[str, str, str | None]]:
    rows = conn.execute(_SCHEMA_SQL, (migrations.migrations_table,)).fetchall()
    # White space is folded: the text SQLite keeps is the migration's as written, and
    # re-indenting a migration must not make every ledger in the field look altered.
    return {
        str(name): (str(kind), str(table), None if sql is None else " ".join(str(sql).split()))
        for name, kind, table, sql in rows
    }


class _Verifier:
    """One pass over one ledger file; ``checked`` counts the votes verified so far."""

    def __init__(
        self, path: Path, public_key_raw: bytes, collector_key: Ed25519PublicKey | None
    ) -> None:
        self.path = path
        self.public_key_raw = public_key_raw
        self.kiosk_id = kiosk_id_for(public_key_raw)
        self.receipts = _Receipts(path.parent, self.kiosk_id, collector_key)
        self.checked = 0
        self.reading_votes = False
        self.notes: list[Fault] = []
        self.has_high_water = True
        self.counts: Counter[str] = Counter()

    def run(self) -> None:
        conn = sqlite3.connect(read_only_uri(self.path), uri=True, isolation_level=None)
        try:
            conn.execute("BEGIN")  # one snapshot: a vote cast meanwhile cannot confuse a count
            self._integrity(conn)
            self._schema(conn)
            self._meta(conn)
            last = self._votes(conn)
            self._last_vote(conn, last)
            self._strays(conn, last)
            self._counts(conn)
        finally:
            conn.close()

    def _integrity(self, conn: sqlite3.Connection) -> None:
        found = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if found != ["ok"]:
            _bad("file", _fault("integrity", found="; ".join(found[:5])))

    def _schema(self, conn: sqlite3.Connection) -> None:
        names = _migration_names()
        table = migrations.migrations_table
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone():
            _bad("schema", _fault("no_migrations"))
        applied = [
            str(r[0])
            for r in conn.execute(
                f"SELECT name FROM [{table}] WHERE migration_set = ? ORDER BY rowid",
                (MIGRATION_SET,),
            )
        ]
        unknown = [n for n in applied if n not in names]
        if unknown:
            _bad("schema", _fault("newer_version", migration=unknown[0]))
        if applied != list(names[: len(applied)]):
            _bad("schema", _fault("other_migrations", applied=applied, expected=list(names)))
        stop_before = names[len(applied)] if len(applied) < len(names) else None
        if stop_before is not None:
            # An older ledger is verified against the schema its own migrations made, never
            # changed: the kiosk brings it up to date the next time it opens it.
            self.notes.append(_fault("older_version", migration=stop_before))
            self.has_high_water = "m002_high_water" in applied
            if not self.has_high_water:
                self.notes.append(_fault("no_high_water"))
        expected = _expected_schema(stop_before)
        actual = _schema(conn)
        for name, (kind, _table, _sql) in expected.items():
            if name not in actual:
                _bad(f"{kind} {name}", _fault("schema_missing", kind=kind, name=name))
            if actual[name] != expected[name]:
                _bad(f"{kind} {name}", _fault("schema_changed", kind=kind, name=name))
        for name, (kind, _table, _sql) in actual.items():
            if name not in expected:
                _bad(f"{kind} {name}", _fault("schema_extra", kind=kind, name=name))

    def _meta(self, conn: sqlite3.Connection) -> None:
        stored = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        expected = {"kiosk_id": self.kiosk_id, "public_key": self.public_key_raw.hex()}
        for key, value in expected.items():
            if stored.get(key) != value:
                wrong = _fault(
                    "meta_wrong", key=key, stored=repr(stored.get(key)), expected=repr(value)
                )
                _bad(f"meta.{key}", wrong)
        for key in stored.keys() - expected.keys():
            _bad(f"meta.{key}", _fault("meta_extra", key=repr(key)))

    def _votes(self, conn: sqlite3.Connection) -> int:
        """Stream every vote with its delivery mark and pending row; return the last seq."""
        prev = genesis_prev(self.public_key_raw)
        counts = self.counts
        self.reading_votes = True
        for seq, *columns, digest, body, receipt, pending in conn.execute(_VOTES_SQL):
            expected = self.checked + 1
            if seq != expected:
                _bad("votes", _fault("vote_missing", seq=expected, next=seq), expected)
            if not isinstance(body, bytes):
                _bad("votes.body", _fault("body_not_bytes", seq=seq), seq)
            try:
                vote = parse_vote(body)
            except VoteError as exc:
                _bad("votes.body", _fault("body_unreadable", seq=seq, error=exc), seq)
            if vote.seq != seq:
                _bad("votes.body", _fault("wrong_seq", seq=seq, says=vote.seq), seq)
            if vote.kiosk != self.kiosk_id:
                _bad("votes.body", _fault("other_kiosk", seq=seq, kiosk=vote.kiosk), seq)
            if vote.prev != prev:
                _bad("votes.body", _fault("chain_broken", before=seq - 1, seq=seq), seq)
            if vote.signed_bytes() != body:
                _bad("votes.body", _fault("not_canonical", seq=seq), seq)
            if not verify_vote_signature(self.public_key_raw, vote.sig, body):
                _bad("votes.body", _fault("bad_signature", seq=seq), seq)
            prev = hashlib.sha256(body).hexdigest()
            if digest != prev:
                _bad("votes.hash", _fault("hash_mismatch", seq=seq), seq)
            derived = vote_columns(vote)
            for name, stored, says in zip(VoteColumns._fields, columns, derived, strict=True):
                if stored != says:
                    facts = {"column": name, "stored": repr(stored), "says": repr(says)}
                    _bad(f"votes.{name}", _fault("column_mismatch", seq=seq, **facts), seq)
            if receipt is None and not pending:
                _bad("undelivered", _fault("never_sent", seq=seq), seq)
            if receipt is not None and pending:
                _bad("undelivered", _fault("delivered_pending", seq=seq), seq)
            if receipt is not None:
                problem = self.receipts.problem(str(receipt), seq)
                if problem is not None:
                    _bad("delivery", problem, seq)
                counts["delivered"] += 1
            counts["total"] += 1
            counts[f"rating:{derived.rating}"] += 1
            counts[f"day:{derived.local_day}"] += 1
            counts[f"target:{derived.target}"] += 1
            self.checked += 1
        self.reading_votes = False
        return self.checked

    def _last_vote(self, conn: sqlite3.Connection, last: int) -> None:
        if self.has_high_water:
            self._high_water(conn, last)
        held = self.receipts.highest_held()
        if held is not None and held[0] > last and held[0] > self._last_now():
            kind = "receipt_beyond_one" if held[0] == last + 1 else "receipt_beyond_many"
            facts = {"receipt": held[1], "held": held[0], "last": last, "first": last + 1}
            _bad("receipts", _fault(kind, **facts), last + 1)

    def _last_now(self) -> int:
        """The last seq now, outside the snapshot: a vote cast and sent during a long verify
        has a receipt the snapshot cannot see, which must not read as a removed vote."""
        conn = sqlite3.connect(read_only_uri(self.path), uri=True)
        try:
            return int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM votes").fetchone()[0])
        finally:
            conn.close()

    def _high_water(self, conn: sqlite3.Connection, last: int) -> None:
        rows = conn.execute("SELECT id, seq FROM high_water").fetchall()
        if len(rows) != 1 or rows[0][0] != 1:
            _bad("high_water", _fault("high_water_bad"))
        mark = rows[0][1]
        if isinstance(mark, int) and mark > last:
            kind = "high_water_one" if mark == last + 1 else "high_water_many"
            _bad("high_water", _fault(kind, mark=mark, last=last, first=last + 1), last + 1)
        if mark != last:
            _bad("high_water", _fault("high_water_mismatch", mark=repr(mark), last=last))

    def _strays(self, conn: sqlite3.Connection, last: int) -> None:
        for table in ("undelivered", "delivery"):
            (stray,) = conn.execute(
                f"SELECT MIN(seq) FROM {table} WHERE seq NOT BETWEEN 1 AND ?", (last,)
            ).fetchone()
            if stray is not None:
                _bad(table, _fault("stray", table=table, seq=stray), stray)

    def _counts(self, conn: sqlite3.Connection) -> None:
        stored = dict(conn.execute("SELECT key, n FROM vote_counts").fetchall())
        for key in sorted(stored.keys() | self.counts.keys()):
            says, recount = stored.get(key), self.counts.get(key)
            if says != recount:
                kind = (
                    "count_missing"
                    if says is None
                    else "count_extra"
                    if recount is None
                    else "count_differs"
                )
                facts = {"key": key, "says": says, "recount": recount}
                _bad(f"vote_counts {key}", _fault(kind, **facts))


class _Receipts:
    """The archived receipts beside the ledger, each checked against the pinned key once."""

    def __init__(self, data_dir: Path, kiosk_id: str, key: Ed25519PublicKey | None) -> None:
        self.data_dir = data_dir
        self.kiosk_id = kiosk_id
        self._key = key
        self._no_key: dict[str, object] = {}  # why no key: the fault's kind and its facts
        if key is None:
            try:
                self._key = load_config(data_dir).collector_public_key
            except ConfigError as exc:
                self._no_key = {"kind": "receipt_no_settings", "error": exc}
            else:
                if self._key is None:
                    self._no_key = {"kind": "receipt_no_key"}
        self._archive: dict[str, bytes] | None = None
        self._read: dict[str, Receipt | dict[str, object]] = {}
        self._conflicts: dict[str, frozenset[int]] = {}

    def _archived(self) -> dict[str, bytes]:
        if self._archive is None:
            try:
                self._archive = archived_receipts(self.data_dir)
            except OSError as exc:
                _bad("receipts", _fault("receipts_unreadable", file=RECEIPTS_FILE_NAME, error=exc))
        return self._archive

    def _receipt(self, rid: str) -> Receipt | dict[str, object]:
        """The genuine receipt with this id, or why it is not one (a fault's kind and facts)."""
        if rid in self._read:
            return self._read[rid]
        data = self._archived().get(rid)
        found: Receipt | dict[str, object]
        if data is None:
            found = {"kind": "receipt_not_kept", "file": RECEIPTS_FILE_NAME}
        elif self._key is None:
            found = self._no_key
        else:
            check = check_receipt(data, self._key, self.kiosk_id)
            if check.ok and check.receipt is not None:
                found = check.receipt
                self._conflicts[rid] = frozenset(check.receipt.conflicts)
            else:
                found = {"kind": "receipt_not_genuine", "error": check.problems[0].message}
        self._read[rid] = found
        return found

    def problem(self, rid: str, seq: int) -> Fault | None:
        """Why the delivery mark of seq naming rid is not backed by a receipt; None if it is."""
        receipt = self._receipt(rid)
        if not isinstance(receipt, Receipt):
            facts = {name: value for name, value in receipt.items() if name != "kind"}
            return _fault(str(receipt["kind"]), seq=seq, receipt=rid, **facts)
        accepted = any(a <= seq <= b for a, b in receipt.accepted)
        if not accepted or seq in self._conflicts[rid]:
            return _fault("receipt_not_accepting", seq=seq, receipt=rid)
        return None

    def highest_held(self) -> tuple[int, str] | None:
        """The highest seq any genuine archived receipt says the collector holds, and its id."""
        best: tuple[int, str] | None = None
        for rid in self._archived():
            receipt = self._receipt(rid)
            if not isinstance(receipt, Receipt):
                continue  # a torn last line or a stray: it backs no mark, so it proves nothing
            top = max((b for _a, b in (*receipt.accepted, *receipt.held)), default=0)
            if best is None or top > best[0]:
                best = (top, rid)
        return best
