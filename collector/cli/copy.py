"""`sangsuk-collector copy --to URL`: move a collector database (SQLite into PostgreSQL).

Every stored batch is verified again before anything is written (collector/store/copying.py);
the collector key goes along to the new database's home when none is there, so the kiosks'
pinned key keeps signing their receipts.
"""

from __future__ import annotations

import argparse
import logging
import sys

from collector.cli.common import PROG, AddCommand, CliError, chosen_database, open_store
from collector.cli.words import Count, helped, lines, say
from collector.keys import collector_key_path
from collector.store.target import DatabaseTarget
from wire.files import make_private_dir, write_atomically

log = logging.getLogger(__name__)


def add_parser(add: AddCommand) -> None:
    """Add the copy command."""
    copy = add("copy", "cli.help.copy")
    copy.add_argument(
        "--to",
        required=True,
        metavar="PATH|URL",
        help=helped("cli.opt.copy.to"),
    )
    copy.set_defaults(run=run)


def run(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Copy --db into --to, then say where the key is and how to serve the new database."""
    to = chosen_database(args.to)
    if to.url == db.url:
        raise CliError("cli.copy.same_database")

    def progress(step: str, n: int) -> None:
        if n % 1000 == 0:
            said = "cli.copy.verified" if step == "verified" else "cli.copy.copied"
            for line in lines(said, n=n):
                print(line, file=sys.stderr)

    from collector.store.copying import copy_database

    with open_store(db) as source, open_store(to, create=True) as target:
        done = copy_database(source, target, progress)

    key_from, key_to = collector_key_path(db), collector_key_path(to)
    if key_from.exists() and not key_to.exists():
        make_private_dir(key_to.parent)
        write_atomically(key_to, key_from.read_bytes())
        log.info("copied the collector key %s to %s", key_from, key_to)
    say(
        "cli.copy.done",
        votes=Count(done.votes, "vote"),
        batches=Count(done.batches, "batch"),
        kiosks=Count(done.kiosks, "kiosk"),
        quarantined=Count(done.quarantined, "quarantined_vote"),
        audit=Count(done.audit_rows, "audit_row"),
        to=to,
    )
    say("cli.copy.key", path=key_to)
    say("cli.copy.serve", prog=PROG)
    return 0
