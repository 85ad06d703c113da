"""The console as an officer uses it, in a real Chromium: log in, revoke, tokens, a stick.

Every step is what a person does: type into the fields, press the buttons, read the page. The
collector is served by uvicorn on 127.0.0.1 with real kiosks' votes in it.
"""

import os

import pyotp
import pytest
import requests

from collector.keys import load_collector_key
from collector.store.audit import AuditFilter
from kiosk.roster import Roster
from sync import usb, usb_export
from tests.collector_server import serve_collector
from tests.console import PASSWORD, make_operator
from tests.e2e.browser import browser_page
from tests.e2e.chromium import chromium_path
from tests.e2e.populate import DISTRICTS, populate
from tests.kiosks import enroll
from wire.keys import fingerprint_for_id
from wire.stick import receipt_file_for

pytestmark = [
    pytest.mark.skipif(
        chromium_path() is None and not os.environ.get("SANGSUK_REQUIRE_CHROMIUM"),
        reason="chromium is not installed",
    ),
    pytest.mark.render,
]


@pytest.fixture
def collector(tmp_path):
    with serve_collector(tmp_path / "collector.sqlite3", DISTRICTS) as running:
        sent = populate(running.url, running.store, tmp_path / "kiosks")
        make_operator(running.store, "somchai", "officer")
        yield running, sent


def log_in(page, url, name="somchai", password=PASSWORD):
    page.goto(f"{url}/console")  # a private page: the browser is sent to the login form
    assert "/login?next=" in page.url
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/console")


def test_an_officer_logs_in_in_thai_and_revokes_a_stolen_kiosk(collector, tmp_path):
    running, sent = collector
    stolen = sent.kiosks["3706"]
    with browser_page() as page:
        page.goto(f"{running.url}/login")
        assert page.inner_text("h1") == "เข้าสู่ระบบคอนโซล"
        page.fill("#name", "somchai")
        page.fill("#password", "not the password at all")
        page.click("button[type=submit]")
        assert page.inner_text("#login-error") == "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
        log_in(page, running.url)
        assert "somchai" in page.inner_text("form.who")
        page.click("nav >> text=ตู้ประเมิน")
        page.wait_for_url(f"{running.url}/kiosks")
        page.fill("#q", stolen[:10])
        page.click("form.search button")
        rows = page.locator("tr[data-kiosk]")
        assert rows.count() == 1
        rows.first.locator("a.revoke-link").click()
        # The kiosk named as the clerk reads it on the tablet's overview, not its raw id.
        assert fingerprint_for_id(stolen) in page.inner_text("main")
        page.click("button.danger")  # no reason given: the browser asks for one (required)
        assert not running.store.kiosk_status(stolen).revoked
        page.fill("#reason", "ตู้ถูกขโมยจากที่ว่าการอำเภอ")
        page.click("button.danger")
        page.wait_for_url(f"{running.url}/kiosks?q={stolen}")
        assert running.store.kiosk_status(stolen).revoked
        assert "ถูกเพิกถอน" in page.inner_text(f"tr[data-kiosk='{stolen}']")
        assert page.locator(f"tr[data-kiosk='{stolen}'] a.revoke-link").count() == 0
        page.goto(f"{running.url}/audit?kind=revoked")
        row = page.locator("tr.kind-revoked").first
        assert "somchai" in row.inner_text()
        assert "ตู้ถูกขโมยจากที่ว่าการอำเภอ" in row.inner_text()
        page.screenshot(path=str(tmp_path / "audit.png"), full_page=True)
        page.click("form.who button")  # log out
        page.goto(f"{running.url}/audit")
        assert "/login?next=" in page.url


def test_an_officer_issues_tokens_and_a_kiosk_enrolls_with_one_read_off_the_sheet(
    collector, make_kiosk, tmp_path
):
    running, _ = collector
    with browser_page() as page:
        log_in(page, running.url)
        page.goto(f"{running.url}/console/tokens")
        page.fill("#codes", "3706, 9999")  # one code is not a district office
        page.click("form[action='/console/tokens'] button[type=submit]")
        assert page.locator("#token-problems").is_visible()
        assert "9999" in page.inner_text("#token-problems")
        assert "ใช้ทดสอบบนเครื่องนี้เท่านั้น" in page.inner_text("#token-problems")
        page.fill("#codes", "3706\n3701")
        page.check("#local-test")  # this test's collector is on 127.0.0.1
        page.click("form[action='/console/tokens'] button[type=submit]")
        sheets = page.locator("section.sheet")
        assert sheets.count() == 2
        assert [sheets.nth(i).get_attribute("data-district") for i in (0, 1)] == ["3706", "3701"]
        token = sheets.nth(0).locator(".token-text").inner_text().strip()
        assert sheets.nth(0).locator(".token-card .qr-box svg").count() == 1
        page.emulate_media(media="print")
        page.screenshot(path=str(tmp_path / "sheet-print.png"), full_page=True)
    kiosk = make_kiosk()
    answer = requests.post(
        f"{running.url}/api/v1/enroll",
        json={"token": token, "public_key": kiosk.key.public_key_raw.hex()},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["district"] == "3706"
    issued = [
        (r["source"], r["operator"])
        for r in running.store.audit_rows(50, AuditFilter(kind="token", operator="somchai"))
    ]
    assert issued == [("console", "somchai")] * 2  # 3701's, then 3706's


def test_an_officer_uploads_a_stick_folder_and_puts_the_receipts_back(
    collector, make_kiosk, tmp_path
):
    running, _ = collector
    kiosk = make_kiosk(district="3706")
    enroll(running.store, kiosk)
    kiosk.cast(12)
    stick = tmp_path / "SANGSUK_USB"
    stick.mkdir()
    exported = usb_export.export_with_summary(
        kiosk.ledger, kiosk.key, kiosk.district, stick, 5, Roster()
    )
    batches = list(exported.files)
    assert len(batches) == 3
    with browser_page() as page:
        log_in(page, running.url)
        page.goto(f"{running.url}/console/import")
        page.set_input_files("#folder", str(stick))  # the whole stick, as a folder
        page.click("form.stacked button[type=submit]")
        rows = page.locator("tr[data-outcome]")
        assert rows.count() == 3
        assert {rows.nth(i).get_attribute("data-outcome") for i in range(3)} == {"accepted"}
        page.screenshot(path=str(tmp_path / "import-result.png"), full_page=True)
        for batch in batches:
            with page.expect_download() as downloading:
                page.locator(f"tr[data-file$='{batch.name}'] button").click()
            download = downloading.value
            assert download.suggested_filename == receipt_file_for(batch).name
            download.save_as(receipt_file_for(batch))  # back on the stick, beside its batch
    collector_key = load_collector_key(running.db_path).public_key
    marked = sum(
        usb.import_receipt(kiosk.ledger, receipt_file_for(b), collector_key, kiosk.key.kiosk_id)
        for b in batches
    )
    assert marked == 12
    assert kiosk.ledger.counts().pending == 0
    (imported,) = running.store.audit_rows(5, AuditFilter(kind="import"))
    assert imported["operator"] == "somchai"


def test_an_officer_turns_the_second_step_on_and_reads_every_recovery_code_on_a_phone(tmp_path):
    """The recovery codes are shown once: on a phone each code stands whole in one column,
    its number beside it and clear of any other code; on a wide window they share two columns."""
    with serve_collector(tmp_path / "collector.sqlite3") as running:
        make_operator(running.store, "somchai", "officer")
        with browser_page(PHONE, 844) as page:
            log_in(page, running.url)
            page.goto(f"{running.url}/console/second-step")
            secret = page.inner_text("#secret").replace(" ", "")
            page.fill("#password", PASSWORD)
            page.fill("#code", pyotp.TOTP(secret).now())
            page.click("form.stacked button[type=submit]")
            page.wait_for_selector("#recovery-codes")
            assert page.inner_text("h1") == "รหัสกู้คืนของท่าน"
            # A sheet of codes says whose login it opens, and where; printed, it has no button.
            assert page.inner_text("#codes-for").startswith("สำหรับบัญชี somchai ที่ 127.0.0.1:")
            page.emulate_media(media="print")
            assert not page.locator("a.button-link").is_visible()
            assert page.locator("#codes-for").is_visible()
            page.emulate_media(media="screen")
            phone = page.evaluate(CODE_BOXES)
            page.set_viewport_size({"width": 1280, "height": 900})
            wide = page.evaluate(CODE_BOXES)
    assert len(phone) == 10
    for box in phone + wide:  # each code stands whole inside its own item, not spilled over
        text, item = box["text"], box["item"]
        assert item[0] <= text[0], box
        assert text[2] <= item[2] + 0.5, box
    assert len({round(box["item"][0]) for box in phone}) == 1  # one column on a phone
    left, right = wide[:5], wide[5:]
    assert len({round(box["item"][0]) for box in left}) == 1
    assert len({round(box["item"][0]) for box in right}) == 1
    # The second column's numbers ("10.") stand in the gap, clear of the first column's codes.
    gap = right[0]["item"][0] - max(box["text"][2] for box in left)
    assert gap >= 2.5 * right[0]["em"], (gap, right[0]["em"])


PHONE = 390
# Each recovery code's item box and the box its text takes ([left, top, right, bottom] in CSS
# pixels), and the item's font size.
CODE_BOXES = """() => [...document.querySelectorAll('#recovery-codes li')].map(li => {
  const item = li.getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(li);
  const text = range.getBoundingClientRect();
  return {item: [item.left, item.top, item.right, item.bottom],
          text: [text.left, text.top, text.right, text.bottom],
          em: parseFloat(getComputedStyle(li).fontSize)};
})"""
