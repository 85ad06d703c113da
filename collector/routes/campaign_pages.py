"""The campaigns page (officers): every campaign, and the form that defines the next one.

A campaign is defined once and never changed or removed, so the form defines it in two steps,
as the awards are announced (routes/awards.py): *check* (``POST /console/campaigns``) stores
nothing and shows the campaign as it would be saved, in the pages' own words (ปี 2570:
1 พ.ย. 2570 – 30 พ.ย. 2570, 30 วัน), with a tick box the officer ticks to say they checked it;
*define* (``POST /console/campaigns/define``) stores it, through the same ``campaigns.add`` as
the CLI's, with the officer's name in the audit, only when the box is ticked. The year and the
dates may be typed in Thai digits (๒๕๗๐). Wrong fields re-render the form with what was typed
and every problem at once, the days in them as the pages say days; status 422, nothing stored
(collector/store/campaigns.py).

The page also offers the current campaign's signed notice as the file a kiosk that only gets
USB sticks reads (``GET /console/campaigns/notice``, ``sangsuk-<year>.campaign.json``;
collector/notices.py): the same file the receipts zip of the import carries. With no campaign
started it says there is none to send, and names the next one's first day if one is defined.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from collector.auth.web import CheckedForm, Officer, require
from collector.deps import KeyDep, StoreDep
from collector.i18n import Translator
from collector.notices import notice_file, notice_file_name
from collector.routes.imports import attachment
from collector.routes.rendering import choice_param, page
from collector.store import CollectorStore, campaigns
from collector.store import announcements as announced
from collector.store.campaigns import DAY_VALUES, FIELDS, THAI_DIGITS, Campaign, CampaignError
from wire.clock import thai_day
from wire.districts import SIZE_GROUPS

router = APIRouter(include_in_schema=False, dependencies=[Depends(require("officer"))])
log = logging.getLogger(__name__)
DONE: Final = ("added",)
EXAMPLE_DAY: Final = (11, 1)  # the date fields' example: 1 November of the year typed


def refusal_words(t: Translator, error: CampaignError) -> Markup:
    """A campaign's refusal in the reader's words: its field named, its days as the pages
    say them (1 พ.ย. 2569), not as YYYY-MM-DD."""
    values: dict[str, Any] = dict(error.values)
    if "field" in values:
        values["field"] = t(f"campaigns.field.{values['field']}")
    for name in DAY_VALUES & values.keys():
        values[name] = t.full_day(str(values[name]))
    return t(error.key, **values)


def _chosen_day(t: Translator, typed: str) -> str | None:
    """The day a date field holds, in the pages' words (None when it holds no date)."""
    try:
        return t.full_day(date.fromisoformat(typed.strip().translate(THAI_DIGITS)).isoformat())
    except ValueError:
        return None


def _page(
    request: Request,
    store: CollectorStore,
    t: Translator,
    typed: dict[str, str] | None = None,
    errors: list[CampaignError] | None = None,
    checked: Campaign | None = None,
    confirm_error: bool = False,
) -> tuple[str, dict[str, Any]]:
    done = None if errors or checked else choice_param(request, "done", DONE, t)
    year = (typed or {}).get("year", "").strip().translate(THAI_DIGITS)
    rows = campaigns.every(store)
    typed_year = int(year) if year.isdigit() and int(year) in campaigns.YEARS else None
    example = example_day(store, rows, typed_year)
    be, ce = example.year + campaigns.BE_OFFSET, example.year
    typed = typed or dict.fromkeys(FIELDS, "")
    current = campaigns.current(store)
    now = store.now()
    return "campaigns.html", {
        "title": t("nav.campaigns"),
        "rows": rows,
        "current": current,
        "notice_name": notice_file_name(current.year) if current else None,
        "next_campaign": min(
            (c for c in rows if c.starts_at > now), key=lambda c: c.starts_at, default=None
        ),
        "statuses": campaign_status(store, rows),
        "groups_count": len(SIZE_GROUPS),
        "typed": typed,
        "fields": FIELDS,
        "done": t("campaigns.added") if done else None,
        "errors": [refusal_words(t, e) for e in errors or []],
        "error_fields": {str(e.values["field"]) for e in errors or [] if "field" in e.values},
        "dates_hint": t("campaigns.dates_hint", be=be, ce=ce),
        "date_hint": t(
            "campaigns.date_field_hint",
            iso=example.isoformat(),
            day=f"{example.day} {t(f'month.{example.month}')} {be}",
        ),
        "chosen": {name: _chosen_day(t, typed.get(name, "")) for name in ("starts_on", "ends_on")},
        "checked": checked,
        "checked_days": campaigns.length_in_days(checked) if checked else 0,
        "confirm_error": confirm_error,
    }


def example_day(store: CollectorStore, rows: list[Campaign], typed_year: int | None) -> date:
    """The day the date fields' hint takes as its example: 1 November of the year typed; else
    the next free day, the day after the last campaign's last day (today, once that is past);
    else 1 November of this year."""
    month, day = EXAMPLE_DAY
    if typed_year is not None:
        return date(typed_year - campaigns.BE_OFFSET, month, day)
    today = thai_day(store.clock.now())
    if rows:
        return max(max(date.fromisoformat(c.ends_on) for c in rows) + timedelta(days=1), today)
    return date(today.year, month, day)


@dataclass(frozen=True, slots=True)
class Status:
    """Where a campaign stands, as its row of the table says it."""

    key: str  # not_started, current, latest_ended or ended
    announced: int  # its size groups announced (0 to 3)


def campaign_status(store: CollectorStore, rows: list[Campaign]) -> dict[int, Status]:
    """Each campaign's status by year: not started, running, the latest that ended (the one
    the results show when none runs), or ended; and how many of its groups are announced."""
    now = store.now()
    latest_ended = next((c.year for c in rows if c.ends_at <= now), None)
    with store.reading() as conn:
        held = Counter(a.campaign for a in announced.every(conn))
    found = {}
    for c in rows:
        if c.starts_at > now:
            key = "not_started"
        elif c.ends_at > now:
            key = "current"
        else:
            key = "latest_ended" if c.year == latest_ended else "ended"
        found[c.year] = Status(key, held[c.year])
    return found


@router.get("/console/campaigns", response_class=HTMLResponse)
async def campaigns_page(request: Request, store: StoreDep) -> Response:
    """Every campaign, the latest first, and the form to define one."""
    return await page(request, store, lambda t: _page(request, store, t))


@router.get("/console/campaigns/notice")
async def campaign_file(store: StoreDep, key: KeyDep, officer: Officer) -> Response:
    """The current campaign's signed notice, to copy to a USB kiosk's stick; back to the
    page, which says there is none, while no campaign has started."""
    found = await run_in_threadpool(notice_file, store, key)
    if found is None:
        log.info("campaign file asked by %s: no campaign has started", officer.name)
        return RedirectResponse("/console/campaigns#usb", status_code=303)
    log.info("campaign file %s downloaded by %s", found.name, officer.name)
    return attachment(found.data, "application/json", found.name)


def _checked(store: CollectorStore, typed: dict[str, str]) -> tuple[Campaign | None, list[Any]]:
    """The campaign the fields make, if it could be defined now; else every refusal."""
    campaign, found = campaigns.check(
        typed["year"], typed["name_th"], typed["name_en"], typed["starts_on"],
        typed["ends_on"], typed["slogan_th"], typed["slogan_en"],
    )  # fmt: skip
    if campaign is None:
        return None, found
    taken = campaigns.clash(store, campaign)
    return (None, [taken]) if taken else (campaign, [])


async def _shown(request: Request, store: CollectorStore, status: int, **shown: Any) -> Response:
    """The campaigns page with the form's outcome (the check step, or what is wrong)."""
    answer = await page(request, store, lambda t: _page(request, store, t, **shown))
    if answer.status_code == 200:
        answer.status_code = status
    return answer


def _typed(form: Any) -> dict[str, str]:
    return {name: str(form.get(name) or "")[:500] for name in FIELDS}


@router.post("/console/campaigns", response_class=HTMLResponse)
async def check_campaign(request: Request, store: StoreDep, form: CheckedForm) -> Response:
    """Check the form (nothing is stored): the campaign as it would be defined, with the tick
    box to define it; or every wrong field on the form again (422)."""
    typed = _typed(form)
    campaign, found = await run_in_threadpool(_checked, store, typed)
    if campaign is None:
        log.info("%s refused: %s", request.url.path, "; ".join(map(str, found)))
        return await _shown(request, store, 422, typed=typed, errors=found)
    return await _shown(request, store, 200, typed=typed, checked=campaign)


@router.post("/console/campaigns/define", response_class=HTMLResponse)
async def define_campaign(
    request: Request, store: StoreDep, officer: Officer, form: CheckedForm
) -> Response:
    """Define the campaign the check step showed, once the officer ticked that they checked
    it; else the check step again, or the form with what is wrong now (422)."""
    typed = _typed(form)
    campaign, found = await run_in_threadpool(_checked, store, typed)
    if campaign is None:
        log.info("%s refused: %s", request.url.path, "; ".join(map(str, found)))
        return await _shown(request, store, 422, typed=typed, errors=found)
    if form.get("confirm") != "yes":
        log.info("campaign %s not defined for %s: not ticked", campaign.year, officer.name)
        return await _shown(request, store, 422, typed=typed, checked=campaign, confirm_error=True)
    try:
        await run_in_threadpool(campaigns.add, store, campaign, officer.name, "console")
    except CampaignError as refused:  # taken since the check (another officer)
        log.info("%s refused: %s", request.url.path, refused)
        return await _shown(request, store, 422, typed=typed, errors=[refused])
    log.warning("campaign %s defined by %s", campaign.year, officer.name)
    return RedirectResponse("/console/campaigns?done=added", status_code=303)
