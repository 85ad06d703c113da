"""The campaigns page (officers): every campaign, and the form that defines the next one.

A campaign is defined once, through the same ``campaigns.add`` as the CLI's, with the
officer's name in the audit; a wrong field re-renders the form with what was typed and a
sentence naming the field, status 422, nothing stored (collector/store/campaigns.py).
"""

from __future__ import annotations

import logging
from typing import Any, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from collector.auth.web import CheckedForm, Officer, require
from collector.deps import StoreDep
from collector.i18n import Translator
from collector.routes.rendering import choice_param, page
from collector.store import CollectorStore, campaigns
from collector.store.campaigns import FIELDS, CampaignError
from wire.clock import thai_day

router = APIRouter(include_in_schema=False, dependencies=[Depends(require("officer"))])
log = logging.getLogger(__name__)
DONE: Final = ("added",)


def _page(
    request: Request,
    store: CollectorStore,
    t: Translator,
    typed: dict[str, str] | None = None,
    error: CampaignError | None = None,
) -> tuple[str, dict[str, Any]]:
    done = None if error else choice_param(request, "done", DONE, t)
    said = None
    if error is not None:
        values = dict(error.values)
        if "field" in values:
            values["field"] = t(f"campaigns.field.{values['field']}")
        said = t(error.key, **values)
    year = (typed or {}).get("year", "").strip()
    be = int(year) if year.isdigit() and int(year) in campaigns.YEARS else this_year(store)
    return "campaigns.html", {
        "title": t("nav.campaigns"),
        "rows": campaigns.every(store),
        "current": campaigns.current(store),
        "typed": typed or dict.fromkeys(FIELDS, ""),
        "fields": FIELDS,
        "done": t("campaigns.added") if done else None,
        "error": said,
        "dates_hint": t("campaigns.dates_hint", be=be, ce=be - campaigns.BE_OFFSET),
    }


def this_year(store: CollectorStore) -> int:
    """The Buddhist-era year of today in Thailand, by the collector's clock."""
    return thai_day(store.clock.now()).year + campaigns.BE_OFFSET


@router.get("/console/campaigns", response_class=HTMLResponse)
async def campaigns_page(request: Request, store: StoreDep) -> Response:
    """Every campaign, the latest first, and the form to define one."""
    return await page(request, store, lambda t: _page(request, store, t))


@router.post("/console/campaigns", response_class=HTMLResponse)
async def add_campaign(
    request: Request, store: StoreDep, officer: Officer, form: CheckedForm
) -> Response:
    """Define a campaign from the form; a wrong field is said on the form again (422)."""
    typed = {name: str(form.get(name) or "")[:500] for name in FIELDS}
    try:
        campaign = campaigns.make(
            typed["year"], typed["name_th"], typed["name_en"], typed["starts_on"],
            typed["ends_on"], typed["slogan_th"], typed["slogan_en"],
        )  # fmt: skip
        await run_in_threadpool(campaigns.add, store, campaign, officer.name, "console")
    except CampaignError as refused:
        log.info("%s refused: %s", request.url.path, refused)
        error = refused
        shown = await page(request, store, lambda t: _page(request, store, t, typed, error))
        if shown.status_code == 200:
            shown.status_code = 422
        return shown
    return RedirectResponse("/console/campaigns?done=added", status_code=303)
