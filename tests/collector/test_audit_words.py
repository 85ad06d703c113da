"""Every audit row reads as a sentence in Thai (and in English), the technical detail kept.

The central office's officers read Thai; the audit page's "detail" was English written when the
row was made. Now each row says what happened in the reader's language, worded from its kind,
reason, kiosk, source, operator and the facts it keeps (collector/routes/audit_words.py), with
the English detail under "technical detail". A row written before the facts were kept says what
it can and shows its English detail open.
"""

from __future__ import annotations

import json
import re
from html import unescape

import httpx
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from collector.auth.accounts import Accounts
from collector.cli import main
from collector.i18n import Translator
from collector.routes.audit_words import said, via
from collector.store import CollectorStore, campaigns
from collector.store import audit as audit_log
from collector.store.target import DatabaseTarget
from tests.collector_server import serve_collector
from tests.console import PASSWORD, log_in, make_operator
from tests.fakes import FakeClock
from wire.keys import fingerprint_for_id


def audit_rows(html: str) -> dict[str, dict[str, str]]:
    """The audit table's rows by kind:reason (the newest of each): its sentence (tags
    removed), its technical detail, and whether that detail is shown open."""
    found: dict[str, dict[str, str]] = {}
    for kind, reason, body in re.findall(
        r'<tr class="kind-([\w-]+)" data-reason="([^"]*)" data-id="\d+">(.*?)</tr>', html, re.S
    ):
        sentence = re.search(r'<span class="sentence">(.*?)</span>', body, re.S)
        detail = re.search(r'<details class="detail"( open)?><summary>.*?</summary>'
                           r'<span class="mono wrap" lang="en">(.*?)</span>', body, re.S)  # fmt: skip
        assert sentence, body
        found.setdefault(
            f"{kind}:{unescape(reason)}",
            {
                "said": unescape(re.sub(r"<[^>]+>", "", sentence.group(1))),
                "detail": unescape(detail.group(2)) if detail else "",
                "open": "open" if detail and detail.group(1) else "",
            },
        )
    return found


@pytest.fixture
def audited(tmp_path, make_kiosk):
    """A collector whose audit holds an officer's day: accounts, a token, an enrollment over
    the network, a revocation, a setting, a failed login, a page above a viewer's role, and
    two rows from before their facts were kept."""
    with serve_collector(tmp_path / "collector.sqlite3", [("3706", "small")]) as running:
        store = running.store
        make_operator(store, "somchai", "admin")
        make_operator(store, "malee", "viewer")
        token = store.issue_token("3706", operator="somchai", source="console")
        kiosk = make_kiosk()
        body = {"token": token, "public_key": kiosk.key.public_key_raw.hex()}
        with httpx.Client(base_url=running.url, timeout=30) as client:
            assert client.post("/api/v1/enroll", json=body).status_code == 200
            store.issue_token("3706", operator="somchai", source="console")
            store.void_tokens("3706", operator="somchai", source="console")
            store.revoke(kiosk.key.kiosk_id, "เครื่องหาย", operator="somchai", source="console")
            store.set_setting("results_public", "no", operator="somchai", source="console")
            form = client.get("/login").text
            csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
            client.post("/login", data={"name": "somchai", "password": "wrong", "csrf": csrf})
            log_in(client, name="malee")
            assert client.get("/console/users", follow_redirects=False).status_code == 403
            with store.transaction() as conn:  # rows as an older collector wrote them
                audit_log.write(
                    conn, store.now(), "operator", "added", "operator daeng added as officer",
                    None, "console", None, "somchai",
                )  # fmt: skip
                audit_log.write(
                    conn, store.now(), "mystery", "something", "a row of a kind not known here",
                )  # fmt: skip
            yield running, client, kiosk


def test_each_row_is_a_thai_sentence_with_the_english_detail_kept(audited):
    _running, client, kiosk = audited
    rows = audit_rows(client.get("/audit?lang=th").text)
    fingerprint = fingerprint_for_id(kiosk.key.kiosk_id)
    said = {key: row["said"] for key, row in rows.items()}
    assert said["login:ok"] == "malee เข้าสู่ระบบคอนโซลจากที่อยู่ 127.0.0.1 ด้วยรหัสผ่าน"
    assert said["refused:login_failed"] == (
        "มีผู้ใส่ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้องสำหรับ somchai จากที่อยู่ 127.0.0.1"
    )
    assert said["refused:role_page"] == (
        "malee (ผู้ดูข้อมูล) เปิดหน้า /console/users ซึ่งเกินสิทธิ์ของบทบาท ระบบไม่ได้แสดงข้อมูลของหน้านั้น"
    )
    assert said["settings:results_public"] == "somchai เปลี่ยนการตั้งค่า: การเปิดผลให้ทุกคนดู เป็น ไม่ใช่"
    assert said["revoked:revoked"] == (
        f"somchai เพิกถอนตู้ประเมิน {fingerprint} ตั้งแต่นี้ไประบบจะปฏิเสธชุดข้อมูลจากตู้นี้"
        " ผลการประเมินที่รับไว้แล้วยังอยู่ เหตุผลที่ระบุ: เครื่องหาย"
    )
    assert said["token:voided"] == (
        "somchai ยกเลิกรหัสลงทะเบียนที่ยังไม่ได้ใช้ของอำเภอ 3706 หัวตะพาน จำนวน 1 รหัส"
        " ตู้ประเมินที่ใช้รหัสเหล่านี้จะถูกปฏิเสธ"
    )
    assert said["token:issued"] == "somchai ออกรหัสลงทะเบียนสำหรับอำเภอ 3706 หัวตะพาน"
    assert said["enrolled:new"].startswith(
        f"ตู้ประเมิน {fingerprint} ลงทะเบียนทางเครือข่ายกับอำเภอ 3706 หัวตะพาน ด้วยรหัสลงทะเบียนที่ออกเมื่อ "
    )
    assert "2569" in said["enrolled:new"]
    assert "2026" not in said["enrolled:new"]
    # The two accounts made on the server's command line, and the older row: its words
    # from its kind and reason, and who, with the English detail shown open.
    assert said["operator:added"] == "เพิ่มบัญชีผู้ใช้ (ผู้กระทำ: somchai)"
    assert rows["operator:added"]["open"] == "open"
    assert rows["operator:added"]["detail"] == "operator daeng added as officer"
    assert said["mystery:something"] == "mystery (ผู้กระทำ: ไม่ทราบผู้กระทำ)"
    assert rows["mystery:something"]["detail"] == "a row of a kind not known here"
    # A row with its facts keeps its English detail too, folded under "technical detail".
    assert rows["revoked:revoked"]["detail"] == ("kiosk revoked by the central office: เครื่องหาย")
    assert rows["revoked:revoked"]["open"] == ""
    thai = [row["said"] for row in rows.values()]
    assert all(re.search("[\u0e00-\u0e7f]", s) for s in thai), thai


def test_each_row_is_an_english_sentence_in_english(audited):
    _running, client, kiosk = audited
    rows = audit_rows(client.get("/audit?lang=en").text)
    said = {key: row["said"] for key, row in rows.items()}
    fingerprint = fingerprint_for_id(kiosk.key.kiosk_id)
    assert said["login:ok"] == "malee logged in to the console from 127.0.0.1 with the password."
    assert said["refused:role_page"] == (
        "malee (viewer) opened /console/users, a page above their role; nothing of it was shown."
    )
    assert (
        said["token:issued"] == "somchai issued an enrollment token for district 3706 Hua Taphan."
    )
    assert said["settings:results_public"] == (
        "somchai changed a setting: Whether the results are public, now no."
    )
    assert said["enrolled:new"].startswith(
        f"Kiosk {fingerprint} enrolled over the network for district 3706 Hua Taphan, with a"
        " token issued on "
    )
    assert said["operator:added"] == "Account added (by somchai)"
    assert said["mystery:something"] == "mystery (by someone)"


def test_the_facts_are_stored_beside_the_english_detail(audited):
    running, _client, _kiosk = audited
    rows = running.store.audit_rows(100)
    (added,) = [r for r in rows if r["detail"] == "operator malee added as viewer"]
    assert added["facts"] == {"name": "malee", "role": "viewer"}
    (failed,) = [r for r in rows if r["reason"] == "login_failed"]
    assert failed["facts"] == {"name": "somchai", "where": "login"}
    (old,) = [r for r in rows if r["kind"] == "mystery"]
    assert old["facts"] == {}  # a row from before revision 0014


def test_a_wrong_password_at_the_login_page_is_worded_without_knowing_the_name(audited):
    _running, client, _kiosk = audited
    rows = audit_rows(client.get("/audit?lang=en&kind=refused").text)
    assert rows["refused:login_failed"]["said"] == (
        "Someone at 127.0.0.1 gave a wrong name or password for somchai."
    )
    assert PASSWORD not in client.get("/audit?lang=en").text


def test_the_json_of_the_audit_command_keeps_its_english_columns_and_adds_the_facts(
    audited, capsys
):
    running, _client, kiosk = audited
    assert main(["audit", "--json", "--db", str(running.store.path)]) == 0
    printed = json.loads(capsys.readouterr().out)
    (revoked,) = [r for r in printed["audit"] if r["kind"] == "revoked"]
    assert revoked["reason"] == "revoked"
    assert revoked["kiosk"] == kiosk.key.kiosk_id
    assert revoked["detail"] == "kiosk revoked by the central office: เครื่องหาย"
    assert revoked["facts"] == {"why": "เครื่องหาย"}
    (old,) = [r for r in printed["audit"] if r["kind"] == "mystery"]
    assert old["facts"] == {}


def test_0014_adds_the_facts_and_keeps_every_older_row_readable(collector_db):
    """Down to 0013 and up again on each backend: the rows and their English details stay,
    the facts column comes back empty, and each row still has its sentence."""
    with CollectorStore(collector_db, FakeClock()) as store:
        store.load_districts([("3706", "small")])
        store.issue_token("3706", operator="somchai", source="console")
    engine = sa.create_engine(DatabaseTarget.parse(collector_db).url)
    config = Config()
    config.set_main_option("script_location", "collector.store:migrations")
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0013")
            assert "facts" not in [c["name"] for c in sa.inspect(conn).get_columns("audit")]
    finally:
        engine.dispose()
    with CollectorStore(collector_db, FakeClock()) as store:  # upgraded to the head again
        rows = {r["kind"]: r for r in store.audit_rows(10)}
    assert rows["token"]["detail"] == "enrollment token issued for district 3706"
    assert rows["token"]["facts"] == {}
    words = said(Translator("th"), rows["token"], "ออกรหัสลงทะเบียน")
    assert (words.text, words.full) == ("ออกรหัสลงทะเบียน (ผู้กระทำ: somchai)", False)
    loaded = said(Translator("en"), rows["districts"], None)
    assert loaded.full is False
    assert unescape(loaded.text) == "Size groups (by the server's command line (sangsuk-collector))"


def test_the_stores_other_actions_are_said_from_their_facts(store):
    """A district table loaded, a campaign defined, an account changed, a second step turned
    on and off: each row of the real store is a full sentence in both languages."""
    accounts = Accounts(store)
    accounts.create("malee", "officer", PASSWORD, "somchai", "console")
    accounts.operators.change("malee", "somchai", "console", role="viewer", disabled=True)
    campaigns.add(store, campaigns.make(
        2569, "ประเมินอำเภอ ๒๕๖๙", "District rating 2569", "2026-11-01", "2026-11-30",
        "สุขใจ", "Happy",
    ), operator="somchai", source="console")  # fmt: skip
    rows = {f"{r['kind']}:{r['reason']}": r for r in store.audit_rows(20)}
    th, en = Translator("th"), Translator("en")

    def both(key: str) -> tuple[str, str]:
        a, b = said(th, rows[key], None), said(en, rows[key], None)
        assert a.full, key
        assert b.full, key
        return unescape(a.text), unescape(b.text)

    assert both("districts:loaded") == (
        "ผู้ดูแลเซิร์ฟเวอร์ (คำสั่ง sangsuk-collector) นำเข้ากลุ่มขนาดของอำเภอ 3 อำเภอ:"
        " เพิ่มใหม่ 3 ย้ายกลุ่ม 0 ไม่เปลี่ยน 0",
        "The server's command line (sangsuk-collector) loaded the size groups of 3 districts:"
        " 3 new, 0 moved to another group, 0 unchanged.",
    )
    assert both("campaign:defined") == (
        "somchai กำหนดแคมเปญปี 2569 “ประเมินอำเภอ ๒๕๖๙” ตั้งแต่วันที่ 1 พ.ย. 2569 ถึงวันที่"
        " 30 พ.ย. 2569 ตามเวลาประเทศไทย (นับรวมทั้งสองวัน)",
        "somchai defined campaign 2569 “District rating 2569”: 1 Nov 2026 to 30 Nov 2026,"
        " Thai days, both included.",
    )
    assert both("operator:changed") == (
        "somchai แก้ไขบัญชีผู้ใช้ malee: เปลี่ยนบทบาทเป็นผู้ดูข้อมูล ปิดการใช้งาน (ออกจากระบบทันที)",
        "somchai changed the account malee: role now viewer, disabled (logged out at once).",
    )
    assert both("operator:added")[0] == "somchai เพิ่มบัญชีผู้ใช้ malee ในบทบาทเจ้าหน้าที่"


@pytest.mark.parametrize(
    ("source", "th", "en"),
    [
        ("console", "ผ่านคอนโซล", "in the console"),
        ("confirm", "ผ่านคอนโซล", "in the console"),
        ("http", "ทางเครือข่าย", "over the network"),
        ("usb", "จากแฟลชไดรฟ์", "from a USB stick"),
        ("cli", "ด้วยคำสั่งบนเซิร์ฟเวอร์", "on the server's command line"),
        ("login", "ที่หน้าเข้าสู่ระบบ", "at the login page"),
        (None, "–", "–"),
    ],
)
def test_the_way_a_row_came_is_in_words(source, th, en):
    assert unescape(via(Translator("th"), source)) == th
    assert unescape(via(Translator("en"), source)) == en
