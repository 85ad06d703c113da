"""The collector's store: every vote, kiosk, token and audit row, in SQLite or PostgreSQL.

``CollectorStore`` (collector_store.py) is the one class the rest of the collector talks to,
with what the store promises written beside it; what it hands back and how it refuses are in
records.py, the transaction that stores a batch (refused or stored whole, the kiosk's
bookkeeping) in ingest.py, where each vote of a batch goes (exactly once, the chain) in
placement.py, the counts kept beside the votes in tallies.py, the schema as Alembic migrations
in migrations/ (legacy.py finishes a database made before them), which database ``--db`` names
in target.py, and how it is opened durably and migrated in connection.py.

``CollectorStore`` is loaded on first use, and with it SQLAlchemy: the command line imports
this package for its records and targets, and `recount`, which opens no database, should not
wait for SQLAlchemy to load (docs/performance.md; tests/collector/test_cli_imports.py).
"""

from typing import TYPE_CHECKING, Any

from collector.store.records import (
    SKEW_FLAG_SECONDS,
    SKEW_THRESHOLD_ENV,
    Enrollment,
    IngestResult,
    KioskStatus,
    StoreError,
    skew_threshold_from_env,
)
from collector.store.target import DatabaseTarget, TargetError

if TYPE_CHECKING:
    from collector.store.collector_store import CollectorStore

__all__ = [
    "SKEW_FLAG_SECONDS",
    "SKEW_THRESHOLD_ENV",
    "CollectorStore",
    "DatabaseTarget",
    "Enrollment",
    "IngestResult",
    "KioskStatus",
    "StoreError",
    "TargetError",
    "skew_threshold_from_env",
]


def __getattr__(name: str) -> Any:
    """Load ``CollectorStore`` (and SQLAlchemy) when it is first asked for."""
    if name == "CollectorStore":
        from collector.store.collector_store import CollectorStore

        return CollectorStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
