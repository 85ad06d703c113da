"""The names of the files a kiosk writes on a USB stick and the collector reads from it.

A batch file holds exactly the bytes of a network batch (wire.batch); the collector writes its
signed receipt beside it; the CSV summary is for the clerk's spreadsheet and is never imported.
"""

from __future__ import annotations

from typing import Final

BATCH_SUFFIX: Final = ".batch.json"
RECEIPT_SUFFIX: Final = ".receipt.json"
SUMMARY_SUFFIX: Final = ".summary.csv"
PARTIAL_SUFFIX: Final = ".partial"  # a file still being written; never read as a batch
