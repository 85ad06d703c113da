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
from collector.cli.words import Phrase, problems
from collector.districts import DEMO, DEMO_CSV, demo_csv, parse_districts_csv
from collector.recount import counted
from collector.store.target import DatabaseTarget
from wire.districts import SIZE_GROUPS

if TYPE_CHECKING:
    from collector.store import CollectorStore

log = logging.getLogger(__name__)


def add_parser(add: AddCommand) -> None:
    """Add the districts command."""
    districts = add("districts", "list districts, or load their size groups from a CSV")
    districts.add_argument(
        "--load",
        metavar="CSV",
        help=f"CSV with columns code,size_group; `{DEMO}` loads the bundled demo classification",
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
        count = store.load_districts(rows)
        report = store.report()
    groups = {g: sum(1 for _, group in rows if group == g) for g in SIZE_GROUPS}
    log.info("loaded %d districts from %s", count, source)
    print(
        f"Loaded {count} districts from {source}: "
        + ", ".join(f"{groups[g]} {g}" for g in SIZE_GROUPS)
        + f". {len(report['districts'])} district offices now have a size group."
    )
    if args.load == DEMO:
        print(
            "Note: the demo groups come from the number of subdistricts; they are not the "
            "department's official classification."
        )
    return 0


def _list_districts(store: CollectorStore) -> int:
    districts = store.report()["districts"]
    if not districts:
        print(f"No districts are loaded; run `{PROG} districts --load CSV` (or `--load {DEMO}`).")
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
    for line in table(("code", "district", "", "province", "size group", "kiosks"), rows, "5"):
        print(line)
    counts = {g: sum(1 for d in districts if d["size_group"] == g) for g in SIZE_GROUPS}
    print(
        f"{counted(len(districts), 'district')}: "
        + ", ".join(f"{counts[g]} {g}" for g in SIZE_GROUPS)
        + f"; {counted(sum(d['kiosks'] for d in districts), 'kiosk')} enrolled."
    )
    return 0
