"""Finding the USB sticks a clerk has plugged in, without Qt.

Linux: every mount under /media or /run/media in /proc/mounts (where the desktop's automounter
puts removable drives). Windows: every drive letter whose GetDriveTypeW is DRIVE_REMOVABLE.
Anything else (or a read error) gives an empty list, and the export screen offers a folder
chooser instead. The export screen takes a ``DriveDetector``, so tests pass a fake one.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

MEDIA_ROOTS: Final = ("/media", "/run/media")
PROC_MOUNTS: Final = Path("/proc/mounts")
DRIVE_REMOVABLE: Final = 2  # GetDriveTypeW's answer for a USB stick or memory card
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Drive:
    """A mounted removable drive: where it is, its name, and its space in bytes."""

    path: Path
    label: str
    free_bytes: int
    total_bytes: int


DriveDetector = Callable[[], list[Drive]]


def _unescape(field: str) -> str:
    """Undo /proc/mounts' octal escapes (a space is written \\040)."""
    out: list[str] = []
    i = 0
    while i < len(field):
        if field[i] == "\\" and field[i + 1 : i + 4].isdigit() and len(field[i + 1 : i + 4]) == 3:
            out.append(chr(int(field[i + 1 : i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def mounts_under(lines: Iterable[str], roots: Iterable[str] = MEDIA_ROOTS) -> list[Path]:
    """Return the mount points under any of roots, from lines in /proc/mounts' format."""
    prefixes = tuple(root.rstrip("/") + "/" for root in roots)
    found: list[Path] = []
    for line in lines:
        parts = line.split()
        if len(parts) < 2:
            continue
        point = _unescape(parts[1])
        if point.startswith(prefixes) and Path(point) not in found:
            found.append(Path(point))
    return found


def _drive(path: Path, label: str) -> Drive | None:
    try:
        usage = shutil.disk_usage(path)
    except OSError as exc:
        log.info("skipping the drive %s: %s", path, exc)
        return None
    return Drive(path, label, usage.free, usage.total)


def linux_drives(
    proc_mounts: Path = PROC_MOUNTS, roots: Iterable[str] = MEDIA_ROOTS
) -> list[Drive]:
    """The removable drives the desktop mounted under /media or /run/media."""
    try:
        lines = proc_mounts.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        log.warning("cannot read %s: %s", proc_mounts, exc)
        return []
    drives = [_drive(point, point.name) for point in mounts_under(lines, roots)]
    return [d for d in drives if d is not None]


def windows_drives() -> list[Drive]:  # pragma: no cover - runs only on Windows
    """The drive letters Windows reports as removable."""
    import ctypes

    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return []
    kernel32 = windll.kernel32
    mask = int(kernel32.GetLogicalDrives())
    drives: list[Drive] = []
    for index in range(26):
        if not mask & (1 << index):
            continue
        root = f"{chr(ord('A') + index)}:\\"
        if int(kernel32.GetDriveTypeW(ctypes.c_wchar_p(root))) != DRIVE_REMOVABLE:
            continue
        name = ctypes.create_unicode_buffer(261)
        ok = kernel32.GetVolumeInformationW(
            ctypes.c_wchar_p(root), name, 261, None, None, None, None, 0
        )
        found = _drive(Path(root), f"{name.value or 'USB'} ({root[:2]})" if ok else root[:2])
        if found is not None:
            drives.append(found)
    return drives


def removable_drives() -> list[Drive]:
    """The removable drives of this machine (empty where they cannot be found)."""
    if sys.platform.startswith("win"):
        return windows_drives()
    if sys.platform.startswith("linux"):
        return linux_drives()
    return []


def is_writable_folder(path: Path) -> bool:
    """Whether path is a folder this process may create files in."""
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)
