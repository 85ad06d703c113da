"""`sangsuk-collector districts`: load the size groups from a CSV, or list the loaded districts.

The CSV is read by collector/districts.py; this command prints its problems, or loads it. A
load applies from a campaign on (``--from-campaign``, by default the first that has not ended);
the campaigns before keep their groups (collector/store/classification.py), and ``--campaign``
lists the groups one campaign is ranked in.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from collector.cli.common import (
    MAX_ROW_ERRORS_SHOWN,
    PROG,
    AddCommand,
    CliError,
    chosen_campaign,
    collector_key,
    open_store,
    read_file,
)
from collector.cli.formatting import table
from collector.cli.words import Count, Local, Phrase, group, headers, helped, joined, problems, say
from collector.districts import DEMO, DEMO_CSV, demo_csv, parse_districts_csv
from collector.store.target import DatabaseTarget
from wire.districts import SIZE_GROUPS

if TYPE_CHECKING:
    from collector.store import CollectorStore

log = logging.getLogger(__name__)


def add_parser(add: AddCommand) -> None:
    """Add the districts command."""
    districts = add("districts", "cli.help.districts")
    districts.add_argument(
        "--load",
        metavar="CSV",
        help=helped("cli.opt.districts.load", demo=DEMO),
    )
    districts.add_argument(
        "--from-campaign",
        metavar="YEAR",
        help=helped("cli.opt.districts.from_campaign"),
    )
    districts.add_argument(
        "--campaign",
        metavar="YEAR",
        help=helped("cli.opt.districts.campaign"),
    )
    districts.set_defaults(run=run)


def _year(text: str | None) -> int | None:
    """A Buddhist-era campaign year as typed, or None; CliError when it is not one."""
    from collector.store.campaigns import YEARS

    if text is None:
        return None
    try:
        year = int(text)
    except ValueError:
        year = 0
    if year not in YEARS:
        raise CliError("cli.districts.bad_year", year=text, first=YEARS[0], last=YEARS[-1])
    return year


def run(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Load size groups from a CSV, or list the loaded districts."""
    if args.load is None:
        if args.from_campaign is not None:
            raise CliError("cli.districts.from_without_load")
        with open_store(db) as store:
            chosen = chosen_campaign(store, args.campaign) if args.campaign is not None else None
            return _list_districts(store, chosen.year if chosen else None)
    if args.campaign is not None:
        raise CliError("cli.districts.campaign_with_load")
    applies_from = _year(args.from_campaign)
    source: Phrase | str
    if args.load == DEMO:
        data = demo_csv()
        source = Phrase("cli.districts.demo_source", file=DEMO_CSV)
    else:
        path = Path(args.load)
        data = read_file(path)
        source = str(path)
    rows, errors = parse_districts_csv(data)
    if errors:
        for message in errors[:MAX_ROW_ERRORS_SHOWN]:
            log.error("%s: %s", source, message)
        problems(Phrase("cli.districts.problems", source=source), errors, MAX_ROW_ERRORS_SHOWN)
        raise CliError("cli.districts.not_loaded", source=source, n=len(errors))
    with open_store(db, create=True) as store:
        collector_key(store, db)  # made with the database, before any kiosk can pin it
        done = store.load_districts(rows, demo=args.load == DEMO, applies_from=applies_from)
        report = store.report()
    groups = {g: sum(1 for _, group in rows if group == g) for g in SIZE_GROUPS}
    log.info("loaded %d districts from %s", done.count, source)
    say(
        "cli.districts.loaded",
        count=done.count,
        source=source,
        groups=_group_counts(groups),
        offices=len(report["districts"]),
    )
    say(
        "cli.districts.changes",
        added=len(done.added),
        moved=len(done.moved),
        unchanged=done.unchanged,
    )
    scope = done.scope
    if scope.keeping and not scope.following:
        say("groups.scope_later", kept=_years(scope.keeping))
    elif scope.keeping:
        say("groups.scope_keeping", start=scope.applies_from, kept=_years(scope.keeping))
    elif scope.following:
        say("groups.scope_every", campaigns=_years(scope.following))
    if args.load == DEMO:
        say("cli.districts.demo_note")
    return 0


def _years(years: tuple[int, ...]) -> str:
    return ", ".join(map(str, years))


def _list_districts(store: CollectorStore, campaign: int | None) -> int:
    districts = store.report(campaign)["districts"]
    if campaign is not None and districts:
        from collector.store import classification

        with store.reading() as conn:
            own = campaign in classification.own(conn)
        say(
            "cli.districts.campaign_own" if own else "cli.districts.campaign_current", year=campaign
        )
    if not districts:
        say("cli.districts.none", prog=PROG, demo=DEMO)
        return 0
    rows = [
        [
            d["code"],
            d["name_th"],
            d["name_en"],
            d["province_en"],
            d["size_group"],
            str(d["kiosks"]),
        ]
        for d in districts
    ]
    titles = headers(
        "cli.col.code", "cli.col.district", "", "cli.col.province", "cli.col.size_group",
        "cli.col.kiosks",
    )  # fmt: skip
    for line in table(titles, rows, "5"):
        print(line)
    counts = {g: sum(1 for d in districts if d["size_group"] == g) for g in SIZE_GROUPS}
    say(
        "cli.districts.total",
        districts=Count(len(districts), "district"),
        groups=_group_counts(counts),
        kiosks=Count(sum(d["kiosks"] for d in districts), "kiosk"),
    )
    return 0


def _group_counts(counts: dict[str, int]) -> Local:
    """How many districts each size group has: 533 small, 230 medium, 115 large."""
    said = [Phrase("cli.districts.group_count", group=group(g), n=counts[g]) for g in SIZE_GROUPS]
    return joined(said, en=", ")
