"""Importing a USB stick in the console: real files from real kiosks, a real collector, receipts
the kiosk accepts.

The files come from the kiosk's own export (batches and the summary for Excel) with what
computers leave on a stick beside them; they are uploaded over HTTP as a browser sends them
(files by name, a folder with each file's path below it), to a collector served by uvicorn.
"""

from __future__ import annotations

import io
import re
import shutil
import socket
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
import sqlalchemy as sa

from collector.keys import load_collector_key
from collector.routes.imports import MAX_UPLOAD_BYTES
from kiosk.ledger import Ledger
from kiosk.roster import Roster
from sync import usb, usb_export
from tests.collector_server import RunningCollector, serve_collector
from tests.console import log_in, make_operator
from tests.fakes import FakeClock
from tests.kiosks import Kiosk, enroll
from wire.batch import MAX_BATCH_BYTES
from wire.receipt import check_receipt
from wire.stick import receipt_file_for
from wire.vote import Ballot

JSON = "application/json"
ROW = re.compile(r'<tr class="[^"]*" data-file="([^"]+)" data-outcome="([a-z_]+)">(.*?)</tr>', re.S)
COUNT = re.compile(r'data-count="([a-z]+)">([\d,]+)<')


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "collector.sqlite3", [("3706", "small")]) as running:
        yield running


@pytest.fixture
def kiosk(make_kiosk, collector: RunningCollector) -> Kiosk:
    made = make_kiosk()
    enroll(collector.store, made)
    return made


@pytest.fixture
def officer(collector: RunningCollector) -> Iterator[tuple[httpx.Client, str]]:
    make_operator(collector.store, "somchai", "officer")
    with httpx.Client(base_url=collector.url, timeout=60) as client:
        yield client, log_in(client, name="somchai")


def export_to_stick(kiosk: Kiosk, stick: Path, batch_size: int = 10) -> list[Path]:
    """The kiosk's own export, as the clerk's screen runs it: batch files and the summary."""
    stick.mkdir()
    result = usb_export.export_with_summary(
        kiosk.ledger, kiosk.key, kiosk.district, stick, batch_size, Roster()
    )
    assert result.summary is not None
    return list(result.files)


def upload(
    client: httpx.Client,
    csrf: str,
    files: Sequence[Path] = (),
    folder: Path | None = None,
    extra: Sequence[tuple[str, tuple[str, bytes, str]]] = (),
) -> httpx.Response:
    """Post files (by name) and a folder (each file with its path below the folder's parent)."""
    parts = [("files", (p.name, p.read_bytes(), JSON)) for p in files]
    if folder is not None:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                relative = path.relative_to(folder.parent).as_posix()
                parts.append(("folder", (relative, path.read_bytes(), "application/octet-stream")))
    parts += list(extra)
    return client.post("/console/import", data={"csrf": csrf}, files=parts)


def rows(html: str) -> dict[str, tuple[str, str]]:
    """The result table: file -> (outcome, the row's text)."""
    found = {}
    for name, outcome, cells in ROW.findall(html):
        text = " ".join(re.sub(r"<[^>]+>", " ", cells).split())
        found[name] = (outcome, text)
    return found


def counts(html: str) -> dict[str, int]:
    """The figures at the top of the result."""
    return {k: int(v.replace(",", "")) for k, v in COUNT.findall(html)}


def download_form(html: str) -> dict[str, list[str]]:
    """The download form's hidden fields, as the browser will send them back."""
    form = html[html.index('action="/console/import/receipts"') :]
    form = form[: form.index("</form>")]
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([a-z]+)" value="([^"]*)"', form):
        fields.setdefault(name, []).append(_unescape(value))
    return fields


def _unescape(value: str) -> str:
    for entity, char in (("&#34;", '"'), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">")):
        value = value.replace(entity, char)
    return value.replace("&amp;", "&")


def download(client: httpx.Client, html: str, pick: str) -> httpx.Response:
    """Press a download button of the result page."""
    return client.post("/console/import/receipts", data={**download_form(html), "pick": pick})


def saved_name(answer: httpx.Response) -> str:
    """The file name a browser saves a download under."""
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith("attachment; ")
    return unquote(disposition.split("filename*=UTF-8''")[1])


def audit_rows(collector: RunningCollector, kind: str) -> list[dict]:
    return [r for r in collector.store.audit_rows() if r["kind"] == kind]


# --- a stick, as files and as a folder ---------------------------------------------------------


def test_an_officer_imports_a_stick_and_the_kiosk_accepts_every_receipt(
    collector, kiosk, officer, tmp_path
):
    client, csrf = officer
    kiosk.cast(25)
    stick = tmp_path / "usb"
    batches = export_to_stick(kiosk, stick)  # 1-10, 11-20, 21-25 and the summary
    assert len(batches) == 3
    summary = next(stick.glob("*.summary.csv")).name
    # What computers and people leave on a stick.
    (stick / f"._{batches[0].name}").write_bytes(b"\x00\x05\x16\x07 AppleDouble")
    (stick / "sangsuk-old.receipt.json").write_text("{}")
    (stick / "System Volume Information").mkdir()
    (stick / "System Volume Information" / "IndexerVolumeGuid").write_text("{guid}")
    (stick / "old").mkdir()
    (stick / "old" / "copy.batch.json").write_bytes(batches[0].read_bytes())

    page = client.get("/console/import")
    assert page.status_code == 200
    assert 'type="file" name="files" multiple' in page.text
    assert 'name="folder" webkitdirectory' in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert "<script" not in page.text  # no JavaScript: the browser sends the folder itself
    assert " style=" not in page.text

    # Two files chosen by name first: both stored.
    first = upload(client, csrf, files=batches[:2])
    assert first.status_code == 200, first.text
    found = rows(first.text)
    assert [o for o, _ in found.values()] == ["accepted", "accepted"]
    assert "เก็บผลการประเมินใหม่ 10 รายการ" in found[batches[0].name][1]
    assert "1–10" in found[batches[0].name][1]
    assert kiosk.key.fingerprint in found[batches[0].name][1]
    assert counts(first.text) == {
        "files": 2, "new": 20, "held": 0, "refused": 0, "conflicts": 0, "skipped": 0,
    }  # fmt: skip
    assert collector.store.total_votes() == 20

    # Then the whole stick as a folder: two already held, one new, the rest skipped by kind.
    second = upload(client, csrf, folder=stick)
    assert second.status_code == 200, second.text
    found = rows(second.text)
    assert {name: outcome for name, (outcome, _) in found.items()} == {
        f"usb/{b.name}": "accepted" for b in batches
    }
    assert "มีอยู่แล้ว: ได้รับผลการประเมินทั้ง 10 รายการ" in found[f"usb/{batches[0].name}"][1]
    assert "เก็บผลการประเมินใหม่ 5 รายการ" in found[f"usb/{batches[2].name}"][1]
    assert counts(second.text) == {
        "files": 3, "new": 5, "held": 20, "refused": 0, "conflicts": 0, "skipped": 5,
    }  # fmt: skip
    skipped = dict(re.findall(r'<li data-kind="([a-z]+)">(.*?)</li>', second.text))
    assert set(skipped) == {"summary", "receipt", "system", "folder"}
    assert summary in skipped["summary"]
    assert "sangsuk-old.receipt.json" in skipped["receipt"]
    assert f"._{batches[0].name}" in skipped["system"]
    assert "System Volume Information" in skipped["system"]
    assert "ไฟล์ของระบบ 2 รายการ" in skipped["system"]
    assert "โฟลเดอร์ย่อย 1 โฟลเดอร์: old " in skipped["folder"]
    assert collector.store.total_votes() == 25

    # One receipt per accepted file, named as the kiosk looks for it beside its batch.
    for pick, batch in enumerate(batches):
        answer = download(client, second.text, str(pick))
        assert answer.status_code == 200
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["content-type"] == JSON
        assert saved_name(answer) == receipt_file_for(batch).name
        receipt_file_for(batch).write_bytes(answer.content)
    collector_key = load_collector_key(collector.db_path).public_key
    marked = sum(
        usb.import_receipt(kiosk.ledger, receipt_file_for(b), collector_key, kiosk.key.kiosk_id)
        for b in batches
    )
    assert marked == 25
    assert kiosk.ledger.counts().pending == 0

    # All of them in a zip: at the top level, or in the uploaded folder's layout.
    flat = download(client, second.text, "zip")
    assert flat.status_code == 200
    assert flat.headers["cache-control"] == "no-store"
    assert flat.headers["content-type"] == "application/zip"
    assert saved_name(flat).endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(flat.content)) as archive:
        assert sorted(archive.namelist()) == sorted(receipt_file_for(b).name for b in batches)
        for batch in batches:
            data = archive.read(receipt_file_for(batch).name)
            check = check_receipt(data, collector_key, kiosk.key.kiosk_id)
            assert check.ok, check.problems
    laid_out = download(client, second.text, "zip-folders")
    with zipfile.ZipFile(io.BytesIO(laid_out.content)) as archive:
        assert sorted(archive.namelist()) == sorted(
            f"usb/{receipt_file_for(b).name}" for b in batches
        )
        archive.extractall(tmp_path / "unzipped")
    fresh = tmp_path / "unzipped" / "usb"
    assert sorted(p.name for p in fresh.iterdir()) == sorted(
        receipt_file_for(b).name for b in batches
    )

    # The audit names the officer, one row per upload with its counts.
    imports = audit_rows(collector, "import")
    assert [(r["operator"], r["source"], r["reason"]) for r in imports] == [
        ("somchai", "console", "imported"),
        ("somchai", "console", "imported"),
    ]
    assert imports[0]["detail"].startswith("3 batch file(s): 3 accepted (5 new votes, 20 already")
    assert "5 skipped (summary 1, receipt 1, system 2, folder 1)" in imports[0]["detail"]
    with collector.store.reading() as conn:
        sources = {r[0] for r in conn.execute(sa.text("SELECT DISTINCT source FROM votes"))}
    assert sources == {"usb"}  # the same intake as the CLI's import: a stick's votes
    assert not audit_rows(collector, "refused")


# --- what is refused, held already or in conflict --------------------------------------------


def tampered(data: bytes) -> bytes:
    """A batch with one vote's rating changed, still good JSON: its signature no longer fits."""
    at = data.index(b'"rating":') + len(b'"rating":')
    return data[:at] + (b"1" if data[at : at + 1] != b"1" else b"2") + data[at + 1 :]


def test_a_changed_file_is_refused_with_the_reason_and_nothing_of_it_is_stored(
    collector, kiosk, officer
):
    client, csrf = officer
    kiosk.cast(12)
    good = kiosk.batch(first=1, limit=6)
    later = kiosk.batch(first=7, limit=6)
    answer = upload(
        client,
        csrf,
        extra=[
            ("files", ("a-good.batch.json", good, JSON)),
            ("files", ("b-changed.batch.json", tampered(later), JSON)),
            ("files", ("c-notes.json", "บันทึก".encode(), JSON)),
            ("files", ("d-huge.batch.json", b" " * (MAX_BATCH_BYTES + 1), JSON)),
            ("files", ("e-again.batch.json", good, JSON)),  # the same file twice
        ],
    )
    assert answer.status_code == 200, answer.text
    found = rows(answer.text)
    assert {name: outcome for name, (outcome, _) in found.items()} == {
        "a-good.batch.json": "accepted",
        "b-changed.batch.json": "refused",
        "c-notes.json": "refused",
        "d-huge.batch.json": "refused",
        "e-again.batch.json": "accepted",
    }
    changed = found["b-changed.batch.json"][1]
    assert "ปฏิเสธ: ไฟล์ถูกแก้ไขหรือเสียหายหลังจากตู้ประเมินลงนาม" in changed
    assert "bad signature at seq" in changed  # the checker's own words under it
    assert kiosk.key.fingerprint in changed
    assert "ไฟล์นี้ไม่ใช่ไฟล์ชุดข้อมูลของสร้างสุข" in found["c-notes.json"][1]
    huge = found["d-huge.batch.json"][1]
    assert "ไฟล์ใหญ่เกินกว่าที่ชุดข้อมูลจะเป็นได้ จึงไม่ได้อ่าน" in huge
    assert f"the file is {MAX_BATCH_BYTES + 1:,} bytes" in huge
    assert "มีอยู่แล้ว: ได้รับผลการประเมินทั้ง 6 รายการ" in found["e-again.batch.json"][1]
    assert counts(answer.text)["refused"] == 3
    assert collector.store.total_votes() == 6  # nothing of the refused files
    assert len(download_form(answer.text)["receipt"]) == 2  # receipts of accepted files only

    refused = {r["source_addr"]: r for r in audit_rows(collector, "refused")}
    assert set(refused) == {"b-changed.batch.json", "c-notes.json", "d-huge.batch.json"}
    assert refused["b-changed.batch.json"]["reason"] == "bad_signature"
    assert refused["d-huge.batch.json"]["reason"] == "too_large"
    assert refused["d-huge.batch.json"]["operator"] == "somchai"
    assert all(r["source"] == "usb" for r in refused.values())
    (imported,) = audit_rows(collector, "import")
    assert (imported["operator"], imported["reason"]) == ("somchai", "problems")
    assert imported["detail"].startswith("5 batch file(s): 2 accepted (6 new votes, 6 already")
    assert "3 refused" in imported["detail"]

    client.get("/console/import?lang=en")  # the officer switches to English
    again = upload(client, csrf, extra=[("files", ("b.batch.json", tampered(later), JSON))])
    (outcome, text) = rows(again.text)["b.batch.json"]
    assert outcome == "refused"
    assert "Refused: the file was changed or damaged after the kiosk signed it" in text
    assert "<script" not in again.text
    assert " style=" not in again.text


def test_votes_held_with_other_bytes_are_quarantined_and_said(collector, kiosk, officer, tmp_path):
    client, csrf = officer
    kiosk.cast(4)
    kiosk.ledger.close()
    fork_dir = tmp_path / "fork"
    shutil.copytree(kiosk.data_dir, fork_dir)  # a backup restored later: same key, same chain
    kiosk.ledger = Ledger.open(kiosk.data_dir, kiosk.key, FakeClock())
    kiosk.ledger.cast(Ballot("3706", 5, story="ต้นฉบับ"))
    fork = Kiosk(fork_dir, kiosk.key, Ledger.open(fork_dir, kiosk.key, FakeClock()), "3706")
    try:
        fork.ledger.cast(Ballot("3706", 1, story="สำเนา"))
        forked = fork.batch(first=1)
    finally:
        fork.ledger.close()
    original = ("files", ("1-original.batch.json", kiosk.batch(), JSON))
    answer = upload(client, csrf, extra=[original, ("files", ("2-fork.batch.json", forked, JSON))])
    assert answer.status_code == 200, answer.text
    found = rows(answer.text)
    outcome, text = found["2-fork.batch.json"]
    assert outcome == "accepted"
    assert "ผลการประเมินที่ขัดแย้ง 1 รายการถูกกักไว้ (ลำดับ 5)" in text
    assert 'class="outcome-accepted has-conflicts"' in answer.text
    assert counts(answer.text)["conflicts"] == 1
    assert collector.store.total_votes() == 5  # the held vote 5 counts, never overwritten
    (imported,) = audit_rows(collector, "import")
    assert imported["reason"] == "problems"
    assert "1 conflicting vote(s) quarantined" in imported["detail"]
    assert [r["source_addr"] for r in audit_rows(collector, "conflict")] == ["2-fork.batch.json"]


# --- who may, and forms that are not right ---------------------------------------------------


def test_only_an_officer_imports(collector, kiosk):
    kiosk.cast(3)
    data = kiosk.batch()
    make_operator(collector.store, "viewer", "viewer")
    files = [("files", ("a.batch.json", data, JSON))]
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        anonymous = client.post("/console/import", data={"csrf": "x"}, files=files)
        assert anonymous.status_code == 401
        csrf = log_in(client, name="viewer")
        assert client.get("/console/import").status_code == 403
        refused = client.post("/console/import", data={"csrf": csrf}, files=files)
        assert refused.status_code == 403
        assert "บัญชีของท่านไม่มีสิทธิ์ทำสิ่งนี้" in refused.text
        assert 'href="/console/import"' not in client.get("/console").text.split("<main>")[0]
    make_operator(collector.store, "somchai", "officer")
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        log_in(client, name="somchai")
        no_csrf = client.post("/console/import", data={"csrf": "wrong"}, files=files)
        assert no_csrf.status_code == 403
    assert collector.store.total_votes() == 0
    assert not audit_rows(collector, "import")


def test_an_upload_without_batches_says_so(collector, officer):
    client, csrf = officer
    nothing = client.post("/console/import", data={"csrf": csrf})
    assert nothing.status_code == 422
    assert "กรุณาเลือกไฟล์ชุดข้อมูลหรือโฟลเดอร์ก่อน" in nothing.text
    assert 'role="alert"' in nothing.text
    empty_inputs = [("files", ("", b"", "application/octet-stream"))]  # what a browser sends
    assert upload(client, csrf, extra=empty_inputs).status_code == 422
    only_receipts = upload(
        client,
        csrf,
        extra=[
            ("files", ("x.receipt.json", b"{}", JSON)),
            ("files", ("x.summary.csv", b"seq,rating", "text/csv")),
        ],
    )
    assert only_receipts.status_code == 422
    assert "ไม่พบไฟล์ชุดข้อมูลในสิ่งที่อัปโหลด" in only_receipts.text
    assert "ใบตอบรับ (*.receipt.json) 1 ไฟล์: x.receipt.json" in only_receipts.text
    (imported,) = audit_rows(collector, "import")
    assert (imported["reason"], imported["operator"]) == ("no_batches", "somchai")


def test_a_changed_download_form_returns_nothing(collector, kiosk, officer):
    client, csrf = officer
    kiosk.cast(3)
    answer = upload(client, csrf, extra=[("files", ("a.batch.json", kiosk.batch(), JSON))])
    fields = download_form(answer.text)
    receipt = fields["receipt"][0]
    forged = receipt.replace('"accepted":[[1,3]]', '"accepted":[[1,4]]')
    assert forged != receipt
    for changed in (
        {**fields, "receipt": [forged]},
        {**fields, "batch": ["a.summary.csv"]},
        {**fields, "batch": []},
        {**fields, "pick": "7"},
        {**fields, "pick": "everything"},
    ):
        refused = client.post("/console/import/receipts", data={"pick": "0", **changed})
        assert refused.status_code == 422, changed
        assert "การดาวน์โหลดนี้ไม่ได้มาจากหน้าผลการนำเข้า" in refused.text
        assert "content-disposition" not in refused.headers
    assert download(client, answer.text, "0").status_code == 200


def test_too_many_files_at_once_are_refused_with_the_form(collector, officer):
    client, csrf = officer
    many = [("files", (f"{n}.summary.csv", b"", "text/csv")) for n in range(1001)]
    answer = upload(client, csrf, extra=many)
    assert answer.status_code == 400
    assert "อ่านสิ่งที่อัปโหลดไม่ได้" in answer.text
    assert "กรุณาเลือกไม่เกิน 1000 ไฟล์ต่อครั้ง" in answer.text
    assert not audit_rows(collector, "import")


# --- an upload over the limit ----------------------------------------------------------------


def raw_post(collector: RunningCollector, cookie: str, length: int, body: bytes) -> str:
    """Send headers declaring length and then only the first bytes: the answer, as text."""
    head = (
        f"POST /console/import HTTP/1.1\r\nHost: 127.0.0.1:{collector.port}\r\n"
        f"Cookie: sangsuk_session={cookie}\r\n"
        "Content-Type: multipart/form-data; boundary=sangsuk\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", collector.port), timeout=30) as conn:
        conn.sendall(head + body)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    return received.decode("utf-8", "replace")


def test_an_upload_over_the_limit_gets_the_page_and_is_not_read(collector, kiosk, officer):
    client, _ = officer
    kiosk.cast(3)
    start = (
        b'--sangsuk\r\nContent-Disposition: form-data; name="files"; filename="a.batch.json"'
        b"\r\nContent-Type: application/json\r\n\r\n" + kiosk.batch()
    )
    cookie = client.cookies["sangsuk_session"]
    answer = raw_post(collector, cookie, MAX_UPLOAD_BYTES + 1, start)
    status, _, html = answer.partition("\r\n\r\n")
    assert status.startswith("HTTP/1.1 413")
    assert "cache-control: no-store" in status.lower()
    assert "นำเข้าไฟล์ชุดข้อมูลจากแฟลชไดรฟ์" in html  # the import page, the form on it
    assert "แต่การนำเข้าแต่ละครั้งรับได้ไม่เกิน 800 MiB จึงไม่ได้อ่าน" in html
    assert 'role="alert"' in html
    assert 'name="folder" webkitdirectory' in html
    chunked = client.post(
        "/console/import",
        content=iter([start]),
        headers={"content-type": "multipart/form-data; boundary=sangsuk"},
    )
    assert chunked.status_code == 413
    assert "สิ่งที่อัปโหลดไม่ได้ระบุขนาด" in chunked.text
    assert collector.store.total_votes() == 0
    refused = audit_rows(collector, "refused")
    assert [(r["reason"], r["operator"], r["source"]) for r in refused] == [
        ("too_large", "somchai", "console"),
        ("too_large", "somchai", "console"),
    ]
    assert not audit_rows(collector, "import")
    # Someone not logged in is not told about limits, and nothing is written down.
    anonymous = raw_post(collector, "nobody", MAX_UPLOAD_BYTES + 1, start)
    assert anonymous.startswith("HTTP/1.1 401")
    assert len(audit_rows(collector, "refused")) == 2
