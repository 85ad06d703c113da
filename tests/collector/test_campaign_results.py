"""The results per campaign, over real HTTP: two campaigns a year apart, each its own ranking,
district history, announcement and publication; a USB stick weeks late never moves an announced
award."""

import re

import httpx
import pytest

from collector import results
from collector.publish import publications
from collector.ranking import RankingMethod
from collector.recount import recount
from collector.store import campaigns
from collector.store.announcements import announcements
from tests.collector.campaign_data import C2569, C2570, utc
from tests.collector.test_console_awards import announce, codes, section, seen
from tests.collector_server import serve_collector
from tests.console import log_in, make_operator
from tests.fakes import FakeClock
from tests.kiosks import enroll, ingest
from wire.vote import Ballot


def cast(store, kiosk, when, ratings, received):
    """Cast ratings on kiosk at when (by its clock); its pending votes reach the collector by
    USB at received (those held already are acknowledged again, the new ones stored)."""
    kiosk.ledger.clock.set_wall(when)
    kiosk.ledger.cast_many([Ballot(kiosk.district, r) for r in ratings])
    store.clock.set_wall(received)
    assert ingest(store, kiosk.batch(), source="usb").new == len(ratings)


@pytest.fixture
def site(tmp_path, make_kiosk):
    districts = [("3706", "small"), ("3701", "small"), ("4408", "medium")]
    with serve_collector(tmp_path / "collector.sqlite3", districts) as running:
        store = running.store
        store.clock = FakeClock(utc(2026, 10, 20, 3))
        results.save_method(store, RankingMethod(5, 3))
        campaigns.add(store, C2569)
        campaigns.add(store, C2570)
        a, b = make_kiosk("a", "3706"), make_kiosk("b", "3701")
        enroll(store, a)
        enroll(store, b)
        make_operator(store, "officer", "officer")
        with httpx.Client(base_url=running.url, timeout=60) as officer:
            log_in(officer, name="officer")
            yield running, officer, a, b


def test_each_campaign_has_its_own_ranking_history_and_announcement(site):
    running, officer, a, b = site
    store = running.store
    cast(store, a, utc(2026, 11, 10, 3), [4, 4, 4, 4], utc(2026, 11, 10, 4))
    cast(store, b, utc(2026, 11, 10, 3), [3, 3, 3, 3], utc(2026, 11, 10, 4))
    store.clock.set_wall(utc(2026, 12, 5, 3))  # 2569 is over; 2570 has not begun

    board = officer.get("/leaderboard?lang=en").text  # the current campaign by default
    assert 'data-campaign="2569"' in board
    assert codes(section(board, "small"), "code") == ["3706", "3701"]
    assert codes(section(officer.get("/leaderboard?campaign=2570").text, "small"), "code") == []
    # The campaign defined for next year says it has not started, in its tab and when chosen.
    assert re.search(r'>2570 <span class="not-started">\(not started\)</span></a>', board)
    assert ">2569</a>" in board  # the one that ran has no such mark
    ahead = officer.get("/?campaign=2570&lang=en").text
    assert "Not started: no votes count in this campaign yet" in ahead
    assert "No votes of this campaign received yet." in ahead

    log_in(officer, name="officer")  # a new session: the fake clock jumped past the last
    awards = officer.get("/console/awards?lang=en").text
    assert 'name="campaign" value="2569"' in awards
    assert announce(officer, "small", seen(awards, "small")).status_code == 303
    held = announcements(store, 2569)["small"]
    assert (held.campaign, held.winner["code"], held.votes) == (2569, "3706", 8)
    assert announcements(store) == {}  # nothing announced over every vote
    # Published as announced: the recount of the publication gives the announced awards.
    page = officer.get("/console/publish?lang=en").text
    assert '<option value="2569" selected>' in page
    made = officer.post(
        "/console/publish",
        data={"csrf": re.search(r'name="csrf" value="([^"]+)"', page).group(1), "campaign": "2569"},
        follow_redirects=False,
    )
    assert made.status_code == 303
    (folder,) = publications(store.target.home)
    checked = recount([folder.folder])
    assert checked.ok
    assert checked.manifest.campaign.year == 2569
    assert checked.ranking.awards_json()["small"] == held.awards

    # A USB stick brings twenty fives for 3701 cast on 2569's last days, six weeks late.
    cast(store, b, utc(2026, 11, 29, 3), [5] * 20, utc(2027, 1, 12, 3))
    board = officer.get("/leaderboard?campaign=2569&lang=en").text
    small = section(board, "small")
    assert codes(small, "code") == ["3701", "3706"]  # the live ranking of 2569 turned
    assert 'data-announced-winner="3706"' in small  # the award did not
    assert 'data-since="20"' in small
    # The district's page of 2569 says its place as announced (2nd, from its 4 votes), with the
    # 20 votes since apart: live it leads, which is not the award (the trial's page said
    # "rank 1" of a district that was not the winner).
    page = officer.get("/districts/3701?campaign=2569&lang=en").text
    assert 'data-announced-rank="2"' in page
    assert 'id="district-rank">2<' in page
    assert 'id="district-votes">4<' in page
    assert 'id="district-mean">3.00<' in page
    assert "The awards of the Small districts group were announced on" in page
    since = re.search(r'<p class="banner since-note" data-since="20">(.*?)</p>', page, re.S)
    assert since is not None
    assert "20 more votes of this district arrived (24 in all): its place now is 1" in since[1]
    assert "which is not the award" in since[1]
    history = page[page.index("Campaign by campaign") :]
    row = re.search(r'<tr data-campaign="2569" data-announced="2">(.*?)</tr>', history, re.S)
    assert row is not None
    assert '>4 <span class="muted since-later" data-since="20">+20 since announced</span>' in row[1]
    winner = officer.get("/districts/3706?campaign=2569&lang=th").text
    assert 'id="district-rank">1<' in winner
    assert "ประกาศแล้วเมื่อ" in winner
    assert 'class="banner since-note"' in winner  # 3701's late votes moved its score

    # A year later: campaign 2570, the other way round.
    cast(store, a, utc(2027, 11, 10, 3), [1, 1, 1, 1], utc(2027, 11, 10, 4))
    cast(store, b, utc(2027, 11, 10, 3), [5, 5, 5, 5], utc(2027, 11, 10, 4))
    board = officer.get("/leaderboard?lang=en").text
    assert 'data-campaign="2570"' in board
    assert codes(section(board, "small"), "code") == ["3701", "3706"]
    assert "data-announced" not in section(board, "small")
    log_in(officer, name="officer")
    awards = officer.get("/console/awards?lang=en").text
    assert "its awards can be announced once its last day is over" in awards
    assert 'name="seen"' not in section(awards, "small")  # no form while it runs
    early = officer.post(
        "/console/awards/small",
        data={"csrf": re.search(r'name="csrf" value="([^"]+)"', awards).group(1), "seen": "x",
              "confirm": "yes", "campaign": "2570"},
        follow_redirects=False,
    )  # fmt: skip
    assert early.status_code == 422
    assert "The campaign has not ended" in early.text
    assert announcements(store, 2570) == {}

    district = officer.get("/districts/3706?lang=en").text
    history = district[district.index("Campaign by campaign") :]
    rows = re.findall(r'<tr data-campaign="(\d+)"[^>]*>(.*?)</tr>', history, re.S)
    assert [year for year, _ in rows] == ["2570", "2569"]
    assert "District rating 2569" in rows[1][1]
    assert ">4<" in rows[0][1]  # four votes in each campaign
    assert ">4<" in rows[1][1]
    assert 'id="district-votes">4<' in officer.get("/districts/3706?campaign=2569").text
    assert 'id="district-votes">8<' in officer.get("/districts/3706?campaign=all").text

    every = officer.get("/?campaign=all&lang=en").text
    assert 'id="total-votes">36<' in every
    assert 'id="total-votes">28<' in officer.get("/?campaign=2569").text


def test_an_unknown_campaign_is_a_404_page(site):
    _running, officer, _a, _b = site
    answer = officer.get("/leaderboard?campaign=1999&lang=en")
    assert answer.status_code == 404
    assert "There is no campaign 1999." in answer.text
    assert "Buddhist-era" not in answer.text  # 1999 + 543 is no campaign either
    christian = officer.get("/?campaign=2026&lang=th")  # 2569, typed as the calendar says
    assert christian.status_code == 404
    assert "ค.ศ. 2026 คือ พ.ศ. 2569" in christian.text
    assert officer.get("/districts/3706?campaign=2571").status_code == 404


def publish(officer, campaign):
    """Publish campaign (a year, or "all") from the console; return the publication's name."""
    page = officer.get("/console/publish").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    made = officer.post(
        "/console/publish", data={"csrf": csrf, "campaign": campaign}, follow_redirects=False
    )
    assert made.status_code == 303, made.text
    return made.headers["location"].removeprefix("/console/publish?done=")


def offered(html):
    """The publication a page offers (its name), or None."""
    found = re.search(r'id="publication"[^>]*>.*?href="/publications/([0-9TZ]+)\.zip"', html, re.S)
    return found.group(1) if found else None


def test_each_campaign_offers_and_checks_against_its_own_publication(site):
    running, officer, a, b = site
    store = running.store
    cast(store, a, utc(2026, 11, 10, 3), [4] * 4, utc(2026, 11, 10, 4))
    cast(store, b, utc(2026, 11, 10, 3), [3] * 2, utc(2026, 11, 10, 4))
    cast(store, a, utc(2027, 11, 10, 3), [5] * 3, utc(2027, 11, 10, 4))
    store.clock.set_wall(utc(2027, 12, 5, 3))  # both campaigns are over
    log_in(officer, name="officer")

    # 2569 published, 2570 not: 2570's pages never offer 2569's publication.
    older = publish(officer, "2569")
    assert offered(officer.get("/leaderboard?campaign=2569").text) == older
    assert offered(officer.get("/leaderboard?campaign=2570").text) is None
    awards = officer.get("/console/awards?campaign=2570&lang=en").text
    assert 'id="publication"' not in awards
    assert "Campaign 2570 is not published yet." in awards
    thai = officer.get("/console/awards?campaign=2570&lang=th").text
    assert "ยังไม่มีการเผยแพร่ข้อมูลของแคมเปญ 2570" in thai

    store.clock.set_wall(utc(2027, 12, 5, 4))
    newer = publish(officer, "2570")
    board = officer.get("/leaderboard?campaign=2569&lang=en").text
    assert offered(board) == older  # not the newest publication, which is 2570's
    assert "(6 votes)" in board[board.index('id="publication"') :]
    board = officer.get("/leaderboard?campaign=2570&lang=en").text
    assert offered(board) == newer
    assert "(3 votes)" in board[board.index('id="publication"') :]
    assert offered(officer.get("/leaderboard?lang=en").text) == newer  # the current campaign
    awards = officer.get("/console/awards?campaign=2569&lang=en").text
    assert f'data-publication="{older}"' in awards
    assert re.search(r'id="publication"[^>]*>Newest publication: [^<]*, 6 votes\.', awards)

    # Every vote: only a publication of every vote is its.
    assert offered(officer.get("/leaderboard?campaign=all").text) is None
    assert (
        "There is no publication of all votes yet"
        in officer.get("/console/awards?campaign=all&lang=en").text
    )
    store.clock.set_wall(utc(2027, 12, 5, 5))
    every = publish(officer, "all")
    assert offered(officer.get("/leaderboard?campaign=all").text) == every
    assert offered(officer.get("/leaderboard?campaign=2569").text) == older

    assert [(p.name, p.campaign) for p in publications(store.target.home)] == [
        (every, None),
        (newer, 2570),
        (older, 2569),
    ]
    listed = officer.get("/console/publish?lang=en").text
    rows = dict(
        re.findall(
            r'data-publication="([0-9TZ]+)".*?<td class="campaign" data-campaign="[^"]+">([^<]*)<',
            listed,
            re.S,
        )
    )
    assert rows == {
        every: "All votes",
        newer: "2570 · District rating 2570",
        older: "2569 · District rating 2569",
    }
    thai = officer.get("/console/publish?lang=th").text
    assert "2569 · ประเมินอำเภอ ๒๕๖๙" in thai
    assert "<th>แคมเปญ</th>" in thai
