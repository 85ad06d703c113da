"""The files of a stick uploaded in the console: their names, which are batches, their receipts.

A browser sends each chosen file with a name: the file's own name for files chosen one by one,
and the path below the chosen folder's parent for a folder (``usb/sangsuk-….batch.json``, the
way Chromium sends a ``webkitdirectory`` input). The same rules as `sangsuk-collector import`
(collector/stick.py) decide what is a batch: a file chosen by name, or one at the top of the
chosen folder, is a batch by its name, or skipped as a summary, a receipt, a system file or
another file; whatever sits in a folder inside the chosen folder is skipped with that folder
(named once), as the import does not search folders inside a folder.

A receipt's name is the one the kiosk looks for beside its batch file (wire/stick.py), at the
top level of the zip or in the uploaded folder's layout; the zip carries the current campaign
notice beside them (collector/notices.py), where the kiosk reads it with its receipts. Names are made of the uploaded path's
parts with nothing that climbs out of a folder (``..``, an absolute path, a backslash), so a
zip unpacks only where it is unpacked.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

from collector import stick
from wire.ed25519 import PublicKey
from wire.receipt import check_receipt
from wire.stick import receipt_file_for

MAX_NAME_CHARS: Final = 1000  # of an uploaded path; a longer one is cut in the page


@dataclass(frozen=True, slots=True)
class UploadedName:
    """An uploaded file's path as parts, whether it came in a folder, and why it is skipped."""

    parts: tuple[str, ...]
    in_folder: bool
    skip: str | None  # a key of stick.SKIPPED, or None for a batch file
    skipped_as: str = ""  # the name the "skipped" line shows (a folder inside: its name)

    @property
    def path(self) -> str:
        """The path as uploaded (parts joined with /), for the page and the audit."""
        return "/".join(self.parts)[:MAX_NAME_CHARS]

    @property
    def receipt_name(self) -> str:
        """The receipt's file name, as the kiosk looks for it beside this batch file."""
        return receipt_file_for(Path(self.parts[-1])).name

    @property
    def receipt_path(self) -> str:
        """The receipt's path in the uploaded folder's layout (its name alone for a file)."""
        return "/".join((*self.parts[:-1], self.receipt_name))


def path_parts(raw: str) -> tuple[str, ...]:
    """The parts of an uploaded path, leaving out empty ones and those that climb (. and ..)."""
    return tuple(p for p in raw.replace("\\", "/").split("/") if p not in ("", ".", ".."))


def uploaded_name(raw: str, in_folder: bool) -> UploadedName | None:
    """What an uploaded file is, by the stick's rules; None for an empty file input's blank."""
    parts = path_parts(raw)
    if not parts:
        return None
    if in_folder and len(parts) > 2:  # in a folder inside the chosen one: skipped with it
        inner = parts[1]
        return UploadedName(parts, True, stick.skip_kind_in_folder(inner, True) or "folder", inner)
    kind = stick.skip_kind_in_folder(parts[-1], False)
    return UploadedName(parts, in_folder, kind, parts[-1])


def skipped_names(names: Sequence[UploadedName]) -> dict[str, list[str]]:
    """The skipped names by kind, in the stick's order of kinds, each folder inside named once."""
    found: dict[str, list[str]] = {}
    for name in names:
        if name.skip is not None:
            shown = found.setdefault(name.skip, [])
            if name.skip not in ("folder", "system") or name.skipped_as not in shown:
                shown.append(name.skipped_as)
    return {kind: found[kind] for kind in stick.SKIPPED if kind in found}


class ReceiptFormError(ValueError):
    """The download form sent back something that is not this collector's receipt of a batch."""


def checked_receipts(
    batches: Sequence[str], receipts: Sequence[str], collector_key: PublicKey
) -> list[tuple[UploadedName, bytes]]:
    """Each batch file's name with its receipt, after checking each is signed by this collector.

    Raises ReceiptFormError when the lists do not pair up, a name is not a batch file's or a
    receipt's signature does not verify: the download returns only what the collector signed.
    """
    if len(batches) != len(receipts) or not batches:
        raise ReceiptFormError("the batch names and the receipts do not pair up")
    paired: list[tuple[UploadedName, bytes]] = []
    for raw, text in zip(batches, receipts, strict=True):
        name = uploaded_name(raw, in_folder="/" in raw)
        if name is None or name.skip is not None:
            raise ReceiptFormError(f"{raw[:100]!r} is not the name of a batch file")
        data = text.encode("utf-8")
        try:
            kiosk = json.loads(data).get("kiosk")
        except (ValueError, AttributeError):
            kiosk = None
        check = check_receipt(data, collector_key, kiosk if isinstance(kiosk, str) else "")
        if not check.ok:
            why = check.problems[0].message if check.problems else "unreadable"
            raise ReceiptFormError(f"the receipt for {name.path!r} is not valid: {why}")
        paired.append((name, data))
    return paired


def beside_receipts(
    receipts: Sequence[tuple[str, bytes]], name: str, data: bytes
) -> list[tuple[str, bytes]]:
    """The receipts with a file named name beside them in every folder they are in (the
    campaign notice: the kiosk reads it in the folder it reads its receipts from)."""
    folders = sorted({path.rpartition("/")[0] for path, _ in receipts})
    return [*receipts, *((f"{folder}/{name}" if folder else name, data) for folder in folders)]


def receipts_zip(receipts: Sequence[tuple[str, bytes]], when: datetime) -> bytes:
    """A zip of receipts by their paths; a path given twice keeps the later receipt."""
    latest = dict(receipts)  # a batch uploaded twice: its newer receipt says more
    buffer = io.BytesIO()
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(latest):
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, latest[path])
    return buffer.getvalue()
