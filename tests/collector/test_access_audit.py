"""A logged-in operator refused at the console leaves an audit row naming them (promise 11).

A page above their role, an action above it and a form failing its CSRF or origin check are
each answered 403 and written to the audit: who, the method and path, what failed, from where.
Nothing else changes. The same request repeated adds to its row; the audit page says the
reason in Thai and in English. On SQLite and on PostgreSQL.
"""

import httpx

from collector.store.audit import AuditFilter
from tests.collector_db import sql
from tests.collector_server import serve_collector
from tests.console import log_in, make_operator

ACCOUNTS = "SELECT name, role, disabled_at, password_changed_at FROM operators ORDER BY name"


def refusals(store, operator):
    """The audit's refusals naming operator, oldest first, as (reason, detail, repeats)."""
    rows = store.audit_rows(100, AuditFilter(kind="refused", operator=operator))
    return [(r["reason"], r["detail"], r["repeats"]) for r in reversed(rows)]


def test_a_viewers_admin_form_and_a_failed_csrf_are_audited_and_change_nothing(collector_db):
    with serve_collector(collector_db) as running:
        store = running.store
        make_operator(store, "somchai", "viewer")
        make_operator(store, "admin", "admin")
        accounts = sql(store, ACCOUNTS)
        with httpx.Client(base_url=running.url, timeout=30) as client:
            csrf = log_in(client, name="somchai")
            before = len(store.audit_rows(100))
            # A viewer makes themselves admin through the admin's form, CSRF value and all.
            promote = client.post(
                "/console/users/somchai/role",
                data={"csrf": csrf, "role": "admin"},
                follow_redirects=False,
            )
            assert promote.status_code == 403
            assert sql(store, ACCOUNTS) == accounts
            assert len(store.audit_rows(100)) == before + 1
            (row,) = store.audit_rows(1)
            assert (row["kind"], row["reason"], row["operator"]) == (
                "refused",
                "role_action",
                "somchai",
            )
            assert row["detail"] == (
                "POST /console/users/somchai/role by somchai (viewer): needs the admin role"
            )
            assert (row["source"], row["source_addr"]) == ("console", "127.0.0.1")
            # A page above their role: audited too, and a reload adds to the same row.
            for _ in range(3):
                assert client.get("/console/users", follow_redirects=False).status_code == 403
            # A form of theirs without its CSRF value, and one from another site's page.
            password = "/console/password"
            assert client.post(password, data={"current": "x"}).status_code == 403
            foreign = {"origin": "https://evil.example"}
            sent = client.post(password, data={"csrf": csrf}, headers=foreign)
            assert sent.status_code == 403
        assert sql(store, ACCOUNTS) == accounts  # not a password, not a role changed
        assert refusals(store, "somchai") == [
            (
                "role_action",
                "POST /console/users/somchai/role by somchai (viewer): needs the admin role",
                1,
            ),
            ("role_page", "GET /console/users by somchai (viewer): needs the admin role", 3),
            ("csrf", "POST /console/password by somchai (viewer): no CSRF value", 1),
            (
                "csrf",
                "POST /console/password by somchai (viewer):"
                " sent from another site's page ('https://evil.example')",
                1,
            ),
        ]
        assert len(store.audit_rows(100)) == before + 4
        # What the auditor reads, in either language, filtered to the operator.
        with httpx.Client(base_url=running.url, timeout=30) as admin:
            log_in(admin, name="admin")
            th = admin.get("/audit", params={"operator": "somchai", "lang": "th"}).text
            assert "สั่งงานที่เกินสิทธิ์ของบทบาทตน (ไม่มีสิ่งใดถูกเปลี่ยน)" in th
            assert "เปิดหน้าที่เกินสิทธิ์ของบทบาทตน" in th
            assert "ไม่ผ่านการตรวจ CSRF" in th
            assert 'data-repeats="3"' in th
            en = admin.get("/audit", params={"operator": "somchai", "lang": "en"}).text
            assert "Tried an action above their role (nothing was changed)" in en
            assert "Opened a page above their role (nothing of it was shown)" in en
            assert "Sent a form that failed its CSRF or origin check" in en
            assert "POST /console/users/somchai/role by somchai (viewer)" in en


def test_another_operators_refusals_and_other_requests_stay_rows_of_their_own(tmp_path):
    with serve_collector(tmp_path / "c.sqlite3") as running:
        store = running.store
        make_operator(store, "somchai", "viewer")
        make_operator(store, "somsri", "officer")
        for name in ("somchai", "somsri"):
            with httpx.Client(base_url=running.url, timeout=30) as client:
                log_in(client, name=name)
                for path in ("/console/users", "/console/users", "/console/settings"):
                    assert client.get(path).status_code == 403
        for name, role in (("somchai", "viewer"), ("somsri", "officer")):
            assert refusals(store, name) == [
                ("role_page", f"GET /console/users by {name} ({role}): needs the admin role", 2),
                ("role_page", f"GET /console/settings by {name} ({role}): needs the admin role", 1),
            ]


def test_a_viewers_upload_refused_for_its_size_is_audited_too(tmp_path):
    # Too large to read: refused before its route runs (collector/bodies.py), audited the same.
    from collector.routes.size_groups import CHECK_PATH, MAX_CSV_BYTES

    with serve_collector(tmp_path / "c.sqlite3") as running:
        make_operator(running.store, "somchai", "viewer")
        with httpx.Client(base_url=running.url, timeout=30) as client:
            csrf = log_in(client, name="somchai")
            big = [("file", ("groups.csv", b"x" * (MAX_CSV_BYTES + 64 * 1024), "text/csv"))]
            answer = client.post(CHECK_PATH, data={"csrf": csrf}, files=big)
            assert answer.status_code == 403
        assert refusals(running.store, "somchai") == [
            ("role_action", f"POST {CHECK_PATH} by somchai (viewer): needs the officer role", 1)
        ]
