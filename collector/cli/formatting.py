"""How the commands lay things out in a terminal: tables with Thai in them, Thai time, ranges.

Times are shown in Thai time (UTC+7), as the pages show them; "how long ago" is the pages' own
English wording (``Translator.ago``), so the two never drift apart.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime

import geothai

from collector.cli.words import Local
from collector.i18n import Translator
from wire.clock import thai_time_text
from wire.receipt import Ranges


def thai_time(stamp: str | None) -> str:
    """A protocol UTC timestamp as Thai time for a person, e.g. 2026-11-24 10:00."""
    if not stamp:
        return "never"
    try:
        return thai_time_text(stamp)
    except ValueError:
        return stamp


def thai_moment(stamp: str) -> Local:
    """A protocol UTC timestamp for a line said in each language: in Thai as the console says
    it (6 ธ.ค. 2569 09:28, Thai time, Buddhist-era year; the line adds น.), in English as
    the protocol has it (ISO, its Z saying UTC)."""
    return Local(Translator("th").when(stamp), stamp)


def thai_day(iso_day: str) -> Local:
    """A Thai calendar day (YYYY-MM-DD, a campaign's first or last): in Thai as the console
    says it (1 พ.ย. 2569, Buddhist era), in English as it is (ISO, Christian era)."""
    return Local(Translator("th").full_day(iso_day), iso_day)


def ago(stamp: str | None, now: datetime) -> str:
    """How long before now a timestamp was, e.g. 5 min ago (empty when unknown)."""
    return str(Translator("en").ago(stamp, now))


def ranges_text(ranges: Ranges) -> str:
    """Seq ranges as 1-5, 8 (a dash when there are none)."""
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in ranges) or "-"


def district_label(code: str) -> str:
    """A district code with its Thai name, e.g. 3706 หัวตะพาน."""
    district = geothai.district(code)
    return f"{code} {district.name_th}" if district else code


def width(text: str) -> int:
    """Columns a string takes in a terminal (Thai vowel and tone marks take none)."""
    total = 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def table(
    headers: Sequence[Sequence[str]], rows: Sequence[Sequence[str]], right: str = ""
) -> list[str]:
    """Lay rows out in columns under a row of titles per language (words.headers); columns
    whose index is in ``right`` are right-aligned."""
    widths = [0] * len(headers[0])
    for row in [*headers, *rows]:
        widths = [max(w, width(c)) for w, c in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = []
        for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
            pad = " " * (w - width(cell))
            parts.append(pad + cell if str(i) in right else cell + pad)
        return "  ".join(parts).rstrip()

    return [*map(line, headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]
