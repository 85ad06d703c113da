"""`campaigns add`, `report` and `awards` say their days and times in Thai as Thai officers
write them (Buddhist era, Thai time, "น."), and in English as ISO dates that name their zone.

The central office's officers read Thai; before, the Thai lines printed 2026-11-01 and
2026-10-31T17:00:00.000Z UTC, which a Thai reader must convert twice (year and zone).
"""

from __future__ import annotations

import io
import sys

import pytest

from collector.cli import main

ADD = (
    "campaigns", "add", "--year", "2569", "--start", "2026-11-01", "--end", "2026-11-30",
    "--name-th", "ประเมินอำเภอ ๒๕๖๙", "--name-en", "District rating 2569",
    "--slogan-th", "สุขใจ", "--slogan-en", "Happy",
)  # fmt: skip


def run(capsys, *argv: object) -> tuple[int, list[str], list[str]]:
    sys.stdin = io.StringIO("a fine phrase\n")
    try:
        code = main([*map(str, argv)])
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


@pytest.fixture
def db(tmp_path, capsys):
    path = tmp_path / "central" / "collector.sqlite3"
    code, _out, err = run(capsys, "users", "add", "somchai", "--role", "admin", "--db", path)
    assert code == 0, err
    code, _out, err = run(capsys, "districts", "--load", "demo", "--db", path)
    assert code == 0, err
    return path


def test_campaigns_add_says_thai_days_and_times_in_thai_and_iso_utc_in_english(db, capsys):
    code, out, err = run(capsys, *ADD, "--db", db)
    assert code == 0, err
    assert out == [
        "กำหนดแคมเปญปี 2569 ประเมินอำเภอ ๒๕๖๙ แล้ว: ตั้งแต่วันที่ 1 พ.ย. 2569 ถึงวันที่"
        " 30 พ.ย. 2569 นับรวมทั้งสองวัน ตามเวลาประเทศไทย (ตั้งแต่ 1 พ.ย. 2569 00:00 น."
        " ถึงก่อน 1 ธ.ค. 2569 00:00 น.)",
        "Campaign 2569 ประเมินอำเภอ ๒๕๖๙ (District rating 2569) defined: 2026-11-01 to"
        " 2026-11-30, Thai days (Asia/Bangkok, UTC+7) included (2026-10-31T17:00:00.000Z to"
        " 2026-11-30T17:00:00.000Z UTC).",
    ]
    assert "2026" not in out[0]
    assert "UTC" not in out[0]


def test_campaigns_add_in_one_language(db, capsys):
    code, th, _err = run(capsys, "--language", "th", *ADD, "--db", db)
    assert code == 0
    assert len(th) == 1
    assert "1 พ.ย. 2569" in th[0]


def test_report_names_its_campaign_in_thai_days_and_english_iso_days(db, capsys):
    code, _out, err = run(capsys, *ADD, "--db", db)
    assert code == 0, err
    code, out, err = run(capsys, "report", "--db", db, "--campaign", "2569")
    assert code == 0, err
    assert out[:2] == [
        "แคมเปญปี 2569 ประเมินอำเภอ ๒๕๖๙: ตั้งแต่วันที่ 1 พ.ย. 2569 ถึงวันที่ 30 พ.ย. 2569"
        " ตามเวลาประเทศไทย (นับรวมทั้งสองวัน)",
        "Campaign 2569 ประเมินอำเภอ ๒๕๖๙ (District rating 2569): 2026-11-01 to 2026-11-30,"
        " Thai days (Asia/Bangkok, UTC+7).",
    ]
    code, en, _err = run(capsys, "--language", "en", "report", "--db", db, "--campaign", "2569")
    assert en[0] == out[1]
