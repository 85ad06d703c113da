"""Enrollment tokens in the console: an officer issues them and gets the sheets to print.

A real collector on uvicorn, an officer logged in over HTTP through the login form; the tokens
are read back from the sheet's HTML as a clerk would read them off the paper, their QR codes
are compared module by module with the symbol segno makes for the printed text, and a real
kiosk (sync's ``enroll``, over the real API) enrolls with a token and an address taken from the
sheet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import segno
import sqlalchemy as sa

from collector.store import CollectorStore
from collector.store.audit import AuditFilter
from collector.store.collector_store import token_hash
from collector.store.tokens import TokenCounts, issued_tokens, token_counts
from sync.operations import enroll
from tests.collector_server import RunningCollector, serve_collector
from tests.console import log_in, make_operator, operator_client
from tests.fakes import FakeClock
from tests.kiosks import Kiosk
from wire.keys import fingerprint_for

DISTRICTS = [("3706", "small"), ("3701", "large"), ("3702", "medium"), ("4408", "medium")]
TOKEN = re.compile(r"[0-9a-f]{8}(?:-[0-9a-f]{8}){3}")
SHEET = re.compile(r'<section class="sheet" data-district="(\d{4})">(.*?)</section>', re.S)


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "collector.sqlite3", DISTRICTS) as running:
        yield running


@pytest.fixture
def officer(collector: RunningCollector) -> Iterator[tuple[httpx.Client, str]]:
    """A client logged in as an officer, and the session's CSRF value."""
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        csrf = operator_client(client, collector.store, role="officer")
        yield client, csrf


def issue(client: httpx.Client, csrf: str, lang: str = "th", **fields: str) -> httpx.Response:
    """Post the tokens form as the browser would (the address defaults to the form's own)."""
    form = client.get("/console/tokens").text
    address = re.search(r'name="address" type="url" value="([^"]*)"', form)
    assert address is not None
    data = {"csrf": csrf, "codes": "", "province": "", "count": "1", "address": address[1]}
    data["local_test"] = "yes"  # the test's collector is on 127.0.0.1 (a test on this machine)
    return client.post(f"/console/tokens?lang={lang}", data={**data, **fields})


def sheets(html: str) -> list[tuple[str, str]]:
    """(district code, the page's HTML) for each district's page of the sheet, in order."""
    return SHEET.findall(html)


def printed_tokens(page: str) -> list[str]:
    """The tokens printed big on one district's page."""
    return re.findall(r'<p class="token-text">([^<]*)</p>', page)


def qr_codes(page: str) -> list[str]:
    """Every QR code's SVG on a page, in order (the address's first, then each token's)."""
    return re.findall(r"<svg[^>]*>.*?</svg>", page, re.S)


def dark_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules (row, column) the SVG path draws, counted from the symbol's corner."""
    path = re.search(r' d="([^"]+)"', svg)
    assert path is not None, svg[:200]
    x = y = 0.0
    cells: set[tuple[int, int]] = set()
    for op, args in re.findall(r"([Mmh])\s*([-\d. ]+)", path[1]):
        numbers = [float(n) for n in args.split()]
        if op == "M":
            x, y = numbers
        elif op == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:  # h: a run of dark modules along the row
            cells |= {(int(y), int(x) + i) for i in range(int(numbers[0]))}
            x += numbers[0]
    top, left = min(r for r, _ in cells), min(c for _, c in cells)
    return {(r - top, c - left) for r, c in cells}


def is_qr_of(svg: str, text: str) -> bool:
    """True when the SVG draws the (non-micro) QR symbol segno makes for text."""
    drawn = dark_modules(svg)
    for level in "lmqh":
        symbol = segno.make(text, error=level, micro=False)
        made = {(r, c) for r, row in enumerate(symbol.matrix) for c, dark in enumerate(row) if dark}
        if drawn == made:
            return True
    return False


def stored_tokens(collector: RunningCollector) -> list[tuple[str, str, str | None]]:
    """(hash, district, used_by) of every token the store holds."""
    with collector.store.reading() as conn:
        rows = conn.execute(sa.text("SELECT token_hash, district, used_by FROM tokens"))
        return [(str(h), str(d), u) for h, d, u in rows]


def test_a_token_for_one_district_is_printed_once_and_a_real_kiosk_enrolls_with_it(
    collector: RunningCollector, officer: tuple[httpx.Client, str], tmp_path: Path
) -> None:
    client, csrf = officer
    answer = issue(client, csrf, codes="3706")
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    html = answer.text
    assert 'id="shown-once"' in html
    assert "แสดงเพียงครั้งนี้ครั้งเดียว" in html
    assert "Ctrl+P" in html
    assert " style=" not in html
    assert "<script" not in html
    [(code, page)] = sheets(html)
    assert code == "3706"
    for words in ("ที่ว่าการอำเภอหัวตะพาน", "อำนาจเจริญ", "Hua Taphan District Office"):
        assert words in page
    assert "Amnat Charoen Province" in page
    [token] = printed_tokens(page)
    assert TOKEN.fullmatch(token)
    address_qr, token_qr = qr_codes(page)
    assert is_qr_of(token_qr, token)
    assert not is_qr_of(token_qr, token.upper())  # the very text printed, nothing else
    address = re.search(r'<p class="address-text">([^<]*)</p>', page)
    assert address is not None
    assert address[1] == collector.url
    assert is_qr_of(address_qr, collector.url)
    assert [(d, u) for _, d, u in stored_tokens(collector)] == [("3706", None)]
    assert stored_tokens(collector)[0][0] == token_hash(token)

    enrolled = enroll(tmp_path / "kiosk", address[1], token)  # what the clerk types, read back
    assert enrolled.ok, enrolled.problem
    assert enrolled.config.district == "3706"
    # The sheet prints the fingerprint of the key the kiosk pinned, for the clerk to compare.
    printed = re.search(r'data-collector-fingerprint="([0-9A-F-]{19})"', page)
    assert printed is not None
    assert enrolled.config.collector_key is not None
    assert printed[1] == fingerprint_for(bytes.fromhex(enrolled.config.collector_key))

    [row] = collector.store.audit_rows(10, AuditFilter(kind="token"))
    assert (row["operator"], row["source"]) == ("officer", "console")
    assert "3706" in row["detail"]


def test_several_districts_pasted_and_a_whole_province_each_get_a_page(
    collector: RunningCollector, officer: tuple[httpx.Client, str]
) -> None:
    client, csrf = officer
    # Pasted with commas, new lines, a repeat and Thai digits, plus every district of
    # Amnat Charoen (37): each district once, in the order named, then the province's.
    answer = issue(client, csrf, lang="en", codes="3706, ๔๔๐๘\n3706", province="37", count="2")
    assert answer.status_code == 200
    assert "shown this once only" in answer.text
    pages = sheets(answer.text)
    assert [code for code, _ in pages] == ["3706", "4408", "3701", "3702"]
    printed: dict[str, list[str]] = {}
    for code, page in pages:
        tokens = printed_tokens(page)
        assert len(tokens) == 2
        assert all(TOKEN.fullmatch(t) for t in tokens)
        token_qrs = qr_codes(page)[1:]
        assert [is_qr_of(svg, t) for svg, t in zip(token_qrs, tokens, strict=True)] == [True] * 2
        printed[code] = tokens
    assert "Phayakkhaphum Phisai District Office, Maha Sarakham Province" in pages[1][1]
    stored = {h: d for h, d, _ in stored_tokens(collector)}
    assert stored == {token_hash(t): code for code, ts in printed.items() for t in ts}
    rows = collector.store.audit_rows(20, AuditFilter(kind="token", operator="officer"))
    assert len(rows) == 8


def test_the_province_choice_lists_the_loaded_provinces_and_the_address_is_the_server_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANGSUK_SERVER_NAMES", "sangsuk.example.go.th,127.0.0.1")
    with (
        serve_collector(tmp_path / "c.sqlite3", DISTRICTS) as running,
        httpx.Client(base_url=running.url, timeout=30) as client,
    ):
        operator_client(client, running.store)
        form = client.get("/console/tokens?lang=en").text
    assert '<option value="37">Amnat Charoen (districts: 3)</option>' in form
    assert '<option value="44">Maha Sarakham (districts: 1)</option>' in form
    assert 'value="https://sangsuk.example.go.th"' in form
    assert " style=" not in form
    assert "<script" not in form
    assert 'id="address-local"' not in form  # the public name: nothing to warn of


def test_the_form_warns_when_the_address_is_the_server_itself(
    collector: RunningCollector, officer: tuple[httpx.Client, str]
) -> None:
    # Opened on the server itself with no public name set: the address filled in is 127.0.0.1,
    # which a sheet must not carry to a district unnoticed.
    client, csrf = officer
    form = client.get("/console/tokens").text
    assert f'value="{collector.url}"' in form
    assert "ตู้ที่อำเภอจะติดต่อที่อยู่นี้ไม่ได้" in form
    again = issue(client, csrf, "en", codes="abc", address="http://localhost:8080")
    assert again.status_code == 422
    assert "kiosks in the districts cannot reach it" in again.text  # beside the form's problems
    public = issue(client, csrf, "en", codes="abc", address="https://sangsuk.example.go.th")
    assert public.status_code == 422
    assert "cannot reach it" not in public.text
    # Not issued unless the officer ticks that it is a test on this machine.
    unticked = issue(
        client, csrf, "th", codes="3706", address="http://127.0.0.1:8080", local_test=""
    )
    assert unticked.status_code == 422
    assert "ที่อยู่ http://127.0.0.1:8080 คือเครื่องเซิร์ฟเวอร์เอง" in unticked.text
    assert 'id="local-test"' in unticked.text  # the box to tick is on the form again
    with collector.store.reading() as conn:
        assert token_counts(conn).issued == 0
    # Ticked (kiosks on the server itself, in a test): the sheet page says it loudly.
    sheet = issue(client, csrf, "en", codes="3706", address="http://127.0.0.1:8080")
    assert sheet.status_code == 200
    assert 'id="address-local"' in sheet.text
    assert "Do not send them" in sheet.text
    good = issue(client, csrf, "en", codes="3706", address="https://sangsuk.example.go.th")
    assert 'id="address-local"' not in good.text


@pytest.mark.parametrize(
    ("fields", "problems"),
    [
        (
            {"codes": "3706 abc 1001\n9999, 5001"},
            [
                "“abc” is not a 4-digit district code.",
                "1001 (Phra Nakhon) is a Bangkok khet; the campaign covers amphoe offices.",
                "9999 is not the code of a district office.",
                "District 5001 (Mueang Chiang Mai) has no size group in this collector yet; load it"
                " first on the Size groups page (/console/districts).",
            ],
        ),
        ({}, ["Give at least one district code, or choose a province."]),
        ({"province": "50"}, ["No loaded district is in province “50”."]),
        ({"codes": "3706", "count": "11"}, ["a whole number from 1 to 10, not “11”."]),
        ({"codes": "3706", "count": "0"}, ["not “0”."]),
        ({"codes": "3706", "count": "two"}, ["not “two”."]),
        ({"codes": "3706", "address": "ftp://x"}, ["“ftp://x” is not an address a kiosk"]),
        ({"codes": "3706", "address": ""}, ["“” is not an address a kiosk can use"]),
        ({"codes": "3706", "contact": "x" * 121}, ["longer than 120 characters"]),
    ],
)
def test_a_bad_form_issues_nothing_and_names_every_problem(
    collector: RunningCollector,
    officer: tuple[httpx.Client, str],
    fields: dict[str, str],
    problems: list[str],
) -> None:
    client, csrf = officer
    answer = issue(client, csrf, lang="en", **fields)
    assert answer.status_code == 422
    assert 'role="alert"' in answer.text
    assert "Nothing was issued." in answer.text
    alert = answer.text.split('id="token-problems"', 1)[1].split("</div>", 1)[0]
    for problem in problems:
        assert problem in alert
    assert alert.count("<li>") == len(problems)
    if "codes" in fields:  # the form comes back with what was typed
        assert f">{fields['codes']}</textarea>" in answer.text
    assert 'class="sheet"' not in answer.text
    assert stored_tokens(collector) == []
    assert collector.store.audit_rows(10, AuditFilter(kind="token")) == []


def test_a_pasted_table_full_of_names_is_named_twenty_words_at_a_time(
    collector: RunningCollector, officer: tuple[httpx.Client, str]
) -> None:
    client, csrf = officer
    table = "\n".join(f"3706\tหัวตะพาน{i}" for i in range(25))
    answer = issue(client, csrf, lang="en", codes=table)
    assert answer.status_code == 422
    assert answer.text.count("<li>") == 21
    assert "and 5 more codes that cannot be used." in answer.text
    assert stored_tokens(collector) == []


def test_the_problems_are_in_thai_by_default(
    collector: RunningCollector, officer: tuple[httpx.Client, str]
) -> None:
    client, csrf = officer
    answer = issue(client, csrf, codes="1001 3706x")
    assert answer.status_code == 422
    assert "เป็นสำนักงานเขตของกรุงเทพมหานคร" in answer.text
    assert "“3706x” ไม่ใช่รหัสอำเภอ 4 หลัก" in answer.text
    assert stored_tokens(collector) == []


def test_a_viewer_may_not_issue_and_a_form_without_its_csrf_value_issues_nothing(
    collector: RunningCollector,
) -> None:
    make_operator(collector.store, "viewer", "viewer")
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        csrf = log_in(client, name="viewer")
        assert client.get("/console/tokens").status_code == 403
        data = {"csrf": csrf, "codes": "3706", "count": "1", "address": collector.url}
        assert client.post("/console/tokens", data=data).status_code == 403
        assert "/console/tokens" not in client.get("/console").text.split("<main>")[0]
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        operator_client(client, collector.store)
        data = {"codes": "3706", "count": "1", "address": collector.url}
        assert client.post("/console/tokens", data=data).status_code == 403
        assert client.post("/console/tokens", data={**data, "csrf": "wrong"}).status_code == 403
    assert stored_tokens(collector) == []


def test_the_list_shows_which_tokens_were_used_and_by_which_kiosk_never_the_token(
    collector: RunningCollector, officer: tuple[httpx.Client, str], tmp_path: Path
) -> None:
    client, csrf = officer
    assert "No token has been issued yet." in client.get("/console/tokens?lang=en").text
    sheet = issue(client, csrf, codes="3706", count="2").text
    [(_, page)] = sheets(sheet)
    first, second = printed_tokens(page)
    enrolled = enroll(tmp_path / "kiosk", collector.url, second)
    assert enrolled.ok, enrolled.problem

    listing = client.get("/console/tokens?lang=en").text
    assert "2 in all, 1 unused" in listing
    rows = re.findall(
        r'<tr class="(used|unused)" data-district="(\d{4})">(.*?)</tr>', listing, re.S
    )
    assert [(state, code) for state, code, _ in rows] == [("unused", "3706"), ("used", "3706")]
    assert "unused" in rows[0][2]
    assert enrolled.fingerprint not in rows[0][2]
    assert enrolled.fingerprint in rows[1][2]
    assert "Hua Taphan" in rows[1][2]
    for token in (first, second):
        assert token not in listing
        assert token_hash(token) not in listing


def voided_rows(collector: RunningCollector) -> list[dict[str, object]]:
    """The audit rows of tokens voided."""
    rows = collector.store.audit_rows(50, AuditFilter(kind="token"))
    return [r for r in rows if r["reason"] == "voided"]


def test_an_officer_voids_a_lost_sheets_unused_tokens_and_they_no_longer_enroll(
    collector: RunningCollector, officer: tuple[httpx.Client, str], tmp_path: Path
) -> None:
    client, csrf = officer
    [(_, page)] = sheets(issue(client, csrf, codes="3706", count="2").text)
    used, lost = printed_tokens(page)
    [(_, other)] = sheets(issue(client, csrf, codes="4408").text)
    [elsewhere] = printed_tokens(other)
    assert enroll(tmp_path / "first", collector.url, used).ok

    listing = client.get("/console/tokens?lang=en").text
    assert '<option value="3706">3706 Hua Taphan (unused: 1)</option>' in listing
    assert '<option value="4408">' in listing
    done = client.post("/console/tokens/void?lang=en", data={"csrf": csrf, "district": "3706"})
    assert done.status_code == 200
    assert "1 unused token(s) of district 3706 voided" in done.text
    assert '<option value="3706">' not in done.text  # nothing of 3706's left to void
    assert "2 in all, 1 unused" in done.text

    refused = enroll(tmp_path / "second", collector.url, lost)
    assert refused.code == "token_unknown"
    assert enroll(tmp_path / "third", collector.url, elsewhere).ok  # another district's: kept
    held = sorted((d, u is not None) for _, d, u in stored_tokens(collector))
    assert held == [("3706", True), ("4408", True)]  # the used ones, and nothing else
    [row] = voided_rows(collector)
    assert (row["operator"], row["source"]) == ("officer", "console")

    again = client.post("/console/tokens/void?lang=th", data={"csrf": csrf, "district": "3706"})
    assert again.status_code == 422
    assert "อำเภอ 3706 ไม่มีรหัสที่ยังไม่ได้ใช้ให้ยกเลิก" in again.text
    assert len(voided_rows(collector)) == 1


def test_a_viewer_may_not_void_tokens_nor_a_form_without_its_csrf_value(
    collector: RunningCollector,
) -> None:
    collector.store.issue_token("3706")
    make_operator(collector.store, "viewer", "viewer")
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        csrf = log_in(client, name="viewer")
        data = {"csrf": csrf, "district": "3706"}
        assert client.post("/console/tokens/void", data=data).status_code == 403
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        operator_client(client, collector.store)
        data = {"district": "3706"}
        assert client.post("/console/tokens/void", data=data).status_code == 403
        assert client.post("/console/tokens/void", data={**data, "csrf": "x"}).status_code == 403
    assert [(d, u) for _, d, u in stored_tokens(collector)] == [("3706", None)]


def test_the_store_lists_unused_tokens_first_with_the_kiosk_that_used_each(
    store: CollectorStore, make_kiosk: Callable[..., Kiosk]
) -> None:
    clock = store.clock
    assert isinstance(clock, FakeClock)
    store.issue_token("4408")
    clock.advance(60)
    used = store.issue_token("3706")
    clock.advance(60)
    store.issue_token("4712")
    kiosk = make_kiosk()
    store.enroll(used, kiosk.key.public_key_raw.hex())
    store.revoke(kiosk.key.kiosk_id, "lost")
    with store.reading() as conn:
        listed = issued_tokens(conn, 10)
        counts = token_counts(conn)
        assert issued_tokens(conn, 1) == listed[:1]
    assert [(t.district, t.used_by) for t in listed] == [
        ("4712", None),  # unused ones first, newest first
        ("4408", None),
        ("3706", kiosk.key.kiosk_id),
    ]
    assert listed[2].used_at is not None
    assert listed[2].kiosk_revoked_at is not None
    assert listed[0].kiosk_revoked_at is None
    assert counts == TokenCounts(issued=3, unused=2)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"host": "sangsuk.example.go.th:8081"}, "http://sangsuk.example.go.th:8081"),
        (  # behind nginx with TLS on 8443: the forwarded scheme, host and port
            {
                "host": "sangsuk.example.go.th",
                "x-forwarded-proto": "https",
                "x-forwarded-host": "sangsuk.example.go.th:8443",
            },
            "https://sangsuk.example.go.th:8443",
        ),
        (
            {
                "host": "sangsuk.example.go.th",
                "x-forwarded-proto": "https",
                "x-forwarded-host": "sangsuk.example.go.th",
                "x-forwarded-port": "8443",
            },
            "https://sangsuk.example.go.th:8443",
        ),
        (
            {
                "host": "sangsuk.example.go.th",
                "x-forwarded-proto": "https",
                "x-forwarded-host": "sangsuk.example.go.th",
                "x-forwarded-port": "443",
            },
            "https://sangsuk.example.go.th",
        ),
    ],
)
def test_the_sheet_address_is_the_one_the_browser_reached_with_its_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, headers: dict[str, str], expected: str
) -> None:
    monkeypatch.setenv("SANGSUK_SERVER_NAMES", "sangsuk.example.go.th,127.0.0.1")
    with (
        serve_collector(tmp_path / "c.sqlite3", DISTRICTS) as running,
        httpx.Client(base_url=running.url, timeout=30) as client,
    ):
        csrf = operator_client(client, running.store)  # (a Secure cookie would not come back)
        client.headers.update(headers)
        form = client.get("/console/tokens?lang=en").text
        assert f'name="address" type="url" value="{expected}"' in form
        assert 'id="address-local"' not in form
        # The page accepts its own default: the sheet is printed with it, no box to tick.
        data = {"csrf": csrf, "codes": "3706", "province": "", "count": "1", "address": expected}
        sheet = client.post("/console/tokens?lang=en", data=data)
        assert sheet.status_code == 200, sheet.text
        assert expected in sheet.text
