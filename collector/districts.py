"""The districts table the central office loads: size groups from a CSV, and the bundled demo.

The department sends its classification as a spreadsheet; ``parse_districts_csv`` reads it as
exported (UTF-8, with or without a byte order mark, comma, semicolon or tab) and names every
problem by line, so a clerk can fix the file and load it again. Nothing here touches the
database: the store loads the rows (``CollectorStore.load_districts``).
"""

from __future__ import annotations

import csv
import io
from importlib import resources
from typing import Final

import geothai

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


def demo_csv() -> bytes:
    """The bundled demo classification (collector/data/districts-demo.csv)."""
    return resources.files("collector.data").joinpath(DEMO_CSV).read_bytes()


def district_names() -> dict[str, str]:
    """Every district office's name in Thai and English, by code, for the awards text."""
    rows, _ = parse_districts_csv(demo_csv())
    return {
        code: f"{d.name_th} ({d.name_en})"
        for code, _ in rows
        if (d := geothai.district(code)) is not None
    }


def parse_districts_csv(data: bytes) -> tuple[list[tuple[str, str]], list[str]]:
    """Read (code, size_group) rows from CSV bytes; return them and every problem, by line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [
            "The file is not UTF-8 text; in Excel save it as `CSV UTF-8 (Comma delimited)`."
        ]
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        return [], ["The file is empty; it needs a header line `code,size_group`."]
    names = [h.strip().lower().replace(" ", "_").replace("-", "_") for h in header]
    if "code" not in names or "size_group" not in names:
        return [], [
            "Line 1 must name the columns `code` and `size_group` (found: "
            + (", ".join(h.strip() for h in header if h.strip()) or "nothing")
            + ")."
        ]
    code_at, group_at = names.index("code"), names.index("size_group")
    rows: list[tuple[str, str]] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        code = record[code_at].strip() if code_at < len(record) else ""
        raw_group = record[group_at].strip() if group_at < len(record) else ""
        group = _GROUP_WORDS.get(raw_group.lower())
        problems = []
        if not valid_district(code):
            if not code:
                problems.append("the code is empty")
            elif code[:2] == BANGKOK_PROVINCE and geothai.district(code):
                problems.append(f"{code} is a Bangkok khet, not an amphoe office")
            else:
                problems.append(f"{code!r} is not the code of a district office")
        elif code in seen:
            problems.append(f"district {code} is already on line {seen[code]}")
        if group is None:
            problems.append(
                f"the size group must be small, medium or large, not {raw_group!r}"
                if raw_group
                else "the size group is empty"
            )
        if problems:
            errors.append(f"Line {line}: " + "; ".join(problems) + ".")
            continue
        assert group is not None
        seen[code] = line
        rows.append((code, group))
    if not rows and not errors:
        errors.append("The file has a header but no districts.")
    return rows, errors
