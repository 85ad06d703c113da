"""The `sangsuk-kiosk` command: with no subcommand it starts the kiosk window.

It lives in ui/ because starting the window needs Qt, and ui/ is the only layer allowed to
import it; the window is imported only when it is wanted, so the other subcommands start fast.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from kiosk.config import ConfigError
from kiosk.ledger import LedgerError
from kiosk.logs import setup_logging
from kiosk.paths import default_data_dir
from ui import cli_help
from ui.cli_help import QT_TRANSLATE_NOOP
from wire.keys import KeyFileError

if TYPE_CHECKING:
    from sync.terminal import Outcome
    from ui.cli_words import Speaker

EXIT_CANNOT_START: Final = 2  # as ui.startup's EXIT_STARTUP_FAILED, before Qt is loaded
log = logging.getLogger("sangsuk.cli")


def _data_dir_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--data-dir", type=Path, default=default, metavar="DIR", help=cli_help.DATA_DIR_HELP
    )


def _command(
    sub: argparse._SubParsersAction[cli_help.KioskArgumentParser], name: str, words: str
) -> cli_help.KioskArgumentParser:
    """A subcommand, its words both its line in the list of commands and its own help's."""
    command = sub.add_parser(name, help=words, description=words)
    _data_dir_option(command, argparse.SUPPRESS)
    # --language after the subcommand too (`enroll … --language en`), as sangsuk-collector
    # takes it anywhere; SUPPRESS keeps one given before the subcommand.
    command.add_argument(
        "--language",
        choices=("th", "en"),
        default=argparse.SUPPRESS,
        help=QT_TRANSLATE_NOOP(
            "KioskArguments", "print only this language (default: Thai, then English)"
        ),
    )
    return command


def build_parser(languages: Sequence[str] = cli_help.BOTH) -> argparse.ArgumentParser:
    """Return the argument parser of `sangsuk-kiosk`, its help and errors in these languages."""
    parser = cli_help.KioskArgumentParser(
        prog="sangsuk-kiosk",
        description=QT_TRANSLATE_NOOP(
            "KioskArguments", "Sangsuk vote kiosk. With no subcommand, starts the kiosk window."
        ),
    )
    _data_dir_option(parser, None)
    parser.add_argument(
        "--windowed",
        action="store_true",
        help=QT_TRANSLATE_NOOP(
            "KioskArguments", "a normal window instead of full-screen kiosk mode"
        ),
    )
    parser.add_argument(
        "--language",
        choices=("th", "en"),
        help=QT_TRANSLATE_NOOP(
            "KioskArguments",
            "start the window in this language; a subcommand prints only this language"
            " (default: Thai, then English)",
        ),
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=QT_TRANSLATE_NOOP(
            "KioskArguments",
            "check this installation without a screen (fonts, translations, the welcome screen,"
            " one vote in a temporary ledger), print the result and exit: 0 when whole, 1 if not",
        ),
    )
    parser.add_argument(
        "--version",
        action="store_true",
        help=QT_TRANSLATE_NOOP("KioskArguments", "print the version and exit (deploy/install.sh)"),
    )
    sub = parser.add_subparsers(title=cli_help.COMMANDS, dest="command", metavar="COMMAND")

    demo = _command(
        sub,
        "demo-votes",
        QT_TRANSLATE_NOOP("KioskArguments", "cast realistic demo votes through the real ledger"),
    )
    demo.add_argument(
        "--count",
        type=int,
        required=True,
        help=QT_TRANSLATE_NOOP("KioskArguments", "how many votes to cast"),
    )
    demo.add_argument(
        "--seed",
        type=int,
        help=QT_TRANSLATE_NOOP("KioskArguments", "random seed, for repeatable demo data"),
    )

    _command(
        sub,
        "verify",
        QT_TRANSLATE_NOOP("KioskArguments", "check the whole ledger: integrity, signatures, chain"),
    )

    enroll = _command(
        sub,
        "enroll",
        QT_TRANSLATE_NOOP(
            "KioskArguments",
            "enroll with the collector using a one-time token from the central office",
        ),
    )
    enroll.add_argument(
        "--collector",
        required=True,
        metavar="URL",
        help=QT_TRANSLATE_NOOP("KioskArguments", "the collector's address"),
    )
    enroll.add_argument(
        "--token",
        required=True,
        help=QT_TRANSLATE_NOOP("KioskArguments", "the one-time enrollment token"),
    )
    enroll.add_argument(
        "--ca-bundle",
        metavar="FILE",
        help=QT_TRANSLATE_NOOP("KioskArguments", "a CA certificate file for the collector's TLS"),
    )

    request = _command(
        sub,
        "enroll-request",
        QT_TRANSLATE_NOOP(
            "KioskArguments",
            "write an enrollment request to a folder (USB stick) for the central office",
        ),
    )
    request.add_argument(
        "--to",
        required=True,
        type=Path,
        metavar="FOLDER",
        dest="folder",
        help=QT_TRANSLATE_NOOP("KioskArguments", "the folder to write to: the USB stick"),
    )
    request.add_argument(
        "--token",
        help=QT_TRANSLATE_NOOP(
            "KioskArguments", "the one-time token from the enrollment sheet, if any"
        ),
    )

    answer = _command(
        sub,
        "enroll-answer",
        QT_TRANSLATE_NOOP(
            "KioskArguments", "enroll with the collector's answer file (or the stick holding it)"
        ),
    )
    answer.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help=QT_TRANSLATE_NOOP(
            "KioskArguments", "the answer file, or the folder (USB stick) that holds it"
        ),
    )

    sync = _command(
        sub, "sync", QT_TRANSLATE_NOOP("KioskArguments", "send pending votes to the collector")
    )
    sync.add_argument(
        "--once",
        action="store_true",
        help=QT_TRANSLATE_NOOP("KioskArguments", "one pass, then exit (default: keep running)"),
    )

    status = _command(
        sub,
        "status",
        QT_TRANSLATE_NOOP("KioskArguments", "kiosk id, district, pending and delivered votes"),
    )
    status.add_argument(
        "--json", action="store_true", help=QT_TRANSLATE_NOOP("KioskArguments", "print JSON")
    )

    export = _command(
        sub,
        "export",
        QT_TRANSLATE_NOOP("KioskArguments", "write undelivered votes to a folder (USB stick)"),
    )
    export.add_argument(
        "--to",
        required=True,
        type=Path,
        metavar="FOLDER",
        dest="folder",
        help=QT_TRANSLATE_NOOP("KioskArguments", "the folder to write to: the USB stick"),
    )

    doctor = _command(
        sub,
        "doctor",
        QT_TRANSLATE_NOOP(
            "KioskArguments",
            "check this tablet: Qt and its libraries, voice, font, screen, disk, clock, key,"
            " ledger",
        ),
    )
    doctor.add_argument(
        "--json",
        action="store_true",
        help=QT_TRANSLATE_NOOP("KioskArguments", "print the findings as JSON"),
    )

    receipt = _command(
        sub,
        "import-receipt",
        QT_TRANSLATE_NOOP(
            "KioskArguments",
            "mark votes delivered from a receipt the collector wrote, and keep the campaign"
            " notice beside it",
        ),
    )
    receipt.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help=QT_TRANSLATE_NOOP(
            "KioskArguments",
            "the receipt file the collector wrote (*.receipt.json), or its campaign notice"
            " (*.campaign.json)",
        ),
    )
    cli_help.set_languages(parser, languages)
    return parser


def _run_command(args: argparse.Namespace, data_dir: Path, speaker: Speaker) -> Outcome:
    from sync import terminal  # the sender (and requests) load only for a subcommand

    if args.command == "demo-votes":
        return terminal.demo_votes(data_dir, args.count, args.seed)
    if args.command == "verify":
        return terminal.verify(data_dir)
    if args.command in ("enroll", "enroll-answer"):
        from ui.instance import running_window

        window = running_window(data_dir)
        if window is not None:  # it would go on with its old settings: refused, as it says
            log.warning(
                "enrolling refused: the kiosk window (process %s) runs on %s", window, data_dir
            )
            return terminal.Outcome(1, (terminal.said("window_running", pid=window),))
    if args.command == "enroll":
        return terminal.enroll(data_dir, args.collector, args.token, ca_bundle=args.ca_bundle)
    if args.command == "enroll-request":
        return terminal.enroll_request(data_dir, args.folder, args.token)
    if args.command == "enroll-answer":
        return terminal.enroll_answer(data_dir, args.file)
    if args.command == "sync":
        if args.once:
            return terminal.sync_once(data_dir)
        return terminal.run_sync(data_dir, out=lambda said: _print(speaker.lines([said]), 0))
    if args.command == "status":
        return terminal.status(data_dir, as_json=args.json)
    if args.command == "export":
        return terminal.export(data_dir, args.folder)
    return terminal.import_receipt(data_dir, args.file)


def _print(lines: list[str], exit_code: int) -> None:
    """Print lines: to standard output when the exit code is 0, else to standard error."""
    for line in lines:
        print(line, file=sys.stdout if exit_code == 0 else sys.stderr, flush=True)


def _run_subcommand(args: argparse.Namespace, data_dir: Path) -> int:
    """Run a subcommand and print what it says, in Thai then English (or --language's)."""
    from sync.terminal import Outcome, said
    from ui.cli_words import BOTH, Speaker  # QtCore only: the window's modules stay unloaded

    with Speaker((args.language,) if args.language else BOTH) as speaker:
        try:
            outcome = _run_command(args, data_dir, speaker)
        except (KeyFileError, LedgerError, ConfigError) as exc:
            log.error("%s", exc)
            outcome = Outcome(EXIT_CANNOT_START, (said("cannot_use", detail=str(exc)),))
        try:
            _print(speaker.lines(outcome.said), outcome.exit_code)
        except BrokenPipeError:  # e.g. `status | head`: the reader has all it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return outcome.exit_code


def _run_window(args: argparse.Namespace, data_dir: Path) -> int:
    """Start the kiosk window, once the system is known to have what Qt needs to open it."""
    from ui import preflight

    found = preflight.check()
    if not found.ok:
        lines = preflight.explain(found)
        log.error("the kiosk cannot start: %s", " ".join(line.strip() for line in lines if line))
        print("\n".join(lines), file=sys.stderr)
        return EXIT_CANNOT_START
    from ui.startup import run  # Qt is loaded only for the window

    return run(data_dir, windowed=args.windowed, language=args.language)


def main(argv: list[str] | None = None) -> int:
    """Run `sangsuk-kiosk`; return the process exit code."""
    parser = build_parser(cli_help.asked_languages(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(argv)
    if args.version:  # read from the metadata the bundle carries; no Qt, no data folder
        print(f"sangsuk-kiosk {importlib.metadata.version('sangsuk')}")
        return 0
    if args.self_test:
        if args.command is not None:
            parser.error(cli_help.SELF_TEST_ALONE)
        # Before the window's imports: the self-test sets Qt's platform, and no data folder is
        # touched (no log file either; its vote goes into a temporary folder).
        from ui.self_test import run_self_test

        return run_self_test()
    data_dir: Path = args.data_dir or default_data_dir()
    if args.command == "doctor":
        # The doctor changes nothing, not even by logging: a log file would create the data
        # folder and tighten its files' modes (kiosk/logs.py) before the doctor reports them.
        from ui.doctor import run_doctor  # Qt is loaded only once the doctor knows it can be

        return run_doctor(data_dir, as_json=args.json)
    setup_logging(data_dir)
    if args.command is None:
        try:
            return _run_window(args, data_dir)
        except (KeyFileError, LedgerError, ConfigError) as exc:
            log.error("%s", exc)
            print(f"sangsuk-kiosk: {exc}", file=sys.stderr)
            return EXIT_CANNOT_START
    return _run_subcommand(args, data_dir)


if __name__ == "__main__":  # python -m ui.cli, as main.py and the installed command do
    sys.exit(main())
