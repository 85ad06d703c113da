"""`sangsuk-collector token`: a one-time enrollment token for a district's kiosk."""

from __future__ import annotations

import argparse
import logging

import geothai

from collector.cli.common import AddCommand, CliError, collector_key, open_store
from collector.cli.words import Count, Local, helped, say
from collector.store.target import DatabaseTarget
from wire.districts import BANGKOK_PROVINCE, valid_district

log = logging.getLogger(__name__)


def add_parser(add: AddCommand) -> None:
    """Add the token command."""
    token = add("token", "cli.help.token")
    token.add_argument(
        "--district", required=True, metavar="CODE", help=helped("cli.opt.token.district")
    )
    token.add_argument(
        "--void",
        action="store_true",
        help=helped("cli.opt.token.void"),
    )
    token.set_defaults(run=run)


def run(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Issue a one-time enrollment token; the token alone is the last line printed."""
    code = str(args.district).strip()
    if not valid_district(code):
        khet = code[:2] == BANGKOK_PROVINCE and geothai.district(code)
        raise CliError("cli.token.bangkok" if khet else "cli.token.bad_district", code=repr(code))
    if args.void:
        return _void(code, db)
    with open_store(db) as store:
        key = collector_key(store, db)  # the key a kiosk pins at enrollment exists before
        token = store.issue_token(code)
    district = geothai.district(code)
    province = geothai.province(code[:2])
    if district is None or province is None:  # pragma: no cover - valid_district checked it
        raise CliError("cli.token.not_in_geothai", code=code)
    log.info("issued an enrollment token for district %s", code)
    say(
        "cli.token.issued",
        code=code,
        district=Local(district.name_th, f"{district.name_th} ({district.name_en})"),
        province=Local(province.name_th, f"{province.name_th} ({province.name_en})"),
        fingerprint=key.fingerprint,
    )
    print(token)
    return 0


def _void(code: str, db: DatabaseTarget) -> int:
    """Void the district's unused tokens; 1 when there was none to void."""
    with open_store(db) as store:
        voided = store.void_tokens(code)
    if not voided:
        say("cli.token.none_to_void", code=code)
        return 1
    log.info("voided %d unused enrollment tokens of district %s", voided, code)
    say("cli.token.voided", tokens=Count(voided, "unused_token"), code=code)
    return 0
