"""Defining a campaign in the console, over real HTTP, on both backends: the form, its check
step (nothing stored until the officer ticks that they checked it), its refusals, the audit."""

import re
from datetime import datetime, timedelta

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from collector.cli import main
from collector.store import campaigns
from collector.store.announcements import Decided, announce
from collector.store.audit import AuditFilter
from tests.collector.campaign_data import C2569, C2570, utc
from tests.collector_server import serve_collector
from tests.console import csrf_of, log_in, make_operator
from tests.fakes import FakeClock
from wire.campaign import read_notice
from wire.clock import THAI_TIME

FORM = {
    "year": "2569", "starts_on": "2026-11-01", "ends_on": "2026-11-30",
    "name_th": "ประเมินอำเภอ ๒๕๖๙", "name_en": "District rating 2569",
    "slogan_th": "เสียงของคุณสำคัญ", "slogan_en": "Your voice matters",
}  # fmt: skip


@pytest.fixture
def site(collector_db):
    with serve_collector(collector_db, [("3706", "small")]) as running:
        make_operator(running.store, "officer", "officer")
        with httpx.Client(base_url=running.url, timeout=60) as officer:
            log_in(officer, name="officer")
            yield running, officer


def check(client, data):
    """The form sent: the check step (200) or the form with its problems (422)."""
    csrf = csrf_of(client.get("/console/campaigns").text)
    return client.post("/console/campaigns", data={"csrf": csrf, **data}, follow_redirects=False)


def hidden_fields(html: str) -> dict[str, str]:
    """What the check step's define form sends back (its hidden fields)."""
    form = re.search(
        r'<form method="post" action="/console/campaigns/define".*?</form>', html, re.S
    )
    assert form is not None, "no check step on the page"
    return dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form.group(0)))


def post(client, data, tick=True):
    """Check the form, then define what the check step shows (ticked, as an officer does)."""
    checked = check(client, data)
    if checked.status_code != 200:
        return checked
    sent = hidden_fields(checked.text) | ({"confirm": "yes"} if tick else {})
    return client.post("/console/campaigns/define", data=sent, follow_redirects=False)


def test_an_officer_defines_a_campaign_and_sees_it_listed(site):
    running, officer = site
    empty = officer.get("/console/campaigns?lang=en")
    assert "No campaign is defined yet" in empty.text
    answer = post(officer, FORM)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/campaigns?done=added"
    shown = officer.get("/console/campaigns?done=added&lang=th").text
    assert "กำหนดแคมเปญแล้ว" in shown
    assert re.search(r'<tr data-year="2569">', shown)
    assert "ประเมินอำเภอ ๒๕๖๙" in shown
    assert "Your voice matters" in shown
    assert "style=" not in shown
    assert "<script" not in shown
    held = campaigns.by_year(running.store, 2569)
    assert held is not None
    assert held.created_by == "officer"
    (row,) = running.store.audit_rows(which=AuditFilter(kind="campaign"))
    assert row["operator"] == "officer"
    assert row["source"] == "console"


@pytest.mark.parametrize(
    ("change", "said_th", "said_en"),
    [
        ({"year": "2026"}, "ไม่ใช่ปีพุทธศักราช", "is not a Buddhist-era year"),
        ({"ends_on": "2026-10-01"}, "อยู่ก่อนวันแรก", "is before the first day"),
        ({"slogan_th": " "}, "ยังไม่ได้กรอกคำขวัญภาษาไทย", "Slogan in Thai is empty"),
        ({"starts_on": "1/11/2569"}, "ไม่ใช่วันที่", "“1/11/2569” is not a date"),
        (  # the Thai year typed into the date picker: it made a campaign of 3112, for good
            {"starts_on": "2569-11-01", "ends_on": "2569-12-31"},
            "วันแรก 2569-11-01 เป็นปี พ.ศ. แต่วันที่ต้องเป็นปี ค.ศ. ตามปฏิทินของเบราว์เซอร์:"
            " แทน 2569-11-01 ให้ใส่ 2026-11-01",
            "First day 2569-11-01 is in the Buddhist era, but the dates are in the Christian era"
            " (ค.ศ.), as the browser&#39;s calendar shows them: for 2569-11-01 type 2026-11-01.",
        ),
        (
            {"starts_on": "2027-11-01", "ends_on": "2027-11-30"},
            "แคมเปญปี 2569 (ค.ศ. 2026) ต้องเริ่มระหว่าง 1 ต.ค. 2568 (วันแรกของปีงบประมาณ 2569)"
            " ถึง 31 ธ.ค. 2569 ไม่ใช่ 1 พ.ย. 2570",
            "Campaign 2569 (2026 in the Christian era) must start between 1 Oct 2025",
        ),
        ({"ends_on": "2027-11-30"}, "แคมเปญจะยาว 395 วัน", "would last 395 days"),
    ],
)
def test_a_wrong_field_is_said_on_the_form_and_nothing_is_stored(site, change, said_th, said_en):
    running, officer = site
    for lang, said in (("th", said_th), ("en", said_en)):
        officer.get(f"/console/campaigns?lang={lang}")
        answer = post(officer, FORM | change)
        assert answer.status_code == 422
        assert 'class="error" role="alert"' in answer.text
        assert said in answer.text
        assert f'value="{(FORM | change)["name_en"]}"' in answer.text  # what was typed stays
    assert campaigns.every(running.store) == []


def test_the_form_says_the_dates_are_christian_era_in_both_languages(site):
    _running, officer = site
    th = officer.get("/console/campaigns?lang=th").text
    assert "วันแรกและวันสุดท้ายเป็นปี ค.ศ. ตามปฏิทินของเบราว์เซอร์ ไม่ใช่ปี พ.ศ." in th
    assert re.search(r'id="starts_on"[^>]*aria-describedby="starts_on-hint dates-hint"', th)
    en = officer.get("/console/campaigns?lang=en").text
    assert "The first and last days are Christian-era (ค.ศ.) dates" in en
    answer = post(officer, FORM | {"year": "2570", "starts_on": "2570-11-01"})
    assert "Buddhist year 2570 is 2027 (subtract 543)." in answer.text  # the year typed


def test_an_overlapping_campaign_is_refused(site):
    running, officer = site
    assert post(officer, FORM).status_code == 303
    officer.get("/console/campaigns?lang=en")
    answer = post(officer, FORM | {"year": "2570", "starts_on": "2026-11-30"})
    assert answer.status_code == 422
    assert "overlap campaign 2569 (1 Nov 2026 – 30 Nov 2026)" in answer.text
    officer.get("/console/campaigns?lang=th")
    thai = post(officer, FORM | {"year": "2570", "starts_on": "2026-11-30"})
    assert "ช่วงวันซ้อนกับแคมเปญปี 2569 (1 พ.ย. 2569 – 30 พ.ย. 2569)" in thai.text  # as the table
    assert "2026-11-01" not in thai.text.split('id="campaign-problems"')[1].split("</div>")[0]
    assert [c.year for c in campaigns.every(running.store)] == [2569]


def test_kiosks_read_the_current_campaign_signed_by_the_collector(
    site, collector_db, tmp_path, capsys
):
    running, officer = site
    none = httpx.get(f"{running.url}/api/v1/campaign")
    assert none.status_code == 404
    assert none.json()["error"] == "no_campaign"
    today = datetime.now(THAI_TIME).date()  # the served collector runs on the real clock
    started = FORM | {
        "year": str(today.year + 543),
        "starts_on": (today - timedelta(days=1)).isoformat(),
        "ends_on": (today + timedelta(days=30)).isoformat(),
    }
    assert post(officer, started).status_code == 303
    key = httpx.get(f"{running.url}/api/v1/health").json()["collector_key"]
    pinned = Ed25519PublicKey.from_public_bytes(bytes.fromhex(key))
    notice = read_notice(httpx.get(f"{running.url}/api/v1/campaign").content, pinned)
    assert (notice.year, notice.slogan_th) == (today.year + 543, "เสียงของคุณสำคัญ")
    stick = tmp_path / "sangsuk-campaign.campaign.json"
    db = collector_db  # the SQLite file, or the PostgreSQL database's URL
    assert main(["campaigns", "--db", db, "notice", "--to", str(stick)]) == 0
    assert read_notice(stick.read_bytes(), pinned).name_en == "District rating 2569"
    assert main(["campaigns", "--db", db, "notice", "--to", str(tmp_path / "x.json")]) == 2
    assert "it must end in .campaign.json" in capsys.readouterr().err


def test_the_latest_campaign_is_called_current_only_while_it_runs(site):
    running, officer = site
    running.store.clock = FakeClock(utc(2026, 11, 15, 3))
    campaigns.add(running.store, C2569)
    row = re.compile(r'<tr data-year="2569">.*?</tr>', re.S)
    during = officer.get("/console/campaigns?lang=th").text
    assert "แคมเปญปัจจุบัน" in row.search(during).group(0)
    assert "แคมเปญปัจจุบัน" in officer.get("/leaderboard?lang=th").text
    running.store.clock = FakeClock(utc(2026, 12, 10, 3))  # its last day is over
    log_in(officer, name="officer")  # the login of November has expired
    after = officer.get("/console/campaigns?lang=th").text
    assert "แคมเปญล่าสุด (สิ้นสุดแล้ว)" in row.search(after).group(0)
    assert "แคมเปญปัจจุบัน" not in after
    assert "latest (ended)" in officer.get("/leaderboard?lang=en").text


def test_thai_digits_are_checked_in_buddhist_era_words_before_anything_is_saved(site):
    running, officer = site
    officer.get("/console/campaigns?lang=th")
    typed = FORM | {"year": "๒๕๗๐", "starts_on": "2027-11-01", "ends_on": "2027-11-30"}
    shown = check(officer, typed)
    assert shown.status_code == 200
    assert "ปี 2570: 1 พ.ย. 2570 – 30 พ.ย. 2570, 30 วัน" in shown.text
    assert "ตรวจก่อนกำหนด" in shown.text
    assert 'name="confirm" value="yes" required' in shown.text
    assert hidden_fields(shown.text)["year"] == "2570"  # what will be saved, in ASCII digits
    assert campaigns.every(running.store) == []  # the check stored nothing
    unticked = post(officer, typed, tick=False)
    assert unticked.status_code == 422
    assert "กรุณาทำเครื่องหมายยืนยันว่าได้ตรวจแคมเปญแล้ว ยังไม่ได้กำหนดแคมเปญ" in unticked.text
    assert "ปี 2570: 1 พ.ย. 2570 – 30 พ.ย. 2570, 30 วัน" in unticked.text  # still to check
    assert campaigns.every(running.store) == []
    assert post(officer, typed).status_code == 303
    (held,) = campaigns.every(running.store)
    assert (held.year, held.starts_on, held.ends_on) == (2570, "2027-11-01", "2027-11-30")
    officer.get("/console/campaigns?lang=en")
    english = check(
        officer, FORM | {"year": "2571", "starts_on": "2028-01-01", "ends_on": "2028-12-31"}
    )
    assert "Year 2571: 1 Jan 2028 – 31 Dec 2028, 366 days" in english.text


def test_an_empty_form_lists_every_problem_at_once(site):
    running, officer = site
    officer.get("/console/campaigns?lang=th")
    answer = check(officer, dict.fromkeys(FORM, ""))
    assert answer.status_code == 422
    problems = re.search(r'id="campaign-problems">(.*?)</div>', answer.text, re.S).group(1)
    said = re.findall(r"<li>(.*?)</li>", problems)
    assert said == [
        "ยังไม่ได้กรอกปี (พ.ศ.)", "ยังไม่ได้กรอกวันแรก", "ยังไม่ได้กรอกวันสุดท้าย",
        "ยังไม่ได้กรอกชื่อภาษาไทย", "ยังไม่ได้กรอกชื่อภาษาอังกฤษ", "ยังไม่ได้กรอกคำขวัญภาษาไทย",
        "ยังไม่ได้กรอกคำขวัญภาษาอังกฤษ",
    ]  # fmt: skip
    assert answer.text.count('aria-invalid="true"') == 7
    two = check(officer, FORM | {"year": "2026", "slogan_en": " "})
    assert len(re.findall(r"<li>", two.text.split('id="campaign-problems"')[1])) >= 2
    assert "“2026” ไม่ใช่ปีพุทธศักราช" in two.text
    assert "ยังไม่ได้กรอกคำขวัญภาษาอังกฤษ" in two.text
    assert campaigns.every(running.store) == []


def test_each_date_field_says_it_takes_a_christian_era_day_and_which_day_was_chosen(site):
    _running, officer = site
    officer.get("/console/campaigns?lang=th")
    answer = check(officer, FORM | {"year": "2570", "starts_on": "2027-11-01", "name_th": ""})
    hint = re.search(r'<span class="hint" id="starts_on-hint">(.*?)</span>', answer.text).group(1)
    assert hint == "ปี ค.ศ. (เช่น 2027-11-01 = 1 พ.ย. 2570) · เลือกไว้: 1 พ.ย. 2570"
    assert re.search(
        r'id="ends_on"[^>]*aria-describedby="ends_on-hint dates-hint days-hint"', answer.text
    )
    officer.get("/console/campaigns?lang=en")
    english = check(officer, FORM | {"year": "2570", "starts_on": "2027-11-01", "name_th": ""})
    assert "Christian-era year (e.g. 2027-11-01 is 1 Nov 2570 in the Buddhist era)" in english.text


def test_every_campaign_says_where_it_stands_and_the_hint_follows_the_next_free_day(site):
    """A year on (2570 running): 2571 is marked not started, 2569 the latest that ended with
    one group announced, 2568 ended and announced; the date hint's example is the day after
    2571, the next free day, not 1 Nov of this year (the trial's "2026-11-01 = 1 พ.ย. 2569"
    after 2570 was defined)."""
    running, officer = site
    store = running.store
    store.clock = FakeClock(utc(2025, 10, 20, 3))
    old = campaigns.make(
        2568, "ประเมินอำเภอ ๒๕๖๘", "District rating 2568", "2025-11-01", "2025-11-30", "ก", "A"
    )
    later = campaigns.make(
        2571, "ประเมินอำเภอ ๒๕๗๑", "District rating 2571", "2028-11-01", "2028-11-30", "ข", "B"
    )
    for campaign in (old, C2569, C2570, later):
        campaigns.add(store, campaign)
    store.clock = FakeClock(utc(2027, 11, 15, 3))  # 2570 runs
    method = {"prior_weight": 50, "min_votes": 30}
    for year, groups in ((2568, ("small", "medium", "large")), (2569, ("small",))):
        for group in groups:
            announce(store, group, "somchai", lambda conn: Decided(method, [], 0), "cli", year)
    log_in(officer, name="officer")
    th = officer.get("/console/campaigns?lang=th").text
    cells = dict(re.findall(r'<tr data-year="(\d+)">\s*<td>(.*?)</td>', th, re.S))
    words = {year: re.sub(r"<[^>]+>", " ", cell).split() for year, cell in cells.items()}
    assert " ".join(words["2571"]) == "2571 ยังไม่เริ่ม"
    assert " ".join(words["2570"]) == "2570 แคมเปญปัจจุบัน"
    assert " ".join(words["2569"]) == "2569 แคมเปญล่าสุด (สิ้นสุดแล้ว) ประกาศผลแล้ว 1 จาก 3 กลุ่ม"
    assert " ".join(words["2568"]) == "2568 สิ้นสุดแล้ว ประกาศผลแล้ว"
    hint = re.search(r'<span class="hint" id="starts_on-hint">(.*?)</span>', th).group(1)
    assert hint == "ปี ค.ศ. (เช่น 2028-12-01 = 1 ธ.ค. 2571)"
    assert "พ.ศ. 2571 คือ ค.ศ. 2028 (ลบ 543)" in th
    en = officer.get("/console/campaigns?lang=en").text
    cells = dict(re.findall(r'<tr data-year="(\d+)">\s*<td>(.*?)</td>', en, re.S))
    assert "awards announced: 1 of 3 groups" in cells["2569"]
    assert "not started" in cells["2571"]
    assert "e.g. 2028-12-01 is 1 Dec 2571 in the Buddhist era" in en
