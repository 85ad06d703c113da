"""The audit page (viewers and up): what was refused, quarantined, revoked, and who did what.

Filtered by kind, kiosk, operator and time (Thai dates, given as YYYY-MM-DD); repeated
anonymous refusals from one source show as one row with their count (collector/store/audit.py).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from collector.auth.web import require
from collector.deps import StoreDep
from collector.i18n import Translator
from collector.refusals import refusal_words_key
from collector.routes.audit_words import said, via
from collector.routes.rendering import PageError, int_param, page
from collector.store.audit import AuditFilter, count, kinds
from collector.store.campaigns import christian_era_day
from wire.clock import THAI_TIME, format_utc
from wire.keys import fingerprint_for_id

router = APIRouter(include_in_schema=False, dependencies=[Depends(require("viewer"))])
# Where the words for a row's reason are, by the row's kind (a reason is a code, or for
# "settings" the setting's name, for "announced" the size group); "refused" is refusal_words_key.
REASON_KEYS: Final = {
    "login": "audit.reason.login.",  # ok, logout(_others, _by_admin), recovery_code, confirmed
    "token": "audit.reason.token.",  # issued, voided, approved
    "operator": "audit.reason.operator.",  # added, changed, second_step_on/_off/_reset, ...
    "campaign": "audit.reason.campaign.",  # defined
    "districts": "audit.reason.districts.",  # loaded
    "import": "audit.reason.import.",  # imported, problems, no_batches
    "revoked": "audit.reason.revoked.",  # revoked
    "enrolled": "audit.reason.enrolled.",  # new, again
    "copied": "audit.reason.copied.",  # copied
    "settings": "audit.reason.settings.",  # results_public, ranking.prior_weight, ...
    "conflict": "quarantine.",  # conflict, chain_fork
    "conflict-again": "quarantine.",
    "announced": "group.",  # small, medium, large
}
PAGE_ROWS: Final = 200  # rows a page shows; older ones are a link away


def reason_words(t: Translator, kind: str, reason: str) -> str | None:
    """An audit row's reason in the reader's words, or None where there are none (a folder's
    name for "published", or a code this version does not know: the code is shown as it is)."""
    if kind == "refused":
        found = refusal_words_key(reason)
        key = f"audit.refusal.{found}" if found else None
    else:
        key = REASON_KEYS[kind] + reason if kind in REASON_KEYS else None
    return t(key) if key and t.has(key) else None


def _day(request: Request, name: str, t: Translator, next_day: bool) -> str | None:
    """A YYYY-MM-DD query parameter as the UTC start of that Thai day (or of the next)."""
    text = (request.query_params.get(name) or "").strip()
    if not text:
        return None
    ce = christian_era_day(text)
    if ce is not None:  # 2569-12-06: a Buddhist-era year, 543 ahead
        raise PageError(
            422, "error.bad_request", [t("audit.buddhist_day", name=name, value=text, ce=ce)]
        )
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()
        if next_day:
            day += timedelta(days=1)
        return format_utc(datetime.combine(day, time(0), THAI_TIME))
    except (ValueError, OverflowError):  # not a date, or one at the calendar's very ends
        raise PageError(
            422, "error.bad_request", [t("audit.bad_day", name=name, value=text)]
        ) from None


def _text(request: Request, name: str, t: Translator) -> str | None:
    """A text filter as typed (trimmed); a control character in it gets a 422 page."""
    text = (request.query_params.get(name) or "").strip()
    if not text.isprintable() or len(text) > 200:
        raise PageError(422, "error.bad_request", [t("audit.bad_text", name=name)])
    return text or None


def _link(request: Request, before: int | None) -> str:
    """This page's address with its filters, showing the rows older than before (or the newest)."""
    params = {k: v for k, v in request.query_params.items() if k != "before" and v}
    if before is not None:
        params["before"] = str(before)
    return "/audit" + ("?" + urlencode(params) if params else "")


@router.get("/audit", response_class=HTMLResponse)
async def audit_page(request: Request, store: StoreDep) -> Response:
    """Refusals, conflicts, revocations, settings and operator actions; the quarantined votes."""

    def build(t: Translator) -> tuple[str, dict[str, Any]]:
        limit = int_param(request, "limit", PAGE_ROWS, 1, 10_000, t)
        assert limit is not None
        before = int_param(request, "before", None, 1, 2**62, t)  # older than this row's id
        which = AuditFilter(
            kind=_text(request, "kind", t),
            kiosk=_text(request, "kiosk", t),
            operator=_text(request, "operator", t),
            since=_day(request, "from", t, next_day=False),
            until=_day(request, "to", t, next_day=True),
            before=before,
        )
        rows = store.audit_rows(limit + 1, which)  # one more tells whether older rows exist
        older = rows[limit - 1]["id"] if len(rows) > limit else None
        rows = rows[:limit]
        with store.reading() as conn:
            total = count(conn, replace(which, before=None))
            all_kinds = kinds(conn)
        return "audit.html", {
            "title": t("nav.audit"),
            "rows": rows,
            "total": total,
            "kinds": all_kinds,
            "which": which,
            "day_from": request.query_params.get("from") or "",
            "day_to": request.query_params.get("to") or "",
            "quarantined": store.quarantined(limit),
            "quarantined_total": store.quarantined_count(),
            "limit": limit,
            "older": _link(request, before=older) if older else None,
            "newest": _link(request, before=None) if before else None,
            "reason_words": lambda kind, reason: reason_words(t, kind, reason),
            "via": lambda source: via(t, source),
            "said": lambda row: said(t, row, reason_words(t, row["kind"], row["reason"])),
            "fingerprint": fingerprint_for_id,
        }

    return await page(request, store, build)
