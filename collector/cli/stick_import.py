"""`sangsuk-collector import`: the batch files of a USB stick, a signed receipt beside each.

An enrollment request on the stick (``*.request.json``) enrolls its kiosk with the token it
carries, or the one given with ``--token``, or by the officer named with ``--approve``
(collector/enrollment.py), and its signed answer is written beside it (``*.answer.json``).

What is read from the stick, and how safely, is collector/stick.py; each batch then goes
through the same intake as a batch sent over the network (collector/intake.py). This command
only says the outcome of each file on one line, and writes its receipt.

Beside the receipts, in each folder it wrote one to, it writes the current campaign's signed
notice (``sangsuk-<year>.campaign.json``, collector/notices.py), which the kiosk reads with
them: a kiosk that only gets sticks learns the new year's campaign, or that the last one ended,
the way the console's receipts zip tells it.
"""

from __future__ import annotations

import argparse
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from collector import stick
from collector.cli.common import PROG, AddCommand, CliError, collector_key, open_store
from collector.cli.formatting import district_label, ranges_text
from collector.cli.words import Count, Local, Phrase, Worded, group, helped, joined, say
from collector.enrollment import enroll_by_request
from collector.intake import Refused, take_batch
from collector.refusals import REQUEST_WHY, batch_why
from collector.store import StoreError
from collector.store.target import DatabaseTarget
from wire.batch import MAX_BATCH_BYTES, check_batch
from wire.enrollment import MAX_ENROLL_FILE_BYTES
from wire.files import write_atomically
from wire.keys import DeviceKey, fingerprint_for, fingerprint_for_id
from wire.stick import answer_file_for, receipt_file_for

if TYPE_CHECKING:
    from collector.store import CollectorStore

log = logging.getLogger(__name__)
NO_SUCH_PATH = "does not exist (no file or folder by that name)"  # for the audit and English


def add_parser(add: AddCommand) -> None:
    """Add the import command."""
    imp = add("import", "cli.help.import")
    imp.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help=helped("cli.opt.import.files")
    )
    imp.add_argument(
        "--receipts",
        type=Path,
        metavar="DIR",
        help=helped("cli.opt.import.receipts"),
    )
    imp.add_argument(
        "--token",
        metavar="TOKEN",
        help=helped("cli.opt.import.token"),
    )
    imp.add_argument(
        "--approve",
        metavar="OFFICER",
        help=helped("cli.opt.import.approve"),
    )
    imp.set_defaults(run=run)


@dataclass(slots=True)
class _Tally:
    accepted: int = 0
    failed: int = 0
    new: int = 0
    duplicates: int = 0
    conflicts: int = 0
    receipts_missing: int = 0
    receipt_folders: set[Path] = field(default_factory=set)  # where the campaign notice goes
    notice_missing: int = 0
    enrolled: int = 0
    requests_refused: int = 0
    skipped: dict[str, list[str]] = field(default_factory=dict)  # names, by kind of entry


def _refusal_words(refused: Refused) -> str:
    """The first problem and how many more; or the store's sentence when it refused."""
    if not refused.problems:
        return refused.message
    first = refused.problems[0].message
    more = len(refused.problems) - 1
    return first + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")


def _skipped(kind: str, names: list[str]) -> Worded:
    """The entries of a kind that were skipped: the console's Thai, collector/stick.py's English."""
    shown = ", ".join(names[: stick.NAMES_SHOWN])
    if len(names) > stick.NAMES_SHOWN:
        shown += " " + Phrase("import.and_more", n=len(names) - stick.NAMES_SHOWN).in_language("th")
    english = stick.skipped_line(kind, names)
    return Worded(f"import.skipped.{kind}", english, n=len(names), names=shown)


def _why(code: str) -> Phrase:
    """Why a batch file was refused: the console's words (collector/refusals.py), or the
    command line's own for what only a folder on a stick can hold (a link, a device)."""
    if code in ("link_outside", "not_a_file"):
        return Phrase(
            "cli.import.link_outside" if code == "link_outside" else "cli.import.not_a_file"
        )
    return Phrase(f"import.why.{batch_why(code)}")


def run(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Import the batch files of a USB stick (collector/stick.py); a receipt beside each."""
    folder: Path | None = args.receipts
    if folder is not None and not folder.is_dir():
        raise CliError("cli.import.no_receipts_folder", folder=folder)
    if not any(os.path.lexists(given) for given in args.files):
        # A mistyped path, or a stick not plugged in (not mounted): nothing to import or audit.
        raise CliError("cli.import.no_such_path", paths=", ".join(map(str, args.files)))
    tally = _Tally()
    with open_store(db) as store:
        key = collector_key(store, db)
        # Enrollment requests first, as the console's import does: a kiosk's votes on the same
        # stick count only once its request has enrolled it.
        found = sorted(stick.entries(args.files), key=lambda e: not _is_request(e))
        for entry in found:
            if entry.skip is not None:  # companions and the like: one line per kind, below
                tally.skipped.setdefault(entry.skip, []).append(entry.path.name)
                continue
            if _is_request(entry):
                _enroll_one(store, key, entry, folder, tally, args.token, args.approve)
            else:
                _import_one(store, key, entry, folder, tally)
        if tally.receipt_folders:
            _write_notice(store, key, tally)
    for kind, names in tally.skipped.items():
        log.info("import: skipped %d %s: %s", len(names), kind, ", ".join(names[:50]))
    for kind in stick.SKIPPED:
        if kind in tally.skipped:
            say(_skipped(kind, tally.skipped[kind]))
    requests = tally.enrolled + tally.requests_refused
    if requests:
        say(
            "cli.import.requests",
            requests=Count(requests, "enrollment_request"),
            enrolled=tally.enrolled,
            refused=tally.requests_refused,
        )
    total = tally.accepted + tally.failed
    if total == 0 and requests:
        return 1 if tally.requests_refused else 0
    if total == 0:
        raise CliError("cli.import.no_batches")
    parts = [
        Phrase(
            "cli.import.accepted",
            n=tally.accepted,
            new=Count(tally.new, "new_vote"),
            held=tally.duplicates,
        )
    ]
    if tally.failed:
        parts.append(Phrase("cli.import.failed", n=tally.failed))
    if tally.conflicts:
        votes = Count(tally.conflicts, "conflicting_vote")
        parts.append(Phrase("cli.import.conflicts", votes=votes, prog=PROG))
    if tally.receipts_missing:
        parts.append(Phrase("cli.import.receipts_missing", n=tally.receipts_missing))
    skipped = sum(len(names) for names in tally.skipped.values())
    if skipped:
        parts.append(Phrase("cli.import.skipped", entries=Count(skipped, "other_entry")))
    say("cli.import.total", files=Count(total, "file"), parts=joined(parts))
    failed = tally.failed or tally.requests_refused or tally.notice_missing
    return 1 if failed or tally.conflicts or tally.receipts_missing else 0


def _is_request(entry: stick.Entry) -> bool:
    return entry.skip is None and stick.is_request_name(entry.path.name)


def _import_one(
    store: CollectorStore,
    key: DeviceKey,
    entry: stick.Entry,
    folder: Path | None,
    tally: _Tally,
) -> None:
    """Import one batch file and print its summary line."""
    path = entry.path
    name = str(path)
    try:
        if entry.error is not None:
            raise stick.FileRefusedError("unreadable_file", f"cannot be read ({entry.error})")
        if not os.path.lexists(path):  # mistyped, or gone (the stick pulled out)
            raise stick.FileRefusedError("unreadable_file", NO_SUCH_PATH)
        data = stick.read_batch_file(entry, MAX_BATCH_BYTES)
    except stick.FileRefusedError as exc:
        what = "folder" if entry.error is not None else "file"
        if exc.message == NO_SUCH_PATH:
            what = "path"
        verdict = "NOT IMPORTED" if exc.code == "unreadable_file" else "REFUSED"
        store.audit(
            "refused", exc.code, f"the {what} {exc.message}", None, "usb", name,
            facts={"what": what},
        )  # fmt: skip
        english = f"{name}: {verdict}, the {what} {exc.message}."
        if entry.error is not None:  # a folder given by name that cannot be listed
            said = Worded("cli.import.folder_unreadable", english, name=name, detail=entry.error)
        elif exc.message == NO_SUCH_PATH:
            said = Worded("cli.import.no_such_path_line", english, name=name)
        elif exc.code == "unreadable_file":
            said = Worded("cli.import.not_imported", english, name=name, detail=exc.message)
        else:
            said = Worded("cli.import.refused", english, name=name, why=_why(exc.code))
        say(said)
        tally.failed += 1
        return
    check = check_batch(data)
    outcome = take_batch(store, key.private_key, check, data, "usb", name)
    if isinstance(outcome, Refused):  # audited by the intake or the store
        english = f"{name}: REFUSED, {_refusal_words(outcome)}."
        say(Worded("cli.import.refused", english, name=name, why=_why(outcome.code)))
        tally.failed += 1
        return
    result = outcome.result
    tally.accepted += 1
    tally.new += result.new
    tally.duplicates += result.duplicates
    tally.conflicts += len(result.conflicts)
    assert check.kiosk is not None
    quarantined: Phrase = Local("", "")
    if result.conflicts:
        seqs = ranges_text([(s, s) for s in result.conflicts])
        quarantined = Phrase("cli.import.seqs_quarantined", seqs=seqs)
    line = Phrase(
        "cli.import.batch",
        name=name,
        kiosk=fingerprint_for_id(check.kiosk),
        district=district_label(check.votes[0].ballot.district),
        first=check.first_seq,
        last=check.last_seq,
        new=result.new,
        held=result.duplicates,
        conflicts=len(result.conflicts),
        quarantined=quarantined,
    )
    receipt_file = receipt_file_for(path, folder)
    try:
        write_atomically(receipt_file, outcome.receipt)
    except OSError as exc:
        tally.receipts_missing += 1
        log.warning("cannot write receipt %s: %s", receipt_file, exc)
        reason = exc.strerror or exc
        say("cli.import.receipt_not_written", line=line, receipt=receipt_file, reason=reason)
        return
    tally.receipt_folders.add(receipt_file.parent)
    log.info("imported %s: %d new, %d duplicates", name, result.new, result.duplicates)
    say("cli.import.receipt", line=line, receipt=receipt_file)


def _write_notice(store: CollectorStore, key: DeviceKey, tally: _Tally) -> None:
    """Write the current campaign's notice in every folder a receipt was written to."""
    from collector.notices import notice_file  # loads the store's campaigns: only now

    found = notice_file(store, key)
    if found is None:
        say("cli.import.no_campaign")
        return
    for where in sorted(tally.receipt_folders):
        path = where / found.name
        try:
            write_atomically(path, found.data)
        except OSError as exc:
            tally.notice_missing += 1
            log.warning("cannot write the campaign notice %s: %s", path, exc)
            reason = exc.strerror or exc
            say("cli.import.campaign_not_written", path=path, reason=reason, prog=PROG)
            continue
        log.info("campaign %s notice written to %s", found.campaign.year, path)
        say("cli.import.campaign", year=found.campaign.year, path=path)


def _enroll_one(
    store: CollectorStore,
    key: DeviceKey,
    entry: stick.Entry,
    folder: Path | None,
    tally: _Tally,
    token: str | None,
    approved_by: str | None,
) -> None:
    """Enroll the kiosk of one request file; write its signed answer beside it."""
    name = str(entry.path)
    try:
        if entry.error is not None:
            raise stick.FileRefusedError("unreadable_file", f"cannot be read ({entry.error})")
        data = stick.read_batch_file(entry, MAX_ENROLL_FILE_BYTES)
        _request, e, answer = enroll_by_request(
            store, key.private_key, data, token=token, approved_by=approved_by, source_addr=name
        )
    except (stick.FileRefusedError, StoreError) as exc:
        message = exc.message if isinstance(exc, stick.FileRefusedError) else str(exc)
        reason = REQUEST_WHY.get(exc.code, "invalid")
        why = Phrase(  # the page's words for no token say to tick its box: here, the options
            "cli.import.request_no_token"
            if reason == "no_token"
            else f"import.request_why.{reason}"
        )
        say(
            Worded(
                "cli.import.request_refused",
                f"{name}: ENROLLMENT REFUSED, {message}.",
                name=name,
                why=why,
            )
        )
        tally.requests_refused += 1
        return
    answer_file = answer_file_for(entry.path, folder)
    line = Phrase(
        "cli.import.enrolled",
        name=name,
        kiosk=fingerprint_for_id(e.kiosk),
        district=district_label(e.district),
        group=group(e.size_group),
    )
    try:
        write_atomically(answer_file, answer)
    except OSError as exc:
        tally.requests_refused += 1
        failed = exc.strerror or exc
        say("cli.import.answer_not_written", line=line, answer=answer_file, reason=failed)
        return
    tally.enrolled += 1
    fingerprint = fingerprint_for(key.public_key_raw)
    say("cli.import.answer", line=line, answer=answer_file, fingerprint=fingerprint)
