"""A real Chromium a test can drive (log in, fill forms, upload, download), through Playwright.

Playwright drives Debian's chromium (the same binary tests/e2e/chromium.py runs), so nothing
is downloaded: no browser of Playwright's own is used. Each ``browser_page`` is a fresh
profile; downloads are accepted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Page, sync_playwright

from tests.e2e.chromium import chromium_path

FLAGS = ("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic")


@contextmanager
def browser_page(width: int = 1366, height: int = 900) -> Iterator[Page]:
    """A page in a new headless Chromium window of width x height, closed afterwards."""
    binary = chromium_path()
    if binary is None:
        raise FileNotFoundError("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=binary, args=list(FLAGS))
        try:
            context = browser.new_context(
                viewport={"width": width, "height": height}, accept_downloads=True
            )
            page = context.new_page()
            page.set_default_timeout(30_000)
            yield page
            context.close()
        finally:
            browser.close()
