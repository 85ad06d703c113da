"""The parser of `sangsuk-collector` and ``main``: run one command, any failure as one sentence."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import re
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final, NoReturn

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
from collector.cli.words import Local, Phrase, Worded, helped, languages, speak, warn
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
    speak(_asked_languages(sys.argv[1:] if argv is None else argv))  # for --help and usage
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


def _asked_languages(argv: list[str]) -> list[str] | None:
    """The --language of a command line not parsed yet (to word argparse's refusal of it)."""
    for i, arg in enumerate(argv):
        if arg == "--language" and i + 1 < len(argv):
            return [argv[i + 1]]
        if arg.startswith("--language="):
            return [arg.partition("=")[2]]
    return None


class _Formatter(argparse.HelpFormatter):
    """argparse's help, with the usage's prefix and the headings in Thai / English
    (cli.heading.*), as the lines of help are."""

    def start_section(self, heading: str | None) -> None:
        """A section, under its heading in the languages printed."""
        key = HEADINGS.get(heading or "")
        super().start_section(helped(key) if key else heading)

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        """The usage, after "วิธีใช้ / usage: " (or one language's word)."""
        if prefix is None:
            prefix = helped("cli.heading.usage") + ": "
        super().add_usage(usage, actions, groups, prefix)

    def _format_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None,
    ) -> str:
        text = super()._format_usage(usage, actions, groups, prefix)
        # argparse indents the usage's next lines by the prefix's length in characters; Thai
        # vowel and tone marks take no column of their own, so the indent is that much less.
        marks = sum(1 for ch in prefix or "" if unicodedata.category(ch) == "Mn")
        first, *rest = text.split("\n")
        return "\n".join([first, *(line.removeprefix(" " * marks) for line in rest)])


# argparse's headings (Python 3.11) and the entries that word them.
HEADINGS = {"options": "cli.heading.options", "positional arguments": "cli.heading.positionals"}


class _Parser(argparse.ArgumentParser):
    """argparse's parser, its help in Thai / English (its own -h too); a command line it refuses
    is said in Thai, then in argparse's English."""

    def __init__(self, *, add_help: bool = True, **keywords: Any) -> None:
        """argparse's parser (a command's and an action's too), with ``_Formatter``."""
        keywords.setdefault("formatter_class", _Formatter)
        super().__init__(add_help=False, **keywords)
        if add_help:
            self.add_argument(
                "-h",
                "--help",
                action="help",
                default=argparse.SUPPRESS,
                help=helped("cli.opt.help"),
            )

    def error(self, message: str) -> NoReturn:
        """Print the usage, the refusal in the languages asked for, and exit with 2."""
        self.print_usage(sys.stderr)
        if "th" in languages():
            print(f"{self.prog}: {usage_words(message, self.prog)}", file=sys.stderr)
        if "en" in languages():
            print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(2)


# argparse's refusals (Python 3.11), and the entry (cli.usage.*) that words each in Thai.
USAGE_WORDS = (
    (re.compile(r"the following arguments are required: (?P<names>.+)"), "required"),
    (re.compile(r"one of the arguments (?P<names>.+) is required"), "required"),
    (
        re.compile(
            r"argument (?P<argument>\S+): invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)"
        ),
        "choice",
    ),
    (re.compile(r"unrecognized arguments: (?P<names>.+)"), "unknown"),
    (re.compile(r"argument (?P<argument>\S+): expected (?P<detail>.+)"), "expected"),
    (re.compile(r"argument (?P<argument>\S+): (?P<detail>.+)"), "value"),
)


def usage_words(message: str, prog: str) -> str:
    """argparse's refusal of a command line (English) in Thai, with how to get help."""
    for pattern, kind in USAGE_WORDS:
        found = pattern.fullmatch(message)
        if found:
            return Phrase(
                f"cli.usage.{kind}", help=f"{prog} --help", **found.groupdict()
            ).in_language("th")
    return Phrase("cli.usage.other", help=f"{prog} --help", detail=message).in_language("th")


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
