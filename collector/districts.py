"""The districts table the central office loads: size groups from a CSV, and the bundled demo.

The department sends its classification as a spreadsheet; ``parse_districts_csv`` reads it as
exported (UTF-8, with or without a byte order mark, comma, semicolon or tab) and names every
problem by line, so a clerk can fix the file and load it again. Nothing here touches the
database: the store loads the rows (``CollectorStore.load_districts``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Final

import geothai

from collector.i18n import catalogue
from wire.districts import BANGKOK_PROVINCE, valid_district

DEMO: Final = "demo"  # what `--load demo` and `--districts demo` name
DEMO_CSV: Final = "districts-demo.csv"
# Size groups as a spreadsheet from the department may write them.
_GROUP_WORDS: Final = {
    "small": "small",
    "medium": "medium",
    "large": "large",
    "เล็ก": "small",
    "ขนาดเล็ก": "small",
    "กลาง": "medium",
    "ขนาดกลาง": "medium",
    "ใหญ่": "large",
    "ขนาดใหญ่": "large",
}


# The header's names as a spreadsheet typed in Thai may write them.
_COLUMNS: Final = {
    "รหัส": "code",
    "รหัสอำเภอ": "code",
    "ขนาด": "size_group",
    "กลุ่มขนาด": "size_group",
    "ขนาดอำเภอ": "size_group",
    "กลุ่มขนาดอำเภอ": "size_group",
}


def _column(name: str) -> str:
    """A header cell as a column name: trimmed, lower case, spaces and dashes as underscores."""
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def demo_csv() -> bytes:
    """The bundled demo classification (collector/data/districts-demo.csv)."""
    return resources.files("collector.data").joinpath(DEMO_CSV).read_bytes()


@cache
def demo_groups() -> dict[str, str]:
    """The bundled demo's size group of each district office, by code."""
    return dict(parse_districts_csv(demo_csv())[0])


def district_names() -> dict[str, str]:
    """Every district office's name in Thai and English, by code, for the awards text."""
    rows, _ = parse_districts_csv(demo_csv())
    return {
        code: f"{d.name_th} ({d.name_en})"
        for code, _ in rows
        if (d := geothai.district(code)) is not None
    }


@dataclass(frozen=True, slots=True)
class Fault:
    """One thing wrong in a districts CSV: its words' key (``districts_csv.<key>``) and facts."""

    key: str
    facts: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CsvProblem:
    """What is wrong with a districts CSV: the whole file (line None), or one line's faults."""

    line: int | None
    faults: tuple[Fault, ...]

    def in_language(self, lang: str) -> str:
        """The problem in Thai or English words, from the console's catalogue."""
        words = catalogue(lang)
        said = [words[f"districts_csv.{f.key}"].format(**f.facts) for f in self.faults]
        if self.line is None:
            return " ".join(said)
        joined = words["districts_csv.and"].join(said)
        return words["districts_csv.line"].format(line=self.line, problems=joined)

    def __str__(self) -> str:
        return self.in_language("en")


# Every fault a districts CSV can have (the words: districts_csv.<fault>); each is made by a test
# (tests/collector/test_size_groups.py; the console upload's two are worded there).
FAULTS: Final = (
    "not_utf8",
    "empty",
    "no_columns",
    "no_column_names",
    "no_districts",
    "code_empty",
    "bangkok",
    "not_a_district",
    "repeated",
    "group_empty",
    "bad_group",
    "unreadable",
    "too_large",  # the console's upload (routes/size_groups.py)
    "unreadable_upload",
)


def whole_file(key: str, **facts: object) -> CsvProblem:
    """A problem of the whole file (no line), worded by ``districts_csv.<key>``."""
    return CsvProblem(None, (Fault(key, facts),))


def parse_districts_csv(data: bytes) -> tuple[list[tuple[str, str]], list[CsvProblem]]:
    """Read (code, size_group) rows from CSV bytes; return them and every problem, by line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [whole_file("not_utf8")]
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None:
            return [], [whole_file("empty")]
        names = [_COLUMNS.get(n, n) for n in (_column(h) for h in header)]
        if "code" not in names or "size_group" not in names:
            found = ", ".join(h.strip() for h in header if h.strip())
            return [], [
                whole_file("no_columns", found=found) if found else whole_file("no_column_names")
            ]
        return _rows(reader, names.index("code"), names.index("size_group"))
    except csv.Error as exc:  # a NUL byte, or a field the csv module will not read
        return [], [CsvProblem(reader.line_num, (Fault("unreadable", {"why": str(exc)}),))]


def _rows(
    reader: Any, code_at: int, group_at: int
) -> tuple[list[tuple[str, str]], list[CsvProblem]]:
    """The district rows after the header, and each line's faults."""
    rows: list[tuple[str, str]] = []
    errors: list[CsvProblem] = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        code = record[code_at].strip() if code_at < len(record) else ""
        raw_group = record[group_at].strip() if group_at < len(record) else ""
        group = _GROUP_WORDS.get(raw_group.lower())
        faults = []
        if not valid_district(code):
            if not code:
                faults.append(Fault("code_empty"))
            elif code[:2] == BANGKOK_PROVINCE and geothai.district(code):
                faults.append(Fault("bangkok", {"code": code}))
            else:
                faults.append(Fault("not_a_district", {"code": code}))
        elif code in seen:
            faults.append(Fault("repeated", {"code": code, "first": seen[code]}))
        if group is None:
            faults.append(
                Fault("bad_group", {"group": raw_group}) if raw_group else Fault("group_empty")
            )
        if faults:
            errors.append(CsvProblem(line, tuple(faults)))
            continue
        assert group is not None
        seen[code] = line
        rows.append((code, group))
    if not rows and not errors:
        errors.append(whole_file("no_districts"))
    return rows, errors
