"""Every problem a recount finds is said in Thai, with its facts, before its English sentence.

The central office and the outside auditors read Thai first: `recount` prints each problem as a
Thai line (its kind's words, cli.recount.problem.*, with the file, the seq, the kiosk, the
counts) and then the English line it always printed, which scripts read. The publications are
made and damaged as in test_recount.py.
"""

from __future__ import annotations

import ast
import re
import shutil
import string
from pathlib import Path

import pytest

from collector.cli.report import problem_words
from collector.i18n import catalogue
from collector.manifest import MANIFEST_NAME
from collector.recount_files import PROBLEMS, RecountProblem
from collector.refusals import OTHER_WHY, recount_why
from tests.collector.publications import published, resign
from wire import keys
from wire.batch import check_batch

THAI = re.compile("[\u0e00-\u0e7f]")
PROG = "sangsuk-collector: "
COLLECTOR = Path(__file__).resolve().parents[2] / "collector"
WIRE = COLLECTOR.parent / "wire"
COMPOSED = {"refused"}  # words made of the console's reason and the pieces below
PIECES = {"at_vote", "more", "other", "detail"}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def error_lines(err: str) -> list[str]:
    return [line.removeprefix(PROG) for line in err.splitlines()]


def said(err: str, english: str) -> str:
    """The Thai line printed just before this English line (which must be printed)."""
    found = error_lines(err)
    assert english in found, err
    thai = found[found.index(english) - 1]
    assert THAI.search(thai), thai
    return thai


# --- every kind has its Thai words -------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(set(PROBLEMS) - COMPOSED))
def test_each_kind_is_said_in_thai_naming_every_fact(kind):
    th, en = catalogue("th"), catalogue("en")
    key = f"cli.recount.problem.{kind}"
    assert THAI.search(th[key]), th[key]
    assert placeholders(th[key]) == placeholders(en[key]) == set(PROBLEMS[kind])


def test_no_words_for_a_kind_that_is_gone():
    keys_ = {k.removeprefix("cli.recount.problem.") for k in catalogue("th")}
    assert {k for k in keys_ if "." not in k} - set(PROBLEMS) - PIECES == set()


def _calls(path: Path, name: str) -> list[ast.Call]:
    """The calls of a function or method of this name in a source file."""
    return [
        node
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and (getattr(node.func, "attr", None) or getattr(node.func, "id", None)) == name
    ]


def _given(call: ast.Call, kind_at: int, default: str | None) -> list[tuple[str, set[str]]]:
    """The kinds a problem may be recorded with (literal, or either of `a if c else b`), each
    with the facts given."""
    kind_arg = next((k.value for k in call.keywords if k.arg == "kind"), None)
    if kind_arg is None and len(call.args) > kind_at:
        kind_arg = call.args[kind_at]
    if kind_arg is None:
        assert default is not None, ast.unparse(call)
        kinds = [default]
    else:
        either = [kind_arg.body, kind_arg.orelse] if isinstance(kind_arg, ast.IfExp) else [kind_arg]
        assert all(isinstance(k, ast.Constant) for k in either), ast.unparse(call)  # no variable
        kinds = [k.value for k in either]
    facts = {k.arg for k in call.keywords if k.arg not in (None, "kind", "facts")}
    given = [k.value for k in call.keywords if k.arg == "facts"] + call.args[kind_at + 1 :]
    for mapping in given:  # RecountProblem(code, message, file, kind, {facts})
        assert isinstance(mapping, ast.Dict), ast.unparse(call)
        facts |= {ast.literal_eval(k) for k in mapping.keys if k is not None}
    return [(kind, facts) for kind in kinds]


def test_every_problem_the_recount_records_is_of_a_kind_with_words_and_its_facts():
    found: list[tuple[str, set[str]]] = []
    for name in ("recount.py", "recount_votes.py"):
        for call in _calls(COLLECTOR / name, "add"):  # Recount.add(code, message, file, kind)
            if ast.unparse(call.func) != "result.add":
                continue  # a set's or a tally's
            if len(call.args) > 3 and ast.unparse(call.args[3]) == "exc.kind":
                continue  # a ManifestError's kind and facts: its calls are checked below
            code = call.args[0]
            default = code.value if isinstance(code, ast.Constant) else None
            found.extend(_given(call, 3, default))
    for name in ("recount.py", "recount_votes.py", "recount_files.py"):
        for call in _calls(COLLECTOR / name, "RecountProblem"):
            if ast.unparse(call) == "RecountProblem(code, message, file, kind, facts)":
                continue  # Recount.add's, checked above
            code = call.args[0]
            default = code.value if isinstance(code, ast.Constant) else None
            found.extend(_given(call, 3, default))
    for call in _calls(COLLECTOR / "manifest.py", "ManifestError"):
        if call.args:  # (not the class's own super().__init__)
            found.extend(_given(call, 1, "manifest_rules"))
    assert len(found) > 30
    for kind, facts in found:
        assert kind in PROBLEMS, kind
        if kind not in COMPOSED:
            assert facts == set(PROBLEMS[kind]), kind


def test_every_refusal_of_the_batch_checker_has_a_reason_of_its_own():
    codes = set()
    for call in _calls(WIRE / "batch.py", "add"):
        first = call.args[0]
        if isinstance(first, ast.Constant):
            codes.add(first.value)
        elif isinstance(first, ast.JoinedStr):  # f"bad_vote:{exc.code}"
            codes.add(ast.literal_eval(first.values[0]))
    codes.discard("recheck")  # the fast reader's: check_batch then asks the strict one
    # exc.code: the JSON reader's codes for a file that is not JSON at all
    for data in (b"\xff", b"{", b'{"a":1,"a":2}', b'{"a":1.5}', b"[]"):
        codes |= {p.code for p in check_batch(data).problems}
    assert {"bad_signature", "chain_broken", "hash_mismatch", "bad_vote:"} <= codes
    assert {c for c in codes if recount_why(c) == OTHER_WHY} == set()
    for code in codes:
        assert f"audit.refusal.{recount_why(code)}" in catalogue("th")


def test_a_problem_of_an_unknown_kind_is_said_generally_with_its_english():
    problem = RecountProblem("new_check", "something new went wrong", "x.batch.json")
    words = problem_words(problem)
    assert words.in_language("en") == "x.batch.json: something new went wrong"
    assert words.in_language("th") == (
        "x.batch.json: ตรวจสอบไม่ผ่าน (รายละเอียด: something new went wrong)"
    )


def test_a_problems_times_are_said_in_thai_time_with_buddhist_era_years():
    english = "the small group is said to be announced at 2026-12-02T03:00:00.000Z, after ..."
    facts = {"group": "small", "at": "2026-12-02T03:00:00.000Z",
             "published_at": "2026-12-01T17:30:00.000Z"}  # fmt: skip
    problem = RecountProblem("bad_manifest", english, "publication.json",
                             "announced_after_publication", facts)  # fmt: skip
    words = problem_words(problem)
    assert words.in_language("th") == (
        "publication.json: ไฟล์กำกับระบุว่ากลุ่มอำเภอขนาดเล็กประกาศผลเมื่อ 2 ธ.ค. 2569 10:00 น."
        " ซึ่งหลังจากการเผยแพร่ (2 ธ.ค. 2569 00:30 น.) ตามเวลาประเทศไทย"
    )
    assert words.in_language("en") == f"publication.json: {english}"


# --- what `recount` prints ---------------------------------------------------------------


def test_a_changed_vote_is_said_in_thai_with_the_console_s_reason(campaign, cli, tmp_path):
    folder = published(cli, tmp_path)
    victim = sorted((folder / "batches").iterdir())[0]
    data = victim.read_bytes()
    at = data.index(b'"rating":') + len(b'"rating":')
    victim.write_bytes(data[:at] + (b"1" if data[at : at + 1] != b"1" else b"5") + data[at + 1 :])
    assert cli("recount", folder, db=False) == 1
    english = f"{victim}: refused: bad signature at seq 1 (and 2 more problems)"
    assert said(cli.err, english) == (
        f"{victim}: ไม่ผ่านการตรวจ: ข้อมูลถูกแก้ไขหรือเสียหายหลังตู้ประเมินลงนาม"  # audit.refusal.changed
        " พบที่ผลการประเมินลำดับที่ 1 และพบปัญหาอื่นในไฟล์นี้อีก 2 รายการ"
    )
    assert error_lines(cli.err)[0] == "ปัญหาที่พบมีดังต่อไปนี้:"
    assert error_lines(cli.err)[-2:] == [
        "ตรวจสอบไม่ผ่าน: พบปัญหา 1 รายการใน 4 ไฟล์ จึงไม่ให้ผลรางวัลจากข้อมูลที่ตรวจสอบไม่ผ่าน",
        "NOT VERIFIED: 1 problem(s) in 4 file(s); no awards are given from data that does not verify.",
    ]
    assert cli("recount", "--json", folder, db=False) == 1
    assert cli.out == ""  # --json prints awards or nothing, in no language


def test_a_missing_and_an_unreadable_batch_file_are_said_in_thai(campaign, cli, tmp_path):
    folder = published(cli, tmp_path)
    first, second = sorted((folder / "batches").iterdir())[:2]
    second.unlink()
    first.unlink()
    first.mkdir()  # a name that cannot be read as a file (root reads any file, whatever its mode)
    assert cli("recount", folder, db=False) == 1
    gone = f"batches/{second.name}"
    assert said(cli.err, f"the published batch {gone} was not given") == (
        f"ไม่ได้ระบุไฟล์ชุดข้อมูล {gone} ที่เผยแพร่ไว้ (กรุณาคัดลอกทั้งโฟลเดอร์)"
    )
    assert said(cli.err, f"{first}: cannot be read (Is a directory)") == (
        f"{first}: อ่านไฟล์นี้ไม่ได้ (Is a directory)"
    )


def test_a_wrong_manifest_is_said_in_thai(campaign, cli, db, tmp_path):
    folder = published(cli, tmp_path)
    manifest = folder / MANIFEST_NAME
    other = keys.load_or_create(tmp_path / "other").public_key_raw.hex()
    assert cli("recount", folder, "--collector-key", other, db=False) == 1
    (english,) = [line for line in error_lines(cli.err) if "not by the pinned key" in line]
    signer = english.split("collector key ")[1].split(",")[0]
    assert said(cli.err, english) == (
        f"{manifest}: ไฟล์กำกับลงนามด้วยกุญแจของระบบกลาง {signer}"
        f" ไม่ใช่กุญแจ {other} ที่ระบุด้วย --collector-key"
    )
    resign(folder, db, lambda m: m["counted"].update(votes=29))  # a dishonest collector
    assert cli("recount", folder, db=False) == 1
    assert said(cli.err, "the batches hold 28 countable votes, the collector announced 29") == (
        "ไฟล์ชุดข้อมูลมีผลการประเมินที่นับได้ 28 รายการ แต่ระบบกลางประกาศไว้ 29 รายการ"
    )
    manifest.write_bytes(manifest.read_bytes().replace(b'"3701":"small"', b'"3701":"medium"'))
    assert cli("recount", folder, db=False) == 1
    english = (
        f"{manifest}: the manifest's signature is not valid: it was changed after the collector"
        " signed it"
    )
    assert said(cli.err, english) == (
        f"{manifest}: ลายมือชื่อดิจิทัลของไฟล์กำกับไม่ถูกต้อง: ไฟล์กำกับถูกแก้ไขหลังจากระบบกลางลงนาม"
    )


def test_two_manifests_are_said_in_thai(campaign, cli, tmp_path):
    folder = published(cli, tmp_path)
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy2(folder / MANIFEST_NAME, copy / MANIFEST_NAME)
    assert cli("recount", folder, copy / MANIFEST_NAME, db=False) == 1
    assert said(cli.err, "more than one publication manifest was given") == (
        "ระบุไฟล์กำกับการเผยแพร่มา 2 ไฟล์ การนับซ้ำแต่ละครั้งตรวจสอบได้เพียงหนึ่งชุดเผยแพร่"
    )


@pytest.mark.parametrize("language", ["en", "th"])
def test_one_language_prints_only_its_lines(campaign, cli, tmp_path, language):
    folder = published(cli, tmp_path)
    gone = sorted((folder / "batches").iterdir())[1]
    gone.unlink()
    assert cli("recount", folder, "--language", language, db=False) == 1
    found = error_lines(cli.err)
    english = f"the published batch batches/{gone.name} was not given"
    if language == "en":
        assert found == [
            english,
            "NOT VERIFIED: 1 problem(s) in 3 file(s); no awards are given from data that does"
            " not verify.",
        ]
    else:
        assert found == [
            "ปัญหาที่พบมีดังต่อไปนี้:",
            f"ไม่ได้ระบุไฟล์ชุดข้อมูล batches/{gone.name} ที่เผยแพร่ไว้ (กรุณาคัดลอกทั้งโฟลเดอร์)",
            "ตรวจสอบไม่ผ่าน: พบปัญหา 1 รายการใน 3 ไฟล์ จึงไม่ให้ผลรางวัลจากข้อมูลที่ตรวจสอบไม่ผ่าน",
        ]
