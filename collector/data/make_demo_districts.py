"""Make districts-demo.csv: every district office with a demo size group.

The department decides each district's size group; this file is a *demo approximation* of that
classification, not the official one. It gives all 878 district offices (every geothai district
outside Bangkok, which has khet rather than amphoe) a size group from its number of subdistricts
(tambon): small up to 8, medium 9 to 14, large 15 or more. That yields 533 small, 250 medium and
95 large, and puts the 2021 winners where they won: Hua Taphan 3706 small (8 subdistricts),
Phayakkhaphum Phisai 4408 medium (14), Sawang Daen Din 4712 large (16).

The file is UTF-8 with a byte order mark, so Excel shows the Thai names; only ``code`` and
``size_group`` are read when it is loaded, the other columns are for a person reading it.

Regenerate it (after a geothai update) with::

    uv run python -m collector.data.make_demo_districts
"""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path
from typing import Final

import geothai

from wire.districts import BANGKOK_PROVINCE, valid_district

FILE_NAME: Final = "districts-demo.csv"
SMALL_MAX: Final = 8
MEDIUM_MAX: Final = 14
COLUMNS: Final = (
    "code",
    "size_group",
    "subdistricts",
    "name_th",
    "name_en",
    "province_th",
    "province_en",
)


def size_group_for(subdistricts: int) -> str:
    """The demo size group for a district with this many subdistricts."""
    if subdistricts <= SMALL_MAX:
        return "small"
    if subdistricts <= MEDIUM_MAX:
        return "medium"
    return "large"


def demo_rows() -> list[dict[str, str]]:
    """One row per district office, in code order."""
    rows = []
    for province in geothai.provinces():
        if province.code == BANGKOK_PROVINCE:
            continue
        for district in geothai.districts(province.code):
            if not valid_district(district.code):
                continue
            count = len(geothai.subdistricts(district.code))
            rows.append(
                {
                    "code": district.code,
                    "size_group": size_group_for(count),
                    "subdistricts": str(count),
                    "name_th": district.name_th,
                    "name_en": district.name_en,
                    "province_th": province.name_th,
                    "province_en": province.name_en,
                }
            )
    return sorted(rows, key=lambda r: r["code"])


def render() -> bytes:
    """The demo CSV's exact bytes: UTF-8 with BOM, a header, one line per district."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(demo_rows())
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def demo_path() -> Path:
    """Where the bundled demo CSV lives in the source tree."""
    return Path(__file__).with_name(FILE_NAME)


def main(argv: list[str] | None = None) -> int:
    """Write the demo CSV (or, with --check, tell whether it is up to date)."""
    parser = argparse.ArgumentParser(description="Make the bundled demo district CSV.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    data, path = render(), demo_path()
    if args.check:
        current = path.read_bytes() if path.exists() else b""
        print(f"{path} is {'up to date' if current == data else 'OUT OF DATE'}")
        return 0 if current == data else 1
    path.write_bytes(data)
    print(f"wrote {path}: {len(demo_rows())} districts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
