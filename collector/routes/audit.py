"""The audit page (viewers and up): what was refused, quarantined, revoked, and who did what.

Filtered by kind, kiosk, operator and time (Thai dates, given as YYYY-MM-DD); repeated
anonymous refusals from one source show as one row with their count (collector/store/audit.py).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from collector.auth.web import require
from collector.deps import StoreDep
from collector.i18n import Translator
from collector.routes.rendering import PageError, int_param, page
from collector.store.audit import AuditFilter, count, kinds
from wire.clock import THAI_TIME, format_utc
from wire.keys import fingerprint_for_id

router = APIRouter(include_in_schema=False, dependencies=[Depends(require("viewer"))])


def _day(request: Request, name: str, t: Translator, next_day: bool) -> str | None:
    """A YYYY-MM-DD query parameter as the UTC start of that Thai day (or of the next)."""
    text = (request.query_params.get(name) or "").strip()
    if not text:
        return None
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


@router.get("/audit", response_class=HTMLResponse)
async def audit_page(request: Request, store: StoreDep) -> Response:
    """Refusals, conflicts, revocations, settings and operator actions; the quarantined votes."""

    def build(t: Translator) -> tuple[str, dict[str, Any]]:
        limit = int_param(request, "limit", 200, 1, 10_000, t)
        assert limit is not None
        which = AuditFilter(
            kind=_text(request, "kind", t),
            kiosk=_text(request, "kiosk", t),
            operator=_text(request, "operator", t),
            since=_day(request, "from", t, next_day=False),
            until=_day(request, "to", t, next_day=True),
        )
        rows = store.audit_rows(limit, which)
        with store.reading() as conn:
            total = count(conn, which)
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
            "fingerprint": fingerprint_for_id,
        }

    return await page(request, store, build)
