"""Who may see and do what: every route of the app walked, anonymous and by role.

A new route is checked by ``test_every_route_refuses_who_it_must`` the day it is added: it is
either in PUBLIC below (so adding a public route means saying so here) or needs a login, and
then an anonymous request gets the login page or 401 and an operator without the role gets
403, never the data. Every answer carries the security headers. The login resists a CSRF
attempt and a brute force; the audit stays readable under a flood of bad requests.
"""

import re
from datetime import timedelta

import httpx
import pytest
from fastapi.routing import APIRoute
from starlette.routing import Route

from collector.auth.headers import HEADERS
from collector.store.operators import ROLES
from tests.collector_server import serve_collector
from tests.console import PASSWORD, csrf_of, log_in, make_operator
from tests.fakes import FakeClock

# Routes anyone may use: the kiosk API, the update repository, the results, the assets, login.
PUBLIC = {
    ("GET", "/"),
    ("GET", "/leaderboard"),
    ("GET", "/districts/{code}"),
    # A publication's zip: anyone recounts the awards from it (docs/recount.md), so it is as
    # public as the results it proves, and closed with them (RESULTS below).
    ("GET", "/publications/{name}.zip"),
    ("GET", "/static/{name:path}"),
    ("GET", "/login"),
    ("POST", "/login"),
    # The second step after a right password: no session yet, the pending login's cookie is
    # their key and its own CSRF value guards the forms (tests/collector/test_second_step.py).
    ("GET", "/login/code"),
    ("POST", "/login/code"),
    ("GET", "/login/setup"),
    ("POST", "/login/setup"),
    ("GET", "/openapi.json"),
    ("GET", "/api/v1/health"),
    # The current campaign's name and slogan, signed, for the kiosks (anonymous): public words.
    ("GET", "/api/v1/campaign"),
    ("POST", "/api/v1/enroll"),
    ("POST", "/api/v1/batches"),
    ("GET", "/updates/metadata/{name}"),
    ("GET", "/updates/targets/{name}"),
}
RESULTS = {
    ("GET", "/"),
    ("GET", "/leaderboard"),
    ("GET", "/districts/{code}"),
    ("GET", "/publications/{name}.zip"),
}
SECRET_WORDS = ("127.0.0.1", "sqlite3", "data-kiosk", "csrf")


@pytest.fixture
def collector(tmp_path):
    with serve_collector(tmp_path / "collector.sqlite3", [("3706", "small")]) as running:
        yield running


def routes(app):
    """(method, path template, route) for every route of the app."""

    def flat(found):
        for route in found:
            if isinstance(route, APIRoute | Route):
                yield route
            elif hasattr(route, "original_router"):  # FastAPI 0.16x includes routers lazily
                yield from flat(route.original_router.routes)
            else:
                raise AssertionError(f"a route this test cannot walk: {route!r}")

    for route in flat(app.routes):
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                yield method, route.path, route


def required_role(route):
    """The role a route's dependencies require (require_<role>), strictest first; or None."""
    found = set()

    def walk(dependant):
        for dep in dependant.dependencies:
            name = getattr(dep.call, "__name__", "")
            if name.startswith("require_"):
                found.add(name.removeprefix("require_"))
            walk(dep)

    walk(route.dependant)
    return max(found, key=ROLES.index) if found else None


def concrete(path):
    """A path template with every parameter filled."""
    return re.sub(r"\{[^}]+\}", "x", path)


def call(client, method, path, **kwargs):
    return client.request(method, concrete(path), follow_redirects=False, **kwargs)


def test_every_route_refuses_who_it_must(collector):
    app = collector.app
    for role in ROLES:
        make_operator(collector.store, role, role)
    walked = list(routes(app))
    assert len(walked) > 15
    private = [(m, p, r) for m, p, r in walked if (m, p) not in PUBLIC]
    assert {(m, p) for m, p, _ in walked} >= PUBLIC, "a public route listed here is gone"
    with httpx.Client(base_url=collector.url, timeout=30) as anonymous:
        for method, path, route in private:
            role = required_role(route)
            assert role in ROLES, f"{method} {path} is neither public nor behind a role"
            answer = call(anonymous, method, path, data={"csrf": "x"})
            if path.startswith("/api/"):
                assert answer.status_code == 401, (method, path)
                assert answer.json()["error"] == "login_required"
            elif method == "GET":
                assert answer.status_code == 303, (method, path)
                assert answer.headers["location"].startswith("/login?next=")
            else:
                assert answer.status_code == 401, (method, path)
            for word in SECRET_WORDS:
                assert word not in answer.text, (method, path, word)
    refused = set()
    for who in ROLES:
        with httpx.Client(base_url=collector.url, timeout=30) as client:
            csrf = log_in(client, name=who)
            for method, path, route in private:
                needed = required_role(route)
                if ROLES.index(who) < ROLES.index(needed):
                    answer = call(client, method, path, data={"csrf": csrf})
                    assert answer.status_code == 403, (who, method, path)
                    refused.add((who, method, concrete(path), needed))
    # Each refusal is in the audit, naming the operator, the request and the role it needs.
    audited = {
        (r["operator"], r["reason"], r["detail"])
        for r in collector.store.audit_rows(1000)
        if r["kind"] == "refused"
    }
    assert audited == {
        (
            who,
            "role_page" if method == "GET" else "role_action",
            f"{method} {path} by {who} ({who}): needs the {needed} role",
        )
        for who, method, path, needed in refused
    }


def test_every_answer_carries_the_security_headers(collector):
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        for method, path, _ in routes(collector.app):
            answer = call(client, method, path)
            for name, value in HEADERS.items():
                assert answer.headers.get(name) == value, (method, path, name)
            assert "server" not in answer.headers  # no software named to whoever asks
            policy = answer.headers["content-security-policy"]
            assert "'unsafe-inline'" not in policy
            assert "frame-ancestors 'none'" in policy
        for extra in ("/no-such-page", "/api/v1/no-such"):
            assert "content-security-policy" in client.get(extra).headers


def test_no_page_loads_anything_from_another_site(collector):
    make_operator(collector.store, "viewer", "viewer")
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        log_in(client, name="viewer")
        for path in (
            "/",
            "/leaderboard",
            "/districts/3706",
            "/kiosks",
            "/audit",
            "/console",
            "/login",
        ):
            html = client.get(path).text
            assert not re.search(r"""(?:src|href|action)=["'](?:https?:)?//""", html), path
            assert "<script" not in html, path
            assert " style=" not in html, path
        assert client.get("/docs").status_code == 404  # the CDN-fed API pages are off
        assert client.get("/redoc").status_code == 404


def test_an_address_with_no_page_is_the_sites_own_404_page(collector):
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        for path in ("/console/audit", "/no/such/page?lang=th"):
            answer = client.get(path)
            assert answer.status_code == 404
            assert answer.headers["content-type"].startswith("text/html")
            assert "ไม่มีหน้านี้ในระบบ กรุณาตรวจสอบที่อยู่" in answer.text
            assert 'href="/"' in answer.text  # the site's menu, to go on from
        english = client.get("/nowhere?lang=en").text
        assert "There is no page at this address." in english
        machine = client.get("/api/v1/nowhere")  # a kiosk's request keeps its JSON answer
        assert (machine.status_code, machine.json()) == (404, {"detail": "Not Found"})
        make_operator(collector.store, "somchai", "officer")
        log_in(client, name="somchai")
        answer = client.get("/no/such/page?lang=th")  # the header says who is logged in
        assert answer.status_code == 404
        assert "somchai · เจ้าหน้าที่" in answer.text
        assert 'class="login-link"' not in answer.text  # no "เข้าสู่ระบบ" to an officer logged in
        assert 'href="/console/awards"' in answer.text  # the console's menu, to go on from


def test_results_can_be_closed_to_the_public(collector):
    collector.store.set_setting("results_public", "no")
    make_operator(collector.store, "viewer", "viewer")
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        for method, path in sorted(RESULTS):
            assert call(client, method, path).status_code == 303, path
        log_in(client, name="viewer")
        assert client.get("/").status_code == 200
        assert client.get("/districts/3706").status_code == 200


def test_a_district_page_shows_its_kiosks_only_to_operators(collector, make_kiosk):
    from tests.kiosks import enroll

    kiosk = make_kiosk()
    enroll(collector.store, kiosk)
    make_operator(collector.store, "viewer", "viewer")
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        assert kiosk.key.kiosk_id not in client.get("/districts/3706").text
        log_in(client, name="viewer")
        assert kiosk.key.kiosk_id in client.get("/districts/3706").text


def test_an_unknown_host_is_refused_once_the_server_names_are_set(tmp_path, monkeypatch):
    monkeypatch.setenv("SANGSUK_SERVER_NAMES", "sangsuk.example.go.th,127.0.0.1")
    with (
        serve_collector(tmp_path / "c.sqlite3") as running,
        httpx.Client(base_url=running.url, timeout=30) as client,
    ):
        assert client.get("/api/v1/health").status_code == 200
        answer = client.get("/", headers={"host": "evil.example"})
        assert answer.status_code == 400
        assert "content-security-policy" in answer.headers
        named = client.get("/", headers={"host": "sangsuk.example.go.th"})
        assert named.status_code == 200


def test_a_form_without_its_csrf_value_changes_nothing(collector, make_kiosk):
    from tests.kiosks import enroll

    kiosk = make_kiosk()
    enroll(collector.store, kiosk)
    make_operator(collector.store)
    revoke = f"/kiosks/{kiosk.key.kiosk_id}/revoke"
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        csrf = log_in(client)
        for data, headers in (
            ({"reason": "stolen"}, {}),  # no CSRF value
            ({"reason": "stolen", "csrf": "guessed"}, {}),  # a wrong one
            # the right value, but posted from another site's page
            ({"reason": "stolen", "csrf": csrf}, {"origin": "https://evil.example"}),
        ):
            answer = client.post(revoke, data=data, headers=headers, follow_redirects=False)
            assert answer.status_code == 403, data
        assert not collector.store.kiosk_status(kiosk.key.kiosk_id).revoked
        done = client.post(revoke, data={"reason": "stolen", "csrf": csrf}, follow_redirects=False)
        assert done.status_code == 303
    assert collector.store.kiosk_status(kiosk.key.kiosk_id).revoked
    (row,) = collector.store.audit_rows(1)
    assert (row["kind"], row["operator"], row["detail"]) == (
        "revoked",
        "officer",
        "kiosk revoked by the central office: stolen",
    )


def test_a_login_cannot_be_forced_from_another_site(collector):
    make_operator(collector.store)
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        # Another site's page posts the form: it has no login cookie of ours to match.
        forged = client.post(
            "/login",
            data={"name": "officer", "password": PASSWORD, "csrf": "x"},
            follow_redirects=False,
        )
        assert forged.status_code == 403
        assert "sangsuk_session" not in forged.headers.get("set-cookie", "")
        form = client.get("/login")
        cross = client.post(
            "/login",
            data={"name": "officer", "password": PASSWORD, "csrf": csrf_of(form.text)},
            headers={"origin": "https://evil.example"},
            follow_redirects=False,
        )
        assert cross.status_code == 403


def test_a_brute_force_is_locked_out_longer_and_longer(tmp_path):
    clock = FakeClock()
    with serve_collector(tmp_path / "c.sqlite3") as running:
        running.store.clock = clock
        make_operator(running.store)

        def attempt(client, password):
            form = client.get("/login?lang=en")
            return client.post(
                "/login",
                data={"name": "officer", "password": password, "csrf": csrf_of(form.text)},
                follow_redirects=False,
            )

        with httpx.Client(base_url=running.url, timeout=30) as client:
            statuses = [attempt(client, f"guess number {n:04}").status_code for n in range(5)]
            assert statuses == [401, 401, 401, 401, 401]
            # The fifth wrong guess locked the name: even the right password is refused now.
            locked = attempt(client, PASSWORD)
            assert locked.status_code == 429
            assert "Try again in 30 s (after " in locked.text  # the first lock lasts 30 s
            clock.advance(31)
            assert attempt(client, "guess number 0006").status_code == 401  # locked again, 60 s
            clock.advance(31)
            assert attempt(client, PASSWORD).status_code == 429  # still locked: it doubled
            clock.advance(30)
            assert attempt(client, PASSWORD).status_code == 303  # and then it lets them in
    rows = running.store.audit_rows(10)
    failed = [r for r in rows if r["reason"] == "login_failed"]
    assert len(failed) == 1
    assert failed[0]["repeats"] == 6


def test_a_flood_of_bad_requests_does_not_push_a_revocation_off_the_audit(collector, make_kiosk):
    from tests.kiosks import enroll

    kiosk = make_kiosk()
    enroll(collector.store, kiosk)
    collector.store.revoke(kiosk.key.kiosk_id, "lost in the flood", "officer", "console")
    make_operator(collector.store, "viewer", "viewer")
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        for _ in range(500):
            client.post(
                "/api/v1/batches", content=b"{", headers={"content-type": "application/json"}
            )
        log_in(client, name="viewer")
        html = client.get("/audit?lang=en").text
        assert "lost in the flood" in html
        assert re.search(r'data-repeats="500"', html)
        only = client.get("/audit", params={"kind": "revoked", "operator": "officer"}).text
        assert "lost in the flood" in only
        assert 'data-repeats="500"' not in only
        assert client.get("/audit?from=2026-13-01").status_code == 422
        # A Buddhist-era day, as a Thai officer writes it, is refused with the day to type.
        be = client.get("/audit", params={"from": "2569-12-06", "lang": "th"})
        assert be.status_code == 422
        assert "แทน 2569-12-06 ให้ใส่ 2026-12-06" in be.text
        # The kiosk filter takes the fingerprint the pages show, as well as the whole id.
        shown = kiosk.key.kiosk_id[:16].upper()
        fingerprint = "-".join(shown[i : i + 4] for i in range(0, 16, 4))
        for wanted in (kiosk.key.kiosk_id, fingerprint):
            found = client.get("/audit", params={"kiosk": wanted}).text
            assert "lost in the flood" in found
            assert 'data-repeats="500"' not in found


@pytest.mark.parametrize("role", ROLES)
def test_a_session_ends_after_its_idle_time(tmp_path, role):
    clock = FakeClock()
    with serve_collector(tmp_path / "c.sqlite3") as running:
        running.store.clock = clock
        make_operator(running.store, role, role)
        with httpx.Client(base_url=running.url, timeout=30) as client:
            log_in(client, name=role)
            assert client.get("/console", follow_redirects=False).status_code == 200
            clock.advance(timedelta(hours=2).total_seconds() + 1)
            assert client.get("/console", follow_redirects=False).status_code == 303


def test_parallel_guesses_cannot_outrun_the_lockout(collector):
    # 30 wrong guesses for one name at once: at most the five a name is allowed are checked.
    import concurrent.futures

    make_operator(collector.store)

    def guess(n):
        with httpx.Client(base_url=collector.url, timeout=60) as client:
            form = client.get("/login")
            return client.post(
                "/login",
                data={
                    "name": "officer",
                    "password": f"wrong guess {n:05}",
                    "csrf": csrf_of(form.text),
                },
                follow_redirects=False,
            ).status_code

    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(guess, range(30)))
    assert statuses.count(401) == 5, statuses
    assert statuses.count(429) == 25


def test_the_current_password_is_guarded_like_a_login(collector):
    make_operator(collector.store)
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        csrf = log_in(client)

        def change(current):
            return client.post(
                "/console/password?lang=en",
                data={
                    "csrf": csrf,
                    "current": current,
                    "new": "x" * 14 + "yz",
                    "again": "x" * 14 + "yz",
                },
                follow_redirects=False,
            )

        assert [change(f"not it {n:06}").status_code for n in range(5)] == [422] * 5
        locked = change(PASSWORD)  # a left-open session cannot keep guessing
        assert locked.status_code == 429
        assert "Try again in 30 s (after " in locked.text
    failed = [r for r in collector.store.audit_rows(20) if r["reason"] == "login_failed"]
    assert [(r["detail"], r["operator"]) for r in failed] == [  # a row each, naming them
        ("password: wrong name or password for 'officer'", "officer")
    ] * 5


def test_failed_logins_for_different_names_stay_apart_in_the_audit(collector):
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        for name in ("decoy", "admin", "admin", "somchai"):
            form = client.get("/login")
            client.post(
                "/login",
                data={"name": name, "password": "nothing good", "csrf": csrf_of(form.text)},
            )
    failed = {
        r["detail"]: r["repeats"]
        for r in collector.store.audit_rows(20)
        if r["reason"] == "login_failed"
    }
    assert failed == {
        "login: wrong name or password for 'decoy'": 1,
        "login: wrong name or password for 'admin'": 2,
        "login: wrong name or password for 'somchai'": 1,
    }


def test_odd_input_is_a_clear_refusal_never_a_crash(collector):
    make_operator(collector.store, "viewer", "viewer")
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        form = client.get("/login")
        nul = client.post(
            "/login",
            data={"name": "vie\x00wer", "password": "x", "csrf": csrf_of(form.text)},
        )
        assert nul.status_code == 401
        log_in(client, name="viewer")
        for query in ("from=0001-01-01", "to=9999-12-31", "operator=a%00b", "kind=%07"):
            answer = client.get(f"/audit?{query}")
            assert answer.status_code == 422, query
            assert "content-security-policy" in answer.headers
        status = client.get("/api/v1/kiosks/" + "0" * 32 + "/status")
        assert status.headers["cache-control"] == "no-store"  # an operator's answer: not kept
        assert "no-store" not in client.get("/static/site.css").headers.get("cache-control", "")
