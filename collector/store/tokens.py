"""The enrollment tokens issued so far, as the console lists them (never the tokens themselves).

The store keeps only a token's hash (``CollectorStore.issue_token``), so what can be shown is
its district, when it was issued, and when and by which kiosk it was used. Each reading
function reads through a connection from ``CollectorStore.reading()``; ``void_unused`` runs in
the write transaction of ``CollectorStore.void_tokens``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """One issued token: its district, when it was issued, and its use (None while unused)."""

    district: str
    issued_at: str
    used_at: str | None
    used_by: str | None  # the kiosk id it enrolled
    kiosk_revoked_at: str | None  # when that kiosk was revoked, if it was


@dataclass(frozen=True, slots=True)
class TokenCounts:
    """How many tokens were issued, and how many of them are still unused."""

    issued: int
    unused: int


def issued_tokens(conn: Connection, limit: int) -> list[IssuedToken]:
    """The issued tokens, unused ones first, then newest first; at most limit."""
    rows: Any = conn.execute(
        sa.text(
            "SELECT t.district, t.issued_at, t.used_at, t.used_by, k.revoked_at"
            " FROM tokens t LEFT JOIN kiosks k ON k.kiosk = t.used_by"
            " ORDER BY CASE WHEN t.used_by IS NULL THEN 0 ELSE 1 END, t.issued_at DESC,"
            " t.district LIMIT :limit"
        ),
        {"limit": limit},
    )
    return [IssuedToken(*row) for row in rows]


def token_counts(conn: Connection) -> TokenCounts:
    """How many tokens were issued and how many are unused."""
    row: Any = conn.execute(
        sa.text(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN used_by IS NULL THEN 1 ELSE 0 END), 0)"
            " FROM tokens"
        )
    ).one()
    return TokenCounts(int(row[0]), int(row[1]))


def unused_by_district(conn: Connection) -> list[tuple[str, int]]:
    """(district, unused tokens) of every district that has an unused token, by code."""
    rows: Any = conn.execute(
        sa.text(
            "SELECT district, COUNT(*) FROM tokens WHERE used_by IS NULL"
            " GROUP BY district ORDER BY district"
        )
    )
    return [(str(district), int(n)) for district, n in rows]


def void_unused(conn: Connection, district: str) -> int:
    """Delete the district's unused tokens (a used one stays: it names its kiosk); how many."""
    # A token is only its hash: once deleted, enrolling with it is refused as unknown. A token
    # being used at this moment is either used first (and kept) or deleted first (and refused),
    # since enrolling reads and marks it in one write transaction.
    done = conn.execute(
        sa.text("DELETE FROM tokens WHERE district = :district AND used_by IS NULL"),
        {"district": district},
    )
    return int(done.rowcount)


def enrolled_detail(
    fingerprint: str, district: str, issued_at: str, hashed: str, source: str, again: bool
) -> str:
    """The audit detail of an enrollment: the kiosk, its district, and which token it used.

    The token is named by when it was issued (the tokens page and the token's "issued" audit row
    show the same time) and by the start of its hash, never by the token itself.
    """
    how = "enrolled again (the same kiosk, the same token)" if again else "enrolled"
    return (
        f"kiosk {fingerprint} {how} for district {district} by {source}, with the token issued"
        f" {issued_at} (token hash {hashed[:12]})"
    )
