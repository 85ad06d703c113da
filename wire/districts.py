"""District offices and their size groups, as both programs name them.

A district is the department's 4-digit code of a district office (amphoe), from geothai; the
central office puts each district in one of three size groups, and awards are given per group.
"""

from __future__ import annotations

import functools
from typing import Final

import geothai

BANGKOK_PROVINCE: Final = "10"  # Bangkok has district offices of its own (khet), not amphoe
SIZE_GROUPS: Final = ("small", "medium", "large")


@functools.cache
def _district_office(code: str) -> bool:
    found = geothai.district(code)
    return found is not None and found.province_code != BANGKOK_PROVINCE


def valid_district(code: str) -> bool:
    """Tell whether code is the department's 4-digit code of a district office (amphoe)."""
    if not isinstance(code, str) or len(code) != 4 or not code.isascii() or not code.isdigit():
        return False
    return _district_office(code)  # at most 10,000 four-digit codes, each looked up once
