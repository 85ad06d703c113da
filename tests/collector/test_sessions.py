"""One's open sessions on the account page, and logging out everywhere else.

Over real HTTP to a real collector (a fake clock where time must pass): two browsers log in
with the same name, each with its own User-Agent, and the account page lists both.
"""

import re
from contextlib import ExitStack, contextmanager

import httpx
import pytest

from collector.i18n import Translator
from collector.routes.sessions import browser_of
from collector.store.audit import AuditFilter
from tests.collector_server import serve_collector
from tests.console import csrf_of, log_in, make_operator
from tests.fakes import FakeClock

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; SM-X210) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture
def collector(tmp_path):
    with serve_collector(tmp_path / "collector.sqlite3") as running:
        running.store.clock = FakeClock()
        make_operator(running.store, "somchai", "officer")
        yield running


@contextmanager
def browsers(collector, other_server=None):
    """Two browsers logged in as somchai: Firefox in the office and Chrome on a tablet (which
    reaches other_server, when given: as two servers behind one address would be reached)."""
    with ExitStack() as stack:
        pair = [
            stack.enter_context(
                httpx.Client(base_url=server.url, timeout=30, headers={"User-Agent": agent})
            )
            for server, agent in (
                (collector, FIREFOX_WINDOWS),
                (other_server or collector, CHROME_ANDROID),
            )
        ]
        for client in pair:
            log_in(client, name="somchai")
        yield pair


def session_rows(html):
    """The account page's session rows: (the browser cell's text, whether it is this one)."""
    section = html[html.index('id="sessions"') :]
    found = re.findall(r"<tr( class=\"current\")?>\s*<td[^>]*>(.*?)</td>", section, re.S)
    return [(re.sub(r"<[^>]+>", "", cell).strip(), bool(mine)) for mine, cell in found]


def test_the_account_page_lists_each_browser_logged_in_and_marks_this_one(collector):
    with browsers(collector) as (office, tablet):
        collector.store.clock.advance(300)
        page = office.get("/console/password").text  # the one asking was used last: first
        assert session_rows(page) == [
            ("Firefox บน Windows เบราว์เซอร์นี้", True),
            ("Chrome บน Android", False),
        ]
        assert "127.0.0.1" in page
        assert "ออกจากระบบในที่อื่นทั้งหมด (1)" in page
        assert session_rows(tablet.get("/console/password").text) == [
            ("Chrome บน Android เบราว์เซอร์นี้", True),
            ("Firefox บน Windows", False),
        ]
        english = office.get("/console/password?lang=en").text
        assert ("Firefox on Windows this browser", True) in session_rows(english)
        assert "after 2 h unused, or 12 h after it started" in english


def test_logging_out_everywhere_else_ends_the_other_browsers_only(collector):
    with browsers(collector) as (office, tablet):
        page = office.get("/console/password")
        answer = office.post(
            "/console/sessions/others", data={"csrf": csrf_of(page.text)}, follow_redirects=False
        )
        assert answer.status_code == 303
        assert answer.headers["location"] == "/console/password?ended=1#sessions"
        page = office.get(answer.headers["location"]).text
        assert "ออกจากระบบในที่อื่นแล้ว 1 แห่ง" in page
        assert session_rows(page) == [("Firefox บน Windows เบราว์เซอร์นี้", True)]
        assert "ท่านเข้าสู่ระบบอยู่ที่นี่เพียงแห่งเดียว" in page
        # The tablet is sent to the login page; the office browser goes on.
        assert (
            tablet.get("/console", follow_redirects=False).headers["location"].startswith("/login")
        )
        assert office.get("/console", follow_redirects=False).status_code == 200
        assert "ออกจากระบบในที่อื่นทั้งหมด" in office.get("/audit?kind=login").text
    rows = collector.store.audit_rows(20, AuditFilter(kind="login"))
    said = [(row["reason"], row["detail"]) for row in rows]
    assert ("logout_others", "somchai logged out of 1 other session") in said


def test_logging_out_everywhere_else_reaches_a_session_on_another_server(collector_db):
    with serve_collector(collector_db) as one, serve_collector(collector_db) as two:
        make_operator(one.store, "somchai", "officer")
        with browsers(one, two) as (office, tablet):
            page = office.get("/console/password").text
            assert [shown for shown, _ in session_rows(page)] == [
                "Firefox บน Windows เบราว์เซอร์นี้",
                "Chrome บน Android",
            ]
            office.post("/console/sessions/others", data={"csrf": csrf_of(page)})
            assert tablet.get("/console", follow_redirects=False).status_code == 303
            assert office.get("/console", follow_redirects=False).status_code == 200


def test_a_form_without_its_csrf_value_ends_no_session(collector):
    with browsers(collector) as (office, tablet):
        answer = office.post("/console/sessions/others", data={}, follow_redirects=False)
        assert answer.status_code == 403
        assert tablet.get("/console", follow_redirects=False).status_code == 200
        assert len(session_rows(office.get("/console/password").text)) == 2


def test_a_browser_left_idle_is_not_listed_as_logged_in(collector):
    with browsers(collector) as (office, tablet):
        for _ in range(5):  # the office keeps working, the tablet is left on a desk
            collector.store.clock.advance(30 * 60)
            office.get("/console")
        assert session_rows(office.get("/console/password").text) == [
            ("Firefox บน Windows เบราว์เซอร์นี้", True)
        ]
        assert tablet.get("/console", follow_redirects=False).status_code == 303  # to log in


@pytest.mark.parametrize(
    ("agent", "shown"),
    [
        (FIREFOX_WINDOWS, "Firefox on Windows"),
        (CHROME_ANDROID, "Chrome on Android"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
            " Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15"
            " (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        ("curl/8.5.0", "another browser"),
        (None, "not recorded"),
    ],
)
def test_a_session_is_named_by_its_browser_and_system(agent, shown):
    assert browser_of(Translator("en"), agent) == shown
