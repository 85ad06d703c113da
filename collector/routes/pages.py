"""The public results: overview, leaderboard with the method, district pages; the site's assets.

Charts are SVG drawn on the server (collector/charts.py). The Sarabun font is served from
``wire/fonts``, where the kiosk finds it too, so Thai renders on any machine.

The pages read the database in read transactions of their own (``CollectorStore.reading``,
collector/results.py), from the tallies, so a page never holds up a kiosk's batch and costs
the same however many votes are held. They are public unless the admin closed them; a
district page shows its kiosks only to a logged-in operator (design promise 11). A bad query
parameter gets a 422 page naming it, an unknown district a 404 page; neither is ever a 500.

Once a size group's awards are announced (collector/store/announcements.py), the overview and
the leaderboard show the announced winners, marked with the day, and never the live leader in
their place; when the live ranking has moved since, they say so beside it, apart from the
award, with the votes for the group's own districts counted since. The newest publication of
the campaign shown (collector/publish.py; of every vote for ``?campaign=all``) is offered for a
recount of one's own: never another campaign's, whose votes and awards are not the page's.

The results are per campaign (collector/store/campaigns.py): ``?campaign=2569`` chooses one,
``?campaign=all`` counts every vote held; without it, the current campaign (every vote while no
campaign has started). A district page also shows its score campaign by campaign.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from markupsafe import Markup, escape
from sqlalchemy.engine import Connection

from collector import charts, results
from collector.auth.web import results_access
from collector.deps import StoreDep
from collector.fleet import kiosk_rows
from collector.i18n import Translator
from collector.publish import Publication, newest_of
from collector.ranking import Ranked, Ranking, RankingMethod, rank, tie_note
from collector.routes.rendering import (
    PACKAGE,
    PageError,
    choice_param,
    int_param,
    page,
    session_of,
    url_with,
)
from collector.store import CollectorStore, KioskStatus, campaigns
from collector.store import announcements as announced
from collector.store.announcements import NO_CAMPAIGN, Announcement
from collector.store.campaigns import Campaign
from wire.districts import SIZE_GROUPS

FONTS: Final = PACKAGE.parent / "wire" / "fonts"  # the typeface the kiosk draws Thai with too
STATIC: Final = PACKAGE / "static"
STORIES_PER_PAGE: Final = 25
LEADERBOARD_TOP: Final = 10
ALL_VOTES: Final = "all"  # ?campaign=all: every vote held, whatever its campaign
AWARD_PLACES: Final = 3  # the places an announcement shows: the winner and two runners-up
DAY_LABELS: Final = 16  # at most this many days named under the votes-per-day chart
RATING_COLOURS: Final = {5: "#2E9E5B", 4: "#8DBA3C", 3: "#F2C12E", 2: "#F08C3A", 1: "#D64541"}
# The only files served under /static/: name -> path (nothing else can be asked for).
STATIC_FILES: Final = {
    "site.css": (STATIC / "site.css", "text/css; charset=utf-8"),
    **{
        f"fonts/Sarabun-{weight}.ttf": (FONTS / f"Sarabun-{weight}.ttf", "font/ttf")
        for weight in ("Regular", "Medium", "SemiBold", "Bold")
    },
}

# The results are public unless the admin closed them (collector/auth/web.py).
router = APIRouter(include_in_schema=False, dependencies=[Depends(results_access)])
# The stylesheet and fonts: open to all, the login page needs them.
assets = APIRouter(include_in_schema=False)


def _method(
    request: Request, store: CollectorStore, t: Translator, chosen: Chosen
) -> tuple[RankingMethod, bool]:
    """The chosen campaign's ranking method (results.campaign_method), or a what-if one from
    ?prior_weight=&min_votes=."""
    with store.reading() as conn:
        saved = results.campaign_method(conn, chosen.key, results.saved_method(store))
    weight = int_param(request, "prior_weight", saved.prior_weight, 0, 1_000_000, t)
    minimum = int_param(request, "min_votes", saved.min_votes, 1, 1_000_000, t)
    assert weight is not None
    assert minimum is not None
    method = RankingMethod(weight, minimum)
    return method, method != saved


@dataclass(frozen=True, slots=True)
class Chosen:
    """The campaign a page shows (None: every vote), and every campaign to choose from."""

    campaign: Campaign | None
    every: list[Campaign]
    current: Campaign | None

    @property
    def key(self) -> int:
        """The campaign's key for announcements (0: every vote, no campaign)."""
        return self.campaign.year if self.campaign else NO_CAMPAIGN

    @property
    def year(self) -> int | None:
        """The campaign's year for the tallies (None: every vote)."""
        return self.campaign.year if self.campaign else None

    def context(self, request: Request) -> dict[str, Any]:
        """What the campaign bar of a page (_campaigns.html) needs."""
        links = [(c, url_with(request, campaign=c.year, page=None)) for c in self.every]
        return {
            "campaign": self.campaign,
            "campaign_links": links,
            "current_campaign": self.current,
            "all_votes_url": url_with(request, campaign=ALL_VOTES, page=None),
        }


def chosen_campaign(request: Request, store: CollectorStore, t: Translator) -> Chosen:
    """The campaign of ?campaign= (a year, or "all"), else the current one; else a 404 page."""
    every = campaigns.every(store)
    now = store.now()
    current = next((c for c in every if c.starts_at <= now), None)
    asked = (request.query_params.get("campaign") or "").strip()
    if not asked:
        return Chosen(current, every, current)
    if asked == ALL_VOTES:
        return Chosen(None, every, current)
    found = next((c for c in every if str(c.year) == asked), None)
    if found is None:
        said: list[str] = [t("campaigns.unknown", year=asked[:20])]
        be = campaigns.as_buddhist_year(asked, every)
        if be:  # 2026 typed for 2569
            said.append(t("campaigns.christian_year", year=asked, be=be))
        raise PageError(404, "error.not_found", said)
    return Chosen(found, every, current)


@dataclass(frozen=True, slots=True)
class AnnouncedView:
    """An announced group as the pages show it: the frozen awards, and the live ranking since."""

    announcement: Announcement
    since: int  # votes for the group's districts counted since the announcement
    differs: bool  # the live ranking shown is not the announced one (votes, or the method)


def announced_views(conn: Connection, campaign: int, ranking: Ranking) -> dict[str, AnnouncedView]:
    """For each announced group of campaign (its key: 0 for every vote): what was announced,
    the votes for its districts counted since, and whether ranking (of the same votes, read in
    conn's transaction) has moved from it."""
    live = ranking.awards_json()
    kept = results.announced_group_votes(conn, campaign)
    return {
        group: AnnouncedView(
            found,
            # The group's votes now less those its announcement kept: not the campaign's
            # (Announcement.votes counts every group's, which the ranking's mean is of).
            max(0, ranking.group_votes(group) - kept.get(group, 0)),
            live[group] != found.awards or ranking.method.to_json() != found.method,
        )
        for group, found in announced.read(conn, campaign).items()
    }


def file_size(t: Translator, size: int) -> Markup:
    """A file's size for people: kB under a megabyte, else MB with one decimal."""
    if size < 1_000_000:
        return t("publish.size_kb", kb=t.number(max(1, round(size / 1000))))
    return t("publish.size", mb=t.number(size / 1_000_000, 1))


def newest_publication(store: CollectorStore, chosen: Chosen) -> Publication | None:
    """The newest publication of the chosen campaign (of every vote for "all"), offered for
    download and for checking before an announcement; None when it has none."""
    return newest_of(store.target.home, chosen.year)


# --- kiosk health, shared by the fleet and district pages -----------------------------------


def clock_text(s: KioskStatus, t: Translator) -> Markup:
    """A kiosk's clock findings in words (or a dash)."""
    parts: list[Markup] = []
    if s.clock_skew_s is not None:
        parts.append(escape(t.duration(s.clock_skew_s, signed=True)))
    if s.vote_ahead_s is not None and s.vote_ahead_s > 0:
        parts.append(t("kiosks.clock_votes_ahead", off=t.duration(s.vote_ahead_s, signed=True)))
    return Markup(" · ").join(parts) or Markup("–")


def ranges_text(ranges: list[tuple[int, int]]) -> str:
    """Seq ranges as short text: 1–40, 45 …"""
    shown = [f"{a}" if a == b else f"{a}–{b}" for a, b in ranges[:5]]
    return ", ".join(shown) + (" …" if len(ranges) > 5 else "")


# --- pages ---------------------------------------------------------------------------------


def day_label_every(days: int) -> int:
    """How many of days' bars apart the chart names a day: each one for two weeks or less,
    else whole weeks, enough of them that at most DAY_LABELS names fit under a year of bars."""
    if days <= 14:
        return 1
    return 7 * -(-days // (7 * DAY_LABELS))


@router.get("/", response_class=HTMLResponse)
async def overview_page(request: Request, store: StoreDep) -> Response:
    """Votes received, kiosks reporting, votes per day, and the current leaders."""

    def build(t: Translator) -> tuple[str, dict[str, Any]]:
        saved = results.saved_method(store)
        chosen = chosen_campaign(request, store, t)
        with store.reading() as conn:
            method = results.campaign_method(conn, chosen.key, saved)
            counted = results.tallies(conn, chosen.year)
            figures = results.overview(conn, counted, chosen.campaign)
            ranking = rank(counted, method)
            names = results.districts(conn, chosen.year)
            views = announced_views(conn, chosen.key, ranking)
        bars = [charts.Bar(t.day(day), n) for day, n in figures.votes_by_day]
        chart = charts.column_chart(
            bars,
            t("overview.chart_title"),
            width=1100,
            label_every=day_label_every(len(bars)),
            empty_text=t("overview.no_votes"),
        )
        leaders = {g: ranking.winner(g) for g in SIZE_GROUPS}
        return "overview.html", {
            "title": t("nav.overview"),
            "o": figures,
            "chart": chart,
            "leaders": leaders,
            "announced": views,
            "names": names,
            "groups": SIZE_GROUPS,
            **chosen.context(request),
        }

    return await page(request, store, build)


@router.get("/leaderboard", response_class=HTMLResponse)
async def leaderboard_page(request: Request, store: StoreDep) -> Response:
    """The ranking of each size group, with the method stated."""

    def build(t: Translator) -> tuple[str, dict[str, Any]]:
        group = choice_param(request, "group", SIZE_GROUPS, t)
        top = int_param(request, "top", None, 1, 10_000, t)
        chosen = chosen_campaign(request, store, t)
        method, what_if = _method(request, store, t, chosen)
        with store.reading() as conn:
            ranking = results.rank_conn(conn, method, chosen.year)
            names = results.districts(conn, chosen.year)
            views = announced_views(conn, chosen.key, ranking)
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
            "announced": views,
            "places": AWARD_PLACES,
            "publication": newest_publication(store, chosen),
            "file_size": file_size,
            **chosen.context(request),
        }

    return await page(request, store, build)


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
        page = int_param(request, "page", 1, 1, 100_000, t)
        assert page is not None
        saved = results.saved_method(store)
        chosen = chosen_campaign(request, store, t)
        with store.reading() as conn:
            method = results.campaign_method(conn, chosen.key, saved)
            detail = results.district_detail(
                conn, code, STORIES_PER_PAGE, (page - 1) * STORIES_PER_PAGE, chosen.campaign
            )
            ranking = results.rank_conn(conn, method, chosen.year) if detail else None
            held = announced_place(conn, chosen.key, code) if detail else None
            # The district's score campaign by campaign, the latest first: as announced, for
            # a campaign whose group of the district is announced.
            history = [
                (c, _place(results.rank_conn(
                    conn, results.campaign_method(conn, c.year, saved), c.year
                ), code), announced_place(conn, c.year, code), url_with(
                    request, campaign=c.year, page=None
                ))
                for c in (chosen.every if detail else [])
            ]  # fmt: skip
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
            "held": held,
            "leaderboard_url": _leaderboard_of(request, detail.district.size_group),
            "chart": chart,
            "kiosks": kiosk_rows(store, detail.kiosks) if session_of(request) else None,
            "page": page,
            "pages": pages,
            "prev_url": url_with(request, page=page - 1) if page > 1 else None,
            "next_url": url_with(request, page=page + 1) if page < pages else None,
            "clock_text": clock_text,
            "ranges": ranges_text,
            "method": method,
            "colours": RATING_COLOURS,
            "history": history,
            **chosen.context(request),
        }

    return await page(request, store, build)


@dataclass(frozen=True, slots=True)
class AnnouncedPlace:
    """A district's place as its size group's awards were announced (the announcement's votes
    and method), beside its votes counted since."""

    announcement: Announcement
    place: Ranked | None  # None: the district had no vote when the group was announced

    @property
    def votes(self) -> int:
        """The district's votes the announcement was decided on."""
        return self.place.votes if self.place else 0


def announced_place(conn: Connection, campaign: int, code: str) -> AnnouncedPlace | None:
    """The district's place in its size group's announced awards of campaign (its key: 0 for
    every vote), ranked again from the votes the announcement kept, by its method (the same
    places: publish.py refuses a publication otherwise); None while that group is not
    announced."""
    found = results.district(conn, code, campaign or None)
    held = announced.read(conn, campaign).get(found.size_group) if found else None
    if held is None:
        return None
    method = RankingMethod.from_json(held.method)
    return AnnouncedPlace(
        held, _place(rank(results.announced_tallies(conn, campaign, held.size_group), method), code)
    )


def _leaderboard_of(request: Request, group: str) -> str:
    """The leaderboard of the campaign shown, at group's live ranking."""
    chosen = request.query_params.get("campaign")
    return "/leaderboard" + (f"?campaign={quote(chosen)}" if chosen else "") + f"#group-{group}"


def _place(ranking: Ranking, code: str) -> Ranked | None:
    for ranked in (*ranking.groups.values(), *ranking.below_minimum.values()):
        for r in ranked:
            if r.code == code:
                return r
    return None


@assets.get("/static/{name:path}")
def static_file(name: str) -> Response:
    """The stylesheet and the Sarabun font files (and nothing else)."""
    found = STATIC_FILES.get(name)
    if found is None or not found[0].is_file():
        return Response("not found", status_code=404, media_type="text/plain")
    path, media_type = found
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "max-age=86400"})
