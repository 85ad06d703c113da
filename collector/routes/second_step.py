"""The second step's pages: the code after the password, setting it up, one's own, turning it off.

After a right password (routes/login.py) an operator with the second step on is sent to
/login/code with a pending login's cookie; one whose role requires it and who has none yet is
sent to /login/setup first, before any other page. Neither page needs a session (there is none
yet): the pending login is their key, and its own CSRF value guards their forms. An operator
turns the second step on and off, and makes new recovery codes, at /console/second-step,
linked from their password page. Recovery codes are shown once, on the page that made them,
never kept by the browser (no-store). collector/auth/second_step.py has the rules.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from collector.auth.accounts import AccountError
from collector.auth.headers import PENDING_COOKIE
from collector.auth.second_step import (
    DIGITS,
    RECOVERY_CODES,
    SecondStep,
    provisioning_uri,
    secret_groups,
)
from collector.auth.web import AccountsDep, CheckedForm, ConfirmedViewer, Viewer, same_origin
from collector.deps import ClientAddr, StoreDep
from collector.i18n import Translator
from collector.routes.login import login_form, refusal_said, set_session_cookie
from collector.routes.rendering import quiet_language, render
from collector.routes.tokens import qr_svg
from collector.store import CollectorStore
from collector.store.second_steps import PendingRow

router = APIRouter(include_in_schema=False)


async def get_second_step(accounts: AccountsDep) -> SecondStep:
    """The second step of the app's accounts."""
    return SecondStep(accounts)


SecondStepDep = Annotated[SecondStep, Depends(get_second_step)]


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _refusal(t: Translator, store: CollectorStore, exc: AccountError) -> tuple[str, int]:
    """A refused code or password in the reader's words (a wrong password: the current one)."""
    return refusal_said(t, store, exc, (t("password.wrong_current"), 422))


def _setup(t: Translator, steps: SecondStep, name: str) -> dict[str, Any]:
    """What the setup form shows: the proposed secret as a QR code and in groups."""
    secret = steps.propose(name)
    return {
        "qr": qr_svg(provisioning_uri(secret, name)),
        "secret_groups": secret_groups(secret),
        "digits": DIGITS,
        "recovery_count": RECOVERY_CODES,
    }


# --- the pending login: the code, or setting it up first ------------------------------------


def _expired(request: Request, store: CollectorStore, key: str = "second_step.expired") -> Response:
    """The login form again, saying the pending login has ended; its cookie is removed."""
    t = Translator(quiet_language(request))
    response = login_form(request, store, t(key), 401)
    response.delete_cookie(PENDING_COOKIE, path="/")
    return response


def _pending_page(
    request: Request,
    store: CollectorStore,
    steps: SecondStep,
    pending: PendingRow,
    error: str | None = None,
    status: int = 200,
) -> Response:
    lang = quiet_language(request)
    t = Translator(lang)
    setup = _setup(t, steps, pending.operator) if pending.purpose == "setup" else {}
    heading = "second_step.setup_heading" if setup else "second_step.code_heading"
    shown = render(
        request, store, "second_step_login.html", lang,
        remember=request.query_params.get("lang") == lang, status=status,
        title=t(heading), heading=heading, pending=pending, pending_csrf=pending.csrf,
        error=error, **({"digits": DIGITS} | setup),
    )  # fmt: skip
    return _no_store(shown)


async def _live_pending(request: Request, steps: SecondStep) -> PendingRow | None:
    found: PendingRow | None = await run_in_threadpool(
        steps.pending, request.cookies.get(PENDING_COOKIE)
    )
    return found


async def _show_pending(
    request: Request, store: CollectorStore, steps: SecondStep, purpose: str
) -> Response:
    pending = await _live_pending(request, steps)
    if pending is None:
        return _expired(request, store)
    if pending.purpose != purpose:  # the other page is this login's next step
        return RedirectResponse(f"/login/{pending.purpose}", status_code=303)
    return await run_in_threadpool(_pending_page, request, store, steps, pending)


@router.get("/login/code", response_class=HTMLResponse)
async def code_page(request: Request, store: StoreDep, steps: SecondStepDep) -> Response:
    """The second step after the password: the code from the app (or a recovery code)."""
    return await _show_pending(request, store, steps, "code")


@router.get("/login/setup", response_class=HTMLResponse)
async def setup_page(request: Request, store: StoreDep, steps: SecondStepDep) -> Response:
    """The second step required and not set up: the QR code and the first code, before all else."""
    return await _show_pending(request, store, steps, "setup")


async def _pending_form(
    request: Request, store: CollectorStore, steps: SecondStep, purpose: str, addr: str | None
) -> tuple[PendingRow | None, str, Response | None]:
    """The pending login and the code typed, or the answer already due (expired, no CSRF)."""
    pending = await _live_pending(request, steps)
    if pending is None:
        return None, "", _expired(request, store)
    if pending.purpose != purpose:
        return None, "", RedirectResponse(f"/login/{pending.purpose}", status_code=303)
    form = await request.form()
    sent = str(form.get("csrf") or "")
    if not hmac.compare_digest(sent.encode(), pending.csrf.encode()) or not same_origin(request):
        await run_in_threadpool(
            store.audit, "refused", "login_csrf", "second step form without its CSRF value",
            None, "login", addr,
        )  # fmt: skip
        return None, "", _expired(request, store, "login.expired")
    return pending, str(form.get("code") or "")[:200], None


@router.post("/login/code", response_class=HTMLResponse)
async def check_code(
    request: Request, store: StoreDep, steps: SecondStepDep, addr: ClientAddr
) -> Response:
    """Check the code: the session starts (the pending login is used up), or the page again."""
    pending, code, answer = await _pending_form(request, store, steps, "code", addr)
    if pending is None:
        assert answer is not None
        return answer
    t = Translator(quiet_language(request))
    try:
        kind = await run_in_threadpool(steps.check, pending.operator, code, addr, "login")
    except AccountError as exc:
        if exc.key == "second_step.not_on":  # reset by an admin meanwhile: log in again
            return _expired(request, store, "second_step.not_on")
        said, status = _refusal(t, store, exc)
        return await run_in_threadpool(_pending_page, request, store, steps, pending, said, status)
    return await _start(request, store, steps, pending, kind, addr)


async def _start(
    request: Request,
    store: CollectorStore,
    steps: SecondStep,
    pending: PendingRow,
    how: str,
    addr: str | None,
    codes: list[str] | None = None,
) -> Response:
    """End the pending login and start the session: on where the operator was going (or to
    the recovery codes just made, or to one's page after a recovery code was used)."""
    cookie = request.cookies.get(PENDING_COOKIE, "")
    try:
        agent = request.headers.get("user-agent")
        token, _ = await run_in_threadpool(steps.finish, cookie, pending.operator, addr, how, agent)
    except AccountError:
        return _expired(request, store)
    if codes is not None:
        response = _codes_page(request, store, pending.operator, codes, go_on=pending.next)
    else:
        target = "/console/second-step?done=recovery" if how == "recovery" else pending.next
        response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, request, token)
    response.delete_cookie(PENDING_COOKIE, path="/")
    return response


@router.post("/login/setup", response_class=HTMLResponse)
async def finish_setup(
    request: Request, store: StoreDep, steps: SecondStepDep, addr: ClientAddr
) -> Response:
    """Turn the second step on with the app's first code; the session starts, the recovery
    codes are shown once."""
    pending, code, answer = await _pending_form(request, store, steps, "setup", addr)
    if pending is None:
        assert answer is not None
        return answer
    t = Translator(quiet_language(request))
    try:
        codes = await run_in_threadpool(steps.turn_on, pending.operator, code, "login", addr)
    except AccountError as exc:
        said, status = _refusal(t, store, exc)
        return await run_in_threadpool(_pending_page, request, store, steps, pending, said, status)
    return await _start(request, store, steps, pending, "setup", addr, codes)


# --- one's own second step ------------------------------------------------------------------


def _own_page(
    request: Request,
    store: CollectorStore,
    steps: SecondStep,
    name: str,
    error: str | None = None,
    error_for: str | None = None,
    status: int = 200,
) -> Response:
    lang = quiet_language(request)
    t = Translator(lang)
    on = steps.is_on(name)
    done = None if error else request.query_params.get("done")
    context: dict[str, Any] = {"on": on, "digits": DIGITS, "error": error, "error_for": error_for}
    if on:
        row = steps.rows.get(name)
        context |= {"since": row.enabled_at if row else None, "left": steps.codes_left(name)}
    else:
        context |= _setup(t, steps, name)
    if done == "off":
        context["done"] = t("second_step.done_off")
    elif done == "recovery" and on:
        context["done"] = t("second_step.done_recovery", n=str(context["left"]))
    shown = render(
        request, store, "second_step.html", lang,
        remember=request.query_params.get("lang") == lang, status=status,
        title=t("second_step.heading"), required=steps.accounts.second_step_required(),
        **context,
    )  # fmt: skip
    return _no_store(shown)


@router.get("/console/second-step", response_class=HTMLResponse)
async def own_page(
    request: Request, store: StoreDep, steps: SecondStepDep, operator: Viewer
) -> Response:
    """One's own second step: how to turn it on (QR code), or that it is on and how to turn off."""
    return await run_in_threadpool(_own_page, request, store, steps, operator.name)


async def _own_refused(
    request: Request,
    store: CollectorStore,
    steps: SecondStep,
    name: str,
    exc: AccountError,
    form: str,
) -> Response:
    said, status = _refusal(Translator(quiet_language(request)), store, exc)
    return await run_in_threadpool(_own_page, request, store, steps, name, said, form, status)


def _codes_page(
    request: Request,
    store: CollectorStore,
    name: str,
    codes: list[str],
    go_on: str = "/console/second-step",
) -> Response:
    """The recovery codes, shown once, with whose they are and on which collector (they are
    printed or written down, and a sheet of codes must say which login it opens)."""
    lang = quiet_language(request)
    shown = render(
        request, store, "second_step_codes.html", lang,
        title=Translator(lang)("second_step.codes_heading"), codes=codes, go_on=go_on,
        account=name, site=request.url.netloc,
    )  # fmt: skip
    return _no_store(shown)


@router.post("/console/second-step/on", response_class=HTMLResponse)
async def turn_on(
    request: Request,
    store: StoreDep,
    steps: SecondStepDep,
    operator: Viewer,
    form: CheckedForm,
    addr: ClientAddr,
) -> Response:
    """Turn one's second step on: the password (a session left open is not enough) and the
    app's first code; the recovery codes are shown once."""
    password = str(form.get("password") or "")[:1024]
    code = str(form.get("code") or "")[:200]
    try:
        await run_in_threadpool(
            steps.accounts.check_password, operator.name, password, addr, "second step on"
        )
        codes = await run_in_threadpool(steps.turn_on, operator.name, code, "console", addr)
    except AccountError as exc:
        return await _own_refused(request, store, steps, operator.name, exc, "on")
    return _codes_page(request, store, operator.name, codes)


@router.post("/console/second-step/off", response_class=HTMLResponse)
async def turn_off(
    request: Request,
    store: StoreDep,
    steps: SecondStepDep,
    operator: Viewer,
    form: CheckedForm,
    addr: ClientAddr,
) -> Response:
    """Turn one's second step off: the password and a current code first."""
    password = str(form.get("password") or "")[:1024]
    code = str(form.get("code") or "")[:200]
    try:
        await run_in_threadpool(steps.turn_off, operator.name, password, code, addr)
    except AccountError as exc:
        return await _own_refused(request, store, steps, operator.name, exc, "off")
    return RedirectResponse("/console/second-step?done=off", status_code=303)


@router.post("/console/second-step/codes", response_class=HTMLResponse)
async def new_codes(
    request: Request,
    store: StoreDep,
    steps: SecondStepDep,
    operator: ConfirmedViewer,
    form: CheckedForm,
    addr: ClientAddr,
) -> Response:
    """New recovery codes for a current code (the old ones stop working); shown once. Sudo
    mode: a session confirmed within accounts.CONFIRM_WINDOW (a code alone, from a phone left
    beside the open console, is not enough)."""
    code = str(form.get("code") or "")[:200]
    try:
        codes = await run_in_threadpool(steps.new_recovery_codes, operator.name, code, addr)
    except AccountError as exc:
        return await _own_refused(request, store, steps, operator.name, exc, "codes")
    return _codes_page(request, store, operator.name, codes)
