"""`sangsuk-collector` speaks Thai, then English: its refusals say what was wrong in both, and
``--language`` prints one (docs/operations.md, "What `sangsuk-collector` prints")."""

import io
import sys

import pytest

from collector.auth.accounts import Accounts
from collector.cli import main
from collector.cli.words import Count, Phrase, lines, speak
from collector.store import CollectorStore


def is_thai(line):
    return any("\u0e00" <= ch <= "\u0e7f" for ch in line)


def run(capsys, *argv, stdin=""):
    sys.stdin = io.StringIO(stdin)
    try:
        code = main([*map(str, argv)])
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


@pytest.fixture
def db(tmp_path):
    return tmp_path / "central" / "collector.sqlite3"


@pytest.fixture
def admin(db, capsys):
    code, _out, err = run(
        capsys, "users", "add", "somchai", "--role", "admin", "--db", db, stdin="a fine phrase\n"
    )
    assert code == 0, err
    return db


def test_a_refusal_is_a_thai_line_then_the_english_line(db, capsys):
    code, out, err = run(capsys, "token", "--district", "1001", "--db", db)
    assert code == 2
    assert out == []
    assert err == [
        "sangsuk-collector: '1001' เป็นรหัสเขตของกรุงเทพมหานคร ไม่ใช่รหัสที่ว่าการอำเภอ 4 หลัก"
        " (โครงการนี้ครอบคลุมเฉพาะที่ว่าการอำเภอ)",
        "sangsuk-collector: '1001' is not the 4-digit code of a district office (a Bangkok khet;"
        " the campaign covers amphoe offices).",
    ]
    assert not db.parent.exists()  # refused before anything was made


@pytest.mark.parametrize(("language", "thai", "english"), [("th", 1, 0), ("en", 0, 1)])
def test_language_prints_one_language(db, capsys, language, thai, english):
    for argv in (
        ("--language", language, "token", "--district", "99x9", "--db", db),
        ("token", "--district", "99x9", "--db", db, f"--language={language}"),
    ):
        code, _out, err = run(capsys, *argv)
        assert code == 2
        assert len(err) == 1
        assert sum(map(is_thai, err)) == thai
        assert ("is not the 4-digit code" in err[0]) == bool(english)


def test_a_bad_command_line_is_said_in_thai_before_argparses_english(db, capsys):
    code, _out, err = run(capsys, "users", "add", "somchai", "--db", db)
    assert code == 2
    assert err[0].startswith("วิธีใช้ / usage: sangsuk-collector users add")
    assert (
        "sangsuk-collector users add: คำสั่งไม่ถูกต้อง: ยังไม่ได้ระบุ --role"
        " กรุณาดูวิธีใช้ด้านบน หรือพิมพ์ sangsuk-collector users add --help"
    ) in err
    assert err[-1] == (
        "sangsuk-collector users add: error: the following arguments are required: --role"
    )
    code, _out, err = run(capsys, "--language", "en", "kiosks", "--limit", "x", "--db", db)
    assert code == 2
    assert not any(map(is_thai, err))
    assert err[0].startswith("usage: sangsuk-collector [-h]")
    assert err[-1] == "sangsuk-collector: error: unrecognized arguments: --limit x"
    code, _out, err = run(capsys, "audit", "--limit", "0", "--db", db)
    assert "ค่าของ --limit ใช้ไม่ได้ (it must be at least 1, not 0)" in err[-2]
    code, _out, err = run(capsys, "repot", "--db", db)
    assert "ไม่มีตัวเลือก 'repot'" in err[-2]
    assert not db.parent.exists()


def test_no_database_is_said_in_thai_and_none_is_made(db, capsys):
    code, _out, err = run(capsys, "kiosks", "--db", db)
    assert code == 2
    assert err[0].startswith(f"sangsuk-collector: ไม่พบฐานข้อมูลของระบบกลางที่ {db}")
    assert err[1].startswith(f"sangsuk-collector: There is no collector database at {db};")
    assert not db.exists()


def test_an_account_refusal_is_the_consoles_thai_and_nothing_changes(admin, capsys):
    db = admin
    with CollectorStore(db) as store:
        audit_before = store.audit_rows()
    code, _out, err = run(capsys, "users", "role", "somchai", "viewer", "--db", db)
    assert code == 2
    assert err == [
        "sangsuk-collector: ต้องมีผู้ดูแลระบบที่ใช้งานได้อย่างน้อยหนึ่งคน",
        "sangsuk-collector: There must always be at least one enabled admin.",
    ]
    code, _out, err = run(capsys, "users", "passwd", "somchai", "--db", db, stdin="short\n")
    assert code == 2
    assert "รหัสผ่านสั้นเกินไป ต้องยาวอย่างน้อย" in err[0]
    code, _out, err = run(capsys, "users", "disable", "nobody", "--language", "th", "--db", db)
    assert err == ["sangsuk-collector: ไม่มีผู้ใช้ชื่อ nobody"]
    with CollectorStore(db) as store:
        assert store.audit_rows() == audit_before
        (operator,) = Accounts(store).operators.all()
        assert (operator.role, operator.disabled_at) == ("admin", None)


def test_a_refused_districts_table_loads_nothing(db, tmp_path, capsys):
    table = tmp_path / "groups.csv"
    table.write_text("code,size_group\n3706,small\n3706,huge\n1001,small\n", encoding="utf-8")
    code, _out, err = run(capsys, "districts", "--load", table, "--db", db)
    assert code == 2
    assert err[0] == f"sangsuk-collector: {table} มีปัญหาดังต่อไปนี้:"
    assert err[1:5] == [  # each problem in Thai, then in English as it always was
        "sangsuk-collector: บรรทัดที่ 3: อำเภอรหัส 3706 ซ้ำกับบรรทัดที่ 2"
        " และกลุ่มขนาดต้องเป็น small, medium หรือ large (เล็ก กลาง ใหญ่) ไม่ใช่ 'huge'",
        "sangsuk-collector: Line 3: district 3706 is already on line 2;"
        " the size group must be small, medium or large, not 'huge'.",
        "sangsuk-collector: บรรทัดที่ 4: 1001 เป็นสำนักงานเขตของกรุงเทพมหานคร ไม่ใช่ที่ว่าการอำเภอ",
        "sangsuk-collector: Line 4: 1001 is a Bangkok khet, not an amphoe office.",
    ]
    assert err[-2] == (
        f"sangsuk-collector: ไม่ได้นำเข้าข้อมูลใด ๆ: {table} มีปัญหา 2 รายการ กรุณาแก้ไขแล้วนำเข้าอีกครั้ง"
    )
    assert err[-1].startswith(f"sangsuk-collector: Nothing was loaded: {table} has 2 problem(s)")
    assert not db.exists()


def test_a_refused_campaign_names_its_field_in_thai(admin, capsys):
    code, _out, err = run(
        capsys, "campaigns", "add", "--year", "2569", "--start", "2026-11-01",
        "--end", "2026-10-01", "--name-th", "ทดสอบ", "--name-en", "Test",
        "--slogan-th", "สุข", "--slogan-en", "Happy", "--db", admin,
    )  # fmt: skip
    assert code == 2
    assert err[0] == "sangsuk-collector: วันสุดท้าย (1 ต.ค. 2569) อยู่ก่อนวันแรก (1 พ.ย. 2569)"
    assert not is_thai(err[1])
    code, out, _err = run(capsys, "campaigns", "list", "--json", "--db", admin)
    assert out == ["[]"]  # nothing was defined, and --json is the same in every language


def test_a_buddhist_era_date_is_refused_in_the_command_line_s_words(admin, capsys):
    """The console's words speak of the browser's calendar; the command line names its option."""
    code, _out, err = run(
        capsys, "campaigns", "add", "--year", "2570", "--start", "2570-12-06",
        "--end", "2027-12-31", "--name-th", "ทดสอบ", "--name-en", "Test",
        "--slogan-th", "สุข", "--slogan-en", "Happy", "--db", admin,
    )  # fmt: skip
    assert code == 2
    assert err == [
        "sangsuk-collector: วันแรก (--start) 2570-12-06 เป็นปี พ.ศ. แต่วันที่ในคำสั่งนี้ต้องเป็นปี ค.ศ."
        " (พ.ศ. ลบ 543): แทน 2570-12-06 ให้พิมพ์ 2027-12-06",
        "sangsuk-collector: First day (--start) 2570-12-06 is in the Buddhist era, but the"
        " command's dates are in the Christian era (Buddhist era less 543): for 2570-12-06 type"
        " 2027-12-06.",
    ]
    assert "เบราว์เซอร์" not in "".join(err)


def test_what_a_command_did_is_said_in_thai_then_english(admin, capsys):
    db = admin
    code, out, _err = run(capsys, "users", "role", "somchai", "admin", "--db", db)
    assert code == 0
    assert out == ["somchai มีสิทธิ์ผู้ดูแลระบบแล้ว", "Operator somchai: role is now admin."]
    code, out, _err = run(capsys, "users", "list", "--language", "en", "--db", db)
    assert len(out) == 1
    assert out[0].startswith("somchai                  admin    enabled      ")
    assert out[0].endswith("  second step off")
    code, out, _err = run(capsys, "--language", "th", "users", "list", "--db", db)
    assert len(out) == 1
    assert out[0].startswith("somchai สิทธิ์ผู้ดูแลระบบ ใช้งานได้ ตั้งรหัสผ่านล่าสุด ")


def test_a_table_has_its_titles_in_thai_above_the_english(admin, capsys):
    code, out, _err = run(capsys, "audit", "--db", admin)
    assert code == 0
    assert out[:2] == [
        "บันทึกตรวจสอบ รายการล่าสุดอยู่บน (แสดง 1 รายการ เวลาเป็นเวลาไทย):",
        "Audit, newest first (1 shown; times are Thai time):",
    ]
    assert out[2].split() == [
        "เวลา", "ประเภท", "เหตุผล", "ตู้ประเมิน", "ช่องทาง", "จาก", "จำนวนครั้ง", "รายละเอียด",
    ]  # fmt: skip
    assert out[3].split() == ["at", "kind", "reason", "kiosk", "via", "from", "times", "detail"]
    assert set(out[4].replace(" ", "")) == {"-"}


def test_numbers_take_their_nouns_plural_in_english_only():
    speak(None)
    assert lines(Count(1, "vote")) == ["ผลการประเมิน 1 รายการ", "1 vote"]
    assert [Count(2, "batch").in_language(lang) for lang in ("th", "en")] == [
        "ชุดข้อมูล 2 ชุด",
        "2 batches",
    ]
    nested = Phrase("cli.campaign.unknown", asked="2030", years=Phrase("cli.campaign.none_defined"))
    assert "(campaigns: none is defined)" in nested.in_language("en")
    assert "(แคมเปญที่มี: ยังไม่ได้กำหนดแคมเปญ)" in nested.in_language("th")


def test_help_names_each_command_in_thai_then_english(capsys):
    code, out, _err = run(capsys, "--help")
    assert code == 0
    text = " ".join(" ".join(out).split())
    assert "จัดการบัญชีผู้ใช้ของคอนโซล / manage the operator accounts of the web console" in text
    code, out, _err = run(capsys, "--language", "en", "--help")
    assert not any(map(is_thai, out))
    assert "manage the operator accounts of the web console" in " ".join(out)


def test_importing_a_path_that_does_not_exist_says_so_in_both_languages(db, tmp_path):
    # A mistyped folder, or a USB stick not plugged in: not "the file cannot be read".
    from tests.collector.test_collector_cli import run_module

    assert run_module("districts", "--load", "demo", "--db", db).returncode == 0
    missing = tmp_path / "media" / "usb" / "sangsuk"
    done = run_module("import", missing, "--db", db)
    assert done.returncode == 2
    thai, english = done.stderr.splitlines()
    assert thai == (
        f"sangsuk-collector: ไม่พบไฟล์หรือโฟลเดอร์ที่ {missing} กรุณาตรวจสอบที่อยู่"
        " และตรวจสอบว่าเสียบแฟลชไดรฟ์และเครื่องเปิดใช้ (mount) แล้ว ยังไม่มีการนำเข้าใด ๆ"
    )
    assert english == (
        f"sangsuk-collector: There is no file or folder at {missing}; check the path, and that"
        " the USB stick is plugged in and mounted. Nothing was imported."
    )
    assert "cannot be read" not in done.stderr + done.stdout
    only = run_module("import", missing, "--db", db, "--language", "en")
    assert (only.returncode, only.stderr.splitlines()) == (2, [english])
    with CollectorStore(db) as store:
        assert [r for r in store.audit_rows() if r["kind"] == "refused"] == []  # nothing came in
    # Beside a folder that is there, the missing one is a line of its own, and the rest imports.
    stick = tmp_path / "stick"
    stick.mkdir()
    both = run_module("import", missing, stick, "--db", db)
    assert both.returncode == 1
    assert (
        f"{missing}: ยังไม่ได้นำเข้า ไม่พบไฟล์หรือโฟลเดอร์ตามที่อยู่นี้ กรุณาตรวจสอบที่อยู่และแฟลชไดรฟ์แล้วนำเข้าอีกครั้ง"
    ) in both.stdout.splitlines()
    assert (
        f"{missing}: NOT IMPORTED, the path does not exist (no file or folder by that name)."
    ) in both.stdout.splitlines()
