"""Where the collector checks batches: in threads of its own process, or in worker processes.

Checking a batch is almost all Ed25519 verification plus some Python per vote. Two ways to
spread it over the cores, chosen by ``create_app``:

* ``ThreadChecker`` checks in threads of the serving process, at most ``size`` at once. The
  Ed25519 library releases the GIL while it verifies, so two threads fill two cores; but
  they hand the GIL back and forth around every signature, with the event loop and the
  storing thread too, and that costs CPU (the bench measured 198-207 µs per vote served
  this way against about 180 µs with processes, docs/performance.md). Tests and the
  `import` command use it: it needs no start-up.
* ``ProcessChecker`` checks in a pool of ``size`` worker processes, each with the GIL to
  itself and no event loop; the serving process only reads HTTP and stores. What crosses
  between them is small: the batch's bytes one way, the findings and the votes' hashes the
  other (``BatchCheck.detached``). A pool that breaks (a worker killed by the system, say)
  is replaced, and the batches it was checking are answered "busy, try again", which the
  kiosks do. `sangsuk-collector serve` uses it (docs/performance.md has the figures). Each
  worker ends as soon as the serving process does, even if that one was killed with SIGKILL
  (collector/lifeline.py).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Protocol

from anyio import CapacityLimiter, to_thread

from collector.heap import freeze_startup_heap
from collector.lifeline import follow_parent
from wire.batch import MAX_BATCH_BYTES, MAX_BATCH_VOTES, BatchCheck, check_batch

log = logging.getLogger(__name__)


class CheckerStoppedError(Exception):
    """The worker processes failed while checking a batch; it can be sent again."""


class Checker(Protocol):
    """Checks batches off the event loop."""

    size: int

    async def check(self, data: bytes) -> BatchCheck:
        """Check a batch; the result may be ``detached`` (reattach it with ``data``)."""
        ...

    def start(self) -> None:
        """Get ready to check (a pool starts its processes)."""
        ...

    def close(self) -> None:
        """Stop; a later ``check`` starts again."""
        ...


def _check(data: bytes) -> BatchCheck:
    return check_batch(data, max_votes=MAX_BATCH_VOTES, max_bytes=MAX_BATCH_BYTES)


def check_detached(data: bytes) -> BatchCheck:
    """Check a batch in a worker process and return the findings without the votes."""
    return _check(data).detached()


def _ready() -> None:
    """Run once in each new worker process: importing this module loaded the checker."""


def _worker_started() -> None:
    """Start each worker process: it ends at once when the serving process has ended."""
    freeze_startup_heap()  # the checker is imported: keep it out of the collector's way
    # Nothing to finish: the batch it may be checking has nobody left to answer, and a kiosk
    # sends a batch it got no receipt for again.
    follow_parent(lambda: os._exit(0))


class ThreadChecker:
    """Check batches in threads of this process, at most ``size`` at once."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._slots = CapacityLimiter(size)

    async def check(self, data: bytes) -> BatchCheck:
        """Check a batch in a worker thread."""
        return await to_thread.run_sync(partial(_check, data), limiter=self._slots)

    def start(self) -> None:
        """Nothing to start."""

    def close(self) -> None:
        """Nothing to stop."""


class ProcessChecker:
    """Check batches in a pool of ``size`` worker processes, started fresh ("spawn")."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # "spawn" on every system: the serving process has threads, which a forked
                # child would inherit in whatever state they were.
                self._pool = ProcessPoolExecutor(
                    self.size,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_worker_started,
                )
            return self._pool

    def start(self) -> None:
        """Start every worker process now and wait until each has loaded the checker."""
        pool = self._executor()
        for future in [pool.submit(_ready) for _ in range(self.size)]:
            future.result()

    async def check(self, data: bytes) -> BatchCheck:
        """Check a batch in a worker process; the result is ``detached``."""
        pool = self._executor()
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, check_detached, data)
        except BrokenProcessPool as exc:
            with self._lock:
                if self._pool is pool:
                    self._pool = None  # the next batch starts a new pool
            log.error("a batch-checking process ended unexpectedly (%s); starting new ones", exc)
            pool.shutdown(wait=False, cancel_futures=True)
            raise CheckerStoppedError(str(exc)) from exc

    def close(self) -> None:
        """Stop the worker processes (after the batches they are checking)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
