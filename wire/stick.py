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
