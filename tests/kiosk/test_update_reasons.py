"""An update that cannot be used is said in the clerk's words, in Thai and English; the
library's own English detail goes to the log for the officer, never into the sentences
(kiosk/update_reasons.py).

Real signed metadata from `sangsuk-release` on a stick, one file of it spoiled.
"""

from __future__ import annotations

import errno
import logging
import os
import re
from pathlib import Path

import pytest

from kiosk import update_reasons as reasons
from kiosk.update_install import InstallPaths, linked_version
from kiosk.update_reasons import Invalid, Refusal, UpdateError
from tests.updates_repo import Office, kiosk, stick

LATIN = re.compile(r"[A-Za-z]")


@pytest.mark.parametrize("what", list(Invalid))
def test_each_kind_has_a_thai_sentence_with_no_english_and_the_detail_only_in_the_log(
    what: Invalid, caplog: pytest.LogCaptureFixture
) -> None:
    detail = "KeyError: 'signed' at line 1 (python-tuf's words)"
    with caplog.at_level(logging.WARNING, logger="kiosk.update_reasons"):
        reason = reasons.invalid(what, detail)
    assert reason.kind is Refusal.INVALID
    assert LATIN.search(reason.th) is None, reason.th
    assert reason.th.startswith("ใช้อัปเดตนี้ไม่ได้: ")
    assert reason.th.endswith("ไม่ติดตั้ง แจ้งสำนักงานกลาง รุ่นที่ใช้อยู่ทำงานต่อตามปกติ")
    assert detail not in reason.en
    assert "KeyError" not in reason.en
    assert reason.en.startswith("The update is not usable: ")
    assert reason.en.endswith(
        ": not installed; tell the central office. The running version carries on as before."
    )
    assert detail in caplog.text  # for the officer reading the kiosk's log


def test_the_kinds_say_different_things() -> None:
    sentences = {reasons.invalid(what, "x").en for what in Invalid}
    assert len(sentences) == len(Invalid)


def test_metadata_that_is_not_json_is_refused_in_words(
    tmp_path: Path, office: Office, tablet: InstallPaths, caplog: pytest.LogCaptureFixture
) -> None:
    source = stick(office, tmp_path / "stick")
    (source / "metadata" / "timestamp.json").write_text("{not json", encoding="utf-8")
    updates = kiosk(tablet.root, office, "0.1.0")
    with caplog.at_level(logging.WARNING), pytest.raises(UpdateError) as caught:
        updates.check(source)
    reason = caught.value.reason
    assert reason.kind is Refusal.INVALID
    assert reason.en.startswith(
        "The update is not usable: the signed update metadata cannot be read or does not fit"
        " together: not installed; tell the central office."
    )
    assert reason.th.startswith("ใช้อัปเดตนี้ไม่ได้: อ่านข้อมูลอัปเดตที่ลงนามไว้ไม่ได้")
    assert LATIN.search(reason.th) is None
    assert updates.status().last_refusal == reason  # what the Updates card shows
    assert "update not usable (metadata)" in caplog.text  # with python-tuf's own words
    assert linked_version(tablet.current) == "0.1.0"


def test_a_failed_self_test_is_quoted_in_each_sentences_own_language() -> None:
    """The self-test prints each line in Thai, then English: each sentence quotes its own."""
    output = (
        "FAIL  ledger\n"
        "      ไม่ผ่าน: เขียนบัญชีทดสอบไม่ได้\n"
        "      Failed: the test ledger cannot be written\n"
        "\n"
        "ผลการตรวจ: ไม่ผ่าน 1 จาก 8 ข้อ (ledger)\n"
        "Self-test FAILED: 1 of 8 checks (ledger).\n"
    )
    reason = reasons.self_test_failed("0.3.0", output, None)
    assert "(ผลการตรวจ: ไม่ผ่าน 1 จาก 8 ข้อ (ledger))" in reason.th
    assert "Self-test FAILED" not in reason.th
    assert "(Self-test FAILED: 1 of 8 checks (ledger).)" in reason.en
    assert "ผลการตรวจ" not in reason.en


# --- the disk refused the update's files (reasons.disk) ------------------------------------

DISK_ERRORS = [
    (errno.ENOSPC, "No space left on device", reasons.Disk.FULL, "ดิสก์ของแท็บเล็ตเต็ม", "is full"),
    (errno.EROFS, "Read-only file system", reasons.Disk.READ_ONLY, "อ่านอย่างเดียว", "read-only"),
    (errno.EACCES, "Permission denied", reasons.Disk.DENIED, "ไม่มีสิทธิ์เขียน", "not allowed"),
    (errno.EIO, "Input/output error", reasons.Disk.FAULT, "ดิสก์อาจเสีย", "may be failing"),
    (errno.EMFILE, "Too many open files", reasons.Disk.OTHER, "ไม่ยอมให้เขียน", "refused"),
]


@pytest.mark.parametrize(("number", "strerror", "kind", "th", "en"), DISK_ERRORS)
def test_a_disk_error_is_worded_in_each_language_with_the_path_and_logged_as_it_came(
    number: int,
    strerror: str,
    kind: reasons.Disk,
    th: str,
    en: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The OSError as the system raises it (constructed: a full disk is outside the program's
    world); the clerk reads what it means and where, the officer's log keeps the raw error."""
    path = "/opt/sangsuk/versions/0.2.0/_internal/base_library.zip"
    exc = OSError(number, strerror, path)
    with caplog.at_level(logging.WARNING, logger="kiosk.update_reasons"):
        reason = reasons.disk(exc, Path("/opt/sangsuk"))
    assert reasons.disk_problem(exc) is kind
    assert reason.kind is Refusal.DISK
    for sentence in (reason.th, reason.en):
        assert strerror not in sentence
        assert "Errno" not in sentence
        assert path in sentence
    assert th in reason.th
    assert LATIN.search(reason.th.replace(path, "")) is None, reason.th
    assert reason.th.startswith("เขียนไฟล์อัปเดตไม่ได้: ")
    assert reason.th.endswith("ไม่ติดตั้ง แจ้งเจ้าหน้าที่ไอทีของจังหวัด รุ่นที่ใช้อยู่ทำงานต่อตามปกติ")
    assert en in reason.en
    assert reason.en.startswith("Cannot write the update's files: ")
    assert reason.en.endswith(
        "not installed; tell the provincial IT officer. The running version carries on as before."
    )
    assert f"[Errno {number}] {strerror}: '{path}'" in caplog.text


def test_the_file_the_system_named_is_said_else_the_installation(tmp_path: Path) -> None:
    """A real error from a real folder (moved into itself: none of the worded kinds) names it;
    an error naming no file names the installation."""
    with pytest.raises(OSError, match="Invalid argument") as caught:
        os.rename(tmp_path, tmp_path / "inside")
    reason = reasons.disk(caught.value, tmp_path)
    assert str(tmp_path) in reason.en
    exc = OSError(errno.ENOSPC, "No space left on device")
    reason = reasons.disk(exc, Path("/opt/sangsuk"))
    assert "the tablet's disk is full, at /opt/sangsuk: not installed" in reason.en
    assert "ดิสก์ของแท็บเล็ตเต็ม ที่ /opt/sangsuk: ไม่ติดตั้ง" in reason.th
