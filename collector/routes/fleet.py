"""The kiosk fleet (viewers and up): every kiosk's health; finding one; revoking one (officers).

The rows follow the fleet rules (collector/fleet.py), as the `kiosks` command does. Revoking
asks for a reason on a page of its own, then goes through the store's ``revoke`` as the CLI's
does, with the officer's name and reason in the audit. Revoking cannot be undone: it is a
sensitive form (sudo mode, auth/web.py ``recently_confirmed``), done only within
accounts.CONFIRM_WINDOW of the officer's last proof of who they are.
"""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from collector import results
from collector.auth.web import CheckedForm, ConfirmedOfficer, Officer, require
from collector.deps import StoreDep
from collector.fleet import SILENT_AFTER, KioskRow, kiosk_rows, software_counts
from collector.i18n import Translator
from collector.routes.pages import clock_text, ranges_text
from collector.routes.rendering import PageError, choice_param, page, url_with
from collector.store import StoreError
from collector.store.district_groups import District
from wire.keys import fingerprint_for_id

# What a person types between the groups of a fingerprint read out or copied: "EBB4-2F1A …".
_READ_OUT_SEPARATORS: Final = frozenset(" -\u2010\u2011\u2012\u2013\u2014")

router = APIRouter(include_in_schema=False, dependencies=[Depends(require("viewer"))])


@router.get("/kiosks", response_class=HTMLResponse)
async def kiosks_page(request: Request, store: StoreDep) -> Response:
    """Every kiosk: last seen, gaps, clock, revoked; the ones that need a look first."""

    def build(t: Translator) -> tuple[str, dict[str, Any]]:
        show = choice_param(request, "show", ("problems",), t)
        query = (request.query_params.get("q") or "").strip()
        rows = kiosk_rows(store)
        with store.reading() as conn:
            names = results.districts(conn)
        shown = [r for r in rows if r.problem] if show else rows
        if query:
            shown = [r for r in shown if _matches(r, names, query)]
        return "kiosks.html", {
            "title": t("nav.kiosks"),
            "rows": shown,
            "all_rows": rows,
            "software": software_counts(r.status for r in rows),
            "names": names,
            "show": show,
            "query": query,
            "threshold": store.skew_threshold_s,
            "silent_days": SILENT_AFTER.days,
            "clock_text": clock_text,
            "ranges": ranges_text,
            "problems_url": url_with(request, show="problems"),
            "all_url": url_with(request, show=None),
        }

    return await page(request, store, build)


def _matches(row: KioskRow, names: dict[str, District], query: str) -> bool:
    """True when query is in the kiosk's id or its fingerprint as the page shows it (dashes and
    spaces ignored, as a clerk reads it out on the phone), its software version (as a whole),
    or its district's code, or the Thai or English name of its district or province."""
    status = row.status
    folded = query.casefold()
    if status.software is not None and folded == status.software.casefold():
        return True
    bare = "".join(c for c in folded if c not in _READ_OUT_SEPARATORS)
    if bare and bare in status.kiosk.casefold():  # the fingerprint is the id's first 16 digits
        return True
    district = names.get(status.district)
    words = [status.district]
    if district is not None:
        words += [district.name(lang) for lang in ("th", "en")]
        words += [district.province(lang) for lang in ("th", "en")]
    return any(folded in w.casefold() for w in words)


def _revoke_form(
    store: StoreDep, kiosk: str, t: Translator, error: str | None
) -> tuple[str, dict[str, Any]]:
    try:
        status = store.kiosk_status(kiosk)
    except StoreError:
        raise PageError(404, "error.not_found", [t("revoke.unknown", kiosk=kiosk)]) from None
    with store.reading() as conn:
        names = results.districts(conn)
    return "revoke.html", {
        "title": t("revoke.heading"),
        "s": status,
        "district": names.get(status.district),
        "fingerprint": fingerprint_for_id,  # as the clerk reads it on the kiosk's overview
        "error": t(error) if error else None,
    }


@router.get("/kiosks/{kiosk}/revoke", response_class=HTMLResponse)
async def revoke_page(request: Request, kiosk: str, store: StoreDep, officer: Officer) -> Response:
    """Ask for the reason before revoking a kiosk."""
    return await page(request, store, lambda t: _revoke_form(store, kiosk, t, None))


@router.post("/kiosks/{kiosk}/revoke", response_class=HTMLResponse)
async def revoke(
    request: Request, kiosk: str, store: StoreDep, officer: ConfirmedOfficer, form: CheckedForm
) -> Response:
    """Revoke the kiosk with the officer's reason (which must be given); back to the fleet."""
    reason = " ".join(str(form.get("reason") or "").split())
    if not reason:
        shown = await page(
            request, store, lambda t: _revoke_form(store, kiosk, t, "revoke.reason_needed")
        )
        if shown.status_code == 200:
            shown.status_code = 422
        return shown
    try:
        await run_in_threadpool(store.revoke, kiosk, reason[:500], officer.name, "console")
    except StoreError:
        return await page(request, store, lambda t: _revoke_form(store, kiosk, t, None))
    return RedirectResponse(f"/kiosks?q={kiosk}", status_code=303)
