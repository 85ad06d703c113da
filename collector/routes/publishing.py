"""Publishing from the console (officers), and the publications as zip files (public).

An officer publishes with one button: the same folder `sangsuk-collector publish` writes
(collector/publish.py), made under the collector's home as ``publications/<UTC stamp>/``, zipped
beside it, with an audit row naming the officer. The page lists every publication made so far,
each with the campaign it counts (or "all votes").

The zips are public, like the results they prove (design promise 11: the results and the
method are public; docs/recount.md: anyone recounts from the published files), and closed with
them when the admin closes the results (``results_access``). A name in the address must be a
publication's stamp exactly (collector/publish.py ``valid_name``), so no address reaches any
other file; anything else is a 404 page.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from collector import results
from collector.auth.web import RESULTS_PUBLIC, CheckedForm, Officer, require, results_access
from collector.deps import KeyDep, StoreDep
from collector.i18n import Translator
from collector.manifest import MANIFEST_NAME
from collector.publish import (
    ZIP_PREFIX,
    MethodChangedError,
    NothingToRecountError,
    PublishError,
    publication_zip,
    publications,
    publish_in_home,
)
from collector.routes.pages import ALL_VOTES, file_size
from collector.routes.rendering import PageError, choice_param, page
from collector.store import CollectorStore, campaigns
from collector.store.audit import AuditFilter

console = APIRouter(include_in_schema=False, dependencies=[Depends(require("officer"))])
public = APIRouter(include_in_schema=False, dependencies=[Depends(results_access)])
log = logging.getLogger(__name__)
WHO_LIMIT = 1000  # the audit rows read to name who made each publication


def _publish_page(
    request: Request, store: CollectorStore, t: Translator, error: str | None = None
) -> tuple[str, dict[str, Any]]:
    home = store.target.home
    found = publications(home)
    every = campaigns.every(store)
    made_by = {
        row["reason"]: row["operator"]
        for row in store.audit_rows(WHO_LIMIT, AuditFilter(kind="published"))
    }
    return "publish.html", {
        "title": t("publish.heading"),
        "publications": found,
        "made_by": made_by,
        "done": choice_param(request, "done", tuple(p.name for p in found), t),
        "error": error,
        "manifest": MANIFEST_NAME,
        "zip_prefix": ZIP_PREFIX,
        "results_closed": store.setting(RESULTS_PUBLIC) == "no",
        "file_size": file_size,
        "campaigns": every,
        "campaign_of": {c.year: c for c in every},  # a publication's campaign by its year
        "current_campaign": campaigns.current(store),
        "all_votes": ALL_VOTES,
    }


@console.get("/console/publish", response_class=HTMLResponse)
async def publish_page(request: Request, store: StoreDep) -> Response:
    """The publications made so far, each as a zip, and publishing a new one."""
    return await page(request, store, lambda t: _publish_page(request, store, t))


@console.post("/console/publish", response_class=HTMLResponse)
async def publish_now(
    request: Request, store: StoreDep, key: KeyDep, officer: Officer, form: CheckedForm
) -> Response:
    """Publish everything counted now into the collector's home, zipped; audited."""
    home = store.target.home
    method = results.saved_method(store)
    every = await run_in_threadpool(campaigns.every, store)
    field = str(form.get("campaign") or "")
    now = store.now()
    campaign = (
        None
        if field == ALL_VOTES
        else next((c for c in every if str(c.year) == field), None)
        if field
        else next((c for c in every if c.starts_at <= now), None)
    )
    if field not in ("", ALL_VOTES) and campaign is None:
        return await _again(request, store, "publish.no_campaign", field[:20], 422)
    try:
        made = await run_in_threadpool(
            publish_in_home, store, key, home, method, store.clock.now(), campaign
        )
    except MethodChangedError as exc:
        log.warning("publishing refused for %s: %s", officer.name, exc)
        return await _again(
            request, store, "publish.method_changed", str(exc), 409, group=exc.group,
            announced_weight=exc.announced.prior_weight, announced_min=exc.announced.min_votes,
            weight=exc.now.prior_weight, min=exc.now.min_votes,
        )  # fmt: skip
    except NothingToRecountError as exc:
        log.info("publishing refused for %s: %s", officer.name, exc)
        return await _again(request, store, "", "", 422, empty=exc)
    except PublishError as exc:
        log.warning("publishing refused for %s: %s", officer.name, exc)
        return await _again(request, store, "publish.refused", str(exc), 409)
    except OSError as exc:
        log.error("publishing into %s failed for %s: %s", home, officer.name, exc)
        return await _again(request, store, "publish.cannot_write", str(exc.strerror or exc), 503)
    detail = (
        f"publication {made.name}: {made.batches} batch files holding {made.votes} counted votes"
        f" of {made.kiosks} kiosks, method {made.method.to_json()}, collector key {made.collector_key},"
        f" campaign {campaign.year if campaign else 'none (every vote)'}"
    )
    await run_in_threadpool(
        store.audit, "published", made.name, detail, None, "console", None, officer.name
    )
    return RedirectResponse(f"/console/publish?done={made.name}", status_code=303)


async def _again(
    request: Request,
    store: CollectorStore,
    key: str,
    reason: str,
    status: int,
    group: str | None = None,
    empty: NothingToRecountError | None = None,
    **values: int,
) -> Response:
    """The publish page with why nothing was published (nothing is left half-made)."""

    def build(t: Translator) -> tuple[str, dict[str, Any]]:
        if empty is not None:  # a campaign with no vote: its days as the pages say them
            c = empty.campaign
            said = t(
                "publish.no_votes" if empty.started else "publish.not_started",
                year=c.year, start=t.full_day(c.starts_on), end=t.full_day(c.ends_on),
            )  # fmt: skip
            return _publish_page(request, store, t, said)
        named = {"group": t(f"group.{group}")} if group else {}
        return _publish_page(request, store, t, t(key, reason=reason, **named, **values))

    shown = await page(request, store, build)
    if shown.status_code == 200:
        shown.status_code = status
    return shown


@public.get("/publications/{name}.zip")
async def publication_download(request: Request, name: str, store: StoreDep) -> Response:
    """A publication as one zip file, for anyone to recount (docs/recount.md)."""
    found = await run_in_threadpool(publication_zip, store.target.home, name)
    if found is None:
        log.info("no publication %r to download", name[:100])

        def missing(t: Translator) -> tuple[str, dict[str, Any]]:
            raise PageError(404, "error.not_found", [t("publish.unknown", name=name[:100])])

        return await page(request, store, missing)
    return FileResponse(found, media_type="application/zip", filename=f"{ZIP_PREFIX}{name}.zip")
