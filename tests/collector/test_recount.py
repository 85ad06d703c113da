"""publish and recount: the awards recomputed from published batch files alone agree with the
collector's, and any change to the published data is refused with its reason."""

import gc
import json
import os
import subprocess
import sys

import pytest

from collector import recount_files
from collector.cli import main
from collector.keys import load_collector_key
from collector.manifest import MANIFEST_NAME
from collector.recount import recount
from collector.store import CollectorStore
from collector.store.audit import AuditFilter
from tests.collector.publications import awards, published, republish, requarantine
from tests.identity_r import with_identity_r_vote
from wire import keys
from wire.batch import check_batch


def test_publish_then_recount_agrees_with_the_awards(campaign, cli, tmp_path, db):
    expected = awards(cli)
    folder = published(cli, tmp_path)
    assert "Published 4 batch files holding the 28 counted votes of 3 kiosks" in cli.out
    assert sorted(p.name[:6] for p in (folder / "batches").iterdir()) == [
        "000001",
        "000002",
        "000003",
        "000004",
    ]
    assert cli("recount", "--json", folder, db=False) == 0, cli.err
    assert json.loads(cli.out) == expected
    assert {e["code"] for e in expected["small"]} == {"3706", "3701"}
    assert cli("recount", folder, db=False) == 0
    assert "AGREES" in cli.out
    assert "28 votes counted from 3 kiosks (4 repeated copies counted once" in cli.out
    assert "\nผลการนับซ้ำตรงกับผลรางวัลที่ระบบกลางเผยแพร่ (AGREES)\n" in cli.out  # Thai first
    assert "นับผลการประเมิน 28 รายการ จากตู้ประเมิน 3 เครื่อง (สำเนาซ้ำ 4 รายการนับเพียงครั้งเดียว" in cli.out
    with CollectorStore(db) as store:  # publishing is an operator's action: in the audit
        (row,) = store.audit_rows(5, AuditFilter(kind="published"))
    assert (row["source"], row["reason"]) == ("cli", folder.name)
    assert "4 batch files holding 28 counted votes of 3 kiosks" in row["detail"]


@pytest.mark.parametrize("running", [True, False])
def test_the_recount_leaves_the_garbage_collector_as_it_found_it(campaign, cli, tmp_path, running):
    # The recount pauses Python's collector while it works (its objects hold no cycles); a
    # program that calls it must get its collector back as it was, agreeing or refusing.
    folder = published(cli, tmp_path)
    was = gc.isenabled()
    (gc.enable if running else gc.disable)()
    try:
        assert recount([folder]).agrees is True
        assert gc.isenabled() is running
        assert not recount([tmp_path / "nothing-here"]).ok
        assert gc.isenabled() is running
    finally:
        (gc.enable if was else gc.disable)()


def test_the_recount_opens_no_database(campaign, cli, tmp_path):

    folder = published(cli, tmp_path)
    nowhere = tmp_path / "no-such-folder" / "collector.sqlite3"
    assert main(["recount", str(folder), "--db", str(nowhere)]) == 0
    assert not nowhere.parent.exists()


def test_a_changed_vote_in_a_published_file_is_refused_with_its_reason(campaign, cli, tmp_path):
    folder = published(cli, tmp_path)
    victim = sorted((folder / "batches").iterdir())[0]
    data = victim.read_bytes()
    at = data.index(b'"rating":') + len(b'"rating":')
    victim.write_bytes(data[:at] + (b"1" if data[at : at + 1] != b"1" else b"5") + data[at + 1 :])
    assert cli("recount", "--json", folder, db=False) == 1
    assert cli.out == ""  # no awards from data that does not verify
    assert f"{victim}: refused: bad signature at seq" in cli.err
    assert "NOT VERIFIED" in cli.err


def test_a_changed_manifest_is_refused(campaign, cli, tmp_path):
    folder = published(cli, tmp_path)
    manifest = folder / MANIFEST_NAME
    manifest.write_bytes(manifest.read_bytes().replace(b'"3701":"small"', b'"3701":"medium"'))
    assert cli("recount", folder, db=False) == 1
    assert "the manifest's signature is not valid" in cli.err


def test_a_missing_file_and_a_file_from_elsewhere_are_named(campaign, cli, tmp_path, make_kiosk):
    folder = published(cli, tmp_path)
    gone = sorted((folder / "batches").iterdir())[1]
    gone.unlink()
    stranger = make_kiosk("stranger", "3706")
    stranger.cast(3)
    (folder / "batches" / "extra.batch.json").write_bytes(stranger.batch())
    assert cli("recount", folder, db=False) == 1
    assert f"the published batch batches/{gone.name} was not given" in cli.err
    assert "extra.batch.json: the file is not one of the publication's batches" in cli.err


def test_the_manifest_must_be_signed_by_the_announced_key(campaign, cli, db, tmp_path):
    folder = published(cli, tmp_path)
    other = keys.load_or_create(tmp_path / "other").public_key_raw.hex()
    assert cli("recount", folder, "--collector-key", other, db=False) == 1
    assert f"not by the pinned key {other}" in cli.err
    real = load_collector_key(db).public_key_raw.hex()
    assert cli("recount", folder, "--collector-key", real, db=False) == 0
    assert "the key given with --collector-key" in cli.out
    assert cli("recount", folder, "--collector-key", "XYZ", db=False) == 2
    # As copied from a letter or a PDF: in capitals, broken over lines.
    typed = real.upper()[:32] + "\n" + real.upper()[32:]
    assert cli("recount", folder, "--collector-key", typed, db=False) == 0, cli.err


def test_a_fingerprint_for_the_key_is_refused_by_name_once_in_each_language(
    campaign, cli, db, tmp_path
):
    """An auditor given the key's short fingerprint (as on the enrollment sheets) is told
    that it is the fingerprint and where the whole key is, once in Thai and once in English,
    with no stray log line before them (an auditor's computer has no collector home)."""
    folder = published(cli, tmp_path)
    short = load_collector_key(db).fingerprint
    done = subprocess.run(
        [sys.executable, "-m", "collector", "recount", str(folder), "--collector-key", short],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "SANGSUK_COLLECTOR_DB": str(tmp_path / "nowhere" / "c.sqlite3")},
    )
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 2, done.stderr
    assert f"{short} คือรหัสย่อ (ลายนิ้วมือ) ของกุญแจ" in lines[0]
    assert f"{short} is the key short fingerprint, which cannot check a signature" in lines[1]
    assert "console publish page" in lines[1]


def test_a_fork_is_recounted_as_the_collector_decided(fork, cli, tmp_path):
    expected = awards(cli)
    folder = published(cli, tmp_path)
    assert "(3 quarantined votes listed)" in cli.out
    assert len(list((folder / "quarantine").iterdir())) == 3
    assert cli("recount", folder, db=False) == 0, cli.err
    assert "3 votes counted from 1 kiosk" in cli.out
    assert "3 quarantined votes not counted" in cli.out  # each proven by its signed bytes
    assert cli("recount", "--json", folder, db=False) == 0
    assert json.loads(cli.out) == expected


def test_a_quarantine_the_data_does_not_justify_is_caught(campaign, cli, db, tmp_path):
    """A dishonest collector hides a good vote in 'quarantine', publishes it, signs again."""
    folder = published(cli, tmp_path)
    first = sorted((folder / "batches").iterdir())[0]
    vote = json.loads(first.read_bytes())["votes"][4]
    assert recount([folder]).ok
    check = check_batch(first.read_bytes())
    entry = {"kiosk": vote["kiosk"], "seq": vote["seq"], "hash": check.hashes[4]}
    requarantine(folder, db, [dict(entry, reason="chain_fork")], {entry["hash"]: check.body(4)})
    assert cli("recount", folder, db=False) == 1
    assert f"vote {vote['seq']} is quarantined, but no published vote conflicts with it" in cli.err
    assert [p.code for p in recount([folder]).problems] == ["unjustified_quarantine"]


@pytest.fixture(params=["one process", "a process per core"])
def pool(request, monkeypatch):
    """The recount checks the files in this process, or in worker processes however few."""
    if request.param == "a process per core":
        if recount_files.cores() < 2:
            pytest.skip("one core: the recount never starts worker processes")
        monkeypatch.setattr(recount_files, "PARALLEL_MIN_BYTES", 0)
    return request.param


def test_the_recount_is_the_same_in_worker_processes(campaign, cli, tmp_path, pool):
    expected = awards(cli)
    folder = published(cli, tmp_path)
    assert cli("recount", "--json", folder, db=False) == 0, cli.err
    assert json.loads(cli.out) == expected
    result = recount([folder])
    assert (result.files, result.votes_read, result.counted, result.repeated) == (4, 32, 28, 4)


def test_problems_are_found_and_listed_alike_in_worker_processes(
    campaign, cli, tmp_path, monkeypatch
):
    folder = published(cli, tmp_path)
    first, _, third, _ = sorted((folder / "batches").iterdir())
    for victim in (first, third):
        victim.write_bytes(victim.read_bytes().replace(b'"rating":', b'"rating": ', 1))
    alone = recount([folder])
    if recount_files.cores() < 2:
        pytest.skip("one core: the recount never starts worker processes")
    monkeypatch.setattr(recount_files, "PARALLEL_MIN_BYTES", 0)
    pooled = recount([folder])
    assert [p.file for p in alone.problems] == [str(first), str(third)]
    assert pooled.problems == alone.problems
    assert (pooled.files, pooled.votes_read) == (alone.files, alone.votes_read)


def test_a_vote_signed_with_identity_r_is_refused(
    campaign, cli, db, tmp_path, pool, ed25519_backend
):
    """Kiosk a signs its last vote with R the identity: OpenSSL would count it; nobody may."""
    folder = published(cli, tmp_path)
    a = campaign["a"]
    (victim,) = (folder / "batches").glob(f"*-{a.key.kiosk_id[:8]}-*")
    republish(folder, db, victim, with_identity_r_vote(a.key.private_key, victim.read_bytes()))
    assert cli("recount", folder, db=False) == 1
    assert f"{victim}: refused: bad signature at seq 12" in cli.err
    assert "NOT VERIFIED" in cli.err
    result = recount([folder])
    assert [(p.code, p.file) for p in result.problems] == [("bad_signature", str(victim))]


def test_without_a_manifest_a_districts_table_is_needed(campaign, cli, tmp_path):
    folder = published(cli, tmp_path)
    batches = folder / "batches"
    assert cli("recount", batches, db=False) == 1
    assert "no size groups" in cli.err
    assert cli("recount", batches, "--districts", "demo", "--min-votes", "3", db=False) == 0
    assert "which key belongs to which district was not checked" in cli.out
    assert "28 votes counted from 3 kiosks" in cli.out


def test_another_method_is_recounted_but_not_compared(campaign, cli, tmp_path):
    folder = published(cli, tmp_path)
    assert cli("recount", folder, "--min-votes", "10", db=False) == 0
    assert "nothing to compare" in cli.out
    assert cli("recount", folder, "--min-votes", "10", "--json", db=False) == 0
    assert [e["code"] for e in json.loads(cli.out)["small"]] == ["3706"]  # 3701 has 9


def test_publish_needs_a_new_folder(campaign, cli, tmp_path):
    folder = tmp_path / "used"
    folder.mkdir()
    (folder / "notes.txt").write_text("x")
    assert cli("publish", "--to", folder) == 2
    assert "is not an empty folder" in cli.err
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_a_revoked_kiosks_votes_stay_counted_in_the_publication(campaign, cli, tmp_path):
    before = awards(cli)
    assert cli("revoke", campaign["a"].key.kiosk_id) == 0
    folder = published(cli, tmp_path)
    manifest = json.loads((folder / MANIFEST_NAME).read_bytes())
    assert manifest["kiosks"][campaign["a"].key.kiosk_id]["revoked"] is True
    assert cli("recount", "--json", folder, db=False) == 0
    assert json.loads(cli.out) == before


def test_awards_csv_and_save(campaign, cli, tmp_path):
    target = tmp_path / "awards.csv"
    assert cli("awards", "--csv", target) == 0
    text = target.read_bytes().decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("size_group,rank,code,name_th")
    small = [line.split(",") for line in lines if line.startswith("small,")]
    assert sorted(row[2] for row in small) == ["3701", "3706"]
    assert next(row for row in small if row[2] == "3706")[3] == "หัวตะพาน"
    assert cli("awards", "--min-votes", "10") == 0
    assert "What-if" in cli.out
    with CollectorStore(cli.db) as store:
        kinds = [r["kind"] for r in store.audit_rows()]
    assert kinds.count("settings") == 2  # the fixture's --save: both settings, audited


def test_awards_save_says_what_it_did(campaign, cli):
    assert cli("awards", "--save") == 0
    assert cli.out.startswith(  # in Thai, then in English
        "วิธีจัดอันดับ (C = 5 และต้องมีผลการประเมิน 3 รายการขึ้นไป) เป็นวิธีที่บันทึกไว้อยู่แล้ว"
        " ไม่มีการเปลี่ยนแปลงใด ๆ\n"
        "The ranking method (prior weight 5, at least 3 votes) was already the saved one:"
        " nothing changed.\n"
    )
    assert "MEDIUM: 1 district ranked, 0 below 3 votes" in cli.out  # not "1 districts"
    assert cli("awards", "--min-votes", "8", "--save", "--json") == 0
    assert json.loads(cli.out)["medium"] == []  # stdout stays JSON; what was done is on stderr
    assert cli.err.startswith("บันทึกวิธีจัดอันดับแล้ว (C = 5 และต้องมีผลการประเมิน 8 รายการขึ้นไป)")
    assert "\nSaved the ranking method (prior weight 5, at least 8 votes)" in cli.err
    assert cli("awards", "--min-votes", "1", "--save") == 0
    assert "at least 1 vote)" in cli.out
    assert "SMALL: 2 districts ranked, 0 below 1 vote\n" in cli.out
