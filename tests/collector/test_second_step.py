"""The second step at login (TOTP): setting it up, the code after the password, recovery codes,
the admin's requirement and reset, and the audit of each.

Over real HTTP to a real collector whose clock is a fake one: the codes are computed with
pyotp from the secret the setup page shows, as a phone's app would, at the moment the test sets.
"""

import re
from datetime import timedelta

import httpx
import pyotp
import pytest

from collector.auth.accounts import AccountError, Accounts
from collector.auth.second_step import SecondStep
from collector.cli import main
from collector.store import CollectorStore
from collector.store.audit import AuditFilter
from tests.collector_server import serve_collector
from tests.console import PASSWORD, csrf_of, log_in, make_operator
from tests.fakes import FakeClock


@pytest.fixture
def collector(tmp_path):
    with serve_collector(tmp_path / "collector.sqlite3", [("3706", "small")]) as running:
        running.store.clock = FakeClock()  # on a step's start: 2026-11-24T03:00:00Z
        make_operator(running.store, "admin", "admin")
        make_operator(running.store, "somchai", "officer")
        yield running


def client_of(collector):
    return httpx.Client(base_url=collector.url, timeout=30)


def code_of(secret, clock, steps=0):
    """The code a phone's app shows for secret at the fake clock's time, steps × 30 s away."""
    return pyotp.TOTP(secret).at(clock.now() + timedelta(seconds=30 * steps))


def secret_on(html):
    """The secret the setup page shows in groups for typing, as one string."""
    found = re.search(r'id="secret">([A-Z2-7 ]+)<', html)
    assert found, "the setup page shows no secret"
    return found.group(1).replace(" ", "")


def alert(html):
    found = re.search(r'<p class="error" role="alert"[^>]*>(.*?)</p>', html, re.S)
    assert found, "the page says nothing about why"
    return found.group(1)


def codes_on(html):
    return re.findall(r"<li>([0-9a-z]{5}-[0-9a-z]{5})</li>", html)


def turn_on(collector, name="somchai"):
    """Turn name's second step on (as the setup page does); its secret and recovery codes."""
    steps = SecondStep(Accounts(collector.store))
    secret = steps.propose(name)
    codes = steps.turn_on(name, code_of(secret, collector.store.clock), "console", None)
    collector.store.clock.advance(90)  # past the setup code's step and the window around it
    return secret, codes


def password_step(client, name="somchai", password=PASSWORD, lang="en"):
    """The login form's answer to a right password (not followed)."""
    form = client.get(f"/login?lang={lang}")
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf": csrf_of(form.text), "next": "/kiosks"},
        follow_redirects=False,
    )


def send_code(client, code, path="/login/code"):
    page = client.get(path)
    assert page.status_code == 200, page.text
    return client.post(
        path, data={"csrf": csrf_of(page.text), "code": code}, follow_redirects=False
    )


def rows(collector, kind):
    return collector.store.audit_rows(50, AuditFilter(kind=kind))


def test_an_officer_turns_it_on_from_their_account_page(collector):
    clock = collector.store.clock
    with client_of(collector) as client:
        client.get("/login?lang=en")
        csrf = log_in(client, name="somchai")
        account = client.get("/console/password").text
        assert "Turn on the second step" in account
        page = client.get("/console/second-step")
        assert page.status_code == 200
        assert 'class="qr"' in page.text
        assert "<svg" in page.text
        secret = secret_on(page.text)
        assert len(secret) == 32
        assert secret_on(client.get("/console/second-step").text) == secret  # kept, not a new one

        def turn(code, password=PASSWORD):
            return client.post(
                "/console/second-step/on",
                data={"csrf": csrf, "password": password, "code": code},
                follow_redirects=False,
            )

        wrong = turn(code_of(secret, clock, steps=3))
        assert wrong.status_code == 422
        assert "not the code of this QR code: it is still off" in alert(wrong.text)
        assert not SecondStep(Accounts(collector.store)).is_on("somchai")
        no_password = turn(code_of(secret, clock), "not my password at all")
        assert "The current password is wrong" in alert(no_password.text)
        done = turn(code_of(secret, clock))
        assert done.status_code == 200
        assert done.headers["cache-control"] == "no-store"
        codes = codes_on(done.text)
        assert len(codes) == 10
        assert len(set(codes)) == 10
        assert "shown only now" in done.text
        again = client.get("/console/second-step").text
        assert "On since" in again
        assert 'id="codes-left">10<' in again
        assert not codes_on(again)  # shown once
    stored = " ".join(h for h, _ in Accounts(collector.store).steps.recovery_codes("somchai"))
    assert not any(c.replace("-", "") in stored for c in codes)  # only their hashes
    (on,) = [r for r in rows(collector, "operator") if r["reason"] == "second_step_on"]
    assert (on["operator"], on["source"]) == ("somchai", "console")


def test_a_login_needs_the_code_and_no_session_starts_before(collector):
    secret, _ = turn_on(collector)
    clock = collector.store.clock
    with client_of(collector) as client:
        answer = password_step(client)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/login/code"
        assert "sangsuk_session" not in client.cookies
        assert client.get("/kiosks", follow_redirects=False).status_code == 303  # not logged in
        page = client.get("/login/code")
        assert "type the 6-digit code it shows" in page.text
        wrong = send_code(client, code_of(secret, clock, steps=5))
        assert wrong.status_code == 401
        assert "That code is not right" in alert(wrong.text)
        assert "sangsuk_session" not in client.cookies
        right = send_code(client, code_of(secret, clock))
        assert right.status_code == 303
        assert right.headers["location"] == "/kiosks"  # where the operator was going
        assert client.get("/kiosks").status_code == 200
        assert "sangsuk_pending" not in client.cookies
    details = [r["detail"] for r in rows(collector, "login")]
    assert details[0] == "somchai logged in with a code from the app"
    (wrong_row,) = [r for r in rows(collector, "refused") if r["reason"] == "code_wrong"]
    assert wrong_row["operator"] == "somchai"
    assert wrong_row["detail"] == "login: a wrong code for 'somchai'"


def test_a_code_used_once_is_refused_again_on_every_server(collector, tmp_path):
    secret, _ = turn_on(collector)
    clock = collector.store.clock
    code = code_of(secret, clock)
    with client_of(collector) as first, client_of(collector) as second:
        password_step(first)
        password_step(second)
        assert send_code(first, code).status_code == 303
        replayed = send_code(second, code)
        assert replayed.status_code == 401
        assert "was used already" in alert(replayed.text)
        earlier = send_code(second, code_of(secret, clock, steps=-1))  # an older step, too
        assert "was used already" in alert(earlier.text)
        clock.advance(30)
        assert send_code(second, code_of(secret, clock)).status_code == 303
    # Another server on the same database knows the step used: it is in the database.
    with CollectorStore(collector.db_path, clock) as other:
        steps = SecondStep(Accounts(other))
        assert not steps.rows.use_step("somchai", steps.rows.get("somchai").last_step)
    reasons = [r["reason"] for r in rows(collector, "refused")]
    assert reasons.count("code_replayed") == 2


@pytest.mark.parametrize(("steps", "accepted"), [(-1, True), (1, True), (-2, False), (2, False)])
def test_a_code_one_step_away_is_accepted_two_steps_are_not(collector, steps, accepted):
    secret, _ = turn_on(collector)
    with client_of(collector) as client:
        password_step(client)
        answer = send_code(client, code_of(secret, collector.store.clock, steps=steps))
        assert (answer.status_code == 303) is accepted


def test_each_recovery_code_works_once(collector):
    _, codes = turn_on(collector)
    with client_of(collector) as client:
        password_step(client)
        used = send_code(client, codes[0].upper().replace("-", " "))  # as typed from paper
        assert used.status_code == 303
        assert used.headers["location"] == "/console/second-step?done=recovery"
        shown = client.get(used.headers["location"]).text
        assert "You logged in with a recovery code" in shown
        assert "9 left" in shown
    with client_of(collector) as client:
        password_step(client)
        again = send_code(client, codes[0])
        assert again.status_code == 401
        assert "That recovery code was used already" in alert(again.text)
        assert send_code(client, codes[1]).status_code == 303
    assert SecondStep(Accounts(collector.store)).codes_left("somchai") == 8
    assert [r["detail"] for r in rows(collector, "login") if r["reason"] == "recovery_code"] == [
        "somchai used a recovery code; 8 left",
        "somchai used a recovery code; 9 left",
    ]
    assert "recovery_code_used" in [r["reason"] for r in rows(collector, "refused")]


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("12345", "The code has 6 digits; you typed 5"),
        ("12 345", "The code has 6 digits; you typed 5"),
        ("1234567", "you typed 7"),
        ("abc", "That is not a code"),
        (" ", "Type the 6-digit code your app shows"),
    ],
)
def test_a_malformed_code_is_refused_with_words_and_not_counted(collector, typed, words):
    turn_on(collector)
    with client_of(collector) as client:
        password_step(client)
        answer = send_code(client, typed)
        assert answer.status_code == 422
        assert words in alert(answer.text)
    assert Accounts(collector.store).operators.throttle("name:somchai").failures == 0


def test_the_code_page_is_in_thai_too(collector):
    _secret, _ = turn_on(collector)
    with client_of(collector) as client:
        password_step(client, lang="th")
        page = client.get("/login/code")
        assert "รหัสจากโทรศัพท์ของท่าน" in page.text
        answer = send_code(client, "12345")
        assert "รหัสมี 6 หลัก แต่ท่านพิมพ์ 5 หลัก" in alert(answer.text)


def test_a_code_with_the_apps_space_is_read(collector):
    secret, _ = turn_on(collector)
    with client_of(collector) as client:
        password_step(client)
        code = code_of(secret, collector.store.clock)
        assert send_code(client, f"{code[:3]} {code[3:]}").status_code == 303


def test_the_pending_login_expires_is_bound_to_its_browser_and_used_once(collector):
    secret, _ = turn_on(collector)
    clock = collector.store.clock
    with client_of(collector) as client, client_of(collector) as stranger:
        password_step(client)
        pending = client.cookies["sangsuk_pending"]
        lost = stranger.get("/login/code?lang=en")
        assert lost.status_code == 401  # no cookie: the login form, saying why
        assert "Log in again with your password" in alert(lost.text)
        clock.advance(5 * 60 + 1)
        late = client.post(
            "/login/code",
            data={"csrf": "x", "code": code_of(secret, clock)},
            follow_redirects=False,
        )
        assert late.status_code == 401
        assert "The time for the code ran out (5 minutes after the password)" in alert(late.text)
        assert "sangsuk_session" not in client.cookies
        password_step(client)
        fresh = client.cookies["sangsuk_pending"]
        assert fresh != pending
        assert send_code(client, code_of(secret, clock)).status_code == 303
        stranger.cookies.set("sangsuk_pending", fresh)  # the same cookie again: used up
        assert stranger.get("/login/code").status_code == 401


def test_the_code_form_checks_its_csrf_value(collector):
    secret, _ = turn_on(collector)
    with client_of(collector) as client:
        password_step(client)
        answer = client.post(
            "/login/code",
            data={"csrf": "not the form's", "code": code_of(secret, collector.store.clock)},
            follow_redirects=False,
        )
        assert answer.status_code == 401
        assert "sangsuk_session" not in client.cookies
    assert "login_csrf" in [r["reason"] for r in rows(collector, "refused")]


def test_wrong_codes_lock_the_name_as_wrong_passwords_do(collector):
    secret, _ = turn_on(collector)
    clock = collector.store.clock
    with client_of(collector) as client:
        password_step(client)
        for n in range(5):
            assert send_code(client, f"{n:06d}").status_code == 401
        locked = send_code(client, code_of(secret, clock))  # right, but the name is locked
        assert locked.status_code == 429
        assert "locked" in alert(locked.text)
        assert password_step(client).status_code == 429  # the password too
        clock.advance(31)  # the lock ends; a right password does not clear the count
        assert password_step(client).status_code == 303
        assert send_code(client, "000000").status_code == 401
        assert send_code(client, code_of(secret, clock)).status_code == 429  # locked longer
        clock.advance(61)
        assert send_code(client, code_of(secret, clock)).status_code == 303  # a whole login
    assert Accounts(collector.store).operators.throttle("name:somchai").failures == 0


def test_turning_it_off_needs_the_password_and_a_code(collector):
    secret, _ = turn_on(collector)
    clock = collector.store.clock
    with client_of(collector) as client:
        password_step(client)
        send_code(client, code_of(secret, clock))
        csrf = csrf_of(client.get("/console").text)

        def off(password, code):
            return client.post(
                "/console/second-step/off",
                data={"csrf": csrf, "password": password, "code": code},
                follow_redirects=False,
            )

        clock.advance(30)
        assert off("wrong password here", code_of(secret, clock)).status_code == 422
        assert off(PASSWORD, "123456").status_code == 401
        assert SecondStep(Accounts(collector.store)).is_on("somchai")
        done = off(PASSWORD, code_of(secret, clock))
        assert done.status_code == 303
        assert "The second step is off" in client.get(done.headers["location"]).text
    assert not SecondStep(Accounts(collector.store)).is_on("somchai")
    assert "second_step_off" in [r["reason"] for r in rows(collector, "operator")]
    with client_of(collector) as client:
        assert password_step(client).headers["location"] == "/kiosks"  # the password alone


def test_new_recovery_codes_void_the_old(collector):
    secret, codes = turn_on(collector)
    steps = SecondStep(Accounts(collector.store))
    new = steps.new_recovery_codes("somchai", code_of(secret, collector.store.clock), None)
    assert set(new).isdisjoint(codes)
    collector.store.clock.advance(30)
    with client_of(collector) as client:
        password_step(client)
        assert send_code(client, codes[0]).status_code == 401
        assert send_code(client, new[0]).status_code == 303


def test_when_required_an_officer_sets_it_up_before_anything_else(collector):
    clock = collector.store.clock
    with client_of(collector) as admin:
        csrf = log_in(admin, name="admin")
        saved = admin.post(
            "/console/settings/second-step",
            data={"csrf": csrf, "required": "yes"},
            follow_redirects=False,
        )
        assert saved.headers["location"] == "/console/settings?done=saved"
        bad = admin.post("/console/settings/second-step", data={"csrf": csrf, "required": "x"})
        assert bad.status_code == 422
    (setting,) = [r for r in rows(collector, "settings")]
    assert (setting["reason"], setting["operator"]) == ("second_step_required", "admin")
    make_operator(collector.store, "viewer", "viewer")
    with client_of(collector) as viewer:
        assert password_step(viewer, "viewer").headers["location"] == "/kiosks"  # exempt
    with client_of(collector) as client:
        answer = password_step(client)
        assert answer.headers["location"] == "/login/setup"
        assert "sangsuk_session" not in client.cookies
        assert client.get("/console", follow_redirects=False).status_code == 303
        elsewhere = client.get("/login/code", follow_redirects=False)  # setup first
        assert elsewhere.headers["location"] == "/login/setup"
        page = client.get("/login/setup")
        assert "Officers and admins must also log in with a code" in page.text
        secret = secret_on(page.text)
        wrong = send_code(client, code_of(secret, clock, steps=4), "/login/setup")
        assert wrong.status_code == 422
        assert "it is still off" in alert(wrong.text)
        done = send_code(client, code_of(secret, clock), "/login/setup")
        assert done.status_code == 200
        assert len(codes_on(done.text)) == 10
        assert 'href="/kiosks"' in done.text  # then on where they were going
        assert client.get("/kiosks").status_code == 200  # the session started with the page
    assert rows(collector, "login")[0]["detail"] == "somchai logged in, the second step set up"


def test_an_admin_resets_a_lost_phone_in_the_console(collector):
    turn_on(collector)
    turn_on(collector, "admin")
    clock = collector.store.clock
    steps = SecondStep(Accounts(collector.store))
    secret = steps.rows.get("admin").secret
    with client_of(collector) as admin:
        password_step(admin, "admin")
        send_code(admin, code_of(secret, clock))
        csrf = csrf_of(admin.get("/console").text)
        page = admin.get("/console/users/somchai").text
        assert "Second step on" in page
        done = admin.post(
            "/console/users/somchai/second-step", data={"csrf": csrf}, follow_redirects=False
        )
        assert done.headers["location"] == "/console/users/somchai?done=second_step"
        assert "The second step of somchai was reset" in admin.get(done.headers["location"]).text
        again = admin.post("/console/users/somchai/second-step", data={"csrf": csrf})
        assert again.status_code == 422
        assert "somchai has no second step at login; nothing was reset" in alert(again.text)
        own = admin.post("/console/users/admin/second-step", data={"csrf": csrf})
        assert own.status_code == 422
        assert steps.is_on("admin")
    assert not steps.is_on("somchai")
    (reset,) = [r for r in rows(collector, "operator") if r["reason"] == "second_step_reset"]
    assert (reset["operator"], reset["source"]) == ("admin", "console")
    assert reset["detail"] == "operator somchai: second step at login reset by admin"
    with client_of(collector) as client:
        assert password_step(client).headers["location"] == "/kiosks"


def test_only_an_admin_resets_and_a_viewer_is_refused(collector):
    turn_on(collector)
    make_operator(collector.store, "viewer", "viewer")
    with client_of(collector) as viewer:
        csrf = log_in(viewer, name="viewer")
        answer = viewer.post("/console/users/somchai/second-step", data={"csrf": csrf})
        assert answer.status_code == 403
    assert SecondStep(Accounts(collector.store)).is_on("somchai")


def test_the_audit_page_says_each_step_in_words(collector):
    secret, _ = turn_on(collector)
    with client_of(collector) as client:
        password_step(client)
        send_code(client, "000000")
        send_code(client, code_of(secret, collector.store.clock))
        page = client.get("/audit?lang=en").text
        assert "Password right, wrong code for the second step" in page
        assert "Second step at login turned on" in page
        thai = client.get("/audit?lang=th").text
        assert "รหัสผ่านถูกต้อง แต่รหัสขั้นที่สองไม่ถูกต้อง" in thai


def test_a_used_code_is_known_to_another_server_on_either_backend(collector_db):
    clock = FakeClock()
    with CollectorStore(collector_db, clock) as one, CollectorStore(collector_db, clock) as two:
        make_operator(one, "somchai", "officer")
        first, second = SecondStep(Accounts(one)), SecondStep(Accounts(two))
        secret = first.propose("somchai")
        codes = first.turn_on("somchai", code_of(secret, clock), "console", None)
        clock.advance(90)
        code = code_of(secret, clock)
        assert first.check("somchai", code, "192.0.2.1", "login") == "app"
        with pytest.raises(AccountError) as refused:
            second.check("somchai", code, "192.0.2.2", "login")
        assert refused.value.key == "second_step.replayed"
        assert second.check("somchai", codes[3], None, "login") == "recovery"
        with pytest.raises(AccountError) as refused:
            first.check("somchai", codes[3], None, "login")
        assert refused.value.key == "second_step.recovery_used"
        assert Accounts(two).operators.throttle("name:somchai").failures == 2


def test_the_command_line_resets_a_lost_phone(tmp_path, capsys, monkeypatch):
    db = tmp_path / "c.sqlite3"
    with CollectorStore(db, FakeClock()) as store:
        make_operator(store, "somchai", "admin")
        steps = SecondStep(Accounts(store))
        secret = steps.propose("somchai")
        steps.turn_on("somchai", code_of(secret, store.clock), "console", None)
    assert main(["users", "--db", str(db), "list"]) == 0
    assert "second step on" in capsys.readouterr().out
    assert main(["users", "--db", str(db), "reset-second-step", "somchai"]) == 0
    assert "second step at login reset" in capsys.readouterr().out
    assert main(["users", "--db", str(db), "reset-second-step", "somchai"]) == 0
    assert "had no second step" in capsys.readouterr().out
    assert main(["users", "--db", str(db), "reset-second-step", "nobody"]) != 0
    assert "There is no user called nobody" in "".join(capsys.readouterr())
    with CollectorStore(db) as store:
        assert not SecondStep(Accounts(store)).is_on("somchai")
        (reset,) = store.audit_rows(5, AuditFilter(kind="operator", operator=None))[:1]
        assert reset["reason"] == "second_step_reset"
        assert reset["source"] == "cli"
        assert reset["detail"] == (
            "operator somchai: second step at login reset by the server's command line"
        )
