"""Attacks on the clerk PIN (kiosk/pin.py), from an attacker's side of the pad.

tests/kiosk/test_pin.py proves the mechanism (five wrong PINs lock, each lock twice as long up
to an hour, guesses while locked are not even tried, a restart keeps the count and the lock, a
damaged file fails closed, the PIN never reaches the log). This file plays the attacker:

* an online brute force that guesses as fast as the pad allows, and restarts the kiosk after
  every guess to shed its state, needs at least the specified lock time, to the second, on
  the fake clock; what that means for the whole 10^6 space of 6-digit PINs is computed from
  the implemented schedule;
* killing the kiosk in the middle of a check (SIGKILL at random moments, a real process) never
  lets an answer be seen without its wrong guess being on disk first;
* none of the guesses (which may be a clerk's near-miss of the real PIN) reaches a log line or
  the PIN file;
* offline: the file holds scrypt with the stated parameters, and a file tampered to make
  guessing cheap (a small n) is refused. How fast guessing is offline is measured by
  bench/pin_guessing.py, not here.
"""

from __future__ import annotations

import json
import logging
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.pin import (
    MAX_FAILURES,
    MAX_LOCK_S,
    PIN_FILE_NAME,
    SCRYPT_N,
    SCRYPT_P,
    SCRYPT_R,
    PinError,
    PinStore,
    lock_duration,
)
from tests.fakes import FakeClock

REPO_ROOT = Path(__file__).resolve().parents[2]
PIN = "804715"
GUESSES = 20  # wrong guesses in the brute-force test: four locks (each guess costs a scrypt)


def attacker_guesses(n: int, seed: int = 1) -> list[str]:
    """n distinct wrong 6-digit guesses, with near misses of the real PIN among them."""
    rng = random.Random(seed)
    near = ["804714", "804716", "804751", "084715", "๘๐๔๗๑๔"]  # a slip, a swap, Thai digits
    out = list(near)
    while len(out) < n:
        guess = f"{rng.randrange(10**6):06d}"
        if guess != PIN and guess not in out:
            out.append(guess)
    return out[:n]


def test_an_online_brute_force_waits_out_every_lock_even_restarting_after_each_guess(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock()
    PinStore(tmp_path, clock).set_first(PIN)
    start = clock.monotonic()
    tried = refused_untried = 0
    guesses = attacker_guesses(GUESSES)
    with caplog.at_level(logging.DEBUG):
        for guess in [*guesses, PIN]:
            while True:
                pad = PinStore(tmp_path, clock)  # the attacker restarts the kiosk every time
                wait = pad.locked_for()
                result = pad.check(guess)
                if result.locked_for_s and not result.ok and wait > 0:
                    refused_untried += 1  # locked: the guess was not even tried
                    clock.advance(wait)  # the attacker waits the lock out (the best he can do)
                    continue
                tried += 1
                break
        assert result.ok  # the real PIN, at last

    elapsed = clock.monotonic() - start
    locks = GUESSES // MAX_FAILURES  # the 20th wrong guess starts the fourth lock
    # The real PIN came after the fourth lock: every lock waited out in full, restarts or not.
    needed = sum(lock_duration(k) for k in range(1, locks + 1))
    print(f"{GUESSES} wrong guesses then the PIN: {elapsed:.0f} s of locks (needed {needed:.0f})")
    assert elapsed >= needed == 30 + 60 + 120 + 240
    assert tried == GUESSES + 1
    assert refused_untried == locks
    # None of the guesses, near misses included, is written anywhere.
    written = (tmp_path / PIN_FILE_NAME).read_text()
    for guess in [*guesses, PIN]:
        assert guess not in caplog.text
        assert guess not in written


def test_the_whole_pin_space_takes_decades_online() -> None:
    """From the implemented schedule: 5 guesses per lock, locks grow to an hour and stay."""
    space = 10**6  # the 6-digit PINs; longer PINs only add to this
    seconds, guessed, lockouts = 0.0, 0, 0
    while guessed + MAX_FAILURES < space:
        guessed += MAX_FAILURES
        lockouts += 1
        seconds += lock_duration(lockouts)
        if lock_duration(lockouts) == MAX_LOCK_S:  # steady state from here: finish in closed form
            rest = (space - guessed) // MAX_FAILURES
            seconds += rest * MAX_LOCK_S
            break
    years = seconds / (365.25 * 86400)
    print(f"exhausting {space:,} PINs online: {years:.1f} years; half of them: {years / 2:.1f}")
    assert years > 20


def _child_code(folder: Path) -> str:
    return (
        "import sys\n"
        "from pathlib import Path\n"
        "from kiosk.pin import PinStore\n"
        f"pad = PinStore(Path({str(folder)!r}))\n"
        "print('ready', flush=True)\n"
        "for guess in sys.argv[1:]:\n"
        "    tried = pad.locked_for() == 0\n"
        "    r = pad.check(guess)\n"
        "    print('answer', int(tried), int(r.ok), flush=True)\n"
    )


def _weight(folder: Path) -> tuple[int, bool]:
    """Wrong guesses on disk (the count plus five per lock), and whether the pad is locked."""
    record = json.loads((folder / PIN_FILE_NAME).read_text())
    return record["failures"] + MAX_FAILURES * record["lockouts"], record["locked_at"] is not None


@pytest.mark.slow
def test_killing_the_kiosk_mid_check_never_shows_an_answer_before_the_guess_is_counted(
    tmp_path: Path,
) -> None:
    rng = random.Random(20261125)
    PinStore(tmp_path).set_first(PIN)  # the real clock: the children are real processes
    kills = answered = 0
    for _ in range(12):
        before, _ = _weight(tmp_path)
        child = subprocess.Popen(
            [sys.executable, "-c", _child_code(tmp_path), *attacker_guesses(3, rng.randrange(999))],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,  # its log lines (read after the kill)
            cwd=REPO_ROOT,
            text=True,
        )
        assert child.stdout is not None
        assert child.stderr is not None
        ready = child.stdout.readline().strip()
        assert ready == "ready", ready or child.stderr.read()
        seen = [child.stdout.readline() for _ in range(rng.randrange(3))]  # 0-2 answers ...
        child.send_signal(signal.SIGKILL)  # ... then a kill in the middle of the next check
        child.wait()
        seen += child.stdout.read().splitlines(keepends=True)  # all it printed before dying
        log_lines = child.stderr.read()
        child.stdout.close()
        child.stderr.close()
        assert PIN not in log_lines
        kills += 1
        # The wrong guesses the attacker saw answered (tried, not refused by a lock): every
        # one of them was on disk before its answer was printed.
        tried = sum(
            1 for ln in seen if ln.endswith("\n") and ln.split()[:3] == ["answer", "1", "0"]
        )
        after, locked = _weight(tmp_path)
        assert after - before >= tried, (seen, before, after)
        answered += tried
        if locked:
            break  # the pad is locked now: more kills would only meet the lock
    assert kills >= 3
    assert answered >= 1


def test_a_file_tampered_to_make_guessing_cheap_is_refused(tmp_path: Path) -> None:
    clock = FakeClock()
    PinStore(tmp_path, clock).set_first(PIN)
    path = tmp_path / PIN_FILE_NAME
    record = json.loads(path.read_text())
    assert (record["kdf"], record["n"], record["r"], record["p"]) == (
        "scrypt",
        SCRYPT_N,
        SCRYPT_R,
        SCRYPT_P,
    )
    assert (SCRYPT_N, SCRYPT_R, SCRYPT_P) == (2**15, 8, 1)  # the parameters docs/ state
    path.write_text(json.dumps({**record, "n": 2**4}))  # a downgrade to near-free hashing
    tampered = PinStore(tmp_path, clock)
    with pytest.raises(PinError) as caught:
        tampered.check(PIN)
    assert caught.value.code == "damaged"
