"""Defining a campaign in a real Chromium: the year typed in Thai digits, the days picked in the
browser's date fields, the check step read in Buddhist-era words, the box ticked, then saved."""

import os

import pytest

from collector.store import campaigns
from tests.collector_server import serve_collector
from tests.console import PASSWORD, make_operator
from tests.e2e.browser import browser_page
from tests.e2e.chromium import chromium_path

pytestmark = [
    pytest.mark.skipif(
        chromium_path() is None and not os.environ.get("SANGSUK_REQUIRE_CHROMIUM"),
        reason="chromium is not installed",
    ),
    pytest.mark.render,
]


def test_an_officer_checks_a_campaign_in_thai_before_it_is_defined(tmp_path):
    with serve_collector(tmp_path / "collector.sqlite3", [("3706", "small")]) as running:
        make_operator(running.store, "somchai", "officer")
        with browser_page() as page:
            page.goto(f"{running.url}/login?lang=th")
            page.fill("#name", "somchai")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{running.url}/console")
            page.goto(f"{running.url}/console/campaigns")
            page.fill("#year", "๒๕๗๐")  # the Kedmanee keyboard's digits
            page.fill("#starts_on", "2027-11-01")  # shown by Chromium as 11/01/2027
            page.fill("#ends_on", "2027-11-30")
            for field, text in (
                ("#name_th", "ประเมินอำเภอ ๒๕๗๐"), ("#name_en", "District rating 2570"),
                ("#slogan_th", "บอกเราหน่อย"), ("#slogan_en", "Tell us"),
            ):  # fmt: skip
                page.fill(field, text)
            assert page.inner_text("#starts_on-hint").startswith("ปี ค.ศ. (เช่น ")  # this year's
            page.click("button.primary")
            page.wait_for_selector("#check")
            assert page.inner_text("#check-line") == "ปี 2570: 1 พ.ย. 2570 – 30 พ.ย. 2570, 30 วัน"
            assert "เลือกไว้: 1 พ.ย. 2570" in page.inner_text("#starts_on-hint")
            assert campaigns.every(running.store) == []  # nothing saved by the check
            define = page.locator("form[action='/console/campaigns/define'] button")
            define.click()  # not ticked: the browser keeps the form (the box is required)
            assert page.locator("#check").is_visible()
            assert campaigns.every(running.store) == []
            page.check("input[name=confirm]")
            define.click()
            page.wait_for_url(f"{running.url}/console/campaigns?done=added")
            assert page.inner_text("p.success") == "กำหนดแคมเปญแล้ว"
            assert "1 พ.ย. 2570 – 30 พ.ย. 2570" in page.inner_text("tr[data-year='2570']")
        (held,) = campaigns.every(running.store)
        assert (held.year, held.created_by) == (2570, "somchai")
