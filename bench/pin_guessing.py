"""How fast can someone who has copied ``clerk-pin.json`` guess the clerk PIN offline?

    uv run python bench/pin_guessing.py [--seconds 5] [--processes 2]

The PIN file holds a salted scrypt hash (kiosk/pin.py: n = 2**15, r = 8, p = 1, a 16-byte
salt, 32-byte output; about 32 MiB of memory per guess). An attacker with the file tries PINs
against it on their own hardware, where no lock applies. This bench measures, on this machine:

* scrypt guesses per second with the kiosk's parameters, on one process and on ``--processes``
  processes (one per core: each guess is CPU and memory bound);
* the raw baseline in the same run: guesses per second against SHA-256(salt || PIN), what a
  plain salted hash would allow; the ratio says what scrypt buys;
* from those, the time to try every 6-digit PIN (10^6, the shortest allowed) and every
  12-digit PIN (10^12, the longest), on these cores.

It also times ``PinStore.check`` with a wrong PIN (scrypt plus writing the count to disk), the
cost of one online try at the pad, which the lock then multiplies (tests/kiosk/test_pin_attacks.py).
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from kiosk.pin import HASH_BYTES, SALT_BYTES, SCRYPT_N, SCRYPT_P, SCRYPT_R, PinStore

SALT = os.urandom(SALT_BYTES)


def scrypt_rate(seconds: float, start: int = 0) -> tuple[int, float]:
    """Guesses tried with the kiosk's scrypt parameters in about ``seconds``: (count, elapsed)."""
    n = 0
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        guess = f"{(start + n) % 10**6:06d}".encode()
        Scrypt(salt=SALT, length=HASH_BYTES, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(guess)
        n += 1
    return n, time.perf_counter() - began


def sha256_rate(seconds: float) -> tuple[int, float]:
    """Guesses tried against SHA-256(salt || PIN) in about ``seconds``: (count, elapsed)."""
    n = 0
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        for i in range(1000):
            hashlib.sha256(SALT + f"{(n + i) % 10**6:06d}".encode()).digest()
        n += 1000
    return n, time.perf_counter() - began


def _worker(args: tuple[float, int]) -> tuple[int, float]:
    return scrypt_rate(*args)


def parallel_scrypt_rate(seconds: float, processes: int) -> float:
    """Total scrypt guesses per second over several processes running at once."""
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        results = pool.map(_worker, [(seconds, i * 100_000) for i in range(processes)])
    return sum(n / elapsed for n, elapsed in results)


def check_cost(tries: int = 20) -> float:
    """Seconds per wrong PinStore.check: scrypt plus the count written to disk."""
    logging.getLogger("kiosk.pin").setLevel(logging.ERROR)  # its "wrong PIN" warnings
    with tempfile.TemporaryDirectory(prefix="sangsuk-pin-") as folder:
        pad = PinStore(Path(folder))
        pad.set_first("804715")
        times = []
        for i in range(tries):
            if pad.attempts_left() == 1:  # stay clear of the lock: this measures one try
                pad.check("804715")
            began = time.perf_counter()
            pad.check(f"{100_000 + i:06d}")
            times.append(time.perf_counter() - began)
    times.sort()
    return times[len(times) // 2]


def _duration(seconds: float) -> str:
    for unit, size in (("years", 365.25 * 86400), ("days", 86400), ("hours", 3600)):
        if seconds >= size:
            return f"{seconds / size:,.1f} {unit}"
    return f"{seconds:,.0f} s"


def main(argv: list[str] | None = None) -> int:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per measurement (5)")
    parser.add_argument(
        "--processes", type=int, default=os.cpu_count() or 2, help="parallel guessers (cores)"
    )
    args = parser.parse_args(argv)
    memory = 128 * SCRYPT_R * SCRYPT_N
    print(
        f"scrypt n=2**{SCRYPT_N.bit_length() - 1}, r={SCRYPT_R}, p={SCRYPT_P},"
        f" {SALT_BYTES}-byte salt, {HASH_BYTES}-byte hash: {memory / 2**20:.0f} MiB per guess;"
        f" {os.cpu_count()} cores",
        flush=True,
    )
    # Interleave: baseline, scrypt, baseline, so a change in machine load shows as a spread.
    sha_a = sha256_rate(args.seconds / 2)
    one = scrypt_rate(args.seconds)
    sha_b = sha256_rate(args.seconds / 2)
    sha = (sha_a[0] + sha_b[0]) / (sha_a[1] + sha_b[1])
    single = one[0] / one[1]
    many = parallel_scrypt_rate(args.seconds, args.processes)
    online = check_cost()
    rows = [
        ("SHA-256(salt||PIN), 1 core (raw)", f"{sha:,.0f} guesses/s"),
        ("scrypt, 1 core", f"{single:,.1f} guesses/s ({1000 / single:.0f} ms each)"),
        (f"scrypt, {args.processes} processes", f"{many:,.1f} guesses/s"),
        ("scrypt / raw, per guess", f"{sha / single:,.0f} times slower"),
        ("every 6-digit PIN (10^6)", f"{_duration(1e6 / many)} here, raw {_duration(1e6 / sha)}"),
        (
            "every 12-digit PIN (10^12)",
            f"{_duration(1e12 / many)} here, raw {_duration(1e12 / sha)}",
        ),
        ("one wrong PinStore.check", f"{online * 1000:.0f} ms (scrypt + count to disk)"),
    ]
    print()
    for name, value in rows:
        print(f"{name:<36} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
