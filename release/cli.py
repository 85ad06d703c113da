"""`sangsuk-release`: init, add, refresh, stick (docs/deploy.md, "Updates"). Thai first, English second.

    sangsuk-release init    --repo REPO --keys KEYS
    sangsuk-release add     BUNDLE --version 0.2.0 --repo REPO --keys KEYS
    sangsuk-release refresh --repo REPO --keys KEYS [--targets] [--root]
    sangsuk-release stick   REPO MOUNT [--keys KEYS]

Every message is its Thai line, then its English line (``--language th`` or ``--language en``:
one of them), worded by release/translations/ (release/words.py), as `sangsuk-collector` says
its own. A refusal is said on standard error after the program's name and exits 2 (130 when
interrupted); every failure is worded so (release/failures.py: a full or read-only disk, a path
that is not there, a key that cannot be read or a wrong passphrase, damaged metadata), never a
Python traceback. A command that fails after it began to write puts the repository back as it
was and says so (or names what it could not put back).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from bilingual.cli import asked_languages
from release.failures import InterruptError, explain
from release.repository import (
    add,
    expiries,
    expiring_soon,
    init,
    make_stick,
    refresh,
)
from release.words import (
    LANGUAGES,
    PROG,
    Parser,
    helped,
    say,
    speak,
    warn,
)

log = logging.getLogger(PROG)


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1_000_000:.1f} MB"


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _show_expiries(repo: Path) -> None:
    found = expiries(repo)
    for role, moment in found.items():
        say("release.expiry.valid", role=role, until=_when(moment))
    for role in expiring_soon(found):
        option = " --targets" if role == "targets" else " --root" if role == "root" else ""
        say("release.expiry.soon", role=role, command=f"{PROG} refresh{option}")


def _init(args: argparse.Namespace) -> int:
    root = init(args.repo, args.keys)
    say("release.init.done", repo=args.repo, keys=args.keys)
    say("release.init.copy_root", root=root)
    _show_expiries(args.repo)
    return 0


def _add(args: argparse.Namespace) -> int:
    added = add(args.repo, args.keys, args.bundle, args.version)
    archive = added.archive
    say("release.add.done", version=added.version, archive=archive.name, size=_size(archive))
    if added.patch is not None:
        say("release.add.patch", patch=added.patch.name, size=_size(added.patch))
    _show_expiries(args.repo)
    return 0


def _refresh(args: argparse.Namespace) -> int:
    roles = ["snapshot", "timestamp"]
    roles += ["targets"] if args.targets else []
    roles += ["root"] if args.root else []
    refresh(args.repo, args.keys, roles)
    say("release.refresh.done", roles=", ".join(roles))
    _show_expiries(args.repo)
    return 0


def _stick(args: argparse.Namespace) -> int:
    if args.keys is not None:
        refresh(args.repo, args.keys)  # the stick's metadata is valid from the day it is made
    target = make_stick(args.repo, args.mount)
    until = expiries(args.repo)["timestamp"]
    say("release.stick.done", target=target, until=_when(until))
    if args.keys is None:
        say("release.stick.not_resigned")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per task of the central office, its help in the
    languages printed (Thai / English unless --language chooses one)."""
    parser = Parser(prog=PROG, description=helped("release.help.description"))
    language_option(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str) -> argparse.ArgumentParser:
        about = helped(f"release.help.{name}")
        p = sub.add_parser(name, help=about, description=about)
        language_option(p, argparse.SUPPRESS)
        return p

    def folders(p: argparse.ArgumentParser) -> None:
        p.add_argument("--repo", type=Path, required=True, help=helped("release.opt.repo"))
        p.add_argument("--keys", type=Path, required=True, help=helped("release.opt.keys"))

    p = command("init")
    folders(p)
    p.set_defaults(run=_init)

    p = command("add")
    p.add_argument("bundle", type=Path, metavar="BUNDLE", help=helped("release.opt.bundle"))
    p.add_argument("--version", required=True, help=helped("release.opt.version"))
    folders(p)
    p.set_defaults(run=_add)

    p = command("refresh")
    folders(p)
    p.add_argument("--targets", action="store_true", help=helped("release.opt.targets"))
    p.add_argument("--root", action="store_true", help=helped("release.opt.root"))
    p.set_defaults(run=_refresh)

    p = command("stick")
    p.add_argument("repo", type=Path, metavar="REPO", help=helped("release.opt.repo"))
    p.add_argument("mount", type=Path, metavar="MOUNT", help=helped("release.opt.mount"))
    p.add_argument("--keys", type=Path, help=helped("release.opt.stick_keys"))
    p.set_defaults(run=_stick)
    return parser


def language_option(parser: argparse.ArgumentParser, default: object) -> None:
    """Add --language: print Thai only or English only (default: Thai, then English)."""
    parser.add_argument(
        "--language", choices=LANGUAGES, default=default, help=helped("release.opt.language")
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run `sangsuk-release`; return the exit code (0 done, 2 refused)."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    speak(asked_languages(sys.argv[1:] if argv is None else argv))  # for --help and usage
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error argparse has already explained
        return exc.code if isinstance(exc.code, int) else 2
    speak(None if args.language is None else [args.language])
    try:
        code: int = args.run(args)
    except BaseException as exc:  # every failure is worded; SystemExit is argparse's, done above
        refusal = explain(exc, repo=getattr(args, "repo", None), keys=getattr(args, "keys", None))
        # Said on stderr just below: the log (stderr too, at WARNING) does not say it again.
        log.info("%s %s refused: %s", PROG, args.command, refusal.en)
        warn(refusal.phrase)
        if refusal.after is not None:
            warn(refusal.after)
        return 130 if isinstance(refusal, InterruptError) else 2
    return code


if __name__ == "__main__":
    sys.exit(main())
