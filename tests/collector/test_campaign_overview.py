"""The overview of one campaign counts that campaign's kiosks and days, over real HTTP too.

A new-user trial found every campaign's overview showing the kiosks of every vote held, and
the bars of a campaign's votes per day adding up to less than its count: the votes of a kiosk
whose clock was a year ahead count in the campaign (placed by their receipt, placement.py) but
were charted by that clock, a year away. Now each figure of a campaign is its votes' (those
placed in its period), and what is of the whole collector (the quarantine, the refusals) is
called so on the page. Migration 0007 counts the new tallies for the votes held.
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime
from html import unescape

import httpx
import pytest
import sqlalchemy as sa
from alembic import command

from collector import results
from collector.store import CollectorStore, campaigns
from collector.store.connection import _alembic_config
from tests.collector.campaign_data import C2569, C2570, utc
from tests.collector.test_tallies import counted_the_slow_way, kept_tallies
from tests.collector_db import sql
from tests.collector_server import serve_collector
from tests.fakes import FakeClock
from tests.kiosks import Kiosk, enroll, ingest
from wire.vote import Ballot

DISTRICTS = [("3706", "small"), ("4408", "medium"), ("4712", "large")]
NOW = utc(2027, 11, 10)  # during campaign 2570


def send(store: CollectorStore, kiosk: Kiosk, when: datetime, n: int, at: datetime) -> None:
    """Cast n votes at when by the kiosk's clock; its pending votes arrive on a stick at at."""
    kiosk.ledger.clock.set_wall(when)  # type: ignore[attr-defined]
    kiosk.ledger.cast_many([Ballot(kiosk.district, 4) for _ in range(n)])
    store.clock.set_wall(at)  # type: ignore[attr-defined]
    assert ingest(store, kiosk.batch(), source="usb").new == n


def two_campaigns(store: CollectorStore, make_kiosk) -> dict[str, Kiosk]:
    """Votes of campaigns 2569 and 2570 and between them, from four kiosks.

    a votes in both campaigns; b, whose clock is a year ahead (in 2570's days), in 2569 by its
    stick's arrival; c between the campaigns and in 2570; d, enrolled after 2569 ended, in
    2570. 2570 is defined after some of its votes arrived, and is running at NOW.
    """
    store.clock = FakeClock(utc(2026, 10, 20, 3))
    campaigns.add(store, C2569)
    a, b, c = make_kiosk("a", "3706"), make_kiosk("b", "4408"), make_kiosk("c", "4712")
    for k in (a, b, c):
        enroll(store, k)
    send(store, a, utc(2026, 11, 10, 3), 4, utc(2026, 11, 10, 4))
    send(store, b, utc(2027, 11, 12, 3), 3, utc(2026, 11, 20, 8))  # the clock a year ahead
    send(store, c, utc(2026, 12, 10, 3), 2, utc(2026, 12, 10, 4))  # in no campaign
    store.clock.set_wall(utc(2027, 1, 5, 3))  # type: ignore[attr-defined]
    d = make_kiosk("d", "3706")
    enroll(store, d)
    send(store, a, utc(2027, 11, 5, 3), 5, utc(2027, 11, 5, 4))
    store.clock.set_wall(utc(2027, 11, 6))  # type: ignore[attr-defined]
    campaigns.add(store, C2570)  # its tallies filled from the votes held
    send(store, c, utc(2027, 11, 8, 3), 1, utc(2027, 11, 8, 4))
    send(store, d, utc(2027, 11, 9, 3), 2, utc(2027, 11, 9, 4))
    store.clock.set_wall(NOW)  # type: ignore[attr-defined]
    return {"a": a, "b": b, "c": c, "d": d}


def figures(store: CollectorStore, campaign: campaigns.Campaign | None) -> results.Overview:
    with store.reading() as conn:
        counted = results.tallies(conn, campaign.year if campaign else None)
        return results.overview(conn, counted, campaign)


def test_a_campaigns_figures_are_its_votes(store, make_kiosk):
    two_campaigns(store, make_kiosk)
    assert kept_tallies(store) == counted_the_slow_way(store)
    of_2569, of_2570, every = figures(store, C2569), figures(store, C2570), figures(store, None)
    assert (of_2569.total_votes, of_2570.total_votes, every.total_votes) == (7, 8, 17)
    # The kiosks with votes placed in the campaign (those its publication names), of those
    # enrolled before it ended: d came after 2569.
    assert (of_2569.kiosks_reporting, of_2569.kiosks_enrolled) == (2, 3)
    assert (of_2570.kiosks_reporting, of_2570.kiosks_enrolled) == (3, 4)
    assert (every.kiosks_reporting, every.kiosks_enrolled) == (4, 4)
    # b's votes are on the day they arrived, in 2569's days, not on its clock's day in 2570's.
    assert of_2569.votes_by_day[0] == ("2026-11-10", 4)
    assert of_2569.votes_by_day[-1] == ("2026-11-20", 3)
    assert len(of_2569.votes_by_day) == 11  # and the days between, with none
    for shown in (of_2569, of_2570, every):
        assert sum(n for _, n in shown.votes_by_day) == shown.total_votes
    assert of_2569.last_received == "2026-11-20T08:00:00.000Z"  # b's stick, not c's later one
    assert of_2570.last_received == every.last_received == "2027-11-09T04:00:00.000Z"
    assert of_2569.by_source == {"http": 0, "usb": 7}


@pytest.fixture
def site(tmp_path, make_kiosk):
    with serve_collector(tmp_path / "collector.sqlite3", DISTRICTS) as running:
        two_campaigns(running.store, make_kiosk)
        with httpx.Client(base_url=running.url, timeout=60) as client:
            yield client


def by_id(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}">([^<]*)<', html)
    assert match, f"no element #{element_id}"
    return unescape(match.group(1)).strip()


def bars(html: str) -> int:
    """The votes the chart's bars add up to (each bar's title says its count)."""
    chart = html[html.index("<svg") : html.index("</svg>")]
    return sum(
        int(n.replace(",", "")) for n in re.findall(r"<title>[^<]*: ([\d,]+)</title>", chart)
    )


def day_labels(html: str) -> list[float]:
    """Where the chart names a day under its bars (the x of each name)."""
    chart = html[html.index("<svg") : html.index("</svg>")]
    found = re.findall(r'<text x="([\d.]+)" y="\d+" text-anchor="middle" font-size="12"', chart)
    return [float(x) for x in found]


def test_the_overview_page_of_a_campaign_agrees_with_itself(site):
    html = site.get("/?campaign=2569").text
    assert by_id(html, "total-votes") == "7"
    assert bars(html) == 7
    assert by_id(html, "kiosks-reporting") == "2 / 3"
    assert "เครื่องที่ส่งผลของแคมเปญนี้ (จากที่ลงทะเบียนก่อนแคมเปญสิ้นสุด)" in html
    assert "ผลการประเมินที่ถูกกักไว้ทั้งระบบ" in html
    assert "ได้รับผลการประเมินของแคมเปญนี้ล่าสุดเมื่อ 20 พ.ย. 2569 15:00" in html
    assert "ที่ระบบกลางกำหนดให้" in html  # the chart says by which time its days are
    english = site.get("/?campaign=2569&lang=en").text
    assert "kiosks with votes in this campaign (of those enrolled by its end)" in english
    assert "votes quarantined in the whole collector" in english
    assert "This campaign&#39;s votes last received: 20 Nov 2026 15:00." in english
    assert "The bars add up to the votes counted." in english
    current = site.get("/?lang=en").text  # 2570, running
    assert (by_id(current, "total-votes"), bars(current)) == ("8", 8)
    assert by_id(current, "kiosks-reporting") == "3 / 4"
    every = site.get("/?campaign=all&lang=en").text
    assert (by_id(every, "total-votes"), bars(every)) == ("17", 17)
    assert by_id(every, "kiosks-reporting") == "4 / 4"
    assert "Last batch received: 9 Nov 2027 11:00." in every
    # A year of days is named every few weeks, not every week: the names did not fit, and ran
    # into one another. A fortnight is still named day by day.
    spread = day_labels(every)
    assert 10 <= len(spread) <= 16
    assert min(b - a for a, b in itertools.pairwise(spread)) > 60  # px of a 1,100 px chart
    assert len(day_labels(html)) == 11  # 2569's votes: 10 to 20 November 2026


def test_migration_0007_counts_the_kiosks_and_days_of_the_votes_held(store, make_kiosk):
    two_campaigns(store, make_kiosk)
    kept = kept_tallies(store)
    config = _alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0006")  # as before: days by the kiosk's clock
    assert "tally_campaign_kiosks" not in sa.inspect(store.engine).get_table_names()
    assert dict(sql(store, "SELECT day, votes FROM tally_days"))["2027-11-12"] == 3  # b's clock
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    assert kept_tallies(store) == kept == counted_the_slow_way(store)
