"""The audit trail: writing a row (grouping repeated anonymous refusals) and reading it filtered.

Every refusal, conflict, revocation, settings change and operator action is a row (design
promise 9 and 11). An operator's action names the operator. A refusal of an anonymous request
(a kiosk's batch or enrollment over the network, a failed login) from one source, for the same
reason and kiosk (and, for failed logins, the same name tried), within GROUP_WINDOW of the
group's first row, adds to that row's ``repeats``
and ``last_at`` instead of writing another: five hundred bad requests from one address are one
row with its count, so they cannot push a revocation off the audit page. The first request's
detail is kept; the count says how many more there were. A logged-in operator refused at the
console (a page or action above their role, a form failing its CSRF check: ``OPERATOR_GROUPED``)
is grouped only with the same operator's identical refusals (same request, same address): a
page reloaded fifty times is one row counting fifty, and each different request keeps its row.
Other refusals at the console (a USB file an officer imported) and every operator action are
never grouped.

Beside its English ``detail``, a row keeps ``facts``: the names, numbers and codes its detail was
made of, as a JSON object (``Facts``; revision 0014), so the console can word the row in the
reader's language (collector/routes/audit_words.py). A row written before has none (``{}``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final, TypeAlias

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from wire.clock import format_utc, parse_utc

GROUP_WINDOW: Final = timedelta(hours=1)
GROUPED_SOURCES: Final = frozenset(
    {"http", "enroll", "login"}
)  # where anonymous requests come from
OPERATOR_GROUPED: Final = frozenset(
    {"role_page", "role_action", "csrf"}
)  # an operator's refusals at the console (collector/auth/web.py)
DETAIL_LIMIT: Final = 4000
COLUMNS: Final = (
    "id", "at", "kind", "reason", "kiosk", "source", "source_addr", "detail", "operator",
    "repeats", "last_at", "facts",
)  # fmt: skip
# A row's facts: names to numbers, codes, names and UTC timestamps (never words of a language);
# None for a fact that is not known.
Facts: TypeAlias = Mapping[str, str | int | bool | None]


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which audit rows to show: each field that is set must match (times are protocol UTC)."""

    kind: str | None = None
    kiosk: str | None = None  # a kiosk id, or its first digits (a fingerprint)
    operator: str | None = None
    since: str | None = None  # rows at or after (a group counts by its last time)
    until: str | None = None  # rows before
    before: int | None = None  # rows older than this one (its id): the next page


def write(
    conn: Connection,
    at: str,
    kind: str,
    reason: str,
    detail: str,
    kiosk: str | None = None,
    source: str | None = None,
    source_addr: str | None = None,
    operator: str | None = None,
    facts: Facts | None = None,
) -> None:
    """Write an audit row in conn's transaction, or add to its group (see the module's note);
    a grouped row keeps its first request's facts, as it keeps its detail."""
    anonymous = operator is None and source in GROUPED_SOURCES
    if kind == "refused" and (anonymous or (operator and reason in OPERATOR_GROUPED)):
        since = format_utc(parse_utc(at) - GROUP_WINDOW)
        grouped = conn.execute(
            sa.text(
                "UPDATE audit SET repeats = repeats + 1, last_at = :at WHERE id = ("
                " SELECT MAX(id) FROM audit WHERE kind = :kind AND reason = :reason"
                " AND source = :source AND source_addr IS NOT DISTINCT FROM :addr"
                " AND kiosk IS NOT DISTINCT FROM :kiosk AND at >= :since"
                " AND operator IS NOT DISTINCT FROM :operator"
                # failed logins for different names stay apart: who was tried matters; an
                # operator's refusals for different requests too: what was tried matters
                " AND (source <> 'login' AND operator IS NULL OR detail = :detail))"
            ),
            {
                "at": at, "kind": kind, "reason": reason, "source": source,
                "addr": source_addr, "kiosk": kiosk, "since": since, "operator": operator,
                "detail": detail[:DETAIL_LIMIT],
            },
        )  # fmt: skip
        if grouped.rowcount:
            return
    conn.execute(
        sa.text(
            "INSERT INTO audit (at, kind, reason, kiosk, source, source_addr, detail, operator,"
            " facts) VALUES (:at, :kind, :reason, :kiosk, :source, :source_addr, :detail,"
            " :operator, :facts)"
        ),
        {
            "at": at, "kind": kind, "reason": reason, "kiosk": kiosk, "source": source,
            "source_addr": source_addr, "detail": detail[:DETAIL_LIMIT], "operator": operator,
            "facts": _stored(facts),
        },
    )  # fmt: skip


def rows(conn: Connection, which: AuditFilter, limit: int) -> list[dict[str, Any]]:
    """The newest audit rows that match which, newest first, at most limit; each row's facts
    as a dict (empty for a row written before they were kept)."""
    where, params = _where(which)
    found = conn.execute(
        sa.text(f"SELECT {', '.join(COLUMNS)} FROM audit{where} ORDER BY id DESC LIMIT :limit"),
        {**params, "limit": limit},
    )
    listed = [dict(zip(COLUMNS, row, strict=True)) for row in found]
    for row in listed:
        row["facts"] = read_facts(row["facts"])
    return listed


def read_facts(stored: str | None) -> dict[str, Any]:
    """A row's stored facts as a dict: empty when there are none, or when they cannot be read
    (a row is never lost from the page for its facts)."""
    if not stored:
        return {}
    try:
        found = json.loads(stored)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _stored(facts: Facts | None) -> str | None:
    if not facts:
        return None
    return json.dumps(dict(facts), ensure_ascii=False, sort_keys=True)[:DETAIL_LIMIT]


def count(conn: Connection, which: AuditFilter) -> int:
    """How many audit rows match which."""
    where, params = _where(which)
    return int(conn.execute(sa.text(f"SELECT COUNT(*) FROM audit{where}"), params).scalar_one())


def kinds(conn: Connection) -> list[str]:
    """Every kind of row the audit holds, for the filter's choices."""
    return [
        str(k) for (k,) in conn.execute(sa.text("SELECT DISTINCT kind FROM audit ORDER BY kind"))
    ]


def _where(which: AuditFilter) -> tuple[str, dict[str, Any]]:
    # Only fixed column names go into the SQL; every value is a bound parameter.
    clauses: list[str] = []
    params: dict[str, Any] = {}
    for column in ("kind", "operator"):
        value = getattr(which, column)
        if value:
            clauses.append(f"{column} = :{column}")
            params[column] = value
    if which.kiosk:
        # A whole kiosk id, or the start of one as the pages show it (a fingerprint such as
        # 6802-60FC-D73F-D250): dashes, spaces and case do not matter.
        wanted = "".join(which.kiosk.split()).replace("-", "").lower()
        if len(wanted) >= 32:
            clauses.append("kiosk = :kiosk")
            params["kiosk"] = wanted
        else:
            clauses.append("kiosk LIKE :kiosk")
            params["kiosk"] = wanted.replace("%", "").replace("_", "") + "%"
    if which.since:
        clauses.append("COALESCE(last_at, at) >= :since")
        params["since"] = which.since
    if which.until:
        clauses.append("at < :until")
        params["until"] = which.until
    if which.before is not None:
        clauses.append("id < :before")
        params["before"] = which.before
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params
