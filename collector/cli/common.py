"""What every `sangsuk-collector` command shares: its error, the database, the key, option types.

A command stops with ``CliError``: the words for the operator (a ``cli.*`` catalogue key and its
values, printed in Thai and English by collector/cli/words.py) and the exit code (2: it could
not run as asked; 1: it ran but something needs attention). ``main`` prints and logs it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from collector.cli.words import PROG as PROG
from collector.cli.words import Phrase, helped
from collector.i18n import LANGUAGES
from collector.keys import CollectorKeyError, pinned_collector_key
from collector.settings import DB_ENV
from collector.store import SKEW_FLAG_SECONDS, SKEW_THRESHOLD_ENV, DatabaseTarget
from collector.store.target import DB_FILE_NAME, TargetError, default_home
from wire.keys import DeviceKey

if TYPE_CHECKING:
    from collector.store import CollectorStore
    from collector.store.campaigns import Campaign

MAX_ROW_ERRORS_SHOWN: Final = 30
# Adds a subcommand: (name, the key of its line of help) -> its parser, with --db already on it.
AddCommand = Callable[[str, str], argparse.ArgumentParser]
# Adds an action of a command: (name, the key of its line of help[, the key of its description])
# -> its parser, with --db on it.
AddAction = Callable[..., argparse.ArgumentParser]
# What a subcommand runs: (its arguments, the database) -> the exit code.
Command = Callable[[argparse.Namespace, DatabaseTarget], int]


class CliError(Exception):
    """A failure to tell the operator: ``phrase`` says it, ``exit_code`` is the process's.

    ``str()`` of it is the English sentence (for the log).
    """

    def __init__(self, key: str | Phrase, /, exit_code: int = 2, **values: object) -> None:
        """The words of ``key`` (a catalogue key with values, or a Phrase already made)."""
        self.phrase = key if isinstance(key, Phrase) else Phrase(key, **values)
        super().__init__(str(self.phrase))
        self.exit_code = exit_code


def default_db_path() -> Path:
    """The SQLite file used when neither --db nor $SANGSUK_COLLECTOR_DB names a database."""
    return default_home() / DB_FILE_NAME


def chosen_database(given: str | None) -> DatabaseTarget:
    """The database --db names, else $SANGSUK_COLLECTOR_DB, else the default SQLite file."""
    text = given or os.environ.get(DB_ENV) or str(default_db_path())
    try:
        return DatabaseTarget.parse(text)
    except TargetError as exc:
        raise CliError("cli.error.bad_db", detail=exc) from None


@contextlib.contextmanager
def open_store(db: DatabaseTarget, *, create: bool = False) -> Iterator[CollectorStore]:
    """Open the collector database; unless create, a SQLite file must already exist."""
    if not create and not db.exists():
        raise CliError("cli.error.no_database", db=db, prog=PROG)
    from collector.store import CollectorStore  # with SQLAlchemy, only when a store opens

    store = CollectorStore(db)
    try:
        yield store
    finally:
        store.close()


def collector_key(store: CollectorStore, db: DatabaseTarget) -> DeviceKey:
    """Load the collector key, refusing to make a new one while kiosks have pinned the old one."""
    try:
        return pinned_collector_key(store, db)
    except CollectorKeyError as exc:
        raise CliError("cli.error.collector_key", detail=exc) from exc


def read_file(path: Path) -> bytes:
    """A file's bytes, or CliError naming why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CliError("cli.error.cannot_read", path=path, reason=exc.strerror or exc) from None


def print_json(value: Any) -> None:
    """Print a value as indented JSON, Thai left readable."""
    print(json.dumps(value, ensure_ascii=False, indent=2))


def sentence(text: str) -> str:
    """Text as a sentence: a capital first letter and a full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


# --- option types --------------------------------------------------------------------------


def positive_int(text: str) -> int:
    """An argument that must be a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"it must be at least 1, not {value}")
    return value


def whole_number(text: str) -> int:
    """An argument that must be a whole number of at least 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"it must be 0 or more, not {value}")
    return value


def port(text: str) -> int:
    """An argument that must be a TCP port number."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535, not {value}")
    return value


def db_option(parser: argparse.ArgumentParser, default: object) -> None:
    """Add --db, the collector database (its key is kept beside it)."""
    parser.add_argument(
        "--db",
        default=default,
        metavar="PATH|URL",
        help=helped("cli.opt.db", env=DB_ENV, path=default_db_path()),
    )


def language_option(parser: argparse.ArgumentParser, default: object) -> None:
    """Add --language: print Thai only or English only (default: Thai, then English)."""
    parser.add_argument(
        "--language",
        choices=LANGUAGES,
        default=default,
        help=helped("cli.opt.language"),
    )


def command_actions(command: argparse.ArgumentParser) -> AddAction:
    """The adder of a command's actions (`users add`, `campaigns list` …): each takes --db too,
    wherever the operator puts it (`users add somchai --role admin --db PATH`)."""
    actions = command.add_subparsers(dest="action", metavar="ACTION", required=True)

    def add_action(name: str, key: str, about: str | None = None) -> argparse.ArgumentParser:
        """The action ``name``: its line of help is ``key``'s words, and its own --help starts
        with ``about``'s (or the same line)."""
        description = helped(about) if about else helped(key, capital=True)
        parser = actions.add_parser(name, help=helped(key), description=description)
        db_option(parser, argparse.SUPPRESS)
        language_option(parser, argparse.SUPPRESS)
        return parser

    return add_action


def clock_threshold_option(parser: argparse.ArgumentParser) -> None:
    """Add --clock-threshold, how far off a kiosk clock may be before it is flagged."""
    parser.add_argument(
        "--clock-threshold",
        type=positive_int,
        default=None,
        metavar="SECONDS",
        help=helped("cli.opt.clock_threshold", env=SKEW_THRESHOLD_ENV, seconds=SKEW_FLAG_SECONDS),
    )


def chosen_campaign(store: CollectorStore, asked: str | None) -> Campaign | None:
    """The campaign --campaign names (a year, or all: None), else the current one."""
    from collector.store import campaigns

    if asked is None:
        return campaigns.current(store)
    if asked.strip() == "all":
        return None
    found = next((c for c in campaigns.every(store) if str(c.year) == asked.strip()), None)
    if found is None:
        held = campaigns.every(store)
        years = ", ".join(str(c.year) for c in held)
        be = campaigns.as_buddhist_year(asked, held)
        raise CliError(
            "cli.campaign.unknown_be" if be else "cli.campaign.unknown",
            asked=asked,
            years=years or Phrase("cli.campaign.none_defined"),
            be=be,
        )
    return found
