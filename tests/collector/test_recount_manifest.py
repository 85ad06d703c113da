"""Every member of the manifest is checked, and every quarantine is proven (protocol 7).

Each tampered publication is made as a dishonest collector would make it: it changes one
thing, keeps every other file consistent with it (renames, renumbers) and signs the manifest
again with its own key, so that only the member under test is wrong. Both `recount` and the
second recount written from the document (tests/collector/spec_recount.py), with PyNaCl and
with `cryptography`, must refuse it; on a genuine publication both find the same counts and
awards.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from collector.cli.report import problem_words
from collector.keys import load_collector_key
from collector.manifest import MANIFEST_NAME, batch_file_name, manifest_awards
from collector.recount import recount
from tests.collector.publications import (
    manifest_of,
    published,
    quarantined_files,
    requarantine,
    resign,
)
from tests.collector.spec_recount import VERIFIERS, RefusedError, spec_recount
from wire import keys
from wire.batch import check_batch
from wire.vote import VOTE_DOMAIN, parse_vote

Change = Callable[[Path, dict[str, Any]], object]
THAI = re.compile("[\u0e00-\u0e7f]")


def _key(db: Path) -> str:
    return load_collector_key(db).public_key_raw.hex()


def both_agree(folder: Path, db: Path) -> None:
    """recount and the recount written from the document verify it alike."""
    result = recount([folder], collector_key=_key(db))
    assert result.ok, result.problems
    assert result.ranking is not None
    for library in VERIFIERS:
        spec = spec_recount(folder, _key(db), library)
        assert (spec.counted, spec.kiosks) == (result.counted, result.kiosks)
        assert spec.awards == manifest_awards(result.ranking) == manifest_of(folder)["awards"]


def both_refuse(folder: Path, db: Path, code: str, text: str) -> None:
    """recount refuses it for this reason, and so does the recount written from the document."""
    result = recount([folder], collector_key=_key(db))
    assert not result.ok
    assert any(p.code == code and text in str(p) for p in result.problems), result.problems
    for p in result.problems:  # and each is said in Thai by words of its own kind
        thai = problem_words(p).in_language("th")
        assert THAI.search(thai), (p, thai)
        assert "ตรวจสอบไม่ผ่าน (รายละเอียด:" not in thai, (p, thai)
    for library in VERIFIERS:
        with pytest.raises(RefusedError):
            spec_recount(folder, _key(db), library)


def _retitle(folder: Path, m: dict[str, Any], number: int, **changes: Any) -> None:
    """Change a batch entry and rename its file to match, so only the changed value is wrong."""
    entry = m["batches"][number - 1]
    old = folder / entry["file"]
    entry.update(changes)
    entry["file"] = batch_file_name(number, entry["kiosk"], entry["first_seq"], entry["last_seq"])
    old.rename(folder / entry["file"])


def _list_twice(folder: Path, m: dict[str, Any]) -> None:
    entry = dict(m["batches"][1])
    number = len(m["batches"]) + 1
    data = (folder / entry["file"]).read_bytes()
    entry["file"] = batch_file_name(number, entry["kiosk"], entry["first_seq"], entry["last_seq"])
    (folder / entry["file"]).write_bytes(data)
    m["batches"].append(entry)


def _first_kiosk(m: dict[str, Any]) -> dict[str, Any]:
    return m["kiosks"][m["batches"][0]["kiosk"]]  # kiosk a (3706), 12 votes


def _swap_keys(m: dict[str, Any]) -> None:
    a, b = (m["kiosks"][e["kiosk"]] for e in m["batches"][:2])
    a["public_key"], b["public_key"] = b["public_key"], a["public_key"]


# name: (change, code, words of the message)
CAMPAIGN_CASES: dict[str, tuple[Change, str, str]] = {
    "counted.kiosks": (
        lambda f, m: m["counted"].update(kiosks=2),
        "kiosk_count_differs",
        "from 3 kiosks, the collector announced 2",
    ),
    "counted.votes": (
        lambda f, m: m["counted"].update(votes=29),
        "count_differs",
        "hold 28 countable votes, the collector announced 29",
    ),
    "batches[].first_seq": (
        lambda f, m: _retitle(f, m, 4, first_seq=2),
        "batch_entry_differs",
        "lists it as votes 2 to 7 of kiosk",
    ),
    "batches[].last_seq": (
        lambda f, m: _retitle(f, m, 4, last_seq=6),
        "batch_entry_differs",
        "lists it as votes 1 to 6 of kiosk",
    ),
    "batches[].kiosk": (
        lambda f, m: _retitle(f, m, 3, kiosk=m["batches"][1]["kiosk"]),
        "batch_entry_differs",
        "but it holds votes 1 to 4 of kiosk",
    ),
    "batches: one batch listed twice": (_list_twice, "bad_manifest", "a batch already listed"),
    "batches[].file elsewhere": (
        lambda f, m: m["batches"][0].update(file="../" + m["batches"][0]["file"]),
        "bad_manifest",
        "batch entry 1 names the file '../batches/000001-",
    ),
    "batches[].sha256 in upper case": (
        lambda f, m: m["batches"][0].update(sha256=m["batches"][0]["sha256"].upper()),
        "bad_manifest",
        "batch entry 1 has no lowercase SHA-256",
    ),
    "published_at in another format": (
        lambda f, m: m.update(published_at="2026-12-31 09:00:00"),
        "bad_manifest",
        "not a timestamp of the form",
    ),
    "kiosks: a kiosk id that is not its key's": (
        lambda f, m: _swap_keys(m),
        "bad_manifest",
        "is not the kiosk id of its public key",
    ),
    "kiosks[].district": (
        lambda f, m: _first_kiosk(m).update(district="3701"),
        "district_mismatch",
        "names another district than 3701",
    ),
    "kiosks[].revoked not true or false": (
        lambda f, m: _first_kiosk(m).update(revoked="no"),
        "bad_manifest",
        "revoked is not true or false",
    ),
    "ranking.prior_weight below 0": (
        lambda f, m: m["ranking"].update(prior_weight=-1),
        "bad_manifest",
        "the prior weight must be 0 to 1000000",
    ),
    "ranking.min_votes 0": (
        lambda f, m: m["ranking"].update(min_votes=0),
        "bad_manifest",
        "the minimum vote count must be 1 to 1000000",
    ),
    "districts: an unknown size group": (
        lambda f, m: m["districts"].update({"4408": "huge"}),
        "bad_manifest",
        "districts must map district codes to small, medium or large",
    ),
    "awards: a ranked district left out": (
        lambda f, m: m["awards"]["small"].pop(),
        "awards_differ",
        "differ from the awards the collector announced",
    ),
    "awards: a score written otherwise": (
        lambda f, m: m["awards"]["small"][0].update(score=m["awards"]["small"][0]["score"][:-1]),
        "bad_manifest",
        "with a score of 4 decimals",
    ),
    "awards: a score as a number": (
        lambda f, m: m["awards"]["small"][0].update(score=4),
        "bad_manifest",
        "with a score of 4 decimals",
    ),
    "version true": (
        lambda f, m: m.update(version=True),
        "bad_manifest",
        "not a Sangsuk publication manifest",
    ),
    "a member added": (
        lambda f, m: m.update(note="x"),
        "bad_manifest",
        "missing or unknown members",
    ),
}


def test_a_genuine_publication_verifies_alike_from_the_document(campaign, cli, db, tmp_path):
    both_agree(published(cli, tmp_path), db)


@pytest.mark.parametrize("case", CAMPAIGN_CASES)
def test_every_member_of_the_manifest_is_checked(campaign, cli, db, tmp_path, case):
    change, code, text = CAMPAIGN_CASES[case]
    folder = published(cli, tmp_path)
    resign(folder, db, lambda m: change(folder, m))
    both_refuse(folder, db, code, text)


def test_a_batch_that_brought_no_new_vote_is_refused(campaign, cli, db, tmp_path):
    """An extra genuine batch of votes already counted: the collector never stores one."""
    folder = published(cli, tmp_path)
    extra = campaign["a"].batch(limit=3)

    def add(m: dict[str, Any]) -> None:
        entry = {"kiosk": campaign["a"].key.kiosk_id, "first_seq": 1, "last_seq": 3}
        name = batch_file_name(len(m["batches"]) + 1, entry["kiosk"], 1, 3)
        (folder / name).write_bytes(extra)
        m["batches"].append(dict(entry, file=name, sha256=hashlib.sha256(extra).hexdigest()))

    resign(folder, db, add)
    both_refuse(folder, db, "batch_brought_nothing", "holds no counted vote that an earlier")


# --- quarantine -------------------------------------------------------------------------------


def test_every_quarantined_vote_is_published_and_proven(fork, cli, db, tmp_path):
    folder = published(cli, tmp_path)
    entries = manifest_of(folder)["quarantined"]
    assert [(q["seq"], q["reason"]) for q in entries] == [
        (1, "conflict"),
        (2, "chain_fork"),
        (2, "chain_fork"),
    ]
    for q in entries:
        data = (folder / q["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == q["hash"]
        assert parse_vote(data).kiosk == fork.key.kiosk_id
    both_agree(folder, db)


def _entries(folder: Path) -> list[dict[str, Any]]:
    return [dict(q) for q in manifest_of(folder)["quarantined"]]


def _in_a_batch(folder: Path) -> set[str]:
    """The hashes of the quarantined votes that a published batch holds too."""
    held = {h for p in (folder / "batches").iterdir() for h in check_batch(p.read_bytes()).hashes}
    return {q["hash"] for q in _entries(folder) if q["hash"] in held}


def test_a_quarantine_entry_dropped_leaves_its_vote_unexplained(fork, cli, db, tmp_path):
    folder = published(cli, tmp_path)
    files = quarantined_files(folder)
    dropped, *kept = _entries(folder)
    requarantine(folder, db, kept, files)
    (folder / "quarantine" / "000009-orphan.vote.json").write_bytes(files[dropped["hash"]])
    both_refuse(folder, db, "not_published", "not one of the publication's quarantined votes")


def test_an_emptied_quarantine_list_is_caught_by_the_published_batches(fork, cli, db, tmp_path):
    """Entries and files gone: the vote 2' is in a published batch and cannot be explained."""
    folder = published(cli, tmp_path)
    assert len(_in_a_batch(folder)) == 1  # 2', in the copy's batch that brought 1'
    requarantine(folder, db, [], {})
    both_refuse(folder, db, "chain_broken", "counted vote 3 does not name counted vote 2")


def test_a_quarantine_entry_needs_its_file(fork, cli, db, tmp_path):
    folder = published(cli, tmp_path)
    gone = _entries(folder)[0]
    (folder / gone["file"]).unlink()
    both_refuse(folder, db, "missing_quarantined", "without it the quarantine is not proven")


def test_a_changed_quarantined_vote_is_refused(fork, cli, db, tmp_path):
    folder = published(cli, tmp_path)
    victim = folder / _entries(folder)[0]["file"]
    data = victim.read_bytes()
    at = data.index(b'"rating":') + len(b'"rating":')
    victim.write_bytes(data[:at] + (b"1" if data[at : at + 1] != b"1" else b"5") + data[at + 1 :])
    both_refuse(folder, db, "not_published", "the file was changed after publication")


def test_another_vote_cannot_stand_in_for_a_quarantined_one(fork, cli, db, tmp_path):
    """The entry names vote 1 but its file holds the kiosk's (counted) vote 3."""
    folder = published(cli, tmp_path)
    files = quarantined_files(folder)
    entries = _entries(folder)
    batch = next(p for p in (folder / "batches").iterdir() if "-00000003-" in p.name)
    vote = parse_vote(json.dumps(json.loads(batch.read_bytes())["votes"][0]).encode())
    assert vote.seq == 3
    entries[0]["hash"] = vote.hash()
    requarantine(folder, db, entries, dict(files, **{vote.hash(): vote.signed_bytes()}))
    both_refuse(folder, db, "quarantine_entry_differs", "not vote 1 of kiosk")


def test_a_quarantined_vote_signed_by_another_key_is_refused(fork, cli, db, tmp_path):
    folder = published(cli, tmp_path)
    files = quarantined_files(folder)
    entries = _entries(folder)
    real = parse_vote(files[entries[0]["hash"]])
    other = keys.load_or_create(tmp_path / "other")
    forged = replace(real, ballot=replace(real.ballot, rating=6 - real.ballot.rating))
    forged = replace(
        forged, sig=other.private_key.sign(VOTE_DOMAIN + forged.canonical_bytes()).hex()
    )
    entries[0]["hash"] = forged.hash()
    requarantine(folder, db, entries, dict(files, **{forged.hash(): forged.signed_bytes()}))
    both_refuse(folder, db, "bad_signature", "did not sign this vote")


def test_a_fork_cannot_be_called_a_conflict(fork, cli, db, tmp_path):
    folder = published(cli, tmp_path)
    entries = _entries(folder)
    (fork_entry,) = [q for q in entries if q["seq"] == 2][:1]
    fork_entry["reason"] = "conflict"
    requarantine(folder, db, entries, quarantined_files(folder))
    both_refuse(folder, db, "wrong_reason", "vote 2 is quarantined as a conflict")


@pytest.mark.parametrize("how", ["listed twice", "out of order"])
def test_the_quarantine_list_is_in_order_and_each_vote_once(fork, cli, db, tmp_path, how):
    folder = published(cli, tmp_path)

    def change(m: dict[str, Any]) -> None:
        q = m["quarantined"]
        if how == "listed twice":
            q.insert(2, dict(q[1], file=q[2]["file"]))
            q[3]["file"] = q[3]["file"].replace("000003-", "000004-")
        else:
            q[1], q[2] = dict(q[2], file=q[1]["file"]), dict(q[1], file=q[2]["file"])

    resign(folder, db, change)
    both_refuse(folder, db, "bad_manifest", "is out of order (by kiosk, seq and hash) or listed")


# --- versions ---------------------------------------------------------------------------------


def _as_version_1(folder: Path, db: Path) -> None:
    for path in (folder / "quarantine").iterdir():
        path.unlink()
    (folder / "quarantine").rmdir()

    def change(m: dict[str, Any]) -> None:
        m["version"] = 1
        for member in ("campaign", "seqs", "announced"):
            del m[member]
        for q in m["quarantined"]:
            del q["file"]

    resign(folder, db, change)


def test_a_version_1_publication_is_still_recounted_and_says_what_it_lacks(fork, cli, db, tmp_path):
    folder = published(cli, tmp_path)
    expected = manifest_of(folder)["awards"]
    _as_version_1(folder, db)
    assert cli("recount", folder, db=False) == 0, cli.err
    assert "version 1 publication: it lists 3 quarantined votes but does not publish" in cli.out
    assert "1 quarantined vote not counted" in cli.out  # 2', found in a batch
    result = recount([folder])
    assert result.ranking is not None
    assert manifest_awards(result.ranking) == expected


def test_a_later_version_is_refused_in_words(campaign, cli, db, tmp_path):
    folder = published(cli, tmp_path)
    resign(folder, db, lambda m: m.update(version=5))
    assert cli("recount", folder, db=False) == 1
    assert "is of version 5, which this recount does not know" in cli.err


def test_publish_makes_the_quarantine_folder_even_when_nothing_is_quarantined(
    campaign, cli, tmp_path
):
    folder = published(cli, tmp_path)
    assert sorted(os.listdir(folder)) == ["batches", "districts.csv", MANIFEST_NAME, "quarantine"]
