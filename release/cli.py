"""`sangsuk-release`: init, add, refresh, stick (docs/deploy.md, "Updates"). Thai first, English second.

    sangsuk-release init    --repo REPO --keys KEYS
    sangsuk-release add     BUNDLE --version 0.2.0 --repo REPO --keys KEYS
    sangsuk-release refresh --repo REPO --keys KEYS [--targets] [--root]
    sangsuk-release stick   REPO MOUNT [--keys KEYS]

A refusal prints its reason in both languages and exits 2; nothing in the repository changed.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Final

from release.repository import (
    ReleaseError,
    add,
    expiries,
    expiring_soon,
    init,
    make_stick,
    refresh,
)

PROG: Final = "sangsuk-release"
log = logging.getLogger(PROG)


def _say(th: str, en: str) -> None:
    print(th)
    print(en, flush=True)


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1_000_000:.1f} MB"


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _show_expiries(repo: Path) -> None:
    found = expiries(repo)
    for role, moment in found.items():
        _say(f"  {role}: ใช้ได้ถึง {_when(moment)}", f"  {role}: valid until {_when(moment)}")
    for role in expiring_soon(found):
        _say(
            f"คำเตือน: ลายเซ็น {role} ใกล้หมดอายุ: sangsuk-release refresh"
            + (" --targets" if role == "targets" else " --root" if role == "root" else ""),
            f"Warning: the {role} signature expires soon: run `sangsuk-release refresh"
            + (" --targets" if role == "targets" else " --root" if role == "root" else "")
            + "`.",
        )


def _init(args: argparse.Namespace) -> int:
    root = init(args.repo, args.keys)
    _say(
        f"สร้างคลังอัปเดตที่ {args.repo} และกุญแจลับที่ {args.keys} แล้ว",
        f"Made the update repository at {args.repo} and the private keys at {args.keys}.",
    )
    _say(
        f"คัดลอก {root} ไปเป็น kiosk/assets/update_root.json ก่อนสร้างโปรแกรมตู้ "
        "แล้วเก็บโฟลเดอร์กุญแจไว้นอกเครื่อง (แฟลชไดรฟ์เข้ารหัสสองชุดในตู้เซฟ)",
        f"Copy {root} to kiosk/assets/update_root.json before building the kiosk, and keep "
        "the keys folder offline (two encrypted sticks in the safe).",
    )
    _show_expiries(args.repo)
    return 0


def _add(args: argparse.Namespace) -> int:
    added = add(args.repo, args.keys, args.bundle, args.version)
    _say(
        f"เพิ่มรุ่น {added.version} แล้ว: {added.archive.name} ({_size(added.archive)})",
        f"Release {added.version} added: {added.archive.name} ({_size(added.archive)}).",
    )
    if added.patch is not None:
        _say(
            f"ส่วนต่างจากรุ่นก่อน: {added.patch.name} ({_size(added.patch)})",
            f"Patch from the release before: {added.patch.name} ({_size(added.patch)}).",
        )
    _show_expiries(args.repo)
    return 0


def _refresh(args: argparse.Namespace) -> int:
    roles = ["snapshot", "timestamp"]
    roles += ["targets"] if args.targets else []
    roles += ["root"] if args.root else []
    refresh(args.repo, args.keys, roles)
    _say(
        f"ลงนามใหม่แล้ว: {', '.join(roles)}",
        f"Re-signed: {', '.join(roles)}.",
    )
    _show_expiries(args.repo)
    return 0


def _stick(args: argparse.Namespace) -> int:
    if args.keys is not None:
        refresh(args.repo, args.keys)  # the stick's metadata is valid from the day it is made
    target = make_stick(args.repo, args.mount)
    until = expiries(args.repo)["timestamp"]
    _say(
        f"คัดลอกคลังอัปเดตลง {target} แล้ว: ตู้รับอัปเดตจากแฟลชไดรฟ์นี้ได้ถึง {_when(until)}",
        f"Copied the update repository to {target}: kiosks take updates from this stick "
        f"until {_when(until)}.",
    )
    if args.keys is None:
        _say(
            "ไม่ได้ลงนามใหม่ (ไม่ได้ระบุ --keys): อายุนับจากการลงนามครั้งล่าสุด",
            "Not re-signed (no --keys): the stick is valid counting from the last signing.",
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per task of the central office."""
    parser = argparse.ArgumentParser(
        prog=PROG, description="Make and sign kiosk updates (docs/deploy.md, Updates)."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=help_text)

    p = command("init", "make the keys and the signed root of a new update repository")
    p.add_argument("--repo", type=Path, required=True, help="the repository folder (served)")
    p.add_argument("--keys", type=Path, required=True, help="the private keys' folder (offline)")
    p.set_defaults(run=_init)

    p = command("add", "archive a built kiosk bundle as a new release, sign and publish it")
    p.add_argument("bundle", type=Path, help="the bundle folder (dist/sangsuk-kiosk)")
    p.add_argument("--version", required=True, help="its version, newer than the last")
    p.add_argument("--repo", type=Path, required=True)
    p.add_argument("--keys", type=Path, required=True)
    p.set_defaults(run=_add)

    p = command("refresh", "re-sign the timestamp and snapshot (no new release)")
    p.add_argument("--repo", type=Path, required=True)
    p.add_argument("--keys", type=Path, required=True)
    p.add_argument("--targets", action="store_true", help="re-sign the targets too")
    p.add_argument("--root", action="store_true", help="re-sign the root too (root key)")
    p.set_defaults(run=_refresh)

    p = command("stick", "copy the repository onto a USB stick as sangsuk-updates/")
    p.add_argument("repo", type=Path)
    p.add_argument("mount", type=Path, help="where the stick is mounted")
    p.add_argument("--keys", type=Path, help="re-sign timestamp and snapshot first")
    p.set_defaults(run=_stick)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `sangsuk-release`; return the exit code (0 done, 2 refused)."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    try:
        code: int = args.run(args)
    except ReleaseError as exc:
        log.error("%s %s refused: %s", PROG, args.command, exc.en)
        _say(exc.th, exc.en)
        return 2
    except OSError as exc:
        log.error("%s %s failed: %s", PROG, args.command, exc)
        _say(
            f"ทำไม่สำเร็จ: {exc.strerror or exc} ({exc.filename or ''})",
            f"Failed: {exc.strerror or exc} ({exc.filename or ''}).",
        )
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
