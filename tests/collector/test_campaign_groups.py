"""A classification applies from a campaign on: the campaigns before keep the size groups they
had, in their rankings, reports, district pages and publications (store/classification.py),
on both backends; and the console and the command line say and choose where it applies."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from collector import results
from collector.cli import main
from collector.keys import load_collector_key
from collector.ranking import RankingMethod
from collector.recount import recount
from collector.store import CollectorStore, StoreError, campaigns, classification
from collector.store import district_groups as groups
from collector.store.announcements import Decided, announce
from collector.store.audit import AuditFilter
from tests.collector.campaign_data import C2569, C2570, utc
from tests.collector_server import serve_collector
from tests.console import csrf_of, log_in, make_operator
from tests.fakes import FakeClock
from tests.kiosks import Kiosk, enroll, ingest
from wire.batch import build_batch
from wire.clock import format_utc
from wire.vote import Ballot

METHOD = RankingMethod(5, 1)
START = [("3706", "small"), ("3701", "small"), ("4408", "medium"), ("4712", "large")]


def cast_and_send(store: CollectorStore, kiosk: Kiosk, when: datetime, ratings: list[int]) -> None:
    """Cast ratings on the kiosk at when and send them in one batch an hour later."""
    kiosk.ledger.clock.set_wall(when)
    cast = kiosk.ledger.cast_many([Ballot(kiosk.district, r) for r in ratings])
    seqs = {vote.seq for vote in cast}
    stored = [s for s in kiosk.ledger.pending(limit=1000) if s.seq in seqs]
    received = when.replace(hour=when.hour + 1)
    store.clock.set_wall(received)
    data = build_batch(
        kiosk.key.private_key, [s.body for s in stored], [s.hash for s in stored],
        format_utc(received),
    )  # fmt: skip
    assert ingest(store, data).new == len(ratings)


def group_of(store: CollectorStore, code: str, campaign: int | None) -> str:
    """The size group code is ranked in, in campaign (None: every vote)."""
    with store.reading() as conn:
        return next(t.size_group for t in results.tallies(conn, campaign) if t.code == code)


@pytest.fixture
def two_years(collector_db, make_kiosk):
    """Campaign 2569 (November 2026, ended) with votes of 3706 and 4408, and 2570 (November
    2027) defined; the clock on 10 December 2026."""
    load_collector_key(collector_db)  # as the commands make it, before any kiosk enrolls
    with CollectorStore(collector_db, FakeClock(utc(2026, 10, 20, 3))) as store:
        store.load_districts(START)
        campaigns.add(store, C2569)
        campaigns.add(store, C2570)
        a, b = make_kiosk("a", "3706"), make_kiosk("b", "4408")
        for k in (a, b):
            enroll(store, k)
        cast_and_send(store, a, utc(2026, 11, 10, 3), [5, 5, 4])
        cast_and_send(store, b, utc(2026, 11, 11, 3), [4, 4])
        store.clock.set_wall(utc(2026, 12, 10, 3))
        yield store, a, b


def test_a_new_classification_leaves_the_ended_campaign_in_its_groups(two_years):
    store, _, _ = two_years
    with store.reading() as conn:
        assert classification.first_open(conn, store.now()) == 2570
    done = store.load_districts([("3706", "large")])
    assert (done.scope.applies_from, done.scope.keeping, done.scope.following) == (
        2570, (2569,), (2570,),
    )  # fmt: skip
    # 2569 is ranked, reported and shown as it was; 2570 and every vote in the new groups.
    assert group_of(store, "3706", 2569) == "small"
    assert (group_of(store, "3706", 2570), group_of(store, "3706", None)) == ("large", "large")
    assert results.ranking(store, METHOD, 2569).groups["small"][0].code == "3706"
    assert store.report(2569)["size_groups"] == {"small": 3, "medium": 2, "large": 0}
    assert store.report()["size_groups"] == {"small": 0, "medium": 2, "large": 3}
    with store.reading() as conn:
        page = results.district_detail(conn, "3706", campaign=C2569)
        assert page is not None
        assert page.district.size_group == "small"
        assert classification.own(conn) == {2569: len(START)}
    (row,) = store.audit_rows(1, AuditFilter(kind="districts"))
    assert "applies from campaign 2570 on; the campaigns before it (2569) keep" in row["detail"]


def test_a_campaign_keeps_the_groups_it_had_before_the_first_new_classification(two_years):
    store, _, _ = two_years
    store.load_districts([("3706", "large")])
    store.load_districts([("3706", "medium"), ("4408", "large")])
    assert group_of(store, "3706", 2569) == "small"
    assert group_of(store, "4408", 2569) == "medium"
    assert (group_of(store, "3706", 2570), group_of(store, "4408", 2570)) == ("medium", "large")


def test_a_correction_applies_to_the_ended_campaign_when_chosen(two_years):
    store, _, _ = two_years
    store.load_districts([("3706", "large"), ("4408", "large")])  # 2569 keeps small, medium
    with store.reading() as conn:  # large already in the table, but not in 2569's ranking
        again = groups.preview(conn, groups.records([("3706", "large")]), 2569)
    assert [(c.district.code, c.before, c.after, c.votes) for c in again.moved] == [
        ("3706", "small", "large", 3)
    ]
    done = store.load_districts([("3706", "medium")], applies_from=2569)  # 2569's, corrected
    assert (done.scope.keeping, done.scope.following) == ((), (2569, 2570))
    assert (group_of(store, "3706", 2569), group_of(store, "3706", 2570)) == ("medium", "medium")
    # The districts the correction does not name stay in 2569 as 2569 had them.
    assert (group_of(store, "4408", 2569), group_of(store, "4408", 2570)) == ("medium", "large")
    with store.reading() as conn:
        assert classification.own(conn) == {2569: len(START)}


def test_a_district_loaded_after_a_campaign_kept_its_groups_is_kept_too(two_years, make_kiosk):
    store, _, _ = two_years
    store.clock.set_wall(utc(2026, 11, 15, 3))  # 2569 running: the load applies from 2570
    store.load_districts([("4712", "medium")], applies_from=2570)
    store.load_districts([("3702", "small")], applies_from=2570)  # a district loaded late
    c = make_kiosk("c", "3702")
    enroll(store, c)
    cast_and_send(store, c, utc(2026, 11, 20, 3), [5, 5, 5])
    store.clock.set_wall(utc(2026, 12, 10, 3))
    done = store.load_districts([("3702", "large")])  # from 2570: 2569 keeps 3702 small
    assert done.scope.keeping == (2569,)
    assert [(c.district.code, c.votes) for c in done.moved] == [("3702", 0)]  # none in 2570
    assert group_of(store, "3702", 2569) == "small"
    assert results.ranking(store, METHOD, 2569).groups["small"][0].code == "3702"
    assert group_of(store, "3702", 2570) == "large"


def test_the_first_load_applies_to_every_campaign(collector_db):
    with CollectorStore(collector_db, FakeClock(utc(2026, 12, 10, 3))) as store:
        campaigns.add(store, C2569)  # ended
        done = store.load_districts(START)
        assert (done.scope.applies_from, done.scope.keeping) == (None, ())
        with store.reading() as conn:
            assert classification.own(conn) == {}
        assert group_of(store, "3706", 2569) == "small"
        (row,) = store.audit_rows(1, AuditFilter(kind="districts"))
        assert "keep" not in row["detail"]


def test_the_leaderboard_counts_a_campaigns_groups(two_years):
    store, _, _ = two_years
    store.load_districts([("3706", "large"), ("3701", "large")])  # 2569 keeps both small
    with store.reading() as conn:
        kept = results.districts(conn, 2569)
        now = results.districts(conn)
    assert sum(1 for d in kept.values() if d.size_group == "small") == 2
    assert sum(1 for d in now.values() if d.size_group == "small") == 0


def test_a_campaign_defined_later_follows_the_current_classification(two_years):
    store, _, _ = two_years
    done = store.load_districts([("3706", "large")], applies_from=2571)  # campaigns to come
    assert (done.scope.keeping, done.scope.following) == ((2569, 2570), ())
    (row,) = store.audit_rows(1, AuditFilter(kind="districts"))
    assert "applies to the campaigns defined later; 2569, 2570 keep the groups" in row["detail"]
    assert group_of(store, "3706", 2570) == "small"
    campaigns.add(
        store, campaigns.make(2571, "ก", "A", "2028-11-01", "2028-11-30", "ข", "B")
    )  # fmt: skip
    assert group_of(store, "3706", 2571) == "large"


def test_the_preview_counts_the_votes_that_move_and_a_kept_group_changes_its_state(two_years):
    store, _, _ = two_years
    with store.reading() as conn:
        everywhere = groups.preview(conn, groups.records([("3706", "large")]), 2569)
        later = groups.preview(conn, groups.records([("3706", "large")]), 2570)
    assert [(c.district.code, c.before, c.votes) for c in everywhere.moved] == [
        ("3706", "small", 3)
    ]
    assert [(c.district.code, c.votes) for c in later.moved] == [("3706", 0)]  # none in 2570
    store.load_districts([("4712", "large")])  # changes no group, but 2569 keeps its own now
    with store.reading() as conn:
        assert groups.preview(conn, []).state != later.state
    with pytest.raises(StoreError) as refused:
        store.load_districts([("3706", "large")], expect=later.state, applies_from=2570)
    assert refused.value.code == "districts_changed"
    assert group_of(store, "3706", 2570) == "small"


def test_the_publication_of_a_campaign_names_its_own_groups_and_recounts(
    two_years, collector_db, tmp_path
):
    store, _, _ = two_years
    key = load_collector_key(collector_db).public_key_raw.hex()
    results.save_method(store, METHOD)
    store.load_districts([("3706", "large")])
    folder = tmp_path / "publication"
    assert main(["publish", "--db", collector_db, "--to", str(folder), "--campaign", "2569"]) == 0
    assert "3706,small" in (folder / "districts.csv").read_text()
    result = recount([folder], collector_key=key)
    assert result.ok, result.problems
    assert result.ranking is not None
    assert [r.code for r in result.ranking.groups["small"]] == ["3706"]  # 2569's group


# --- the command line -----------------------------------------------------------------------


def test_the_command_says_where_a_load_applies_and_lists_a_campaigns_groups(
    two_years, collector_db, tmp_path, capsys
):
    db = collector_db
    csv = tmp_path / "groups.csv"
    csv.write_text("code,size_group\n3706,large\n")
    load = ["districts", "--load", str(csv), "--db", db, "--from-campaign", "2570"]
    assert main([*load, "--language", "en"]) == 0
    out = capsys.readouterr().out
    assert "applies from campaign 2570 on; the campaigns before it (2569) keep the size" in out
    assert main(["districts", "--db", db, "--campaign", "2569", "--language", "th"]) == 0
    out = capsys.readouterr().out
    assert "แคมเปญ 2569 ใช้กลุ่มขนาดที่คงไว้ของแคมเปญเอง" in out
    assert next(line for line in out.splitlines() if line.startswith("3706")).split()[-2] == "small"
    assert main(["districts", "--load", str(csv), "--db", db, "--from-campaign", "2500"]) == 2
    err = capsys.readouterr().err
    assert "2500 ไม่ใช่ปี พ.ศ. ของแคมเปญ" in err
    assert "2500 is not a campaign's Buddhist-era year" in err
    assert main([*load[:-1], "²"]) == 2
    assert "² is not a campaign's Buddhist-era year" in capsys.readouterr().err
    assert main(["districts", "--db", db, "--from-campaign", "2570"]) == 2
    assert "--from-campaign goes with --load" in capsys.readouterr().err


# --- the console ----------------------------------------------------------------------------


def test_the_console_chooses_where_a_load_applies_and_says_which_campaigns_keep_theirs(
    collector_db,
):
    with serve_collector(collector_db, START) as running:
        store = running.store
        store.clock = FakeClock(utc(2026, 12, 10, 3))
        campaigns.add(store, C2569)
        campaigns.add(store, C2570)
        make_operator(store, "officer", "officer")
        with httpx.Client(base_url=running.url, timeout=60) as client:
            log_in(client, name="officer")
            page = client.get("/console/districts?lang=th").text
            assert '<option value="2570" selected>แคมเปญ 2570' in page
            assert '<option value="2569">แคมเปญ 2569' in page
            assert "(สิ้นสุดแล้ว)" in page
            assert "แคมเปญที่จะกำหนดต่อจากนี้เท่านั้น" in page

            def check(
                applies_from: str, text: bytes = b"code,size_group\n3706,large\n"
            ) -> httpx.Response:
                return client.post(
                    "/console/districts/check?lang=th",
                    data={"csrf": csrf_of(page), "applies_from": applies_from},
                    files={"file": ("groups.csv", text, "text/csv")},
                )

            spoiled = check("2569", b"code,size_group\n3706,huge\n")
            assert spoiled.status_code == 422
            assert '<option value="2569" selected>' in spoiled.text  # the choice stays chosen

            refused = check("1999")
            assert refused.status_code == 422
            assert "ไม่อยู่ในรายการที่เลือกได้" in refused.text
            assert refused.text.count("ยังไม่ได้นำเข้าข้อมูลใด ๆ") == 1  # said once
            assert not client.get("/console/districts.csv?campaign=2600").is_success
            checked = check("2570")
            assert checked.status_code == 200
            assert (
                "การจัดกลุ่มนี้ใช้กับแคมเปญ 2570 เป็นต้นไป แคมเปญก่อนหน้า (2569) คงกลุ่มขนาดเดิม" in checked.text
            )
            assert '<input type="hidden" name="applies_from" value="2570">' in checked.text
            form = {
                "csrf": csrf_of(checked.text), "name": "groups.csv", "rows": "3706,large",
                "state": checked.text.split('name="state" value="')[1].split('"')[0],
                "applies_from": "2570",
            }  # fmt: skip
            loaded = client.post("/console/districts/load", data=form)
            assert loaded.status_code == 303
            page = client.get("/console/districts?lang=th").text
            assert "แคมเปญ 2569 คงกลุ่มขนาดของตนเอง (4 อำเภอ)" in page
            assert "ตารางนี้คือการจัดกลุ่มปัจจุบัน ใช้กับแคมเปญ 2570 และแคมเปญที่จะกำหนด" in page
            kept = client.get("/console/districts.csv?campaign=2569")
            assert kept.status_code == 200
            assert "3706,small" in kept.text
            assert "campaign-2569" in kept.headers["content-disposition"]
            assert "3706,large" in client.get("/console/districts.csv").text
            assert client.get("/console/districts.csv?campaign=abc").status_code == 422
        assert group_of(store, "3706", 2569) == "small"
        assert group_of(store, "3706", 2570) == "large"


def test_the_console_refuses_a_load_for_a_campaign_announced_since_its_check(collector_db):
    with serve_collector(collector_db, START) as running:
        store = running.store
        store.clock = FakeClock(utc(2026, 11, 20, 3))
        campaigns.add(store, C2569)
        make_operator(store, "officer", "officer")
        with httpx.Client(base_url=running.url, timeout=60) as client:
            log_in(client, name="officer")
            page = client.get("/console/districts?lang=th").text
            assert '<option value="2569" selected>แคมเปญ 2569' in page  # running
            with store.reading() as conn:
                state = groups.preview(conn, []).state

            def decide(conn):
                ranking = results.rank_conn(conn, METHOD, 2569)
                return Decided(METHOD.to_json(), ranking.awards_json()["small"], 0)

            announce(store, "small", "somchai", decide, "console", 2569)
            form = {"csrf": csrf_of(page), "name": "g.csv", "rows": "3706,large", "state": state}
            refused = client.post(
                "/console/districts/load?lang=th", data=form | {"applies_from": "2569"}
            )
            assert refused.status_code == 422  # 2569 is no longer a choice
            assert "มีการประกาศผลรางวัลของแคมเปญนั้น" in refused.text
            page = client.get("/console/districts?lang=th").text
            assert '<option value="2569"' not in page
            assert "แคมเปญ 2569 และแคมเปญก่อนหน้าประกาศผลรางวัลแล้ว" in page
        with pytest.raises(StoreError) as no:
            store.load_districts([("3706", "large")], applies_from=2569)
        assert no.value.code == "groups_announced"
        assert group_of(store, "3706", 2569) == "small"
