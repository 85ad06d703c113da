"""schemathesis against the collector's own OpenAPI document, on a real uvicorn server.

Every operation of ``/openapi.json`` gets requests generated from the document, valid ones
(positive) and ones that break it (negative), and every answer goes through schemathesis's
checks: no 5xx, the status code and content type are ones the document declares for that
operation, bodies and headers match their schemas, and invalid requests are refused with a
4xx. The collector runs on a real SQLite file with districts loaded and a kiosk enrolled, so
the status endpoint has a kiosk to find.

The operations are listed here, and a test checks that the list is the document's: a new
endpoint must be added to the list, so it cannot escape the fuzzing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.collector_server import RunningCollector, serve_collector
from wire import keys

OPERATIONS = (
    "GET /api/v1/health",
    "GET /api/v1/campaign",
    "POST /api/v1/enroll",
    "POST /api/v1/batches",
    "GET /api/v1/kiosks/{kiosk}/status",
)
# Only these constrain something a request can break (a body); health and the campaign take
# nothing, and the status path's kiosk id is any text, so there is no invalid request to make
# for them.
NEGATIVE = ("POST /api/v1/enroll", "POST /api/v1/batches")
# Per operation and mode: about 240 requests in all. For a long run, for example:
#   SANGSUK_FUZZ_EXAMPLES=2000 uv run pytest tests/collector/test_schemathesis.py
EXAMPLES = int(os.environ.get("SANGSUK_FUZZ_EXAMPLES", "40"))
# positive_data_acceptance expects every schema-valid request to get a 2xx, 401, 403, 404 or
# 409. The document cannot say "a signed batch" or "a key that is not a small-order point";
# such requests are refused with 422 and an ErrorOut body, which the other checks still hold
# to the document (a declared status, the declared schema).
EXCLUDED = [schemathesis.checks.positive_data_acceptance]


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[RunningCollector]:
    with serve_collector(
        tmp_path / "collector.sqlite3", [("3706", "small"), ("4712", "large")]
    ) as running:
        kiosk = keys.load_or_create(tmp_path / "kiosk")
        running.store.enroll(running.store.issue_token("3706"), kiosk.public_key_raw.hex())
        yield running


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def test_every_operation_of_the_document_is_fuzzed(collector: RunningCollector) -> None:
    schema = schemathesis.openapi.from_url(f"{collector.url}/openapi.json")
    labels = {result.ok().label for result in schema.get_all_operations()}
    assert labels == set(OPERATIONS)


@pytest.mark.parametrize(
    ("label", "mode"),
    [(label, schemathesis.GenerationMode.POSITIVE) for label in OPERATIONS]
    + [(label, schemathesis.GenerationMode.NEGATIVE) for label in NEGATIVE],
)
def test_the_collector_answers_as_its_document_says(
    collector: RunningCollector,
    http: requests.Session,
    label: str,
    mode: schemathesis.GenerationMode,
) -> None:
    schema = schemathesis.openapi.from_url(f"{collector.url}/openapi.json")
    operation = schema.find_operation_by_label(label)
    assert operation is not None

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(base_url=collector.url, session=http, excluded_checks=EXCLUDED)

    check()


def test_an_undecodable_enroll_body_is_an_invalid_request_with_an_audit_row(
    collector: RunningCollector, http: requests.Session
) -> None:
    """Found by the fuzzing: FastAPI answered a body that is not UTF-8 with a bare 400."""
    answer = http.post(
        f"{collector.url}/api/v1/enroll",
        data=b"a\xff\xfeD",
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] == "invalid_request"
    assert body["message"].startswith("the request is not valid")
    row = collector.store.audit_rows()[0]
    assert (row["kind"], row["reason"], row["source"]) == (
        "refused",
        "invalid_request",
        "/api/v1/enroll",
    )
