"""The collector's store: every vote, kiosk, token and audit row, in one SQLite file.

``CollectorStore`` (collector_store.py) is the one class the rest of the collector talks to,
with what the store promises written beside it; what it hands back and how it refuses are in
records.py, where each vote of a batch goes (exactly once, the chain) in placement.py, the
schema's migrations in schema.py, and how the file is opened durably and written by one
process at a time in connection.py.
"""

from collector.store.collector_store import CollectorStore
from collector.store.records import (
    SKEW_FLAG_SECONDS,
    SKEW_THRESHOLD_ENV,
    Enrollment,
    IngestResult,
    KioskStatus,
    StoreError,
    skew_threshold_from_env,
)

__all__ = [
    "SKEW_FLAG_SECONDS",
    "SKEW_THRESHOLD_ENV",
    "CollectorStore",
    "Enrollment",
    "IngestResult",
    "KioskStatus",
    "StoreError",
    "skew_threshold_from_env",
]
