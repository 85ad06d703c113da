"""The central office's web pages: overview, leaderboard, district, kiosk fleet and audit.

Server-rendered HTML from Jinja2 templates (collector/templates/), no JavaScript; charts are
SVG drawn on the server (collector/charts.py). Thai by default, English with ``?lang=en``
(remembered in a cookie); the words come from the catalogues in collector/translations/
(collector/i18n.py). The Sarabun font is served from ``wire/fonts``, where the kiosk finds it too,
so Thai renders on any machine.

The pages read the database in read transactions of their own (``CollectorStore.reading``,
collector/results.py), from the tallies, so a page never holds up a kiosk's batch and costs
the same however many votes are held; the kiosk rows follow the fleet rules
(collector/fleet.py), as the `kiosks` command does. A bad query parameter gets a 422 page
naming it, an unknown district a 404 page; neither is ever a 500. These pages are for the
central office: expose only ``/api/`` to the internet (docs/operations.md).
"""

from __future__ import annotations

import itertools
import logging
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from collector import charts, results
from collector.deps import StoreDep
from collector.fleet import SILENT_AFTER, kiosk_rows
from collector.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator
from collector.ranking import Ranked, Ranking, RankingMethod, rank, tie_note
from collector.store import CollectorStore, KioskStatus
from wire.districts import SIZE_GROUPS
from wire.keys import fingerprint_for_id

PACKAGE: Final = Path(__file__).resolve().parents[1]  # collector/: templates/, static/
FONTS: Final = PACKAGE.parent / "wire" / "fonts"  # the typeface the kiosk draws Thai with too
STATIC: Final = PACKAGE / "static"
LANG_COOKIE: Final = "sangsuk_lang"
STORIES_PER_PAGE: Final = 25
LEADERBOARD_TOP: Final = 10
RATING_COLOURS: Final = {5: "#2E9E5B", 4: "#8DBA3C", 3: "#F2C12E", 2: "#F08C3A", 1: "#D64541"}
# The only files served under /static/: name -> path (nothing else can be asked for).
STATIC_FILES: Final = {
    "site.css": (STATIC / "site.css", "text/css; charset=utf-8"),
    **{
        f"fonts/Sarabun-{weight}.ttf": (FONTS / f"Sarabun-{weight}.ttf", "font/ttf")
        for weight in ("Regular", "Medium", "SemiBold", "Bold")
    },
}
log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
templates = Environment(
    loader=FileSystemLoader(PACKAGE / "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.globals["code"] = lambda text: Markup("<code>{}</code>").format(text)


class PageError(Exception):
    """A request the pages answer with an error page (404 or 422) instead of a result."""

    def __init__(self, status: int, title_key: str, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.status = status
        self.title_key = title_key
        self.messages = messages


# --- request helpers -----------------------------------------------------------------------


def _language(request: Request) -> tuple[str, bool]:
    """The page language and whether it was chosen now (to remember it in the cookie)."""
    asked = request.query_params.get("lang")
    if asked is not None:
        if asked not in LANGUAGES:
            raise PageError(
                422,
                "error.bad_request",
                [f"lang: {asked!r} — ไทย: th, English: en"],
            )
        return asked, True
    cookie = request.cookies.get(LANG_COOKIE)
    return (cookie if cookie in LANGUAGES else DEFAULT_LANGUAGE), False


def _int_param(
    request: Request, name: str, default: int | None, low: int, high: int, t: Translator
) -> int | None:
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


def _choice_param(
    request: Request, name: str, choices: tuple[str, ...], t: Translator
) -> str | None:
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


def _url(request: Request, **changes: str | int | None) -> str:
    """The current page's URL with some query parameters changed (None removes one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def _render(
    request: Request,
    store: CollectorStore,
    template: str,
    lang: str,
    remember: bool,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    t = Translator(lang)
    html = templates.get_template(template).render(
        t=t,
        lang=lang,
        other_lang="en" if lang == "th" else "th",
        switch_url=_url(request, lang="en" if lang == "th" else "th"),
        path=request.url.path,
        now=t.when(store.now()),
        now_dt=store.clock.now(),
        **context,
    )
    response = HTMLResponse(html, status_code=status)
    if remember:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


def _error_page(request: Request, store: CollectorStore, error: PageError) -> HTMLResponse:
    lang = request.query_params.get("lang")
    if lang not in LANGUAGES:
        cookie = request.cookies.get(LANG_COOKIE)
        lang = cookie if cookie in LANGUAGES else DEFAULT_LANGUAGE
    assert lang is not None
    log.info("page %s answered %d: %s", request.url.path, error.status, error)
    return _render(
        request,
        store,
        "error.html",
        lang,
        False,
        status=error.status,
        title=Translator(lang)(error.title_key),
        title_key=error.title_key,
        messages=error.messages,
        status_code=error.status,
    )


async def _page(request: Request, store: CollectorStore, build: Any) -> Response:
    """Run a page builder off the event loop; turn PageError into its error page."""
    try:
        lang, remember = _language(request)
        t = Translator(lang)
        template, context = await run_in_threadpool(build, t)
    except PageError as error:
        return _error_page(request, store, error)
    return _render(request, store, template, lang, remember, **context)


def _method(request: Request, store: CollectorStore, t: Translator) -> tuple[RankingMethod, bool]:
    """The saved ranking method, or a what-if one from ?prior_weight=&min_votes=."""
    saved = results.saved_method(store)
    weight = _int_param(request, "prior_weight", saved.prior_weight, 0, 1_000_000, t)
    minimum = _int_param(request, "min_votes", saved.min_votes, 1, 1_000_000, t)
    assert weight is not None
    assert minimum is not None
    method = RankingMethod(weight, minimum)
    return method, method != saved


# --- kiosk health, shared by the fleet and district pages -----------------------------------


def _clock_text(s: KioskStatus, t: Translator) -> Markup:
    parts: list[Markup] = []
    if s.clock_skew_s is not None:
        parts.append(t("kiosks.clock_made_at", s=f"{s.clock_skew_s:+,.0f}"))
    if s.vote_ahead_s is not None and s.vote_ahead_s > 0:
        parts.append(t("kiosks.clock_votes_ahead", s=f"{s.vote_ahead_s:+,.0f}"))
    return Markup(" · ").join(parts) or Markup("–")


def _ranges(ranges: list[tuple[int, int]]) -> str:
    shown = [f"{a}" if a == b else f"{a}–{b}" for a, b in ranges[:5]]
    return ", ".join(shown) + (" …" if len(ranges) > 5 else "")


# --- pages ---------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
async def overview_page(request: Request, store: StoreDep) -> Response:
    """Votes received, kiosks reporting, votes per day, and the current leaders."""

    def build(t: Translator) -> tuple[str, dict[str, Any]]:
        method = results.saved_method(store)
        with store.reading() as conn:
            counted = results.tallies(conn)
            figures = results.overview(conn, counted)
            ranking = rank(counted, method)
            names = results.districts(conn)
        bars = [charts.Bar(t.day(day), n) for day, n in figures.votes_by_day]
        chart = charts.column_chart(
            bars,
            t("overview.chart_title"),
            width=1100,
            label_every=7 if len(bars) > 14 else 1,
            empty_text=t("overview.no_votes"),
        )
        leaders = {g: ranking.winner(g) for g in SIZE_GROUPS}
        return "overview.html", {
            "title": t("nav.overview"),
            "o": figures,
            "chart": chart,
            "leaders": leaders,
            "names": names,
            "groups": SIZE_GROUPS,
        }

    return await _page(request, store, build)


@router.get("/leaderboard", response_class=HTMLResponse)
async def leaderboard_page(request: Request, store: StoreDep) -> Response:
    """The ranking of each size group, with the method stated."""

    def build(t: Translator) -> tuple[str, dict[str, Any]]:
        group = _choice_param(request, "group", SIZE_GROUPS, t)
        top = _int_param(request, "top", None, 1, 10_000, t)
        method, what_if = _method(request, store, t)
        with store.reading() as conn:
            ranking = results.rank_conn(conn, method)
            names = results.districts(conn)
        groups = (group,) if group else SIZE_GROUPS
        limit = top or (10_000 if group else LEADERBOARD_TOP)
        ties = _tie_notes(ranking)
        return "leaderboard.html", {
            "title": t("nav.leaderboard"),
            "ranking": ranking,
            "method": method,
            "what_if": what_if,
            "groups": groups,
            "limit": limit,
            "names": names,
            "ties": ties,
            "single": group,
            "mean": float(ranking.national_mean) if ranking.national_mean is not None else None,
            "group_sizes": {g: sum(1 for d in names.values() if d.size_group == g) for g in groups},
        }

    return await _page(request, store, build)


def _tie_notes(ranking: Ranking) -> dict[str, str]:
    """For each ranked district placed above another by a tie rule: which rule."""
    notes: dict[str, str] = {}
    for ranked in ranking.groups.values():
        for a, b in itertools.pairwise(ranked):
            rule = tie_note(a, b)
            if rule:
                notes[a.code] = rule
    return notes


@router.get("/districts/{code}", response_class=HTMLResponse)
async def district_page(request: Request, code: str, store: StoreDep) -> Response:
    """One district: rating distribution, votes per staff and unit, stories, its kiosks."""

    def build(t: Translator) -> tuple[str, dict[str, Any]]:
        page = _int_param(request, "page", 1, 1, 100_000, t)
        assert page is not None
        method = results.saved_method(store)
        with store.reading() as conn:
            detail = results.district_detail(
                conn, code, STORIES_PER_PAGE, (page - 1) * STORIES_PER_PAGE
            )
            ranking = results.rank_conn(conn, method) if detail else None
        if detail is None or ranking is None:
            raise PageError(404, "error.not_found", [t("error.unknown_district", code=code)])
        place = _place(ranking, code)
        bars = [
            charts.Bar(
                t(f"rating.{r}"),
                detail.counts[r - 1],
                RATING_COLOURS[r],
                t.number(detail.counts[r - 1]),
            )
            for r in (5, 4, 3, 2, 1)
        ]
        chart = charts.bar_chart(bars, t("district.chart_title"), label_width=170)
        pages = max(1, -(-detail.stories_total // STORIES_PER_PAGE))
        return "district.html", {
            "title": detail.district.name(t.lang),
            "d": detail,
            "place": place,
            "chart": chart,
            "kiosks": kiosk_rows(store, detail.kiosks),
            "page": page,
            "pages": pages,
            "prev_url": _url(request, page=page - 1) if page > 1 else None,
            "next_url": _url(request, page=page + 1) if page < pages else None,
            "clock_text": _clock_text,
            "ranges": _ranges,
            "method": method,
            "colours": RATING_COLOURS,
        }

    return await _page(request, store, build)


def _place(ranking: Ranking, code: str) -> Ranked | None:
    for ranked in (*ranking.groups.values(), *ranking.below_minimum.values()):
        for r in ranked:
            if r.code == code:
                return r
    return None


@router.get("/kiosks", response_class=HTMLResponse)
async def kiosks_page(request: Request, store: StoreDep) -> Response:
    """Every kiosk: last seen, gaps, clock, revoked; the ones that need a look first."""

    def build(t: Translator) -> tuple[str, dict[str, Any]]:
        show = _choice_param(request, "show", ("problems",), t)
        rows = kiosk_rows(store)
        with store.reading() as conn:
            names = results.districts(conn)
        shown = [r for r in rows if r.problem] if show else rows
        return "kiosks.html", {
            "title": t("nav.kiosks"),
            "rows": shown,
            "all_rows": rows,
            "names": names,
            "show": show,
            "threshold": store.skew_threshold_s,
            "silent_days": SILENT_AFTER.days,
            "clock_text": _clock_text,
            "ranges": _ranges,
            "problems_url": _url(request, show="problems"),
            "all_url": _url(request, show=None),
        }

    return await _page(request, store, build)


@router.get("/audit", response_class=HTMLResponse)
async def audit_page(request: Request, store: StoreDep) -> Response:
    """Refusals, conflicts, revocations and settings changes; the quarantined votes."""

    def build(t: Translator) -> tuple[str, dict[str, Any]]:
        limit = _int_param(request, "limit", 200, 1, 10_000, t)
        assert limit is not None
        rows = store.audit_rows(limit)
        return "audit.html", {
            "title": t("nav.audit"),
            "rows": rows,
            "quarantined": store.quarantined(limit),
            "quarantined_total": store.quarantined_count(),
            "limit": limit,
            "fingerprint": fingerprint_for_id,
        }

    return await _page(request, store, build)


@router.get("/static/{name:path}")
def static_file(name: str) -> Response:
    """The stylesheet and the Sarabun font files (and nothing else)."""
    found = STATIC_FILES.get(name)
    if found is None or not found[0].is_file():
        return Response("not found", status_code=404, media_type="text/plain")
    path, media_type = found
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "max-age=86400"})
