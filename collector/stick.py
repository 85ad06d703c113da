"""What `sangsuk-collector import` reads from a USB stick, and reading one batch file safely.

The kiosk's export writes its files at the top of the folder the clerk chose (usually the
stick itself): ``sangsuk-<district>-<kiosk>-<first>-<last>.batch.json`` for each batch, one
``….summary.csv`` for Excel, and later the collector's ``….receipt.json`` beside each batch
and its campaign notice ``sangsuk-<year>.campaign.json`` (collector/notices.py).
A stick also carries what operating systems put there (``System Volume Information``,
``.Trash-1000``, ``._x`` AppleDouble files). So:

* Arguments may be files or folders. A folder gives its direct entries in name order; folders
  inside it are not searched (the kiosk never writes any), only named in one line.
* A batch file is any ``*.json`` that is not a ``*.receipt.json``, an enrollment request
  ``*.request.json`` (imported as one, collector/enrollment.py), an answer ``*.answer.json``
  or a campaign notice ``*.campaign.json`` (the kiosk's names end in ``.batch.json``; files
  renamed by hand keep ``.json``). Everything else is skipped by its
  name, never opened: one line per kind, not a refusal.
* A batch file is opened only when it is a regular file no larger than the batch limit: a
  named pipe, a device or a socket is refused unopened, a link is followed only to a file
  inside the folder it sits in (the given folder, or the named file's own folder), and the
  size is checked before a byte is read. The read itself takes at most limit + 1 bytes from a
  descriptor opened without following links or blocking and checked again with fstat, so a
  file swapped after the first look cannot make it read more.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from wire.campaign import CAMPAIGN_FILE_SUFFIX
from wire.stick import (
    ENROLL_ANSWER_SUFFIX,
    ENROLL_REQUEST_SUFFIX,
    RECEIPT_SUFFIX,
    SUMMARY_SUFFIX,
)

NAMES_SHOWN: Final = 5
# What Windows, macOS and Linux desktops leave on a stick (compared case-insensitively).
SYSTEM_NAMES: Final = frozenset(
    name.casefold()
    for name in (
        "System Volume Information",
        "$RECYCLE.BIN",
        "RECYCLER",
        "RECYCLED",
        ".Trashes",
        ".Spotlight-V100",
        ".fseventsd",
        ".TemporaryItems",
        ".DS_Store",
        "Thumbs.db",
        "desktop.ini",
        "IndexerVolumeGuid",
        "WPSettings.dat",
    )
)
SYSTEM_PREFIXES: Final = ("._", ".trash-")
# A stick zipped on a desktop (as a publication is downloaded) holds its batches unread.
ARCHIVE_SUFFIXES: Final = (".zip", ".7z", ".rar", ".tar", ".tar.gz", ".tgz")

# Kinds of skipped entries, in the order their lines are printed: one, several, why skipped.
SKIPPED: Final = {
    "summary": (
        "summary for Excel (*.summary.csv)",
        "summaries for Excel (*.summary.csv)",
        "A summary is for the district office's Excel; only the signed batch files count.",
    ),
    "receipt": (
        "receipt (*.receipt.json)",
        "receipts (*.receipt.json)",
        "Receipts are what an earlier import wrote, not batches.",
    ),
    "answer": (
        "enrollment answer (*.answer.json)",
        "enrollment answers (*.answer.json)",
        "Enrollment answers are what an earlier import wrote for a kiosk, not batches.",
    ),
    "campaign": (
        "campaign notice (*.campaign.json)",
        "campaign notices (*.campaign.json)",
        "A campaign notice is what the central office wrote for the kiosk, not a batch.",
    ),
    "system": (
        "system entry",
        "system entries",
        "A computer left these on the stick, not the kiosk.",
    ),
    "folder": (
        "folder inside a folder",
        "folders inside a folder",
        "They are not searched, as the kiosk writes its files at the top of the stick;"
        " name a folder to import from it.",
    ),
    "archive": (
        "compressed file (*.zip)",
        "compressed files (*.zip)",
        "A batch inside a compressed file is not read: unzip it first, then import the folder"
        " it unpacks to.",
    ),
    "other": (
        "other file",
        "other files",
        "Only files whose names end in .json are batches.",
    ),
}


@dataclass(frozen=True, slots=True)
class Entry:
    """An entry to import or skip: its path, the folder its link may point into, why skipped."""

    path: Path
    folder: Path
    skip: str | None = None  # a key of SKIPPED, or None for a batch file
    error: str | None = None  # why a folder given by name could not be listed


class FileRefusedError(Exception):
    """A batch file refused before its bytes were checked. ``code`` is the audit's reason."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def is_batch_name(name: str) -> bool:
    """True for the name of a batch file: *.json, but not *.receipt.json."""
    folded = name.casefold()
    return folded.endswith(".json") and not folded.endswith(RECEIPT_SUFFIX)


def _skip_kind(name: str) -> str | None:
    """Why an entry is skipped by its name alone (folders are decided apart), or None."""
    folded = name.casefold()
    if folded in SYSTEM_NAMES or folded.startswith(SYSTEM_PREFIXES):
        return "system"
    if folded.endswith(SUMMARY_SUFFIX):
        return "summary"
    if folded.endswith(RECEIPT_SUFFIX):
        return "receipt"
    if folded.endswith(ENROLL_ANSWER_SUFFIX):
        return "answer"
    if folded.endswith(CAMPAIGN_FILE_SUFFIX):
        return "campaign"
    if folded.endswith(ARCHIVE_SUFFIXES):
        return "archive"
    return None


def is_request_name(name: str) -> bool:
    """True for the name of a kiosk's enrollment request file (*.request.json)."""
    return name.casefold().endswith(ENROLL_REQUEST_SUFFIX)


def entries(given: Sequence[Path]) -> Iterator[Entry]:
    """The entries of the command line, in order: each named file, each named folder's entries."""
    for path in given:
        kind = _skip_kind(path.name)
        if kind is not None:
            yield Entry(path, path.parent, kind)
        elif path.is_dir():  # a folder named on the command line (a link to one is followed)
            yield from _folder_entries(path)
        elif is_batch_name(path.name) or not path.exists():
            yield Entry(path, path.parent)  # a missing file is reported as unreadable
        else:
            yield Entry(path, path.parent, "other")


def skip_kind_in_folder(name: str, is_dir: bool) -> str | None:
    """Why an entry found in a folder is skipped (a key of SKIPPED), or None for a batch file.

    The rule for a folder's entries here and for a folder uploaded in the console alike.
    """
    kind = _skip_kind(name)
    if kind is None and not is_batch_name(name):
        kind = "folder" if is_dir else "other"
    return kind


def _folder_entries(folder: Path) -> Iterator[Entry]:
    try:
        with os.scandir(folder) as listing:
            found = sorted((e.name, e.is_dir(follow_symlinks=False)) for e in listing)
    except OSError as exc:
        yield Entry(folder, folder.parent, error=f"{exc.strerror or exc}")
        return
    for name, is_dir in found:
        yield Entry(folder / name, folder, skip_kind_in_folder(name, is_dir))


def skipped_line(kind: str, names: Sequence[str]) -> str:
    """The one line saying that entries of a kind were skipped, naming the first few."""
    one, several, why = SKIPPED[kind]
    shown = ", ".join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        shown += f" and {len(names) - NAMES_SHOWN} more"
    return f"Skipped {len(names)} {one if len(names) == 1 else several}: {shown}. {why}"


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "something other than a file"


def _size_words(size: int) -> str:
    return f"{size:,} bytes ({size / (1024 * 1024):,.1f} MiB)"


def read_batch_file(entry: Entry, limit: int) -> bytes:
    """The bytes of a batch file of at most limit bytes (limit + 1 if it grew); raise FileRefusedError."""
    path = entry.path
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise FileRefusedError(
            "unreadable_file", f"cannot be read ({exc.strerror or exc})"
        ) from None
    real = path
    if stat.S_ISLNK(st.st_mode):
        try:
            real = path.resolve(strict=True)
            base = entry.folder.resolve(strict=True)
        except (OSError, RuntimeError):  # a dangling link, or a loop of links
            raise FileRefusedError(
                "unreadable_file", "is a link to nothing that can be read; it was not opened"
            ) from None
        if not real.is_relative_to(base):
            raise FileRefusedError(
                "link_outside",
                f"is a link to {real}, outside the folder {base}; links are followed only to"
                " files inside the folder, so it was not opened",
            )
        try:
            st = os.stat(real)
        except OSError as exc:
            raise FileRefusedError(
                "unreadable_file", f"cannot be read ({exc.strerror or exc})"
            ) from None
    _check_regular(st, limit, opened=False)
    flags = (
        os.O_RDONLY
        | getattr(os, "O_NONBLOCK", 0)  # a pipe swapped in after the first look cannot hang us
        | getattr(os, "O_NOFOLLOW", 0)  # nor a link swapped in
        | getattr(os, "O_NOCTTY", 0)
        | getattr(os, "O_BINARY", 0)
    )
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        raise FileRefusedError(
            "unreadable_file", f"cannot be read ({exc.strerror or exc})"
        ) from None
    try:
        _check_regular(os.fstat(fd), limit, opened=True)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise FileRefusedError(
            "unreadable_file", f"cannot be read ({exc.strerror or exc})"
        ) from None
    finally:
        os.close(fd)


def _check_regular(st: os.stat_result, limit: int, *, opened: bool) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise FileRefusedError(
            "not_a_file",
            f"is {_kind_of(st.st_mode)}, not a regular file"
            + ("; nothing was read from it" if opened else "; it was not opened"),
        )
    if st.st_size > limit:
        raise FileRefusedError(
            "too_large",
            f"is {_size_words(st.st_size)}; a batch is at most {_size_words(limit)},"
            " so it was not read",
        )
