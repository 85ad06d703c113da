"""Announcing the awards and publishing from the console, over real HTTP on a populated collector.

An officer announces a size group; more votes then change the live winner, and the public pages
still show the announced one, marked, with the votes received since said apart. An announcement
is made once, only when confirmed and only as the officer saw it; every step names the officer
in the audit. A publication made from the console downloads as a zip that recounts and agrees.
"""

import io
import json
import re
import zipfile
from html import unescape

import httpx
import pytest

from collector import results
from collector.i18n import Translator
from collector.ranking import RankingMethod
from collector.recount import recount
from collector.store.announcements import announcements
from collector.store.audit import AuditFilter
from tests.collector_server import serve_collector
from tests.console import csrf_of, log_in, make_operator
from tests.e2e.populate import DISTRICTS, WINNERS
from tests.fakes import FakeClock
from tests.kiosks import enroll
from wire.vote import Ballot

LATE_FIVES = 100  # fives for 3701 after the announcement: enough to overtake 3706


def section(html, group):
    """The part of a page about one size group."""
    start = html.index(f'id="group-{group}"')
    end = html.find("<section", start + 1)
    return html[start : end if end > 0 else len(html)]


def codes(html, attribute):
    """The district codes of the rows marked data-<attribute>, in page order."""
    return re.findall(rf'<tr[^>]*data-{attribute}="([^"]*)"', html)


def seen(html, group):
    """The fingerprint the announce form of a group carries."""
    match = re.search(r'name="seen" value="([^"]+)"', section(html, group))
    assert match, f"no announce form for {group}"
    return match.group(1)


def text(html):
    """A page's text without its tags, spaces folded."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def announce(client, group, fingerprint, confirm=True):
    page = client.get("/console/awards")
    data = {"csrf": csrf_of(page.text), "seen": fingerprint}
    if confirm:
        data["confirm"] = "yes"
    return client.post(f"/console/awards/{group}", data=data, follow_redirects=False)


def send_late_votes(running, make_kiosk, district, ratings, name):
    """Cast votes on a new kiosk for district and send them over the kiosk API."""
    kiosk = make_kiosk(name, district)
    enroll(running.store, kiosk)
    kiosk.ledger.cast_many([Ballot(district, r, None, None, (), "", "th") for r in ratings])
    answer = httpx.post(
        f"{running.url}/api/v1/batches",
        content=kiosk.batch(),
        headers={"content-type": "application/json"},
        timeout=60,
    )
    answer.raise_for_status()


def test_an_announced_winner_stays_on_the_public_pages_when_later_votes_change_the_lead(
    site, make_kiosk
):
    running, officer = site
    before = officer.get("/console/awards?lang=en").text
    assert codes(section(before, "small"), "live-code") == ["3706", "3701"]
    done = announce(officer, "small", seen(before, "small"))
    assert done.status_code == 303
    assert done.headers["location"] == "/console/awards?done=small#group-small"

    held = announcements(running.store)["small"]
    assert (held.operator, held.winner["code"], held.votes) == ("officer", "3706", 243)
    assert [a["code"] for a in held.awards] == ["3706", "3701"]
    (row,) = running.store.audit_rows(10, AuditFilter(kind="announced"))
    assert (row["operator"], row["reason"], row["source"]) == ("officer", "small", "console")
    assert "winner 3706" in row["detail"]

    after = officer.get("/console/awards?lang=en&done=small").text
    small = section(after, "small")
    assert 'name="seen"' not in small  # no form once announced
    assert 'data-operator="officer"' in small
    said = text(small)
    assert "Announced by officer. Final: it can be neither changed nor made again." in said
    assert "rest on the 243 votes counted then" in said
    assert said.count("243") == 1  # each fact once: when, who, from how many votes
    assert 'name="seen"' in section(after, "medium")

    send_late_votes(running, make_kiosk, "3701", [5] * LATE_FIVES, "late")
    when = Translator("en").when(held.announced_at)
    with httpx.Client(base_url=running.url, timeout=60) as public:
        board = public.get("/leaderboard?lang=en").text
        small = section(board, "small")
        assert codes(small, "code") == ["3701", "3706"]  # the live ranking has turned
        assert 'class="winner" data-code' not in small  # and its leader is not called winner
        assert 'data-announced-winner="3706"' in small
        assert codes(small, "announced-code") == ["3706", "3701"]
        assert f"Announced on {when}" in text(small)
        assert f'data-since="{LATE_FIVES}"' in small
        assert (
            f"Votes for this group's districts received since the announcement: {LATE_FIVES};"
            " the live ranking below is not the award." in text(small)
        )
        medium = section(board, "medium")  # not announced: the live leader only leads
        assert re.search(rf'class="leader" data-code="{WINNERS["medium"]}"', medium)
        assert "Leading now" in text(medium)
        assert "Winner" not in text(medium)
        assert "data-announced" not in medium

        overview = public.get("/?lang=en").text
        row_small = overview[overview.index('<tr data-group="small"') :]
        row_small = row_small[: row_small.index("</tr>")]
        assert 'data-announced-winner="3706"' in row_small
        assert f'data-since="{LATE_FIVES}"' in row_small
        assert "officer" not in overview  # who announced is operator data, not public
        thai = public.get("/leaderboard?lang=th").text
        assert "ประกาศผลแล้ว" in section(thai, "small")
        assert "อันดับปัจจุบันด้านล่างไม่ใช่ผลรางวัล" in section(thai, "small")


def test_each_announced_group_counts_only_its_own_districts_votes_since(site, make_kiosk):
    running, officer = site
    for group in ("small", "medium", "large"):
        page = officer.get("/console/awards").text
        assert announce(officer, group, seen(page, group)).status_code == 303
    send_late_votes(running, make_kiosk, "3701", [5] * LATE_FIVES, "late-small")
    send_late_votes(running, make_kiosk, "3702", [5, 5], "late-below")  # still below the minimum
    send_late_votes(running, make_kiosk, "4401", [5] * 10, "late-medium")
    # The large group got no vote, but its live scores moved with the national mean.
    since = {"small": LATE_FIVES + 2, "medium": 10, "large": 0}
    with httpx.Client(base_url=running.url, timeout=60) as public:
        board = public.get("/leaderboard?lang=en").text
        overview = public.get("/?lang=en").text
    awards = officer.get("/console/awards?lang=en").text
    for group, n in since.items():
        assert f'data-since="{n}"' in section(board, group), group
        assert f'data-since="{n}"' in section(awards, group), group
        row = overview[overview.index(f'<tr data-group="{group}"') :]
        assert f'data-since="{n}"' in row[: row.index("</tr>")], group
    assert (
        f"Votes for this group's districts received since the announcement: {LATE_FIVES + 2};"
        in text(section(board, "small"))
    )
    thai = officer.get("/leaderboard?lang=th").text
    assert "ผลการประเมินของอำเภอในกลุ่มนี้ที่ได้รับหลังประกาศผล: 10 รายการ" in text(section(thai, "medium"))


def test_an_announcement_is_made_once(site):
    running, officer = site
    page = officer.get("/console/awards").text
    assert announce(officer, "large", seen(page, "large")).status_code == 303
    first = announcements(running.store)["large"]
    again = announce(officer, "large", seen(page, "large"))
    assert again.status_code == 409
    assert "ประกาศซ้ำไม่ได้" in again.text
    assert announcements(running.store)["large"] == first
    refused = running.store.audit_rows(10, AuditFilter(kind="refused", operator="officer"))
    assert [r["reason"] for r in refused] == ["already_announced"]
    assert len(running.store.audit_rows(10, AuditFilter(kind="announced"))) == 1


def test_without_the_confirmation_nothing_is_announced(site):
    running, officer = site
    page = officer.get("/console/awards?lang=en").text
    answer = announce(officer, "medium", seen(page, "medium"), confirm=False)
    assert answer.status_code == 422
    medium = section(answer.text, "medium")
    assert 'class="error" role="alert"' in medium
    assert "Tick the box to confirm" in text(medium)
    assert 'name="seen"' in medium  # the form is offered again
    assert announcements(running.store) == {}
    assert running.store.audit_rows(10, AuditFilter(kind="announced")) == []


def test_the_announce_forms_say_until_when_the_officer_may_announce(site):
    _, officer = site
    page = officer.get("/console/awards?lang=en").text
    note = re.search(r'id="confirm-state"[^>]*>(.*?)</p>', page, re.S)
    assert note
    assert re.search(r"sensitive actions are allowed until \d\d:\d\d \(Thai time\)", note.group(1))
    assert page.index('id="confirm-state"') < page.index('action="/console/awards/')
    for group in ("small", "medium", "large"):
        assert announce(officer, group, seen(page, group)).status_code == 303
    done = officer.get("/console/awards").text  # nothing left to announce: by the method form
    assert done.count('id="confirm-state"') == 1
    assert done.index('id="method"') < done.index('id="confirm-state"')


def test_places_that_moved_after_the_page_was_opened_are_not_announced(site, make_kiosk):
    running, officer = site
    page = officer.get("/console/awards?lang=en").text
    stale = seen(page, "medium")
    send_late_votes(running, make_kiosk, "4401", [5] * 10, "late-medium")
    answer = announce(officer, "medium", stale)
    assert answer.status_code == 409
    assert "The places changed after this page was opened" in text(section(answer.text, "medium"))
    assert announcements(running.store) == {}
    fresh = seen(answer.text, "medium")
    assert fresh != stale
    assert announce(officer, "medium", fresh).status_code == 303
    assert announcements(running.store)["medium"].votes == 253


def test_an_unknown_group_is_a_not_found_page(site):
    running, officer = site
    page = officer.get("/console/awards").text
    answer = officer.post(
        "/console/awards/huge", data={"csrf": csrf_of(page), "seen": "x", "confirm": "yes"}
    )
    assert answer.status_code == 404
    assert announcements(running.store) == {}


def test_a_viewer_can_neither_announce_nor_publish(site):
    running, officer = site
    page = officer.get("/console/awards").text
    make_operator(running.store, "viewer", "viewer")
    with httpx.Client(base_url=running.url, timeout=60) as viewer:
        csrf = log_in(viewer, name="viewer")
        assert viewer.get("/console/awards").status_code == 403
        assert viewer.get("/console/publish").status_code == 403
        posted = viewer.post(
            "/console/awards/small",
            data={"csrf": csrf, "seen": seen(page, "small"), "confirm": "yes"},
        )
        assert posted.status_code == 403
        assert viewer.post("/console/publish", data={"csrf": csrf}).status_code == 403
    assert announcements(running.store) == {}
    assert not (running.store.target.home / "publications").exists()


def test_the_console_pages_load_nothing_from_elsewhere(site):
    _, officer = site
    for path in ("/console/awards", "/console/publish", "/console"):
        html = officer.get(path).text
        assert "<script" not in html, path
        assert " style=" not in html, path
    console = officer.get("/console?lang=en").text
    assert 'href="/console/awards"' in console
    assert 'href="/console/publish"' in console


def test_a_publication_made_in_the_console_downloads_and_recounts(site, tmp_path):
    running, officer = site
    page = officer.get("/console/publish?lang=en")
    assert page.status_code == 200
    assert "Nothing has been published from the console yet." in text(page.text)
    made = officer.post(
        "/console/publish", data={"csrf": csrf_of(page.text)}, follow_redirects=False
    )
    assert made.status_code == 303
    name = made.headers["location"].removeprefix("/console/publish?done=")
    assert re.fullmatch(r"\d{8}T\d{6}Z", name)
    (row,) = running.store.audit_rows(10, AuditFilter(kind="published"))
    assert (row["operator"], row["reason"], row["source"]) == ("officer", name, "console")
    assert "243 counted votes" in row["detail"]
    listed = officer.get(f"/console/publish?lang=en&done={name}").text
    assert f'data-publication="{name}"' in listed
    assert f'href="/publications/{name}.zip"' in listed
    assert re.search(
        rf'data-publication="{name}"[^>]*>\s*<td[^>]*>.*?</td>\s*'
        r'<td class="campaign" data-campaign="all">All votes<br>'
        r'<span class="muted">method C = 50, minimum 30 votes</span></td>\s*<td>officer</td>',
        listed,
        re.S,
    )

    with httpx.Client(base_url=running.url, timeout=60) as public:
        download = public.get(f"/publications/{name}.zip")
        assert download.status_code == 200
        assert download.headers["content-type"] == "application/zip"
        assert f"sangsuk-publication-{name}.zip" in download.headers["content-disposition"]
        board = public.get("/leaderboard?lang=en").text
        assert f'href="/publications/{name}.zip"' in board  # offered to the public
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert all(n.startswith(f"sangsuk-publication-{name}/") for n in archive.namelist())
        archive.extractall(unpacked)
    result = recount(
        [unpacked / f"sangsuk-publication-{name}"], collector_key=running.collector_key_hex
    )
    assert result.ok, result.problems[:5]
    assert result.agrees is True
    assert result.counted == 243


def publish_and_unpack(running, officer, tmp_path):
    """Publish from the console and unpack the public zip; return its folder."""
    page = officer.get("/console/publish")
    made = officer.post(
        "/console/publish", data={"csrf": csrf_of(page.text)}, follow_redirects=False
    )
    assert made.status_code == 303, text(made.text)
    name = made.headers["location"].removeprefix("/console/publish?done=")
    with httpx.Client(base_url=running.url, timeout=60) as public:
        download = public.get(f"/publications/{name}.zip")
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        archive.extractall(tmp_path / "unpacked")
    return tmp_path / "unpacked" / f"sangsuk-publication-{name}"


def test_a_publication_after_the_announcement_recounts_to_the_announced_winner(
    site, make_kiosk, tmp_path
):
    running, officer = site
    assert announce(
        officer, "small", seen(officer.get("/console/awards").text, "small")
    ).is_redirect
    send_late_votes(running, make_kiosk, "3701", [5] * LATE_FIVES, "late")
    folder = publish_and_unpack(running, officer, tmp_path)
    manifest = json.loads((folder / "publication.json").read_bytes())
    assert [a["code"] for a in manifest["awards"]["small"]] == ["3706", "3701"]  # as announced
    assert manifest["counted"]["votes"] == 243 + LATE_FIVES  # the late votes are published
    assert set(manifest["announced"]) == {"small"}
    result = recount([folder], collector_key=running.collector_key_hex)
    assert result.ok, result.problems[:5]
    assert result.agrees is True
    assert result.counted == 243 + LATE_FIVES
    assert result.ranking is not None
    assert [r.code for r in result.ranking.groups["small"]] == ["3706", "3701"]


def test_after_the_method_changed_a_campaign_keeps_the_method_it_was_announced_with(site, tmp_path):
    running, officer = site
    announced = results.saved_method(running.store)
    assert announce(
        officer, "small", seen(officer.get("/console/awards").text, "small")
    ).is_redirect
    results.save_method(running.store, RankingMethod(10, 30))  # for the campaigns after
    page = officer.get("/console/awards")
    said = text(page.text)
    assert (
        f"จัดอันดับตามวิธีที่ใช้ประกาศผลรางวัลของแคมเปญนี้ (C = {announced.prior_weight}"
        f" ผลขั้นต่ำ {announced.min_votes} รายการ)" in said
    )
    assert announce(officer, "medium", seen(page.text, "medium")).is_redirect
    held = announcements(running.store)
    assert held["medium"].method == held["small"].method == announced.to_json()
    folder = publish_and_unpack(running, officer, tmp_path)
    manifest = json.loads((folder / "publication.json").read_bytes())
    assert manifest["ranking"] == announced.to_json()
    listed = text(officer.get("/console/publish").text)
    assert f"วิธีจัดอันดับ C = {announced.prior_weight} ผลขั้นต่ำ {announced.min_votes} รายการ" in listed
    result = recount([folder], collector_key=running.collector_key_hex)
    assert result.ok, result.problems[:5]
    assert result.agrees is True


def test_publishing_twice_in_one_second_keeps_one_publication(tmp_path):
    with serve_collector(tmp_path / "collector.sqlite3", DISTRICTS) as running:
        running.store.clock = FakeClock()  # time stands still: both presses name one second
        make_operator(running.store)
        with httpx.Client(base_url=running.url, timeout=60) as officer:
            csrf = log_in(officer)
            first = officer.post("/console/publish", data={"csrf": csrf}, follow_redirects=False)
            assert first.status_code == 303
            second = officer.post("/console/publish?lang=en", data={"csrf": csrf})
            assert second.status_code == 409
            assert "Nothing was published" in text(second.text)
        folder = running.store.target.home / "publications"
        assert sorted(p.name for p in folder.iterdir()) == [
            "20261124T030000Z",
            "20261124T030000Z.zip",
        ]
        assert len(running.store.audit_rows(10, AuditFilter(kind="published"))) == 1


@pytest.mark.parametrize(
    "path",
    [
        "/publications/evil.zip",  # a zip in the folder, but not a publication's name
        "/publications/20261124T030000Z.zip",  # a publication's name, but none made
        "/publications/20200101T000000Z.zip",  # a folder without its manifest: unfinished
        "/publications/..%2Fcollector.sqlite3%00.zip",
        "/publications/%2E%2E%2Fsecret.zip",
        "/publications/20261124T030000Z%2F..%2F..%2Fsecret.zip",
        "/publications/20261124t030000z.zip",
        "/publications/20261124T030000Z.zip.zip",
    ],
)
def test_only_a_finished_publication_is_served(tmp_path, path):
    with serve_collector(tmp_path / "collector.sqlite3") as running:
        home = running.store.target.home
        (home / "publications" / "20200101T000000Z" / "batches").mkdir(parents=True)
        (home / "publications" / "evil.zip").write_bytes(b"PK not ours")
        (home / "secret.zip").write_bytes(b"PK secret")
        with httpx.Client(base_url=running.url, timeout=60) as public:
            answer = public.get(path)
        assert answer.status_code == 404, path
        assert b"PK" not in answer.content
        assert not (home / "publications" / "20200101T000000Z.zip").exists()


def test_the_downloads_close_with_the_results(site):
    running, officer = site
    page = officer.get("/console/publish").text
    made = officer.post("/console/publish", data={"csrf": csrf_of(page)}, follow_redirects=False)
    name = made.headers["location"].removeprefix("/console/publish?done=")
    running.store.set_setting("results_public", "no")
    with httpx.Client(base_url=running.url, timeout=60) as public:
        closed = public.get(f"/publications/{name}.zip", follow_redirects=False)
        assert closed.status_code == 303
        assert closed.headers["location"].startswith("/login?next=")
    assert officer.get(f"/publications/{name}.zip").status_code == 200  # logged in: still open
    assert "ไฟล์ zip จึงดาวน์โหลดได้เฉพาะผู้ที่เข้าสู่ระบบ" in officer.get("/console/publish").text


def test_the_store_freezes_an_announcement_on_either_database(store):
    from collector.store.announcements import AlreadyAnnouncedError, Decided, announce
    from collector.store.records import StoreError

    awards = [{"code": "3706", "score": 4.6764, "votes": 180}]
    decided = Decided({"prior_weight": 50, "min_votes": 30}, awards, 0)  # no vote is held

    def refuse(conn):
        raise LookupError("the officer saw other places")

    with pytest.raises(LookupError):
        announce(store, "small", "somchai", refuse)
    assert announcements(store) == {}
    made = announce(store, "small", "somchai", lambda conn: decided)
    assert (made.size_group, made.operator, made.awards, made.votes) == (
        "small",
        "somchai",
        awards,
        0,
    )
    with pytest.raises(AlreadyAnnouncedError) as again:
        announce(store, "small", "malee", lambda conn: Decided(decided.method, [], 200))
    assert again.value.held == made
    assert announcements(store) == {"small": made}
    with pytest.raises(StoreError, match="no size group"):
        announce(store, "huge", "somchai", lambda conn: decided)
    rows = store.audit_rows(10)
    assert [(r["kind"], r["reason"], r["operator"]) for r in rows] == [
        ("refused", "already_announced", "malee"),
        ("announced", "small", "somchai"),
        ("districts", "loaded", None),  # the fixture's size groups, from the command line
    ]


def test_moving_an_announced_winner_to_another_group_leaves_the_announcement(site):
    running, officer = site
    page = officer.get("/console/awards").text
    assert announce(officer, "small", seen(page, "small")).status_code == 303
    first = announcements(running.store)["small"]
    groups_page = officer.get("/console/districts?lang=en").text
    checked = officer.post(
        "/console/districts/check?lang=en",
        data={"csrf": csrf_of(groups_page)},
        files={"file": ("groups.csv", b"code,size_group\n3706,medium\n", "text/csv")},
    )
    assert "Moving to another size group (1)" in checked.text
    assert "Awards already announced stay as they were announced." in checked.text
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', checked.text))
    assert officer.post("/console/districts/load", data=form).status_code == 303
    assert announcements(running.store)["small"] == first  # the award stands as announced
    board = officer.get("/leaderboard?lang=en").text
    assert 'data-announced-winner="3706"' in section(board, "small")
    assert "3706" in codes(section(board, "medium"), "code")  # its votes rank in medium now
