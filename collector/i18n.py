"""The web pages' words in Thai (the default) and English, one JSON catalogue per language.

Why JSON catalogues and not gettext or Qt's .ts: the kiosk's Qt strings live in
ui/assets/translations/*.ts, which only Qt tools read. For Jinja2, gettext would need compiled
``.mo`` files and Babel (or GNU msgfmt) to extract and build them, a build step and a tool the
project does not otherwise have. A flat JSON file per language (``translations/th.json``,
``translations/en.json``) is read with the standard library, reviewed as plain text by a Thai
speaker, and kept complete by a test (tests/collector/test_web_i18n.py): both files have exactly the
same keys, no value is empty, the placeholders match, and every key a template uses exists.
Keys are short English names (``nav.overview``); values may hold ``{name}`` placeholders,
filled with ``str.format``.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Final

from markupsafe import Markup, escape

from wire.clock import THAI_TIME, parse_utc

LANGUAGES: Final = ("th", "en")
# (below this many seconds, the unit's key, its seconds): two minutes and more read as minutes,
# two hours as hours, two days as days.
_DURATION_UNITS: Final = (
    (120, "seconds", 1),
    (2 * 3600, "minutes", 60),
    (2 * 86400, "hours", 3600),
    (float("inf"), "days", 86400),
)
DEFAULT_LANGUAGE: Final = "th"
CATALOGUE_DIR: Final = Path(__file__).resolve().parent / "translations"
log = logging.getLogger(__name__)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The catalogue of one language (read once)."""
    if lang not in LANGUAGES:
        raise ValueError(f"no catalogue for language {lang!r}")
    data = json.loads((CATALOGUE_DIR / f"{lang}.json").read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ValueError(f"the {lang} catalogue must be an object of strings")
    return data


class Translator:
    """Looks words up in one language's catalogue and formats numbers and times for it."""

    def __init__(self, lang: str) -> None:
        """A translator for lang (th or en)."""
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        self._words = catalogue(self.lang)

    def __call__(self, key: str, **values: Any) -> Markup:
        """The text of key in this language, with {placeholders} filled from values.

        The catalogue's text is escaped, and so is every value unless it is already Markup
        (e.g. a ``<code>`` a template made), so the result is safe HTML.
        """
        text = self._words.get(key)
        if text is None:  # a test keeps this from happening; never fail a page for it
            log.warning("no %s translation for %r", self.lang, key)
            text = catalogue("en").get(key, key)
        return escape(text).format(**values) if values else escape(text)

    def has(self, key: str) -> bool:
        """True when the catalogue has key (for words made from data, e.g. audit kinds)."""
        return key in self._words

    def number(self, value: float, decimals: int = 0) -> str:
        """A number with thousands separators (the same in Thai and English)."""
        return f"{value:,.{decimals}f}"

    def when(self, stamp: str | None, *, with_time: bool = True) -> str:
        """A protocol UTC timestamp as Thai local time, e.g. 24 พ.ย. 2569 10:00 / 24 Nov 2026 10:00."""
        if not stamp:
            return self("time.never")
        try:
            moment = parse_utc(stamp).astimezone(THAI_TIME)
        except ValueError:
            return stamp
        return self.date(moment) + (f" {moment:%H:%M}" if with_time else "")

    def date(self, moment: datetime) -> str:
        """A calendar day: Thai years are Buddhist Era (CE + 543), as Thai readers expect."""
        year = moment.year + int(self("date.year_offset"))
        return f"{moment.day} {self(f'month.{moment.month}')} {year}"

    def day(self, iso_day: str) -> str:
        """A YYYY-MM-DD day as a short label, e.g. 24 พ.ย. / 24 Nov."""
        try:
            moment = datetime.strptime(iso_day, "%Y-%m-%d")
        except ValueError:
            return iso_day
        return f"{moment.day} {self(f'month.{moment.month}')}"

    def full_day(self, iso_day: str) -> str:
        """A YYYY-MM-DD day with its year, e.g. 24 พ.ย. 2569 / 24 Nov 2026 (a campaign's days)."""
        try:
            return self.date(datetime.strptime(iso_day, "%Y-%m-%d"))
        except ValueError:
            return iso_day

    def duration(self, seconds: float, *, signed: bool = False) -> str:
        """A length of time in the unit a reader takes in at a glance: s, min, h or days."""
        size = abs(seconds)
        unit, per = next((u, p) for limit, u, p in _DURATION_UNITS if size < limit)
        sign = ("-" if seconds < 0 else "+") if signed else ""
        return self(f"time.{unit}", n=sign + self.number(round(size / per)))

    def ago(self, stamp: str | None, now: datetime) -> str:
        """How long ago a timestamp was, in words; one later than now (a clock set back, or
        data made elsewhere) says by how much, not "0 min ago"."""
        if not stamp:
            return ""
        try:
            seconds = (now - parse_utc(stamp)).total_seconds()
        except ValueError:
            return ""
        if seconds < -60:
            return self("time.ahead", by=self.duration(-seconds))
        if seconds < 3600:
            return self("time.minutes_ago", n=max(0, int(seconds // 60)))
        if seconds < 2 * 86400:
            return self("time.hours_ago", n=int(seconds // 3600))
        return self("time.days_ago", n=int(seconds // 86400))
