"""`sangsuk-collector campaigns`: define a year's campaign and list them (docs/operations.md)."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from collector.cli.common import (
    AddCommand,
    CliError,
    collector_key,
    command_actions,
    open_store,
)
from collector.cli.formatting import thai_day, thai_moment
from collector.cli.words import Local, helped, say
from collector.store.target import DatabaseTarget
from wire.campaign import CAMPAIGN_FILE_SUFFIX
from wire.files import write_atomically

log = logging.getLogger(__name__)


def add_parser(add: AddCommand) -> None:
    """Add the campaigns command and its actions."""
    parser = add("campaigns", "cli.help.campaigns")
    action = command_actions(parser)
    define = action("add", "cli.action.campaigns.add", "cli.action.campaigns.add_about")
    define.add_argument("--year", required=True, help=helped("cli.opt.campaigns.year"))
    define.add_argument(
        "--start", required=True, metavar="YYYY-MM-DD", help=helped("cli.opt.campaigns.start")
    )
    define.add_argument(
        "--end", required=True, metavar="YYYY-MM-DD", help=helped("cli.opt.campaigns.end")
    )
    define.add_argument("--name-th", required=True, help=helped("cli.opt.campaigns.name_th"))
    define.add_argument("--name-en", required=True, help=helped("cli.opt.campaigns.name_en"))
    define.add_argument("--slogan-th", required=True, help=helped("cli.opt.campaigns.slogan_th"))
    define.add_argument("--slogan-en", required=True, help=helped("cli.opt.campaigns.slogan_en"))
    define.set_defaults(run=run_add)
    listing = action("list", "cli.action.campaigns.list")
    listing.add_argument("--json", action="store_true", help=helped("cli.opt.json"))
    listing.set_defaults(run=run_list)
    notice = action("notice", "cli.action.campaigns.notice", "cli.action.campaigns.notice_about")
    notice.add_argument(
        "--to", required=True, type=Path, metavar="FILE", help=helped("cli.opt.campaigns.to")
    )
    notice.add_argument("--year", type=int, help=helped("cli.opt.campaigns.notice_year"))
    notice.set_defaults(run=run_notice)


def run_add(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Define a campaign; StoreError (a sentence) when a field is wrong or its days are taken."""
    from collector.store import campaigns

    campaign = campaigns.make(
        args.year, args.name_th, args.name_en, args.start, args.end, args.slogan_th,
        args.slogan_en,
    )  # fmt: skip
    with open_store(db) as store:
        campaigns.add(store, campaign, source="cli")
    log.info("campaign %s defined", campaign.year)
    say(
        "cli.campaigns.defined",
        year=campaign.year,
        name=Local(campaign.name_th, f"{campaign.name_th} ({campaign.name_en})"),
        start=thai_day(campaign.starts_on),
        end=thai_day(campaign.ends_on),
        starts_at=thai_moment(campaign.starts_at),
        ends_at=thai_moment(campaign.ends_at),
    )
    return 0


def run_list(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Print every campaign, the latest first."""
    from collector.store import campaigns

    with open_store(db) as store:
        found = campaigns.every(store)
    if args.json:
        print(json.dumps([c.as_json() for c in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        say("cli.campaigns.none")
    for c in found:
        print(f"{c.year}  {c.starts_on} .. {c.ends_on}  {c.name_th} / {c.name_en}")
        print(f"      {c.slogan_th} / {c.slogan_en}")
    return 0


def run_notice(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Write the signed notice of the current (or --year) campaign to --to."""
    from collector.notices import signed_notice

    with open_store(db) as store:
        data = signed_notice(store, collector_key(store, db), args.year)
    if data is None:
        if args.year:
            raise CliError("cli.campaigns.no_such_year", year=args.year)
        raise CliError("cli.campaigns.none_started")
    if not args.to.name.endswith(CAMPAIGN_FILE_SUFFIX):
        raise CliError("cli.campaigns.notice_name", suffix=CAMPAIGN_FILE_SUFFIX)
    try:
        write_atomically(args.to, data)
    except OSError as exc:
        raise CliError("cli.error.cannot_write", path=args.to, reason=exc.strerror or exc) from None
    say("cli.campaigns.notice_written", path=args.to)
    return 0
