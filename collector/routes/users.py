"""The accounts pages (admins only): every operator; adding, changing and disabling accounts.

Every change goes through collector/auth/accounts.py, so the name rule, the roles, the password
rule and the last admin are applied as `sangsuk-collector users` applies them, and each change
is in the audit with the admin's name. A refusal shows the page again with why, in the reader's
language, and status 422; nothing is changed. An admin may not disable their own account, nor
set their own password here: /console/password does that, and asks for the current one first
(a session left open must not be enough to take over an account). An admin resets another
operator's second step at login (a lost phone: they set it up again), never their own here:
/console/second-step turns it off with the password and a code. The page lists where the operator
is logged in and ends all of those logins at once (a lost laptop), on every server; an admin's
own are ended on /console/password, which keeps the admin's current login. Every form here is
sensitive (sudo mode, auth/web.py ``recently_confirmed``): it is done only within
accounts.CONFIRM_WINDOW of the admin's login or last "confirm it's you" (routes/confirm.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from collector.auth.accounts import AccountError, Accounts
from collector.auth.passwords import MIN_LENGTH, PasswordRejectedError
from collector.auth.second_step import SecondStep
from collector.auth.web import AccountsDep, Admin, CheckedForm, ConfirmedAdmin, require
from collector.deps import ClientAddr, StoreDep
from collector.i18n import Translator
from collector.routes.rendering import PageError, choice_param, page, quiet_language
from collector.routes.sessions import open_sessions_of, shown_sessions
from collector.store import CollectorStore
from collector.store.operators import Operator
from collector.store.records import ROLES

router = APIRouter(include_in_schema=False, dependencies=[Depends(require("admin"))])
log = logging.getLogger(__name__)

DONE: Final = ("added", "role", "password", "disabled", "enabled", "second_step", "sessions")
FORMS: Final = ("role", "password", "disabled", "second_step", "sessions")  # the page's forms


@dataclass(frozen=True, slots=True)
class AccountRow:
    """An account as the pages show it: what is stored, and until when its login is locked."""

    account: Operator
    locked_until: str | None
    second_step: bool  # on


def _row(accounts: Accounts, account: Operator, on: set[str]) -> AccountRow:
    return AccountRow(account, accounts.locked_until(account.name), account.name in on)


def _refusal(t: Translator, exc: AccountError | PasswordRejectedError) -> str:
    """A refusal of the accounts' rules in the reader's words."""
    values = exc.values if isinstance(exc, AccountError) else {}
    return t(exc.key, n=str(MIN_LENGTH), **values)  # Markup: escaped once, not again


def _two_passwords(form: FormData) -> tuple[str, str]:
    first, again = (str(form.get(k) or "")[:1024] for k in ("password", "again"))
    return first, again


async def _refused(
    request: Request, store: CollectorStore, build: Callable[[Translator], Any], why: str
) -> Response:
    """The form's page again with why it was refused (422), nothing changed."""
    log.info("%s refused: %s", request.url.path, why)
    shown = await page(request, store, build)
    if shown.status_code == 200:
        shown.status_code = 422
    return shown


# --- every account, and adding one ----------------------------------------------------------


def _list_page(
    accounts: Accounts, t: Translator, error: str | None = None, name: str = "", role: str = ""
) -> tuple[str, dict[str, Any]]:
    on = accounts.steps.enabled_names()
    return "users.html", {
        "title": t("nav.users"),
        "rows": [_row(accounts, a, on) for a in accounts.operators.all()],
        "roles": ROLES,
        "role_words": _role_words(t),
        "error": error,
        "name": name,
        "role": role if role in ROLES else "viewer",
        "min_length": MIN_LENGTH,
    }


def _role_words(t: Translator) -> dict[str, str]:
    """What each role may do, for the role choices."""
    return {
        "viewer": t("users.role_viewer"),
        "officer": t("users.role_officer"),
        "admin": t("users.role_admin"),
    }


@router.get("/console/users", response_class=HTMLResponse)
async def users_page(request: Request, store: StoreDep, accounts: AccountsDep) -> Response:
    """Every account: role, who made it, when its password was set, disabled, locked out."""
    return await page(request, store, lambda t: _list_page(accounts, t))


@router.post("/console/users", response_class=HTMLResponse)
async def add_account(
    request: Request,
    store: StoreDep,
    accounts: AccountsDep,
    admin: ConfirmedAdmin,
    form: CheckedForm,
) -> Response:
    """Add an account with a first password the admin typed twice; on to its page."""
    t = Translator(quiet_language(request))
    name = str(form.get("name") or "").strip().lower()[:64]  # a login lowercases the name too
    role = str(form.get("role") or "")
    password, again = _two_passwords(form)
    error: str | None = None
    if password != again:
        error = t("password.mismatch")
    else:
        try:
            await run_in_threadpool(accounts.create, name, role, password, admin.name, "console")
        except (AccountError, PasswordRejectedError) as exc:
            error = _refusal(t, exc)
    if error is not None:
        return await _refused(
            request, store, lambda t: _list_page(accounts, t, error, name, role), error
        )
    return RedirectResponse(f"/console/users/{name}?done=added", status_code=303)


# --- one account: its role, a new password, disabled or enabled -----------------------------


def _account_page(
    request: Request,
    accounts: Accounts,
    admin: Operator,
    name: str,
    t: Translator,
    error: str | None = None,
    error_for: str | None = None,
) -> tuple[str, dict[str, Any]]:
    account = accounts.operators.get(name)
    if account is None:
        raise PageError(404, "error.not_found", [t("account.unknown_operator", name=name)])
    done = None if error else choice_param(request, "done", DONE, t)
    ended = request.query_params.get("ended", "")
    return "user.html", {
        "title": t("users.account_heading", name=account.name),
        "row": _row(accounts, account, accounts.steps.enabled_names()),
        "required": accounts.second_step_required(),
        "roles": ROLES,
        "role_words": _role_words(t),
        "myself": account.name == admin.name,
        "done": _done(t, done, account, ended) if done else None,
        "sessions": shown_sessions(t, open_sessions_of(request, accounts, account.name)),
        "error": error,
        "error_for": error_for if error_for in FORMS else None,
        "min_length": MIN_LENGTH,
    }


def _done(t: Translator, done: str, account: Operator, ended: str) -> str | None:
    """What the last change did, in the reader's words (ended: how many logins it ended)."""
    name, role = account.name, t("role." + account.role)
    if done == "sessions":
        if not (ended.isascii() and ended.isdigit() and len(ended) <= 6):
            return None  # not a URL this page made: say nothing rather than a wrong number
        n = int(ended)
        if n == 0:
            return t("users.done_no_sessions", name=name)  # they had logged out meanwhile
        if n == 1:
            return t("users.done_one_session", name=name)
        return t("users.done_sessions", name=name, n=t.number(n))
    said = {
        "added": t("users.done_added", name=name, role=role),
        "role": t("users.done_role", name=name, role=role),
        "password": t("users.done_password", name=name),
        "disabled": t("users.done_disabled", name=name),
        "enabled": t("users.done_enabled", name=name),
        "second_step": t("users.done_second_step", name=name),
    }
    return said[done]


@router.get("/console/users/{name}", response_class=HTMLResponse)
async def account_page(
    request: Request, name: str, store: StoreDep, accounts: AccountsDep, admin: Admin
) -> Response:
    """One account and the forms that change it."""
    return await page(request, store, lambda t: _account_page(request, accounts, admin, name, t))


async def _change(
    request: Request,
    store: CollectorStore,
    accounts: Accounts,
    admin: Operator,
    name: str,
    form_name: str,
    refusal: str | None,
    change: Callable[[], None],
    done: str,
) -> Response:
    """Make a change unless refused already; back to the account's page, or it again with why."""
    t = Translator(quiet_language(request))
    error = refusal
    if error is None:
        try:
            await run_in_threadpool(change)
        except (AccountError, PasswordRejectedError) as exc:
            error = _refusal(t, exc)
    if error is not None:
        why = error

        def build(t: Translator) -> tuple[str, dict[str, Any]]:
            return _account_page(request, accounts, admin, name, t, why, form_name)

        return await _refused(request, store, build, why)
    return RedirectResponse(f"/console/users/{name}?done={done}", status_code=303)


@router.post("/console/users/{name}/role", response_class=HTMLResponse)
async def change_role(
    request: Request,
    name: str,
    store: StoreDep,
    accounts: AccountsDep,
    admin: ConfirmedAdmin,
    form: CheckedForm,
) -> Response:
    """Give the account another role (it applies from the account's next request)."""
    role = str(form.get("role") or "")
    answer = await _change(
        request, store, accounts, admin, name, "role", None,
        lambda: accounts.set_role(name, role, admin.name, "console"), "role",
    )  # fmt: skip
    if name == admin.name and role != "admin" and answer.status_code == 303:
        return RedirectResponse("/console", status_code=303)  # no longer an admin: not here
    return answer


@router.post("/console/users/{name}/password", response_class=HTMLResponse)
async def set_password(
    request: Request,
    name: str,
    store: StoreDep,
    accounts: AccountsDep,
    admin: ConfirmedAdmin,
    form: CheckedForm,
) -> Response:
    """Set a new password the admin typed twice: the account's sessions and lockout end."""
    t = Translator(quiet_language(request))
    password, again = _two_passwords(form)
    refusal = None
    if name == admin.name:
        refusal = t("users.own_password")
    elif password != again:
        refusal = t("password.mismatch")
    return await _change(
        request, store, accounts, admin, name, "password", refusal,
        lambda: accounts.set_password(name, password, admin.name, "console"), "password",
    )  # fmt: skip


@router.post("/console/users/{name}/disabled", response_class=HTMLResponse)
async def set_disabled(
    request: Request,
    name: str,
    store: StoreDep,
    accounts: AccountsDep,
    admin: ConfirmedAdmin,
    form: CheckedForm,
) -> Response:
    """Disable the account (its sessions end, it cannot log in) or enable it again."""
    t = Translator(quiet_language(request))
    wanted = str(form.get("disabled") or "")
    disabled = wanted == "yes"
    refusal = None
    if wanted not in ("yes", "no"):
        refusal = t("users.bad_disabled")
    elif disabled and name == admin.name:
        refusal = t("users.self_disable")
    return await _change(
        request, store, accounts, admin, name, "disabled", refusal,
        lambda: accounts.set_disabled(name, disabled, admin.name, "console"),
        "disabled" if disabled else "enabled",
    )  # fmt: skip


@router.post("/console/users/{name}/second-step", response_class=HTMLResponse)
async def reset_second_step(
    request: Request,
    name: str,
    store: StoreDep,
    accounts: AccountsDep,
    admin: ConfirmedAdmin,
    form: CheckedForm,
) -> Response:
    """Reset the account's second step (a lost phone): audited with the admin's name; they log
    in with the password alone, or set it up again first where it is required."""
    t = Translator(quiet_language(request))
    refusal = t("users.own_second_step") if name == admin.name else None

    def reset() -> None:
        if not SecondStep(accounts).reset(name, admin.name, "console"):
            raise AccountError("account.second_step_off", name=name)

    return await _change(
        request, store, accounts, admin, name, "second_step", refusal, reset, "second_step"
    )


@router.post("/console/users/{name}/sessions", response_class=HTMLResponse)
async def end_sessions(
    request: Request,
    name: str,
    store: StoreDep,
    accounts: AccountsDep,
    admin: ConfirmedAdmin,
    form: CheckedForm,
    addr: ClientAddr,
) -> Response:
    """End every login of the account on every server (a lost laptop), audited with the admin's
    name; the account stays enabled. The admin's own are ended on /console/password instead,
    which keeps the login the admin is using."""
    t = Translator(quiet_language(request))
    if name == admin.name:
        why = t("users.own_sessions")

        def build(t: Translator) -> tuple[str, dict[str, Any]]:
            return _account_page(request, accounts, admin, name, t, why, "sessions")

        return await _refused(request, store, build, why)
    try:
        ended = await run_in_threadpool(accounts.end_sessions_of, name, admin.name, "console", addr)
    except AccountError:  # no such account: the page's own 404
        return await page(
            request, store, lambda t: _account_page(request, accounts, admin, name, t)
        )
    return RedirectResponse(f"/console/users/{name}?done=sessions&ended={ended}", status_code=303)
