"""The admin's console pages: accounts and roles (/console/users) and the settings.

Over real HTTP to a real collector: an admin adds, changes, unlocks and disables accounts in
the browser's way (forms with their CSRF value), and the other operator's own client sees the
effect on its next request. Refusals say why in words and change nothing.
"""

import re

import httpx
import pytest

from collector.auth.accounts import AccountError, Accounts
from collector.auth.web import RESULTS_PUBLIC
from collector.store import CollectorStore
from collector.store.audit import AuditFilter
from tests.collector_server import serve_collector
from tests.console import PASSWORD, csrf_of, log_in, make_operator
from tests.fakes import FakeClock

NEW_PASSWORD = "another quite long pass phrase"
ACCOUNT_ROWS = AuditFilter(kind="operator")  # the audit's rows of account changes


@pytest.fixture
def collector(tmp_path):
    with serve_collector(tmp_path / "collector.sqlite3", [("3706", "small")]) as running:
        running.store.clock = FakeClock()  # a lockout stays locked until the test moves time
        make_operator(running.store, "admin", "admin")
        yield running


@pytest.fixture
def admin(collector):
    """An httpx client logged in as the admin (English pages), and its CSRF value."""
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        client.get("/login?lang=en")
        csrf = log_in(client, name="admin")
        yield client, csrf


def client_of(collector):
    return httpx.Client(base_url=collector.url, timeout=30)


def tries_to_log_in(client, name, password=PASSWORD):
    """The status of one login attempt (303 when it was let in)."""
    form = client.get("/login?lang=en")
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf": csrf_of(form.text)},
        follow_redirects=False,
    )


def post(client, path, csrf, **fields):
    return client.post(path, data={"csrf": csrf, **fields}, follow_redirects=False)


def alert(html):
    """The text of the page's refusal (class="error" role="alert")."""
    found = re.search(r'<p class="error" role="alert">(.*?)</p>', html, re.S)
    assert found, "the page says nothing about why"
    return found.group(1)


def operator_names(collector):
    return [o.name for o in Accounts(collector.store).operators.all()]


def test_an_admin_adds_an_officer_who_then_logs_in(collector, admin):
    client, csrf = admin
    page = client.get("/console/users")
    assert page.status_code == 200
    assert "trusted channel" in page.text
    assert "first login" in page.text
    added = post(
        client, "/console/users", csrf,
        name=" Somchai ", role="officer", password=PASSWORD, again=PASSWORD,
    )  # fmt: skip
    assert added.status_code == 303
    assert added.headers["location"] == "/console/users/somchai?done=added"
    shown = client.get(added.headers["location"])
    assert "somchai was added as officer" in shown.text
    listed = client.get("/console/users").text
    row = re.search(r'<tr data-name="somchai".*?</tr>', listed, re.S).group(0)
    assert "officer" in row
    assert "by admin" in row
    with client_of(collector) as somchai:
        log_in(somchai, name="somchai")
        assert somchai.get("/kiosks").status_code == 200
    (row,) = collector.store.audit_rows(1, ACCOUNT_ROWS)
    assert (row["kind"], row["operator"], row["source"]) == ("operator", "admin", "console")
    assert row["detail"] == "operator somchai added as officer"


@pytest.mark.parametrize("role", ["viewer", "officer"])
def test_only_an_admin_reaches_the_users_and_settings(collector, role):
    make_operator(collector.store, role, role)
    with client_of(collector) as client:
        csrf = log_in(client, name=role)
        assert "/console/users" not in client.get("/console").text  # not in the menu either
        for path in ("/console/users", "/console/users/admin", "/console/settings"):
            assert client.get(path).status_code == 403, path
        answer = post(client, "/console/users/admin/disabled", csrf, disabled="yes")
        assert answer.status_code == 403
    assert Accounts(collector.store).operators.get("admin").disabled_at is None


def test_a_role_change_applies_from_the_next_request(collector, admin):
    client, csrf = admin
    make_operator(collector.store, "somchai", "officer")
    with client_of(collector) as somchai:
        log_in(somchai, name="somchai")
        assert somchai.get("/console/users").status_code == 403
        done = post(client, "/console/users/somchai/role", csrf, role="admin")
        assert done.status_code == 303
        assert somchai.get("/console/users").status_code == 200  # same session, new role
        post(client, "/console/users/somchai/role", csrf, role="viewer")
        assert somchai.get("/console/users").status_code == 403
        assert "viewer" in client.get("/console/users/somchai").text
    details = [r["detail"] for r in collector.store.audit_rows(10, ACCOUNT_ROWS)]
    assert details[:2] == [
        "operator somchai: role admin -> viewer",
        "operator somchai: role officer -> admin",
    ]


def test_a_new_password_ends_the_users_sessions_and_unlocks_them(collector, admin):
    client, csrf = admin
    make_operator(collector.store, "somchai", "officer")
    with client_of(collector) as somchai, client_of(collector) as guesser:
        log_in(somchai, name="somchai")
        for n in range(5):
            assert tries_to_log_in(guesser, "somchai", f"wrong guess {n:04}").status_code == 401
        assert tries_to_log_in(guesser, "somchai").status_code == 429  # locked, right password
        listed = client.get("/console/users").text
        row = re.search(r'<tr data-name="somchai".*?</tr>', listed, re.S).group(0)
        assert "Login locked until" in row
        assert (
            "Setting a new password below unlocks it" in client.get("/console/users/somchai").text
        )
        done = post(
            client, "/console/users/somchai/password", csrf,
            password=NEW_PASSWORD, again=NEW_PASSWORD,
        )  # fmt: skip
        assert done.status_code == 303
        assert "somchai has a new password" in client.get(done.headers["location"]).text
        assert somchai.get("/console", follow_redirects=False).status_code == 303  # logged out
        assert tries_to_log_in(guesser, "somchai").status_code == 401  # the old one is gone
        assert tries_to_log_in(guesser, "somchai", NEW_PASSWORD).status_code == 303
    assert "Login locked" not in client.get("/console/users").text


def test_a_new_password_clears_the_lockout_of_its_name(tmp_path):
    store = CollectorStore(tmp_path / "c.sqlite3")
    store.clock = FakeClock()
    accounts = Accounts(store)
    make_operator(store, "somchai")
    for n in range(5):
        with pytest.raises(AccountError) as refused:
            accounts.login("somchai", f"wrong guess {n:04}", "192.0.2.1")
        assert refused.value.key == "login.wrong"
    assert accounts.locked_until("somchai") is not None
    accounts.set_password("somchai", NEW_PASSWORD, "admin", "console")
    assert accounts.locked_until("somchai") is None
    assert accounts.operators.throttle("name:somchai").failures == 0
    accounts.login("somchai", NEW_PASSWORD, "192.0.2.2")


def test_a_disabled_user_is_logged_out_and_cannot_log_in(collector, admin):
    client, csrf = admin
    make_operator(collector.store, "somchai", "officer")
    with client_of(collector) as somchai:
        log_in(somchai, name="somchai")
        assert (
            post(client, "/console/users/somchai/disabled", csrf, disabled="yes").status_code == 303
        )
        assert somchai.get("/console", follow_redirects=False).status_code == 303
        assert tries_to_log_in(somchai, "somchai").status_code == 401
        listed = client.get("/console/users").text
        assert re.search(
            r'<tr data-name="somchai" class="disabled">.*?Disabled since', listed, re.S
        )
        assert (
            post(client, "/console/users/somchai/disabled", csrf, disabled="no").status_code == 303
        )
        assert "somchai is enabled again" in client.get("/console/users/somchai?done=enabled").text
        assert tries_to_log_in(somchai, "somchai").status_code == 303
    details = [r["detail"] for r in collector.store.audit_rows(10, ACCOUNT_ROWS)]
    assert details[:2] == ["operator somchai: enabled again", "operator somchai: disabled"]
    assert {r["operator"] for r in collector.store.audit_rows(2, ACCOUNT_ROWS)} == {"admin"}


def test_the_last_admin_and_ones_own_account_are_kept(collector, admin):
    client, csrf = admin
    demoted = post(client, "/console/users/admin/role", csrf, role="officer")
    assert demoted.status_code == 422
    assert "at least one enabled admin" in alert(demoted.text)
    itself = post(client, "/console/users/admin/disabled", csrf, disabled="yes")
    assert itself.status_code == 422
    assert "cannot disable your own account" in alert(itself.text)
    own = post(
        client, "/console/users/admin/password", csrf, password=NEW_PASSWORD, again=NEW_PASSWORD
    )
    assert own.status_code == 422
    assert "asks for your current password" in alert(own.text)
    account = Accounts(collector.store).operators.get("admin")
    assert (account.role, account.disabled_at) == ("admin", None)
    assert client.get("/console/users").status_code == 200  # still logged in, still admin
    # With a second admin, the first may step down (and is then sent out of the admin pages).
    make_operator(collector.store, "malee", "admin")
    stepped = post(client, "/console/users/admin/role", csrf, role="officer")
    assert (stepped.status_code, stepped.headers["location"]) == (303, "/console")
    assert client.get("/console/users").status_code == 403


def test_the_last_admin_is_kept_in_thai_too(collector, admin):
    client, csrf = admin
    client.get("/console?lang=th")
    refused = post(client, "/console/users/admin/role", csrf, role="viewer")
    assert refused.status_code == 422
    assert "ต้องมีผู้ดูแลระบบที่ใช้งานได้อย่างน้อยหนึ่งคน" in alert(refused.text)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"name": "x", "role": "officer"}, "2 to 32 lowercase letters"),
        ({"name": "som chai", "role": "officer"}, "2 to 32 lowercase letters"),
        ({"name": "somchai", "role": "officer", "password": "short1"}, "too short"),
        (
            {"name": "somchai", "role": "officer", "again": "not the same one at all"},
            "not the same",
        ),
        ({"name": "somchai", "role": "officer", "password": "passwordpassword"}, "too easy"),
        (
            {"name": "somchai", "role": "officer", "password": "Somchai-Somchai"},
            "contains the user name",
        ),
        ({"name": "somchai", "role": "king"}, "must be viewer, officer or admin"),
        ({"name": "admin", "role": "officer"}, "already a user called admin"),
    ],
)
def test_a_bad_new_account_is_refused_with_words_and_nothing_made(collector, admin, fields, words):
    client, csrf = admin
    password = fields.pop("password", PASSWORD)
    sent = {"password": password, "again": fields.pop("again", password), **fields}
    refused = post(client, "/console/users", csrf, **sent)
    assert refused.status_code == 422
    assert words in alert(refused.text)
    assert f'value="{fields["name"]}"' in refused.text  # the form keeps what was typed...
    assert password not in refused.text  # ...but never the password
    assert operator_names(collector) == ["admin"]
    assert not collector.store.audit_rows(5, ACCOUNT_ROWS)[1:]  # only the admin's own row


def test_bad_changes_to_an_account_are_refused_and_change_nothing(collector, admin):
    client, csrf = admin
    make_operator(collector.store, "somchai", "officer")
    before = Accounts(collector.store).operators.get("somchai")
    somchai = "/console/users/somchai"
    for path, fields, status, words in (
        (f"{somchai}/role", {"role": "king"}, 422, "must be viewer"),
        (f"{somchai}/password", {"password": "short", "again": "short"}, 422, "too short"),
        (f"{somchai}/password", {"password": NEW_PASSWORD, "again": PASSWORD}, 422, "not the same"),
        (f"{somchai}/disabled", {"disabled": "maybe"}, 422, "nothing was changed"),
        ("/console/users/nobody/role", {"role": "viewer"}, 404, "no user called nobody"),
    ):
        answer = post(client, path, csrf, **fields)
        assert answer.status_code == status, path
        assert words in answer.text, path
    assert Accounts(collector.store).operators.get("somchai") == before
    assert client.get("/console/users/nobody").status_code == 404
    assert client.get("/console/users/somchai?done=everything").status_code == 422


def test_a_form_without_its_csrf_value_changes_nothing(collector, admin):
    client, csrf = admin
    make_operator(collector.store, "somchai", "officer")
    before = Accounts(collector.store).operators.get("somchai")
    rows_before = len(collector.store.audit_rows(100))
    two = {"password": NEW_PASSWORD, "again": NEW_PASSWORD}
    for path, fields in (
        ("/console/users", {"name": "malee", "role": "admin", **two}),
        ("/console/users/somchai/role", {"role": "admin"}),
        ("/console/users/somchai/password", two),
        ("/console/users/somchai/disabled", {"disabled": "yes"}),
        ("/console/settings", {"results_public": "no"}),
    ):
        for sent, headers in (
            (fields, {}),
            ({**fields, "csrf": "guessed"}, {}),
            ({**fields, "csrf": csrf}, {"origin": "https://evil.example"}),
        ):
            answer = client.post(path, data=sent, headers=headers, follow_redirects=False)
            assert answer.status_code == 403, (path, sent.get("csrf"))
            assert "nothing was changed" in answer.text
    assert operator_names(collector) == ["admin", "somchai"]
    assert Accounts(collector.store).operators.get("somchai") == before
    assert collector.store.setting(RESULTS_PUBLIC) is None
    # Each refusal is audited naming the admin (design promise 11), and nothing else is.
    new = collector.store.audit_rows(100)[: len(collector.store.audit_rows(100)) - rows_before]
    assert len(new) == 15
    assert {(r["kind"], r["reason"], r["operator"]) for r in new} == {("refused", "csrf", "admin")}


def test_the_admin_closes_and_opens_the_results(collector, admin):
    client, csrf = admin
    page = client.get("/console/settings")
    assert page.status_code == 200
    assert re.search(r'value="yes" checked', page.text)
    assert "Not set" in page.text  # no server names given to this test server
    assert re.search(r'id="https"><span class="flag">No</span>', page.text)
    with client_of(collector) as anonymous:
        assert anonymous.get("/", follow_redirects=False).status_code == 200
        closed = post(client, "/console/settings", csrf, results_public="no")
        assert (closed.status_code, closed.headers["location"]) == (
            303,
            "/console/settings?done=saved",
        )
        assert "Saved" in client.get(closed.headers["location"]).text
        assert re.search(r'value="no" checked', client.get("/console/settings").text)
        answer = anonymous.get("/", follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login?next=")
        assert client.get("/", follow_redirects=False).status_code == 200  # staff still see them
        again = post(client, "/console/settings", csrf, results_public="no")
        assert again.headers["location"] == "/console/settings?done=unchanged"
        assert post(client, "/console/settings", csrf, results_public="yes").status_code == 303
        assert anonymous.get("/", follow_redirects=False).status_code == 200
        bad = post(client, "/console/settings", csrf, results_public="perhaps")
        assert bad.status_code == 422
        assert "Choose yes or no" in alert(bad.text)
    assert collector.store.setting(RESULTS_PUBLIC) == "yes"
    rows = [r for r in collector.store.audit_rows(20) if r["kind"] == "settings"]
    assert [(r["detail"], r["operator"], r["source"]) for r in rows] == [
        ("results_public set to yes", "admin", "console"),
        ("results_public set to no", "admin", "console"),
    ]


def test_the_admin_pages_load_nothing_from_elsewhere_and_run_no_script(collector, admin):
    client, _ = admin
    make_operator(collector.store, "somchai", "officer")
    for path in (
        "/console/users",
        "/console/users/somchai",
        "/console/users/admin",
        "/console/settings",
    ):
        answer = client.get(path)
        assert answer.status_code == 200, path
        html = answer.text
        assert not re.search(r"""(?:src|href|action)=["'](?:https?:)?//""", html), path
        assert "<script" not in html, path
        assert " style=" not in html, path


def test_the_settings_show_the_server_names(tmp_path, monkeypatch):
    monkeypatch.setenv("SANGSUK_SERVER_NAMES", "sangsuk.example.go.th,127.0.0.1")
    with serve_collector(tmp_path / "c.sqlite3") as running, client_of(running) as client:
        make_operator(running.store, "admin", "admin")
        log_in(client, name="admin")
        page = client.get("/console/settings?lang=en").text
        assert re.search(r'id="server-names">.*sangsuk\.example\.go\.th.*127\.0\.0\.1', page)
        assert "Not set" not in page
