"""Enrollment by USB: the kiosk's request, the collector's import and signed answer, the kiosk's
import; and the signed answer returned over the network. Real collector, real keys, real files.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from collector.cli import main as collector_main
from kiosk.config import KioskConfig, load_config, save_config
from kiosk.demo import random_ballot
from kiosk.ledger import Ledger
from sync import operations
from sync.operations import export_to, import_receipts_in
from sync.uploader import Uploader
from sync.usb import UsbError
from sync.usb_enroll import (
    PENDING_REQUEST_FILE,
    export_enroll_request,
    find_answer,
    import_enroll_answer,
)
from tests.collector_server import RunningCollector, serve_collector
from tests.fakes import FakeClock
from wire import keys
from wire.canonical import canonical_json
from wire.enrollment import read_request
from wire.stick import ENROLL_ANSWER_SUFFIX, ENROLL_REQUEST_SUFFIX, RECEIPT_SUFFIX


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[RunningCollector]:
    db = tmp_path / "central" / "collector.sqlite3"
    with serve_collector(db, [("3706", "small"), ("4712", "large")]) as c:
        yield c


def set_up(folder: Path, district: str = "3706") -> Path:
    """A kiosk set up offline for a district (as the setup wizard leaves it), not enrolled."""
    folder.mkdir(parents=True)
    save_config(folder, KioskConfig(district=district, demo=False))
    keys.load_or_create(folder)
    return folder


def stick_of(tmp_path: Path, name: str = "stick") -> Path:
    stick = tmp_path / name
    stick.mkdir()
    return stick


def central_import(collector: RunningCollector, *args: str) -> int:
    return collector_main(["import", *args, "--db", str(collector.db_path)])


def cast(data_dir: Path, n: int) -> None:
    rng = random.Random(1)
    with Ledger.open(data_dir, keys.load_or_create(data_dir), FakeClock()) as ledger:
        ledger.cast_many([random_ballot(rng, "3706") for _ in range(n)])


def test_the_whole_usb_round_trip(collector, tmp_path, capsys):
    kiosk = set_up(tmp_path / "kiosk")
    cast(kiosk, 12)
    stick = stick_of(tmp_path)
    token = collector.store.issue_token("3706")
    written = export_enroll_request(kiosk, stick, token)
    assert written.path.name.endswith(ENROLL_REQUEST_SUFFIX)
    assert read_request(written.path.read_bytes()).token == token

    assert central_import(collector, str(stick)) == 0
    out = capsys.readouterr().out
    (answer,) = stick.glob("*" + ENROLL_ANSWER_SUFFIX)
    assert answer == find_answer(stick, kiosk)
    key = keys.load_or_create(kiosk)
    assert collector.store.enrollment(key.kiosk_id).district == "3706"
    fingerprint = keys.fingerprint_for(bytes.fromhex(collector.collector_key_hex))
    assert fingerprint in out

    done = import_enroll_answer(kiosk, answer)
    assert done.enrollment.ok
    assert done.collector_fingerprint == fingerprint
    config = load_config(kiosk)
    assert config.enrolled
    assert config.collector_key == collector.collector_key_hex
    assert (config.district, config.size_group, config.collector_url) == ("3706", "small", None)
    assert not config.sends_over_network  # no address: its votes go out on a stick

    # Its first batch by USB is accepted, and the receipt marks the votes delivered.
    exported = export_to(kiosk, stick)
    assert exported.votes == 12
    assert central_import(collector, str(stick)) == 0  # the request again: answered again
    assert list(stick.glob("*" + RECEIPT_SUFFIX))
    receipts = import_receipts_in(kiosk, stick)
    assert (receipts.marked, receipts.refused, receipts.pending) == (12, (), 0)


def test_a_request_without_a_token_needs_one_or_an_officer(collector, tmp_path, capsys):
    kiosk = set_up(tmp_path / "kiosk")
    stick = stick_of(tmp_path)
    export_enroll_request(kiosk, stick)
    assert central_import(collector, str(stick)) == 1
    assert "no enrollment token" in capsys.readouterr().out
    assert not list(stick.glob("*" + ENROLL_ANSWER_SUFFIX))

    assert central_import(collector, str(stick), "--approve", "สมชาย") == 0
    kiosk_id = keys.load_or_create(kiosk).kiosk_id
    rows = collector.store.audit_rows()
    approved = [r for r in rows if r["reason"] == "approved"]
    assert approved[0]["operator"] == "สมชาย"
    assert approved[0]["kiosk"] == kiosk_id
    assert import_enroll_answer(kiosk, find_answer(stick, kiosk)).enrollment.ok


def test_a_token_given_at_the_central_office(collector, tmp_path):
    kiosk = set_up(tmp_path / "kiosk")
    stick = stick_of(tmp_path)
    export_enroll_request(kiosk, stick)
    token = collector.store.issue_token("3706")
    assert central_import(collector, str(stick), "--token", token) == 0
    assert import_enroll_answer(kiosk, find_answer(stick, kiosk)).enrollment.ok


@pytest.mark.parametrize("case", ["used", "other_district", "revoked"])
def test_the_collector_refuses_as_over_the_network(collector, tmp_path, capsys, case):
    kiosk = set_up(tmp_path / "kiosk")
    stick = stick_of(tmp_path)
    token = collector.store.issue_token("4712" if case == "other_district" else "3706")
    if case == "used":
        other = keys.load_or_create(set_up(tmp_path / "other"))
        collector.store.enroll(token, other.public_key_raw.hex())
    if case == "revoked":
        collector.store.enroll(token, keys.load_or_create(kiosk).public_key_raw.hex())
        collector.store.revoke(keys.load_or_create(kiosk).kiosk_id)
    export_enroll_request(kiosk, stick, token)
    assert central_import(collector, str(stick)) == 1
    out = capsys.readouterr().out
    assert "ENROLLMENT REFUSED" in out
    assert {
        "used": "already been used",
        "other_district": "token was not used",
        "revoked": "revoked",
    }[case] in out
    assert not list(stick.glob("*" + ENROLL_ANSWER_SUFFIX))


def test_a_changed_request_is_refused_and_audited(collector, tmp_path, capsys):
    kiosk = set_up(tmp_path / "kiosk")
    stick = stick_of(tmp_path)
    written = export_enroll_request(kiosk, stick, collector.store.issue_token("3706"))
    obj = json.loads(written.path.read_bytes())
    obj["district"] = "4712"
    written.path.write_bytes(canonical_json(obj))
    assert central_import(collector, str(stick)) == 1
    assert "altered" in capsys.readouterr().out
    assert collector.store.audit_rows()[0]["reason"] == "bad_signature"


def enrolled_answer(collector: RunningCollector, kiosk: Path, stick: Path) -> Path:
    export_enroll_request(kiosk, stick, collector.store.issue_token("3706"))
    assert central_import(collector, str(stick)) == 0
    return find_answer(stick, kiosk)


def refused(kiosk: Path, answer: Path) -> str:
    before = (kiosk / "config.json").read_bytes() if (kiosk / "config.json").exists() else None
    with pytest.raises(UsbError) as caught:
        import_enroll_answer(kiosk, answer)
    after = (kiosk / "config.json").read_bytes() if (kiosk / "config.json").exists() else None
    assert before == after  # nothing changed
    assert not load_config(kiosk).enrolled
    return caught.value.code


def test_a_tampered_answer_is_refused(collector, tmp_path):
    kiosk = set_up(tmp_path / "kiosk")
    answer = enrolled_answer(collector, kiosk, stick_of(tmp_path))
    obj = json.loads(answer.read_bytes())
    obj["size_group"] = "large"
    answer.write_bytes(canonical_json(obj))
    assert refused(kiosk, answer) == "bad_signature"


def test_another_kiosks_answer_is_refused(collector, tmp_path):
    mine = set_up(tmp_path / "mine")
    theirs = set_up(tmp_path / "theirs")
    export_enroll_request(mine, stick_of(tmp_path, "my-stick"))
    answer = enrolled_answer(collector, theirs, stick_of(tmp_path))
    assert refused(mine, answer) == "wrong_kiosk"


def test_an_old_answer_replayed_after_a_new_request_is_refused(collector, tmp_path):
    kiosk = set_up(tmp_path / "kiosk")
    answer = enrolled_answer(collector, kiosk, stick_of(tmp_path))
    old = answer.read_bytes()
    export_enroll_request(kiosk, stick_of(tmp_path, "again"))  # the clerk exported again
    answer.write_bytes(old)
    assert refused(kiosk, answer) == "stale_answer"


def test_an_answer_for_an_old_key_is_refused(collector, tmp_path):
    kiosk = set_up(tmp_path / "kiosk")
    answer = enrolled_answer(collector, kiosk, stick_of(tmp_path))
    (kiosk / keys.KEY_FILE_NAME).unlink()  # the kiosk was given a new key since
    keys.load_or_create(kiosk)
    export_enroll_request(kiosk, stick_of(tmp_path, "new-key"))
    assert refused(kiosk, answer) == "wrong_kiosk"


def test_an_answer_from_another_collector_is_refused_once_one_is_pinned(collector, tmp_path):
    kiosk = set_up(tmp_path / "kiosk")
    stick = stick_of(tmp_path)
    assert import_enroll_answer(kiosk, enrolled_answer(collector, kiosk, stick)).enrollment.ok
    with serve_collector(tmp_path / "other" / "c.sqlite3", [("3706", "small")]) as other:
        export_enroll_request(kiosk, stick, other.store.issue_token("3706"))
        assert central_import(other, str(stick)) == 0
        with pytest.raises(UsbError) as caught:
            import_enroll_answer(kiosk, find_answer(stick, kiosk))
    assert caught.value.code == "wrong_collector"
    assert load_config(kiosk).collector_key == collector.collector_key_hex


def test_an_answer_without_a_request_and_a_demo_kiosk_are_refused(collector, tmp_path):
    kiosk = set_up(tmp_path / "kiosk")
    answer = enrolled_answer(collector, kiosk, stick_of(tmp_path))
    (kiosk / PENDING_REQUEST_FILE).unlink()
    assert refused(kiosk, answer) == "no_request"
    demo = tmp_path / "demo"
    demo.mkdir()
    with pytest.raises(UsbError) as caught:
        export_enroll_request(demo, stick_of(tmp_path, "demo-stick"))
    assert caught.value.code == "demo"
    with pytest.raises(UsbError) as caught:
        find_answer(stick_of(tmp_path, "empty"), kiosk)
    assert caught.value.code == "no_answer"


# --- the network path returns the same signed answer -------------------------------------


def test_the_network_enrollment_carries_a_signed_answer_the_kiosk_checks(collector, tmp_path):
    kiosk = set_up(tmp_path / "kiosk")
    token = collector.store.issue_token("3706")
    done = operations.enroll(kiosk, collector.url, token)
    assert done.ok, done.problem
    with Uploader(collector.url) as uploader:
        reply = uploader.enroll(token, keys.load_or_create(kiosk).public_key_raw.hex())
    assert reply["answer"]["collector_key"] == collector.collector_key_hex
    assert reply["answer"]["request"] is None


class _Tampering(Uploader):
    """The real client, whose reply from the real collector is changed on the way in."""

    def __init__(self, url: str, change: str) -> None:
        super().__init__(url)
        self.change = change

    def enroll(self, token, public_key_hex, district=None):
        reply = super().enroll(token, public_key_hex, district)
        if self.change == "signed":
            reply["answer"]["size_group"] = "large"
        elif self.change == "both":
            reply["size_group"] = reply["answer"]["size_group"] = "large"
        elif self.change == "unsigned":
            reply["size_group"] = "large"
        elif self.change == "other_kiosk":
            reply["answer"]["public_key"] = "11" * 32
        elif self.change == "dropped":  # the signed answer stripped on the way
            reply.pop("answer", None)
        return reply


@pytest.mark.parametrize("change", ["signed", "both", "unsigned", "other_kiosk", "dropped"])
def test_a_network_answer_that_does_not_verify_is_refused(collector, tmp_path, change):
    kiosk = set_up(tmp_path / "kiosk")
    done = operations.enroll(
        kiosk,
        collector.url,
        collector.store.issue_token("3706"),
        make_uploader=lambda url, _ca: _Tampering(url, change),
    )
    assert done.code == "bad_answer"
    assert not load_config(kiosk).enrolled


def test_a_reply_without_a_signed_answer_is_refused_and_said_so(collector, tmp_path, caplog):
    kiosk = set_up(tmp_path / "kiosk")
    token = collector.store.issue_token("3706")
    done = operations.enroll(
        kiosk, collector.url, token, make_uploader=lambda url, _ca: _Tampering(url, "dropped")
    )
    assert (done.ok, done.code) == (False, "bad_answer")
    assert "carries no signed answer" in " ".join(done.problem)
    assert "carries no signed answer: refused" in caplog.text
    assert not load_config(kiosk).enrolled
    assert load_config(kiosk).collector_key is None  # no key pinned from an unsigned reply


def test_the_request_file_survives_a_copy_and_is_read_from_the_copy(collector, tmp_path):
    kiosk = set_up(tmp_path / "kiosk")
    stick = stick_of(tmp_path)
    written = export_enroll_request(kiosk, stick, collector.store.issue_token("3706"))
    office = stick_of(tmp_path, "office")
    shutil.copy(written.path, office / written.path.name)
    assert central_import(collector, str(office / written.path.name)) == 0
    (answer,) = office.glob("*" + ENROLL_ANSWER_SUFFIX)
    assert import_enroll_answer(kiosk, answer).enrollment.ok


def test_the_kiosk_command_line_round_trip(collector, tmp_path, capsys):
    from ui.cli import main as kiosk_main

    kiosk = set_up(tmp_path / "kiosk")
    stick = stick_of(tmp_path)
    here = ["--data-dir", str(kiosk)]
    assert kiosk_main(["enroll-answer", str(stick), *here]) == 1
    err = capsys.readouterr().err
    assert "ส่วนกลางนำเข้าคำขอแล้วหรือยัง" in err
    assert "Has the central office imported the request?" in err
    token = collector.store.issue_token("3706")
    assert kiosk_main(["enroll-request", "--to", str(stick), "--token", token, *here]) == 0
    out = capsys.readouterr().out
    assert "เขียนคำขอลงทะเบียนของตู้ประเมิน" in out
    assert "Wrote the enrollment request" in out
    assert "sangsuk-kiosk enroll-answer FOLDER" in out
    assert central_import(collector, str(stick)) == 0
    capsys.readouterr()
    assert kiosk_main(["enroll-answer", str(stick), *here]) == 0
    out = capsys.readouterr().out
    assert keys.fingerprint_for(bytes.fromhex(collector.collector_key_hex)) in out
    assert load_config(kiosk).enrolled


def test_an_export_from_a_kiosk_not_enrolled_carries_its_request_and_is_counted(
    collector, tmp_path, capsys
):
    from ui.cli import main as kiosk_main

    kiosk = set_up(tmp_path / "kiosk")
    cast(kiosk, 4)
    stick = stick_of(tmp_path)
    assert kiosk_main(["export", "--to", str(stick), "--data-dir", str(kiosk)]) == 0
    out = capsys.readouterr().out
    assert "ตู้ประเมินนี้ยังไม่ได้ลงทะเบียน" in out
    assert "This kiosk is not enrolled" in out
    (request,) = stick.glob("*" + ENROLL_REQUEST_SUFFIX)
    assert request.read_bytes() == (kiosk / PENDING_REQUEST_FILE).read_bytes()
    # One import at the central office enrolls the kiosk first, then counts its votes.
    assert central_import(collector, str(stick), "--approve", "somchai") == 0
    assert collector.store.total_votes() == 4
    assert kiosk_main(["enroll-answer", str(stick), "--data-dir", str(kiosk)]) == 0
    assert import_receipts_in(kiosk, stick).marked == 4


def test_a_request_that_cannot_go_on_the_stick_names_the_votes_already_there(tmp_path, capsys):
    from ui.cli import main as kiosk_main
    from wire.stick import enroll_request_name

    kiosk = set_up(tmp_path / "kiosk")
    cast(kiosk, 3)
    stick = stick_of(tmp_path)
    key = keys.load_or_create(kiosk)
    (stick / enroll_request_name("3706", key.kiosk_id)).mkdir()  # in the request's way
    assert kiosk_main(["export", "--to", str(stick), "--data-dir", str(kiosk)]) == 1
    err = capsys.readouterr().err
    assert "เขียนลงแฟลชไดรฟ์ไม่สำเร็จ" in err
    assert "Writing to the USB stick failed" in err
    (batch,) = stick.glob("*.batch.json")
    assert f"1 file was written and checked before that: {batch.name}" in err
