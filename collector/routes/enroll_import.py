"""Enrollment requests on the console's import page (officers): enroll the kiosk, offer its answer.

A kiosk's enrollment request (``*.request.json``, wire/enrollment.py) uploaded with a stick's
files is enrolled through the same function as `sangsuk-collector import`
(collector/enrollment.py, then ``CollectorStore.enroll``): with the token it carries, or the
token the officer typed in the form, or, when the officer ticked "approve", on that officer's
approval (audited with the name). The signed answer is offered for download as the result
page's form, which carries the answer's bytes back (as the receipts are, routes/imports.py):
``POST /console/import/answer`` checks that they are an answer this collector signed before
handing them out under the name the kiosk looks for (routes/imports.py serves it).
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from collector.enrollment import enroll_by_request
from collector.refusals import REQUEST_WHY
from collector.routes.upload_files import UploadedName
from collector.store import CollectorStore, Enrollment, StoreError
from wire.enrollment import MAX_ENROLL_FILE_BYTES, EnrollFileError, read_answer, read_request
from wire.keys import DeviceKey
from wire.stick import ENROLL_ANSWER_SUFFIX, ENROLL_REQUEST_SUFFIX, enroll_request_name

log = logging.getLogger(__name__)


@dataclass(slots=True)
class RequestRow:
    """What became of one uploaded enrollment request."""

    name: UploadedName
    enrollment: Enrollment | None = None
    answer: bytes | None = None
    why: str = ""  # the key under import.request_why. when refused
    detail: str = ""  # the store's or the checker's words (English)
    kiosk: str | None = None  # the request's kiosk and district, when it could be read
    district: str = ""

    @property
    def answer_name(self) -> str:
        """The answer's file name, as the kiosk looks for it beside its request."""
        name = self.name.parts[-1]
        if name.casefold().endswith(ENROLL_REQUEST_SUFFIX):
            name = name[: -len(ENROLL_REQUEST_SUFFIX)]
        return name + ENROLL_ANSWER_SUFFIX


def is_request(name: UploadedName) -> bool:
    """True for an uploaded enrollment request (a file at the top, by its name)."""
    return name.skip is None and name.parts[-1].casefold().endswith(ENROLL_REQUEST_SUFFIX)


async def take_request(
    store: CollectorStore,
    key: DeviceKey,
    officer: str,
    name: UploadedName,
    upload: UploadFile,
    token: str,
    approve: bool,
) -> RequestRow:
    """Enroll the kiosk of one uploaded request; its answer, or why it was refused."""
    row = RequestRow(name)
    data = await upload.read(MAX_ENROLL_FILE_BYTES + 1)
    if len(data) > MAX_ENROLL_FILE_BYTES:
        row.why, row.detail = "invalid", "the file is larger than an enrollment request can be"
        await run_in_threadpool(
            store.audit, "refused", "too_large", row.detail, None, "console", name.path, officer
        )
        return row
    try:
        _, row.enrollment, row.answer = await run_in_threadpool(
            lambda: enroll_by_request(
                store,
                key.private_key,
                data,
                token=token or None,
                approved_by=officer if approve else None,
                source="console",
                source_addr=name.path,
                operator=officer,
            )
        )
    except StoreError as exc:
        row.why, row.detail = REQUEST_WHY.get(exc.code, "invalid"), str(exc)
        log.info("enrollment request %s refused (%s): %s", name.path, exc.code, exc)
        with contextlib.suppress(EnrollFileError):  # which kiosk asked, to find it on the stick
            request = read_request(data)
            row.kiosk, row.district = request.kiosk, request.district
    return row


def checked_answer(raw: object, key: DeviceKey) -> tuple[str, bytes]:
    """(file name, bytes) of an answer sent back by the result page, once checked to be an
    answer this collector signed; raise EnrollFileError otherwise."""
    if not isinstance(raw, str):
        raise EnrollFileError("malformed", "no answer was sent")
    data = raw.encode("utf-8")
    answer = read_answer(data)
    if answer.collector_key != key.public_key_raw.hex():
        raise EnrollFileError("wrong_collector", "the answer is not this collector's")
    name = enroll_request_name(answer.district, answer.kiosk).replace(
        ENROLL_REQUEST_SUFFIX, ENROLL_ANSWER_SUFFIX
    )
    return name, data
