"""The ranking method saved from the console's awards page, and what the page says at each stage.

Over real HTTP on a populated collector: an officer reads the saved method in words, changes its
two numbers (the audit names them, on both databases), is refused bad numbers with the field
named and nothing stored, and sees that an announced campaign keeps the method its awards were
announced with (its page, its remaining groups and its publication). The page then says what is
true before, during and after the announcements, published or not, each fact once.
"""

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from collector import results
from collector.ranking import RankingMethod
from collector.store.audit import AuditFilter
from tests.collector.test_console_awards import announce, section, seen, text
from tests.collector_server import serve_collector
from tests.console import csrf_of, log_in, make_operator
from tests.e2e.populate import DISTRICTS, populate
from tests.fakes import FakeClock


def save(client, weight, minimum, lang="en"):
    """Send the method form of the awards page as the officer typed it."""
    page = client.get(f"/console/awards?lang={lang}")
    data = {"csrf": csrf_of(page.text), "prior_weight": weight, "min_votes": minimum}
    return client.post(f"/console/awards/method?lang={lang}", data=data, follow_redirects=False)


def method_part(html):
    """The method section of the awards page."""
    return html[html.index('id="method"') :]


def settings_rows(store):
    return store.audit_rows(20, AuditFilter(kind="settings"))


def test_an_officer_saves_the_method_in_the_console_and_the_audit_names_them(
    collector_db, tmp_path
):
    with serve_collector(collector_db, DISTRICTS) as running:
        populate(running.url, running.store, tmp_path / "kiosks")
        make_operator(running.store, "officer", "officer")
        with httpx.Client(base_url=running.url, timeout=60) as officer:
            log_in(officer, name="officer")
            before = text(method_part(officer.get("/console/awards?lang=en").text))
            assert "The prior weight C = 50: the national mean counts as 50 extra votes." in before
            assert "A district needs at least 30 votes to be ranked." in before
            saved = save(officer, "80", " 40 ")
            assert saved.status_code == 303
            assert saved.headers["location"] == "/console/awards?method=saved#method"
            assert results.saved_method(running.store) == RankingMethod(80, 40)
            rows = settings_rows(running.store)
            assert sorted((r["reason"], r["detail"], r["operator"], r["source"]) for r in rows) == [
                ("ranking.min_votes", "ranking.min_votes set to 40", "officer", "console"),
                ("ranking.prior_weight", "ranking.prior_weight set to 80", "officer", "console"),
            ]
            after = officer.get("/console/awards?lang=en&method=saved").text
            said = text(method_part(after))
            assert "The ranking method is saved: C = 80, at least 40 votes." in said
            assert "A district needs at least 40 votes to be ranked." in said
            assert 'value="80"' in method_part(after)
            assert 'value="40"' in method_part(after)
            assert "Ranked by the saved method (C = 80, at least 40 votes)" in text(after)
            thai = officer.get("/console/awards?lang=th&method=saved").text
            assert "บันทึกวิธีจัดอันดับแล้ว: C = 80 ผลขั้นต่ำ 40 รายการ" in text(thai)
            with httpx.Client(base_url=running.url, timeout=60) as public:
                board = public.get("/leaderboard?lang=en").text
            assert "with C = 80" in text(board)
            assert "A district needs at least 40 votes to be ranked." in text(board)
            again = save(officer, "80", "40")  # the saved numbers: nothing to change
            assert again.headers["location"] == "/console/awards?method=unchanged#method"
            shown = officer.get("/console/awards?lang=en&method=unchanged").text
            assert "These numbers were the saved method already: nothing changed." in text(shown)
            assert len(settings_rows(running.store)) == 2  # no new audit row


@pytest.mark.parametrize(
    ("weight", "minimum", "bad"),
    [
        ("", "30", "prior_weight"),
        ("abc", "30", "prior_weight"),
        ("-1", "30", "prior_weight"),
        ("2.5", "30", "prior_weight"),
        ("1000001", "30", "prior_weight"),
        ("50", "0", "min_votes"),
        ("50", "1e3", "min_votes"),
        ("50", "", "min_votes"),
    ],
)
def test_bad_numbers_are_refused_with_the_field_named_and_nothing_is_stored(
    site, weight, minimum, bad
):
    running, officer = site
    refused = save(officer, weight, minimum)
    assert refused.status_code == 422
    part = method_part(refused.text)
    said = text(part)
    assert "The method was not saved: a number below is not a whole number in its range." in said
    words = {
        "prior_weight": "The prior weight must be a whole number from 0 to 1,000,000, not",
        "min_votes": "The minimum votes must be a whole number from 1 to 1,000,000, not",
    }
    assert words[bad] in said
    assert f'id="{bad}-error"' in part
    typed = {"prior_weight": weight, "min_votes": minimum}[bad]
    assert re.search(rf'id="{bad}" name="{bad}" value="{re.escape(typed)}"[^>]*aria-invalid', part)
    assert results.saved_method(running.store) == RankingMethod()
    assert settings_rows(running.store) == []
    thai = save(officer, weight, minimum, lang="th")
    assert thai.status_code == 422
    assert "ยังไม่ได้บันทึกวิธีจัดอันดับ" in text(thai.text)


def test_a_new_method_leaves_an_announced_campaign_its_own(site):
    running, officer = site
    assert announce(
        officer, "small", seen(officer.get("/console/awards").text, "small")
    ).is_redirect
    page = text(method_part(officer.get("/console/awards?lang=en").text))
    assert "All votes: Small districts, announced with C = 50, at least 30 votes." in page
    assert "An announced campaign keeps the method its awards were announced with" in page
    assert "I understand" not in page

    assert save(officer, "80", "40").status_code == 303  # no tick: it changes no announcement
    assert results.saved_method(running.store) == RankingMethod(80, 40)
    awards = officer.get("/console/awards?lang=en")
    said = text(awards.text)
    assert "Ranked by the method this campaign's awards were announced with (C = 50" in said
    small = text(section(awards.text, "small"))
    assert "the live ranking is not the award" not in small  # the same method: the same ranking
    assert announce(officer, "medium", seen(awards.text, "medium")).is_redirect  # by C = 50
    board = text(officer.get("/leaderboard?lang=en").text)
    assert "C = 50" in board
    publish = officer.get("/console/publish")
    made = officer.post(
        "/console/publish", data={"csrf": csrf_of(publish.text)}, follow_redirects=False
    )
    assert made.status_code == 303
    assert [r["operator"] for r in settings_rows(running.store)] == ["officer"] * 2


def test_a_new_method_after_every_group_is_announced_is_saved_at_once(site):
    running, officer = site
    for group in ("small", "medium", "large"):
        page = officer.get("/console/awards")
        assert announce(officer, group, seen(page.text, group)).is_redirect
    assert "I understand" not in method_part(officer.get("/console/awards?lang=en").text)
    assert save(officer, "80", "40").status_code == 303  # next year's method
    assert results.saved_method(running.store) == RankingMethod(80, 40)


def test_a_viewer_cannot_change_the_method(site):
    running, _ = site
    make_operator(running.store, "viewer", "viewer")
    with httpx.Client(base_url=running.url, timeout=60) as viewer:
        csrf = log_in(viewer, name="viewer")
        posted = viewer.post(
            "/console/awards/method", data={"csrf": csrf, "prior_weight": "1", "min_votes": "1"}
        )
        assert posted.status_code == 403
    assert results.saved_method(running.store) == RankingMethod()


def test_the_awards_page_says_what_is_true_at_each_stage(site):
    running, officer = site
    clock = running.store.clock = FakeClock(datetime.now(UTC) + timedelta(seconds=5))
    first = officer.get("/console/awards?lang=en").text
    assert 'data-stage="none"' in first
    assert "Nothing is published yet. Publish and recount the data before you announce" in text(
        first
    )
    ranking = results.ranking(running.store, RankingMethod())
    for group in ("small", "medium", "large"):
        ranked = len(ranking.groups[group])
        votes = ranking.group_votes(group)
        assert votes < ranking.total_votes  # the group's own votes, not every vote
        assert f"{ranked} districts ranked, from the {votes} votes for this group's districts" in (
            text(section(first, group))
        )

    assert announce(officer, "small", seen(first, "small")).is_redirect
    some = officer.get("/console/awards?lang=en").text
    assert 'data-stage="some"' in some
    assert "Announced: Small districts. Still to announce: Medium districts, Large districts." in (
        text(some)
    )
    small = text(section(some, "small"))
    assert small.count("Announced on") == 1
    assert small.count("votes counted then") == 1
    assert small.count("Announced by officer.") == 1
    assert "votes for this group's districts" not in small

    page = officer.get("/console/publish")
    assert officer.post(
        "/console/publish", data={"csrf": csrf_of(page.text)}, follow_redirects=False
    ).is_redirect
    published = text(officer.get("/console/awards?lang=en").text)
    assert "Recount it before you announce." in published  # two groups still to announce

    clock.advance(60)  # each publication is named after its second
    for group in ("medium", "large"):
        assert announce(
            officer, group, seen(officer.get("/console/awards").text, group)
        ).is_redirect
    done = officer.get("/console/awards?lang=en").text
    said = text(done)
    assert 'data-stage="all"' in done
    assert "Every size group's awards are announced. The places below are final" in said
    assert "before you announce" not in said
    assert "was made before the last announcement: publish again" in said
    assert 'name="seen"' not in done
    assert said.count("Announced by officer.") == 3

    clock.advance(60)
    assert officer.post(
        "/console/publish", data={"csrf": csrf_of(page.text)}, follow_redirects=False
    ).is_redirect
    again = text(officer.get("/console/awards?lang=en").text)
    assert "made after the announcements: it carries the announced awards" in again
    assert "publish again" not in again
    thai = text(officer.get("/console/awards?lang=th").text)
    assert "ประกาศผลรางวัลครบทุกกลุ่มขนาดอำเภอแล้ว" in thai
    assert "ควรนับซ้ำก่อนประกาศผล" not in thai
