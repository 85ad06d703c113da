"""An announced group's awards stay what was announced in every later publication, and recount.

The small group of campaign 2569 is announced on 2 December; the next day a USB stick brings
votes of the period that had not arrived: a gap in one kiosk's chain, and a whole kiosk. They
change the live ranking of the small group (and the national mean, so the medium group's
scores), but a publication made after them still names the announced awards with the votes they
were decided on, and both recounts (the reference and the one written from the document)
verify it.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command

from collector import results
from collector.cli import main
from collector.i18n import Translator
from collector.keys import load_collector_key
from collector.manifest import manifest_awards
from collector.ranking import RankingMethod, Tally, rank
from collector.recount import recount
from collector.store import CollectorStore, campaigns
from collector.store.announcements import (
    Decided,
    MethodDiffersError,
    announce,
    announcements,
)
from collector.store.audit import AuditFilter
from collector.store.connection import _alembic_config
from collector.store.records import StoreError
from collector.store.runs import announced_runs
from tests.collector.campaign_data import C2569, utc
from tests.collector.publications import manifest_of, resign
from tests.collector.spec_recount import VERIFIERS, RefusedError, spec_recount
from tests.fakes import FakeClock
from tests.kiosks import Kiosk, enroll, ingest
from wire.batch import build_batch
from wire.clock import format_utc
from wire.vote import Ballot

METHOD = RankingMethod(5, 3)


def cast(kiosk: Kiosk, when: datetime, ratings: list[int]) -> None:
    """Cast ratings on the kiosk at when (its clock is right)."""
    kiosk.ledger.clock.set_wall(when)
    kiosk.ledger.cast_many([Ballot(kiosk.district, r) for r in ratings])


def send(store: CollectorStore, kiosk: Kiosk, seqs: range, received: datetime, how: str) -> None:
    """The kiosk's votes seqs, in one batch, arrive at received."""
    stored = [s for s in kiosk.ledger.pending(limit=1000) if s.seq in seqs]
    store.clock.set_wall(received)
    data = build_batch(
        kiosk.key.private_key, [s.body for s in stored], [s.hash for s in stored],
        format_utc(received),
    )  # fmt: skip
    assert ingest(store, data, source=how).new == len(seqs)


def announce_small(store: CollectorStore) -> None:
    """Announce campaign 2569's small group as the console does: the ranking held now."""

    def decide(conn: Any) -> Decided:
        ranking = results.rank_conn(conn, METHOD, 2569)
        return Decided(METHOD.to_json(), ranking.awards_json()["small"], ranking.total_votes)

    announce(store, "small", "somchai", decide, "console", 2569)


@pytest.fixture
def late(tmp_path, make_kiosk):
    """Campaign 2569 with its small group announced, then late votes of its period."""
    db = tmp_path / "central" / "collector.sqlite3"
    db.parent.mkdir()
    load_collector_key(db)
    with CollectorStore(db, FakeClock(utc(2026, 10, 20, 3))) as store:
        store.load_districts([("3706", "small"), ("3701", "small"), ("4408", "medium")])
        results.save_method(store, METHOD)
        campaigns.add(store, C2569)
        a, b, c = make_kiosk("a", "3706"), make_kiosk("b", "3701"), make_kiosk("c", "4408")
        e = make_kiosk("e", "3706")  # a second kiosk of 3706, whose votes all come late
        for k in (a, b, c, e):
            enroll(store, k)
        cast(a, utc(2026, 11, 10, 3), [4] * 5)
        cast(b, utc(2026, 11, 10, 3), [3] * 5)
        cast(c, utc(2026, 11, 12, 3), [5, 4, 4, 5])
        cast(b, utc(2026, 11, 28, 3), [5] * 5)
        cast(e, utc(2026, 11, 20, 3), [1] * 6)
        send(store, a, range(1, 6), utc(2026, 11, 10, 4), "http")
        send(store, b, range(1, 6), utc(2026, 11, 10, 4), "http")
        send(store, c, range(1, 5), utc(2026, 11, 12, 4), "http")
        send(store, b, range(9, 11), utc(2026, 11, 28, 4), "http")  # 6-8 lost on the way
        store.clock.set_wall(utc(2026, 12, 2, 3))
        announce_small(store)
        send(store, b, range(6, 9), utc(2026, 12, 3, 3), "usb")  # the gap, filled late
        send(store, e, range(1, 7), utc(2026, 12, 3, 3), "usb")  # a whole kiosk, late
        store.clock.set_wall(utc(2026, 12, 4, 3))
        kiosks = {name: k.key.kiosk_id for name, k in zip("abce", (a, b, c, e), strict=True)}
    return db, kiosks


def publish_2569(db: Path, folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Publish campaign 2569 with the command; return what it printed."""
    code = main(["publish", "--db", str(db), "--to", str(folder), "--campaign", "2569"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_a_publication_after_late_votes_recounts_to_the_announced_awards(late, tmp_path, capsys):
    db, kiosks = late
    with CollectorStore(db) as store:
        announced = announcements(store, 2569)["small"]
        live = results.ranking(store, METHOD, 2569)
    assert [a["code"] for a in announced.awards] == ["3706", "3701"]
    assert [r.code for r in live.groups["small"]] == ["3701", "3706"]  # the late votes turned it
    assert announced.votes == 16
    folder = tmp_path / "publication"
    publish_2569(db, folder, capsys)
    manifest = manifest_of(folder)
    assert manifest["version"] == 4
    assert manifest["counted"] == {"votes": 25, "kiosks": 4}
    a, b, c, e = (kiosks[n] for n in "abce")
    assert manifest["seqs"] == {a: [[1, 5]], b: [[1, 10]], c: [[1, 4]], e: [[1, 6]]}
    assert manifest["announced"] == {
        "small": {
            "at": "2026-12-02T03:00:00.000Z",
            "seqs": {a: [[1, 5]], b: [[1, 5], [9, 10]], c: [[1, 4]]},
        }
    }
    assert [x["code"] for x in manifest["awards"]["small"]] == ["3706", "3701"]
    assert manifest["awards"]["medium"] == manifest_awards(live)["medium"]  # not announced: now
    result = recount([folder], collector_key=load_collector_key(db).public_key_raw.hex())
    assert result.ok, result.problems
    assert result.ranking is not None
    assert manifest_awards(result.ranking) == manifest["awards"]
    for library in VERIFIERS:
        spec = spec_recount(folder, load_collector_key(db).public_key_raw.hex(), library)
        assert (spec.counted, spec.kiosks, spec.awards) == (25, 4, manifest["awards"])
    assert main(["recount", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "The small group's awards were announced at 2026-12-02T03:00:00.000Z" in out
    assert "ranked from the 16 votes counted then" in out
    # The ranking and the count come below this line (the trial's "counted above" was not so).
    assert (
        "votes that arrived later are in the counts below, but the group's places below are" in out
    )
    assert out.index("were announced at") < out.index("votes counted from") < out.index("SMALL:")
    # The Thai lines say the period and the times as the console does (Thai time, Buddhist
    # era); the English ones keep the manifest's ISO UTC.
    assert main(["--language", "th", "recount", str(folder)]) == 0
    thai = capsys.readouterr().out.splitlines()
    iso = [line for line in thai if re.search(r"\d{4}-\d{2}-\d{2}T", line)]
    assert iso == []
    assert any(
        line.startswith("แคมเปญปี 2569 ประเมินอำเภอ ๒๕๖๙ วันที่ 1 พ.ย. 2569 – 30 พ.ย. 2569"
                        " ตามเวลาประเทศไทย (นับรวมทั้งสองวัน): ")
        for line in thai
    ), thai  # fmt: skip
    assert any(
        line.startswith("ผลรางวัลกลุ่มอำเภอขนาดเล็กประกาศแล้วเมื่อ 2 ธ.ค. 2569 10:00 น."
                        " ตามเวลาประเทศไทย:")
        and "ผลการประเมินที่มาถึงภายหลังนับรวมอยู่ในจำนวนด้านล่าง" in line
        for line in thai
    ), thai  # fmt: skip
    published = manifest["published_at"]
    when = Translator("th").when(published)  # as the console says it: 6 ธ.ค. 2569 09:30
    assert any(line.startswith(f"ไฟล์กำกับเผยแพร่เมื่อ {when} น. ตามเวลาประเทศไทย ") for line in thai)
    assert f"Manifest published {published}" in out
    assert "from 2026-10-31T17:00:00.000Z to 2026-11-30T17:00:00.000Z UTC" in out
    assert main(["recount", "--json", str(folder)]) == 0
    machine = capsys.readouterr().out  # in no language, as it always was
    assert json.loads(machine) == json.loads(json.dumps(result.ranking.awards_json()))
    assert not any("\u0e00" <= ch <= "\u0e7f" for ch in machine)


def test_the_awards_command_says_which_groups_are_announced(late, capsys):
    db, _ = late
    assert main(["awards", "--db", str(db), "--campaign", "2569"]) == 0
    out = capsys.readouterr().out
    assert (
        "The small group was announced at 2026-12-02T03:00:00.000Z by somchai (winner 3706,"
        " from 16 votes): that award is final" in out
    )
    assert "The medium group was announced" not in out
    assert main(["--language", "th", "awards", "--db", str(db), "--campaign", "2569"]) == 0
    thai = capsys.readouterr().out  # Thai time, Buddhist era, as the console says it
    assert (
        "ผลรางวัลกลุ่มอำเภอขนาดเล็กประกาศแล้วเมื่อ 2 ธ.ค. 2569 10:00 น. ตามเวลาประเทศไทย โดย somchai"
        in thai
    )
    assert "ตั้งแต่วันที่ 1 พ.ย. 2569 ถึงวันที่ 30 พ.ย. 2569" in thai
    assert not re.search(r"\d{4}-\d{2}-\d{2}", thai)


def test_the_awards_json_gives_the_announced_award_the_recount_finds_and_the_live_one_apart(
    late, tmp_path, capsys
):
    """A script compares `awards --json` with `recount --json` of a publication made after the
    late votes: the groups' awards agree (the announced places for the announced group), and
    the live ranking, which the late votes turned, is under "live", named as such."""
    db, _ = late
    assert main(["awards", "--db", str(db), "--json", "--campaign", "2569"]) == 0
    awarded = json.loads(capsys.readouterr().out)
    folder = tmp_path / "publication"
    publish_2569(db, folder, capsys)
    assert main(["recount", "--json", str(folder)]) == 0
    recounted = json.loads(capsys.readouterr().out)
    assert {g: awarded[g] for g in ("small", "medium", "large")} == recounted
    assert [a["code"] for a in awarded["small"]] == ["3706", "3701"]  # as announced
    assert [a["code"] for a in awarded["live"]["small"]] == ["3701", "3706"]  # the votes now
    assert awarded["live"]["medium"] == awarded["medium"]  # not announced: the ranking now
    assert awarded["announced"] == {
        "small": {
            "at": "2026-12-02T03:00:00.000Z",
            "operator": "somchai",
            "method": {"min_votes": 3, "prior_weight": 5},
            "votes": 12,  # the small group's votes the announcement was decided on
            "votes_since": 9,  # the gap filled (3) and the late kiosk (6)
        }
    }


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda m, k: m["announced"]["small"]["seqs"].update({k["b"]: [[1, 10]]}),
                     id="the late votes claimed as announced"),
        pytest.param(lambda m, k: m["announced"]["small"]["seqs"].pop(k["c"]),
                     id="another group's kiosk left out of the mean"),
        pytest.param(lambda m, k: m["announced"].pop("small"),
                     id="the announcement hidden"),
        pytest.param(lambda m, k: m["announced"]["small"]["seqs"].update({k["e"]: [[1, 7]]}),
                     id="votes named that are not counted"),
    ],
)  # fmt: skip
def test_announced_votes_changed_by_the_collector_do_not_verify(late, tmp_path, capsys, change):
    db, kiosks = late
    folder = tmp_path / "publication"
    publish_2569(db, folder, capsys)
    resign(folder, db, lambda m: change(m, kiosks))
    key = load_collector_key(db).public_key_raw.hex()
    assert not recount([folder], collector_key=key).ok
    for library in VERIFIERS:
        with pytest.raises(RefusedError):
            spec_recount(folder, key, library)


def small_awards_of(db: Path, runs: dict[str, list[list[int]]]) -> list[dict[str, Any]]:
    """The small group's awards ranked from exactly the votes runs name (as 7.4 step 8)."""
    with CollectorStore(db) as store, store.reading() as conn:
        groups = dict(conn.execute(sa.text("SELECT code, size_group FROM districts")).all())
        votes = conn.execute(sa.text("SELECT kiosk, seq, district, rating FROM votes")).all()
    tallies = {code: Tally(code, group) for code, group in groups.items()}
    for kiosk, seq, district, rating in votes:
        if any(a <= seq <= b for a, b in runs.get(kiosk, ())):
            tallies[district].add(rating)
    return manifest_awards(rank(tallies.values(), METHOD))["small"]


def test_votes_picked_for_an_announcement_do_not_verify_even_with_matching_awards(
    late, tmp_path, capsys
):
    db, kiosks = late
    folder = tmp_path / "publication"
    publish_2569(db, folder, capsys)
    a, b, c = (kiosks[n] for n in "abc")
    picked = {a: [[1, 3]], b: [[5, 5], [9, 10]], c: [[1, 4]]}  # two of a's fours left out
    assert [x["code"] for x in small_awards_of(db, picked)] == ["3701", "3706"]

    def pick(m: dict[str, Any]) -> None:
        m["announced"]["small"]["seqs"] = picked
        m["awards"]["small"] = small_awards_of(db, picked)

    resign(folder, db, pick)
    key = load_collector_key(db).public_key_raw.hex()
    result = recount([folder], collector_key=key)
    assert not result.ok
    assert [p.code for p in result.problems] == ["announced_votes_picked"]
    assert "announced on 10 votes, but the first 4 batches brought 16" in str(result.problems[0])
    assert result.agrees is None
    assert result.ranking is None
    for library in VERIFIERS:
        with pytest.raises(RefusedError, match="is not what the first 4 batches brought"):
            spec_recount(folder, key, library)


def test_a_campaign_announced_is_published_by_its_method_after_the_method_changes(
    late, tmp_path, capsys
):
    db, _ = late
    with CollectorStore(db) as store:
        results.save_method(store, RankingMethod(5, 4))  # next year's method
    folder = tmp_path / "publication"
    out = publish_2569(db, folder, capsys)
    assert (
        "announced with (C = 5, minimum 3 votes), not by the one saved now (C = 5, minimum 4" in out
    )
    manifest = manifest_of(folder)
    assert manifest["ranking"] == METHOD.to_json()
    assert [x["code"] for x in manifest["awards"]["small"]] == ["3706", "3701"]
    result = recount([folder], collector_key=load_collector_key(db).public_key_raw.hex())
    assert result.ok, result.problems
    with CollectorStore(db) as store:
        (row,) = store.audit_rows(1, AuditFilter(kind="published"))
    assert "method {'prior_weight': 5, 'min_votes': 3}" in row["detail"]


def test_a_campaigns_groups_are_announced_by_one_method(late):
    db, _ = late
    with CollectorStore(db) as store:
        other = RankingMethod(5, 4)

        def decide(conn: Any) -> Decided:
            ranking = results.rank_conn(conn, other, 2569)
            return Decided(other.to_json(), ranking.awards_json()["medium"], ranking.total_votes)

        with pytest.raises(MethodDiffersError, match="small group of the same campaign"):
            announce(store, "medium", "somchai", decide, "console", 2569)
        assert set(announcements(store, 2569)) == {"small"}


def test_publishing_a_campaign_announced_by_two_methods_is_refused(late, tmp_path, capsys):
    db, _ = late
    with CollectorStore(db) as store, store.transaction() as conn:  # as before one method
        conn.execute(
            sa.text(
                "INSERT INTO campaign_announcements (size_group, announced_at, operator, method,"
                " awards, votes, campaign) VALUES ('medium', '2026-12-02T04:00:00.000Z', 'x',"
                " '{\"min_votes\": 4, \"prior_weight\": 5}', '[]', 0, 2569)"
            )
        )
    folder = tmp_path / "publication"
    code = main(["publish", "--db", str(db), "--to", str(folder), "--campaign", "2569"])
    err = capsys.readouterr().err
    assert code == 2
    assert "but another group of the same campaign was announced with" in err
    assert not folder.exists()


def test_a_new_classification_leaves_the_announced_campaign_as_it_was(late, tmp_path, capsys):
    db, _ = late
    with CollectorStore(db) as store:
        before = results.ranking(store, METHOD, 2569)
        with pytest.raises(StoreError, match="the awards of campaign 2569 are announced") as no:
            store.load_districts([("3701", "medium")], applies_from=2569)
        assert no.value.code == "groups_announced"
        done = store.load_districts([("3701", "medium")])  # the runner-up of small to medium
        assert (done.scope.applies_from, done.scope.keeping) == (2570, (2569,))
        assert results.ranking(store, METHOD, 2569) == before
        every = results.ranking(store, METHOD)  # of every vote: the current groups
        assert "3701" in {r.code for r in every.groups["medium"]}
    folder = tmp_path / "publication"
    publish_2569(db, folder, capsys)
    assert "3701,small" in (folder / "districts.csv").read_text()
    assert manifest_of(folder)["districts"]["3701"] == "small"
    result = recount([folder], collector_key=load_collector_key(db).public_key_raw.hex())
    assert result.ok, result.problems


def test_publishing_after_the_campaigns_groups_changed_behind_the_collector_is_refused(
    late, tmp_path, capsys
):
    db, _ = late
    with CollectorStore(db) as store:
        store.load_districts([("3701", "medium")])  # 2569 keeps its groups
        with store.transaction() as conn:  # and then someone edits them in the database
            conn.execute(
                sa.text(
                    "UPDATE campaign_groups SET size_group = 'medium'"
                    " WHERE campaign = 2569 AND district = '3701'"
                )
            )
    folder = tmp_path / "publication"
    code = main(["publish", "--db", str(db), "--to", str(folder), "--campaign", "2569"])
    err = capsys.readouterr().err
    assert code == 2
    assert "small group's announced awards do not follow from the 16 votes kept" in err
    assert "was a district's size group changed since?" in err
    assert not folder.exists()


def test_the_announced_votes_and_usb_counts_are_kept_and_survive_the_migrations(late):
    db, kiosks = late
    a, b, c = (kiosks[n] for n in "abc")
    kept = {"small": {a: [(1, 5)], b: [(1, 5), (9, 10)], c: [(1, 4)]}}
    with CollectorStore(db) as store, store.reading() as conn:
        assert announced_runs(conn, 2569) == kept
        assert results.overview(conn, results.tallies(conn, 2569), C2569).by_source == {
            "http": 16, "usb": 9,
        }  # fmt: skip
    # A database announced before the runs were kept: 0005 gives each announcement the votes
    # that had arrived by its time, which here are exactly the ones it counted.
    config = _alembic_config()
    with CollectorStore(db) as store, store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0004")
        command.upgrade(config, "head")
    with CollectorStore(db) as store, store.reading() as conn:
        assert announced_runs(conn, 2569) == kept
        # and 0006 counts again how many of the campaign's votes came by USB
        assert results.overview(conn, results.tallies(conn, 2569), C2569).by_source == {
            "http": 16, "usb": 9,
        }  # fmt: skip


def test_the_store_refuses_an_announcement_whose_count_is_not_the_votes_held(store):
    def decide(conn: Any) -> Decided:
        return Decided(METHOD.to_json(), [], 5)  # no vote is held

    with pytest.raises(StoreError, match="the ranking counted 5 votes but 0 are held") as refused:
        announce(store, "small", "somchai", decide)
    assert refused.value.code == "announce_mismatch"
    assert announcements(store) == {}
    assert [r["kind"] for r in store.audit_rows(10)] == ["districts"]  # the fixture's load only


def test_an_ingest_holding_its_kiosk_leaves_an_announcement_free_to_keep_its_runs(
    pg_url, make_kiosk
):
    """The row lock an ingest takes on its kiosk does not block the foreign-key check of the
    announcement keeping that kiosk's runs: the two cannot deadlock (PostgreSQL)."""
    with CollectorStore(pg_url, FakeClock()) as store:
        store.load_districts([("3706", "small")])
        k = make_kiosk("a", "3706")
        enroll(store, k)
        with store.engine.connect() as ingest_side, store.engine.connect() as announce_side:
            ingest_side.begin()
            ingest_side.execute(  # as the ingest locks its kiosk before storing
                sa.text("SELECT votes FROM kiosks WHERE kiosk = :k" + store._for_update()),
                {"k": k.key.kiosk_id},
            )
            announce_side.begin()
            announce_side.execute(sa.text("SET LOCAL lock_timeout = '5s'"))
            announce_side.execute(
                sa.text(
                    "INSERT INTO announced_seqs (campaign, size_group, kiosk, first_seq,"
                    " last_seq) VALUES (0, 'small', :k, 1, 1)"
                ),
                {"k": k.key.kiosk_id},
            )  # with FOR UPDATE this waited for the ingest, which waited for the announcement
            announce_side.rollback()
            ingest_side.rollback()


def test_the_awards_command_ranks_an_announced_campaign_by_its_method(late, capsys):
    db, _ = late
    with CollectorStore(db) as store:
        results.save_method(store, RankingMethod(5, 4))  # next year's method
    assert main(["awards", "--db", str(db), "--campaign", "2569", "--language", "en"]) == 0
    out = capsys.readouterr().out
    assert "ranked by the method its awards were announced with" in out
    assert "'min_votes': 3" in out or '"min_votes": 3' in out
