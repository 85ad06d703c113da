"""`sangsuk-collector campaigns`: define a year's campaign and list them (docs/operations.md)."""

from __future__ import annotations

import argparse
import json
import logging

from collector.cli.common import AddCommand, open_store
from collector.store import campaigns
from collector.store.target import DatabaseTarget

log = logging.getLogger(__name__)


def add_parser(add: AddCommand) -> None:
    """Add the campaigns command and its actions."""
    parser = add("campaigns", "define a year's campaign (its period, names and slogan); list them")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    define = actions.add_parser(
        "add",
        help="define a campaign",
        description="Define a campaign: a Buddhist-era year, its first and last Thai day"
        " (included), its names and the slogan the kiosks show. It cannot overlap another.",
    )
    define.add_argument("--year", required=True, help="Buddhist-era year, e.g. 2569")
    define.add_argument("--start", required=True, metavar="YYYY-MM-DD", help="first Thai day")
    define.add_argument("--end", required=True, metavar="YYYY-MM-DD", help="last Thai day")
    define.add_argument("--name-th", required=True, help="the campaign's name in Thai")
    define.add_argument("--name-en", required=True, help="the campaign's name in English")
    define.add_argument("--slogan-th", required=True, help="the kiosks' slogan in Thai")
    define.add_argument("--slogan-en", required=True, help="the kiosks' slogan in English")
    define.set_defaults(run=run_add)
    listing = actions.add_parser("list", help="list the campaigns, the latest first")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(run=run_list)


def run_add(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Define a campaign; StoreError (a sentence) when a field is wrong or its days are taken."""
    campaign = campaigns.make(
        args.year, args.name_th, args.name_en, args.start, args.end, args.slogan_th,
        args.slogan_en,
    )  # fmt: skip
    with open_store(db) as store:
        campaigns.add(store, campaign, source="cli")
    log.info("campaign %s defined", campaign.year)
    print(
        f"Campaign {campaign.year} {campaign.name_th} ({campaign.name_en}) defined:"
        f" {campaign.starts_on} to {campaign.ends_on}, Thai days included"
        f" ({campaign.starts_at} to {campaign.ends_at} UTC)."
    )
    return 0


def run_list(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Print every campaign, the latest first."""
    with open_store(db) as store:
        found = campaigns.every(store)
    if args.json:
        print(json.dumps([c.as_json() for c in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("No campaign is defined; define one with `campaigns add`.")
    for c in found:
        print(f"{c.year}  {c.starts_on} .. {c.ends_on}  {c.name_th} / {c.name_en}")
        print(f"      {c.slogan_th} / {c.slogan_en}")
    return 0
