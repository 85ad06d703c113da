"""The ledger: durable, append-only, chained and signed; counts and pages; verify names the bad seq."""

import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.ledger import LEDGER_FILE_NAME, Ledger, LedgerError, require_durable
from wire import keys
from wire.vote import Ballot, Target, VoteError, genesis_prev, parse_vote


def ballot(rating=5, **kw):
    return Ballot("3706", rating, **kw)


def raw(ledger):
    """A separate, plain connection to the same file, as another process would have."""
    return sqlite3.connect(ledger.path, isolation_level=None)


def test_cast_commits_before_it_returns(ledger):
    vote = ledger.cast(ballot(story="ดีมากค่ะ"))
    with raw(ledger) as other:  # another connection sees it at once: it is committed
        body = other.execute("SELECT body FROM votes WHERE seq = 1").fetchone()[0]
    assert parse_vote(bytes(body)) == vote


def test_ledger_runs_with_wal_and_full_sync(ledger):
    assert ledger.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert ledger.db.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_a_second_ledger_in_the_kiosk_and_a_command_elsewhere_lose_no_vote(
    ledger, tmp_path, device_key, clock
):
    """The kiosk's sender opens the ledger a second time in the kiosk's own process, and an
    officer runs `sangsuk-kiosk status` meanwhile: every vote thanked for must still be there.

    Opening a second ledger once opened and closed the file outside SQLite, which on POSIX
    drops all of the process's locks on it; the command, closing the ledger, then took itself
    for its last user and deleted the -wal that held the kiosk's newer votes.
    """
    ledger.cast(ballot(5))
    with Ledger.open(tmp_path, device_key, clock) as sender:
        assert sender.counts().total == 1
    status = subprocess.run(
        [str(Path(sys.executable).parent / "sangsuk-kiosk"), "status", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert status.returncode == 0, status.stderr
    wal = tmp_path / (LEDGER_FILE_NAME + "-wal")
    assert wal.exists(), "the command deleted the -wal the kiosk still writes into"
    ledger.cast(ballot(4))  # thanked for: committed, as the kiosk believes
    ledger.close()
    with Ledger.open(tmp_path, device_key, clock) as reopened:
        assert reopened.counts().total == 2


def test_a_connection_without_wal_and_full_sync_is_refused(tmp_path):
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        with pytest.raises(LedgerError, match="write-ahead") as info:
            require_durable(conn, tmp_path / "x.db")
        assert info.value.code == "not_durable"
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        with pytest.raises(LedgerError, match="synchronous=FULL"):
            require_durable(conn, tmp_path / "x.db")
    finally:
        conn.close()


def test_votes_are_numbered_and_chained(ledger, device_key):
    votes = [ledger.cast(ballot(r)) for r in (5, 4, 3)]
    assert [v.seq for v in votes] == [1, 2, 3]
    assert votes[0].prev == genesis_prev(device_key.public_key_raw)
    assert votes[1].prev == votes[0].hash()
    assert votes[2].prev == votes[1].hash()
    assert all(v.kiosk == device_key.kiosk_id for v in votes)
    assert all(v.verify_signature(device_key.public_key) for v in votes)
    assert ledger.head() == (3, votes[2].hash())


def test_cast_time_comes_from_the_clock_and_order_from_seq(ledger, clock):
    first = ledger.cast(ballot())
    clock.set_wall(datetime(1970, 1, 1, tzinfo=UTC))  # a dead clock battery
    second = ledger.cast(ballot())
    assert first.cast_at == "2026-11-24T03:00:00.000Z"
    assert second.cast_at == "1970-01-01T00:00:00.000Z"
    assert second.seq == first.seq + 1
    assert ledger.verify().ok


def test_reopening_continues_the_chain(tmp_path, device_key, clock):
    with Ledger.open(tmp_path, device_key, clock) as first:
        last = first.cast(ballot())
    with Ledger.open(tmp_path, device_key, clock) as again:
        nxt = again.cast(ballot())
    assert (nxt.seq, nxt.prev) == (2, last.hash())


def test_update_and_delete_of_votes_are_refused(ledger):
    ledger.cast(ballot())
    with raw(ledger) as other:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            other.execute("UPDATE votes SET rating = 1 WHERE seq = 1")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            other.execute("DELETE FROM votes")
        with pytest.raises(sqlite3.IntegrityError, match="one more"):
            other.execute(
                "INSERT INTO votes (seq, cast_at, local_day, rating, target, hash, body)"
                " VALUES (5, '', '', 5, 'none', 'h', x'00')"
            )
    assert ledger.verify().ok


def test_delivery_is_kept_apart_and_is_final(ledger):
    ledger.cast(ballot())
    assert ledger.mark_delivered([(1, 1)], "receipt-1") == 1
    with raw(ledger) as other, pytest.raises(sqlite3.IntegrityError, match="final"):
        other.execute("DELETE FROM delivery")
    assert ledger.vote(1).seq == 1  # the vote itself is kept after delivery


def test_a_bad_ballot_stores_nothing(ledger):
    ledger.cast(ballot())
    head = ledger.head()
    for bad in (
        ballot(0),
        ballot(6),
        Ballot("9999", 5),
        ballot(story="x" * 501),
        ballot(story="\x00"),
    ):
        with pytest.raises(VoteError):
            ledger.cast(bad)
    assert ledger.head() == head
    assert ledger.counts().total == 1
    assert ledger.cast(ballot()).seq == 2


def test_cast_many_is_all_or_nothing(ledger):
    with pytest.raises(VoteError):
        ledger.cast_many([ballot(), ballot(), ballot(9)])
    assert ledger.counts().total == 0
    assert [v.seq for v in ledger.cast_many([ballot(), ballot()])] == [1, 2]


def test_disk_full_is_reported_and_leaves_the_ledger_sound(ledger):
    ledger.cast(ballot())
    pages = ledger.db.execute("PRAGMA page_count").fetchone()[0]
    ledger.db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "disk is full"
    with pytest.raises(LedgerError) as info:
        ledger.cast_many([ballot(story="ก" * 400) for _ in range(50)])
    assert info.value.code == "disk_full"
    assert ledger.counts().total == 1
    assert ledger.verify().ok
    ledger.db.execute("PRAGMA max_page_count = 1073741823")  # space is freed
    assert ledger.cast(ballot()).seq == 2
    assert ledger.verify().ok


def test_counts(ledger, clock):
    ledger.cast(ballot(5, target=Target("staff", "s01")))
    ledger.cast(ballot(5, target=Target("staff", "s01")))
    ledger.cast(ballot(3, target=Target("unit", "id-card")))
    clock.advance(24 * 3600)
    ledger.cast(ballot(1))
    counts = ledger.counts()
    assert counts.total == 4
    assert counts.today == 1
    assert counts.by_rating == {1: 1, 2: 0, 3: 1, 4: 0, 5: 2}
    assert counts.by_target == {"staff:s01": 2, "unit:id-card": 1, "none": 1}
    assert counts.pending == 4


def test_today_is_the_thai_day(ledger, clock):
    clock.set_wall(datetime(2026, 11, 24, 18, 30, tzinfo=UTC))  # 01:30 on the 25th in Thailand
    ledger.cast(ballot())
    assert ledger.counts().today == 1
    assert ledger.counts(datetime(2026, 11, 25).date()).today == 1
    assert ledger.counts(datetime(2026, 11, 24).date()).today == 0


def test_pending_pages_in_seq_order_and_skips_delivered(ledger):
    ledger.cast_many([ballot() for _ in range(25)])
    assert [v.seq for v in ledger.pending(limit=10)] == list(range(1, 11))
    assert [v.seq for v in ledger.pending(after_seq=20, limit=10)] == [21, 22, 23, 24, 25]
    ledger.mark_delivered([(5, 10)], "r1")  # out of order: 1-4 still pending
    assert [v.seq for v in ledger.pending(limit=6)] == [1, 2, 3, 4, 11, 12]
    ledger.mark_delivered([(1, 4)], "r2")
    assert [v.seq for v in ledger.pending(limit=3)] == [11, 12, 13]
    assert ledger.mark_delivered([(1, 12)], "r3") == 2  # 11 and 12 are new
    counts = ledger.counts()
    assert (counts.delivered, counts.pending) == (12, 13)
    stored = ledger.pending(limit=1)[0]
    assert parse_vote(stored.body).hash() == stored.hash


def test_casting_from_several_threads_keeps_one_chain(ledger):
    def cast_some():
        for _ in range(20):
            ledger.cast(ballot())

    threads = [threading.Thread(target=cast_some) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert ledger.head()[0] == 80
    assert ledger.verify().ok


def _tamper(ledger, sql):
    """Change the file behind the ledger's back, as an attacker with the file could.

    The guarding triggers are dropped for the change and put back as they were, so that
    verify has only the votes to go by.
    """
    guards = ("votes_no_update", "votes_no_delete")
    with raw(ledger) as other:
        saved = [
            other.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
            for name in guards
        ]
        for name in guards:
            other.execute(f"DROP TRIGGER {name}")
        other.execute(sql)
        for sql_text in saved:
            other.execute(sql_text)


def test_verify_names_a_vote_whose_bytes_changed(ledger):
    ledger.cast_many([ballot() for _ in range(5)])
    body = bytes(ledger.db.execute("SELECT body FROM votes WHERE seq = 3").fetchone()[0])
    forged = body.replace(b'"rating":5', b'"rating":1')
    _tamper(ledger, f"UPDATE votes SET body = x'{forged.hex()}' WHERE seq = 3")
    result = ledger.verify()
    assert (result.ok, result.first_bad_seq, result.checked) == (False, 3, 2)
    assert "signature" in result.problem


def test_verify_names_a_missing_vote(ledger):
    ledger.cast_many([ballot() for _ in range(5)])
    _tamper(ledger, "DELETE FROM votes WHERE seq = 4")
    result = ledger.verify()
    assert (result.ok, result.first_bad_seq) == (False, 4)
    assert "missing" in result.problem


def test_verify_names_a_vote_resigned_with_another_key(ledger, tmp_path):
    ledger.cast_many([ballot() for _ in range(3)])
    other_key = keys.load_or_create(tmp_path / "other")
    with Ledger.open(tmp_path / "other", other_key) as other:
        forged = other.cast(ballot())
    _tamper(ledger, f"UPDATE votes SET body = x'{forged.signed_bytes().hex()}' WHERE seq = 1")
    result = ledger.verify()
    assert (result.ok, result.first_bad_seq) == (False, 1)
    assert "kiosk" in result.problem


@pytest.mark.parametrize("page", [1, 2, 20, 60, -1])
def test_verify_reports_a_damaged_file_and_never_raises(tmp_path, device_key, page):
    with Ledger.open(tmp_path, device_key) as ledger:
        ledger.cast_many([ballot(story="ก" * 300) for _ in range(200)])
        ledger.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page now in the main file
        data = bytearray(ledger.path.read_bytes())
        pages = len(data) // 4096
        at = (page if page >= 0 else pages - 1) * 4096
        data[at + 8 : at + 300] = b"\xff" * 292  # scribble over a page, as a failing disk might
        ledger.path.write_bytes(bytes(data))
        result = ledger.verify()
    assert not result.ok
    assert result.problem


def test_a_ledger_of_another_kiosk_is_refused(tmp_path, device_key):
    Ledger.open(tmp_path, device_key).close()
    stranger = keys.load_or_create(tmp_path / "stranger")
    with pytest.raises(LedgerError, match="belongs to kiosk") as info:
        Ledger.open(tmp_path, stranger)
    assert info.value.code == "wrong_key"


def test_a_file_that_is_not_a_database_is_a_clear_error_and_untouched(tmp_path, device_key):
    path = tmp_path / LEDGER_FILE_NAME
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(LedgerError, match="cannot open"):
        Ledger.open(tmp_path, device_key)
    assert path.read_bytes() == b"this is not a database" * 100


@pytest.mark.parametrize("folder", ["kiosk #2", "a?b", "100%25", "อำเภอ หัวตะพาน"])
def test_verify_works_in_any_folder_name(tmp_path, folder):
    data_dir = tmp_path / folder
    key = keys.load_or_create(data_dir)
    with Ledger.open(data_dir, key) as ledger:
        ledger.cast_many([ballot() for _ in range(3)])
        result = ledger.verify()
        assert (result.ok, result.checked) == (True, 3)
        assert [v.seq for v in ledger.iter_votes()] == [1, 2, 3]


def test_one_early_undelivered_vote_does_not_hide_the_rest(ledger):
    ledger.cast_many([ballot() for _ in range(50)])
    ledger.mark_delivered([(2, 50)], "r1")  # vote 1 stays pending (a conflict, say)
    assert [v.seq for v in ledger.pending(limit=10)] == [1]
    ledger.cast_many([ballot() for _ in range(3)])
    assert [v.seq for v in ledger.pending(limit=10)] == [1, 51, 52, 53]
    assert [v.seq for v in ledger.pending(after_seq=1, limit=2)] == [51, 52]
    assert ledger.counts().pending == 4


def test_counts_read_only_what_they_show(ledger, clock):
    for _ in range(30):  # thirty days of use leave thirty day rows behind
        ledger.cast(ballot(target=Target("unit", "id-card")))
        clock.advance(24 * 3600)
    counts = ledger.counts()
    assert (counts.total, counts.today) == (30, 0)
    assert counts.by_target == {"unit:id-card": 30}
