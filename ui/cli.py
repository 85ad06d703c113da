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
from pathlib import Path
from typing import TYPE_CHECKING, Final

from kiosk.config import ConfigError
from kiosk.ledger import LedgerError
from kiosk.logs import setup_logging
from kiosk.paths import default_data_dir
from wire.keys import KeyFileError

if TYPE_CHECKING:
    from sync.terminal import Outcome
    from ui.cli_words import Speaker

EXIT_CANNOT_START: Final = 2  # as ui.startup's EXIT_STARTUP_FAILED, before Qt is loaded
log = logging.getLogger("sangsuk.cli")


def _data_dir_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=default,
        metavar="DIR",
        help=f"where the kiosk keeps its key, ledger and settings (default: {default_data_dir()})",
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of `sangsuk-kiosk`."""
    parser = argparse.ArgumentParser(
        prog="sangsuk-kiosk",
        description="Sangsuk vote kiosk. With no subcommand, starts the kiosk window.",
    )
    _data_dir_option(parser, None)
    parser.add_argument(
        "--windowed", action="store_true", help="a normal window instead of full-screen kiosk mode"
    )
    parser.add_argument(
        "--language",
        choices=("th", "en"),
        help="start the window in this language; a subcommand prints only this language"
        " (default: Thai, then English)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation without a screen (fonts, translations, the welcome screen,"
        " one vote in a temporary ledger), print the result and exit: 0 when whole, 1 if not",
    )
    parser.add_argument(
        "--version", action="store_true", help="print the version and exit (deploy/install.sh)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo-votes", help="cast realistic demo votes through the real ledger")
    _data_dir_option(demo, argparse.SUPPRESS)
    demo.add_argument("--count", type=int, required=True, help="how many votes to cast")
    demo.add_argument("--seed", type=int, help="random seed, for repeatable demo data")

    verify = sub.add_parser("verify", help="check the whole ledger: integrity, signatures, chain")
    _data_dir_option(verify, argparse.SUPPRESS)

    enroll = sub.add_parser(
        "enroll", help="enroll with the collector using a one-time token from the central office"
    )
    _data_dir_option(enroll, argparse.SUPPRESS)
    enroll.add_argument("--collector", required=True, metavar="URL", help="the collector's address")
    enroll.add_argument("--token", required=True, help="the one-time enrollment token")
    enroll.add_argument(
        "--ca-bundle", metavar="FILE", help="a CA certificate file for the collector's TLS"
    )

    request = sub.add_parser(
        "enroll-request",
        help="write an enrollment request to a folder (USB stick) for the central office",
    )
    _data_dir_option(request, argparse.SUPPRESS)
    request.add_argument("--to", required=True, type=Path, metavar="FOLDER", dest="folder")
    request.add_argument("--token", help="the one-time token from the enrollment sheet, if any")

    answer = sub.add_parser(
        "enroll-answer", help="enroll with the collector's answer file (or the stick holding it)"
    )
    _data_dir_option(answer, argparse.SUPPRESS)
    answer.add_argument("file", type=Path, metavar="FILE")

    sync = sub.add_parser("sync", help="send pending votes to the collector")
    _data_dir_option(sync, argparse.SUPPRESS)
    sync.add_argument(
        "--once", action="store_true", help="one pass, then exit (default: keep running)"
    )

    status = sub.add_parser("status", help="kiosk id, district, pending and delivered votes")
    _data_dir_option(status, argparse.SUPPRESS)
    status.add_argument("--json", action="store_true", help="print JSON")

    export = sub.add_parser("export", help="write undelivered votes to a folder (USB stick)")
    _data_dir_option(export, argparse.SUPPRESS)
    export.add_argument("--to", required=True, type=Path, metavar="FOLDER", dest="folder")

    doctor = sub.add_parser(
        "doctor",
        help="check this tablet: Qt and its libraries, voice, font, screen, disk, clock, key, ledger",
    )
    _data_dir_option(doctor, argparse.SUPPRESS)
    doctor.add_argument("--json", action="store_true", help="print the findings as JSON")

    receipt = sub.add_parser(
        "import-receipt", help="mark votes delivered from a receipt the collector wrote"
    )
    _data_dir_option(receipt, argparse.SUPPRESS)
    receipt.add_argument("file", type=Path, metavar="FILE")
    return parser


def _run_command(args: argparse.Namespace, data_dir: Path, speaker: Speaker) -> Outcome:
    from sync import terminal  # the sender (and requests) load only for a subcommand

    if args.command == "demo-votes":
        return terminal.demo_votes(data_dir, args.count, args.seed)
    if args.command == "verify":
        return terminal.verify(data_dir)
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
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:  # read from the metadata the bundle carries; no Qt, no data folder
        print(f"sangsuk-kiosk {importlib.metadata.version('sangsuk')}")
        return 0
    if args.self_test:
        if args.command is not None:
            parser.error("--self-test takes no subcommand")
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
