"""Loading the districts' size groups: the CSV's problems in Thai and English, and the console
page that checks a file, shows what it would change and loads it (real server, real HTTP)."""

import csv
import io
import re
import threading
import time

import httpx
import pytest
import sqlalchemy as sa

from collector.auth.accounts import CONFIRM_WINDOW
from collector.districts import FAULTS, CsvProblem, demo_csv, parse_districts_csv, whole_file
from collector.routes.size_groups import MAX_CSV_BYTES
from collector.store import CollectorStore, StoreError
from collector.store import district_groups as groups
from collector.store.audit import AuditFilter
from tests.collector_server import serve_collector
from tests.console import PASSWORD, csrf_of, log_in, make_operator
from tests.fakes import FakeClock
from tests.kiosks import enroll, ingest

THAI = re.compile("[\u0e00-\u0e7f]")
START = [("3706", "small"), ("4408", "medium"), ("4712", "large")]

# A file for every fault a districts CSV can have, and the faults it must be refused for.
BAD_FILES = [
    ("code,size_group\n3706,เล็ก\n".encode("cp874"), {"not_utf8"}),
    (b"", {"empty"}),
    (b"district,group\n3706,small\n", {"no_columns"}),
    (b" , \n3706,small\n", {"no_column_names"}),
    (b"code,size_group\n\n,\n", {"no_districts"}),
    (b"code,size_group\n,small\n", {"code_empty"}),
    (b"code,size_group\n1001,small\n", {"bangkok"}),
    (b"code,size_group\n9999,small\n", {"not_a_district"}),
    (b"code,size_group\n3706,small\n3706,large\n", {"repeated"}),
    (b"code,size_group\n3706,\n", {"group_empty"}),
    (b"code,size_group\n3706,huge\n", {"bad_group"}),
    (b'code,size_group\n3706,"' + b"x" * 140_000 + b'"\n', {"unreadable"}),
]


def held_by(store) -> list[groups.HeldDistrict]:
    with store.reading() as conn:
        return groups.districts(conn)


def preview(store, rows) -> groups.Preview:
    with store.reading() as conn:
        return groups.preview(conn, groups.records(rows))


def faults(found: list[CsvProblem]) -> set[str]:
    return {f.key for p in found for f in p.faults}


@pytest.mark.parametrize(("data", "expected"), BAD_FILES)
def test_every_problem_of_a_csv_is_named_in_thai_and_english(data, expected):
    _, found = parse_districts_csv(data)
    assert faults(found) == expected
    for problem in found:
        thai, english = problem.in_language("th"), problem.in_language("en")
        assert THAI.search(thai), thai
        assert not THAI.search(english), english
        assert "{" not in thai + english  # every fact was filled in
        assert str(problem) == english


def test_the_files_above_make_every_fault_the_reader_knows():
    made = set().union(*(expected for _, expected in BAD_FILES))
    assert made | {"too_large", "unreadable_upload"} == set(FAULTS)  # the console's own two


@pytest.mark.parametrize(
    ("problem", "thai", "english"),
    [
        (
            whole_file("too_large", size="2,000,000", limit="1,048,576"),
            "ไฟล์นี้มีขนาด 2,000,000 ไบต์ ตารางกลุ่มขนาดต้องไม่เกิน 1,048,576 ไบต์",
            "The file is 2,000,000 bytes; a size-group table is at most 1,048,576 bytes.",
        ),
        (
            whole_file("unreadable_upload", why="No space left on device"),
            "อ่านไฟล์ที่ส่งมาไม่ได้ (No space left on device)",
            "The uploaded file cannot be read (No space left on device).",
        ),
    ],
)
def test_the_uploads_own_problems_are_worded_in_both_languages(problem, thai, english):
    assert problem.in_language("th") == thai
    assert str(problem) == english


def test_thai_column_names_are_read_as_the_english_ones():
    rows, found = parse_districts_csv("ชื่อ,รหัส,ขนาด\nหัวตะพาน,3706,เล็ก\nx,4408,ขนาดกลาง\n".encode())
    assert (rows, found) == ([("3706", "small"), ("4408", "medium")], [])
    rows, found = parse_districts_csv("รหัสอำเภอ;กลุ่มขนาด\n4712;ใหญ่\n".encode())
    assert (rows, found) == ([("4712", "large")], [])


def test_a_line_with_two_faults_says_both_in_each_language():
    _, (problem,) = parse_districts_csv(b"code,size_group\n3706,small\n3706,huge\n")
    assert str(problem) == (
        "Line 3: district 3706 is already on line 2;"
        " the size group must be small, medium or large, not 'huge'."
    )
    assert problem.in_language("th") == (
        "บรรทัดที่ 3: อำเภอรหัส 3706 ซ้ำกับบรรทัดที่ 2"
        " และกลุ่มขนาดต้องเป็น small, medium หรือ large (เล็ก กลาง ใหญ่) ไม่ใช่ 'huge'"
    )


# --- the store ------------------------------------------------------------------------------


def test_a_load_says_what_it_added_and_moved_and_is_audited(store, make_kiosk):
    kiosk = make_kiosk("a", "4408")
    enroll(store, kiosk)
    kiosk.cast(7)
    ingest(store, kiosk.batch())
    before = preview(store, [("4408", "large"), ("3706", "small"), ("1101", "medium")])
    assert [(c.district.code, c.before, c.after, c.kiosks, c.votes) for c in before.moved] == [
        ("4408", "medium", "large", 1, 7)
    ]
    assert [(c.district.code, c.before, c.after) for c in before.added] == [
        ("1101", None, "medium")
    ]
    assert before.unchanged == 1
    assert {d.code: d.size_group for d in held_by(store)}["4408"] == "medium"  # not yet
    done = store.load_districts([("4408", "large"), ("1101", "medium")], "somchai", "console")
    assert (len(done.added), len(done.moved), done.unchanged) == (1, 1, 0)
    held = {d.code: d.size_group for d in held_by(store)}
    assert held == {"3706": "small", "4408": "large", "4712": "large", "1101": "medium"}
    assert store.report()["size_groups"]["large"] == 7  # the votes moved with the district
    row = store.audit_rows(which=AuditFilter(kind="districts"))[0]  # the newest
    assert (row["reason"], row["operator"], row["source"]) == ("loaded", "somchai", "console")
    assert "1101 new medium" in row["detail"]
    assert "4408 medium to large" in row["detail"]


def test_a_load_against_a_changed_table_stores_nothing(store):
    checked = preview(store, [("3706", "large")])
    store.load_districts([("4712", "medium")], "other", "console")  # someone else, in between
    with pytest.raises(StoreError) as refused:
        store.load_districts([("3706", "large")], "somchai", "console", expect=checked.state)
    assert refused.value.code == "districts_changed"
    held = {d.code: d.size_group for d in held_by(store)}
    assert held == {"3706": "small", "4408": "medium", "4712": "medium"}
    assert len(store.audit_rows(which=AuditFilter(kind="districts"))) == 2  # the fixture's, other's


# --- the console ----------------------------------------------------------------------------


@pytest.fixture
def site(collector_db):
    with serve_collector(collector_db, START) as running:
        make_operator(running.store, "officer", "officer")
        make_operator(running.store, "viewer", "viewer")
        with httpx.Client(base_url=running.url, timeout=60) as officer:
            log_in(officer, name="officer")
            yield running, officer


def check(client, data: bytes, name="groups.csv", lang="th"):
    csrf = csrf_of(client.get("/console/districts").text)
    return client.post(
        f"/console/districts/check?lang={lang}",
        data={"csrf": csrf},
        files={"file": (name, data, "text/csv")},
    )


def confirm_form(html: str) -> dict[str, str]:
    form = html[html.index('action="/console/districts/load"') :]
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form[: form.index("</form>")]))
    return {k: v.replace("&#39;", "'") for k, v in fields.items()}


def held(running) -> dict[str, str]:
    return {d.code: d.size_group for d in held_by(running.store)}


def test_an_officer_checks_a_file_sees_the_changes_and_loads_them(site):
    running, officer = site
    page = officer.get("/console/districts?lang=en").text
    assert "3 of 878 district offices have a size group: 1 small, 1 medium, 1 large." in page
    assert "875 district offices have no size group yet" in page
    checked = check(
        officer, "code,size_group,name\n4408,ใหญ่,x\n3706,small,y\n1101,medium,z\n".encode()
    )
    assert checked.status_code == 200
    assert "ตรวจ groups.csv แล้ว พร้อมนำเข้า (ยังไม่ได้นำเข้า)" in checked.text
    assert "ไฟล์นี้มี 3 อำเภอ: เพิ่มใหม่ 1 ย้ายไปกลุ่มขนาดอื่น 1 ไม่เปลี่ยน 1" in checked.text
    moved = re.search(r'<tr data-district="4408">(.*?)</tr>', checked.text, re.S)
    assert moved
    assert "อำเภอขนาดกลาง →<br><strong>อำเภอขนาดใหญ่</strong>" in moved.group(1)
    assert held(running)["4408"] == "medium"  # checking stores nothing
    assert running.store.audit_rows(which=AuditFilter(kind="districts"))[0]["operator"] is None
    answer = officer.post("/console/districts/load", data=confirm_form(checked.text))
    assert answer.status_code == 303
    shown = officer.get(answer.headers["location"] + "&lang=en").text
    assert "Size groups loaded for 3 districts: 1 new, 1 moved to another group." in shown
    assert held(running) == {"3706": "small", "4408": "large", "4712": "large", "1101": "medium"}
    row = running.store.audit_rows(which=AuditFilter(kind="districts"))[0]
    assert (row["operator"], row["source"]) == ("officer", "console")
    assert "4408 medium to large" in row["detail"]
    audit_page = officer.get("/audit?kind=districts&lang=th").text
    assert "นำเข้ากลุ่มขนาด" in audit_page


def test_a_file_with_problems_is_said_by_line_in_the_readers_language(site):
    running, officer = site
    bad = b"code,size_group\n4408,large\n9999,small\n3706,huge\n"
    answer = check(officer, bad, name="ปี2570.csv")
    assert answer.status_code == 422
    assert "ยังไม่ได้นำเข้า ปี2570.csv กรุณาแก้ไขตามรายการต่อไปนี้ แล้วตรวจไฟล์อีกครั้ง" in answer.text
    assert "บรรทัดที่ 3: &#39;9999&#39; ไม่ใช่รหัสของที่ว่าการอำเภอ" in answer.text
    assert "บรรทัดที่ 4: กลุ่มขนาดต้องเป็น small, medium หรือ large" in answer.text
    english = check(officer, bad, lang="en")
    assert "Line 3: &#39;9999&#39; is not the code of a district office." in english.text
    assert 'action="/console/districts/load"' not in english.text
    assert held(running) == dict(START)
    too_big = check(officer, b"code,size_group\n" + b"3706,small\n" * (MAX_CSV_BYTES // 10))
    assert too_big.status_code == 413  # refused before a byte of it was read
    assert "ตารางกลุ่มขนาดต้องไม่เกิน 1,048,576 ไบต์" in too_big.text
    just_over = check(officer, b"x" * (MAX_CSV_BYTES + 1))  # within the body's own limit
    assert just_over.status_code == 422
    assert "ไฟล์นี้มีขนาด 1,048,577 ไบต์ ตารางกลุ่มขนาดต้องไม่เกิน 1,048,576 ไบต์" in just_over.text
    refused = running.store.audit_rows(which=AuditFilter(kind="refused"))
    assert [(r["reason"], r["operator"]) for r in refused] == [("too_large", "officer")] * 2
    assert "1,048,577 bytes" in refused[0]["detail"]
    no_header = check(officer, b"", lang="en")
    assert "it needs a header line <code>code,size_group</code>." in no_header.text
    csrf = csrf_of(officer.get("/console/districts").text)
    no_file = officer.post("/console/districts/check", data={"csrf": csrf})
    assert no_file.status_code == 422
    assert "กรุณาเลือกไฟล์ CSV ที่จะตรวจ" in no_file.text
    assert held(running) == dict(START)
    assert len(running.store.audit_rows(which=AuditFilter(kind="districts"))) == 1  # the start


def test_a_confirmation_is_refused_when_the_table_changed_or_the_form_was_altered(site):
    running, officer = site
    checked = check(officer, b"code,size_group\n3706,large\n")
    form = confirm_form(checked.text)
    running.store.load_districts([("4712", "medium")], None, "cli")  # a change on the server
    stale = officer.post("/console/districts/load", data=form)
    assert stale.status_code == 409
    assert "มีการเปลี่ยนกลุ่มขนาด (โดยเจ้าหน้าที่คนอื่นหรือที่เครื่องแม่ข่าย) หลังจากตรวจไฟล์" in stale.text
    assert held(running)["3706"] == "small"
    altered = officer.post(
        "/console/districts/load", data={**form, "rows": "3706,large 1001,small"}
    )
    assert altered.status_code == 422
    assert "1001 เป็นสำนักงานเขตของกรุงเทพมหานคร" in altered.text
    assert held(running)["3706"] == "small"


def test_a_viewer_or_a_form_without_its_token_changes_nothing(site):
    running, officer = site
    no_role = "บัญชีของท่านไม่มีสิทธิ์ทำสิ่งนี้"  # the role's refusal (access.role), not a missing token's
    with httpx.Client(base_url=running.url, timeout=60) as viewer:
        log_in(viewer, name="viewer")
        assert viewer.get("/console/districts").status_code == 403
        csrf = csrf_of(viewer.get("/console").text)
        data = {"csrf": csrf, "rows": "3706,large", "state": "", "name": "x.csv"}
        for path in ("/console/districts/load", "/console/districts/demo"):
            refused = viewer.post(path, data=data)
            assert refused.status_code == 403
            assert no_role in refused.text
        upload = {"file": ("x.csv", b"code,size_group\n3706,large\n", "text/csv")}
        refused = viewer.post("/console/districts/check", data={"csrf": csrf}, files=upload)
        assert (refused.status_code, no_role in refused.text) == (403, True)
        assert viewer.get("/console/districts.csv").status_code == 403
    checked = check(officer, b"code,size_group\n3706,large\n")
    form = confirm_form(checked.text) | {"csrf": "forged"}
    assert officer.post("/console/districts/load", data=form).status_code == 403
    assert held(running) == dict(START)


def test_the_downloaded_table_loads_again_unchanged(site):
    _running, officer = site
    download = officer.get("/console/districts.csv")
    assert download.status_code == 200
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="size-groups-\d{4}-\d\d-\d\d\.csv"',
        download.headers["content-disposition"],
    )
    assert download.content.startswith("\ufeff".encode())  # Excel opens the Thai as Thai
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0] == {
        "code": "3706", "size_group": "small", "name_th": "หัวตะพาน", "name_en": "Hua Taphan",
        "province_th": "อำนาจเจริญ", "province_en": "Amnat Charoen",
    }  # fmt: skip
    again = check(officer, download.content, lang="en")
    assert (
        "The file names 3 districts: 0 new, 0 moving to another size group, 3 unchanged."
        in again.text
    )
    assert "there is nothing to load" in again.text
    assert "Awards already announced stay" not in again.text  # none is: no such note
    assert 'id="groups-confirm"' not in again.text


def test_the_demo_loads_only_while_no_district_has_a_group(collector_db):
    with serve_collector(collector_db) as running:
        make_operator(running.store, "officer", "officer")
        with httpx.Client(base_url=running.url, timeout=60) as officer:
            log_in(officer, name="officer")
            empty = officer.get("/console/districts").text
            assert "ยังไม่มีอำเภอใดมีกลุ่มขนาด จึงยังลงทะเบียนตู้ไม่ได้" in empty
            answer = officer.post("/console/districts/demo", data={"csrf": csrf_of(empty)})
            assert answer.status_code == 303
            shown = officer.get(answer.headers["location"]).text
            assert "นำเข้าตารางตัวอย่างแล้ว (878 อำเภอ)" in shown
            assert 'action="/console/districts/demo"' not in shown
            expected = dict(parse_districts_csv(demo_csv())[0])
            assert held(running) == expected
            later = officer.get("/console/districts").text  # every visit says it is the demo
            assert "กลุ่มขนาดที่ใช้อยู่นี้เป็นตารางตัวอย่างที่มากับโปรแกรม" in later
            row = running.store.audit_rows(which=AuditFilter(kind="districts"))[0]
            assert row["detail"] == (
                "size groups loaded for 878 districts from the bundled demo classification"
                " (not the department's): 878 added, 0 moved, 0 unchanged"
            )
            running.store.load_districts([("3706", "large")], None, "cli")
            assert 'id="groups-demo-in-use"' not in officer.get("/console/districts").text
            again = officer.post("/console/districts/demo", data={"csrf": csrf_of(shown)})
            assert again.status_code == 409
            assert "ไม่ได้นำเข้าตารางตัวอย่าง: มีอำเภอที่มีกลุ่มขนาดแล้ว" in again.text
            assert held(running)["3706"] == "large"


def test_two_loads_checked_against_one_table_on_two_servers_take_turns(pg_url):
    """On PostgreSQL, a load waits for another under way and then finds the table changed;
    without the table lock it would read the old state and both would be stored."""
    with CollectorStore(pg_url, FakeClock()) as first, CollectorStore(pg_url) as second:
        first.load_districts(START)
        state = preview(first, [("3706", "large")]).state
        outcome: list[object] = []

        def other_officer() -> None:
            try:
                outcome.append(
                    second.load_districts([("3706", "medium")], "malee", "console", state)
                )
            except StoreError as refused:
                outcome.append(refused.code)

        waiting = threading.Thread(target=other_officer)
        with first.transaction() as conn:
            groups.write(conn, groups.records([("3706", "large")]), state, None)
            waiting.start()
            deadline = time.monotonic() + 30
            while not _a_lock_is_awaited(first) and time.monotonic() < deadline:
                time.sleep(0.01)  # polling PostgreSQL for the other load to reach the lock
            assert _a_lock_is_awaited(first), "the other load did not wait for this one"
        waiting.join()
        assert outcome == ["districts_changed"]
        assert {d.code: d.size_group for d in held_by(first)}["3706"] == "large"


def _a_lock_is_awaited(store) -> bool:
    with store.engine.connect() as conn:
        return bool(
            conn.execute(sa.text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar()
        )


def test_after_the_window_an_officer_confirms_before_checking_or_loading(tmp_path):
    with serve_collector(tmp_path / "collector.sqlite3", START) as running:
        running.store.clock = FakeClock()
        make_operator(running.store, "officer", "officer")
        with httpx.Client(base_url=running.url, timeout=60) as officer:
            csrf = log_in(officer, name="officer")
            _confirms_first(running, officer, csrf)


def _confirms_first(running, officer, csrf):
    checked = check(officer, b"code,size_group\n3706,large\n")
    assert "ทำรายการสำคัญได้ถึงเวลา 10:15 น." in checked.text  # by the load button
    form = confirm_form(checked.text)
    running.store.clock.advance(CONFIRM_WINDOW.total_seconds() + 60)
    for answer in (
        officer.post("/console/districts/load", data=form),
        check(officer, b"code,size_group\n3706,large\n"),
        officer.post("/console/districts/demo", data={"csrf": csrf}),
    ):
        assert answer.status_code == 401
        assert 'action="/console/confirm"' in answer.text
    assert held(running) == dict(START)
    page = officer.get("/console/districts").text  # before choosing a file, the officer reads:
    note = page[page.index('id="confirm-state"') : page.index('action="/console/districts/check"')]
    assert "จะขอรหัสผ่านของท่านก่อน" in note
    assert "ไฟล์ที่เลือกไว้ต้องกรอกหรือเลือกใหม่" in note
    link = re.search(r'<a href="([^"]*)" id="confirm-now">ยืนยันตัวตนตอนนี้</a>', note)
    assert link
    asked = officer.get(link.group(1)).text
    assert 'name="next" value="/console/districts"' in asked
    confirmed = officer.post(
        "/console/confirm",
        data={"csrf": csrf, "password": PASSWORD, "next": "/console/districts"},
        follow_redirects=False,
    )
    assert confirmed.headers["location"] == "/console/districts"
    assert "ทำรายการสำคัญได้ถึงเวลา 10:31 น." in officer.get("/console/districts").text
    again = check(officer, b"code,size_group\n3706,large\n")
    assert officer.post("/console/districts/load", data=confirm_form(again.text)).status_code == 303
    assert held(running)["3706"] == "large"
