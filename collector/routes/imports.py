"""Importing a USB stick in the console (officers): upload its files, get the receipts back.

The same import as `sangsuk-collector import` (cli/stick_import.py), through the browser: the
officer chooses the stick's files, or its folder, and each uploaded file goes by the stick's
rules (routes/upload_files.py, collector/stick.py): a batch file is checked off the event loop
by the app's checker, as ``POST /api/v1/batches`` checks one, and goes through the same intake
(``take_batch``, source "usb", the file's name); everything else is skipped, one line per kind.
The answer is a page with a row per batch file, an audit row naming the officer, and the
receipts to download, one by one or all in a zip; the zip carries the current campaign's
signed notice beside the receipts (``sangsuk-<year>.campaign.json``, collector/notices.py), so a
kiosk that only gets sticks reads the campaign with them. A kiosk's enrollment request among the files
is enrolled and its signed answer offered for download (routes/enroll_import.py).

The upload streams to disk as it arrives (collector/bodies.py): at most ``MAX_UPLOAD_BYTES``
in all, and a file larger than a batch can be is refused by its size, never read.

How the receipts are downloaded. The receipt of an accepted batch names that batch (its
votes_hash) and what it accepted, so it cannot be made again later from what is held: it is
the one the intake signed. Rather than keep those bytes on the server for a while (in one
serving process's memory, which another process behind the same port would not have, or in a
table of the database, which would need a migration and a clean-up), the result page carries
them: each accepted file's name and signed receipt are hidden fields of the page's one
download form, and ``POST /console/import/receipts`` (officers, CSRF) answers with the one
picked, or all of them as a zip. Nothing is secret in them (the kiosk is given them on a stick)
and nothing is in a URL; the server checks every receipt sent back against its own key before
handing it out, so the form can only return what this collector signed. The page and the
downloads are never stored by the browser or a proxy (no-store).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartParser
from starlette.types import Scope

from collector.auth.web import CheckedForm, Officer, require
from collector.checking import Checker, CheckerStoppedError
from collector.deps import CheckerDep, KeyDep, StoreDep
from collector.i18n import Translator
from collector.intake import Refused, take_batch
from collector.notices import notice_file, notice_file_name
from collector.refusals import batch_why
from collector.routes.enroll_import import RequestRow, checked_answer, is_request, take_request
from collector.routes.pages import ranges_text
from collector.routes.rendering import page, quiet_language, render, uploading_officer
from collector.routes.upload_files import (
    ReceiptFormError,
    UploadedName,
    beside_receipts,
    checked_receipts,
    receipts_zip,
    skipped_names,
    uploaded_name,
)
from collector.stick import NAMES_SHOWN
from collector.store import CollectorStore, Enrollment, StoreError, campaigns
from collector.store.campaigns import Campaign
from wire.batch import MAX_BATCH_BYTES, to_ranges
from wire.clock import THAI_TIME
from wire.enrollment import EnrollFileError
from wire.keys import DeviceKey, fingerprint_for, fingerprint_for_id

IMPORT_PATH: Final = "/console/import"
RECEIPTS_PATH: Final = "/console/import/receipts"
ANSWER_PATH: Final = "/console/import/answer"  # an enrollment answer (routes/enroll_import.py)
MAX_FILES: Final = 1000  # files in one upload, skipped ones too (a folder brings everything)
MAX_UPLOAD_BYTES: Final = 200 * MAX_BATCH_BYTES  # 200 batch files of the largest size: 800 MiB
MAX_RECEIPTS_BYTES: Final = MAX_BATCH_BYTES  # the download form: a few KiB per receipt
BODY_LIMITS: Final = {
    IMPORT_PATH: MAX_UPLOAD_BYTES,
    RECEIPTS_PATH: MAX_RECEIPTS_BYTES,
    ANSWER_PATH: MAX_RECEIPTS_BYTES,
}
# The upload's text fields (the CSRF value) are small; each file goes to disk past 64 KiB
# (Starlette's parser keeps up to 1 MiB of each in memory by default: 1,000 files of
# 1000 KiB would be a gigabyte of memory).
FORM_FIELDS: Final = 10
FIELD_BYTES: Final = 16 * 1024
MultiPartParser.spool_max_size = 64 * 1024
STREAMED: Final = frozenset({IMPORT_PATH})  # spooled to disk by the form parser as it arrives

log = logging.getLogger(__name__)


class UploadFormError(Exception):
    """A form the parser could not read (too many files, a broken body): the form, with why."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


async def parsed_form(request: Request) -> AsyncIterator[None]:
    """A dependency: parse the posted form with these pages' limits; close its files after.

    It runs after the role check (the router's) and before CheckedForm, which then reads the
    form parsed here: a form the parser refuses is answered with the import page, not a bare
    400, and the spooled files are closed as soon as the answer is made.
    """
    try:
        form = await request.form(
            max_files=MAX_FILES, max_fields=FORM_FIELDS, max_part_size=FIELD_BYTES
        )
    except HTTPException as exc:
        raise UploadFormError(str(exc.detail)) from None
    try:
        yield
    finally:
        await form.close()


router = APIRouter(include_in_schema=False, dependencies=[Depends(require("officer"))])


@dataclass(slots=True)
class FileRow:
    """What became of one uploaded batch file."""

    name: UploadedName
    outcome: str  # "accepted", "refused" or "not_imported" (try again)
    kiosk: str | None = None
    first_seq: int | None = None
    last_seq: int | None = None
    new: int = 0
    duplicates: int = 0
    conflicts: list[int] = field(default_factory=list)
    why: str | None = None  # the key under import.why.
    detail: str = ""  # the checker's or the store's words (English)
    more: int = 0  # further problems the checker found
    receipt: bytes | None = None
    place: Enrollment | None = None  # the kiosk's district, when it is enrolled
    pick: int = -1  # its place in the download form, when accepted

    @property
    def conflict_seqs(self) -> str:
        """The quarantined seqs as short text."""
        return ranges_text(to_ranges(self.conflicts))


@dataclass(slots=True)
class Imported:
    """An upload's outcome: a row per batch file, the skipped names by kind."""

    rows: list[FileRow]
    skipped: dict[str, list[str]]
    requests: list[RequestRow] = field(default_factory=list)
    campaign: Campaign | None = None  # the one whose notice the zip carries (none: no notice)

    def count(self, outcome: str) -> int:
        """How many files had this outcome."""
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def facts(self) -> dict[str, int]:
        """The upload's counts, for the audit row's facts (worded by routes/audit_words.py)."""
        accepted = [r for r in self.rows if r.outcome == "accepted"]
        return {
            "files": len(self.rows),
            "accepted": len(accepted),
            "new": sum(r.new for r in accepted),
            "held": sum(r.duplicates for r in accepted),
            "refused": self.count("refused"),
            "busy": self.count("not_imported"),
            "conflicts": sum(len(r.conflicts) for r in accepted),
            "requests": len(self.requests),
            "enrolled": sum(1 for r in self.requests if r.answer is not None),
            "skipped": sum(len(n) for n in self.skipped.values()),
        }

    @property
    def summary(self) -> str:
        """The upload in one English line, for the audit."""
        accepted = [r for r in self.rows if r.outcome == "accepted"]
        parts = [
            f"{len(self.rows)} batch file(s): {len(accepted)} accepted"
            f" ({sum(r.new for r in accepted)} new votes,"
            f" {sum(r.duplicates for r in accepted)} already held)"
        ]
        if self.count("refused"):
            parts.append(f"{self.count('refused')} refused")
        if self.count("not_imported"):
            parts.append(f"{self.count('not_imported')} not imported (busy)")
        conflicts = sum(len(r.conflicts) for r in accepted)
        if conflicts:
            parts.append(f"{conflicts} conflicting vote(s) quarantined")
        if self.requests:
            enrolled = sum(1 for r in self.requests if r.answer is not None)
            parts.append(
                f"{len(self.requests)} enrollment request(s): {enrolled} enrolled,"
                f" {len(self.requests) - enrolled} refused"
            )
        skipped = sum(len(n) for n in self.skipped.values())
        if skipped:
            kinds = ", ".join(f"{k} {len(n)}" for k, n in self.skipped.items())
            parts.append(f"{skipped} skipped ({kinds})")
        return "; ".join(parts)


# --- the pages ----------------------------------------------------------------------------


def _context(
    t: Translator, error: str | None, imported: Imported | None, collector_fingerprint: str = ""
) -> dict[str, Any]:
    """What the import page shows: the form, and an upload's outcome or what was wrong."""
    context: dict[str, Any] = {
        "title": t("import.heading"),
        "error": error,
        "imported": imported,
        "limits": t(
            "import.limits",
            batch=_mib(MAX_BATCH_BYTES),
            total=_mib(MAX_UPLOAD_BYTES),
            files=t.number(MAX_FILES),
        ),
        "fingerprint": fingerprint_for_id,
        "collector_fingerprint": collector_fingerprint,
    }
    if imported is not None:
        accepted = [r for r in imported.rows if r.outcome == "accepted"]
        for pick, row in enumerate(accepted):
            row.pick = pick
        context |= {
            "accepted": accepted,
            "new": sum(r.new for r in accepted),
            "held": sum(r.duplicates for r in accepted),
            "conflicts": sum(len(r.conflicts) for r in accepted),
            "refused": imported.count("refused") + imported.count("not_imported"),
            "skipped_count": sum(len(n) for n in imported.skipped.values()),
            "in_folders": any(r.name.in_folder for r in accepted),
            "campaign": imported.campaign,
            "notice_name": notice_file_name,
            "skipped": [
                (kind, len(names), _names_text(names, t))
                for kind, names in imported.skipped.items()
            ],
        }
    return context


def _names_text(names: list[str], t: Translator) -> str:
    """The first few names, and how many more."""
    shown = ", ".join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        shown += " " + t("import.and_more", n=t.number(len(names) - NAMES_SHOWN))
    return shown


def _show(
    request: Request,
    store: CollectorStore,
    status: int = 200,
    error: str | None = None,
    imported: Imported | None = None,
) -> HTMLResponse:
    """The import page in the reader's language (an answer to a post)."""
    lang = quiet_language(request)
    key: DeviceKey = request.app.state.key
    context = _context(Translator(lang), error, imported, fingerprint_for(key.public_key_raw))
    return render(request, store, "import.html", lang, status=status, **context)


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MiB"


@router.get(IMPORT_PATH, response_class=HTMLResponse)
async def import_page(request: Request, store: StoreDep) -> Response:
    """The form: choose the stick's batch files, or its folder; what to expect."""
    return await page(request, store, lambda t: ("import.html", _context(t, None, None)))


@router.post(
    IMPORT_PATH,
    response_class=HTMLResponse,
    dependencies=[Depends(parsed_form)],
)
async def import_files(
    request: Request,
    store: StoreDep,
    checker: CheckerDep,
    key: KeyDep,
    officer: Officer,
    form: CheckedForm,
) -> Response:
    """Import every batch file uploaded; the outcome, the audit row and the receipts."""
    t = Translator(quiet_language(request))
    uploads = _uploads(form)
    if not uploads:
        return _show(request, store, 422, t("import.choose_files"))
    names = [name for name, _ in uploads]
    imported = Imported([], skipped_names(names))
    token, approve = str(form.get("token") or "").strip()[:200], form.get("approve") == "yes"
    for name, upload in sorted(uploads, key=lambda u: u[0].parts):
        if is_request(name):  # enrollment first: the same stick may carry the kiosk's batches
            imported.requests.append(
                await take_request(store, key, officer.name, name, upload, token, approve)
            )
    for name, upload in sorted(uploads, key=lambda u: u[0].parts):
        if name.skip is None and not is_request(name):
            imported.rows.append(await _take_file(store, checker, key, officer.name, name, upload))
    await run_in_threadpool(_finish, store, imported, officer.name)
    if not imported.rows and not imported.requests:
        return _show(request, store, 422, t("import.no_batches"), imported)
    return _show(request, store, imported=imported)


def _uploads(form: FormData) -> list[tuple[UploadedName, UploadFile]]:
    """The uploaded files with what each is; an empty file input's blank is left out."""
    found: list[tuple[UploadedName, UploadFile]] = []
    for field_name, in_folder in (("files", False), ("folder", True)):
        for upload in form.getlist(field_name):
            if isinstance(upload, UploadFile) and upload.filename:
                name = uploaded_name(upload.filename, in_folder)
                if name is not None:
                    found.append((name, upload))
    return found


async def _take_file(
    store: CollectorStore,
    checker: Checker,
    key: DeviceKey,
    officer: str,
    name: UploadedName,
    upload: UploadFile,
) -> FileRow:
    """Read one batch file (never more than a batch can be), check it, take it in."""
    path = name.path
    size = upload.size
    data = b""
    if size is None or size <= MAX_BATCH_BYTES:
        try:
            data = await upload.read(MAX_BATCH_BYTES + 1)
        except OSError as exc:  # the spooled copy on the server's disk
            detail = f"the file cannot be read ({exc.strerror or exc})"
            await run_in_threadpool(
                store.audit, "refused", "unreadable_file", detail, None, "usb", path, officer
            )
            return FileRow(name, "not_imported", why="unreadable", detail=detail)
        size = len(data)
    if size > MAX_BATCH_BYTES:
        detail = (
            f"the file is {size:,} bytes; a batch is at most {MAX_BATCH_BYTES:,} bytes,"
            " so it was not read"
        )
        await run_in_threadpool(
            store.audit, "refused", "too_large", detail, None, "usb", path, officer
        )
        return FileRow(name, "refused", why="too_large", detail=detail)
    try:
        check = await checker.check(data)
    except CheckerStoppedError:
        return FileRow(name, "not_imported", why="busy", detail="the batch checker stopped")
    try:
        outcome = await run_in_threadpool(
            take_batch, store, key.private_key, check, data, "usb", path
        )
    except Exception as exc:  # e.g. the database stays locked: nothing stored, try again
        log.exception("import of %s failed", path)
        return FileRow(name, "not_imported", why="busy", detail=type(exc).__name__)
    if isinstance(outcome, Refused):  # audited by the intake or the store
        first = outcome.problems[0].message if outcome.problems else outcome.message
        more = max(0, len(outcome.problems) - 1)
        why = batch_why(outcome.code)
        return FileRow(name, "refused", check.kiosk, why=why, detail=first, more=more)
    result = outcome.result
    return FileRow(
        name,
        "accepted",
        check.kiosk,
        check.first_seq,
        check.last_seq,
        result.new,
        result.duplicates,
        list(result.conflicts),
        receipt=outcome.receipt,
    )


def _finish(store: CollectorStore, imported: Imported, officer: str) -> None:
    """Name each file's kiosk's district, and write the upload's audit row (with the officer)."""
    places: dict[str, Enrollment | None] = {}
    for row in imported.rows:
        if row.kiosk is not None and row.kiosk not in places:
            try:
                places[row.kiosk] = store.enrollment(row.kiosk)
            except StoreError:  # a kiosk that is not enrolled: its file was refused
                places[row.kiosk] = None
        row.place = places.get(row.kiosk or "")
    imported.campaign = campaigns.current(store)
    if not imported.rows and not imported.requests:
        reason = "no_batches"
    elif (
        imported.count("accepted") == len(imported.rows)
        and not any(r.conflicts for r in imported.rows)
        and all(r.answer is not None for r in imported.requests)
    ):
        reason = "imported"
    else:
        reason = "problems"
    store.audit("import", reason, imported.summary, None, "console", None, officer, imported.facts)


# --- the receipts ---------------------------------------------------------------------------


@router.post(
    RECEIPTS_PATH,
    response_class=Response,
    dependencies=[Depends(parsed_form)],
)
async def download_receipts(
    request: Request, store: StoreDep, key: KeyDep, officer: Officer, form: CheckedForm
) -> Response:
    """One receipt picked on the result page, or all of them as a zip with the current
    campaign's notice beside them (see the module's note)."""
    t = Translator(quiet_language(request))
    batches = [str(v) for v in form.getlist("batch")]
    receipts = [str(v) for v in form.getlist("receipt")]
    pick = str(form.get("pick") or "")
    try:
        paired = await run_in_threadpool(checked_receipts, batches, receipts, key.public_key)
        if pick.isdigit() and int(pick) < len(paired):
            name, data = paired[int(pick)]
            return attachment(data, "application/json", name.receipt_name)
        if pick not in ("zip", "zip-folders"):
            raise ReceiptFormError(f"nothing to download is named {pick[:20]!r}")
    except ReceiptFormError as exc:
        log.warning("receipt download by %s refused: %s", officer.name, exc)
        return _show(request, store, 422, t("import.download_bad"))
    if pick == "zip":
        files = [(name.receipt_name, data) for name, data in paired]
    else:
        files = [(name.receipt_path, data) for name, data in paired]
    notice = await run_in_threadpool(notice_file, store, key)
    if notice is not None:
        files = beside_receipts(files, notice.name, notice.data)
    now = store.clock.now().astimezone(THAI_TIME)
    archive = await run_in_threadpool(receipts_zip, files, now)
    return attachment(archive, "application/zip", f"sangsuk-receipts-{now:%Y%m%d-%H%M}.zip")


@router.post(ANSWER_PATH, response_class=Response, dependencies=[Depends(parsed_form)])
async def download_answer(
    request: Request, store: StoreDep, key: KeyDep, officer: Officer, form: CheckedForm
) -> Response:
    """An enrollment answer from the result page, once checked to be this collector's."""
    try:
        name, data = checked_answer(form.get("answer"), key)
    except EnrollFileError as exc:
        log.warning("answer download by %s refused: %s", officer.name, exc.message)
        t = Translator(quiet_language(request))
        return _show(request, store, 422, t("import.download_bad"))
    return attachment(data, "application/json", name)


def attachment(data: bytes, media_type: str, filename: str) -> Response:
    """A download: saved under filename, never kept by a browser or proxy (also the
    campaigns page's campaign file)."""
    plain = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in filename)
    disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )


# --- refusals before the route runs (installed by create_app) -------------------------------


async def refuse_too_large(scope: Scope, limit: int) -> Response:
    """A body over its limit (or of no stated size) on these paths: the import page, 413."""
    request = Request(scope)
    session = await uploading_officer(request)
    if isinstance(session, Response):
        return session
    store: CollectorStore = request.app.state.store
    t = Translator(quiet_language(request))
    declared = request.headers.get("content-length")
    if request.url.path == RECEIPTS_PATH:
        message = t("import.receipts_too_large")
    elif declared is None or not declared.isdigit():
        message = t("import.no_size")
    else:
        message = t("import.too_large", size=_mib(int(declared)), limit=_mib(limit))
    detail = f"an upload of {declared or 'unstated'} bytes, over the limit of {limit} bytes"
    await run_in_threadpool(
        store.audit, "refused", "too_large", detail, None, "console", None, session.operator.name
    )
    return _show(request, store, 413, message)


async def upload_refused(request: Request, exc: Exception) -> Response:
    """A form the parser could not read: the import page with why, nothing imported."""
    store: CollectorStore = request.app.state.store
    t = Translator(quiet_language(request))
    detail = exc.detail if isinstance(exc, UploadFormError) else str(exc)
    log.info("upload to %s not readable: %s", request.url.path, detail)
    return _show(request, store, 400, t("import.bad_upload", detail=detail, files=MAX_FILES))
