"""Sudo mode: a sensitive action asks the operator to confirm it is them when their last proof
(the login, or the "confirm it's you" page) is more than CONFIRM_WINDOW old.

Over real HTTP to a real collector whose clock is a fake one (the clock is moved, never slept):
an admin acts at once after logging in; later the same form is not done, nothing changes in the
database, and the confirm page says so; after confirming, the form works again. A wrong password
counts against the login's throttle and is audited; with the second step on, the code is asked.
"""

import re

import httpx
import pyotp
import pytest
import sqlalchemy as sa

from collector.auth.accounts import CONFIRM_WINDOW, Accounts
from collector.auth.second_step import SecondStep
from collector.auth.web import RESULTS_PUBLIC
from collector.store.audit import AuditFilter
from tests.collector_server import serve_collector
from tests.console import PASSWORD, csrf_of, log_in, make_operator
from tests.fakes import FakeClock
from tests.kiosks import enroll

NEW_PASSWORD = "another quite long pass phrase"
LATER = CONFIRM_WINDOW.total_seconds() + 60  # past the window, well within the session's life


@pytest.fixture
def collector(tmp_path):
    with serve_collector(tmp_path / "collector.sqlite3", [("3706", "small")]) as running:
        running.store.clock = FakeClock()
        make_operator(running.store, "admin", "admin")
        make_operator(running.store, "somchai", "officer")
        yield running


def client_of(collector):
    return httpx.Client(base_url=collector.url, timeout=30)


def post(client, path, csrf, **fields):
    return client.post(path, data={"csrf": csrf, **fields}, follow_redirects=False)


def next_of(html):
    """Where the confirm page's form goes back to."""
    found = re.search(r'name="next" value="([^"]*)"', html)
    assert found, "the page has no confirm form"
    return found.group(1)


def error_of(html):
    found = re.search(r'<p class="error" role="alert" id="confirm-error">(.*?)</p>', html, re.S)
    assert found, "the page says nothing about why"
    return found.group(1)


def confirm(client, csrf, password=PASSWORD, back="/console", code=None):
    fields = {"password": password, "next": back} | ({"code": code} if code is not None else {})
    return post(client, "/console/confirm", csrf, **fields)


def the_state(collector):
    """What an admin's forms could change: the accounts, the settings, the second steps,
    the logins open."""
    accounts = Accounts(collector.store)
    return (
        [(o.name, o.role, o.password_changed_at, o.disabled_at) for o in accounts.operators.all()],
        collector.store.setting(RESULTS_PUBLIC),
        collector.store.setting("second_step_required"),
        sorted(accounts.steps.enabled_names()),
        [s.token_hash for s in accounts.operators.open_sessions("somchai")],
    )


def test_an_admin_acts_at_once_after_logging_in_and_within_the_window(collector):
    with client_of(collector) as client:
        csrf = log_in(client, name="admin")
        assert post(client, "/console/users/somchai/role", csrf, role="viewer").status_code == 303
        collector.store.clock.advance(CONFIRM_WINDOW.total_seconds() - 60)
        assert post(client, "/console/users/somchai/role", csrf, role="admin").status_code == 303
    assert Accounts(collector.store).operators.get("somchai").role == "admin"


def test_after_the_window_no_sensitive_form_is_done_and_the_page_says_why(collector):
    turn_on_second_step(collector, "somchai")
    with client_of(collector) as somchai:
        log_in_with_code(collector, somchai)  # a login of somchai's to be ended
    with client_of(collector) as client:
        csrf = log_in(client, name="admin")
        collector.store.clock.advance(LATER)
        before = the_state(collector)
        forms = [
            ("/console/users", {"name": "nok", "role": "viewer", "password": PASSWORD,
                                "again": PASSWORD}, "/console/users"),
            ("/console/users/somchai/role", {"role": "viewer"}, "/console/users/somchai"),
            ("/console/users/somchai/password", {"password": NEW_PASSWORD, "again": NEW_PASSWORD},
             "/console/users/somchai"),
            ("/console/users/somchai/disabled", {"disabled": "yes"}, "/console/users/somchai"),
            ("/console/users/somchai/second-step", {}, "/console/users/somchai"),
            ("/console/users/somchai/sessions", {}, "/console/users/somchai"),
            ("/console/settings", {"results_public": "no"}, "/console/settings"),
            ("/console/settings/second-step", {"required": "yes"}, "/console/settings"),
        ]  # fmt: skip
        for path, fields, page in forms:
            answer = post(client, path, csrf, **fields)
            assert answer.status_code == 401, path
            assert "ยังไม่ได้ทำรายการที่ท่านกด" in answer.text, path
            assert "15 นาที" in answer.text
            assert next_of(answer.text) == page, path
        assert the_state(collector) == before  # nothing changed at all
        english = client.post(
            "/console/users/somchai/role?lang=en", data={"csrf": csrf, "role": "viewer"}
        )
        assert "What you asked for was not done" in english.text
        assert "more than 15 min ago" in english.text
    assert the_state(collector) == before


def test_confirming_goes_back_to_the_page_and_the_form_then_works(collector):
    with client_of(collector) as client:
        csrf = log_in(client, name="admin")
        collector.store.clock.advance(LATER)
        refused = post(client, "/console/users/somchai/role", csrf, role="viewer")
        back = next_of(refused.text)
        done = confirm(client, csrf, back=back)
        assert done.status_code == 303
        assert done.headers["location"] == "/console/users/somchai"
        assert post(client, "/console/users/somchai/role", csrf, role="viewer").status_code == 303
        assert Accounts(collector.store).operators.get("somchai").role == "viewer"
        collector.store.clock.advance(LATER)  # the confirmation has its own window too
        assert post(client, "/console/users/somchai/role", csrf, role="admin").status_code == 401
        audit = client.get("/audit?kind=login&lang=en").text
        assert "Confirmed it was them again before a sensitive action" in audit
    rows = collector.store.audit_rows(20, AuditFilter(kind="login"))
    said = [(r["reason"], r["operator"], r["detail"]) for r in rows]
    assert ("confirmed", "admin", "admin confirmed it is them (password again)") in said
    assert Accounts(collector.store).operators.get("somchai").role == "viewer"


def test_a_wrong_password_does_not_confirm_and_counts_like_a_failed_login(collector):
    with client_of(collector) as client:
        csrf = log_in(client, name="admin")
        collector.store.clock.advance(LATER)
        for _ in range(5):
            wrong = confirm(client, csrf, password="not the password at all")
            assert wrong.status_code == 401
            assert error_of(wrong.text) == "รหัสผ่านไม่ถูกต้อง"
        locked = confirm(client, csrf)  # right, but the name is locked as a login's would be
        assert locked.status_code == 429
        assert "ระบบล็อกไว้ชั่วคราว" in error_of(locked.text)
        assert post(client, "/console/settings", csrf, results_public="no").status_code == 401
        with client_of(collector) as other:  # the login page is locked for the name too
            form = other.get("/login")
            tried = other.post(
                "/login",
                data={"name": "admin", "password": PASSWORD, "csrf": csrf_of(form.text)},
                follow_redirects=False,
            )
            assert tried.status_code == 429
        collector.store.clock.advance(31)
        assert confirm(client, csrf).status_code == 303
        assert post(client, "/console/settings", csrf, results_public="no").status_code == 303
    refused = collector.store.audit_rows(20, AuditFilter(kind="refused"))
    failed = [r for r in refused if r["reason"] == "login_failed"]
    assert [(r["detail"], r["operator"]) for r in failed] == [  # a row each, with its operator
        ("confirm: wrong name or password for 'admin'", "admin")
    ] * 5  # the five wrong passwords
    assert "login_locked" in [r["reason"] for r in refused]
    assert Accounts(collector.store).operators.throttle("name:admin").failures == 0


# --- with the second step on -----------------------------------------------------------------


def code_of(secret, clock):
    return pyotp.TOTP(secret).at(clock.now())


def turn_on_second_step(collector, name):
    """Turn name's second step on, as its setup page does: the secret and recovery codes."""
    steps = SecondStep(Accounts(collector.store))
    secret = steps.propose(name)
    codes = steps.turn_on(name, code_of(secret, collector.store.clock), "console", None)
    collector.store.clock.advance(90)  # past the setup code's step
    return secret, codes


def log_in_with_code(collector, client, name="somchai"):
    """Log client in as name, whose second step is on: the password, then the code."""
    secret = SecondStep(Accounts(collector.store)).rows.get(name).secret
    form = client.get("/login")
    client.post(
        "/login",
        data={"name": name, "password": PASSWORD, "csrf": csrf_of(form.text)},
        follow_redirects=False,
    )
    page = client.get("/login/code")
    code = code_of(secret, collector.store.clock)
    done = client.post(
        "/login/code", data={"csrf": csrf_of(page.text), "code": code}, follow_redirects=False
    )
    assert done.status_code == 303
    collector.store.clock.advance(30)  # the next code is another step's
    return csrf_of(client.get("/console").text)


def test_with_the_second_step_on_a_missing_or_wrong_code_does_not_confirm(collector, make_kiosk):
    kiosk = make_kiosk()
    enroll(collector.store, kiosk)
    kiosk_id = kiosk.key.kiosk_id
    secret, codes = turn_on_second_step(collector, "somchai")
    clock = collector.store.clock
    with client_of(collector) as client:
        csrf = log_in_with_code(collector, client)
        clock.advance(LATER)
        refused = post(client, f"/kiosks/{kiosk_id}/revoke", csrf, reason="stolen")
        assert refused.status_code == 401
        assert 'name="code"' in refused.text  # the code is asked too
        assert next_of(refused.text) == f"/kiosks/{kiosk_id}/revoke"
        assert not collector.store.kiosk_status(kiosk_id).revoked
        no_code = confirm(client, csrf, code="")
        assert no_code.status_code == 422
        assert "6" in error_of(no_code.text)
        wrong = confirm(client, csrf, code="000000")
        assert wrong.status_code == 401
        assert (
            confirm(
                client, csrf, password="wrong password", code=code_of(secret, clock)
            ).status_code
            == 401
        )
        assert post(client, f"/kiosks/{kiosk_id}/revoke", csrf, reason="stolen").status_code == 401
        assert not collector.store.kiosk_status(kiosk_id).revoked
        clock.advance(30)
        assert confirm(client, csrf, code=code_of(secret, clock)).status_code == 303
        assert post(client, f"/kiosks/{kiosk_id}/revoke", csrf, reason="stolen").status_code == 303
        assert collector.store.kiosk_status(kiosk_id).revoked
        clock.advance(LATER)  # a recovery code works in place of the app's, as at login
        assert confirm(client, csrf, code=codes[0]).status_code == 303
    refused_rows = collector.store.audit_rows(30, AuditFilter(kind="refused"))
    assert {"code_wrong", "login_failed"} <= {r["reason"] for r in refused_rows}
    said = [r["detail"] for r in collector.store.audit_rows(30, AuditFilter(kind="login"))]
    assert "somchai confirmed it is them (password and code)" in said
    assert "somchai confirmed it is them (password and a recovery code)" in said


def test_new_recovery_codes_need_a_recent_confirmation(collector):
    secret, codes = turn_on_second_step(collector, "somchai")
    clock = collector.store.clock
    steps = SecondStep(Accounts(collector.store))
    with client_of(collector) as client:
        csrf = log_in_with_code(collector, client)
        clock.advance(LATER)
        refused = post(client, "/console/second-step/codes", csrf, code=code_of(secret, clock))
        assert refused.status_code == 401
        assert next_of(refused.text) == "/console/second-step"
        assert steps.codes_left("somchai") == len(codes)
        assert steps.rows.get("somchai").secret == secret


def test_an_officers_everyday_work_is_not_asked_again(collector):
    with client_of(collector) as client:
        csrf = log_in(client, name="somchai")
        collector.store.clock.advance(LATER)
        issued = post(client, "/console/tokens", csrf, district="3706", count="1", kind="single")
        assert issued.status_code != 401
        assert "ยังไม่ได้ทำรายการ" not in issued.text
        awards = post(client, "/console/awards/small", csrf, confirm="yes")
        assert awards.status_code == 401  # announcing the awards is, being final
        assert collector.store.audit_rows(5, AuditFilter(kind="announced")) == []


def test_saving_the_ranking_method_needs_a_recent_confirmation(collector):
    with client_of(collector) as client:
        csrf = log_in(client, name="somchai")
        collector.store.clock.advance(LATER)
        method = {"prior_weight": "80", "min_votes": "40"}
        refused = post(client, "/console/awards/method", csrf, **method)
        assert refused.status_code == 401
        assert next_of(refused.text) == "/console/awards"  # back to the page of the form
        assert collector.store.setting("ranking.prior_weight") is None
        assert collector.store.audit_rows(5, AuditFilter(kind="settings")) == []
        assert confirm(client, csrf, back="/console/awards").status_code == 303
        assert post(client, "/console/awards/method", csrf, **method).status_code == 303
    assert collector.store.setting("ranking.prior_weight") == "80"
    (row, _) = collector.store.audit_rows(5, AuditFilter(kind="settings"))
    assert (row["operator"], row["source"]) == ("somchai", "console")


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"]
)
def test_the_way_back_never_leaves_the_site(collector, target):
    with client_of(collector) as client:
        csrf = log_in(client, name="admin")
        assert next_of(client.get("/console/confirm", params={"next": target}).text) == "/console"
        done = confirm(client, csrf, back=target)
        assert done.status_code == 303
        assert done.headers["location"] == "/console"


def test_the_confirm_page_can_be_opened_before_a_round_of_admin_work(collector):
    with client_of(collector) as client:
        log_in(client, name="admin")
        page = client.get("/console/confirm?next=/console/users&lang=en")
        assert page.status_code == 200
        assert "Confirm it&#39;s you" in page.text
        assert "was not done" not in page.text  # nothing was refused
        assert next_of(page.text) == "/console/users"
        assert page.headers["cache-control"] == "no-store"
    with client_of(collector) as anonymous:
        answer = anonymous.get("/console/confirm", follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login")


def test_the_window_holds_on_either_backend_and_across_servers(collector_db):
    with serve_collector(collector_db) as one, serve_collector(collector_db) as two:
        clock = FakeClock()
        one.store.clock = two.store.clock = clock
        make_operator(one.store, "admin", "admin")
        make_operator(one.store, "somchai", "officer")
        with client_of(one) as first, httpx.Client(base_url=two.url, timeout=30) as second:
            csrf = log_in(first, name="admin")
            second.cookies = first.cookies  # the same browser, behind a load balancer
            clock.advance(LATER)
            assert (
                post(second, "/console/users/somchai/role", csrf, role="viewer").status_code == 401
            )
            assert Accounts(one.store).operators.get("somchai").role == "officer"
            assert confirm(first, csrf, back="/console/users/somchai").status_code == 303
            assert (
                post(second, "/console/users/somchai/role", csrf, role="viewer").status_code == 303
            )
        assert Accounts(two.store).operators.get("somchai").role == "viewer"


def test_a_session_from_before_the_upgrade_counts_from_its_login(collector):
    with client_of(collector) as client:
        csrf = log_in(client, name="admin")
        with collector.store.transaction() as conn:  # as migration 0010 leaves an open session
            conn.execute(sa.text("UPDATE sessions SET confirmed_at = NULL"))
        assert post(client, "/console/users/somchai/role", csrf, role="viewer").status_code == 303
        collector.store.clock.advance(LATER)
        assert post(client, "/console/users/somchai/role", csrf, role="admin").status_code == 401
    assert Accounts(collector.store).operators.get("somchai").role == "viewer"


# --- the note near a sensitive form: until when, or "confirm it's you now" --------------------


def note_of(html):
    """The sudo mode note of a page, its text (tags out, spaces folded), or None."""
    found = re.search(r'<p class="confirm-note[^"]*" id="confirm-state"[^>]*>(.*?)</p>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else None


def link_of(html):
    """Where the note's "confirm it's you now" link goes."""
    found = re.search(r'<a href="([^"]*)" id="confirm-now">', html)
    assert found, "the note has no link to confirm"
    return found.group(1).replace("&amp;", "&")


ADMIN_PAGES = ["/console/users", "/console/users/somchai", "/console/settings"]


def test_each_admin_page_with_a_sensitive_form_says_until_when_it_is_allowed(collector):
    with client_of(collector) as client:
        log_in(client, name="admin")  # 10:00 Thai time: FakeClock's 03:00 UTC
        for page in ADMIN_PAGES:
            note = note_of(client.get(page).text)
            assert note is not None, page
            assert "ยืนยันตัวตนแล้ว ทำรายการสำคัญได้ถึงเวลา 10:15 น. (เวลาประเทศไทย)" in note, page
        english = note_of(client.get("/console/settings?lang=en").text)
        assert "sensitive actions are allowed until 10:15 (Thai time)" in english
        collector.store.clock.advance(CONFIRM_WINDOW.total_seconds() - 1)
        assert "10:15" in note_of(client.get("/console/settings").text)  # still open
        for everyday in ("/console", "/console/tokens", "/audit", "/console/password"):
            assert note_of(client.get(everyday).text) is None, everyday  # nothing sensitive there


def test_after_the_window_the_note_says_the_password_comes_first_and_leads_back(collector):
    with client_of(collector) as client:
        csrf = log_in(client, name="admin")
        collector.store.clock.advance(LATER)  # 10:16
        for page in ADMIN_PAGES:
            shown = client.get(page).text
            assert "จะขอรหัสผ่านของท่านก่อน" in note_of(shown), page
            assert "นานกว่า 15 นาทีแล้ว" in note_of(shown)
            assert "ยืนยันตัวตนตอนนี้" in note_of(shown)
            asked = client.get(link_of(shown))
            assert asked.status_code == 200
            assert "ยังไม่ได้ทำรายการ" not in asked.text  # nothing was refused: asked before
            assert next_of(asked.text) == page, page
        english = client.get("/console/users/somchai?lang=en").text
        assert "This action will ask for your password first" in note_of(english)
        assert "Confirm it's you now" in note_of(english.replace("&#39;", "'"))
        asked = client.get(link_of(english))
        assert next_of(asked.text) == "/console/users/somchai?lang=en"  # its language kept
        done = confirm(client, csrf, back=next_of(asked.text))
        assert done.headers["location"] == "/console/users/somchai?lang=en"
        back = client.get(done.headers["location"]).text
        assert "sensitive actions are allowed until 10:31 (Thai time)" in note_of(back)
        assert post(client, "/console/users/somchai/role", csrf, role="viewer").status_code == 303
    assert Accounts(collector.store).operators.get("somchai").role == "viewer"


def test_the_confirm_page_says_until_when_when_already_confirmed(collector):
    with client_of(collector) as client:
        log_in(client, name="admin")
        page = client.get("/console/confirm?next=/console/users").text
        assert "ทำรายการสำคัญได้ถึงเวลา 10:15 น." in note_of(page)
        assert 'id="confirm-now"' not in page  # no link to the page itself
        collector.store.clock.advance(LATER)
        assert note_of(client.get("/console/confirm?next=/console/users").text) is None


def test_an_officers_revoke_page_and_own_recovery_codes_carry_the_note(collector, make_kiosk):
    kiosk = make_kiosk()
    enroll(collector.store, kiosk)
    revoke = f"/kiosks/{kiosk.key.kiosk_id}/revoke"
    turn_on_second_step(collector, "somchai")
    with client_of(collector) as client:
        log_in_with_code(collector, client)
        until = note_of(client.get(revoke).text)
        assert until is not None
        assert "ทำรายการสำคัญได้ถึงเวลา" in until
        assert "ทำรายการสำคัญได้ถึงเวลา" in note_of(client.get("/console/second-step").text)
        collector.store.clock.advance(LATER)
        for page in (revoke, "/console/second-step"):
            shown = client.get(page).text
            assert "จะขอรหัสผ่านของท่านก่อน" in note_of(shown), page
            assert next_of(client.get(link_of(shown)).text) == page
    assert not collector.store.kiosk_status(kiosk.key.kiosk_id).revoked
