"""`sangsuk-kiosk verify` proves everything stored: a tamper matrix on a real, synced ledger.

One kiosk is enrolled with a real collector (uvicorn on 127.0.0.1), casts 35 votes and sends
30 of them in two batches, so its ledger holds delivery marks backed by two genuine receipts.
Each case copies that data folder, changes the ledger with plain sqlite3 as someone with the
file could (dropping a guarding trigger for the change and putting it back as it was, unless
the trigger is the point), and runs the real command. Each must exit 1, name the first seq (or
count key, or table) that disagrees and what disagreed, and leave the ledger byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from collector.keys import load_collector_key
from kiosk.config import KioskConfig, save_config
from kiosk.demo import random_ballot
from kiosk.ledger import LEDGER_FILE_NAME, Ledger
from kiosk.ledger_verify import verify_ledger
from kiosk.syncstate import RECEIPTS_FILE_NAME, archive_receipt, archived_receipts
from sync import terminal
from tests.collector_server import serve_collector
from tests.identity_r import identity_r_sign
from ui.cli import main
from wire import keys
from wire.canonical import canonical_json
from wire.receipt import RECEIPT_DOMAIN, Receipt, sign_receipt
from wire.vote import VOTE_DOMAIN

SYNCED = 30  # votes 1-20 and 21-30 delivered, by two receipts
TOTAL = 35  # votes 31-35 pending
NOW = "2026-11-24T03:00:00.000Z"


def cast(data_dir: Path, count: int, seed: int | None = None) -> None:
    """count realistic votes through the real ledger, as citizens cast them on an enrolled
    kiosk (`demo-votes` refuses one: its votes would be counted)."""
    rng = random.Random(seed)
    with Ledger.open(data_dir, keys.load(data_dir / keys.KEY_FILE_NAME)) as ledger:
        ledger.cast_many([random_ballot(rng, "3706") for _ in range(count)])


@pytest.fixture(scope="module")
def synced_kiosk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A kiosk's data folder: enrolled, 35 votes, 1-30 delivered on genuine receipts."""
    root = tmp_path_factory.mktemp("synced")
    data_dir = root / "kiosk"
    with serve_collector(root / "collector.sqlite3", [("3706", "small")]) as collector:
        token = collector.store.issue_token("3706")
        assert terminal.enroll(data_dir, collector.url, token).exit_code == 0
        for count in (20, 10):
            cast(data_dir, count, seed=count)
            assert terminal.sync_once(data_dir).exit_code == 0
        cast(data_dir, TOTAL - SYNCED, seed=5)
    assert len(archived_receipts(data_dir)) == 2
    return data_dir


@pytest.fixture
def kiosk(synced_kiosk: Path, tmp_path: Path) -> Path:
    """A fresh copy of the synced kiosk's data folder, for one test to damage."""
    return Path(shutil.copytree(synced_kiosk, tmp_path / "kiosk"))


def tamper(data_dir: Path, *sql: str, unguard: tuple[str, ...] = ()) -> None:
    """Run sql on the ledger with plain sqlite3; the triggers named are dropped meanwhile."""
    conn = sqlite3.connect(data_dir / LEDGER_FILE_NAME, isolation_level=None)
    try:
        saved = [
            conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
            for name in unguard
        ]
        for name in unguard:
            conn.execute(f"DROP TRIGGER {name}")
        for statement in sql:
            conn.execute(statement)
        for statement in saved:
            conn.execute(statement)
    finally:
        conn.close()


def query(data_dir: Path, sql: str) -> list[tuple]:
    """Read the ledger with plain sqlite3."""
    conn = sqlite3.connect(data_dir / LEDGER_FILE_NAME)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def receipt_ids(data_dir: Path) -> list[str]:
    """The ids of the two genuine receipts, the first batch's first."""
    return [
        r[0]
        for r in query(data_dir, "SELECT receipt FROM delivery GROUP BY receipt ORDER BY MIN(seq)")
    ]


def recount(data_dir: Path) -> list[str]:
    """SQL that rebuilds vote_counts from the votes, as a careful attacker would."""
    return [
        "DELETE FROM vote_counts",
        "INSERT INTO vote_counts (key, n) SELECT 'total', COUNT(*) FROM votes",
        "INSERT INTO vote_counts (key, n) SELECT 'rating:' || rating, COUNT(*) FROM votes GROUP BY rating",
        "INSERT INTO vote_counts (key, n) SELECT 'day:' || local_day, COUNT(*) FROM votes GROUP BY local_day",
        "INSERT INTO vote_counts (key, n) SELECT 'target:' || target, COUNT(*) FROM votes GROUP BY target",
        "INSERT INTO vote_counts (key, n) SELECT 'delivered', COUNT(*) FROM delivery",
    ]


def forged_receipt_line(data_dir: Path, seq: int) -> str:
    """Archive a well-formed receipt for seq signed by a key that is not the collector's."""
    kiosk_id = keys.load(data_dir / keys.KEY_FILE_NAME).kiosk_id
    receipt = Receipt(kiosk_id, None, [(seq, seq)], [], [(1, seq)], [], NOW)
    return archive_receipt(data_dir, sign_receipt(Ed25519PrivateKey.generate(), receipt))


@dataclass(frozen=True)
class Case:
    """One way of damaging the ledger and what verify must name."""

    change: Callable[[Path], None]
    where: str
    seq: int | None
    says: str


def _sql(*sql: str, unguard: tuple[str, ...] = ()) -> Callable[[Path], None]:
    return lambda data_dir: tamper(data_dir, *sql, unguard=unguard)


VOTE_GUARDS = ("votes_no_update", "votes_no_delete")


def _bad_receipt(data_dir: Path) -> None:  # the first batch's receipt, on a vote it never saw
    first = receipt_ids(data_dir)[0]
    tamper(data_dir, f"INSERT INTO delivery VALUES (33, '{NOW}', '{first}')")


def _unknown_receipt(data_dir: Path) -> None:
    tamper(data_dir, f"INSERT INTO delivery VALUES (34, '{NOW}', 'sha256:{'0' * 64}')")


def _forged_receipt(data_dir: Path) -> None:
    rid = forged_receipt_line(data_dir, 35)
    tamper(data_dir, f"INSERT INTO delivery VALUES (35, '{NOW}', '{rid}')")


def _identity_r_vote(data_dir: Path) -> None:
    """The last vote signed again by the kiosk's own key with R the identity (r = 0)."""
    key = keys.load(data_dir / keys.KEY_FILE_NAME).private_key
    ((body,),) = query(data_dir, "SELECT body FROM votes WHERE seq = 35")
    vote = json.loads(body)
    unsigned = {k: v for k, v in vote.items() if k != "sig"}
    vote["sig"] = identity_r_sign(key, VOTE_DOMAIN + canonical_json(unsigned)).hex()
    forged = canonical_json(vote)
    tamper(
        data_dir,
        f"UPDATE votes SET body = X'{forged.hex()}', hash = '{hashlib.sha256(forged).hexdigest()}'"
        " WHERE seq = 35",
        unguard=VOTE_GUARDS,
    )


def _delete_a_count(data_dir: Path) -> None:
    (key,) = query(data_dir, "SELECT key FROM vote_counts WHERE key LIKE 'target:%' LIMIT 1")[0]
    tamper(data_dir, f"DELETE FROM vote_counts WHERE key = '{key}'")


def _other_public_key(data_dir: Path) -> None:
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw().hex()
    tamper(
        data_dir,
        f"UPDATE meta SET value = '{other}' WHERE key = 'public_key'",
        unguard=("meta_no_update",),
    )


def _last_delivered_votes_removed(data_dir: Path) -> None:
    """Votes 30-35 removed and every derived row made to agree: only the receipts remember."""
    tamper(
        data_dir,
        "DELETE FROM delivery WHERE seq >= 30",
        "DELETE FROM undelivered WHERE seq >= 30",
        "DELETE FROM votes WHERE seq >= 30",
        *recount(data_dir),
        "UPDATE high_water SET seq = 29",
        unguard=(*VOTE_GUARDS, "delivery_no_delete", "high_water_only_rises"),
    )


CASES: dict[str, Case] = {
    # every column derived from the signed body
    "cast_at": Case(
        _sql("UPDATE votes SET cast_at = '2026-01-01T00:00:00.000Z' WHERE seq = 7", unguard=VOTE_GUARDS),
        "votes.cast_at", 7, "signed body says",
    ),
    "local_day": Case(
        _sql("UPDATE votes SET local_day = '2020-01-01' WHERE seq = 8", unguard=VOTE_GUARDS),
        "votes.local_day", 8, "signed body says",
    ),
    "rating": Case(
        _sql("UPDATE votes SET rating = rating % 5 + 1 WHERE seq = 9", unguard=VOTE_GUARDS),
        "votes.rating", 9, "signed body says",
    ),
    "target": Case(
        _sql("UPDATE votes SET target = 'unit:forged' WHERE seq = 10", unguard=VOTE_GUARDS),
        "votes.target", 10, "signed body says",
    ),
    "hash": Case(
        _sql(f"UPDATE votes SET hash = '{'0' * 64}' WHERE seq = 11", unguard=VOTE_GUARDS),
        "votes.hash", 11, "stored hash",
    ),
    "vote signed with R the identity": Case(
        _identity_r_vote, "votes.body", 35, "bad signature",
    ),
    "body not canonical": Case(
        _sql("UPDATE votes SET body = CAST(body || ' ' AS BLOB) WHERE seq = 12", unguard=VOTE_GUARDS),
        "votes.body", 12, "canonical",
    ),
    # vote_counts
    "count edited": Case(
        _sql("UPDATE vote_counts SET n = 99 WHERE key = 'total'"),
        "vote_counts total", None, "says total is 99, but the votes say 35",
    ),
    "count deleted": Case(_delete_a_count, "vote_counts target:", None, "is absent"),
    "count added": Case(
        _sql("INSERT INTO vote_counts VALUES ('day:2020-01-01', 4)"),
        "vote_counts day:2020-01-01", None, "says day:2020-01-01 is 4, but the votes say absent",
    ),
    "delivered count edited": Case(
        _sql("UPDATE vote_counts SET n = 35 WHERE key = 'delivered'"),
        "vote_counts delivered", None, "the votes say 30",
    ),
    # undelivered
    "pending row deleted": Case(
        _sql("DELETE FROM undelivered WHERE seq = 32"), "undelivered", 32, "never be sent"
    ),
    "pending row added for a delivered vote": Case(
        _sql("INSERT INTO undelivered VALUES (3)"), "undelivered", 3, "still in undelivered"
    ),
    "pending row added for no vote": Case(
        _sql("INSERT INTO undelivered VALUES (99)"), "undelivered", 99, "not in the ledger"
    ),
    # delivery
    "delivery on a receipt that did not accept it": Case(
        _bad_receipt, "delivery", 33, "did not accept it"
    ),
    "delivery on a receipt not kept": Case(
        _unknown_receipt, "delivery", 34, f"is not in {RECEIPTS_FILE_NAME}"
    ),
    "delivery on a receipt signed by another key": Case(
        _forged_receipt, "delivery", 35, "not genuine"
    ),
    "delivery of a vote that is not there": Case(
        _sql(f"INSERT INTO delivery VALUES (50, '{NOW}', 'x')"),
        "delivery", 50, "not in the ledger",
    ),
    # meta and the schema
    "public key changed": Case(_other_public_key, "meta.public_key", None, "not this device key's"),
    "trigger altered": Case(
        _sql(
            "DROP TRIGGER votes_no_delete",
            "CREATE TRIGGER votes_no_delete BEFORE DELETE ON votes WHEN 0"
            " BEGIN SELECT RAISE(ABORT, 'votes are append-only: DELETE is not allowed'); END",
        ),
        "trigger votes_no_delete", None, "not as the ledger's schema made it",
    ),
    "trigger added": Case(
        _sql("CREATE TRIGGER quiet BEFORE INSERT ON delivery BEGIN SELECT 1; END"),
        "trigger quiet", None, "never made",
    ),
    "migration record deleted": Case(
        _sql("DELETE FROM _sqlite_migrations WHERE name = 'm002_high_water'"),
        "table high_water", None, "never made",
    ),
    # the last vote
    "last vote deleted": Case(
        _sql("DELETE FROM votes WHERE seq = 35", unguard=VOTE_GUARDS),
        "high_water", 35, "once held vote 35",
    ),
    "last delivered votes deleted, every derived row agreeing": Case(
        _last_delivered_votes_removed, "receipts", 30, "says it holds vote 30",
    ),
    "high-water raised": Case(
        _sql("UPDATE high_water SET seq = 40"), "high_water", 36, "votes 36-40 were removed"
    ),
    "high-water lowered": Case(
        _sql("UPDATE high_water SET seq = 10", unguard=("high_water_only_rises",)),
        "high_water", None, "the high-water mark is 10, but the last vote is 35",
    ),
    "high-water deleted": Case(
        _sql("DELETE FROM high_water", unguard=("high_water_no_delete",)),
        "high_water", None, "missing",
    ),
}  # fmt: skip

TRIGGERS = (
    "votes_no_update", "votes_no_delete", "votes_seq_follows", "votes_counted",
    "delivery_no_update", "delivery_no_delete", "delivery_counted", "votes_undelivered",
    "votes_high_water", "high_water_only_rises", "high_water_no_delete", "high_water_one_row",
    "meta_no_update", "meta_no_delete",
)  # fmt: skip


def run_verify(capsys: pytest.CaptureFixture[str], data_dir: Path) -> tuple[int, str]:
    """Run `sangsuk-kiosk verify` and return its exit code and what it printed."""
    code = main(["verify", "--data-dir", str(data_dir)])
    out, err = capsys.readouterr()
    return code, out + err


def ledger_bytes(data_dir: Path) -> bytes:
    """The ledger's main file, with any write-ahead log (there must be nothing in it)."""
    path = data_dir / LEDGER_FILE_NAME
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def assert_named(capsys: pytest.CaptureFixture[str], data_dir: Path, case: Case) -> None:
    """verify exits 1, names the case's seq or table and what disagreed, and changes nothing."""
    before = ledger_bytes(data_dir)
    result = verify_ledger(
        data_dir / LEDGER_FILE_NAME, keys.load(data_dir / keys.KEY_FILE_NAME).public_key_raw
    )
    assert not result.ok
    assert result.where.startswith(case.where), result
    assert result.first_bad_seq == case.seq, result
    assert case.says in result.problem, result
    code, printed = run_verify(capsys, data_dir)
    assert code == 1
    head = (
        f"NOT OK at vote {case.seq} ({result.where})" if case.seq else f"NOT OK in {result.where}"
    )
    assert head in printed
    assert result.problem in printed
    # The Thai line says the fault in Thai, not in the English of the line after it.
    thai = next(
        line for line in printed.splitlines() if line.startswith("ฐานข้อมูลผลการประเมินไม่ถูกต้อง")
    )
    said = thai.split(": ", 1)[1]
    assert re.search("[\u0e00-\u0e7f]", said), thai
    assert result.problem not in thai
    assert "Nothing was changed" in printed
    assert ledger_bytes(data_dir) == before


def test_the_synced_kiosk_verifies_and_is_left_as_it_was(capsys, kiosk):
    before = ledger_bytes(kiosk)
    code, printed = run_verify(capsys, kiosk)
    assert code == 0, printed
    assert f"Ledger OK: {TOTAL} votes" in printed
    assert ledger_bytes(kiosk) == before
    assert query(kiosk, "SELECT COUNT(*) FROM delivery") == [(SYNCED,)]


@pytest.mark.parametrize("name", list(CASES))
def test_verify_names_what_was_changed(capsys, kiosk, name):
    CASES[name].change(kiosk)
    assert_named(capsys, kiosk, CASES[name])


def test_a_receipt_the_collector_signed_with_identity_r_backs_no_delivery(
    capsys, kiosk, synced_kiosk
):
    """The collector's own key, R the identity: OpenSSL would call the receipt genuine."""
    collector = load_collector_key(synced_kiosk.parent / "collector.sqlite3").private_key
    kiosk_id = keys.load(kiosk / keys.KEY_FILE_NAME).kiosk_id
    receipt = json.loads(
        sign_receipt(collector, Receipt(kiosk_id, None, [(35, 35)], [], [(1, 35)], [], NOW))
    )
    unsigned = {k: v for k, v in receipt.items() if k != "sig"}
    receipt["sig"] = identity_r_sign(collector, RECEIPT_DOMAIN + canonical_json(unsigned)).hex()
    rid = archive_receipt(kiosk, canonical_json(receipt))
    tamper(kiosk, f"INSERT INTO delivery VALUES (35, '{NOW}', '{rid}')")
    assert_named(capsys, kiosk, Case(lambda _: None, "delivery", 35, "not genuine"))


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_verify_names_a_dropped_trigger(capsys, kiosk, trigger):
    tamper(kiosk, f"DROP TRIGGER {trigger}")
    assert_named(capsys, kiosk, Case(_sql(), f"trigger {trigger}", None, "is missing"))


def test_delivery_marks_need_the_pinned_collector_key(capsys, kiosk):
    save_config(kiosk, KioskConfig(district="3706", demo=False))  # settings replaced: no key
    assert_named(capsys, kiosk, Case(_sql(), "delivery", 1, "no pinned collector key"))


def test_a_torn_last_receipt_line_is_no_problem(capsys, kiosk):
    """A crash while a receipt was appended (before any mark named it) leaves half a line."""
    with (kiosk / RECEIPTS_FILE_NAME).open("ab") as f:
        f.write(b'{"accepted":[[31,35]],"batch":"ab')
    code, printed = run_verify(capsys, kiosk)
    assert code == 0, printed


def test_receipts_that_cannot_be_read_are_reported(capsys, kiosk):
    (kiosk / RECEIPTS_FILE_NAME).unlink()
    (kiosk / RECEIPTS_FILE_NAME).mkdir()
    assert_named(capsys, kiosk, Case(_sql(), "receipts", None, "cannot be read"))


def test_an_unreadable_ledger_is_reported_and_left_alone(capsys, kiosk):
    path = kiosk / LEDGER_FILE_NAME
    data = bytearray(path.read_bytes())
    data[4096 + 8 : 4096 + 300] = b"\xff" * 292  # a page scribbled over, as a failing disk might
    path.write_bytes(bytes(data))
    code, printed = run_verify(capsys, kiosk)
    assert code == 1
    assert "NOT OK" in printed
    assert path.read_bytes() == bytes(data)


# --- the high-water mark -----------------------------------------------------------------------


def test_a_ledger_made_before_the_high_water_mark_gets_one_when_opened(capsys, kiosk):
    """An m001 ledger (as the version before this one left it) verifies against its own schema,
    unchanged, and is migrated when the kiosk opens it, not by verify."""
    tamper(
        kiosk,
        *(f"DROP TRIGGER {t}" for t in TRIGGERS if t.startswith(("high_water", "meta_no"))),
        "DROP TRIGGER votes_high_water",
        "DROP TABLE high_water",
        "DELETE FROM _sqlite_migrations WHERE name = 'm002_high_water'",
    )
    before = ledger_bytes(kiosk)
    code, printed = run_verify(capsys, kiosk)
    assert code == 0, printed
    assert f"Ledger OK: {TOTAL} votes" in printed
    assert "made by an older version (migration m002_high_water not yet applied)" in printed
    assert "no high-water mark yet" in printed
    assert ledger_bytes(kiosk) == before

    key = keys.load(kiosk / keys.KEY_FILE_NAME)
    with Ledger.open(kiosk, key) as ledger:
        assert ledger.db.execute("SELECT seq FROM high_water").fetchall() == [(TOTAL,)]
        cast(kiosk, 2)
        assert ledger.db.execute("SELECT seq FROM high_water").fetchall() == [(TOTAL + 2,)]
    code, printed = run_verify(capsys, kiosk)
    assert code == 0, printed
    assert f"Ledger OK: {TOTAL + 2} votes" in printed
    assert "older version" not in printed


def test_the_high_water_mark_and_meta_are_guarded(kiosk):
    conn = sqlite3.connect(kiosk / LEDGER_FILE_NAME, isolation_level=None)
    try:
        for sql, says in (
            ("UPDATE high_water SET seq = 3", "only rises"),
            ("DELETE FROM high_water", "never deleted"),
            ("INSERT INTO high_water VALUES (2, 99)", "one row"),
            ("UPDATE meta SET value = 'x' WHERE key = 'public_key'", "meta is final"),
            ("DELETE FROM meta", "meta is final"),
        ):
            with pytest.raises(sqlite3.IntegrityError, match=says):
                conn.execute(sql)
        conn.execute("UPDATE high_water SET seq = seq")  # the mark may stay where it is
    finally:
        conn.close()


def test_an_older_ledger_still_has_its_last_vote_checked_against_the_receipts(capsys, kiosk):
    """Without a high-water mark, a removed last delivered vote is still caught by its receipt."""
    _last_delivered_votes_removed(kiosk)
    tamper(
        kiosk,
        *(f"DROP TRIGGER {t}" for t in TRIGGERS if t.startswith(("high_water", "meta_no"))),
        "DROP TRIGGER votes_high_water",
        "DROP TABLE high_water",
        "DELETE FROM _sqlite_migrations WHERE name = 'm002_high_water'",
    )
    code, printed = run_verify(capsys, kiosk)
    assert code == 1
    assert "says it holds vote 30" in printed


def test_reindented_schema_text_is_not_a_change(kiosk, capsys):
    """SQLite keeps a trigger's text as written: white space alone must not read as tampering."""
    tamper(
        kiosk,
        "DROP TRIGGER votes_no_update",
        "CREATE TRIGGER votes_no_update   BEFORE UPDATE ON votes\n\n  BEGIN  SELECT"
        " RAISE(ABORT, 'votes are append-only: UPDATE is not allowed');   END",
    )
    code, printed = run_verify(capsys, kiosk)
    assert code == 0, printed
