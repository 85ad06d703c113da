"""Enrollment requests on the console's import page: a real kiosk's request uploaded, enrolled
as over the network, the signed answer downloaded and accepted by that kiosk; refusals in words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from collector.store.audit import AuditFilter
from kiosk.config import KioskConfig, load_config, save_config
from sync.usb_enroll import export_enroll_request, import_enroll_answer
from tests.collector.test_console_import import _unescape, saved_name
from tests.collector_server import RunningCollector, serve_collector
from tests.console import log_in, make_operator
from wire import keys
from wire.keys import fingerprint_for

JSON = "application/json"
REQUEST_ROW = re.compile(
    r'<tr class="[^"]*" data-request="([^"]+)" data-outcome="([a-z]+)">(.*?)</tr>', re.S
)
ANSWER_FIELD = re.compile(r'<input type="hidden" name="answer" value="([^"]*)">')


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "collector.sqlite3", [("3706", "small")]) as running:
        yield running


@pytest.fixture
def officer(collector: RunningCollector) -> Iterator[tuple[httpx.Client, str]]:
    make_operator(collector.store, "somchai", "officer")
    with httpx.Client(base_url=collector.url, timeout=60) as client:
        yield client, log_in(client, name="somchai")


def kiosk_with_request(tmp_path: Path, token: str | None) -> tuple[Path, Path]:
    data_dir = tmp_path / "kiosk"
    data_dir.mkdir()
    save_config(data_dir, KioskConfig(district="3706", demo=False))
    stick = tmp_path / "stick"
    stick.mkdir()
    return data_dir, export_enroll_request(data_dir, stick, token).path


def post(client: httpx.Client, csrf: str, request: Path, **fields: str) -> httpx.Response:
    return client.post(
        "/console/import",
        data={"csrf": csrf, **fields},
        files=[("files", (request.name, request.read_bytes(), JSON))],
    )


def request_rows(html: str) -> dict[str, tuple[str, str]]:
    return {
        name: (outcome, " ".join(re.sub(r"<[^>]+>", " ", cells).split()))
        for name, outcome, cells in REQUEST_ROW.findall(html)
    }


def download_answer(client: httpx.Client, csrf: str, html: str, to: Path) -> Path:
    (value,) = ANSWER_FIELD.findall(html)
    answer = client.post("/console/import/answer", data={"csrf": csrf, "answer": _unescape(value)})
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    path = to / saved_name(answer)
    path.write_bytes(answer.content)
    return path


def test_an_officer_imports_a_request_and_the_kiosk_accepts_the_answer(
    collector, officer, tmp_path
):
    client, csrf = officer
    page = client.get("/console/import")
    assert 'name="token"' in page.text
    assert 'name="approve" value="yes"' in page.text
    data_dir, request = kiosk_with_request(tmp_path, collector.store.issue_token("3706"))
    result = post(client, csrf, request)
    assert result.status_code == 200, result.text[:2000]
    assert " style=" not in result.text
    assert "<script" not in result.text
    (outcome, text) = request_rows(result.text)[request.name]
    assert outcome == "enrolled"
    assert "ลงทะเบียนแล้ว" in text
    fingerprint = fingerprint_for(bytes.fromhex(collector.collector_key_hex))
    assert fingerprint in result.text

    answer = download_answer(client, csrf, result.text, request.parent)
    assert answer.name == request.name.replace(".request.json", ".answer.json")
    done = import_enroll_answer(data_dir, answer)
    assert done.enrollment.ok
    assert done.collector_fingerprint == fingerprint
    assert load_config(data_dir).collector_key == collector.collector_key_hex
    [row] = [r for r in collector.store.audit_rows() if r["kind"] == "import"]
    assert row["operator"] == "somchai"
    assert "1 enrolled" in row["detail"]


def test_a_request_without_a_token_is_refused_then_approved_by_the_officer(
    collector, officer, tmp_path
):
    client, csrf = officer
    data_dir, request = kiosk_with_request(tmp_path, None)
    refused = post(client, csrf, request)
    assert refused.status_code == 200
    (outcome, text) = request_rows(refused.text)[request.name]
    assert outcome == "refused"
    assert "ไม่มีรหัสลงทะเบียน" in text
    assert not ANSWER_FIELD.findall(refused.text)
    kiosk = keys.load_or_create(data_dir)
    assert kiosk.fingerprint in text  # which kiosk asked, though it was refused
    assert "3706" in text

    approved = post(client, csrf, request, approve="yes")
    assert request_rows(approved.text)[request.name][0] == "enrolled"
    kiosk_id = keys.load_or_create(data_dir).kiosk_id
    [row] = [r for r in collector.store.audit_rows() if r["reason"] == "approved"]
    assert (row["operator"], row["kiosk"], row["source"]) == ("somchai", kiosk_id, "console")
    assert import_enroll_answer(
        data_dir, download_answer(client, csrf, approved.text, tmp_path)
    ).enrollment.ok
    # Imported again without the approval (the answer was lost, or a second officer has the
    # stick): answered again, with no new token and no second approval.
    tokens_before = len(collector.store.audit_rows(500, AuditFilter(kind="token")))
    again = post(client, csrf, request)
    assert request_rows(again.text)[request.name][0] == "enrolled"
    assert len(ANSWER_FIELD.findall(again.text)) == 1
    assert len(collector.store.audit_rows(500, AuditFilter(kind="token"))) == tokens_before


def test_a_token_typed_by_the_officer(collector, officer, tmp_path):
    client, csrf = officer
    _, request = kiosk_with_request(tmp_path, None)
    token = collector.store.issue_token("3706")
    result = post(client, csrf, request, token=token)
    assert request_rows(result.text)[request.name][0] == "enrolled"


def test_an_answer_not_signed_here_is_not_handed_out(collector, officer, tmp_path):
    client, csrf = officer
    _, request = kiosk_with_request(tmp_path, collector.store.issue_token("3706"))
    (value,) = ANSWER_FIELD.findall(post(client, csrf, request).text)
    forged = _unescape(value).replace('"size_group":"small"', '"size_group":"large"')
    answer = client.post("/console/import/answer", data={"csrf": csrf, "answer": forged})
    assert answer.status_code == 422
    assert 'role="alert"' in answer.text
    assert "content-disposition" not in answer.headers
