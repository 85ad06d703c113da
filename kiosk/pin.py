"""The district clerk's PIN: an scrypt hash on disk, and a pad that locks after wrong guesses.

What it promises:

* The PIN is never stored, logged or put in an exception message. ``clerk-pin.json`` in the
  data folder holds only a salted scrypt hash: cryptography's ``Scrypt`` with n = 2**15, r = 8,
  p = 1 (about 32 MiB and a few tens of milliseconds per try), a fresh 16-byte random salt for
  every PIN set, and a 32-byte key. A guess is compared with ``hmac.compare_digest`` (constant
  time). The parameters are written beside the hash, so a stronger setting later still reads
  old files; a file naming absurd parameters (a tampered one) is refused.
* Every ``MAX_FAILURES`` wrong PINs in a row lock the pad: first for ``FIRST_LOCK_S`` seconds,
  then twice as long each time, at most ``MAX_LOCK_S``. A correct PIN clears the count. While
  locked no guess is even tried (and none is counted).
* The count of wrong PINs and the lock are written to the file after every wrong PIN, so
  restarting the kiosk resets nothing. In a running kiosk the lock is timed by the monotonic
  clock; across a restart it is measured from the wall-clock time it began, and a wall clock
  set back before that moment restarts the whole lock instead of shortening it.
* A damaged PIN file fails closed: no PIN opens the pad until a technician replaces it.

The clock is injected (wire/clock.py), so tests lock and unlock without sleeping.
"""

from __future__ import annotations

import hmac
import itertools
import json
import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from wire.clock import Clock, SystemClock, format_utc, parse_utc
from wire.files import write_atomically

PIN_FILE_NAME: Final = "clerk-pin.json"
PIN_FORMAT_VERSION: Final = 1
MIN_PIN_DIGITS: Final = 6  # as a Thai bank card's PIN: what clerks are used to
MAX_PIN_DIGITS: Final = 12
SCRYPT_N: Final = 2**15
SCRYPT_R: Final = 8
SCRYPT_P: Final = 1
SALT_BYTES: Final = 16
HASH_BYTES: Final = 32
MAX_FAILURES: Final = 5
FIRST_LOCK_S: Final = 30.0
MAX_LOCK_S: Final = 3600.0
# Bounds on parameters read from a file: enough for any honest setting, too little to let a
# tampered file make one check take all the tablet's memory.
_N_RANGE: Final = (2**14, 2**20)
_R_RANGE: Final = (1, 32)
_P_RANGE: Final = (1, 4)
_HEX = re.compile(r"[0-9a-f]+")
_THAI_DIGITS: Final = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
log = logging.getLogger(__name__)


class PinError(Exception):
    """The PIN cannot be set or checked. ``code`` names why; the message never holds a PIN.

    Codes: ``bad_format`` (a new PIN that is not 6-12 digits), ``too_simple`` (one digit
    repeated, or digits counting up or down), ``not_set``, ``already_set``, ``damaged``
    (the PIN file cannot be used), ``unwritable`` (the new PIN could not be saved).
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class PinCheck:
    """The answer to a PIN: right or wrong, and how things stand afterwards."""

    ok: bool
    locked_for_s: float = 0.0  # > 0: the pad is locked for this long (the guess was not tried)
    attempts_left: int = MAX_FAILURES  # wrong PINs still allowed before the next lock


@dataclass(frozen=True, slots=True)
class _Hash:
    salt: bytes
    digest: bytes
    n: int
    r: int
    p: int


def normalise_pin(pin: str) -> str:
    """Return the PIN with Thai digits (๐-๙) as ASCII digits; other characters are kept."""
    return pin.translate(_THAI_DIGITS)


def check_new_pin(pin: str) -> None:
    """Raise ``PinError`` unless pin is acceptable as a new clerk PIN (6-12 digits, not trivial)."""
    pin = normalise_pin(pin)
    if not (MIN_PIN_DIGITS <= len(pin) <= MAX_PIN_DIGITS) or not all(
        c in "0123456789" for c in pin
    ):
        raise PinError(
            "bad_format", f"a clerk PIN is {MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits (0-9)"
        )
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    if steps in ({0}, {1}, {9}):
        raise PinError(
            "too_simple", "a clerk PIN must not be one digit repeated or digits counting up or down"
        )


def _derive(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=HASH_BYTES, n=n, r=r, p=p).derive(pin.encode("ascii"))


def lock_duration(lockouts: int) -> float:
    """Return how long the pad locks the ``lockouts``-th time (1: FIRST_LOCK_S, then doubling)."""
    if lockouts < 1:
        return 0.0
    return min(MAX_LOCK_S, FIRST_LOCK_S * 2.0 ** min(lockouts - 1, 32))


class PinStore:
    """The clerk PIN of one kiosk, kept in ``data_dir/clerk-pin.json``. Not thread-safe.

    Call from one thread at a time (the UI's PIN worker); each check costs one scrypt.
    """

    def __init__(self, data_dir: Path, clock: Clock | None = None) -> None:
        """Read the PIN file in data_dir if there is one (see ``is_set``)."""
        self.path = data_dir / PIN_FILE_NAME
        self.clock: Clock = clock or SystemClock()
        self._hash: _Hash | None = None
        self._damaged: str | None = None
        self._failures = 0  # wrong PINs since the last lock or the last right one
        self._lockouts = 0  # locks since the last right PIN
        self._locked_at: str | None = None  # wall time the current lock began
        self._lock_s = 0.0
        self._lock_until_mono = 0.0
        self._load()

    # --- reading -------------------------------------------------------------------------------

    def _load(self) -> None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            self._fail_closed(f"it cannot be read ({type(exc).__name__})")
            return
        try:
            self._read(raw)
        except (KeyError, TypeError, ValueError) as exc:
            self._fail_closed(str(exc))

    def _fail_closed(self, why: str) -> None:
        self._damaged = f"the PIN file {self.path} cannot be used: {why}"
        log.error("%s; no PIN is accepted until it is replaced", self._damaged)

    def _read(self, raw: Any) -> None:
        if not isinstance(raw, dict) or raw.get("version") != PIN_FORMAT_VERSION:
            raise ValueError("not a version 1 PIN file")
        if raw.get("kdf") != "scrypt":
            raise ValueError("the hash is not scrypt")
        n, r, p = (
            _int_in(raw[k], k, bounds)
            for k, bounds in (("n", _N_RANGE), ("r", _R_RANGE), ("p", _P_RANGE))
        )
        if n & (n - 1):
            raise ValueError("n must be a power of two")
        salt, digest = _hex(raw["salt"], "salt"), _hex(raw["hash"], "hash")
        if len(salt) < SALT_BYTES or len(digest) != HASH_BYTES:
            raise ValueError("the salt or the hash has the wrong length")
        failures = _int_in(raw.get("failures", 0), "failures", (0, MAX_FAILURES))
        lockouts = _int_in(raw.get("lockouts", 0), "lockouts", (0, 10_000))
        locked_at = raw.get("locked_at")
        lock_s = raw.get("lock_s", 0.0)
        if isinstance(lock_s, bool) or not isinstance(lock_s, int | float) or lock_s < 0:
            raise ValueError("lock_s must be a number of seconds")
        self._hash = _Hash(salt, digest, n, r, p)
        self._failures, self._lockouts = failures, lockouts
        if locked_at is not None:
            started = parse_utc(str(locked_at))
            self._locked_at, self._lock_s = str(locked_at), float(lock_s)
            self._lock_until_mono = self.clock.monotonic() + self._remaining_by_wall(started)

    def _remaining_by_wall(self, started: datetime) -> float:
        """Seconds of a lock left by the wall clock; a clock set back restarts the whole lock."""
        elapsed = (self.clock.now() - started).total_seconds()
        if elapsed < 0:
            log.warning("the wall clock is before the start of the PIN lock; the lock starts again")
            elapsed = 0.0
        return max(0.0, self._lock_s - elapsed)

    # --- what the pad shows ----------------------------------------------------------------------

    def is_set(self) -> bool:
        """Tell whether a clerk PIN has been set (False on a kiosk not yet set up)."""
        return self._hash is not None or self._damaged is not None

    @property
    def damaged(self) -> str | None:
        """Why the PIN file cannot be used, or None when it is fine (or absent)."""
        return self._damaged

    def locked_for(self) -> float:
        """Return the seconds the pad stays locked (0.0 when it is open)."""
        return max(0.0, self._lock_until_mono - self.clock.monotonic())

    def attempts_left(self) -> int:
        """Return how many wrong PINs are allowed before the next lock."""
        return MAX_FAILURES - self._failures

    # --- acting ----------------------------------------------------------------------------------

    def check(self, pin: str) -> PinCheck:
        """Try a PIN: right, wrong (counted, maybe locking), or refused untried while locked."""
        if self._damaged is not None:
            raise PinError("damaged", self._damaged)
        if self._hash is None:
            raise PinError("not_set", "no clerk PIN has been set on this kiosk")
        locked = self.locked_for()
        if locked > 0:
            return PinCheck(False, locked, 0)
        h = self._hash
        guess = normalise_pin(pin)
        try:
            derived = _derive(guess, h.salt, h.n, h.r, h.p)
        except UnicodeEncodeError:  # not digits at all: as wrong as any other wrong PIN
            derived = b""
        if hmac.compare_digest(derived, h.digest):
            if self._failures or self._lockouts or self._locked_at:
                self._failures = self._lockouts = 0
                self._clear_lock()
                self._save_quietly()
            log.info("the clerk PIN was entered correctly")
            return PinCheck(True)
        return self._wrong()

    def _wrong(self) -> PinCheck:
        self._failures += 1
        if self._failures < MAX_FAILURES:
            log.warning("a wrong clerk PIN was entered (%d of %d)", self._failures, MAX_FAILURES)
            self._save_quietly()
            return PinCheck(False, 0.0, MAX_FAILURES - self._failures)
        self._failures = 0
        self._lockouts += 1
        self._lock_s = lock_duration(self._lockouts)
        self._locked_at = format_utc(self.clock.now())
        self._lock_until_mono = self.clock.monotonic() + self._lock_s
        log.warning(
            "%d wrong clerk PINs in a row: the pad is locked for %.0f s", MAX_FAILURES, self._lock_s
        )
        self._save_quietly()
        return PinCheck(False, self._lock_s, 0)

    def _clear_lock(self) -> None:
        self._locked_at = None
        self._lock_s = 0.0
        self._lock_until_mono = 0.0

    def set_first(self, pin: str) -> None:
        """Set the PIN on a kiosk that has none (the setup wizard); raises ``PinError``."""
        if self._damaged is None and self._hash is not None:
            raise PinError("already_set", "a clerk PIN is already set; change it with the old one")
        self._store_new(pin)

    def change(self, current: str, new: str) -> PinCheck:
        """Replace the PIN after checking the current one (counted like any PIN tried)."""
        check_new_pin(new)
        result = self.check(current)
        if result.ok:
            self._store_new(new)
        return result

    def _store_new(self, pin: str) -> None:
        check_new_pin(pin)
        salt = os.urandom(SALT_BYTES)
        digest = _derive(normalise_pin(pin), salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
        previous = (self._hash, self._damaged)
        self._hash, self._damaged = _Hash(salt, digest, SCRYPT_N, SCRYPT_R, SCRYPT_P), None
        self._failures = self._lockouts = 0
        self._clear_lock()
        try:
            self._save()
        except OSError as exc:
            self._hash, self._damaged = previous
            raise PinError(
                "unwritable", f"the new PIN could not be saved ({exc.strerror or 'error'})"
            ) from None
        log.info("a new clerk PIN was set")

    # --- writing ---------------------------------------------------------------------------------

    def _save(self) -> None:
        h = self._hash
        if h is None:  # pragma: no cover - only called with a hash
            return
        record = {
            "version": PIN_FORMAT_VERSION,
            "kdf": "scrypt",
            "n": h.n,
            "r": h.r,
            "p": h.p,
            "salt": h.salt.hex(),
            "hash": h.digest.hex(),
            "failures": self._failures,
            "lockouts": self._lockouts,
            "locked_at": self._locked_at,
            "lock_s": self._lock_s,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, json.dumps(record, indent=2).encode("ascii"))

    def _save_quietly(self) -> None:
        """Save the count and the lock; if the disk refuses, the lock still holds in memory."""
        try:
            self._save()
        except OSError as exc:
            log.error("the PIN lock state could not be saved: %s", exc.strerror or exc)


def _int_in(value: object, name: str, bounds: tuple[int, int]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not bounds[0] <= value <= bounds[1]:
        raise ValueError(f"{name} must be a whole number from {bounds[0]} to {bounds[1]}")
    return value


def _hex(value: object, name: str) -> bytes:
    if not isinstance(value, str) or len(value) % 2 or not _HEX.fullmatch(value):
        raise ValueError(f"{name} must be lowercase hex")
    return bytes.fromhex(value)
