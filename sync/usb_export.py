"""Export to a USB stick with a CSV summary beside the batch files, for people with Excel.

One row per exported vote, in seq order: when (Thai time), the rating in words, who served
(with the roster's name; retired staff keep theirs), the service, the tags and the story.
It is a convenience for the district office, not data: the collector reads only the signed
batch files. It is UTF-8 with a byte-order mark and CRLF line ends, which Excel needs to show
Thai; a cell that starts like a formula (= + - @) is prefixed with ' so that Excel never runs
a story as a formula. Written like the batches: a temporary name, fsynced, renamed, read back.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kiosk.ledger import Ledger
from kiosk.resend import load_resend
from kiosk.roster import Roster
from sync.batcher import Batch
from sync.usb import UsbError, export_batches, write_durably
from wire.clock import thai_time_text
from wire.keys import DeviceKey
from wire.stick import SUMMARY_SUFFIX
from wire.vote import Vote

BOM: Final = "\ufeff"
HEADER: Final = (
    "ลำดับ (seq)",
    "วันเวลา (เวลาไทย)",
    "คะแนน (1-5)",
    "ความพึงพอใจ",
    "ผู้ให้บริการ",
    "รหัส",
    "ชื่อ",
    "บริการ",
    "ความประทับใจ",
    "เรื่องเล่า",
    "ไฟล์",
)
RATING_WORDS: Final = {
    5: "พอใจมากที่สุด",
    4: "พอใจมาก",
    3: "พอใจปานกลาง",
    2: "ไม่พอใจ",
    1: "ไม่พอใจมาก",
}
TARGET_WORDS: Final = {"staff": "เจ้าหน้าที่", "unit": "หน่วยงาน"}
NO_TARGET: Final = "ไม่ระบุ"
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def summary_file_name(district: str, kiosk_id: str, first_seq: int, last_seq: int) -> str:
    """sangsuk-<district>-<kiosk id, 8>-<first, 8>-<last, 8>.summary.csv (as the batch names)."""
    return f"sangsuk-{district}-{kiosk_id[:8]}-{first_seq:08d}-{last_seq:08d}{SUMMARY_SUFFIX}"


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def summary_rows(votes: Iterable[tuple[Vote, str]], roster: Roster) -> list[list[str]]:
    """The CSV's rows (header first) for (vote, batch file name) pairs."""
    rows = [list(HEADER)]
    for vote, file_name in votes:
        b = vote.ballot
        if b.target is None:
            kind, ident, name = NO_TARGET, "", ""
        else:
            kind = TARGET_WORDS.get(b.target.kind, b.target.kind)
            ident = b.target.id
            name = roster.target_name(b.target, "th") or ""
        service = roster.service_by_code(b.service) if b.service else None
        tags = [roster.tag_by_code(t) for t in b.tags]
        rows.append(
            [
                str(vote.seq),
                thai_time_text(vote.cast_at),
                str(b.rating),
                RATING_WORDS.get(b.rating, ""),
                kind,
                ident,
                _safe(name),
                _safe(service.name_th if service else (b.service or "")),
                _safe(
                    ", ".join(
                        t.label_th if t else code for t, code in zip(tags, b.tags, strict=True)
                    )
                ),
                _safe(b.story),
                file_name,
            ]
        )
    return rows


def summary_bytes(rows: list[list[str]]) -> bytes:
    """The CSV file's bytes: UTF-8 with a BOM, CRLF line ends, every cell quoted as needed."""
    out = io.StringIO(newline="")
    out.write(BOM)
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def write_summary(path: Path, rows: list[list[str]]) -> Path:
    """Write the summary durably (temporary name, fsync, rename, read back); raise UsbError."""
    data = summary_bytes(rows)
    try:
        write_durably(path, data)
        if path.read_bytes() != data:
            raise OSError(0, "the summary read back differs from what was written")
    except OSError as exc:
        with contextlib.suppress(OSError):
            path.unlink()
        raise UsbError(
            "summary_failed",
            f"The summary {path.name} could not be written to {path.parent}"
            f" ({exc.strerror or exc}). The batch files already written are complete",
        ) from exc
    return path


# --- the whole export, as the clerk's screen and `sangsuk-kiosk export` run it ---------------


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote: the batch files, the summary, and how many votes; ``resent`` of
    them were delivered before and sent again because the central office asked for them."""

    files: tuple[Path, ...]
    summary: Path | None
    votes: int
    resent: int = 0


ProgressCallback = Callable[[int, int], None]  # votes written so far, votes to write


def export_with_summary(
    ledger: Ledger,
    key: DeviceKey,
    district: str,
    folder: Path,
    batch_size: int,
    roster: Roster,
    on_progress: ProgressCallback | None = None,
) -> ExportResult:
    """Export every undelivered vote (and every vote the collector asked for again, see
    kiosk/resend.py) as verified batch files, then the CSV summary beside them.

    Raises UsbError (with ``written`` naming the complete files) when the stick fails; the
    file being written then is removed, so no partial file is left that looks like a batch.
    """
    asked_again = set(load_resend(ledger.path.parent))  # delivered votes, never pending ones
    total = ledger.counts().pending + len(asked_again)
    exported: list[tuple[Vote, str]] = []

    def one_batch(path: Path, batch: Batch, votes: list[Vote]) -> None:
        exported.extend((vote, path.name) for vote in votes)
        if on_progress is not None:
            on_progress(len(exported), max(total, len(exported)))

    if on_progress is not None:
        on_progress(0, total)
    files = export_batches(ledger, key, district, folder, batch_size, on_batch=one_batch)
    if not files:
        return ExportResult((), None, 0)
    exported.sort(key=lambda row: row[0].seq)  # the votes sent again come after the new ones
    name = summary_file_name(district, key.kiosk_id, exported[0][0].seq, exported[-1][0].seq)
    try:
        summary = write_summary(folder / name, summary_rows(exported, roster))
    except UsbError as exc:
        exc.written = list(files)
        raise
    resent = sum(1 for vote, _name in exported if vote.seq in asked_again)
    return ExportResult(tuple(files), summary, len(exported), resent)
