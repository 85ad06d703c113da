"""`sangsuk-kiosk doctor`, the checks that need neither Qt nor the network: the data folder, the
free space, the device key and the ledger.

Every check returns a ``Finding``: OK, WARN (the kiosk runs, something is less than it should
be) or FAIL (the kiosk cannot run as promised), what was found and how to fix it, each in Thai
and in English, for a provincial IT officer setting up a tablet. The checks only read: nothing
in the data folder is created, changed or repaired (the data folder's own test file aside).
sync/doctor.py adds the clock against the collector, ui/doctor.py the Qt checks and the report.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Final

from kiosk.ledger import LEDGER_FILE_NAME
from wire import keys
from wire.keys import KeyFileError

MB: Final = 1024 * 1024
# Below this the ledger may soon be unable to commit a vote (the kiosk then thanks no one).
FAIL_FREE_BYTES: Final = 50 * MB
# Below this there is no room for a signed update beside the version it keeps to fall back to.
WARN_FREE_BYTES: Final = 500 * MB


class Status(StrEnum):
    """How a check went."""

    OK = "OK"
    WARN = "WARN"  # the kiosk runs, but something is less than it should be
    FAIL = "FAIL"  # the kiosk cannot run as promised until this is fixed


@dataclass(frozen=True, slots=True)
class Finding:
    """One check's result: what was found and, unless OK, how to fix it, in Thai and English."""

    check: str
    status: Status
    detail_th: str
    detail_en: str
    fix_th: str = ""
    fix_en: str = ""

    def as_json(self) -> dict[str, str]:
        """Return the finding for ``--json``: check, status, detail, fix (and the Thai words)."""
        return {
            "check": self.check,
            "status": self.status.value,
            "detail": self.detail_en,
            "fix": self.fix_en,
            "detail_th": self.detail_th,
            "fix_th": self.fix_th,
        }


def existing_parent(path: Path) -> Path:
    """Return path, or its nearest parent that exists (where a missing folder would be made)."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path(path.anchor or ".")


def check_data_folder(data_dir: Path) -> Finding:
    """Can the kiosk write in its data folder (or make it, on a new tablet)?"""
    name = "data_folder"
    fix_th = (
        f"ให้ผู้ใช้ที่เปิดตู้ประเมินเขียนโฟลเดอร์ {data_dir} ได้ (เช่น sudo chown -R ผู้ใช้ {data_dir})"
        " หากดิสก์ถูกเมานต์แบบอ่านอย่างเดียวให้เมานต์ใหม่แบบเขียนได้ หรือเลือกโฟลเดอร์อื่นด้วย --data-dir"
    )
    fix_en = (
        f"Let the user the kiosk runs as write to {data_dir} (e.g. `sudo chown -R USER {data_dir}`);"
        " remount a read-only disk read-write, or choose another folder with --data-dir."
    )
    folder = existing_parent(data_dir)
    if folder != data_dir and not folder.is_dir():
        return Finding(
            name,
            Status.FAIL,
            f"สร้างโฟลเดอร์ข้อมูลไม่ได้: {folder} เป็นไฟล์ ไม่ใช่โฟลเดอร์",
            f"The data folder cannot be made: {folder} is a file, not a folder.",
            fix_th,
            fix_en,
        )
    try:
        handle, probe = tempfile.mkstemp(prefix=".doctor-", dir=folder)
        try:
            os.write(handle, b"sangsuk doctor\n")
            os.fsync(handle)
        finally:
            os.close(handle)
            os.unlink(probe)
    except OSError as exc:
        return Finding(
            name,
            Status.FAIL,
            f"เขียนลงโฟลเดอร์ {folder} ไม่ได้ ({exc.strerror}) ตู้ประเมินจะบันทึกผลการประเมินไม่ได้",
            f"Cannot write in {folder} ({exc.strerror}): the kiosk could not keep a vote.",
            fix_th,
            fix_en,
        )
    if folder != data_dir:
        return Finding(
            name,
            Status.OK,
            f"ยังไม่มีโฟลเดอร์ {data_dir} ตู้ประเมินจะสร้างเองเมื่อเปิดครั้งแรก (เขียนใน {folder} ได้)",
            f"{data_dir} does not exist yet; the kiosk makes it when it first starts"
            f" ({folder} is writable).",
        )
    return Finding(name, Status.OK, f"เขียนใน {data_dir} ได้", f"{data_dir} is writable.")


def check_disk_space(data_dir: Path) -> Finding:
    """Is there room for votes, logs and an update on the data folder's disk?"""
    name = "disk_space"
    folder = existing_parent(data_dir)
    try:
        free = shutil.disk_usage(folder).free
    except OSError as exc:
        return Finding(
            name,
            Status.WARN,
            f"อ่านพื้นที่ว่างของ {folder} ไม่ได้ ({exc.strerror})",
            f"The free space of {folder} cannot be read ({exc.strerror}).",
        )
    shown = f"{free / MB:,.0f} MB"
    fix_th = "ลบไฟล์ที่ไม่ใช้ออกจากแท็บเล็ต (เช่น ไฟล์ดาวน์โหลดหรือรูปภาพ) อย่าลบไฟล์ในโฟลเดอร์ข้อมูลของตู้ประเมิน"
    fix_en = (
        "Delete files the tablet does not need (downloads, pictures); never those in the"
        " kiosk's data folder."
    )
    if free < FAIL_FREE_BYTES:
        return Finding(
            name,
            Status.FAIL,
            f"พื้นที่ว่างเหลือ {shown} น้อยกว่า {FAIL_FREE_BYTES // MB} MB ตู้ประเมินอาจบันทึกผลการประเมินไม่ได้",
            f"Only {shown} free, less than {FAIL_FREE_BYTES // MB} MB: the kiosk may soon be"
            " unable to keep a vote.",
            fix_th,
            fix_en,
        )
    if free < WARN_FREE_BYTES:
        return Finding(
            name,
            Status.WARN,
            f"พื้นที่ว่างเหลือ {shown} น้อยกว่า {WARN_FREE_BYTES // MB} MB ไม่พอสำหรับการอัปเดตโปรแกรม",
            f"Only {shown} free, less than {WARN_FREE_BYTES // MB} MB: not enough for an update.",
            fix_th,
            fix_en,
        )
    return Finding(name, Status.OK, f"พื้นที่ว่าง {shown}", f"{shown} free.")


def check_device_key(data_dir: Path) -> tuple[Finding, str | None]:
    """Is the device key there, owner-only and readable? Return the finding and the kiosk id.

    The key is only read (keys.load would tighten loose permissions itself; the doctor reports
    them instead, and loads the key only once they are right).
    """
    name = "device_key"
    path = data_dir / keys.KEY_FILE_NAME
    if not path.exists():
        if (data_dir / LEDGER_FILE_NAME).exists():
            return Finding(
                name,
                Status.FAIL,
                f"มีบัญชีผลการประเมินแต่ไม่มีกุญแจของตู้ ({path}) ตู้ประเมินจะไม่สร้างกุญแจใหม่แทน",
                f"The ledger is there but the device key {path} is missing; the kiosk will not"
                " make a new one in its place.",
                "นำไฟล์ device_key.pem คืนจากสำเนาสำรอง หรือขอให้ส่วนกลางลงทะเบียนตู้นี้ใหม่",
                "Restore device_key.pem from the backup, or ask the central office to enroll"
                " this kiosk again.",
            ), None
        return Finding(
            name,
            Status.OK,
            "ยังไม่มีกุญแจของตู้ ตู้ประเมินจะสร้างเองเมื่อเปิดครั้งแรก",
            "No device key yet; the kiosk makes it when it first starts.",
        ), None
    if os.name == "posix":
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            return Finding(
                name,
                Status.FAIL,
                f"ผู้อื่นอ่านกุญแจของตู้ {path} ได้ (สิทธิ์ {mode:o}) กุญแจนี้คือตัวตนของตู้ ต้องเป็นของเจ้าของเท่านั้น",
                f"Others can read the device key {path} (mode {mode:o}); it is the kiosk's"
                " identity and must be owner-only.",
                f"chmod 600 {path}",
                f"chmod 600 {path}",
            ), None
    try:
        key = keys.load(path)
    except KeyFileError as exc:
        return Finding(
            name,
            Status.FAIL,
            f"ใช้กุญแจของตู้ {path} ไม่ได้ (ไฟล์เสียหรือไม่ใช่กุญแจ)",
            str(exc),
            "นำไฟล์ device_key.pem คืนจากสำเนาสำรอง หรือขอให้ส่วนกลางลงทะเบียนตู้นี้ใหม่",
            "Restore device_key.pem from the backup, or ask the central office to enroll this"
            " kiosk again.",
        ), None
    return Finding(
        name,
        Status.OK,
        f"กุญแจของตู้ใช้ได้ เฉพาะเจ้าของ ลายนิ้วมือ {key.fingerprint}",
        f"The device key is owner-only and sound; fingerprint {key.fingerprint}.",
    ), key.kiosk_id


def _read_ledger(path: Path) -> tuple[bool, list[str], dict[str, str], int]:
    """Return whether the ledger is in WAL mode, its integrity check, meta and vote count.

    WAL mode is read from the file's header (bytes 18 and 19 are 2 in WAL mode), which is where
    SQLite keeps it. A ledger in WAL mode needs its folder writable even to be read; in a folder
    nobody can write, nobody can be writing to it either, so it is then read as immutable.
    """
    with path.open("rb") as file:
        wal = file.read(20)[18:20] == b"\x02\x02"
    uri = path.resolve().as_uri() + "?mode=ro"
    if not os.access(path.parent, os.W_OK):
        uri += "&immutable=1"
    conn = sqlite3.connect(uri, uri=True)
    try:
        integrity = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
        meta = {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM meta")}
        total = conn.execute("SELECT n FROM vote_counts WHERE key = 'total'").fetchone()
    finally:
        conn.close()
    return wal, integrity, meta, int(total[0]) if total else 0


def check_ledger(data_dir: Path, kiosk_id: str | None) -> Finding:
    """Is the ledger in WAL mode, sound by SQLite's integrity check, and this key's?"""
    name = "ledger"
    path = data_dir / LEDGER_FILE_NAME
    if not path.exists():
        return Finding(
            name,
            Status.OK,
            "ยังไม่มีบัญชีผลการประเมิน ตู้ประเมินจะสร้างเองเมื่อเปิดครั้งแรก",
            "No ledger yet; the kiosk makes it when it first starts.",
        )
    restore_th = (
        "อย่าลบหรือแก้ไฟล์นี้ ให้สำเนาโฟลเดอร์ข้อมูลทั้งโฟลเดอร์เก็บไว้ แล้วติดต่อส่วนกลาง"
        " (sangsuk-kiosk verify บอกได้ว่าเสียที่ผลการประเมินใด)"
    )
    restore_en = (
        "Do not delete or edit it: copy the whole data folder somewhere safe and call the"
        " central office (`sangsuk-kiosk verify` names the first bad vote)."
    )
    try:
        wal, integrity, meta, votes = _read_ledger(path)
    except (OSError, sqlite3.Error) as exc:
        return Finding(
            name,
            Status.FAIL,
            f"อ่านบัญชีผลการประเมิน {path} ไม่ได้ ({exc})",
            f"The ledger {path} cannot be read ({exc}).",
            restore_th,
            restore_en,
        )
    if integrity != ["ok"]:
        return Finding(
            name,
            Status.FAIL,
            f"บัญชีผลการประเมิน {path} เสียหาย (SQLite integrity_check)",
            f"The ledger {path} is damaged: " + "; ".join(integrity[:3]),
            restore_th,
            restore_en,
        )
    if not wal:
        return Finding(
            name,
            Status.FAIL,
            "บัญชีผลการประเมินไม่ได้อยู่ในโหมด WAL (ใช้ rollback journal) จึงไม่รับประกันว่าผลที่บันทึกแล้วจะไม่หาย",
            "The ledger is not in WAL mode (it uses a rollback journal), so a vote is not"
            " promised to survive a power cut.",
            "เปิดตู้ประเมินหนึ่งครั้ง (ตู้จะตั้งเป็น WAL เอง) แล้วตรวจอีกครั้ง หากยังเป็นเหมือนเดิม"
            " ดิสก์นี้ใช้ WAL ไม่ได้ ให้เก็บโฟลเดอร์ข้อมูลไว้บนดิสก์ของแท็บเล็ตเอง",
            "Start the kiosk once (it sets WAL itself) and run doctor again; if it stays so, the"
            " disk cannot do WAL: keep the data folder on the tablet's own disk.",
        )
    owner = meta.get("kiosk_id")
    if kiosk_id is not None and owner is not None and owner != kiosk_id:
        return Finding(
            name,
            Status.FAIL,
            f"บัญชีผลการประเมินเป็นของตู้อื่น ({owner}) ไม่ใช่ของกุญแจนี้ ({kiosk_id})",
            f"The ledger belongs to kiosk {owner}, not to this device key ({kiosk_id}).",
            "นำไฟล์ device_key.pem ที่คู่กับบัญชีนี้คืนจากสำเนาสำรอง",
            "Restore the device_key.pem that belongs with this ledger from the backup.",
        )
    return Finding(
        name,
        Status.OK,
        f"บัญชีผลการประเมินสมบูรณ์ (WAL, integrity_check ok) มี {votes} ผลการประเมิน",
        f"The ledger is sound (WAL, integrity_check ok); {votes} votes.",
    )


def finding_lines(finding: Finding) -> list[str]:
    """Return one check's lines for a person: its verdict, Thai then English, and its fix."""
    lines = [
        f"{finding.status.value:<5} {finding.check}",
        f"      {finding.detail_th}",
        f"      {finding.detail_en}",
    ]
    if finding.fix_th:
        lines.append(f"      วิธีแก้: {finding.fix_th}")
    if finding.fix_en:
        lines.append(f"      Fix: {finding.fix_en}")
    return lines


def check_update_key(trusted_root: Path, managed: bool, *, test_build: bool = False) -> Finding:
    """Does this build carry the central office's update key (kiosk/assets/update_root.json)?

    Without it no signed update can ever be verified: a FAIL where updates are managed (the
    tablet is installed under /opt/sangsuk), a WARN elsewhere (a checkout or a copied bundle,
    where nothing is updated, but a bundle built like this would have no key either). A test
    bundle built so on purpose (``test_build``: deploy/build.sh --no-update-key left its marker,
    kiosk/assets/no_update_key) is a WARN everywhere, as its own --self-test says.
    """
    name = "update_key"
    if trusted_root.is_file() and trusted_root.stat().st_size > 0:
        return Finding(
            name,
            Status.OK,
            f"โปรแกรมนี้มีกุญแจอัปเดตของสำนักงานกลาง ({trusted_root.name})",
            f"This build carries the central office's update key ({trusted_root.name}).",
        )
    if test_build:
        return no_update_key_finding()
    return Finding(
        name,
        Status.FAIL if managed else Status.WARN,
        f"โปรแกรมนี้ไม่มีกุญแจอัปเดตของสำนักงานกลาง ({trusted_root}) ตู้จะไม่รับอัปเดตใดเลย",
        f"This build carries no central-office update key ({trusted_root}): the kiosk will"
        " refuse every update.",
        "คัดลอก metadata/root.json ของคลังอัปเดต (sangsuk-release init) ไปที่"
        " kiosk/assets/update_root.json แล้วสร้างโปรแกรมใหม่ (bash deploy/build.sh) และติดตั้งใหม่",
        "Copy the update repository's metadata/root.json (from `sangsuk-release init`) to"
        " kiosk/assets/update_root.json, build again (`bash deploy/build.sh`) and reinstall.",
    )


def no_update_key_finding() -> Finding:
    """The update key's WARN for a test bundle (built with --no-update-key): the same words in
    the bundle's --self-test and in `sangsuk-kiosk doctor` on a tablet installed from it."""
    return Finding(
        "update_key",
        Status.WARN,
        "โปรแกรมนี้เป็นชุดทดสอบ สร้างโดยไม่มีกุญแจอัปเดต (--no-update-key) จึงอัปเดตตัวเองไม่ได้"
        " ตู้จะไม่รับอัปเดตใดเลย",
        "This is a test bundle, built without the update key on purpose (--no-update-key): it"
        " cannot update itself, and the kiosk takes no updates.",
        "อย่าใช้ชุดนี้บนแท็บเล็ตของอำเภอ ให้ติดตั้งโปรแกรมรุ่นที่สำนักงานกลางออกให้ (มีกุญแจอัปเดต) แทน:"
        " sudo sh install.sh sangsuk-kiosk-<รุ่น>.tar.gz",
        "Do not use it on a district's tablet: install the central office's released bundle"
        " (which carries the update key) instead: `sudo sh install.sh"
        " sangsuk-kiosk-<version>.tar.gz`.",
    )


def check_build_update_key(trusted_root: Path, *, test_build: bool, frozen: bool) -> Finding:
    """The self-test's update-key check: does this build carry the office's key?

    A built bundle (``frozen``) without it FAILs, as deploy/build.sh refuses to build one,
    unless it was built as a test bundle on purpose (--no-update-key, SANGSUK_NO_UPDATE_KEY=1:
    ``test_build``, from the marker the build puts beside where the key would be), which is a
    WARN; so is a checkout, where a developer need not have the office's key.
    """
    if trusted_root.is_file() and trusted_root.stat().st_size > 0:
        return check_update_key(trusted_root, managed=True)
    name = "update_key"
    if test_build:
        return no_update_key_finding()
    missing = check_update_key(trusted_root, managed=frozen)
    if not frozen:
        return missing
    return Finding(
        name,
        Status.FAIL,
        f"โปรแกรมนี้สร้างโดยไม่มีกุญแจอัปเดตของสำนักงานกลาง ({trusted_root.name}) ตู้จะไม่รับอัปเดตใดเลย",
        f"This bundle was built without the central office's update key ({trusted_root.name}):"
        " a kiosk running it would refuse every update.",
        missing.fix_th + " (ถ้าเป็นชุดทดสอบ: bash deploy/build.sh --no-update-key)",
        missing.fix_en + " (For a test bundle: `bash deploy/build.sh --no-update-key`.)",
    )
