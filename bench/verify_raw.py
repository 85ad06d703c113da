"""Raw Ed25519 verify rates of the two libraries, on 1 and 2 threads, vote-sized messages.

    uv run python bench/verify_raw.py [--n 20000] [--rounds 3]

Raw: the library's own call and nothing of ours (cryptography's ``Ed25519PublicKey.verify``,
PyNaCl's ``crypto_sign_open``, its only binding of libsodium's verify). Both release the GIL
while they compute, so 2 threads use 2 cores. Printed: each library's rate on 1 and 2 threads
(the median of the rounds), the ratio PyNaCl / cryptography, and the rate of
``wire.ed25519.verify`` (the strict checks, then the fastest library) for comparison.
bench/collector_ingest.py and bench/recount_speed.py use ``raw_verify_rate`` with ``FASTEST``
as the raw baseline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from wire import ed25519
from wire.vote import VOTE_DOMAIN

LIBRARIES: Final = ("cryptography", "pynacl")
MESSAGE: Final = VOTE_DOMAIN + b"x" * 420  # a vote's signing input is 400-500 bytes


def library_verify(library: str) -> Callable[[], None]:
    """One raw verify of a genuine vote-sized signature by the library, as a call."""
    key = Ed25519PrivateKey.generate()
    public = key.public_key()
    signature = key.sign(MESSAGE)
    if library == "cryptography":
        return lambda: public.verify(signature, MESSAGE)
    if library == "pynacl":
        from nacl.bindings import crypto_sign_open

        raw = public.public_bytes_raw()
        return lambda: crypto_sign_open(signature + MESSAGE, raw) and None
    if library == "wire.ed25519":
        raw = public.public_bytes_raw()
        return lambda: ed25519.verify(raw, signature, MESSAGE) and None
    raise ValueError(f"unknown library {library!r}")


def raw_verify_rate(library: str, threads: int, n: int = 20_000) -> float:
    """Verifications per second of a vote-sized message with the library on this many threads."""
    verify = library_verify(library)
    per_thread = n // threads

    def work() -> None:
        for _ in range(per_thread):
            verify()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return per_thread * threads / (time.perf_counter() - start)


def _fastest() -> str:
    """PyNaCl when installed (it is the faster: see the module docstring), else cryptography."""
    try:
        import nacl.bindings  # noqa: F401
    except ImportError:
        return "cryptography"
    return "pynacl"


FASTEST: Final = _fastest()


def main() -> int:
    """Print the rates."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="verifications per run")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rates: dict[tuple[str, int], float] = {}
    for threads in (1, 2):
        runs: dict[str, list[float]] = {lib: [] for lib in (*LIBRARIES, "wire.ed25519")}
        for _ in range(args.rounds):  # interleaved: the shared machine's speed drifts
            for library in runs:
                runs[library].append(raw_verify_rate(library, threads, args.n))
        for library, values in runs.items():
            rates[(library, threads)] = statistics.median(values)
    print(f"Ed25519 verify, {len(MESSAGE)}-byte messages, median of {args.rounds} runs of {args.n}")
    for library in (*LIBRARIES, "wire.ed25519"):
        name = f"{library} ({ed25519.backend()})" if library == "wire.ed25519" else library
        print(
            f"  {name:28} 1 thread {rates[(library, 1)]:7.0f} /s"
            f"   2 threads {rates[(library, 2)]:7.0f} /s"
        )
    for threads in (1, 2):
        ratio = rates[("pynacl", threads)] / rates[("cryptography", threads)]
        print(f"  PyNaCl / cryptography, {threads} thread(s): {ratio:.2f}")
    print(f"  fastest: {FASTEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
