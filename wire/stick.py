"""The names of the files a kiosk writes on a USB stick and the collector reads from it.

A batch file holds exactly the bytes of a network batch (wire.batch); the collector writes its
signed receipt beside it; the CSV summary is for the clerk's spreadsheet and is never imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

BATCH_SUFFIX: Final = ".batch.json"
RECEIPT_SUFFIX: Final = ".receipt.json"
SUMMARY_SUFFIX: Final = ".summary.csv"
PARTIAL_SUFFIX: Final = ".partial"  # a file still being written; never read as a batch


def receipt_file_for(batch_file: Path, folder: Path | None = None) -> Path:
    """Where the collector writes a batch file's receipt: x.batch.json (or x.json) gives
    x.receipt.json, beside it or in folder; the kiosk looks for it there."""
    name = batch_file.name
    for suffix in (BATCH_SUFFIX, ".json"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return (folder or batch_file.parent) / (name + RECEIPT_SUFFIX)


# Enrollment by USB (wire/enrollment.py): the kiosk's request, the collector's answer beside it.
ENROLL_REQUEST_SUFFIX: Final = ".request.json"
ENROLL_ANSWER_SUFFIX: Final = ".answer.json"


def enroll_request_name(district: str, kiosk: str) -> str:
    """A kiosk's enrollment request file: sangsuk-enroll-<district>-<kiosk id, 8>.request.json."""
    return f"sangsuk-enroll-{district}-{kiosk[:8]}{ENROLL_REQUEST_SUFFIX}"


def answer_file_for(request_file: Path, folder: Path | None = None) -> Path:
    """Where the collector writes a request's answer: x.request.json gives x.answer.json."""
    name = request_file.name
    if name.casefold().endswith(ENROLL_REQUEST_SUFFIX):
        name = name[: -len(ENROLL_REQUEST_SUFFIX)]
    return (folder or request_file.parent) / (name + ENROLL_ANSWER_SUFFIX)
