"""The size group of each district office: loading a classification, and what loading would change.

The department decides every district office's size group (small, medium, large); the awards
are decided within each group, and a district's group is read when a ranking is made, so
loading a classification moves the votes of every district whose group changes (announced
awards stay as they were frozen: collector/store/announcements.py). ``CollectorStore.
load_districts`` is the one way in, for the command line (`districts --load`) and the console
(/console/districts): it checks the rows (``records``), ``write``s them in its transaction and
adds an audit row naming the operator and what changed (``detail``).

A classification applies from a campaign on: the campaigns before it keep the groups they had
(classification.py), so the preview says which campaigns it changes and which it leaves alone.

``preview`` says what a load would change without storing anything, with ``state``: a short
digest of the table (and of the campaigns' own groups) as it stood. The console shows the preview and loads only if the table's
state is still the one it showed (``expect``, checked inside the loading transaction), so an
officer never confirms changes worked out against a table someone else changed in between.
Each function works in the connection it is given (``CollectorStore.reading()`` to read).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Final

import geothai
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from collector.store import classification, holdings
from collector.store.records import StoreError
from wire.districts import SIZE_GROUPS, valid_district

DETAIL_CODES: Final = 40  # districts named in an audit row's detail; the count says the rest
_STATE_CHARS: Final = 16
EMPTY: Final = hashlib.sha256().hexdigest()[:_STATE_CHARS]  # the state of an empty table


@dataclass(frozen=True, slots=True)
class District:
    """A district office as loaded: code, size group and names."""

    code: str
    size_group: str
    name_th: str
    name_en: str
    province_th: str
    province_en: str

    def name(self, lang: str) -> str:
        """The district's name in lang (th or en)."""
        return self.name_th if lang == "th" else self.name_en

    def province(self, lang: str) -> str:
        """The province's name in lang (th or en)."""
        return self.province_th if lang == "th" else self.province_en


@dataclass(frozen=True, slots=True)
class HeldDistrict(District):
    """A loaded district office with its kiosks and its votes so far (all campaigns)."""

    kiosks: int
    votes: int


@dataclass(frozen=True, slots=True)
class GroupChange:
    """A district a load adds or moves: as it would be loaded, and its group before (None when
    new) with the kiosks and votes that move with it."""

    district: District
    before: str | None
    kiosks: int
    votes: int

    @property
    def after(self) -> str:
        """The size group the load gives it."""
        return self.district.size_group


@dataclass(frozen=True, slots=True)
class Preview:
    """What loading rows would do to the table in ``state``."""

    added: list[GroupChange]
    moved: list[GroupChange]
    unchanged: int
    state: str
    scope: classification.Scope

    @property
    def count(self) -> int:
        """How many districts the rows name."""
        return len(self.added) + len(self.moved) + self.unchanged


def _state(conn: Connection, scope: classification.Scope) -> str:
    """A digest of every (code, group) in the table, of the groups campaigns kept and of the
    campaigns a load would leave alone: equal states, equal outcomes (an empty table is
    ``EMPTY``)."""
    digest = hashlib.sha256()
    for code, group in conn.execute(
        sa.text("SELECT code, size_group FROM districts ORDER BY code")
    ):
        digest.update(f"{code}:{group}\n".encode())
    for row in classification.state_rows(conn):
        digest.update(("campaign " + ":".join(map(str, row)) + "\n").encode())
    if scope.keeping:  # a campaign defined since the check would be kept unseen
        digest.update(f"keeping {scope.keeping}\n".encode())
    return digest.hexdigest()[:_STATE_CHARS]


def districts(conn: Connection, campaign: int | None = None) -> list[HeldDistrict]:
    """Every loaded district office, by code, with its kiosks and votes: with the current
    groups and every vote, or with campaign's groups and votes."""
    fields = HeldDistrict.__dataclass_fields__
    return [
        HeldDistrict(**{k: v for k, v in d.items() if k in fields})
        for d in holdings.report(conn, campaign)["districts"]
    ]


def records(rows: Iterable[tuple[str, str]]) -> list[District]:
    """The rows as the table will hold them, names from geothai; refused if a row is wrong."""
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
            District(
                code, group, district.name_th, district.name_en, province.name_th,
                province.name_en,
            )
        )  # fmt: skip
    return records


def preview(conn: Connection, records: list[District], applies_from: int | None = None) -> Preview:
    """What loading records to apply from campaign applies_from on (None: every campaign) would
    add and move, against the table as conn sees it.

    A district moves when its group changes in the current table or in a campaign the load
    applies to (one that kept its own groups has them dropped); its votes shown are those of the
    campaigns it moves in (of every vote when no campaign keeps or drops groups)."""
    scope = classification.scope(conn, applies_from)
    by_code = {d.code: d for d in districts(conn)}
    kept = classification.kept_groups(conn, scope.following)
    votes = _campaign_votes(conn, scope.following) if scope.keeping or kept else None
    added: list[GroupChange] = []
    moved: list[GroupChange] = []
    unchanged = 0
    for loaded in records:
        now = by_code.get(loaded.code)
        if now is None:
            added.append(GroupChange(loaded, None, 0, 0))
            continue
        after = loaded.size_group
        befores = {y: kept.get(y, {}).get(now.code, now.size_group) for y in scope.following}
        moving = [y for y, before in befores.items() if before != after]
        if now.size_group == after and not moving:
            unchanged += 1
            continue
        before = next((befores[y] for y in moving), now.size_group)
        n = now.votes if votes is None else sum(votes.get((y, now.code), 0) for y in moving)
        moved.append(GroupChange(loaded, before, now.kiosks, n))
    return Preview(added, moved, unchanged, _state(conn, scope), scope)


def _campaign_votes(conn: Connection, years: tuple[int, ...]) -> dict[tuple[int, str], int]:
    """Each district's votes in each of the campaigns years (the tallies)."""
    if not years:
        return {}
    return {
        (int(year), str(district)): int(votes)
        for year, district, votes in conn.execute(
            sa.text(
                "SELECT campaign, district, r1 + r2 + r3 + r4 + r5 FROM tally_campaigns"
                " WHERE campaign >= :first"
            ),
            {"first": min(years)},
        )
    }


def write(
    conn: Connection, records: list[District], expect: str | None, applies_from: int | None
) -> Preview:
    """Store records in conn's write transaction, to apply from campaign applies_from on (the
    campaigns before keep their groups); what it added and moved. With ``expect`` (a Preview's
    state), refused with StoreError 'districts_changed' and nothing written if the table is no
    longer in that state, and with 'groups_announced' if it would apply to a campaign whose
    awards are announced."""
    if conn.dialect.name == "postgresql":
        # Two loads on two servers take turns, so each reads the state the other left: this
        # mode conflicts with itself and with writes to the table, not with reads or with the
        # key-share locks of the kiosks referencing a district (SQLite's writer lock does the
        # same for a whole file).
        conn.execute(sa.text("LOCK TABLE districts IN SHARE ROW EXCLUSIVE MODE"))
    classification.check_start(conn, applies_from)
    done = preview(conn, records, applies_from)
    if expect is not None and done.state != expect:
        raise StoreError(
            "districts_changed",
            "the size groups were changed since the file was checked; check it again",
        )
    if records:
        classification.settle(conn, applies_from, {d.code: d.size_group for d in records})
        conn.execute(
            sa.text(
                "INSERT INTO districts (code, size_group, name_th, name_en, province_th,"
                " province_en) VALUES (:code, :size_group, :name_th, :name_en, :province_th,"
                " :province_en) ON CONFLICT (code) DO UPDATE SET size_group = excluded.size_group"
            ),
            [asdict(d) for d in records],
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
    scope = done.scope
    kept = ", ".join(map(str, scope.keeping))
    if scope.keeping and not scope.following:
        parts.append(f"applies to the campaigns defined later; {kept} keep the groups they had")
    elif scope.keeping:
        parts.append(
            f"applies from campaign {scope.applies_from} on; the campaigns before it ({kept})"
            " keep the groups they had"
        )
    changes = [f"{c.district.code} new {c.after}" for c in done.added] + [
        f"{c.district.code} {c.before} to {c.after}" for c in done.moved
    ]
    if changes:
        shown = ", ".join(changes[:DETAIL_CODES])
        more = len(changes) - DETAIL_CODES
        parts.append(shown + (f" and {more} more" if more > 0 else ""))
    return "; ".join(parts)


def facts(done: Preview, demo: bool = False) -> dict[str, int | bool | None]:
    """The audit row's facts (collector/store/audit.py): the counts, whether it was the bundled
    demo, and from which campaign it applies (None: every campaign)."""
    return {
        "districts": done.count,
        "added": len(done.added),
        "moved": len(done.moved),
        "unchanged": done.unchanged,
        "demo": demo,
        "applies_from": done.scope.applies_from if done.scope.keeping else None,
    }
