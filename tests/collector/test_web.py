"""The central office's pages, served by uvicorn on 127.0.0.1, showing the numbers sent to it."""

import json
import re
from fractions import Fraction
from html import unescape

import httpx
import pytest

from collector.cli import main
from collector.store import CollectorStore
from tests.collector_db import sql
from tests.collector_server import serve_collector
from tests.console import operator_client
from tests.e2e.populate import DISTRICTS, WINNERS, populate
from tests.fakes import FakeClock
from tests.kiosks import enroll
from wire.keys import fingerprint_for_id


@pytest.fixture
def site(tmp_path):
    with serve_collector(tmp_path / "collector.sqlite3", DISTRICTS) as running:
        sent = populate(running.url, running.store, tmp_path / "kiosks")
        with httpx.Client(base_url=running.url, timeout=30) as client:
            operator_client(client, running.store, role="viewer")  # the fleet and audit too
            yield running, sent, client


def by_id(html, element_id):
    """The text of the element with this id (no nested markup in these)."""
    match = re.search(rf'id="{element_id}">([^<]*)<', html)
    assert match, f"no element #{element_id}"
    return unescape(match.group(1)).strip()


def rows(html, attribute):
    """The values of data-<attribute> on table rows, in page order."""
    return re.findall(rf'<tr[^>]*data-{attribute}="([^"]*)"', html)


def section(html, group):
    start = html.index(f'id="group-{group}"')
    end = html.find("<section", start + 1)
    return html[start : end if end > 0 else len(html)]


def test_overview_shows_votes_kiosks_and_a_chart_per_day(site):
    _collector, sent, client = site
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="th">' in html
    assert by_id(html, "total-votes") == "243"  # 6 x 40 + 3; the batch sent twice counts once
    assert by_id(html, "kiosks-reporting") == "7 / 8"  # the kiosk of 1102 never sent anything
    assert by_id(html, "districts-with-votes") == "7 / 8"
    assert by_id(html, "quarantined") == "1"
    assert by_id(html, "group-votes-small") == "83"
    assert by_id(html, "group-votes-large") == "80"
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert chart.count("<rect") == sent.days
    assert "ผลการประเมินที่ได้รับแล้ว" in html


def test_leaderboard_names_the_leaders_and_states_the_method(site):
    _collector, _, client = site
    html = client.get("/leaderboard").text
    for group, code in WINNERS.items():
        part = section(html, group)
        # Nothing is announced yet: the first leads, and no district is called the winner.
        assert re.search(rf'class="leader" data-code="{code}" data-rank="1"', part), group
        assert "อันดับ 1 ขณะนี้" in part
        assert "ชนะเลิศ" not in part
    small = section(html, "small")
    assert rows(small, "code") == ["3706", "3701"]  # 3702's three fives are below the minimum
    national = Fraction(3 * 190 + 3 * 170 + 15, 243)  # every counted rating, added up
    assert f"{float((50 * national + 190) / 90):.4f}" in small  # 3706: 40 votes adding to 190
    assert "C = 50" in html
    assert "ต้องมีผลการประเมินอย่างน้อย 30 รายการ" in html  # the minimum, stated
    assert "ค่าเฉลี่ยทั้งประเทศ" in html


def test_leaderboard_and_awards_command_agree(site, capsys):
    collector, _, client = site
    assert main(["awards", "--json", "--db", str(collector.db_path)]) == 0
    awards = json.loads(capsys.readouterr().out)
    html = client.get("/leaderboard?lang=en").text
    for group in ("small", "medium", "large"):
        part = section(html, group)
        shown = rows(part, "code")
        assert shown == [a["code"] for a in awards[group]]
        for entry in awards[group]:
            assert f"{entry['score']:.4f}" in part


def test_a_what_if_method_is_marked_and_reorders(site):
    _, _, client = site
    html = client.get("/leaderboard?min_votes=3&prior_weight=0&lang=en").text
    assert "what-if" in html
    assert rows(section(html, "small"), "code")[0] == "3702"  # five out of five, unshrunk


def test_district_page_shows_ratings_targets_stories_and_kiosks(site):
    _, sent, client = site
    html = client.get("/districts/3706?lang=en").text
    assert by_id(html, "district-votes") == "40"
    assert by_id(html, "district-mean") == "4.75"
    assert by_id(html, "district-rank") == "1"
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert "Very satisfied: 30" in chart
    assert "Satisfied: 10" in chart
    assert rows(html, "target") == ["staff:s01", ":", "unit:u01"]  # most votes first
    assert re.search(
        r'data-target="staff:s01">\s*<td>Staff member</td><td>s01</td>\s*<td class="num">20</td>',
        html,
    )
    assert "081-234-5678" not in html
    assert "XXX-XXX-XXXX" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert sent.kiosks["3706"] in rows(html, "kiosk")


def test_stories_are_masked_again_on_the_page(site):
    collector, _, client = site
    # A row written behind the kiosk's back (as a bug upstream might): the page still masks.
    with CollectorStore(collector.db_path) as store:
        sql(
            store,
            "INSERT INTO votes (kiosk, seq, hash, prev, district, rating, tags, story, lang, burst,"
            " cast_at, received_at, source, batch) SELECT kiosk, 999, 'h', 'p', district, 5,"
            " '[]', 'โทร 0812345678 บัตร 1101700207030', 'th', 0, cast_at, received_at, source,"
            " batch FROM votes WHERE district = '3706' LIMIT 1",
        )
    html = client.get("/districts/3706").text
    assert "0812345678" not in html
    assert "1101700207030" not in html
    assert "โทร XXXXXXXXXX บัตร XXXXXXXXXXXXX" in html


def test_kiosk_fleet_puts_silent_and_clock_off_kiosks_first(site):
    _, sent, client = site
    html = client.get("/kiosks?lang=en").text
    kiosks = rows(html, "kiosk")
    assert kiosks[0] == sent.silent_kiosk
    assert kiosks[1] == sent.clock_off_kiosk
    assert re.search(rf'<tr class="silent[^"]*" data-kiosk="{sent.silent_kiosk}"', html)
    assert re.search(rf'<tr class=" clock-off" data-kiosk="{sent.clock_off_kiosk}"', html)
    assert by_id(html, "kiosks-total") == "8"
    assert by_id(html, "kiosks-silent") == "1"
    assert by_id(html, "kiosks-clock") == "1"
    assert "-60 min" in html  # the kiosk's batch was made an hour ago
    problems = client.get("/kiosks?show=problems").text
    assert rows(problems, "kiosk") == [sent.silent_kiosk, sent.clock_off_kiosk]


def test_the_fleet_finds_a_kiosk_as_a_clerk_reads_it_out_and_by_province(site):
    """A clerk on the phone reads out the fingerprint the page shows (dashed, in capitals);
    an officer may look for a province; a search that finds nothing says what it looked for."""
    _, sent, client = site
    kiosk = sent.kiosks["4408"]
    shown = fingerprint_for_id(kiosk)  # "EBB4-2F1A-4328-F841", as the table shows it
    for typed in (shown, shown.replace("-", " "), shown.lower(), shown.replace("-", "")):
        html = client.get("/kiosks", params={"q": typed}).text
        assert rows(html, "kiosk") == [kiosk], typed
    in_amnat = rows(client.get("/kiosks", params={"q": "อำนาจเจริญ"}).text, "kiosk")
    expected = {k for code, k in sent.kiosks.items() if code.startswith("37")}
    assert len(expected) >= 2
    assert set(in_amnat) == expected
    nothing = client.get("/kiosks", params={"q": "ZZZZ-0000", "lang": "en"}).text
    assert rows(nothing, "kiosk") == []
    assert "No kiosk matches “ZZZZ-0000”" in unescape(nothing)


def test_the_state_column_names_a_kiosk_s_problem(site):
    """A kiosk whose clock is off is not said to be "OK" in the state column."""
    _, sent, client = site
    html = client.get("/kiosks?lang=en").text
    row = re.search(rf'data-kiosk="{sent.clock_off_kiosk}">(.*?)</tr>', html, re.S)
    assert row
    state = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)[-1]
    assert "Clock off" in state
    assert "OK" not in state


def test_a_replayed_batch_leaves_a_silent_kiosk_silent_and_is_shown_apart(tmp_path, make_kiosk):
    with serve_collector(tmp_path / "collector.sqlite3", [("3706", "small")]) as collector:
        clock = FakeClock()  # 24 Nov 2026, 10:00 Thai time
        collector.store.clock = clock
        kiosk = make_kiosk()
        enroll(collector.store, kiosk)
        kiosk.cast(5)
        batch = kiosk.batch()
        with httpx.Client(base_url=collector.url, timeout=30) as client:

            def send():
                answer = client.post(
                    "/api/v1/batches", content=batch, headers={"content-type": "application/json"}
                )
                assert answer.status_code == 200, answer.text

            send()
            clock.advance(4 * 86400)  # four days without a word from the kiosk
            send()  # then someone sends the stored batch again
            operator_client(client, collector.store, role="viewer")
            html = client.get("/kiosks?lang=en").text
    assert re.search(rf'<tr class="silent[^"]*" data-kiosk="{kiosk.key.kiosk_id}"', html)
    assert by_id(html, "kiosks-silent") == "1"
    assert "24 Nov 2026 10:00" in html  # last seen: the batch that brought the votes
    assert re.search(
        r'class="muted replays" data-replays="1">replayed batches: 1, last 28 Nov 2026 10:00<',
        html,
    )


def test_audit_lists_the_refusal_and_the_quarantined_conflict(site):
    _, _, client = site
    html = client.get("/audit?lang=en").text
    assert 'data-reason="bad_signature"' in html or 'data-reason="hash_mismatch"' in html
    assert rows(html, "seq") == ["1"]
    assert "other bytes than the held copy" in html


def test_audit_reasons_are_in_thai_words_with_their_code_beside(site):
    _, _, client = site
    html = client.get("/audit?lang=th").text
    refusal = re.search(
        r'<tr class="kind-refused" data-reason="([a-z_]+)"[^>]*>(.*?)</tr>', html, re.S
    )
    assert refusal, "the damaged batch's refusal is listed"
    code, row = refusal.groups()
    assert "ข้อมูลถูกแก้ไขหรือเสียหายหลังตู้ประเมินลงนาม" in row  # a signature or hash broke
    assert f'<span class="muted mono code">{code}</span>' in row  # the code, to search the docs
    # What happened, in Thai: the kiosk, how it came, and why; what the checker found (English)
    # stays under "technical detail".
    assert re.search(
        r'<span class="sentence">ชุดข้อมูลจากตู้ประเมิน [0-9A-F-]{19} ทางเครือข่าย ถูกปฏิเสธ'
        r" ไม่ได้เก็บส่วนใดไว้: ข้อมูลถูกแก้ไขหรือเสียหายหลังตู้ประเมินลงนาม</span>",
        row,
    )
    assert '<span class="mono wrap" lang="en">bad signature at seq 1' in row
    conflict = re.search(
        r'<tr class="kind-conflict" data-reason="conflict"[^>]*>(.*?)</tr>', html, re.S
    )
    assert conflict
    assert re.search(
        r"ตู้ประเมิน [0-9A-F-]{19} ส่งผลการประเมินลำดับที่ 1 ทางเครือข่าย มีข้อมูลไม่ตรงกับฉบับที่เก็บไว้แล้ว",
        conflict.group(1),
    )
    token = re.search(r'<tr class="kind-token" data-reason="issued"[^>]*>(.*?)</tr>', html, re.S)
    assert token
    assert "ออกรหัสลงทะเบียน" in token.group(1)


def test_the_audit_pages_back_through_every_row_once(site):
    _, _, client = site
    first = client.get("/audit?lang=en&kind=token&limit=2").text
    total = int(re.search(r"\((\d+) match\)", first).group(1))
    assert total > 2, "the populated collector issued a token per kiosk"
    assert "Back to the newest rows" not in first
    seen, html = [], first
    while True:
        found = re.findall(r'<tr class="kind-([\w-]+)" data-reason="[^"]*" data-id="(\d+)"', html)
        assert {kind for kind, _ in found} == {"token"}, "the kind filter holds on every page"
        seen += [int(row_id) for _, row_id in found]
        older = re.search(r'<a href="([^"]+)" rel="next" id="older">', html)
        if not older:
            break
        link = unescape(older.group(1))
        assert "kind=token" in link
        assert "limit=2" in link
        html = client.get(link).text
        assert "Back to the newest rows" in html
        assert f"({total} match)" in html
    assert len(seen) == len(set(seen)) == total
    assert seen == sorted(seen, reverse=True), "newest first, page after page"
    assert client.get("/audit?before=0").status_code == 422


def test_the_refusals_are_named_on_the_overview_to_operators_only(site):
    running, _, client = site
    assert (
        'id="refusals">Refusals in the whole collector&#39;s audit: 1.'
        in client.get("/?lang=en").text
    )
    # A sentence of its own after the last arrival's, not run into it ("never.Refusals").
    assert re.search(r'\. <a href="/audit" id="refusals">', client.get("/?lang=en").text)
    with httpx.Client(base_url=running.url, timeout=30) as anonymous:
        public = anonymous.get("/?lang=en").text
    assert 'id="total-votes"' in public  # the overview itself is public
    assert "Refusals" not in public


def test_english_is_remembered_in_a_cookie(site):
    _, _, client = site
    english = client.get("/?lang=en")
    assert '<html lang="en">' in english.text
    assert english.cookies.get("sangsuk_lang") == "en"
    again = client.get("/leaderboard")
    assert '<html lang="en">' in again.text
    assert "How districts are ranked" in again.text
    client.cookies.clear()
    assert '<html lang="th">' in client.get("/leaderboard").text


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        ("/districts/9999", 404, "9999"),
        ("/districts/abc", 404, "abc"),
        ("/districts/%3Cscript%3E", 404, "&lt;script&gt;"),
        ("/leaderboard?top=abc", 422, "top"),
        ("/leaderboard?top=0", 422, "top"),
        ("/leaderboard?group=huge", 422, "small, medium, large"),
        ("/leaderboard?min_votes=-1", 422, "min_votes"),
        ("/leaderboard?prior_weight=1e9", 422, "prior_weight"),
        ("/districts/3706?page=-2", 422, "page"),
        ("/audit?limit=999999999999999999999", 422, "limit"),
        ("/kiosks?show=everything", 422, "problems"),
        ("/?lang=fr", 422, "lang"),
    ],
)
def test_bad_addresses_get_a_clear_page_not_a_server_error(site, url, status, says):
    _, _, client = site
    page = client.get(url)
    assert page.status_code == status
    assert page.headers["content-type"].startswith("text/html")
    assert f'data-status="{status}"' in page.text
    assert says in page.text
    assert "<script>" not in page.text


def test_the_font_and_stylesheet_are_served(site):
    _, _, client = site
    css = client.get("/static/site.css")
    assert css.status_code == 200
    fonts = re.findall(r'url\("(/static/fonts/[^"]+)"\)', css.text)
    assert len(fonts) == 4
    for font in fonts:
        answer = client.get(font)
        assert answer.status_code == 200
        assert answer.content[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/fonts/OFL.txt").status_code == 404


def test_the_pages_are_not_in_the_api_description(site):
    _, _, client = site
    paths = client.get("/openapi.json").json()["paths"]
    assert all(p.startswith("/api/v1/") for p in paths)
