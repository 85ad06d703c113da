"""Enrollment answers: the collector's signed answer (network and USB) and importing a request.

Both paths enroll through ``CollectorStore.enroll`` with a one-time token, so they refuse
alike (revoked, another district, a token used by another kiosk). A request brought on a
stick (wire/enrollment.py) carries the token the clerk typed, or the officer gives it when
importing, or an officer approves the request without one: then a token is issued for the
request's district in the officer's name and used at once, and the approval is audited with
that name. The answer is signed by the collector key and names the request it answers.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from collector.store import Enrollment, StoreError
from wire.enrollment import (
    EnrollAnswer,
    EnrollFileError,
    EnrollRequest,
    public_hex,
    read_request,
    request_hash,
    sign_answer,
)

if TYPE_CHECKING:
    from collector.store import CollectorStore

log = logging.getLogger(__name__)


def signed_answer(
    store: CollectorStore,
    key: Ed25519PrivateKey,
    e: Enrollment,
    public_key: str,
    request: bytes | None = None,
) -> bytes:
    """The signed answer file for an enrollment (of the request file request, if by USB)."""
    answer = EnrollAnswer(
        kiosk=e.kiosk,
        public_key=public_key,
        district=e.district,
        size_group=e.size_group,
        name_th=e.name_th,
        name_en=e.name_en,
        province_th=e.province_th,
        province_en=e.province_en,
        collector_key=public_hex(key),
        request=None if request is None else request_hash(request),
        issued_at=store.now(),
    )
    return sign_answer(key, answer)


def _enrolled_already(store: CollectorStore, request: EnrollRequest) -> Enrollment | None:
    """The kiosk's enrollment when it is enrolled, not revoked, for the request's district."""
    try:
        held = store.enrollment(request.kiosk)
    except StoreError:
        return None
    if held.district != request.district or store.kiosk_status(request.kiosk).revoked:
        return None
    return held


def enroll_by_request(
    store: CollectorStore,
    key: Ed25519PrivateKey,
    data: bytes,
    *,
    token: str | None = None,
    approved_by: str | None = None,
    source: str = "usb",
    source_addr: str | None = None,
    operator: str | None = None,
) -> tuple[EnrollRequest, Enrollment, bytes]:
    """Enroll the kiosk of a request file; return the request, the enrollment, the answer bytes.

    The token is the one given here, else the one in the request; with neither, approved_by
    (an officer's name) approves it. Raises StoreError: the request's own refusals
    (wire.enrollment codes, audited), ``no_token`` when nothing authorises it, and every
    refusal of ``CollectorStore.enroll``. The enrollment is audited with operator (the officer
    who imported it; approved_by when not given) and source.
    """
    try:
        request = read_request(data)
    except EnrollFileError as exc:
        store.audit(
            "refused", exc.code, f"enrollment request: {exc.message}", None, source,
            source_addr, approved_by,
        )  # fmt: skip
        raise StoreError(exc.code, exc.message) from None
    token = token.strip() if token and token.strip() else request.token
    if token is None:
        held = _enrolled_already(store, request)
        if held is not None:  # imported again (a lost answer, a second officer): answered again
            log.info("kiosk %s is enrolled already; its request is answered again", held.kiosk)
            return request, held, signed_answer(store, key, held, request.public_key, data)
        if approved_by is None:
            raise StoreError(
                "no_token",
                "the request carries no enrollment token: give the token from the district's"
                " enrollment sheet, or have an officer approve the request",
            )
        token = store.issue_token(request.district, operator=approved_by, source=source)
        store.audit(
            "token",
            "approved",
            f"enrollment of kiosk for district {request.district} approved without a token",
            request.kiosk,
            source,
            source_addr,
            approved_by,
            {"district": request.district},
        )
    e = store.enroll(
        token,
        request.public_key,
        source_addr,
        request.district,
        source=source,
        operator=operator or approved_by,
    )  # fmt: skip (the store logs the enrollment)
    return request, e, signed_answer(store, key, e, request.public_key, data)
