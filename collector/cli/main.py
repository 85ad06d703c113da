"""The parser of `sangsuk-collector` and ``main``: run one command, any failure as one sentence."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
from pathlib import Path

from collector.cli import (
    campaigns,
    copy,
    districts,
    kiosks,
    report,
    serve,
    stick_import,
    tokens,
    users,
)
from collector.cli.common import (
    PROG,
    CliError,
    Command,
    chosen_database,
    db_option,
    sentence,
)
from collector.store import DatabaseTarget, StoreError
from wire.files import PrivateRotatingFileHandler, make_private_dir
from wire.keys import KeyFileError

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of `sangsuk-collector`."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Sangsuk central collector: enroll kiosks, receive batches, count votes.",
        epilog="See docs/operations.md for the central office's procedures.",
    )
    db_option(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text[:1].upper() + help_text[1:])
        db_option(p, argparse.SUPPRESS)
        return p

    # In the order `--help` lists them.
    serve.add_parser(add)
    tokens.add_parser(add)
    districts.add_parser(add)
    kiosks.add_parsers(add)  # kiosks, revoke
    stick_import.add_parser(add)
    copy.add_parser(add)
    report.add_report_parser(add)
    kiosks.add_audit_parser(add)
    campaigns.add_parser(add)
    report.add_results_parsers(add)  # awards, publish, recount
    users.add_parser(add)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run `sangsuk-collector`; return the process exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error argparse has already explained
        return exc.code if isinstance(exc.code, int) else 2
    creates = (
        args.command == "serve"
        or (args.command == "districts" and args.load is not None)
        or (args.command == "users" and args.action == "add")
    )
    run: Command = args.run
    try:
        db = chosen_database(args.db)
        _setup_logging(db, create=creates)
        return run(args, db)
    except CliError as exc:
        return _fail(str(exc), exc.exit_code)
    except StoreError as exc:
        return _fail(sentence(str(exc)), 2)
    except KeyFileError as exc:
        return _fail(f"The collector key cannot be used: {exc}", 2)
    except KeyboardInterrupt:
        return _fail("Interrupted.", 130)
    except BrokenPipeError:  # e.g. `report | head`: the reader has all it wanted
        _silence_stdout()
        return 0
    except Exception as exc:  # the promise: a sentence and a log entry, never a traceback
        log.exception("%s %s failed", PROG, args.command)
        return _fail(
            f"The {args.command} command failed unexpectedly ({type(exc).__name__}: {exc}); "
            "the details are in the log beside the database.",
            2,
        )


def _silence_stdout() -> None:
    """Point stdout at the null device so Python's exit flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _fail(message: str, code: int) -> int:
    log.error("%s", message)
    print(f"{PROG}: {message}", file=sys.stderr)
    return code


def _setup_logging(db: DatabaseTarget, *, create: bool) -> None:
    """Log to logs/collector.log in the database's home (rotated), if that folder is writable.

    The database's folder is made only for a command that creates the database, so a mistyped
    --db does not leave folders behind.
    """
    root = logging.getLogger()
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    path = db.home / "logs" / "collector.log"
    for existing in root.handlers:
        if (
            isinstance(existing, logging.handlers.RotatingFileHandler)
            and Path(existing.baseFilename) == path.absolute()
        ):
            return
    if not create and not db.home.is_dir():
        return
    try:
        make_private_dir(path.parent)
        # Owner-only: the log names kiosks, client addresses and file paths (promise 11).
        handler = PrivateRotatingFileHandler(path)
    except OSError:
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
