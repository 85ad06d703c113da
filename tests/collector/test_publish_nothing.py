"""A campaign with no counted vote is not published, from the console or the command line, on
both backends: there would be nothing to recount, and the pages would offer it as the newest."""

import re

import httpx
import pytest

from collector.cli import main
from collector.publish import publications
from collector.store import campaigns
from tests.collector.campaign_data import C2569, C2570, utc
from tests.collector_server import serve_collector
from tests.console import csrf_of, log_in, make_operator
from tests.fakes import FakeClock
from tests.kiosks import enroll, ingest
from wire.vote import Ballot


@pytest.fixture
def site(collector_db, make_kiosk):
    with serve_collector(collector_db, [("3706", "small")]) as running:
        running.store.clock = FakeClock(utc(2026, 10, 20, 3))  # before campaign 2569
        campaigns.add(running.store, C2569)
        campaigns.add(running.store, C2570)
        kiosk = make_kiosk("a", "3706")
        enroll(running.store, kiosk)
        make_operator(running.store, "officer", "officer")
        with httpx.Client(base_url=running.url, timeout=60) as officer:
            yield running, officer, kiosk


def publish(officer, campaign, lang):
    csrf = csrf_of(officer.get(f"/console/publish?lang={lang}").text)
    data = {"csrf": csrf, "campaign": campaign}
    return officer.post("/console/publish", data=data, follow_redirects=False)


def said(answer):
    return re.search(r'<p class="error"[^>]*>(.*?)</p>', answer.text, re.S).group(1)


def test_a_campaign_with_no_votes_is_not_published_and_never_offered(site):
    running, officer, kiosk = site
    store = running.store
    store.clock.set_wall(utc(2026, 11, 5, 3))  # 2569 runs, and no vote has come
    log_in(officer, name="officer")
    empty = publish(officer, "2569", "th")
    assert empty.status_code == 422
    assert said(empty) == (
        "ไม่ได้เผยแพร่: แคมเปญปี 2569 (1 พ.ย. 2569 – 30 พ.ย. 2569) ยังไม่มีผลการประเมินที่นับ"
        " จึงไม่มีสิ่งใดให้ผู้ตรวจสอบนับซ้ำ เผยแพร่ได้เมื่อผลการประเมินในช่วงวันของแคมเปญมาถึงแล้ว"
    )
    early = publish(officer, "2570", "en")
    assert early.status_code == 422
    assert said(early) == (
        "Nothing was published: campaign 2570 has not started yet (it runs from 1 Nov 2027 to"
        " 30 Nov 2027), so it has no votes to recount. Publish it once votes of its days have"
        " arrived."
    )
    assert publications(store.target.home) == []
    assert not (store.target.home / "publications").exists() or not any(
        (store.target.home / "publications").iterdir()
    )  # nothing half-made left behind
    assert "/publications/" not in officer.get("/leaderboard?campaign=2569").text
    kiosk.ledger.clock.set_wall(utc(2026, 11, 5, 3))
    kiosk.ledger.cast_many([Ballot("3706", 4)])
    assert ingest(store, kiosk.batch(), source="usb").new == 1
    made = publish(officer, "2569", "en")
    assert made.status_code == 303
    (listed,) = publications(store.target.home)
    assert (listed.campaign, listed.votes) == (2569, 1)


def test_the_command_refuses_it_in_thai_then_english(site, collector_db, tmp_path, capsys):
    running, _officer, _kiosk = site
    far = campaigns.make(2698, "ไกล", "Far", "2155-11-01", "2155-11-30", "ก", "A")
    campaigns.add(running.store, far)  # the command runs on the real clock: not started for long
    folder = tmp_path / "publication"
    code = main(["publish", "--db", collector_db, "--to", str(folder), "--campaign", "2698"])
    assert code == 2
    thai, english = capsys.readouterr().err.splitlines()[:2]
    assert thai == (
        "sangsuk-collector: ไม่ได้เผยแพร่: แคมเปญปี 2698 ยังไม่เริ่ม (เริ่ม 1 พ.ย. 2698 สิ้นสุด"
        " 30 พ.ย. 2698) จึงยังไม่มีผลการประเมินให้ผู้ตรวจสอบนับซ้ำ"
        " เผยแพร่ได้เมื่อผลการประเมินในช่วงวันของแคมเปญมาถึงแล้ว"
    )
    assert english == (
        "sangsuk-collector: Nothing was published: campaign 2698 has not started yet (it runs"
        " from 2155-11-01 to 2155-11-30), so it has no votes to recount. Publish it once votes"
        " of its days have arrived."
    )
    code = main(["publish", "--db", collector_db, "--to", str(folder), "--campaign", "2569"])
    assert code == 2
    assert "แคมเปญปี 2569 (1 พ.ย. 2569 – 30 พ.ย. 2569) ยังไม่มีผลการประเมินที่นับ" in (
        capsys.readouterr().err
    )
    assert not folder.exists() or not any(folder.iterdir())
