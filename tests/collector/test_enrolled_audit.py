"""Every kiosk enrollment is in the audit and the log: by the network, by USB import and on the
console's import page, on SQLite and on PostgreSQL. A token that reached the wrong person shows
as a kiosk nobody expected (docs/operations.md, "Enrolling a kiosk")."""

from __future__ import annotations

import json
import logging

import httpx

from collector.cli import main
from collector.store.audit import AuditFilter
from collector.store.tokens import issued_tokens
from tests.collector.test_console_enroll_import import kiosk_with_request, post
from tests.collector_server import serve_collector
from tests.console import log_in, make_operator
from wire.keys import fingerprint_for_id


def enrolled_rows(store):
    """The audit's enrollments, oldest first."""
    return list(reversed(store.audit_rows(100, AuditFilter(kind="enrolled"))))


def test_an_enrollment_over_the_network_is_audited_logged_and_shown(
    collector_db, make_kiosk, caplog, capsys
):
    caplog.set_level(logging.INFO)
    with serve_collector(collector_db, [("3706", "small")]) as running:
        store = running.store
        token = store.issue_token("3706", operator="admin")
        with store.reading() as conn:
            (issued,) = issued_tokens(conn, 10)
        kiosk = make_kiosk()
        body = {"token": token, "public_key": kiosk.key.public_key_raw.hex()}
        with httpx.Client(base_url=running.url, timeout=30) as client:
            assert client.post("/api/v1/enroll", json=body).status_code == 200
            assert client.post("/api/v1/enroll", json=body).status_code == 200  # a retry
            fingerprint = fingerprint_for_id(kiosk.key.kiosk_id)
            first, again = enrolled_rows(store)
            assert (first["reason"], again["reason"]) == ("new", "again")
            assert first["kiosk"] == kiosk.key.kiosk_id
            assert (first["source"], first["source_addr"]) == ("http", "127.0.0.1")
            assert f"kiosk {fingerprint} enrolled for district 3706 by http" in first["detail"]
            assert f"with the token issued {issued.issued_at}" in first["detail"]
            assert token not in first["detail"]
            logged = [
                r.getMessage() for r in caplog.records if "enrolled for district" in r.message
            ]
            assert any(fingerprint in line and "127.0.0.1" in line for line in logged)
            make_operator(store, "somchai", "viewer")
            log_in(client, name="somchai")
            thai = client.get("/audit?kind=enrolled").text
            assert "ลงทะเบียนตู้ใหม่ด้วยรหัสลงทะเบียน" in thai
            assert "ตู้เดิมลงทะเบียนซ้ำด้วยรหัสเดิม" in thai
            english = client.get("/audit?kind=enrolled&lang=en").text
            assert "New kiosk enrolled with a token" in english
            assert "Kiosk enrolled" in english
    capsys.readouterr()
    assert main(["audit", "--db", str(collector_db), "--language", "en"]) == 0
    out = capsys.readouterr().out
    assert "enrolled" in out
    assert fingerprint in out


def test_an_enrollment_by_usb_import_is_audited_with_its_file(collector_db, tmp_path, capsys):
    assert main(["districts", "--load", "demo", "--db", str(collector_db)]) == 0
    assert main(["token", "--district", "3706", "--db", str(collector_db)]) == 0
    token = capsys.readouterr().out.split()[-1]
    _, request = kiosk_with_request(tmp_path, token)
    assert main(["import", str(request.parent), "--db", str(collector_db)]) == 0, (
        capsys.readouterr()
    )
    capsys.readouterr()
    assert main(["audit", "--json", "--db", str(collector_db)]) == 0
    rows = [r for r in json.loads(capsys.readouterr().out)["audit"] if r["kind"] == "enrolled"]
    assert [(r["reason"], r["source"], r["source_addr"]) for r in rows] == [
        ("new", "usb", str(request))
    ]


def test_an_enrollment_on_the_console_names_the_officer(collector_db, tmp_path):
    with serve_collector(collector_db, [("3706", "small")]) as running:
        token = running.store.issue_token("3706")
        _, request = kiosk_with_request(tmp_path, token)
        make_operator(running.store, "somchai", "officer")
        with httpx.Client(base_url=running.url, timeout=60) as client:
            assert post(client, log_in(client, name="somchai"), request).status_code == 200
        (row,) = enrolled_rows(running.store)
        assert (row["source"], row["operator"], row["reason"]) == ("console", "somchai", "new")
