"""The clerk PIN: scrypt on disk, never in logs, five wrong PINs lock for a growing delay."""

import json
import logging

import pytest

from kiosk.pin import (
    FIRST_LOCK_S,
    MAX_FAILURES,
    MAX_LOCK_S,
    PIN_FILE_NAME,
    SCRYPT_N,
    PinError,
    PinStore,
    check_new_pin,
    lock_duration,
)
from tests.fakes import FakeClock

PIN = "482916"
WRONG = "000111"


@pytest.fixture
def store(tmp_path, clock):
    pins = PinStore(tmp_path, clock)
    pins.set_first(PIN)
    return pins


def test_a_new_kiosk_has_no_pin_and_refuses_to_check(tmp_path, clock):
    pins = PinStore(tmp_path, clock)
    assert not pins.is_set()
    with pytest.raises(PinError) as caught:
        pins.check(PIN)
    assert caught.value.code == "not_set"


def test_the_file_holds_a_salted_scrypt_hash_and_never_the_pin(tmp_path, store):
    raw = (tmp_path / PIN_FILE_NAME).read_text()
    record = json.loads(raw)
    assert (record["kdf"], record["n"], record["r"], record["p"]) == ("scrypt", SCRYPT_N, 8, 1)
    assert len(bytes.fromhex(record["salt"])) == 16
    assert PIN not in raw
    other = PinStore(tmp_path / "other", store.clock)
    other.set_first(PIN)
    # A fresh salt per PIN: the same PIN never gives the same hash twice.
    assert json.loads((tmp_path / "other" / PIN_FILE_NAME).read_text())["hash"] != record["hash"]


def test_the_right_pin_opens_and_a_wrong_one_does_not(tmp_path, store, clock):
    assert store.check(PIN).ok
    wrong = store.check(WRONG)
    assert not wrong.ok
    assert wrong.attempts_left == MAX_FAILURES - 1
    # Read back from the file by a new store (a restarted kiosk).
    assert PinStore(tmp_path, clock).check(PIN).ok


def test_thai_digits_are_the_same_pin(store):
    assert store.check("๔๘๒๙๑๖").ok


@pytest.mark.parametrize(
    "pin", ["12345", "1234567890123", "12a456", "", "111111", "123456", "987654"]
)
def test_a_weak_or_malformed_new_pin_is_refused_without_naming_it(tmp_path, clock, pin, caplog):
    pins = PinStore(tmp_path, clock)
    with caplog.at_level(logging.DEBUG), pytest.raises(PinError) as caught:
        pins.set_first(pin)
    assert caught.value.code in ("bad_format", "too_simple")
    if pin:
        assert pin not in str(caught.value)
        assert pin not in caplog.text
    assert not pins.is_set()
    assert not (tmp_path / PIN_FILE_NAME).exists()


def test_five_wrong_pins_lock_the_pad_and_a_lock_refuses_even_the_right_pin(store, clock):
    for left in range(MAX_FAILURES - 1, 0, -1):
        assert store.check(WRONG).attempts_left == left
    locked = store.check(WRONG)
    assert not locked.ok
    assert locked.locked_for_s == FIRST_LOCK_S
    assert store.locked_for() == FIRST_LOCK_S
    clock.advance(FIRST_LOCK_S - 1)
    refused = store.check(PIN)
    assert not refused.ok
    assert refused.locked_for_s == pytest.approx(1.0)
    clock.advance(1)
    assert store.locked_for() == 0
    assert store.check(PIN).ok


def test_each_lock_is_twice_as_long_up_to_a_cap(store, clock):
    durations = []
    for _ in range(4):
        for _ in range(MAX_FAILURES):
            result = store.check(WRONG)
        durations.append(result.locked_for_s)
        clock.advance(result.locked_for_s)
    assert durations == [FIRST_LOCK_S, 2 * FIRST_LOCK_S, 4 * FIRST_LOCK_S, 8 * FIRST_LOCK_S]
    assert lock_duration(50) == MAX_LOCK_S
    # A right PIN clears the count and the next lock is short again.
    assert store.check(PIN).ok
    for _ in range(MAX_FAILURES):
        result = store.check(WRONG)
    assert result.locked_for_s == FIRST_LOCK_S


def test_guesses_while_locked_are_not_counted(store, clock):
    for _ in range(MAX_FAILURES):
        store.check(WRONG)
    for _ in range(20):
        store.check(WRONG)
    clock.advance(FIRST_LOCK_S)
    assert store.attempts_left() == MAX_FAILURES


def test_a_restart_keeps_the_count_and_the_lock(tmp_path, store, clock):
    for _ in range(MAX_FAILURES - 1):
        store.check(WRONG)
    restarted = PinStore(tmp_path, clock)
    assert restarted.attempts_left() == 1
    assert restarted.check(WRONG).locked_for_s == FIRST_LOCK_S
    clock.advance(10)
    again = PinStore(tmp_path, clock)
    assert again.locked_for() == pytest.approx(FIRST_LOCK_S - 10)
    assert not again.check(PIN).ok


def test_a_wall_clock_set_back_restarts_the_lock_rather_than_ending_it(tmp_path, store, clock):
    for _ in range(MAX_FAILURES):
        store.check(WRONG)
    clock.set_wall(clock.now().replace(year=2020))
    assert PinStore(tmp_path, clock).locked_for() == FIRST_LOCK_S


def test_a_wall_clock_set_far_forward_is_the_only_way_a_restart_shortens_a_lock(tmp_path, store):
    later = FakeClock()
    for _ in range(MAX_FAILURES):
        store.check(WRONG)
    later.advance(FIRST_LOCK_S + 1)
    assert PinStore(tmp_path, later).locked_for() == 0


def test_change_needs_the_current_pin_and_counts_a_wrong_one(tmp_path, store, clock):
    assert not store.change(WRONG, "739251").ok
    assert store.attempts_left() == MAX_FAILURES - 1
    assert store.change(PIN, "739251").ok
    assert not store.check(PIN).ok
    assert PinStore(tmp_path, clock).check("739251").ok


def test_a_weak_new_pin_in_change_costs_no_attempt(store):
    with pytest.raises(PinError):
        store.change(PIN, "111111")
    assert store.attempts_left() == MAX_FAILURES
    assert store.check(PIN).ok


def test_set_first_refuses_when_a_pin_exists(store):
    with pytest.raises(PinError) as caught:
        store.set_first("739251")
    assert caught.value.code == "already_set"


@pytest.mark.parametrize(
    "mutate",
    [
        lambda r: "not json {",
        lambda r: json.dumps({**r, "n": 2**30}),
        lambda r: json.dumps({**r, "kdf": "md5"}),
        lambda r: json.dumps({**r, "hash": "zz"}),
        lambda r: json.dumps({**r, "failures": -1}),
        lambda r: json.dumps([1]),
    ],
)
def test_a_damaged_or_tampered_file_fails_closed(tmp_path, store, clock, mutate):
    path = tmp_path / PIN_FILE_NAME
    path.write_text(mutate(json.loads(path.read_text())))
    before = path.read_bytes()
    damaged = PinStore(tmp_path, clock)
    assert damaged.is_set()
    assert damaged.damaged
    with pytest.raises(PinError) as caught:
        damaged.check(PIN)
    assert caught.value.code == "damaged"
    assert path.read_bytes() == before


def test_the_pin_never_reaches_the_log(tmp_path, clock, caplog):
    with caplog.at_level(logging.DEBUG):
        pins = PinStore(tmp_path, clock)
        pins.set_first(PIN)
        for _ in range(MAX_FAILURES):
            pins.check(WRONG)
        clock.advance(FIRST_LOCK_S)
        pins.check(PIN)
        pins.change(PIN, "739251")
    assert "wrong clerk PIN" in caplog.text
    for secret in (PIN, WRONG, "739251"):
        assert secret not in caplog.text


def test_a_failure_count_that_cannot_be_saved_still_counts(tmp_path, store, clock, caplog):
    path = tmp_path / PIN_FILE_NAME
    path.unlink()
    path.mkdir()  # a folder in the file's place: every save fails, whoever runs the test
    (path / "keep").write_text("x")
    for _ in range(MAX_FAILURES):
        result = store.check(WRONG)
    assert result.locked_for_s == FIRST_LOCK_S
    assert not store.check(PIN).ok  # the lock holds in memory
    assert "could not be saved" in caplog.text
    assert (path / "keep").read_text() == "x"


def test_check_new_pin_accepts_an_ordinary_pin():
    check_new_pin("305918")
    check_new_pin("๓๐๕๙๑๘")
