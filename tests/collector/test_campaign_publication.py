"""Publishing and recounting a campaign: two campaigns a year apart, each published on its own,
each recount counting exactly the seqs its manifest names and agreeing with the database."""

import json
from datetime import timedelta

import pytest

from collector import results
from collector.cli import main
from collector.keys import load_collector_key
from collector.manifest import manifest_awards
from collector.ranking import RankingMethod
from collector.recount import recount
from collector.store import CollectorStore, campaigns
from tests.collector.campaign_data import C2569, C2570, utc
from tests.collector.publications import manifest_of, resign
from tests.fakes import FakeClock
from tests.kiosks import enroll, ingest
from wire.batch import build_batch
from wire.clock import format_utc
from wire.vote import Ballot


def cast(store, kiosk, when, ratings, received, source="usb", ahead=timedelta(0)):
    """Cast ratings at when (the kiosk's clock, ahead of the true time by ahead); its pending
    votes are sent (the batch made by the kiosk's clock) and arrive at received."""
    kiosk.ledger.clock.set_wall(when)
    kiosk.ledger.cast_many([Ballot(kiosk.district, r) for r in ratings])
    store.clock.set_wall(received)
    stored = kiosk.ledger.pending(limit=1000)
    data = build_batch(
        kiosk.key.private_key, [s.body for s in stored], [s.hash for s in stored],
        format_utc(received + ahead),
    )  # fmt: skip
    assert ingest(store, data, source=source).new == len(ratings)


@pytest.fixture
def two_years(tmp_path, make_kiosk):
    """A collector holding two campaigns' votes, a late USB stick and a clock a year ahead."""
    db = tmp_path / "central" / "collector.sqlite3"
    db.parent.mkdir()
    load_collector_key(db)
    with CollectorStore(db, FakeClock(utc(2026, 10, 20, 3))) as store:
        store.load_districts([("3706", "small"), ("3701", "small"), ("4408", "medium")])
        results.save_method(store, RankingMethod(5, 3))
        campaigns.add(store, C2569)
        campaigns.add(store, C2570)
        a, b, c = make_kiosk("a", "3706"), make_kiosk("b", "3701"), make_kiosk("c", "4408")
        for k in (a, b, c):
            enroll(store, k)
        cast(store, a, utc(2026, 11, 10, 3), [4] * 5, utc(2026, 11, 10, 4), "http")
        cast(store, b, utc(2026, 11, 10, 3), [3] * 5, utc(2026, 11, 10, 4), "http")
        cast(store, c, utc(2026, 11, 12, 3), [5, 4, 4, 5], utc(2026, 11, 12, 4), "http")
        cast(store, b, utc(2026, 11, 30, 16, 58), [5] * 20, utc(2027, 1, 12, 3))  # late USB
        cast(store, a, utc(2027, 11, 10, 3), [5] * 6, utc(2027, 11, 10, 4), "http")
        cast(store, b, utc(2027, 11, 10, 3), [1] * 6, utc(2027, 11, 10, 4), "http")
        # Kiosk c's clock runs a year ahead: 2028-11-15 by its clock is 2027-11-15.
        year = utc(2028, 11, 15) - utc(2027, 11, 15)
        cast(store, c, utc(2028, 11, 15, 3), [1, 2, 1], utc(2027, 11, 15, 3, 5), "http", year)
        store.clock.set_wall(utc(2027, 12, 5))
        kiosks = {name: k.key.kiosk_id for name, k in (("a", a), ("b", b), ("c", c))}
    return db, kiosks


def run(capsys, *args):
    code = main([*args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("year", [2569, 2570])
def test_each_campaign_recounts_from_its_publication_as_the_database_ranks_it(
    two_years, capsys, tmp_path, year
):
    db, kiosks = two_years
    folder = tmp_path / f"publication-{year}"
    code, out, err = run(capsys, "publish", "--db", str(db), "--to", str(folder), "--campaign",
                         str(year))  # fmt: skip
    assert code == 0, err
    assert f"Campaign {year}" in out
    code, out, err = run(capsys, "awards", "--db", str(db), "--json", "--campaign", str(year))
    assert code == 0, err
    from_database = json.loads(out)
    code, out, err = run(capsys, "recount", "--json", str(folder))
    assert code == 0, err
    assert json.loads(out) == {g: from_database[g] for g in ("small", "medium", "large")}
    assert from_database["announced"] == {}  # no group announced: the awards are the live ranking
    assert from_database["live"] == json.loads(out)
    manifest = manifest_of(folder)
    assert manifest["version"] == 4
    assert manifest["campaign"]["year"] == year
    runs = {
        2569: {kiosks["a"]: [[1, 5]], kiosks["b"]: [[1, 25]], kiosks["c"]: [[1, 4]]},
        2570: {kiosks["a"]: [[6, 11]], kiosks["b"]: [[26, 31]], kiosks["c"]: [[5, 7]]},
    }
    assert manifest["seqs"] == runs[year]
    assert manifest["announced"] == {}
    assert manifest["counted"]["votes"] == sum(b - a + 1 for [[a, b]] in runs[year].values())
    result = recount([folder])
    assert result.ok
    assert result.outside_campaign == 49 - manifest["counted"]["votes"]
    code, out, _ = run(capsys, "recount", str(folder))
    assert f"Campaign {year}" in out
    assert "counted exactly the seqs the manifest names for 3 kiosks" in out


def test_the_two_campaigns_rank_differently(two_years, capsys):
    db, _ = two_years
    small = {}
    for year in (2569, 2570):
        code, out, _ = run(capsys, "awards", "--db", str(db), "--json", "--campaign", str(year))
        assert code == 0
        small[year] = [a["code"] for a in json.loads(out)["small"]]
    assert small == {2569: ["3701", "3706"], 2570: ["3706", "3701"]}


def test_a_campaign_run_stretched_by_the_collector_does_not_verify(two_years, capsys, tmp_path):
    db, kiosks = two_years
    folder = tmp_path / "publication"
    assert (
        run(capsys, "publish", "--db", str(db), "--to", str(folder), "--campaign", "2569")[0] == 0
    )

    def stretch(m):  # claim one more vote of kiosk a for 2569 than was placed in it
        m["seqs"][kiosks["a"]] = [[1, 6]]

    resign(folder, db, stretch)
    result = recount([folder])
    assert not result.ok
    assert [p.code for p in result.problems] == ["count_differs"]


def test_publishing_every_vote_names_no_campaign(two_years, capsys, tmp_path):
    db, _ = two_years
    folder = tmp_path / "publication"
    code, _out, err = run(capsys, "publish", "--db", str(db), "--to", str(folder), "--campaign",
                         "all")  # fmt: skip
    assert code == 0, err
    assert manifest_of(folder)["campaign"] is None
    assert manifest_of(folder)["counted"]["votes"] == 49
    assert recount([folder]).ok
    code, _, err = run(capsys, "publish", "--db", str(db), "--to", str(tmp_path / "x"),
                       "--campaign", "2571")  # fmt: skip
    assert code == 2
    assert "There is no campaign 2571 (campaigns: 2570, 2569)" in err


def test_a_version_3_publication_of_a_campaign_is_still_recounted(two_years, capsys, tmp_path):
    db, _ = two_years
    folder = tmp_path / "publication"
    assert (
        run(capsys, "publish", "--db", str(db), "--to", str(folder), "--campaign", "2569")[0] == 0
    )
    awards = manifest_of(folder)["awards"]

    def as_version_3(m):  # one [first, last] per kiosk, inside the campaign; no announcements
        m["version"] = 3
        m["campaign"]["seqs"] = {kiosk: runs[0] for kiosk, runs in m.pop("seqs").items()}
        del m["announced"]

    resign(folder, db, as_version_3)
    result = recount([folder])
    assert result.ok, result.problems
    assert result.counted == 34
    assert result.ranking is not None
    assert manifest_awards(result.ranking) == awards
