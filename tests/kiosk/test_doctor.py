"""The doctor's checks of the kiosk's own files, on real keys and real ledger files.

Each finding says OK, WARN or FAIL with a fix in Thai and English, and the doctor changes
nothing it looks at (a key readable by others stays so until the officer runs the fix).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from kiosk.doctor import (
    Status,
    check_build_update_key,
    check_data_folder,
    check_device_key,
    check_disk_space,
    check_ledger,
    check_update_key,
)
from kiosk.ledger import LEDGER_FILE_NAME, Ledger
from tests.updates_repo import make_office
from wire import keys
from wire.vote import Ballot

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@pytest.fixture
def kiosk_dir(tmp_path: Path) -> Path:
    """A data folder with a key and a ledger of three votes, closed (as after the kiosk stops)."""
    folder = tmp_path / "kiosk"
    key = keys.load_or_create(folder)
    with Ledger.open(folder, key) as ledger:
        ledger.cast_many([Ballot("3706", r) for r in (5, 4, 3)])
    return folder


def test_a_healthy_folder(kiosk_dir: Path) -> None:
    key, kiosk_id = check_device_key(kiosk_dir)
    assert key.status is Status.OK
    assert kiosk_id == keys.load(kiosk_dir / keys.KEY_FILE_NAME).kiosk_id
    ledger = check_ledger(kiosk_dir, kiosk_id)
    assert ledger.status is Status.OK
    assert "3 votes" in ledger.detail_en
    assert "3 ผลการประเมิน" in ledger.detail_th
    assert check_data_folder(kiosk_dir).status is Status.OK
    assert check_disk_space(kiosk_dir).status is Status.OK
    assert [p.name for p in kiosk_dir.iterdir() if p.name.startswith(".doctor")] == []


def test_a_new_tablet_has_nothing_yet_and_that_is_fine(tmp_path: Path) -> None:
    fresh = tmp_path / "not-made-yet"
    key, kiosk_id = check_device_key(fresh)
    assert (key.status, kiosk_id) == (Status.OK, None)
    assert check_ledger(fresh, None).status is Status.OK
    folder = check_data_folder(fresh)
    assert folder.status is Status.OK
    assert "makes it when it first starts" in folder.detail_en
    assert not fresh.exists()  # the doctor only looks


@posix_only
def test_a_key_readable_by_others_fails_with_chmod_and_is_left_as_it_was(kiosk_dir: Path) -> None:
    path = kiosk_dir / keys.KEY_FILE_NAME
    path.chmod(0o644)
    key, kiosk_id = check_device_key(kiosk_dir)
    assert key.status is Status.FAIL
    assert kiosk_id is None
    assert "644" in key.detail_en
    assert key.fix_en == f"chmod 600 {path}"
    assert key.fix_th == f"chmod 600 {path}"
    assert key.detail_th.startswith("ผู้อื่นอ่านกุญแจของตู้")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_damaged_key_fails_and_says_to_restore_it(kiosk_dir: Path) -> None:
    (kiosk_dir / keys.KEY_FILE_NAME).write_text("not a key")
    if os.name == "posix":
        (kiosk_dir / keys.KEY_FILE_NAME).chmod(0o600)
    key, _kiosk_id = check_device_key(kiosk_dir)
    assert key.status is Status.FAIL
    assert "damaged" in key.detail_en
    assert "backup" in key.fix_en


def test_a_ledger_without_its_key_fails(kiosk_dir: Path) -> None:
    (kiosk_dir / keys.KEY_FILE_NAME).unlink()
    key, _kiosk_id = check_device_key(kiosk_dir)
    assert key.status is Status.FAIL
    assert "device key" in key.detail_en
    assert "missing" in key.detail_en


def test_a_ledger_not_in_wal_fails(kiosk_dir: Path) -> None:
    with sqlite3.connect(kiosk_dir / LEDGER_FILE_NAME) as conn:
        assert conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    _key, kiosk_id = check_device_key(kiosk_dir)
    ledger = check_ledger(kiosk_dir, kiosk_id)
    assert ledger.status is Status.FAIL
    assert "not in WAL mode" in ledger.detail_en
    assert "WAL" in ledger.detail_th
    assert "Start the kiosk once" in ledger.fix_en
    with sqlite3.connect(kiosk_dir / LEDGER_FILE_NAME) as conn:  # still as it was found
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_damaged_ledger_fails(kiosk_dir: Path) -> None:
    path = kiosk_dir / LEDGER_FILE_NAME
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 2 : page * 2 + 200] = b"\xff" * 200  # a page of the votes' b-tree, overwritten
    path.write_bytes(bytes(data))
    ledger = check_ledger(kiosk_dir, None)
    assert ledger.status is Status.FAIL
    assert "verify" in ledger.fix_en
    assert "central office" in ledger.fix_en


def test_a_ledger_of_another_kiosk_fails(kiosk_dir: Path, tmp_path: Path) -> None:
    other = keys.load_or_create(tmp_path / "other")
    ledger = check_ledger(kiosk_dir, other.kiosk_id)
    assert ledger.status is Status.FAIL
    assert other.kiosk_id in ledger.detail_en


def test_a_data_folder_that_is_a_file_fails(tmp_path: Path) -> None:
    blocker = tmp_path / "kiosk"
    blocker.write_text("")
    finding = check_data_folder(blocker / "data")
    assert finding.status is Status.FAIL
    assert "is a file" in finding.detail_en
    assert "--data-dir" in finding.fix_en


def test_the_json_form_has_check_status_detail_fix(kiosk_dir: Path) -> None:
    (kiosk_dir / keys.KEY_FILE_NAME).unlink()
    key, _ = check_device_key(kiosk_dir)
    assert set(key.as_json()) >= {"check", "status", "detail", "fix"}
    assert key.as_json()["status"] == "FAIL"
    assert key.as_json()["check"] == "device_key"


def test_a_build_without_the_update_key_is_a_problem_where_updates_are_managed(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "assets" / "update_root.json"
    installed = check_update_key(missing, managed=True)
    assert installed.status is Status.FAIL
    assert "refuse every update" in installed.detail_en
    assert installed.detail_th.startswith("โปรแกรมนี้ไม่มีกุญแจอัปเดตของสำนักงานกลาง")
    assert "kiosk/assets/update_root.json" in installed.fix_en
    assert "kiosk/assets/update_root.json" in installed.fix_th
    # A checkout or a copied bundle updates nothing, but the missing key is still said.
    assert check_update_key(missing, managed=False).status is Status.WARN
    missing.parent.mkdir()
    missing.write_text("")
    assert check_update_key(missing, managed=True).status is Status.FAIL


def test_a_build_with_the_office_root_is_ok(tmp_path: Path) -> None:
    office = make_office(tmp_path / "office")
    found = check_update_key(office.trusted_root, managed=True)
    assert found.status is Status.OK
    assert "carries the central office's update key" in found.detail_en


# --- the self-test's update-key check (ui/self_test.py) --------------------------------------


def test_a_built_bundle_without_the_key_fails_its_self_test(tmp_path: Path) -> None:
    """As build.sh refuses to build one: the bundle built without being asked is caught too."""
    found = check_build_update_key(tmp_path / "update_root.json", test_build=False, frozen=True)
    assert found.status is Status.FAIL
    assert "built without the central office's update key" in found.detail_en
    assert "kiosk/assets/update_root.json" in found.fix_en
    assert "bash deploy/build.sh --no-update-key" in found.fix_en
    assert "ไม่มีกุญแจอัปเดต" in found.detail_th


def test_a_test_bundle_built_without_the_key_on_purpose_warns(tmp_path: Path) -> None:
    found = check_build_update_key(tmp_path / "update_root.json", test_build=True, frozen=True)
    assert found.status is Status.WARN
    assert "--no-update-key" in found.detail_en
    assert "cannot update itself" in found.detail_en
    assert "install the central office's released bundle" in found.fix_en
    assert "อัปเดตตัวเองไม่ได้" in found.detail_th


def test_doctor_on_a_tablet_installed_from_a_test_bundle_agrees_with_its_self_test(
    tmp_path: Path,
) -> None:
    """Installed (updates managed) from a bundle marked as a test bundle: a WARN, not a FAIL,
    in the self-test's own words."""
    missing = tmp_path / "update_root.json"
    found = check_update_key(missing, managed=True, test_build=True)
    assert found == check_build_update_key(missing, test_build=True, frozen=True)
    assert found.status is Status.WARN


def test_a_checkout_without_the_key_only_warns(tmp_path: Path) -> None:
    found = check_build_update_key(tmp_path / "update_root.json", test_build=False, frozen=False)
    assert found.status is Status.WARN


def test_a_bundle_with_the_key_passes_even_if_marked(tmp_path: Path) -> None:
    office = make_office(tmp_path / "office")
    found = check_build_update_key(office.trusted_root, test_build=True, frozen=True)
    assert found.status is Status.OK
