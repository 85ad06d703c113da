"""The parser of `sangsuk-collector` and ``main``: run one command, any failure as one sentence."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar, Final

from bilingual.cli import HELP_HELP, REFUSED, USAGE, CataloguedParser, asked_languages
from bilingual.cli import USAGE_WORDS as USAGE_WORDS  # its kinds: the cli.usage.* entries
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
    language_option,
    sentence,
)
from collector.cli.words import VOICE, Local, Phrase, Worded, helped, speak, warn
from collector.store import DatabaseTarget, StoreError
from wire.files import PrivateRotatingFileHandler, make_private_dir
from wire.keys import KeyFileError

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of `sangsuk-collector`."""
    parser = _Parser(
        prog=PROG,
        description=helped("cli.help.description"),
        epilog=helped("cli.help.epilog"),
    )
    db_option(parser, None)
    language_option(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, key: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=helped(key), description=helped(key, capital=True))
        db_option(p, argparse.SUPPRESS)
        language_option(p, argparse.SUPPRESS)
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
    speak(asked_languages(sys.argv[1:] if argv is None else argv))  # for --help and usage
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
    speak(None if args.language is None else [args.language])
    run: Command = args.run
    log_file: Path | None = None
    try:
        db = chosen_database(args.db)
        log_file = _setup_logging(db, create=creates)
        return run(args, db)
    except CliError as exc:
        return _fail(exc.phrase, exc.exit_code)
    except StoreError as exc:
        return _fail(_store_refusal(exc), 2)
    except KeyFileError as exc:
        return _fail(Phrase("cli.error.key_file", detail=exc), 2)
    except KeyboardInterrupt:
        return _fail(Phrase("cli.error.interrupted"), 130)
    except BrokenPipeError:  # e.g. `report | head`: the reader has all it wanted
        _silence_stdout()
        return 0
    except Exception as exc:  # the promise: a sentence and a log entry, never a traceback
        log.exception("%s %s failed", PROG, args.command)
        error = f"{type(exc).__name__}: {exc}"
        if log_file is None:  # no log could be written: say so rather than send them looking
            return _fail(
                Phrase("cli.error.unexpected_no_log", command=args.command, error=error), 2
            )
        return _fail(
            Phrase("cli.error.unexpected", command=args.command, error=error, log=log_file), 2
        )


def _silence_stdout() -> None:
    """Point stdout at the null device so Python's exit flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _fail(said: Phrase, code: int) -> int:
    log.error("%s", said)  # the English words
    warn(said)
    return code


# Store refusals the command line words in Thai (cli.store.<code>); the English is the store's.
STORE_CODES = frozenset(
    {
        "open_failed",
        "not_durable",
        "unknown_district",
        "unknown_kiosk",
        "copy_refused",
        "copy_target_not_empty",
        "copy_mismatch",
    }
)


# A campaign's refusals the command line words in its own terms (the console's speak of the
# form and the browser's calendar), and the option each field is typed with.
CLI_OWN_WORDS: Final = {"campaigns.error.buddhist_date": "cli.campaigns.buddhist_date"}
FIELD_OPTIONS: Final = {"starts_on": "--start", "ends_on": "--end"}


def _store_refusal(exc: StoreError) -> Phrase:
    """A store's refusal: a campaign's in the console's Thai (or the command line's own words
    where the console's speak of the browser), others by their code."""
    from collector.i18n import Translator
    from collector.store.campaigns import DAY_VALUES

    english = sentence(str(exc))
    key, values = getattr(exc, "key", None), getattr(exc, "values", None)
    if isinstance(key, str) and isinstance(values, dict):  # a WordedError: the console's words
        named = dict(values)
        if "field" in named:
            named["field"] = Phrase(f"campaigns.field.{named['field']}")
        for name in DAY_VALUES & named.keys():  # its days as the pages say them: 1 พ.ย. 2569
            named[name] = Local(Translator("th").full_day(str(named[name])), str(named[name]))
        if key in CLI_OWN_WORDS:
            named["option"] = FIELD_OPTIONS.get(str(values.get("field")), "")
            return Phrase(CLI_OWN_WORDS[key], **named)
        return Worded(key, english, **named)
    code = exc.code if exc.code in STORE_CODES else "other"
    return Phrase(f"cli.store.{code}", detail=english)


class _Parser(CataloguedParser):
    """argparse's parser of `sangsuk-collector` (bilingual/cli.py): its help in Thai / English; a
    command line it refuses is said in Thai (the ``cli.usage.*`` entries), then in argparse's
    English."""

    voice = VOICE
    entries: ClassVar[Mapping[str, str]] = {  # argparse's words and the entries saying them
        USAGE: "cli.heading.usage",
        "options": "cli.heading.options",
        "positional arguments": "cli.heading.positionals",
        HELP_HELP: "cli.opt.help",
        REFUSED: "cli.usage.{kind}",  # tests/collector/test_web_i18n.py lists the kinds
    }


def _setup_logging(db: DatabaseTarget, *, create: bool) -> Path | None:
    """Log to logs/collector.log in the database's home (rotated), if that folder is writable.

    Returns the log file, or None when there is none. The database's folder is made only for a
    command that creates the database, so a mistyped --db does not leave folders behind.
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
            return path.absolute()
    if not create and not db.home.is_dir():
        _no_log_file(root)  # a recount on an auditor's computer: no database, no home
        return None
    try:
        make_private_dir(path.parent)
        # Owner-only: the log names kiosks, client addresses and file paths (promise 11).
        handler = PrivateRotatingFileHandler(path)
    except OSError:
        _no_log_file(root)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return path.absolute()


def _no_log_file(root: logging.Logger) -> None:
    """With no log file, log nowhere: else Python's last-resort handler would print each
    refusal's English log line on stderr before the Thai and English sentences (warn)."""
    if not root.handlers:
        root.addHandler(logging.NullHandler())
