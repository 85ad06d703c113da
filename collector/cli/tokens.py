"""`sangsuk-collector token`: a one-time enrollment token for a district's kiosk."""

from __future__ import annotations

import argparse
import logging

import geothai

from collector.cli.common import AddCommand, CliError, collector_key, open_store
from collector.store.target import DatabaseTarget
from wire.districts import BANGKOK_PROVINCE, valid_district

log = logging.getLogger(__name__)


def add_parser(add: AddCommand) -> None:
    """Add the token command."""
    token = add("token", "issue a one-time enrollment token for a district's kiosk")
    token.add_argument("--district", required=True, metavar="CODE", help="4-digit district code")
    token.set_defaults(run=run)


def run(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Issue a one-time enrollment token; the token alone is the last line printed."""
    code = str(args.district).strip()
    if not valid_district(code):
        where = (
            " (a Bangkok khet; the campaign covers amphoe offices)"
            if code[:2] == BANGKOK_PROVINCE and geothai.district(code)
            else ""
        )
        raise CliError(f"{code!r} is not the 4-digit code of a district office{where}.")
    with open_store(db) as store:
        collector_key(store, db)  # the key a kiosk pins at enrollment exists before it enrolls
        token = store.issue_token(code)
    district = geothai.district(code)
    province = geothai.province(code[:2])
    if district is None or province is None:  # pragma: no cover - valid_district checked it
        raise CliError(f"District {code} is not in geothai.")
    log.info("issued an enrollment token for district %s", code)
    print(
        f"One-time enrollment token for district {code} {district.name_th} ({district.name_en}), "
        f"{province.name_th} ({province.name_en}). It enrolls one kiosk, once; give it to the "
        "district clerk by a trusted channel:"
    )
    print(token)
    return 0
