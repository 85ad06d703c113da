"""The collector's long-lived processes keep what they built at start-up out of the garbage
collector's way.

A serving process imports FastAPI, SQLAlchemy and the app (some 120,000 objects) and keeps
them to the end. Python's cyclic collector walks every one of them again at each full pass,
and storing batches makes it run often: each 500-vote batch allocates thousands of short-lived
objects (decoded votes, records, rows), so the youngest generation fills several times a
batch and the full passes come every few batches, at 30-40 ms each: 3.5-4.5 µs of the
serving process's CPU per stored vote in the collector itself, and the serving process used
7-9 µs a vote less once they were frozen (docs/performance.md). ``gc.freeze``
moves everything alive at that moment into a generation the collector never walks; what is
allocated afterwards is collected as before, so a reference cycle made while serving is
still freed. Each batch-checking process (checking.py) does the same once it has loaded the
checker.
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> None:
    """Collect once, then leave every object alive now out of later collections."""
    gc.collect()  # garbage made while starting is freed, not kept for ever
    gc.freeze()
