"""Sudo mode's "confirm it's you" page: the password again (and the code) before a sensitive action.

A sensitive form sent more than accounts.CONFIRM_WINDOW after the operator last proved who they
are is not handled (collector/auth/web.py ``recently_confirmed``): app.py answers it with this
page instead, saying plainly that nothing was done. Once the password (and, with the second step
on, a code from the app or a recovery code) is right, the session counts as confirmed and the
operator is taken back to the page the form was on, to press its button again; what they had
typed in that form is not kept. A wrong password or code counts against the login's throttle
and is audited as a failed login is (collector/auth/confirm.py). The page can also be opened
directly (/console/confirm?next=PAGE), before a round of admin work: the note by each
sensitive form links here once the window has passed (templates/_confirm_note.html); opened
while it holds, the page says until when.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from collector.auth.accounts import CONFIRM_WINDOW, AccountError, Accounts
from collector.auth.confirm import confirm, second_step_on
from collector.auth.headers import SESSION_COOKIE
from collector.auth.second_step import DIGITS
from collector.auth.web import (
    AccountsDep,
    CheckedForm,
    ConfirmNeededError,
    Viewer,
    safe_next,
    wants_json,
)
from collector.deps import ClientAddr, StoreDep
from collector.i18n import Translator
from collector.routes.login import refusal_said
from collector.routes.rendering import quiet_language, render, session_of
from collector.store import CollectorStore
from collector.store.operators import Operator

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)


def confirm_page(
    request: Request,
    store: CollectorStore,
    accounts: Accounts,
    operator: Operator,
    back: str,
    refused: bool = False,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The form (blocking: run it in the threadpool): refused says a form was just not done."""
    lang = quiet_language(request)
    t = Translator(lang)
    shown = render(
        request, store, "confirm.html", lang,
        remember=request.query_params.get("lang") == lang, status=status,
        title=t("confirm.heading"), refused=refused, error=error, back=safe_next(back),
        code_needed=second_step_on(accounts, operator.name), digits=DIGITS,
        window=t.duration(int(CONFIRM_WINDOW.total_seconds())),
    )  # fmt: skip
    shown.headers["Cache-Control"] = "no-store"
    return shown


async def confirm_needed(request: Request, exc: Exception) -> Response:
    """A sensitive form sent too long after the last confirmation: not done; this page (401)."""
    back = exc.back if isinstance(exc, ConfirmNeededError) else "/console"
    session = session_of(request)
    if wants_json(request) or session is None:  # no such route: the API has no sessions
        return Response(status_code=401)
    log.info(
        "%s not done: %s must confirm it is them first", request.url.path, session.operator.name
    )
    app = request.app
    return await run_in_threadpool(
        confirm_page, request, app.state.store, app.state.accounts, session.operator, back, True,
        None, 401,
    )  # fmt: skip


@router.get("/console/confirm", response_class=HTMLResponse)
async def confirm_form(
    request: Request, store: StoreDep, accounts: AccountsDep, operator: Viewer
) -> Response:
    """The form to confirm it is you, then back to next (a page of this site)."""
    back = request.query_params.get("next")
    return await run_in_threadpool(
        confirm_page, request, store, accounts, operator, safe_next(back)
    )


@router.post("/console/confirm", response_class=HTMLResponse)
async def confirm_it(
    request: Request,
    store: StoreDep,
    accounts: AccountsDep,
    operator: Viewer,
    form: CheckedForm,
    addr: ClientAddr,
) -> Response:
    """Check the password (and code): the session is confirmed and the operator goes back to
    the page they were on; or the form again with why not."""
    back = safe_next(str(form.get("next") or ""))
    password = str(form.get("password") or "")[:1024]
    code = str(form.get("code") or "")[:200]
    token = request.cookies.get(SESSION_COOKIE, "")
    try:
        await run_in_threadpool(confirm, accounts, token, operator.name, password, code, addr)
    except AccountError as exc:
        if exc.key == "confirm.ended":  # logged out meanwhile (elsewhere): log in again
            return RedirectResponse("/login?next=" + quote(back, safe=""), status_code=303)
        t = Translator(quiet_language(request))
        said, status = refusal_said(t, store, exc, (t("confirm.wrong"), 401))
        return await run_in_threadpool(
            confirm_page, request, store, accounts, operator, back, False, said, status
        )
    return RedirectResponse(back, status_code=303)
