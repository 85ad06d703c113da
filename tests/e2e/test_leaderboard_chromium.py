"""End to end in a real browser: headless Chromium opens the leaderboard that uvicorn serves."""

import os
import re
import struct

import pytest

from tests.collector_server import serve_collector
from tests.e2e.browser import browser_page
from tests.e2e.chromium import chromium_path, dump_dom, screenshot
from tests.e2e.populate import DISTRICTS, WINNERS, populate

# A developer without Chromium skips these; CI (.ci/run sets SANGSUK_REQUIRE_CHROMIUM) installs
# it, so there a missing browser fails instead of passing silently.
pytestmark = pytest.mark.skipif(
    chromium_path() is None and not os.environ.get("SANGSUK_REQUIRE_CHROMIUM"),
    reason="chromium is not installed",
)


@pytest.fixture
def collector(tmp_path):
    with serve_collector(tmp_path / "collector.sqlite3", DISTRICTS) as running:
        populate(running.url, running.store, tmp_path / "kiosks")
        yield running


def test_chromium_finds_the_leaders_and_the_method_on_the_leaderboard(collector, tmp_path):
    dom = dump_dom(f"{collector.url}/leaderboard?lang=en")
    for group, code in WINNERS.items():
        start = dom.index(f'id="group-{group}"')
        end = dom.find("</section>", start)
        leader = re.search(r'<tr class="leader" data-code="(\d{4})" data-rank="1">', dom[start:end])
        assert leader, group
        assert leader.group(1) == code
        assert "Leading now" in dom[start:end]
        assert "Winner" not in dom[start:end]  # not announced: nobody is called the winner
    assert "How districts are ranked" in dom
    assert "with C = 50" in dom
    # The page's font is the bundled Sarabun, fetched from the collector itself.
    assert '<link rel="stylesheet" href="/static/site.css">' in dom


def test_chromium_renders_the_thai_leaderboard_to_a_picture(collector, tmp_path):
    picture = tmp_path / "leaderboard-th.png"
    screenshot(f"{collector.url}/leaderboard?lang=th", picture, 1000, 900)
    data = picture.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1000, 900)
    assert len(data) > 20_000  # a page with text, not a blank window


PHONE = 390  # CSS pixels: the width of a common phone held upright
PUBLIC_PAGES = ["/", "/leaderboard", "/districts/3706", "/districts/4701"]


def test_the_public_pages_fit_a_phone_without_scrolling_sideways(collector, tmp_path):
    """A citizen reading the results on a phone never scrolls the page sideways; a table
    wider than the screen scrolls in its own box, and the green header spans the screen."""
    with browser_page(PHONE, 844) as page:
        for lang in ("th", "en"):
            for path in PUBLIC_PAGES:
                page.goto(f"{collector.url}{path}?lang={lang}")
                wide = page.evaluate("document.documentElement.scrollWidth")
                header = page.evaluate("document.querySelector('header.top').offsetWidth")
                assert (wide, header) == (PHONE, PHONE), f"{path} in {lang}"
                if path == "/leaderboard":
                    page.screenshot(path=str(tmp_path / f"phone-{lang}.png"), full_page=True)
        # Every cell of the leaderboard's table is still there, behind a sideways scroll.
        page.goto(f"{collector.url}/leaderboard?lang=th")
        assert page.locator("tr.leader").count() == len(WINNERS)
