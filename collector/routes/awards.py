"""Announcing the awards (officers): each size group's places, then the announcement, frozen.

The page shows, for each size group, the top places of the ranking by the saved method
(collector/results.py) and a form to announce them, which asks the officer to tick that they
checked them. The form carries a fingerprint of the places it showed: if the ranking moved
before the officer pressed the button (a vote arrived, the method was changed), nothing is
announced and the page shows the new places to check again. The announcement is written with
its audit row in one transaction (collector/store/announcements.py); once a group is announced
the page shows what was frozen (who, when, from how many votes) and offers no form; a second
announcement is refused. The public pages then show the announced winners (routes/pages.py).

Awards are per campaign (``?campaign=``, the current one by default, as on the public pages):
the form names the campaign it showed, and a campaign is announced only once its last day is
over, so no vote cast in its days after the announcement could have been counted in it; a
later vote for its days (a USB stick weeks late) is counted apart and never moves it.
Announcing is final: a sensitive form (sudo mode, auth/web.py ``recently_confirmed``), done only
within accounts.CONFIRM_WINDOW of the officer's last proof of who they are.

The page says where the awards stand (none, some or every group announced; the newest
publication made before or after the announcements), each fact once, and ends with the ranking
method: its numbers in words and the form that saves them (routes/method_setting.py), a
sensitive form too.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy.engine import Connection
from starlette.concurrency import run_in_threadpool

from collector import results
from collector.auth.web import CheckedForm, ConfirmedOfficer, require
from collector.deps import StoreDep
from collector.i18n import Translator
from collector.ranking import RankingMethod
from collector.routes.method_setting import (
    MINIMUM_RANGE,
    REFUSED_NUMBERS,
    WEIGHT_RANGE,
    Frozen,
    MethodForm,
    campaign_words,
    frozen_methods,
    groups_words,
    parsed,
)
from collector.routes.pages import (
    ALL_VOTES,
    AWARD_PLACES,
    AnnouncedView,
    Chosen,
    announced_views,
    chosen_campaign,
    newest_publication,
)
from collector.routes.rendering import PageError, choice_param, page
from collector.store import CollectorStore, campaigns
from collector.store import announcements as announced
from collector.store.announcements import AlreadyAnnouncedError, Decided, MethodDiffersError
from wire.districts import SIZE_GROUPS

router = APIRouter(include_in_schema=False, dependencies=[Depends(require("officer"))])
log = logging.getLogger(__name__)
METHOD_OUTCOMES: Final = ("saved", "unchanged")  # ?method= after the method form


@dataclass(frozen=True, slots=True)
class GroupAwards:
    """One size group on the page: its places now, or its announcement."""

    group: str
    places: list[dict[str, Any]]  # the top places by the saved method, best first
    ranked: int  # how many districts are ranked in the group
    votes: int  # the votes for the group's districts (ranked or below the minimum)
    seen: str  # the fingerprint of the group's ranking the form was made from
    view: AnnouncedView | None


class NotAnnouncedError(Exception):
    """The announcement is refused before anything is written; key says why, for the officer."""

    def __init__(self, key: str, status: int) -> None:
        super().__init__(key)
        self.key = key
        self.status = status


def fingerprint(method: RankingMethod, awards: list[dict[str, Any]]) -> str:
    """A short digest of a group's whole ranking and its method (what the officer saw)."""
    text = json.dumps({"method": method.to_json(), "awards": awards}, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _awards_page(
    request: Request,
    store: CollectorStore,
    t: Translator,
    done: str | None = None,
    failed: tuple[str, str] | None = None,  # (group, message)
    chosen: Chosen | None = None,  # the campaign a form named (else ?campaign=)
    form: MethodForm | None = None,  # the method form as sent back (else the saved method)
) -> tuple[str, dict[str, Any]]:
    saved = results.saved_method(store)
    chosen = chosen or chosen_campaign(request, store, t)
    with store.reading() as conn:
        method = results.campaign_method(conn, chosen.key, saved)  # an announced one's own
        ranking = results.rank_conn(conn, method, chosen.year)
        names = results.districts(conn, chosen.year)
        views = announced_views(conn, chosen.key, ranking)
        frozen = frozen_methods(conn)
    live = ranking.awards_json()
    groups = [
        GroupAwards(
            g,
            live[g][:AWARD_PLACES],
            len(live[g]),
            ranking.group_votes(g),
            fingerprint(method, live[g]),
            views.get(g),
        )
        for g in SIZE_GROUPS
    ]
    publication = newest_publication(store, chosen)
    latest = max((v.announcement.announced_at for v in views.values()), default=None)
    return "awards.html", {
        "title": t("awards.heading"),
        "groups": groups,
        "method": method,
        "total": ranking.total_votes,
        "names": names,
        "places": AWARD_PLACES,
        "done": done,
        "failed": failed,
        "publication": publication,
        # Where the awards stand: none, some or every group announced; and whether the newest
        # publication was made after the last announcement (so it carries the announced awards).
        "stage": "none" if not views else "all" if len(views) == len(SIZE_GROUPS) else "some",
        "announced_names": Markup(", ").join(t(f"group.{g}") for g in SIZE_GROUPS if g in views),
        "waiting_names": Markup(", ").join(t(f"group.{g}") for g in SIZE_GROUPS if g not in views),
        "published_since": bool(publication and latest and publication.published_at > latest),
        "method_kept": method != saved or bool(views),  # the campaign's announced method
        "method_form": form or MethodForm(saved, frozen),
        "method_saved": choice_param(request, "method", METHOD_OUTCOMES, t),
        "campaign_words": campaign_words,
        "groups_words": groups_words,
        "weight_range": WEIGHT_RANGE,
        "minimum_range": MINIMUM_RANGE,
        "campaign_field": str(chosen.year) if chosen.campaign else ALL_VOTES,
        "open": chosen.campaign is not None and store.now() < chosen.campaign.ends_at,
        **chosen.context(request),
    }


@router.get("/console/awards", response_class=HTMLResponse)
async def awards_page(request: Request, store: StoreDep) -> Response:
    """Each size group's places by the saved method, and announcing them (or what was)."""

    def build(t: Translator) -> tuple[str, dict[str, Any]]:
        return _awards_page(request, store, t, choice_param(request, "done", SIZE_GROUPS, t))

    return await page(request, store, build)


@router.post("/console/awards/method", response_class=HTMLResponse)  # before /{group}
async def change_method(
    request: Request, store: StoreDep, officer: ConfirmedOfficer, form: CheckedForm
) -> Response:
    """Save the ranking method the officer typed (audited with their name), for the campaigns
    not announced yet; bad numbers are refused with the page saying why, and nothing is
    stored."""
    weight, minimum = str(form.get("prior_weight") or ""), str(form.get("min_votes") or "")
    chosen = await run_in_threadpool(_form_campaign, store, str(form.get("campaign") or ""))
    method, problems = parsed(weight, minimum)
    if method is None:
        saved = await run_in_threadpool(results.saved_method, store)
        frozen = await run_in_threadpool(_frozen, store)
        sent = MethodForm(saved, frozen, weight, minimum, problems, REFUSED_NUMBERS)
        log.info("ranking method %r/%r not saved for %s", weight[:20], minimum[:20], officer.name)
        shown = await page(
            request, store, lambda t: _awards_page(request, store, t, chosen=chosen, form=sent)
        )
        if shown.status_code == 200:
            shown.status_code = 422
        return shown
    saved = await run_in_threadpool(results.saved_method, store)
    outcome = "unchanged"
    if method != saved:
        await run_in_threadpool(results.save_method, store, method, officer.name, "console")
        log.warning("ranking method saved by %s: %s", officer.name, method.to_json())
        outcome = "saved"
    which = "" if chosen is None or not chosen.every else f"campaign={chosen.year or ALL_VOTES}&"
    return RedirectResponse(f"/console/awards?{which}method={outcome}#method", status_code=303)


@router.post("/console/awards/{group}", response_class=HTMLResponse)
async def announce(
    request: Request, group: str, store: StoreDep, officer: ConfirmedOfficer, form: CheckedForm
) -> Response:
    """Announce group's awards as the officer saw them, once they ticked the confirmation."""
    if group not in SIZE_GROUPS:

        def unknown(t: Translator) -> tuple[str, dict[str, Any]]:
            raise PageError(404, "error.not_found", [t("awards.unknown_group", group=group)])

        return await page(request, store, unknown)
    saved = await run_in_threadpool(results.saved_method, store)
    seen = str(form.get("seen") or "")
    chosen = await run_in_threadpool(_form_campaign, store, str(form.get("campaign") or ""))
    if chosen is None:
        return await _again(request, store, group, "awards.no_campaign", 422)
    if chosen.campaign is not None and store.now() < chosen.campaign.ends_at:
        return await _again(request, store, group, "awards.not_ended", 422, chosen)

    def decide(conn: Connection) -> Decided:
        # The campaign's method, read in the announcing transaction: once one group of it is
        # announced, the others are decided by the same method (store/announcements.py).
        method = results.campaign_method(conn, chosen.key, saved)
        ranking = results.rank_conn(conn, method, chosen.year)
        awards = ranking.awards_json()[group]
        if not awards:
            raise NotAnnouncedError("awards.nothing_ranked", 422)
        if fingerprint(method, awards) != seen:
            raise NotAnnouncedError("awards.changed", 409)
        return Decided(method.to_json(), awards, ranking.total_votes)

    try:
        if form.get("confirm") != "yes":
            raise NotAnnouncedError("awards.confirm_needed", 422)
        await run_in_threadpool(
            announced.announce, store, group, officer.name, decide, "console", chosen.key
        )
    except NotAnnouncedError as refused:
        log.info("announcing the %s group refused (%s) for %s", group, refused.key, officer.name)
        return await _again(request, store, group, refused.key, refused.status, chosen)
    except AlreadyAnnouncedError:
        return await _again(request, store, group, "awards.already", 409, chosen)
    except MethodDiffersError as refused:
        log.info("announcing the %s group refused for %s: %s", group, officer.name, refused)
        return await _again(request, store, group, "awards.method_differs", 409, chosen)
    log.warning("the %s group's awards were announced by %s", group, officer.name)
    which = chosen.campaign.year if chosen.campaign else ALL_VOTES
    named = f"campaign={which}&" if chosen.every else ""  # no campaign defined: all votes
    return RedirectResponse(f"/console/awards?{named}done={group}#group-{group}", status_code=303)


def _frozen(store: CollectorStore) -> list[Frozen]:
    """Every campaign's announced groups, by the method they were announced with."""
    with store.reading() as conn:
        return frozen_methods(conn)


def _form_campaign(store: CollectorStore, field: str) -> Chosen | None:
    """The campaign the announce form showed: a defined year, or "all", or none named (the
    page's own default: the current campaign); None for anything else. The form's fingerprint
    of the places shown guards against a campaign other than the one seen."""
    every = campaigns.every(store)
    now = store.now()
    current = next((c for c in every if c.starts_at <= now), None)
    if not field:
        return Chosen(current, every, current)
    if field == ALL_VOTES:
        return Chosen(None, every, current)
    found = next((c for c in every if str(c.year) == field), None)
    return Chosen(found, every, current) if found else None


async def _again(
    request: Request,
    store: CollectorStore,
    group: str,
    key: str,
    status: int,
    chosen: Chosen | None = None,
) -> Response:
    """The awards page again (of the campaign the form named), with why the group was not
    announced (nothing was written)."""
    shown = await page(
        request,
        store,
        lambda t: _awards_page(request, store, t, failed=(group, t(key)), chosen=chosen),
    )
    if shown.status_code == 200:
        shown.status_code = status
    return shown
