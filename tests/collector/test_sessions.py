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
from tests.console import PASSWORD, csrf_of, log_in, make_operator
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


# --- an admin ends another operator's logins (/console/users/{name}: a lost laptop) --------


@contextmanager
def admin_browser(collector, name="admin"):
    """A browser logged in as an admin of collector (made here), and its CSRF value."""
    make_operator(collector.store, name, "admin")
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        yield client, log_in(client, name=name)


def ended_by_admin(collector):
    """The audit's rows of logins ended by an admin: (detail, operator, source)."""
    rows = collector.store.audit_rows(50, AuditFilter(kind="login"))
    return [
        (row["detail"], row["operator"], row["source"])
        for row in rows
        if row["reason"] == "logout_by_admin"
    ]


def end_all(client, name, csrf):
    return client.post(
        f"/console/users/{name}/sessions", data={"csrf": csrf}, follow_redirects=False
    )


def test_an_admin_ends_every_login_of_an_operator_on_every_server(collector_db):
    with serve_collector(collector_db) as one, serve_collector(collector_db) as two:
        make_operator(one.store, "somchai", "officer")
        with admin_browser(one) as (admin, _), browsers(one, two) as (office, tablet):
            page = admin.get("/console/users/somchai").text
            assert "somchai เข้าสู่ระบบอยู่ที่ใดบ้าง" in page
            assert session_rows(page) == [
                ("Chrome บน Android", False),
                ("Firefox บน Windows", False),
            ]
            assert "ให้ somchai ออกจากระบบทุกแห่ง (2)" in page
            answer = end_all(admin, "somchai", csrf_of(page))
            assert answer.status_code == 303
            assert answer.headers["location"] == "/console/users/somchai?done=sessions&ended=2"
            page = admin.get(answer.headers["location"]).text
            assert "somchai ถูกออกจากระบบแล้วทุกแห่ง รวม 2 แห่ง" in page
            assert session_rows(page) == []
            assert "ขณะนี้ somchai ไม่ได้เข้าสู่ระบบอยู่ที่ใด" in page
            for made_up in ("%C2%B2", "9" * 5000):  # not a number this page made: no message
                odd = admin.get(f"/console/users/somchai?done=sessions&ended={made_up}")
                assert odd.status_code == 200
                assert "ถูกออกจากระบบแล้ว" not in odd.text
            # Both browsers are sent to log in, the tablet on the other server too; the admin
            # goes on, and somchai's account is still enabled: the password lets them back in.
            for browser in (office, tablet):
                moved = browser.get("/console", follow_redirects=False)
                assert moved.headers["location"].startswith("/login"), browser.base_url
                told = browser.get(moved.headers["location"]).text  # and told why
                assert "การเข้าสู่ระบบครั้งก่อนของท่านสิ้นสุดแล้ว (ผู้ดูแลระบบให้ออกจากระบบ" in told
                again = browser.get("/login").text  # the ended login's cookie is forgotten
                assert 'id="login-ended"' not in again
            assert admin.get("/console/users/somchai").status_code == 200
            log_in(tablet, name="somchai")
            assert "ผู้ดูแลระบบให้ออกจากระบบทุกแห่ง" in admin.get("/audit?kind=login").text
        assert ended_by_admin(one) == [
            (
                "operator somchai logged out everywhere by admin: 2 sessions ended",
                "admin",
                "console",
            )
        ]


def test_the_admin_is_told_plainly_when_there_was_nothing_to_end(collector):
    with admin_browser(collector) as (admin, csrf):
        page = admin.get("/console/users/somchai?lang=en").text
        assert "somchai is not logged in anywhere now." in page
        assert 'action="/console/users/somchai/sessions"' not in page  # no button for nothing
        answer = end_all(admin, "somchai", csrf)  # from a page opened before they logged out
        page = admin.get(answer.headers["location"]).text
        assert "somchai had no open login: nothing was ended." in page
        with browsers(collector):
            for _ in range(2):  # the admin works on; somchai's two are left idle (ended)
                collector.store.clock.advance(80 * 60)
                admin.get("/console")
            # 160 minutes after the admin's login: ending logins asks the password again first
            assert end_all(admin, "somchai", csrf).status_code == 401
            confirmed = admin.post("/console/confirm", data={"csrf": csrf, "password": PASSWORD})
            assert confirmed.status_code == 303
            answer = end_all(admin, "somchai", csrf)
            assert answer.headers["location"].endswith("ended=0")
    assert [detail for detail, _, _ in ended_by_admin(collector)] == [
        "operator somchai logged out everywhere by admin: 0 sessions ended"
    ] * 2


def test_one_login_ended_is_said_in_english(collector):
    with (
        admin_browser(collector) as (admin, csrf),
        httpx.Client(base_url=collector.url, timeout=30) as somchai,
    ):
        log_in(somchai, name="somchai")
        admin.get("/console?lang=en")
        page = admin.get("/console/users/somchai").text
        assert "Where somchai is logged in" in page
        assert "End all of somchai&#39;s logins (1)" in page
        answer = end_all(admin, "somchai", csrf)
        page = admin.get(answer.headers["location"]).text
        assert "somchai is logged out everywhere: 1 login ended." in page
        assert "Logged out everywhere by an admin" in admin.get("/audit?kind=login").text


@pytest.mark.parametrize("role", ["viewer", "officer"])
def test_only_an_admin_ends_another_operators_logins(collector, role):
    make_operator(collector.store, role, role)
    with browsers(collector) as (office, tablet):
        with httpx.Client(base_url=collector.url, timeout=30) as client:
            csrf = log_in(client, name=role)
            answer = end_all(client, "somchai", csrf)
            assert answer.status_code == 403
            assert "บัญชีของท่านไม่มีสิทธิ์ทำสิ่งนี้" in answer.text  # the role, not the form
        for browser in (office, tablet):
            assert browser.get("/console", follow_redirects=False).status_code == 200
    assert ended_by_admin(collector) == []


def test_without_its_csrf_value_no_login_is_ended(collector):
    with admin_browser(collector) as (admin, csrf), browsers(collector) as (office, tablet):
        admin.get("/console?lang=en")
        for sent, headers in (
            ({}, {}),
            ({"csrf": "guessed"}, {}),
            ({"csrf": csrf}, {"origin": "https://evil.example"}),
        ):
            answer = admin.post(
                "/console/users/somchai/sessions",
                data=sent, headers=headers, follow_redirects=False,
            )  # fmt: skip
            assert answer.status_code == 403, sent
            assert "nothing was changed" in answer.text
        for browser in (office, tablet):
            assert browser.get("/console", follow_redirects=False).status_code == 200
        assert len(session_rows(admin.get("/console/users/somchai").text)) == 2
    assert ended_by_admin(collector) == []


def test_an_admin_ends_their_own_other_logins_on_their_own_page_only(collector):
    with (
        admin_browser(collector) as (admin, csrf),
        httpx.Client(base_url=collector.url, timeout=30) as laptop,
    ):
        log_in(laptop, name="admin")
        page = admin.get("/console/users/admin?lang=en").text
        assert [mine for _, mine in session_rows(page)] == [True, False]
        assert 'action="/console/users/admin/sessions"' not in page
        assert 'href="/console/password#sessions"' in page
        refused = end_all(admin, "admin", csrf)
        assert refused.status_code == 422
        assert "ended on your own account page, which keeps this one open" in refused.text
        assert 'class="error" role="alert">Your own other logins' in refused.text
        for browser in (admin, laptop):
            assert browser.get("/console", follow_redirects=False).status_code == 200
    assert ended_by_admin(collector) == []


def test_an_unknown_operator_is_the_page_not_found(collector):
    with admin_browser(collector) as (admin, csrf):
        answer = end_all(admin, "nobody", csrf)
        assert answer.status_code == 404
        assert "nobody" in answer.text
    assert ended_by_admin(collector) == []
