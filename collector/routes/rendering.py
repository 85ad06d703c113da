"""What every web page shares: the templates, the language, the error page, and rendering.

Server-rendered HTML from Jinja2 templates (collector/templates/), no JavaScript; Thai by
default, English with ``?lang=en`` (remembered in a cookie); the words come from the catalogues
in collector/translations/ (collector/i18n.py). A page builder runs off the event loop
(``page``) and may raise PageError for a 404 or 422 page that names what was wrong; a bad
request is never a 500. Every page knows who is logged in (for the menu and the CSRF field of
its forms) from the request's session, looked up once by collector/auth/web.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from collector.auth.accounts import CONFIRM_WINDOW, confirmed_until
from collector.auth.web import audit_refusal, current_session, page_of
from collector.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator
from collector.store import CollectorStore
from collector.store.operators import SessionRow
from wire.clock import THAI_TIME

PACKAGE: Final = Path(__file__).resolve().parents[1]  # collector/: templates/, static/
LANG_COOKIE: Final = "sangsuk_lang"
log = logging.getLogger(__name__)

templates = Environment(
    loader=FileSystemLoader(PACKAGE / "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.globals["code"] = lambda text: Markup("<code>{}</code>").format(text)
# The console's menu: (path, translation key, the role it needs), in the order shown. A key's
# "_explain" twin is the line under it on the console's home page.
CONSOLE_MENU: Final[list[tuple[str, str, str]]] = [
    ("/console/tokens", "nav.tokens", "officer"),
    ("/kiosks", "nav.kiosks", "viewer"),
    ("/console/import", "nav.import", "officer"),
    ("/audit", "nav.audit", "viewer"),
    ("/console/campaigns", "nav.campaigns", "officer"),
    ("/console/districts", "nav.districts", "officer"),
    ("/console/awards", "nav.awards", "officer"),
    ("/console/publish", "nav.publish", "officer"),
    ("/console/users", "nav.users", "admin"),
    ("/console/settings", "nav.settings", "admin"),
]
templates.globals["console_menu"] = CONSOLE_MENU

Builder = Callable[[Translator], tuple[str, dict[str, Any]]]


class PageError(Exception):
    """A request the pages answer with an error page (404 or 422) instead of a result."""

    def __init__(self, status: int, title_key: str, messages: list[str]) -> None:
        """An error page with this status, title and lines of explanation."""
        super().__init__("; ".join(messages))
        self.status = status
        self.title_key = title_key
        self.messages = messages


def session_of(request: Request) -> SessionRow | None:
    """The request's session, when a dependency looked it up (else None)."""
    found: SessionRow | None = request.scope.get("sangsuk", {}).get("session")
    return found


def language(request: Request) -> tuple[str, bool]:
    """The page language and whether it was chosen now (to remember it in the cookie)."""
    asked = request.query_params.get("lang")
    if asked is not None:
        if asked not in LANGUAGES:
            raise PageError(422, "error.bad_request", [f"lang: {asked!r} — ไทย: th, English: en"])
        return asked, True
    cookie = request.cookies.get(LANG_COOKIE)
    return (cookie if cookie in LANGUAGES else DEFAULT_LANGUAGE), False


def quiet_language(request: Request) -> str:
    """The page language, never raising (for error pages)."""
    lang = request.query_params.get("lang")
    if lang not in LANGUAGES:
        cookie = request.cookies.get(LANG_COOKIE)
        lang = cookie if cookie in LANGUAGES else DEFAULT_LANGUAGE
    assert lang is not None
    return lang


def int_param(
    request: Request, name: str, default: int | None, low: int, high: int, t: Translator
) -> int | None:
    """A whole-number query parameter within [low, high], else a 422 page naming it."""
    text = request.query_params.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise PageError(
            422,
            "error.bad_request",
            [t("error.bad_number", name=name, value=text, low=low, high=high)],
        )
    return value


def choice_param(
    request: Request, name: str, choices: tuple[str, ...], t: Translator
) -> str | None:
    """A query parameter that must be one of choices (or absent), else a 422 page."""
    text = request.query_params.get(name)
    if text is None or text == "":
        return None
    if text not in choices:
        raise PageError(
            422,
            "error.bad_request",
            [t("error.bad_choice", name=name, value=text, choices=", ".join(choices))],
        )
    return text


def url_with(request: Request, **changes: str | int | None) -> str:
    """The current page's URL with some query parameters changed (None removes one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


@dataclass(frozen=True, slots=True)
class ConfirmState:
    """Sudo mode as a page with a sensitive form shows it (templates/_confirm_note.html)."""

    confirmed: bool  # a sensitive form sent now is done
    until: str  # HH:MM Thai time the window closes (closed: when it closed)
    window: int  # CONFIRM_WINDOW in seconds, for the words
    link: str  # the "confirm it's you" page, coming back here afterwards


def confirm_state(request: Request, session: SessionRow, now: datetime) -> ConfirmState:
    """Whether session's sensitive forms are done if sent at now, until when, and the way to
    confirm from this page (returning to it: a GET's own path and query, else the page the
    form was on)."""
    until = confirmed_until(session)
    here = request.url.path
    if request.method == "GET":
        here += f"?{request.url.query}" if request.url.query else ""
    else:
        here = page_of(request)
    return ConfirmState(
        confirmed=now < until,
        until=f"{until.astimezone(THAI_TIME):%H:%M}",
        window=int(CONFIRM_WINDOW.total_seconds()),
        link="/console/confirm?next=" + quote(here, safe="/"),
    )


def render(
    request: Request,
    store: CollectorStore,
    template: str,
    lang: str,
    remember: bool = False,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render template in lang with what every page shows (menu, language switch, operator)."""
    t = Translator(lang)
    session = session_of(request)
    html = templates.get_template(template).render(
        t=t,
        lang=lang,
        other_lang="en" if lang == "th" else "th",
        switch_url=url_with(request, lang="en" if lang == "th" else "th"),
        path=request.url.path,
        now=t.when(store.now()),
        now_dt=store.clock.now(),
        now_utc=store.now(),  # a protocol timestamp, to compare with a campaign's ends_at
        operator=session.operator if session else None,
        csrf=session.csrf if session else "",
        confirm_state=confirm_state(request, session, store.clock.now()) if session else None,
        **context,
    )
    response = HTMLResponse(html, status_code=status)
    if session is not None:  # an operator's pages are never kept by a browser or proxy
        response.headers["Cache-Control"] = "no-store"
    if remember:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


def error_page(
    request: Request, store: CollectorStore, status: int, title_key: str, messages: list[str]
) -> HTMLResponse:
    """The error page: its title and what was wrong, in the reader's language."""
    lang = quiet_language(request)
    log.info("page %s answered %d: %s", request.url.path, status, "; ".join(messages))
    return render(
        request,
        store,
        "error.html",
        lang,
        status=status,
        title=Translator(lang)(title_key),
        title_key=title_key,
        messages=messages,
        status_code=status,
    )


async def page(request: Request, store: CollectorStore, build: Builder) -> Response:
    """Run a page builder off the event loop; turn PageError into its error page."""
    try:
        lang, remember = language(request)
        t = Translator(lang)
        template, context = await run_in_threadpool(build, t)
    except PageError as error:
        return error_page(request, store, error.status, error.title_key, error.messages)
    return render(request, store, template, lang, remember, **context)


async def uploading_officer(request: Request) -> SessionRow | Response:
    """The session of an officer whose upload was refused before its route ran (too large:
    collector/bodies.py), or the page to answer instead: 401 to no login, 403 below officer.
    Nothing of the body was read, so nothing happened either way."""
    store: CollectorStore = request.app.state.store
    session = await current_session(request, request.app.state.accounts)
    t = Translator(quiet_language(request))
    if session is None:
        return error_page(request, store, 401, "access.login_title", [t("access.login_needed")])
    if not session.operator.can("officer"):
        await audit_refusal(request, session.operator, "access.role", "needs the officer role")
        return error_page(request, store, 403, "access.forbidden_title", [t("access.role")])
    return session
