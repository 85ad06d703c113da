"""Kiosk updates refused: a changed file, expired signatures, a rollback (an older release, a
replayed older timestamp), another key, a failing self-test, no space. Each refusal is what
the clerk reads (Thai and English), recorded for the status page, and ``current`` still
points where it did (kiosk/updates.py, kiosk/update_reasons.py; promise 12).

Real signed metadata from `sangsuk-release` in tmp_path; expired metadata is made already
expired by the release tool (negative expiry days), not by faking a clock.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.update_install import InstallPaths
from kiosk.update_reasons import Reason, Refusal, UpdateError
from kiosk.updates import Updates
from release import repository
from tests.namespaces import run_read_only
from tests.small_disk import run_on_small_disk
from tests.updates_repo import Office, data_folder, fingerprints, install, kiosk, make_office, stick


def refused(updates: Updates, step: str, source: Path) -> Reason:
    """Run check or stage, which must refuse; the reason, also recorded for the clerk."""
    with pytest.raises(UpdateError) as caught:
        getattr(updates, step)(source)
    reason = caught.value.reason
    assert updates.status().last_refusal == reason
    assert updates.status().last_check_en == reason.en
    assert reason.en.endswith("The running version carries on as before.")
    assert reason.th.endswith("รุ่นที่ใช้อยู่ทำงานต่อตามปกติ")
    return reason


def unchanged(tablet: InstallPaths) -> None:
    """Still running 0.1.0: current where it was, nothing else installed, nothing pending."""
    assert os.readlink(tablet.current) == "versions/0.1.0"
    assert not tablet.previous.exists()
    assert not tablet.trial.exists()
    assert sorted(p.name for p in tablet.versions.iterdir()) == ["0.1.0"]


def test_a_changed_archive_is_refused_as_tampered(
    tmp_path: Path, office: Office, tablet: InstallPaths
) -> None:
    data = tmp_path / "data"
    before = data_folder(data)
    source = stick(office, tmp_path / "stick")
    archive = source / "targets/sangsuk-kiosk-0.2.0.tar.gz"
    body = bytearray(archive.read_bytes())
    body[len(body) // 2] ^= 0x01  # one bit, same length: only the hash can tell
    archive.write_bytes(bytes(body))
    updates = kiosk(tablet.root, office, "0.1.0")

    assert updates.check(source) is not None  # the metadata is fine; the file is not
    reason = refused(updates, "stage", source)
    assert reason.kind is Refusal.TAMPERED
    assert reason.en.startswith(
        "The update file sangsuk-kiosk-0.2.0.tar.gz does not match what the central office "
        "signed (altered or damaged): not installed; bring a new stick, or check again."
    )
    assert reason.th.startswith("ไฟล์อัปเดต sangsuk-kiosk-0.2.0.tar.gz ไม่ตรงกับที่สำนักงานกลางลงนามไว้")
    unchanged(tablet)
    assert updates.status().pending is None
    assert fingerprints(data) == before


def test_a_longer_changed_patch_is_refused_too(
    tmp_path: Path, office: Office, tablet: InstallPaths
) -> None:
    tablet.targets.mkdir(parents=True)
    shutil.copy(office.repo / "targets/sangsuk-kiosk-0.1.0.tar.gz", tablet.archive("0.1.0"))
    source = stick(office, tmp_path / "stick")
    with (source / "targets/sangsuk-kiosk-0.2.0.patch").open("ab") as patch:
        patch.write(b"more")
    reason = refused(kiosk(tablet.root, office, "0.1.0"), "stage", source)
    assert reason.kind is Refusal.TAMPERED
    assert "sangsuk-kiosk-0.2.0.patch does not match" in reason.en
    unchanged(tablet)


def test_expired_signatures_are_refused_saying_since_when_and_what_to_bring(
    tmp_path: Path, office: Office, tablet: InstallPaths
) -> None:
    # The office last signed long ago: made here already expired by the release tool itself.
    repository.refresh(
        office.repo, office.keys, expiry_days={**repository.EXPIRY_DAYS, "timestamp": -2}
    )
    expired_at = repository.expiries(office.repo)["timestamp"]
    assert expired_at < datetime.now(UTC)
    source = stick(office, tmp_path / "stick")
    updates = kiosk(tablet.root, office, "0.1.0")

    reason = refused(updates, "check", source)
    when = expired_at.strftime("%Y-%m-%d %H:%M UTC")
    assert reason.kind is Refusal.EXPIRED
    assert reason.en.startswith(
        f"The update signatures (timestamp) expired on {when}: bring an update stick made after "
        f"{when}, or ask the central office to re-sign them (sangsuk-release refresh)."
    )
    assert reason.th.startswith(f"ลายเซ็นอัปเดต (timestamp) หมดอายุแล้ว เมื่อ {when}")
    unchanged(tablet)

    # A stick made today (re-signed by `stick --keys`, here `refresh`) is taken.
    repository.refresh(office.repo, office.keys)
    fresh = stick(office, tmp_path / "stick2")
    assert updates.stage(fresh) == "0.2.0"


def test_an_older_release_is_refused_as_a_rollback(
    tmp_path: Path, office: Office, tablet: InstallPaths
) -> None:
    # The tablet runs 0.3.0 (installed by hand); the stick offers at best 0.2.0.
    paths = install(tmp_path / "opt3", office.bundles / "0.2.0", "0.3.0")
    updates = kiosk(paths.root, office, "0.3.0")
    reason = refused(updates, "check", stick(office, tmp_path / "stick"))
    assert reason.kind is Refusal.ROLLBACK
    assert reason.en.startswith(
        "The release offered (0.2.0) is older than the running version (0.3.0): the kiosk "
        "never goes back."
    )
    assert reason.th.startswith("รุ่นที่เสนอ (0.2.0) เก่ากว่ารุ่นที่ใช้อยู่ (0.3.0)")
    assert os.readlink(paths.current) == "versions/0.3.0"
    assert sorted(p.name for p in paths.versions.iterdir()) == ["0.3.0"]


def test_a_replayed_older_timestamp_is_refused_as_a_rollback(
    tmp_path: Path, office: Office, tablet: InstallPaths, caplog: pytest.LogCaptureFixture
) -> None:
    old_stick = stick(office, tmp_path / "old-stick")
    repository.refresh(office.repo, office.keys)  # the office re-signs: timestamp version 3 -> 4
    updates = kiosk(tablet.root, office, "0.1.0")
    assert updates.check(stick(office, tmp_path / "new-stick")) is not None

    reason = refused(updates, "check", old_stick)
    assert reason.kind is Refusal.ROLLBACK
    assert reason.en.startswith(
        "The update metadata is older than what this kiosk has already seen (an old or "
        "replayed copy): refused; bring a newly made stick."
    )
    assert "must be" not in reason.en  # TUF's own words ("New timestamp version ...") are logged
    assert "timestamp version" in caplog.text
    assert reason.th.startswith("ข้อมูลอัปเดตที่ได้รับเก่ากว่าที่ตู้เคยเห็นแล้ว")
    unchanged(tablet)


def test_a_release_signed_by_another_key_is_refused(
    tmp_path: Path, office: Office, tablet: InstallPaths
) -> None:
    other = make_office(tmp_path / "elsewhere")  # its own keys, its own root
    other.release("0.1.0")
    other.release("0.9.0")
    reason = refused(kiosk(tablet.root, office, "0.1.0"), "check", stick(other, tmp_path / "s"))
    assert reason.kind is Refusal.OTHER_KEY
    assert reason.en.startswith(
        "This update is not signed with the central office's key this kiosk trusts (it may be "
        "another office's): not installed; tell the central office."
    )
    assert "signed by" not in reason.en  # TUF's "targets was signed by 0/1 keys" is logged only
    assert reason.th.startswith("อัปเดตนี้ไม่ได้ลงนามด้วยกุญแจของสำนักงานกลางที่ตู้เชื่อถือ")
    unchanged(tablet)


def test_a_stick_whose_signed_list_was_edited_is_tampered_not_another_offices(
    tmp_path: Path, office: Office, tablet: InstallPaths, caplog: pytest.LogCaptureFixture
) -> None:
    """targets.json still carries the office's signature (a keyid the kiosk trusts), but its
    content was changed after signing: damaged or tampered, so bring a new stick."""
    source = stick(office, tmp_path / "stick")
    targets = source / "metadata" / "targets.json"
    text = targets.read_text()
    edited = text.replace('"length": ', '"length": 1', 1)  # a file said to be far bigger
    assert edited != text
    targets.write_text(edited)
    reason = refused(kiosk(tablet.root, office, "0.1.0"), "check", source)
    assert reason.kind is Refusal.TAMPERED
    assert reason.en.startswith(
        "The update file targets.json does not match what the central office signed (altered "
        "or damaged): not installed; bring a new stick, or check again."
    )
    assert reason.th.startswith("ไฟล์อัปเดต targets.json ไม่ตรงกับที่สำนักงานกลางลงนามไว้")
    assert "signed by 0/1 keys" in caplog.text  # TUF's words, for the log
    unchanged(tablet)


def test_a_release_whose_self_test_fails_is_removed_and_not_applied(
    tmp_path: Path, tablet: InstallPaths
) -> None:
    office = make_office(tmp_path / "office2")
    office.release("0.1.0")
    office.release("0.2.0", self_test_passes=False)
    updates = kiosk(tablet.root, office, "0.1.0")
    reason = refused(updates, "stage", stick(office, tmp_path / "stick"))
    assert reason.kind is Refusal.SELF_TEST_FAILED
    assert reason.en.startswith(
        "Version 0.2.0 failed its self-test: not installed, and removed "
        "(ฟอนต์ไม่ครบ / fonts missing); it is tried once more after "
    )  # the rule of the second try: tests/kiosk/test_updates_self_test_retry.py
    assert reason.th.startswith("รุ่น 0.2.0 ตรวจตัวเองไม่ผ่าน")
    unchanged(tablet)
    assert updates.status().pending is None
    with pytest.raises(UpdateError):
        updates.apply_pending()
    unchanged(tablet)


def test_a_newer_release_that_fails_its_self_test_leaves_no_pending_version_behind(
    tmp_path: Path, office: Office, tablet: InstallPaths
) -> None:
    """0.2.0 is staged; 0.3.0 replaces it (0.2.0's folder pruned) and fails its self-test: the
    status names no pending version, 0.3.0 is not fetched again (not before its one more try
    a day later, tests/kiosk/test_updates_self_test_retry.py), and 0.4.0 is taken."""
    updates = kiosk(tablet.root, office, "0.1.0")
    assert updates.stage(stick(office, tmp_path / "stick1")) == "0.2.0"
    assert updates.status().pending == "0.2.0"

    office.release("0.3.0", self_test_passes=False)
    second = stick(office, tmp_path / "stick2")
    reason = refused(updates, "stage", second)
    assert reason.kind is Refusal.SELF_TEST_FAILED
    assert "0.3.0" in reason.en
    assert "tried once more after" in reason.en
    assert "จะลองอีกครั้งเดียวหลัง" in reason.th
    unchanged(tablet)  # 0.2.0's folder went to make room for 0.3.0, which was removed
    assert not tablet.archive("0.3.0").exists()  # and so was its download
    assert updates.status().pending is None
    with pytest.raises(UpdateError) as nothing:
        updates.apply_pending()
    assert nothing.value.reason.kind is Refusal.NOTHING_PENDING
    unchanged(tablet)

    # At the next check (every 4 h, every stick) 0.3.0 is not downloaded and tested again: the
    # archive is not even on this stick, and the kiosk does not ask for it.
    (second / "targets/sangsuk-kiosk-0.3.0.tar.gz").unlink()
    for step in ("check", "stage"):
        again = refused(updates, step, second)
        assert again.kind is Refusal.SELF_TEST_FAILED
        assert again.en.startswith(
            "Version 0.3.0 failed its self-test on this kiosk: it is tried once more after "
        )
        assert again.th.startswith("รุ่น 0.3.0 เคยตรวจตัวเองไม่ผ่านบนตู้นี้: จะลองอีกครั้งหลัง")
    assert not tablet.archive("0.3.0").exists()
    unchanged(tablet)

    office.release("0.4.0")
    assert updates.stage(stick(office, tmp_path / "stick3")) == "0.4.0"
    assert updates.status().pending == "0.4.0"


def test_the_status_never_names_a_pending_version_whose_folder_is_gone(
    tmp_path: Path, office: Office, tablet: InstallPaths
) -> None:
    updates = kiosk(tablet.root, office, "0.1.0")
    assert updates.stage(stick(office, tmp_path / "stick")) == "0.2.0"
    shutil.rmtree(tablet.version_dir("0.2.0"))  # removed by hand, or by a crash mid-prune
    assert updates.status().pending is None
    assert updates.status().pending_source is None


def test_no_space_for_the_new_version_is_refused_before_downloading(
    tmp_path: Path, office: Office
) -> None:
    """On a real, small filesystem (a 8 MiB tmpfs in a private mount namespace, via unshare)."""
    source = stick(office, tmp_path / "stick")
    bundle = office.bundles / "0.1.0"
    code = f"""
import json, sys
from pathlib import Path
from kiosk.update_reasons import UpdateError
from tests.updates_repo import install
from kiosk.updates import Updates
root = Path(sys.argv[1])
paths = install(root, Path({str(bundle)!r}), "0.1.0")
updates = Updates(root, running="0.1.0", trusted_root=Path({str(office.trusted_root)!r}))
try:
    updates.stage(Path({str(source)!r}))
    out = {{"staged": True}}
except UpdateError as exc:
    out = {{"kind": str(exc.reason.kind), "en": exc.reason.en, "th": exc.reason.th}}
out["current"] = str(paths.current.readlink())
out["versions"] = sorted(p.name for p in paths.versions.iterdir())
out["downloads"] = sorted(p.name for p in paths.targets.iterdir())
print(json.dumps(out))
"""
    out = run_on_small_disk(tmp_path / "small", "8m", code, timeout=120)
    assert out["kind"] == "no_space"
    assert out["en"].startswith("Not enough space: ")
    assert "MB needed" in out["en"]
    assert "nothing downloaded" in out["en"]
    assert out["th"].startswith("พื้นที่ไม่พอ")
    assert (out["current"], out["versions"], out["downloads"]) == ("versions/0.1.0", ["0.1.0"], [])


def test_a_read_only_disk_when_applying_is_said_in_words_and_nothing_changes(
    tmp_path: Path, office: Office, tablet: InstallPaths
) -> None:
    """Staged as usual, then applied with /opt/sangsuk on a really read-only disk (a private
    mount namespace, tests/namespaces.py): the system's 'Read-only file system' stays in the log,
    the clerk reads what it means in Thai and in English, and current still points at 0.1.0."""
    updates = kiosk(tablet.root, office, "0.1.0")
    assert updates.stage(stick(office, tmp_path / "stick")) == "0.2.0"
    code = f"""
import json, logging
from pathlib import Path
from kiosk.update_reasons import UpdateError
from kiosk.updates import Updates
logging.basicConfig(level=logging.WARNING)
updates = Updates(Path({str(tablet.root)!r}), running="0.1.0",
                  trusted_root=Path({str(office.trusted_root)!r}))
try:
    updates.apply_pending()
    out = {{"applied": True}}
except UpdateError as exc:
    out = {{"kind": str(exc.reason.kind), "en": exc.reason.en, "th": exc.reason.th}}
print(json.dumps(out))
"""
    done = run_read_only(tablet.root, [sys.executable, "-c", code])
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["kind"] == "disk"
    assert out["en"].startswith(
        "Cannot write the update's files: the tablet's disk cannot be written (the system made"
        " it read-only, often after a disk fault), at "
    )
    assert str(tablet.root) in out["en"]
    assert "Errno" not in out["en"]
    assert "Read-only file system" not in out["en"]
    assert out["th"].startswith("เขียนไฟล์อัปเดตไม่ได้: ดิสก์ของแท็บเล็ตเขียนไม่ได้")
    assert "Read-only file system" not in out["th"]
    assert "Read-only file system" in done.stderr  # the raw error, for the officer's log
    assert os.readlink(tablet.current) == "versions/0.1.0"
    assert not tablet.trial.exists()
