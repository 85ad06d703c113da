"""Votes to send again: delivered votes the collector says, in a signed receipt, it is missing.

A collector restored from a backup has lost the votes it received after that backup, but the
kiosks have marked them delivered (the delivery marks are final). Every receipt names the gaps
the collector has below its highest vote of this kiosk (``missing``, docs/protocol.md §4.4),
so the first receipt after the restore tells the kiosk which votes to send again.

What this promises:

* Only a receipt that verified against the pinned collector key is read, and from it only
  ``missing``, never ``held`` (which is for display). A seq is queued only when the collector
  listed it as missing *and* this kiosk holds it *and* has marked it delivered; a vote still
  undelivered is sent anyway. A listed seq this kiosk never had is ignored and logged.
* The list is kept in ``resend.json`` beside the ledger, replaced atomically (fsynced), owner-only.
  The ledger is not touched: its delivery marks stay final. A damaged file is logged and read as
  empty; nothing is lost by that, as the collector lists its gaps again in every receipt.
* A seq leaves the list only when a receipt accepts it.
* Two programs on one data folder (`sangsuk-kiosk sync` beside the kiosk window) each replace
  the file whole; one may undo the other's change. Both ways are harmless: a seq lost from the
  list is listed again by the next receipt, a seq put back is sent again and acknowledged.

The collector keeps each (kiosk, seq) once, so a vote sent again is never counted twice.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from kiosk.ledger import Ledger
from wire.batch import to_ranges
from wire.files import make_private_dir, write_atomically
from wire.receipt import Receipt

RESEND_FILE_NAME: Final = "resend.json"
log = logging.getLogger(__name__)
_lock = threading.Lock()  # one read-modify-write at a time (the sender and the USB screens)


def load_resend(data_dir: Path) -> list[int]:
    """The seqs to send again, sorted; a missing or damaged file reads as none (logged)."""
    path = data_dir / RESEND_FILE_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.warning("the re-send list %s cannot be read (%s); treating it as empty", path, exc)
        return []
    ranges = raw.get("seqs") if isinstance(raw, dict) else None
    if not isinstance(ranges, list) or not all(_is_range(r) for r in ranges):
        log.warning("the re-send list %s is not a list of ranges; treating it as empty", path)
        return []
    return sorted({s for a, b in ranges for s in range(a, b + 1)})


def resend_count(data_dir: Path) -> int:
    """How many votes are waiting to be sent again."""
    return len(load_resend(data_dir))


def _is_range(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(type(x) is int and x >= 1 for x in value)
        and value[0] <= value[1]
    )


def _save(data_dir: Path, seqs: Iterable[int]) -> None:
    make_private_dir(data_dir)
    body = {"seqs": [list(r) for r in to_ranges(seqs)]}
    write_atomically(data_dir / RESEND_FILE_NAME, json.dumps(body).encode("utf-8"))


def learn_missing(ledger: Ledger, receipt: Receipt) -> int:
    """Queue the delivered votes a verified receipt lists as missing; return how many are new.

    The caller must have checked the receipt's signature against the pinned collector key.
    """
    if not receipt.missing:
        return 0
    last = ledger.head()[0]
    asked: list[int] = []
    for first, end in receipt.missing:
        if end > last:
            log.warning(
                "a receipt lists votes %d-%d as missing, but this kiosk's last vote is %d:"
                " those it never had are ignored",
                max(first, last + 1),
                end,
                last,
            )
        if first <= last:
            asked.extend(ledger.delivered_seqs(first, min(end, last)))
    if not asked:
        return 0
    data_dir = ledger.path.parent
    with _lock:
        queued = set(load_resend(data_dir))
        new = set(asked) - queued
        if new:
            _save(data_dir, queued | new)
    if new:
        log.warning(
            "the collector is missing delivered votes %s of this kiosk (restored from a"
            " backup?): they will be sent again",
            _text(new),
        )
    return len(new)


def resend_accepted(data_dir: Path, ranges: Iterable[tuple[int, int]]) -> int:
    """Take the seqs a receipt accepted off the list; return how many left it."""
    accepted = {s for a, b in ranges for s in range(a, b + 1)}
    with _lock:
        queued = set(load_resend(data_dir))
        done = queued & accepted
        if done:
            _save(data_dir, queued - done)
    if done:
        log.info("the collector accepted votes %s sent again", _text(done))
    return len(done)


def _text(seqs: Iterable[int]) -> str:
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in to_ranges(seqs))
