"""Every way enrolling can fail has its own words for the clerk, in Thai and in English.

The codes are read from where they are made: the collector's refusals of an enrollment
(CollectorStore.enroll, and those of any API request), docs/protocol.md 5.4, and the kiosk's
own refusals (sync/operations.py, sync/enroll_reply.py). A new code anywhere there fails here
until the clerk's table (ui/clerk/text.py enroll_error) says it in words.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.config import load_config
from tests.collector_server import RunningCollector, serve_collector
from tests.ui.clerk.helpers import build_kiosk, idle, set_up, unlock
from ui.clerk.text import enroll_error
from ui.i18n import LanguageSwitcher
from wire.enrollment import public_hex

ROOT = Path(__file__).resolve().parents[3]
CODE = re.compile(r"^[a-z][a-z_]+$")
# How the uploader names a failure that has no collector code (sync/uploader.py SyncError).
TRANSPORT = {
    "unreachable",
    "timeout",
    "tls",
    "not_tls",
    "busy",
    "server_error",
    "bad_response",
    "refused",
}
UNKNOWN = "a_code_nobody_made"


def _function(path: Path, name: str) -> ast.AST:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            return node
    raise AssertionError(f"{path} has no function {name}: update this test")


def _first_strings(node: ast.AST, callee: str | None) -> set[str]:
    """The codes in node: the first text of each call to callee, or of each tuple when None."""
    found: set[str] = set()
    for sub in ast.walk(node):
        if callee is None and isinstance(sub, ast.Tuple):
            items = sub.elts[:1]
        elif (
            callee is not None
            and isinstance(sub, ast.Call)
            and callee
            in (
                getattr(sub.func, "id", None),
                getattr(sub.func, "attr", None),
            )
        ):
            texts = [
                a for a in sub.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            items = texts[:1]
        else:
            continue
        found |= {
            item.value
            for item in items
            if isinstance(item, ast.Constant)
            and isinstance(item.value, str)
            and CODE.match(item.value)
        }
    return found


def collector_refusals() -> set[str]:
    """Every code the collector can answer to POST /api/v1/enroll."""
    store = ROOT / "collector" / "store" / "collector_store.py"
    api = ROOT / "collector" / "routes" / "api.py"
    codes = _first_strings(_function(store, "enroll"), None)
    codes |= _first_strings(_function(store, "enroll"), "StoreError")
    for any_request in ("refuse_too_large", "_refuse_invalid", "_busy"):
        codes |= _first_strings(_function(api, any_request), "error")
    assert {"token_unknown", "token_other_district", "invalid_request", "busy"} <= codes
    return codes


def protocol_refusals() -> set[str]:
    """The codes of docs/protocol.md 5.4 (Refusals of an enrollment)."""
    text = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    section = text.split("### 5.4 Refusals", 1)[1].split("\n### ", 1)[0]
    codes = set(re.findall(r"^\| `([a-z_]+)`", section, flags=re.MULTILINE))
    assert "token_other_district" in codes
    return codes


def kiosk_refusals() -> set[str]:
    """The codes the kiosk gives itself when enrolling (over the network or by USB)."""
    operations = ROOT / "sync" / "operations.py"
    codes = _first_strings(_function(operations, "enroll"), "refused")
    codes |= _first_strings(_function(operations, "apply_enrollment"), "refused")
    codes |= _first_strings(
        _function(ROOT / "sync" / "enroll_reply.py", "read_reply"), "ReplyProblem"
    )
    assert {"bad_url", "wrong_district", "ledger_busy", "bad_answer"} <= codes
    return codes | {"internal"}  # the screens' own: a job that raised


ALL_CODES = sorted(collector_refusals() | protocol_refusals() | kiosk_refusals() | TRANSPORT)


def test_the_protocol_lists_every_refusal_the_collector_makes() -> None:
    enroll = _function(ROOT / "collector" / "store" / "collector_store.py", "enroll")
    made = _first_strings(enroll, None) | _first_strings(enroll, "StoreError")
    assert made <= protocol_refusals()


@pytest.mark.parametrize("language", ["en", "th"])
def test_every_enrollment_refusal_has_its_own_words(
    switcher: LanguageSwitcher, language: str
) -> None:
    switcher.set_language(language)
    fallback = enroll_error(UNKNOWN)
    for code in ALL_CODES:
        words = enroll_error(code)
        assert words != fallback, f"{code} has no words of its own"
        assert "_" not in words, f"{code} shows a code, not words: {words}"
        # Screens put these after "enrolling did not work:", so none says it again.
        assert "Enrolling did not work" not in words
        assert "ลงทะเบียนไม่สำเร็จ" not in words
        # "Sending stopped" is about votes, not about enrolling.
        assert "Sending" not in words
        assert "การส่งหยุดลง" not in words
        if language == "th":
            assert re.search("[\u0e00-\u0e7f]", words), f"{code} is not translated: {words}"
    if language == "th":
        assert "อำเภออื่น" in enroll_error("token_other_district")


@pytest.fixture
def collector(tmp_path) -> Iterator[RunningCollector]:
    with serve_collector(
        tmp_path / "central.sqlite3", [("3706", "small"), ("5001", "large")]
    ) as running:
        yield running


def test_a_token_for_another_district_says_so_and_stays_unused(
    qtbot, switcher, clock, data_dir, ledger_service, collector
):
    set_up(data_dir, clock)  # Hua Taphan, 3706
    kiosk = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    area = unlock(qtbot, kiosk, clock)
    area.nav[area.settings].click()
    screen = area.settings
    screen.url.setText(collector.url)
    token = collector.store.issue_token("5001")
    screen.token.setText(token)
    screen.enroll_button.click()
    idle(qtbot, area)
    text = screen.enroll_message.text()
    assert "รหัสลงทะเบียนนี้เป็นของอำเภออื่น" in text
    assert "การส่ง" not in text  # not "sending stopped"
    assert not load_config(data_dir).enrolled
    # The token was not used up: a kiosk of Chiang Mai can still enrol with it.
    other = public_hex(Ed25519PrivateKey.generate())
    assert collector.store.enroll(token, other).district == "5001"
