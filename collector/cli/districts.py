"""`sangsuk-collector districts`: load the size groups from a CSV, or list the loaded districts.

The CSV is read by collector/districts.py; this command prints its problems, or loads it.
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
    districts.set_defaults(run=run)


def run(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Load size groups from a CSV, or list the loaded districts."""
    if args.load is None:
        with open_store(db) as store:
            return _list_districts(store)
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
        done = store.load_districts(rows, demo=args.load == DEMO)
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
    if args.load == DEMO:
        say("cli.districts.demo_note")
    return 0


def _list_districts(store: CollectorStore) -> int:
    districts = store.report()["districts"]
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
