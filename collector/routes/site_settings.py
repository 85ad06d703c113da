"""The settings page (admins only): whether the results are public, whether officers and admins
must log in with a second step, and how the server is set up.

Two settings are kept in the database, each change audited with the admin's name: "results
public" (``RESULTS_PUBLIC``; "no" closes the overview, leaderboard and district pages to anyone
not logged in, collector/auth/web.py) and "second step required" (``SECOND_STEP_REQUIRED``;
"yes": an officer or admin without it sets it up right after their password, before any other
page, collector/auth/accounts.py; viewers, who change nothing, may but need not). The rest is shown, not changed here: the server's
names and whether this page came over HTTPS are set where the server is started
(docs/operations.md, "Running the server"). Both forms are sensitive (sudo mode, auth/web.py
``recently_confirmed``): done only within accounts.CONFIRM_WINDOW of the admin's last proof.
"""

from __future__ import annotations

import logging
from typing import Any, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from collector.auth.accounts import SECOND_STEP_REQUIRED
from collector.auth.web import RESULTS_PUBLIC, CheckedForm, ConfirmedAdmin, require
from collector.deps import SettingsDep, StoreDep
from collector.i18n import Translator
from collector.routes.rendering import choice_param, page, quiet_language
from collector.settings import Settings
from collector.store import CollectorStore

router = APIRouter(include_in_schema=False, dependencies=[Depends(require("admin"))])
log = logging.getLogger(__name__)

YES_NO: Final = ("yes", "no")
DONE: Final = ("saved", "unchanged")  # ?done= after a form


def _settings_page(
    request: Request,
    store: CollectorStore,
    settings: Settings,
    t: Translator,
    error: str | None = None,
    error_for: str = "results",
) -> tuple[str, dict[str, Any]]:
    done = None if error else choice_param(request, "done", DONE, t)
    return "settings.html", {
        "title": t("nav.settings"),
        "results_public": store.setting(RESULTS_PUBLIC) != "no",
        "second_step_required": store.setting(SECOND_STEP_REQUIRED) == "yes",
        "server_names": settings.server_names,
        "https": request.url.scheme == "https",
        "done": {"saved": t("settings.saved"), "unchanged": t("settings.unchanged")}.get(
            done or ""
        ),
        "error": error,
        "error_for": error_for,
    }


@router.get("/console/settings", response_class=HTMLResponse)
async def settings_page(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Whether the results are public (a form), the server's names and HTTPS (shown)."""
    return await page(request, store, lambda t: _settings_page(request, store, settings, t))


async def _save_yes_no(
    request: Request,
    store: CollectorStore,
    settings: Settings,
    admin: str,
    wanted: str,
    key: str,
    default: str,
    refusal: tuple[str, str],
) -> Response:
    """Set a yes/no setting (unset reads as default), audited with the admin's name; a value
    other than yes or no is refused on the page (refusal: its message key and its form)."""
    if wanted not in YES_NO:
        t = Translator(quiet_language(request))
        error = t(refusal[0])
        log.info("%s refused: %s", request.url.path, error)
        shown = await page(
            request, store, lambda t: _settings_page(request, store, settings, t, error, refusal[1])
        )
        if shown.status_code == 200:
            shown.status_code = 422
        return shown
    other = "no" if default == "yes" else "yes"
    now = other if await run_in_threadpool(store.setting, key) == other else default
    if wanted == now:
        return RedirectResponse("/console/settings?done=unchanged", status_code=303)
    await run_in_threadpool(store.set_setting, key, wanted, admin, "console")
    return RedirectResponse("/console/settings?done=saved", status_code=303)


@router.post("/console/settings", response_class=HTMLResponse)
async def save_settings(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    admin: ConfirmedAdmin,
    form: CheckedForm,
) -> Response:
    """Open or close the results to the public; audited with the admin's name."""
    wanted = str(form.get("results_public") or "")
    refusal = ("settings.bad_results_public", "results")
    return await _save_yes_no(
        request, store, settings, admin.name, wanted, RESULTS_PUBLIC, "yes", refusal
    )


@router.post("/console/settings/second-step", response_class=HTMLResponse)
async def save_second_step(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    admin: ConfirmedAdmin,
    form: CheckedForm,
) -> Response:
    """Require the second step of officers and admins, or not; audited with the admin's name."""
    wanted = str(form.get("required") or "")
    refusal = ("settings.bad_second_step", "second_step")
    return await _save_yes_no(
        request, store, settings, admin.name, wanted, SECOND_STEP_REQUIRED, "no", refusal
    )
