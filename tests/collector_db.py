"""Reading and writing a collector database behind the store's back, on either backend.

A test looks at what the database holds as an auditor with a database client would: plain
SQL, through the store's own engine (so the same test runs on SQLite and PostgreSQL).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from collector.store import CollectorStore


def sql(store: CollectorStore, statement: str, **params: Any) -> list[tuple[Any, ...]]:
    """Run one statement in its own transaction; the rows it returns (none for a write)."""
    with store.engine.begin() as conn:
        result = conn.execute(sa.text(statement), params)
        return [tuple(row) for row in result] if result.returns_rows else []


def one(store: CollectorStore, statement: str, **params: Any) -> Any:
    """The single value a query returns."""
    rows = sql(store, statement, **params)
    assert len(rows) == 1, rows
    assert len(rows[0]) == 1, rows
    return rows[0][0]
