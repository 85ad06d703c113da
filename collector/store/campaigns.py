"""Campaigns: a Buddhist-era year's period of Thai days, its names and its slogan.

The central office defines one campaign a year (console or CLI). Votes are always accepted
and stored whatever their time; a vote counts in the campaign whose period holds the time
the collector placed it at (placement.py), so campaigns never overlap. A campaign is defined
once and not changed: its period decides which votes its awards and publication are made of.
So ``check`` (and ``make``) refuses, before anything is stored, days that cannot be the
year's: a date typed with the Buddhist-era year (2569-11-01 for 2026-11-01: the browser's date
picker and the CLI take Christian-era dates), a first day outside the year (its Christian-era
calendar year, or its Thai fiscal year, which begins on 1 October of the calendar year before),
a period over a year. ``check`` finds every wrong field at once (the console lists them all);
the year and the dates may be typed in Thai digits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Final, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from collector.store import tallies
from collector.store.collector_store import CollectorStore
from collector.store.records import WordedError
from wire.clock import THAI_TIME, format_utc

# Buddhist era = Gregorian + 543. A year outside this range is a typing mistake.
BE_OFFSET: Final = 543
YEARS: Final = range(2560, 2700)
# A date of a later year is a Buddhist-era year typed where a Christian-era one belongs.
BE_LOOKING: Final = 2400
# The Thai fiscal year Y begins on this month and day of the Christian year Y - 544.
FISCAL_START: Final = (10, 1)
MAX_DAYS: Final = 366  # a campaign lasts a year at most, a leap year's calendar year included
_ISO_DAY: Final = re.compile(r"(\d{4})(-\d{2}-\d{2})")
THAI_DIGITS: Final = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")  # typed on the Kedmanee keyboard
# The values of a refusal that are days (YYYY-MM-DD): the console and the command line's Thai
# say them as the pages do (1 พ.ย. 2569), the English log sentence as they are.
DAY_VALUES: Final = frozenset({"start", "end", "earliest", "latest"})
NAME_MAX: Final = 120
SLOGAN_MAX: Final = 200
_T = TypeVar("_T")
_COLUMNS: Final = (
    "year, name_th, name_en, starts_on, ends_on, starts_at, ends_at, slogan_th, slogan_en,"
    " created_at, created_by"
)


@dataclass(frozen=True, slots=True)
class Campaign:
    """A campaign as defined: its days are Thai days, starts_on to ends_on included."""

    year: int
    name_th: str
    name_en: str
    starts_on: str
    ends_on: str
    starts_at: str  # UTC, 00:00 Thai time of starts_on
    ends_at: str  # UTC, 00:00 Thai time of the day after ends_on (not included)
    slogan_th: str
    slogan_en: str
    created_at: str = ""
    created_by: str | None = None

    def holds(self, moment: str) -> bool:
        """True when a protocol timestamp lies in the campaign's period."""
        return self.starts_at <= moment < self.ends_at

    def as_json(self) -> dict[str, Any]:
        """The campaign as the publication and `campaigns --json` give it."""
        return {
            "year": self.year, "name_th": self.name_th, "name_en": self.name_en,
            "starts_on": self.starts_on, "ends_on": self.ends_on,
            "starts_at": self.starts_at, "ends_at": self.ends_at,
            "slogan_th": self.slogan_th, "slogan_en": self.slogan_en,
        }  # fmt: skip


def thai_midnight(day: date) -> str:
    """The UTC protocol timestamp of 00:00 Thai time on day."""
    return format_utc(datetime.combine(day, time(0), THAI_TIME))


class CampaignError(WordedError):
    """A campaign refused: ``key`` and ``values`` name why for the console's catalogues
    (campaigns.error.*), the message says it in English for the CLI and the log."""


FIELDS: Final = {  # a form field: what it is called in an English message
    "year": "year",
    "starts_on": "start date",
    "ends_on": "end date",
    "name_th": "Thai name",
    "name_en": "English name",
    "slogan_th": "Thai slogan",
    "slogan_en": "English slogan",
}


def _text(value: str, field: str, limit: int) -> str:
    text = " ".join(value.split())
    if not text:
        raise CampaignError(
            "bad_campaign", "campaigns.error.empty", f"the {FIELDS[field]} is empty", field=field
        )
    if len(text) > limit:
        raise CampaignError(
            "bad_campaign", "campaigns.error.too_long",
            f"the {FIELDS[field]} is longer than {limit} characters", field=field, limit=limit,
        )  # fmt: skip
    return text


def christian_era_day(text: str) -> str | None:
    """For a YYYY-MM-DD day typed with a Buddhist-era year (2569-12-06), the same day in the
    Christian era (2026-12-06); None for any other text. Checked on the text, so a day that
    exists only in the Buddhist-era calendar's reading (2567-02-29) is caught too."""
    typed = _ISO_DAY.fullmatch(text.strip())
    if typed is None or int(typed[1]) <= BE_LOOKING:
        return None
    return f"{int(typed[1]) - BE_OFFSET:04d}{typed[2]}"


def _day(value: str, field: str) -> date:
    text = value.strip().translate(THAI_DIGITS)
    if not text:
        raise CampaignError(
            "bad_campaign", "campaigns.error.empty", f"the {FIELDS[field]} is empty", field=field
        )
    try:
        day: date | None = date.fromisoformat(text)
    except ValueError:
        day = None
    shown = day.isoformat() if day else text
    ce = christian_era_day(shown)
    if ce is not None:
        raise CampaignError(
            "bad_campaign", "campaigns.error.buddhist_date",
            f"the {FIELDS[field]} {shown} is a Buddhist-era date, but the dates are in the"
            f" Christian era (ค.ศ.): for {shown} type {ce}",
            field=field, value=shown, ce=ce,
        )  # fmt: skip
    if day is None:
        raise CampaignError(
            "bad_campaign", "campaigns.error.bad_date",
            f"the {FIELDS[field]} {value!r} is not a date written as YYYY-MM-DD",
            field=field, value=value,
        )  # fmt: skip
    return day


def first_days(year: int) -> tuple[date, date]:
    """The earliest and the latest first day of a Buddhist-era year's campaign: from the start
    of its Thai fiscal year (1 October of the Christian year before) to the end of its
    Christian-era calendar year."""
    ce = year - BE_OFFSET
    return date(ce - 1, *FISCAL_START), date(ce, 12, 31)


def _starts_in_year(be: int, first: date) -> None:
    earliest, latest = first_days(be)
    if not earliest <= first <= latest:
        raise CampaignError(
            "bad_campaign", "campaigns.error.not_in_year",
            f"campaign {be} ({be - BE_OFFSET} in the Christian era) must start between"
            f" {earliest} (the first day of the Thai fiscal year {be}) and {latest}, not on"
            f" {first}: check the year and the start date",
            year=be, ce=be - BE_OFFSET, earliest=earliest.isoformat(), latest=latest.isoformat(),
            start=first.isoformat(),
        )  # fmt: skip


def _within_a_year(first: date, last: date) -> None:
    if last < first:
        raise CampaignError(
            "bad_campaign", "campaigns.error.ends_before",
            f"the campaign ends ({last}) before it starts ({first})",
            start=first.isoformat(), end=last.isoformat(),
        )  # fmt: skip
    days = (last - first).days + 1
    if days > MAX_DAYS:
        raise CampaignError(
            "bad_campaign", "campaigns.error.too_many_days",
            f"the campaign would last {days} days ({first} to {last}), more than a year"
            f" ({MAX_DAYS} days): check the end date's year",
            days=days, limit=MAX_DAYS, start=first.isoformat(), end=last.isoformat(),
        )  # fmt: skip


def _year(value: int | str) -> int:
    text = str(value).strip().translate(THAI_DIGITS)
    if not text:
        raise CampaignError(
            "bad_campaign", "campaigns.error.empty", "the year is empty", field="year"
        )
    try:
        be = int(text)
    except ValueError:
        raise CampaignError(
            "bad_campaign", "campaigns.error.year", f"the year {value!r} is not a number",
            value=str(value), low=YEARS[0], high=YEARS[-1],
        ) from None  # fmt: skip
    if be not in YEARS:
        raise CampaignError(
            "bad_campaign", "campaigns.error.year",
            f"the year {be} is not a Buddhist-era year from {YEARS[0]} to {YEARS[-1]}",
            value=str(be), low=YEARS[0], high=YEARS[-1],
        )  # fmt: skip
    return be


def _kept(found: list[CampaignError], check: Callable[..., _T], *args: Any) -> _T | None:
    """check(*args), or None with its refusal added to found."""
    try:
        return check(*args)
    except CampaignError as refused:
        found.append(refused)
        return None


def check(
    year: int | str,
    name_th: str,
    name_en: str,
    starts_on: str,
    ends_on: str,
    slogan_th: str,
    slogan_en: str,
) -> tuple[Campaign | None, list[CampaignError]]:
    """Check a campaign's fields: the campaign, or every refusal (CampaignError 'bad_campaign')
    in the form's order, each naming its field. Its days are Christian-era dates of its year, a
    year at most; the year and the dates may be typed in Thai digits (๒๕๗๐)."""
    found: list[CampaignError] = []
    be = _kept(found, _year, year)
    first = _kept(found, _day, starts_on, "starts_on")
    last = _kept(found, _day, ends_on, "ends_on")
    texts = [
        _kept(found, _text, value, name, limit)
        for value, name, limit in (
            (name_th, "name_th", NAME_MAX), (name_en, "name_en", NAME_MAX),
            (slogan_th, "slogan_th", SLOGAN_MAX), (slogan_en, "slogan_en", SLOGAN_MAX),
        )
    ]  # fmt: skip
    if be is not None and first is not None:
        _kept(found, _starts_in_year, be, first)
    if first is not None and last is not None:
        _kept(found, _within_a_year, first, last)
    if found or be is None or first is None or last is None:
        return None, found
    th, en, slogan_th_text, slogan_en_text = (str(text) for text in texts)
    return Campaign(
        be, th, en, first.isoformat(), last.isoformat(), thai_midnight(first),
        thai_midnight(last + timedelta(days=1)), slogan_th_text, slogan_en_text,
    ), []  # fmt: skip


def make(
    year: int | str,
    name_th: str,
    name_en: str,
    starts_on: str,
    ends_on: str,
    slogan_th: str,
    slogan_en: str,
) -> Campaign:
    """Check a campaign's fields (``check``): the campaign, or its first refusal raised."""
    campaign, found = check(year, name_th, name_en, starts_on, ends_on, slogan_th, slogan_en)
    if campaign is None:
        raise found[0]
    return campaign


def length_in_days(campaign: Campaign) -> int:
    """How many Thai days the campaign lasts, its first and last included."""
    return (date.fromisoformat(campaign.ends_on) - date.fromisoformat(campaign.starts_on)).days + 1


def _campaign(row: Any) -> Campaign:
    year, name_th, name_en, starts_on, ends_on, starts_at, ends_at, slogan_th, slogan_en = row[:9]
    return Campaign(
        int(year), name_th, name_en, starts_on, ends_on, starts_at, ends_at, slogan_th,
        slogan_en, row[9], row[10],
    )  # fmt: skip


def add(
    store: CollectorStore, campaign: Campaign, operator: str | None = None, source: str = "cli"
) -> Campaign:
    """Define a campaign, with its audit row; refused if its year or its days are taken."""
    now = store.now()
    with store.transaction() as conn:
        refused = _clash(conn, campaign)
        if refused is None:
            if conn.dialect.name == "postgresql":
                # No batch may store votes between this campaign's fill and its commit
                # (tallies.add_to_campaigns): share mode waits for the ingests under way.
                conn.execute(sa.text("LOCK TABLE votes IN SHARE MODE"))
            conn.execute(
                sa.text(
                    f"INSERT INTO campaigns ({_COLUMNS}) VALUES (:year, :name_th, :name_en,"
                    " :starts_on, :ends_on, :starts_at, :ends_at, :slogan_th, :slogan_en,"
                    " :created_at, :created_by)"
                ),
                campaign.as_json() | {"created_at": now, "created_by": operator},
            )
            tallies.fill_campaign(conn, campaign.year, campaign.starts_at, campaign.ends_at)
            store._audit(  # the store's own audit writer, in this transaction
                conn, "campaign", "defined",
                f"campaign {campaign.year} {campaign.name_en!r} defined:"
                f" {campaign.starts_on} to {campaign.ends_on} (Thai days)",
                None, source, None, operator,
                {
                    "year": campaign.year, "name_th": campaign.name_th,
                    "name_en": campaign.name_en, "starts_on": campaign.starts_on,
                    "ends_on": campaign.ends_on,
                },
            )  # fmt: skip
            return replace(campaign, created_at=now, created_by=operator)
    raise refused


def clash(store: CollectorStore, campaign: Campaign) -> CampaignError | None:
    """Why ``add`` would refuse the campaign now (its year or its days are taken), else None;
    nothing is written (the console's check step)."""
    with store.reading() as conn:
        return _clash(conn, campaign)


def _clash(conn: Connection, campaign: Campaign) -> CampaignError | None:
    row = conn.execute(
        sa.text(
            f"SELECT {_COLUMNS} FROM campaigns WHERE year = :year"
            " OR (starts_at < :ends AND :starts < ends_at) ORDER BY year LIMIT 1"
        ),
        {"year": campaign.year, "starts": campaign.starts_at, "ends": campaign.ends_at},
    ).first()
    if row is None:
        return None
    held = _campaign(row)
    if held.year == campaign.year:
        return CampaignError(
            "campaign_exists", "campaigns.error.exists",
            f"campaign {held.year} is defined already ({held.name_en})", year=held.year,
        )  # fmt: skip
    return CampaignError(
        "campaign_overlap", "campaigns.error.overlap",
        f"its days overlap campaign {held.year} ({held.name_en}, {held.starts_on} to"
        f" {held.ends_on}); a vote can count in one campaign only",
        year=held.year, start=held.starts_on, end=held.ends_on,
    )  # fmt: skip


def as_buddhist_year(asked: str, held: list[Campaign]) -> int | None:
    """The campaign year a Christian-era year typed for one stands for (2026: 2569), when a
    campaign of that year is held; else None."""
    text = asked.strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return None
    be = int(text) + BE_OFFSET
    return be if any(c.year == be for c in held) else None


def every(store: CollectorStore) -> list[Campaign]:
    """Every campaign, the latest first."""
    with store.reading() as conn:
        rows = conn.execute(sa.text(f"SELECT {_COLUMNS} FROM campaigns ORDER BY year DESC"))
        return [_campaign(row) for row in rows]


def by_year(store: CollectorStore, year: int) -> Campaign | None:
    """The campaign of a Buddhist-era year, or None."""
    with store.reading() as conn:
        row = conn.execute(
            sa.text(f"SELECT {_COLUMNS} FROM campaigns WHERE year = :year"), {"year": year}
        ).first()
        return _campaign(row) if row else None


def current(store: CollectorStore) -> Campaign | None:
    """The campaign running now, else the latest that has started; None before any."""
    now = store.now()
    for campaign in every(store):
        if campaign.starts_at <= now:
            return campaign
    return None
