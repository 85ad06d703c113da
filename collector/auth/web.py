"""What a route asks for to be private: the operator, a role, a form's CSRF check.

Every route of the app falls under one rule (tests/collector/test_access.py walks them all):
the kiosk API and the static files are open; the results pages are public unless the admin
closed them (``results_access``); everything else needs a session with a role
(``require``), and every form that changes something checks its CSRF field (``checked_form``).

An anonymous request for a page is sent to the login page (303, remembering where it was
going); one for an API path gets 401 JSON; a logged-in operator without the role gets 403.
That 403, and a form of theirs refused by its CSRF or origin check, is audited naming them
(``audit_refusal``, design promise 11): a page opened above one's role as well as an action,
since looking at what one may not see is what an auditor asks about. Repeats of the same
request by the same operator within the hour add to one row (collector/store/audit.py).

Sudo mode: a sensitive form (``recently_confirmed``: ConfirmedViewer, ConfirmedOfficer,
ConfirmedAdmin) is done only within accounts.CONFIRM_WINDOW of the session's last proof of who
its operator is; later it is not done, and app.py answers with the "confirm it's you" page
(routes/confirm.py), which leads back to the page the form was on. The sensitive ones:

* every admin action on accounts (add, role, password, disabled or enabled, reset the second
  step, log out everywhere) and the settings (results public, second step required);
* making new recovery codes for one's own second step;
* revoking a kiosk and announcing the awards (officers: neither can be undone), checking and
  loading the size groups (a load moves votes between the award groups), and saving the ranking
  method (it decides the awards; routes/awards.py).

Each page holding such a form says so before it is sent (templates/_confirm_note.html, from
routes/rendering.py ``confirm_state``): until when the confirmation holds, or that the form will
ask first, with a link to confirm now and come back.

Turning one's own second step off and changing one's own password ask for the password (and
the code) in their own forms, which is the confirmation itself. Everyday officer work (tokens,
USB imports, campaigns, publishing) is not asked again: it is done many times a
day, is audited and can be corrected, and asking again there would train operators to type
their password into any page that asks. The kiosk API (/api/) has no sessions.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable
from typing import Annotated, Final
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.routing import Match

from collector.auth.accounts import Accounts
from collector.auth.headers import SESSION_COOKIE
from collector.store.operators import Operator, SessionRow

LOGIN_CSRF_COOKIE: Final = "sangsuk_login_csrf"
RESULTS_PUBLIC: Final = "results_public"  # the setting: "no" closes the results pages
# The audit's reason for each refusal the operator is shown (audit.refusal.<reason>).
REFUSAL_REASONS: Final = {"access.role": "role", "access.csrf": "csrf"}
ORIGIN_KEPT: Final = 200  # characters of a foreign Origin header kept in the audit row


class LoginRequiredError(Exception):
    """An anonymous request for something private (answered by app.py's handler)."""


class ConfirmNeededError(Exception):
    """A sensitive form sent too long after its operator last proved who they are (answered
    by app.py with the "confirm it's you" page; nothing was done)."""

    def __init__(self, back: str) -> None:
        super().__init__(back)
        self.back = back  # the page the form was on, to return to once confirmed


class ForbiddenError(Exception):
    """A logged-in operator without the role, or a form without its CSRF field.

    ``operator`` is who was refused and ``why`` says what failed in English, for the audit row
    app.py writes (``audit_refusal``); the key is the sentence the operator is shown.
    """

    def __init__(self, key: str, operator: Operator | None = None, why: str = "") -> None:
        super().__init__(key)
        self.key = key
        self.operator = operator
        self.why = why


async def get_accounts(request: Request) -> Accounts:
    """The app's accounts service."""
    accounts: Accounts = request.app.state.accounts
    return accounts


AccountsDep = Annotated[Accounts, Depends(get_accounts)]


async def current_session(request: Request, accounts: AccountsDep) -> SessionRow | None:
    """The request's live session, or None; looked up once per request."""
    if "session" not in request.scope.setdefault("sangsuk", {}):
        token = request.cookies.get(SESSION_COOKIE)
        found = await run_in_threadpool(accounts.session, token) if token else None
        request.scope["sangsuk"]["session"] = found
    found_session: SessionRow | None = request.scope["sangsuk"]["session"]
    return found_session


SessionDep = Annotated[SessionRow | None, Depends(current_session)]


def require(role: str) -> Callable[..., Awaitable[Operator]]:
    """A dependency: the logged-in operator, who must have role (else LoginRequiredError/ForbiddenError)."""

    async def operator_with_role(session: SessionDep) -> Operator:
        if session is None:
            raise LoginRequiredError
        if not session.operator.can(role):
            raise ForbiddenError("access.role", session.operator, f"needs the {role} role")
        return session.operator

    operator_with_role.__name__ = f"require_{role}"
    return operator_with_role


Viewer = Annotated[Operator, Depends(require("viewer"))]
Officer = Annotated[Operator, Depends(require("officer"))]
Admin = Annotated[Operator, Depends(require("admin"))]


async def results_access(request: Request, session: SessionDep) -> None:
    """The results pages: open to all, unless the admin closed them to logged-in operators."""
    store = request.app.state.store
    closed = await run_in_threadpool(store.setting, RESULTS_PUBLIC) == "no"
    if closed and session is None:
        raise LoginRequiredError


def same_origin(request: Request) -> bool:
    """True when the browser says the request came from a page of this site (or says nothing).

    Browsers send Origin with every POST; a request from another site's page is refused even
    with a stolen CSRF field. A client that sends no Origin (not a browser) still needs the field.
    """
    origin = request.headers.get("origin")
    if origin is None:
        return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc == host


async def checked_form(request: Request, session: SessionDep) -> FormData:
    """The posted form of a logged-in operator, after its CSRF field and origin are checked."""
    if session is None:
        raise LoginRequiredError
    form = await request.form()
    sent = form.get("csrf")
    if not isinstance(sent, str) or not sent:
        why = "no CSRF value"
    elif not hmac.compare_digest(sent.encode(), session.csrf.encode()):
        why = "a wrong CSRF value (a form from an older session, or not from this site)"
    elif not same_origin(request):
        origin = request.headers.get("origin") or request.headers.get("sec-fetch-site", "")
        why = f"sent from another site's page ({origin[:ORIGIN_KEPT]!r})"
    else:
        return form
    raise ForbiddenError("access.csrf", session.operator, why)


def refusal_reason(key: str, method: str) -> str:
    """The audit's reason code for a refusal shown with key: a page (GET or HEAD) above one's
    role is ``role_page``, any other request above it ``role_action``, a CSRF failure ``csrf``."""
    reason = REFUSAL_REASONS.get(key, "role")
    if reason == "role":
        return "role_page" if method in ("GET", "HEAD") else "role_action"
    return reason


async def audit_refusal(request: Request, operator: Operator, key: str, why: str) -> None:
    """Write the audit row for a logged-in operator's request refused with key (a 403): who,
    the method and path (not the query), what failed, from which address."""
    addr = request.client.host if request.client else None
    detail = f"{request.method} {request.url.path} by {operator.name} ({operator.role}): {why}"
    reason = refusal_reason(key, request.method)
    store = request.app.state.store
    facts = {"method": request.method, "path": request.url.path, "role": operator.role}
    await run_in_threadpool(
        store.audit, "refused", reason, detail, None, "console", addr, operator.name, facts
    )


CheckedForm = Annotated[FormData, Depends(checked_form)]


def page_of(request: Request) -> str:
    """The page a form was on: its own path when a page is shown there (GET), else the nearest
    parent path that is one (/console/users/somchai/role: /console/users/somchai)."""
    path = request.url.path
    while path.startswith("/") and len(path) > 1:
        scope = dict(request.scope, path=path, method="GET")
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            return path  # FULL: a route for GET (another method's would be PARTIAL)
        path = path.rsplit("/", 1)[0]
    return "/console"


def recently_confirmed(role: str) -> Callable[..., Awaitable[Operator]]:
    """A dependency for a sensitive form: the logged-in operator with role, whose form passed
    its CSRF check, and who proved who they are within accounts.CONFIRM_WINDOW; else
    ConfirmNeededError (the form is not handled at all)."""
    with_role = Depends(require(role))  # a default, not an annotation: these are strings here

    async def confirmed_with_role(
        request: Request,
        session: SessionDep,
        accounts: AccountsDep,
        form: CheckedForm,
        operator: Operator = with_role,
    ) -> Operator:
        assert session is not None  # require(role) refused an anonymous request
        if not accounts.recently_confirmed(session):
            raise ConfirmNeededError(page_of(request))
        return operator

    confirmed_with_role.__name__ = f"confirmed_{role}"
    return confirmed_with_role


ConfirmedViewer = Annotated[Operator, Depends(recently_confirmed("viewer"))]
ConfirmedOfficer = Annotated[Operator, Depends(recently_confirmed("officer"))]
ConfirmedAdmin = Annotated[Operator, Depends(recently_confirmed("admin"))]


def wants_json(request: Request) -> bool:
    """True for the API paths (they get JSON refusals, not pages)."""
    return request.url.path.startswith("/api/")


def login_url(request: Request) -> str:
    """The login page, remembering the page asked for."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login?next=" + quote(target, safe="")


def safe_next(target: str | None) -> str:
    """A place to go after login: a path on this site only (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/console"
    return target


def cookie_secure(request: Request) -> bool:
    """Cookies are Secure except over plain HTTP to the machine itself (a test, a laptop)."""
    if request.url.scheme == "https":
        return True
    host = request.client.host if request.client else ""
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True
