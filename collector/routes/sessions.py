"""One's open sessions: where one is logged in, and logging out everywhere else.

The list is a section of one's own account page (routes/login.py, /console/password): each
live session's browser and system (read from the User-Agent it logged in with), the address it
came from, when it started, when it was last used and when it ends unless used. "Log out
everywhere else" ends every other session of the operator at once, on every server (the
sessions are rows in the database), and says so in the audit. A login nobody recognises is the
sign of a stolen password: the page says to end it and change the password.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from collector.auth.accounts import Accounts, ListedSession
from collector.auth.headers import SESSION_COOKIE
from collector.auth.web import AccountsDep, CheckedForm, Viewer
from collector.deps import ClientAddr
from collector.i18n import Translator

router = APIRouter(include_in_schema=False)

# The browsers and systems an office uses, by a token of their User-Agent, in the order to test
# them (Edge and Opera also say "Chrome/", Chrome also says "Safari/"). Our own few lines, not a
# User-Agent library: only a label is wanted, and the whole header is shown beside it.
_BROWSERS: Final = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS: Final = (
    ("Windows", "Windows"),
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


@dataclass(frozen=True, slots=True)
class ShownSession:
    """A session as the account page shows it, in the reader's language."""

    browser: str
    agent: str  # the whole User-Agent, shown on hover ("" when not recorded)
    addr: str
    started: str
    last_used: str
    ends: str
    current: bool


def browser_of(t: Translator, agent: str | None) -> str:
    """A short name for the browser a User-Agent names ("Chrome on Windows"), or why not."""
    if not agent:
        return t("sessions.not_recorded")
    browser = next((name for token, name in _BROWSERS if token in agent), None)
    system = next((name for token, name in _SYSTEMS if token in agent), None)
    if browser and system:
        return t("sessions.browser_on", browser=browser, system=system)
    return browser or system or t("sessions.unknown_browser")


def shown_sessions(t: Translator, listed: list[ListedSession]) -> list[ShownSession]:
    """The sessions for the account page, worded for t's reader."""
    return [
        ShownSession(
            browser=browser_of(t, each.row.agent),
            agent=each.row.agent or "",
            addr=each.row.addr or t("sessions.not_recorded"),
            started=t.when(each.row.created_at),
            last_used=t.when(each.row.last_seen),
            ends=t.when(each.ends_at),
            current=each.current,
        )
        for each in listed
    ]


def open_sessions_of(request: Request, accounts: Accounts, name: str) -> list[ListedSession]:
    """name's live sessions, the request's own marked (blocking: run it in the threadpool)."""
    return accounts.open_sessions(name, request.cookies.get(SESSION_COOKIE, ""))


@router.post("/console/sessions/others")
async def end_other_sessions(
    request: Request,
    accounts: AccountsDep,
    operator: Viewer,
    form: CheckedForm,
    addr: ClientAddr,
) -> Response:
    """Log out of every other session of one's own; back to the account page, saying how many."""
    token = request.cookies.get(SESSION_COOKIE, "")
    ended = await run_in_threadpool(accounts.end_other_sessions, token, operator.name, addr)
    return RedirectResponse(f"/console/password?ended={ended}#sessions", status_code=303)
