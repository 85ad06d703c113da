"""The size group of each district office: loading a classification, and what loading would change.

The department decides every district office's size group (small, medium, large); the awards
are decided within each group, and a district's group is read when a ranking is made, so
loading a classification moves the votes of every district whose group changes (announced
awards stay as they were frozen: collector/store/announcements.py). ``CollectorStore.
load_districts`` is the one way in, for the command line (`districts --load`) and the console
(/console/districts): it checks the rows (``records``), ``write``s them in its transaction and
adds an audit row naming the operator and what changed (``detail``).

``preview`` says what a load would change without storing anything, with ``state``: a short
digest of the table as it stood. The console shows the preview and loads only if the table's
state is still the one it showed (``expect``, checked inside the loading transaction), so an
officer never confirms changes worked out against a table someone else changed in between.
Each function works in the connection it is given (``CollectorStore.reading()`` to read).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import geothai
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from collector.store import holdings
from collector.store.records import StoreError
from wire.districts import SIZE_GROUPS, valid_district

DETAIL_CODES: Final = 40  # districts named in an audit row's detail; the count says the rest
_STATE_CHARS: Final = 16
EMPTY: Final = hashlib.sha256().hexdigest()[:_STATE_CHARS]  # the state of an empty table


@dataclass(frozen=True, slots=True)
class District:
    """A district office as the table holds it, with its kiosks and its votes so far."""

    code: str
    size_group: str
    name_th: str
    name_en: str
    province_th: str
    province_en: str
    kiosks: int
    votes: int


@dataclass(frozen=True, slots=True)
class GroupChange:
    """A district a load adds or moves: its group before (None when new) and after."""

    code: str
    name_th: str
    name_en: str
    province_th: str
    province_en: str
    before: str | None
    after: str
    kiosks: int
    votes: int


@dataclass(frozen=True, slots=True)
class Preview:
    """What loading rows would do to the table in ``state``."""

    added: list[GroupChange]
    moved: list[GroupChange]
    unchanged: int
    state: str

    @property
    def count(self) -> int:
        """How many districts the rows name."""
        return len(self.added) + len(self.moved) + self.unchanged


def _state(conn: Connection) -> str:
    """A digest of every (code, group) in the table: equal states, equal tables."""
    digest = hashlib.sha256()
    for code, group in conn.execute(
        sa.text("SELECT code, size_group FROM districts ORDER BY code")
    ):
        digest.update(f"{code}:{group}\n".encode())
    return digest.hexdigest()[:_STATE_CHARS]


def districts(conn: Connection) -> list[District]:
    """Every loaded district office, by code, with its kiosks and votes (all campaigns)."""
    report = holdings.report(conn)
    fields = District.__dataclass_fields__
    return [District(**{k: v for k, v in d.items() if k in fields}) for d in report["districts"]]


def records(rows: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """The rows as table records with their names from geothai; refused if a row is wrong."""
    records = []
    for line, (code, group) in enumerate(rows, start=1):
        code, group = code.strip(), group.strip().lower()
        if not valid_district(code):
            raise StoreError(
                "bad_district", f"row {line}: {code!r} is not the code of a district office"
            )
        if group not in SIZE_GROUPS:
            raise StoreError(
                "bad_size_group",
                f"row {line}: size group must be small, medium or large, not {group!r}",
            )
        district = geothai.district(code)
        province = geothai.province(code[:2])
        if district is None or province is None:  # pragma: no cover - valid_district checked it
            raise StoreError("bad_district", f"row {line}: {code!r} is not in geothai")
        records.append(
            {
                "code": code, "group": group, "name_th": district.name_th,
                "name_en": district.name_en, "province_th": province.name_th,
                "province_en": province.name_en,
            }
        )  # fmt: skip
    return records


def preview(conn: Connection, records: list[dict[str, str]]) -> Preview:
    """What loading records would add and move, against the table as conn sees it."""
    by_code = {d.code: d for d in districts(conn)}
    added: list[GroupChange] = []
    moved: list[GroupChange] = []
    unchanged = 0
    for r in records:
        now = by_code.get(r["code"])
        if now is not None and now.size_group == r["group"]:
            unchanged += 1
            continue
        change = GroupChange(
            r["code"], r["name_th"], r["name_en"], r["province_th"], r["province_en"],
            now.size_group if now else None, r["group"], now.kiosks if now else 0,
            now.votes if now else 0,
        )  # fmt: skip
        (moved if now else added).append(change)
    return Preview(added, moved, unchanged, _state(conn))


def write(conn: Connection, records: list[dict[str, str]], expect: str | None) -> Preview:
    """Store records in conn's write transaction; what it added and moved. With ``expect``
    (a Preview's state), refused with StoreError 'districts_changed' and nothing written if
    the table is no longer in that state."""
    if conn.dialect.name == "postgresql":
        # Two loads on two servers take turns, so each reads the state the other left: this
        # mode conflicts with itself and with writes to the table, not with reads or with the
        # key-share locks of the kiosks referencing a district (SQLite's writer lock does the
        # same for a whole file).
        conn.execute(sa.text("LOCK TABLE districts IN SHARE ROW EXCLUSIVE MODE"))
    done = preview(conn, records)
    if expect is not None and done.state != expect:
        raise StoreError(
            "districts_changed",
            "the size groups were changed since the file was checked; check it again",
        )
    if records:
        conn.execute(
            sa.text(
                "INSERT INTO districts (code, size_group, name_th, name_en, province_th,"
                " province_en) VALUES (:code, :group, :name_th, :name_en, :province_th,"
                " :province_en) ON CONFLICT (code) DO UPDATE SET size_group = excluded.size_group"
            ),
            records,
        )
    return done


def detail(done: Preview, demo: bool = False) -> str:
    """The audit row's words: how many, and which districts were added and moved (for the
    bundled demo, which it was and no list: it names every district)."""
    districts = "1 district" if done.count == 1 else f"{done.count} districts"
    counts = f"{len(done.added)} added, {len(done.moved)} moved, {done.unchanged} unchanged"
    if demo:
        return (
            f"size groups loaded for {districts} from the bundled demo classification"
            f" (not the department's): {counts}"
        )
    parts = [f"size groups loaded for {districts}: {counts}"]
    changes = [f"{c.code} new {c.after}" for c in done.added] + [
        f"{c.code} {c.before} to {c.after}" for c in done.moved
    ]
    if changes:
        shown = ", ".join(changes[:DETAIL_CODES])
        more = len(changes) - DETAIL_CODES
        parts.append(shown + (f" and {more} more" if more > 0 else ""))
    return "; ".join(parts)
