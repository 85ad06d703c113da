"""Logging in and out, the console's home page, and changing one's own password.

The login form carries a CSRF value that must match a cookie set with the form (a login
cannot be forced from another site's page); a good login sets the session cookie (HttpOnly,
SameSite=Strict, Secure except over plain HTTP to the machine itself, for the session's
longest life) and goes where the operator was going. A failed login says only that the name
or password is wrong; a locked one says until when (collector/auth/accounts.py). With the
second step on (or required and not set up), a right password leads to the code's page
instead, with a pending login's cookie (routes/second_step.py).
"""

from __future__ import annotations

import hmac
import math
import secrets
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from collector.auth.accounts import (
    SESSION_IDLE,
    SESSION_MAX,
    SETUP_FOR,
    AccountError,
    Accounts,
    ListedSession,
)
from collector.auth.headers import PENDING_COOKIE, SESSION_COOKIE
from collector.auth.passwords import MIN_LENGTH, PasswordRejectedError
from collector.auth.second_step import DIGITS
from collector.auth.web import (
    LOGIN_CSRF_COOKIE,
    AccountsDep,
    CheckedForm,
    SessionDep,
    Viewer,
    cookie_secure,
    safe_next,
    same_origin,
)
from collector.deps import ClientAddr, StoreDep
from collector.i18n import Translator
from collector.routes.rendering import language, quiet_language, render
from collector.routes.sessions import open_sessions_of, shown_sessions
from collector.store import CollectorStore
from collector.store.operators import Operator
from collector.store.second_steps import PendingRow
from wire.clock import parse_utc

router = APIRouter(include_in_schema=False)


def login_form(
    request: Request,
    store: CollectorStore,
    error: str | None = None,
    status: int = 200,
    name: str = "",
) -> Response:
    """The login form, with why a login was refused; it says so when the browser's last login
    ended (a session cookie the collector no longer knows: ended by an admin, by a new password,
    or unused for too long), and forgets that cookie."""
    lang = quiet_language(request)
    ended = error is None and bool(request.cookies.get(SESSION_COOKIE))
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
    secure = cookie_secure(request)
    plain_http = request.url.scheme != "https" and secure  # a Secure cookie would be dropped
    response = render(
        request,
        store,
        "login.html",
        lang,
        remember=request.query_params.get("lang") == lang,  # chosen on this page: keep it
        status=status,
        title=Translator(lang)("login.heading"),
        login_csrf=token,
        next=safe_next(request.query_params.get("next")),
        error=error,
        name=name,
        https_needed=plain_http,
        ended=ended,
    )
    response.headers["Cache-Control"] = "no-store"
    if ended:
        response.delete_cookie(SESSION_COOKIE, path="/")
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="strict", secure=secure
    )
    return response


def locked_text(t: Translator, store: CollectorStore, until: str) -> str:
    """Why a locked login was refused: how long to wait (in seconds when that is all it is)
    and until when, in Thai time."""
    wait = max(1, math.ceil((parse_utc(until) - store.clock.now()).total_seconds()))
    return t("login.locked", wait=t.duration(wait), until=t.when(until))


# A wrong code in these counts against the lockout, as a wrong password does (answered 401).
COUNTED_CODES: Final = ("second_step.wrong", "second_step.replayed", "second_step.recovery_used")


def refusal_said(
    t: Translator, store: CollectorStore, exc: AccountError, wrong: tuple[str, int]
) -> tuple[str, int]:
    """A refused password or code, for a logged-in operator's form, in the reader's words and
    the status to answer with; ``wrong`` is the words and status for a wrong password."""
    if exc.key == "login.locked":
        return locked_text(t, store, exc.values["until"]), 429
    if exc.key == "login.wrong":
        return wrong
    if exc.key == "login.busy":
        return t(exc.key), 503
    counted = exc.key in COUNTED_CODES
    return t(exc.key, digits=str(DIGITS), **exc.values), 401 if counted else 422


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, store: StoreDep, session: SessionDep) -> Response:
    """The login form (an operator already logged in goes on to where they were going)."""
    if session is not None:
        return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    return login_form(request, store)


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request, store: StoreDep, accounts: AccountsDep, addr: ClientAddr
) -> Response:
    """Check the name and password; start a session, or show the form again with why not."""
    form = await request.form()
    t = Translator(quiet_language(request))
    name = str(form.get("name") or "")[:64]
    password = str(form.get("password") or "")[:1024]
    sent, cookie = str(form.get("csrf") or ""), request.cookies.get(LOGIN_CSRF_COOKIE) or ""
    if (
        not cookie
        or not hmac.compare_digest(sent.encode(), cookie.encode())
        or not same_origin(request)
    ):
        await run_in_threadpool(
            store.audit, "refused", "login_csrf", "login form without its CSRF value",
            None, "login", addr,
        )  # fmt: skip
        return login_form(request, store, t("login.expired"), 403, name)
    target = safe_next(str(form.get("next") or ""))
    try:
        agent = request.headers.get("user-agent")
        token, started = await run_in_threadpool(
            accounts.login, name, password, addr, target, agent
        )
    except AccountError as exc:
        if exc.key == "login.locked":
            return login_form(request, store, locked_text(t, store, exc.values["until"]), 429, name)
        return login_form(request, store, t(exc.key), 503 if exc.key == "login.busy" else 401, name)
    if isinstance(started, PendingRow):  # the second step next, on its own page
        response = RedirectResponse(f"/login/{started.purpose}", status_code=303)
        response.set_cookie(
            PENDING_COOKIE, token, max_age=int(SETUP_FOR.total_seconds()), httponly=True,
            samesite="strict", secure=cookie_secure(request), path="/",
        )  # fmt: skip
    else:
        response = RedirectResponse(target, status_code=303)
        set_session_cookie(response, request, token)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    """Give the browser its session's cookie (HttpOnly, SameSite=Strict, Secure but to itself)."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_MAX.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=cookie_secure(request),
        path="/",
    )


@router.post("/logout")
async def logout(
    request: Request,
    accounts: AccountsDep,
    operator: Viewer,
    form: CheckedForm,
    addr: ClientAddr,
) -> Response:
    """End the session; back to the public overview."""
    token = request.cookies.get(SESSION_COOKIE, "")
    await run_in_threadpool(accounts.logout, token, operator.name, addr)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/console", response_class=HTMLResponse)
async def console_home(request: Request, store: StoreDep, operator: Viewer) -> Response:
    """What the operator can do from here, by role."""
    lang, remember = language(request)
    t = Translator(lang)
    return render(request, store, "console.html", lang, remember, title=t("console.heading"))


async def _password_form(
    request: Request,
    store: CollectorStore,
    accounts: Accounts,
    operator: Operator,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """One's own account: the password form, the second step's state, one's open sessions."""
    lang = quiet_language(request)
    t = Translator(lang)

    def read() -> tuple[bool, list[ListedSession]]:
        row = accounts.steps.get(operator.name)
        listed = open_sessions_of(request, accounts, operator.name)
        return row is not None and row.enabled_at is not None, listed

    second_step, listed = await run_in_threadpool(read)
    ended = request.query_params.get("ended", "")
    return render(
        request, store, "password.html", lang, status=status, title=t("password.heading"),
        error=error, min_length=MIN_LENGTH, second_step=second_step,
        sessions=shown_sessions(t, listed), ended=int(ended) if ended.isdigit() else None,
        idle=t.duration(int(SESSION_IDLE.total_seconds())),
        longest=t.duration(int(SESSION_MAX.total_seconds())),
    )  # fmt: skip


@router.get("/console/password", response_class=HTMLResponse)
async def password_page(
    request: Request, store: StoreDep, accounts: AccountsDep, operator: Viewer
) -> Response:
    """One's own account: the form to change one's password, the second step, the sessions."""
    return await _password_form(request, store, accounts, operator)


@router.post("/console/password", response_class=HTMLResponse)
async def change_password(
    request: Request,
    store: StoreDep,
    accounts: AccountsDep,
    operator: Viewer,
    form: CheckedForm,
    addr: ClientAddr,
) -> Response:
    """Change one's own password: the current one first, the new one twice."""
    t = Translator(quiet_language(request))
    current, new, again = (str(form.get(k) or "")[:1024] for k in ("current", "new", "again"))
    if new != again:
        return await _password_form(request, store, accounts, operator, t("password.mismatch"), 422)
    try:  # under the login's lockout: a left-open session cannot guess the password freely
        await run_in_threadpool(accounts.check_password, operator.name, current, addr, "password")
    except AccountError as exc:
        if exc.key == "login.locked":
            said = locked_text(t, store, exc.values["until"])
            return await _password_form(request, store, accounts, operator, said, 429)
        wrong = "password.wrong_current" if exc.key == "login.wrong" else exc.key
        return await _password_form(request, store, accounts, operator, t(wrong), 422)
    try:
        await run_in_threadpool(accounts.set_password, operator.name, new, operator.name, "console")
    except PasswordRejectedError as exc:
        said = t(exc.key, n=str(MIN_LENGTH))
        return await _password_form(request, store, accounts, operator, said, 422)
    # The password change ended every session, this one too: log in again with the new one.
    response = RedirectResponse("/login?next=/console&changed=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
