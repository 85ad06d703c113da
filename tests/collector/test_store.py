"""The collector's store: exactly once, quarantine without overwrite, audit of every refusal."""

import logging
import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from collector.store import CollectorStore, StoreError
from kiosk.ledger import Ledger
from tests.collector_db import one, sql
from tests.fakes import FakeClock
from tests.kiosks import Kiosk, enroll, ingest
from wire import keys
from wire.batch import check_batch, to_ranges
from wire.vote import Ballot


@pytest.fixture
def kiosk(make_kiosk, store):
    k = make_kiosk()
    enroll(store, k)
    return k


def audit_reasons(store):
    return [row["reason"] for row in store.audit_rows() if row["kind"] != "token"]


@pytest.fixture(scope="module")
def sixty_batches(tmp_path_factory):
    """Every batch (first, last) of one kiosk's 60 votes, made once for the property test."""
    data_dir = tmp_path_factory.mktemp("sixty")
    key = keys.load_or_create(data_dir)
    kiosk = Kiosk(data_dir, key, Ledger.open(data_dir, key, FakeClock()), "3706")
    try:
        kiosk.cast(60)
        return kiosk.key, {
            (first, last): kiosk.batch(first=first, limit=last - first + 1)
            for first in range(1, 61, 5)
            for last in range(first + 4, 61, 5)
        }
    finally:
        kiosk.ledger.close()


@settings(max_examples=40, deadline=None)
@given(picks=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8))
def test_the_contiguous_mark_and_the_gaps_follow_whatever_arrives_in_any_order(
    sixty_batches, picks
):
    # Batches of 5-60 votes in any order, repeats included: after each, the collector's
    # contiguous mark, held ranges and gaps are those of the set of seqs it holds.
    key, batches = sixty_batches
    ranges = sorted(batches)
    held: set[int] = set()
    with (
        tempfile.TemporaryDirectory() as folder,
        CollectorStore(Path(folder) / "c.sqlite3", FakeClock()) as store,
    ):
        store.load_districts([("3706", "small")])
        store.enroll(store.issue_token("3706"), key.public_key_raw.hex())
        for pick in picks:
            first, last = ranges[pick % len(ranges)]
            result = ingest(store, batches[(first, last)])
            held |= set(range(first, last + 1))
            run = 0
            while run + 1 in held:
                run += 1
            status = store.kiosk_status(key.kiosk_id)
            assert (status.contiguous, status.max_seq) == (run, max(held))
            assert status.held == to_ranges(held) == result.receipt.held
            assert status.missing == result.receipt.missing
            assert store.kiosks() == [status]  # the fleet's one query agrees


def test_each_vote_is_stored_once_however_often_it_arrives(store, kiosk):
    kiosk.cast(30)
    batch = kiosk.batch()
    first = ingest(store, batch)
    assert (first.new, first.duplicates) == (30, 0)
    assert first.receipt.accepted == [(1, 30)]
    again = ingest(store, batch, source="usb")  # the same bytes by the other path
    assert (again.new, again.duplicates) == (0, 30)
    assert again.receipt.accepted == [(1, 30)]
    overlapping = ingest(store, kiosk.batch(first=11, limit=10))
    assert overlapping.duplicates == 10
    assert store.total_votes() == 30
    assert store.report()["total"] == 30


def test_receipt_tells_what_is_held_and_what_is_missing(store, kiosk):
    kiosk.cast(30)
    ingest(store, kiosk.batch(first=1, limit=10))
    result = ingest(store, kiosk.batch(first=21, limit=10))
    assert result.receipt.held == [(1, 10), (21, 30)]
    assert result.receipt.missing == [(11, 20)]
    status = store.kiosk_status(kiosk.key.kiosk_id)
    assert (status.contiguous, status.max_seq, status.missing) == (10, 30, [(11, 20)])
    result = ingest(store, kiosk.batch(first=11, limit=10))
    assert result.receipt.held == [(1, 30)]
    assert result.receipt.missing == []
    assert store.kiosk_status(kiosk.key.kiosk_id).contiguous == 30


def test_same_identity_with_other_bytes_is_quarantined_never_overwritten(store, kiosk, tmp_path):
    kiosk.cast(4)
    kiosk.ledger.close()
    fork_dir = tmp_path / "fork"
    shutil.copytree(kiosk.data_dir, fork_dir)  # a backup restored later: same key, same chain
    kiosk.ledger = Ledger.open(kiosk.data_dir, kiosk.key, FakeClock())
    kiosk.ledger.cast(Ballot("3706", 5, story="ต้นฉบับ"))  # the original vote 5
    ingest(store, kiosk.batch())
    held_before = one(store, "SELECT hash FROM votes WHERE seq = 5")

    fork = Kiosk(fork_dir, kiosk.key, Ledger.open(fork_dir, kiosk.key, FakeClock()), "3706")
    try:
        fork.ledger.cast_many([Ballot("3706", 1, story="สำเนา"), Ballot("3706", 2)])  # 5' and 6'
        result = ingest(store, fork.batch(first=5))
    finally:
        fork.ledger.close()
    assert result.conflicts == [5, 6]
    assert result.receipt.conflicts == [5, 6]
    assert result.new == 0
    assert one(store, "SELECT hash FROM votes WHERE seq = 5") == held_before
    assert store.total_votes() == 5
    quarantined = {(q["seq"], q["reason"]) for q in store.quarantined()}
    assert quarantined == {(5, "conflict"), (6, "chain_fork")}
    assert {"conflict", "chain_fork"} <= set(audit_reasons(store))


def test_a_refused_batch_stores_nothing_and_is_audited(store, kiosk):
    kiosk.cast(10)
    tampered = kiosk.batch().replace(b'"rating":5', b'"rating":4', 1)
    check = check_batch(tampered)
    assert not check.ok
    with pytest.raises(StoreError):
        store.ingest(check, tampered, "usb", "/media/usb/file.json")
    assert store.total_votes() == 0
    assert one(store, "SELECT COUNT(*) FROM batches") == 0
    row = store.audit_rows()[0]
    assert (row["kind"], row["reason"], row["source"], row["source_addr"]) == (
        "refused",
        "bad_signature",
        "usb",
        "/media/usb/file.json",
    )


def test_unknown_kiosk_is_refused(store, make_kiosk):
    stranger = make_kiosk("stranger")
    stranger.cast(3)
    with pytest.raises(StoreError) as info:
        ingest(store, stranger.batch())
    assert info.value.code == "unknown_kiosk"
    assert store.total_votes() == 0
    assert audit_reasons(store)[0] == "unknown_kiosk"


def test_revoked_kiosk_is_refused_and_its_votes_stay(store, kiosk):
    kiosk.cast(10)
    ingest(store, kiosk.batch(limit=5))
    store.revoke(kiosk.key.kiosk_id)
    with pytest.raises(StoreError) as info:
        ingest(store, kiosk.batch(first=6))
    assert info.value.code == "revoked"
    assert store.total_votes() == 5
    assert store.kiosk_status(kiosk.key.kiosk_id).revoked
    assert audit_reasons(store)[:2] == ["revoked", "revoked"]


def test_votes_for_another_district_are_refused(store, make_kiosk):
    k = make_kiosk("wrong", district="4408")
    store.enroll(store.issue_token("3706"), k.key.public_key_raw.hex())  # the centre says 3706
    k.cast(3)
    with pytest.raises(StoreError) as info:
        ingest(store, k.batch())
    assert info.value.code == "district_mismatch"
    assert store.total_votes() == 0


def test_tokens_are_one_time(store, make_kiosk):
    a, b = make_kiosk("a"), make_kiosk("b")
    token = store.issue_token("4712")
    enrolled = store.enroll(token, a.key.public_key_raw.hex())
    assert (enrolled.district, enrolled.size_group, enrolled.name_th) == (
        "4712",
        "large",
        "สว่างแดนดิน",
    )
    # The same kiosk presenting it again (its answer was lost) is answered again.
    assert store.enroll(token, a.key.public_key_raw.hex()) == enrolled
    for bad_token, code in ((token, "token_used"), ("made-up", "token_unknown")):
        with pytest.raises(StoreError) as info:
            store.enroll(bad_token, b.key.public_key_raw.hex())
        assert info.value.code == code
    with pytest.raises(StoreError) as info:
        store.enroll(store.issue_token("4712"), "zz" * 32)
    assert info.value.code == "bad_public_key"
    assert audit_reasons(store)[:3] == ["bad_public_key", "token_unknown", "token_used"]
    with pytest.raises(StoreError):
        store.issue_token("9999")


@pytest.mark.parametrize(
    "typed",
    [
        lambda t: t.upper(),  # read over the phone
        lambda t: t.replace("-", ""),  # the dashes left out
        lambda t: t.replace("-", " "),  # spaces for dashes
        lambda t: t.replace("-", "\u2013"),  # a keyboard's en dash
        lambda t: " " + t.upper().replace("-", "") + "\n",
    ],
)
def test_a_token_typed_without_its_dashes_or_in_capitals_enrolls(store, make_kiosk, typed):
    kiosk = make_kiosk("a")
    token = store.issue_token("4712")
    assert store.enroll(typed(token), kiosk.key.public_key_raw.hex()).district == "4712"
    with pytest.raises(StoreError) as info:  # and it is the same token: used now
        store.enroll(token, make_kiosk("b").key.public_key_raw.hex())
    assert info.value.code == "token_used"


def test_a_token_with_a_digit_wrong_is_still_unknown(store, make_kiosk):
    token = store.issue_token("4712")
    wrong = ("0" if token[0] != "0" else "1") + token[1:]
    with pytest.raises(StoreError) as info:
        store.enroll(wrong.replace("-", ""), make_kiosk("a").key.public_key_raw.hex())
    assert info.value.code == "token_unknown"


def test_tokens_are_stored_only_as_hashes(store):
    token = store.issue_token("3706")
    held = [
        str(value)
        for table in ("tokens", "audit", "kiosks", "settings")
        for row in sql(store, f"SELECT * FROM {table}")
        for value in row
    ]
    assert held
    assert not any(token in value for value in held)


def test_accepted_votes_cannot_be_changed_in_the_database(store, kiosk):
    kiosk.cast(2)
    ingest(store, kiosk.batch())
    with pytest.raises(sa.exc.DBAPIError, match="accepted votes are never changed"):
        sql(store, "UPDATE votes SET rating = 1")
    with pytest.raises(sa.exc.DBAPIError, match="accepted votes are never deleted"):
        sql(store, "DELETE FROM votes")
    if store.dialect == "postgresql":  # TRUNCATE passes row triggers by
        with pytest.raises(sa.exc.DBAPIError, match="accepted votes are never deleted"):
            sql(store, "TRUNCATE votes CASCADE")
    assert one(store, "SELECT COUNT(*) FROM votes") == 2


def test_clock_skew_is_measured_for_network_batches(store, kiosk):
    kiosk.cast(2)
    ingest(store, kiosk.batch(), source="usb")
    assert store.kiosk_status(kiosk.key.kiosk_id).clock_skew_s is None  # a file is made earlier
    store.clock.set_wall(store.clock.now().replace(hour=4))  # the batch says 03:00
    kiosk.cast(1, seed=2)  # only a batch with new votes is read for the clock (test_tamper.py)
    ingest(store, kiosk.batch(), source="http")
    status = store.kiosk_status(kiosk.key.kiosk_id)
    assert status.clock_skew_s == pytest.approx(-3600, abs=1)
    assert status.skew_flagged


def test_a_replay_is_counted_apart_and_does_not_move_last_seen(store, kiosk):
    # Anyone holding a publication can send a stored batch again: it must not make a silent
    # (or stolen) kiosk look alive. Only new votes do.
    kiosk.cast(5)
    batch = kiosk.batch()
    ingest(store, batch)
    seen = store.kiosk_status(kiosk.key.kiosk_id).last_seen
    assert seen == store.now()
    store.clock.advance(4 * 86400)
    for source in ("http", "usb"):
        again = ingest(store, batch, source=source)
        assert (again.new, again.duplicates) == (0, 5)  # acknowledged again, as always
    status = store.kiosk_status(kiosk.key.kiosk_id)
    assert status.last_seen == seen
    assert (status.replays, status.last_replay_at) == (2, store.now())
    assert (status.votes, status.contiguous) == (5, 5)
    store.clock.advance(60)
    kiosk.cast(1, seed=2)
    assert ingest(store, kiosk.batch()).new == 1  # votes 1-6: one of them new
    status = store.kiosk_status(kiosk.key.kiosk_id)
    assert status.last_seen == store.now()
    assert (status.replays, status.votes, status.contiguous) == (2, 6, 6)


def file_mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_database_and_its_wal_files_are_owner_only(tmp_path, make_kiosk, caplog):
    path = tmp_path / "central" / "collector.sqlite3"
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    umask = os.umask(0o022)  # the usual umask, which leaves new files readable by all
    try:
        with CollectorStore(path, FakeClock()) as store:
            store.load_districts([("3706", "small")])
            k = make_kiosk()
            enroll(store, k)
            k.cast(3)
            ingest(store, k.batch())
            assert [file_mode(f) for f in files] == [0o600] * 3
            # A database an older version made readable by all, while it is in use (so its
            # -wal and -shm are there too), opened again.
            for f in files:
                os.chmod(f, 0o664)
            with caplog.at_level(logging.WARNING), CollectorStore(path, FakeClock()) as again:
                assert again.total_votes() == 3
            assert [file_mode(f) for f in files] == [0o600] * 3
    finally:
        os.umask(umask)
    tightened = [r.getMessage() for r in caplog.records if "(owner only)" in r.getMessage()]
    assert len(tightened) == 3
    assert (
        f"the collector database {path} was readable by others (mode 664); it is now 600 (owner only)"
        in tightened
    )


def test_report_counts_by_district_and_size_group(store, kiosk, make_kiosk):
    kiosk.cast(7)
    ingest(store, kiosk.batch())
    large = make_kiosk("large", district="4712")
    enroll(store, large)
    large.cast(3)
    ingest(store, large.batch())
    report = store.report()
    by_code = {d["code"]: d for d in report["districts"]}
    assert report["total"] == 10
    assert report["size_groups"] == {"small": 7, "medium": 0, "large": 3}
    assert (by_code["3706"]["votes"], by_code["3706"]["size_group"], by_code["3706"]["kiosks"]) == (
        7,
        "small",
        1,
    )
    assert by_code["4408"]["votes"] == 0


def test_bad_district_rows_load_nothing(store):
    with pytest.raises(StoreError, match="row 2"):
        store.load_districts([("1101", "small"), ("9999", "small")])
    with pytest.raises(StoreError, match="row 1"):
        store.load_districts([("1001", "small")])  # a Bangkok khet has no amphoe office
    with pytest.raises(StoreError, match="size group"):
        store.load_districts([("1101", "huge")])
    assert "1101" not in {d["code"] for d in store.report()["districts"]}


def test_votes_continuing_a_quarantined_branch_are_quarantined_in_later_batches_too(
    store, kiosk, tmp_path
):
    kiosk.cast(4)
    kiosk.ledger.close()
    fork_dir = tmp_path / "fork2"
    shutil.copytree(kiosk.data_dir, fork_dir)
    kiosk.ledger = Ledger.open(kiosk.data_dir, kiosk.key, FakeClock())
    kiosk.ledger.cast(Ballot("3706", 5))
    ingest(store, kiosk.batch())  # the collector holds 1-5 of the original
    fork = Kiosk(fork_dir, kiosk.key, Ledger.open(fork_dir, kiosk.key, FakeClock()), "3706")
    try:
        fork.ledger.cast_many([Ballot("3706", 1), Ballot("3706", 2), Ballot("3706", 3)])  # 5'-7'
        first = ingest(store, fork.batch(first=5, limit=2))  # 5' conflicts, 6' forks
        later = ingest(store, fork.batch(first=7, limit=1))  # 7' continues the fork
    finally:
        fork.ledger.close()
    assert (first.conflicts, later.conflicts) == ([5, 6], [7])
    assert later.receipt.accepted == []
    assert store.total_votes() == 5


def test_a_token_for_another_district_than_the_kiosk_expects_stays_unused(store, make_kiosk):
    k = make_kiosk("set-up", district="3706")
    token = store.issue_token("4712")
    with pytest.raises(StoreError) as info:
        store.enroll(token, k.key.public_key_raw.hex(), expected_district="3706")
    assert info.value.code == "token_other_district"
    assert store.enrolled_count() == 0
    right = make_kiosk("right", district="4712")
    assert (
        store.enroll(token, right.key.public_key_raw.hex(), expected_district="4712").district
        == "4712"
    )


def test_a_small_order_public_key_cannot_enroll(store):
    with pytest.raises(StoreError) as info:
        store.enroll(store.issue_token("3706"), "01" + "00" * 31)
    assert info.value.code == "bad_public_key"
    assert store.enrolled_count() == 0
