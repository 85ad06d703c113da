"""The recount's first step: read and check every batch file, on every core when it pays.

Checking a batch is nearly all Ed25519 verification (wire.ed25519, with the fastest library
installed) plus Python work per vote. ``checked_files`` spreads the files over a process per
core and gives back, in order, the little the recount needs of each (``Checked``); the recount
(collector/recount.py) then settles the votes across batches in one process.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from collector.lifeline import follow_parent
from wire.batch import check_batch

MAX_FILE_BYTES: Final = 8 * 1024 * 1024  # a batch is at most 4 MiB; a manifest well under this


@dataclass(frozen=True, slots=True)
class RecountProblem:
    """One reason the recount cannot vouch for the result."""

    code: str
    message: str
    file: str | None = None

    def __str__(self) -> str:
        return f"{self.file}: {self.message}" if self.file else self.message


def read_file(path: Path) -> bytes | RecountProblem:
    """The bytes of a published file, or why they cannot be read."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return RecountProblem(
                "too_large", "the file is larger than any batch can be", str(path)
            )
        return path.read_bytes()
    except OSError as exc:
        return RecountProblem("unreadable", f"cannot be read ({exc.strerror or exc})", str(path))


# Below this many bytes of batch files (about 9,000 votes, half a second on one core), a
# worker process would barely have started before this one had checked everything.
PARALLEL_MIN_BYTES: Final = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Checked:
    """What the recount needs of one batch file: small, to come back from a worker process."""

    path: Path
    digest: str = ""  # of the file's bytes; empty if it could not be read
    problem: RecountProblem | None = None  # why it was not read or refused, if it was
    kiosk: str = ""
    public_key: str = ""
    votes: tuple[tuple[int, int, str, str, str], ...] = ()  # seq, rating, district, prev, hash


def check_file(path: Path) -> Checked:
    """Read and check one batch file completely (wire.batch.check_batch)."""
    data = read_file(path)
    if isinstance(data, RecountProblem):
        return Checked(path, problem=data)
    digest = hashlib.sha256(data).hexdigest()
    check = check_batch(data)
    if not check.ok:
        first = check.problems[0]
        more = len(check.problems) - 1
        return Checked(
            path,
            digest,
            RecountProblem(
                first.code,
                f"refused: {first.message}" + (f" (and {more} more problems)" if more else ""),
                str(path),
            ),
        )
    assert check.kiosk is not None
    assert check.public_key is not None
    votes = tuple(
        (r.seq, r.rating, r.district, r.prev, h)
        for r, h in zip(check.records(), check.hashes, strict=True)
    )
    return Checked(path, digest, None, check.kiosk, check.public_key.hex(), votes)


def cores() -> int:
    """The number of cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector meanwhile (and resume it if it was running).

    A recount keeps every vote it reads: hundreds of thousands of objects that live to the end.
    The collector would go through them again and again as they pile up, for no garbage (they
    hold no reference cycles), which cost 9 % of the time of a 100,000-vote recount.
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def _context() -> multiprocessing.context.BaseContext:
    """How to start the workers: "fork" when this process runs no other thread, else "spawn".

    A forked worker is ready at once, with the checker already imported; a spawned one first
    starts Python and imports it (a fifth of a second, more where Python finds no compiled
    bytecode), which at 20,000 votes is a sixth of the whole recount. A process with threads
    is never forked: a child would inherit whatever locks they held, as they were.
    """
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _worker_started() -> None:
    gc.disable()  # as collector_paused: the worker ends with the recount
    follow_parent(lambda: os._exit(0))  # nobody is left to read what this worker finds


def checked_files(files: Sequence[Path]) -> Iterator[Checked]:
    """Every file checked, in order: on every core when there is enough to check.

    This process checks files too, from the end of the list, while worker processes, one per
    other core, take them from the start: it starts at once, where a spawned worker first
    spends a fifth of a second starting Python and importing (``_context``), and what it
    finds needs no copying.
    Between two files it gives back what the workers have found, in order, so that the
    caller's own work on each file shares the cores too.
    Processes, not threads: libsodium and OpenSSL release the GIL while they verify, but
    check_batch does a batch's Python work (reading, hashing, the chain) in one stretch
    holding it, and a thread waiting for it to verify waits that long (bench/recount_speed.py
    measures both).
    """
    workers = min(cores(), len(files)) - 1
    if workers > 0:
        size = 0
        for path in files:
            with contextlib.suppress(OSError):  # check_file says why, in order
                size += path.stat().st_size
        if size < PARALLEL_MIN_BYTES:
            workers = 0
    if workers <= 0:
        yield from map(check_file, files)
        return
    with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_worker_started) as pool:
        futures = [pool.submit(check_file, path) for path in files]
        here: dict[int, Checked] = {}
        head, tail = 0, len(files)  # files[:head] given back; files[tail:] checked here
        while head < tail:
            if futures[head].done():  # given back as soon as it is: the caller works on it
                yield futures[head].result()
                head += 1
            elif futures[tail - 1].cancel():  # no worker has it (nor any file after it)
                tail -= 1
                here[tail] = check_file(files[tail])
            else:  # the workers have every file left
                yield futures[head].result()
                head += 1
        for index in range(tail, len(files)):
            yield here.pop(index)
