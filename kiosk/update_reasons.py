"""Why an update was refused, in words the clerk reads: Thai first, English second.

Every refusal leaves the running version as it was (``current`` untouched) and says so; each
kind below is one thing that can go wrong between the central office and the kiosk
(docs/deploy.md, "Updates", lists what the clerk does about each).
"""

from __future__ import annotations

import errno
import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Final

KEEPS_TH: Final = "รุ่นที่ใช้อยู่ทำงานต่อตามปกติ"
KEEPS_EN: Final = "The running version carries on as before."
log = logging.getLogger(__name__)


class Refusal(StrEnum):
    """The kinds of refusal (stored in the state file, so the values never change)."""

    NOT_MANAGED = "not_managed"
    NOT_CONFIGURED = "not_configured"
    UNREACHABLE = "unreachable"
    NO_REPOSITORY = "no_repository"
    TAMPERED = "tampered"
    EXPIRED = "expired"
    ROLLBACK = "rollback"
    OTHER_KEY = "other_key"
    INVALID = "invalid"
    NO_SPACE = "no_space"
    SELF_TEST_FAILED = "self_test_failed"
    FELL_BACK = "fell_back"
    NOTHING_PENDING = "nothing_pending"
    DISK = "disk"


@dataclass(frozen=True, slots=True)
class Reason:
    """One refusal: its kind and the sentences the clerk sees."""

    kind: Refusal
    th: str
    en: str


class UpdateError(Exception):
    """An update step refused; ``reason`` says why. Nothing installed has changed."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.en)
        self.reason = reason


def _reason(kind: Refusal, th: str, en: str) -> Reason:
    return Reason(kind, f"{th} {KEEPS_TH}", f"{en} {KEEPS_EN}")


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def not_managed() -> Reason:
    """The kiosk does not run from /opt/sangsuk/versions/<v>/ (a checkout, a copied bundle)."""
    return _reason(
        Refusal.NOT_MANAGED,
        "ตู้นี้ไม่ได้ติดตั้งแบบรับอัปเดต (ไม่ได้อยู่ใน /opt/sangsuk): ไม่ตรวจหรือติดตั้งอัปเดตที่นี่",
        "Updates are not managed here (the kiosk is not installed under /opt/sangsuk): "
        "nothing is checked or installed.",
    )


def not_configured() -> Reason:
    """This build carries no trusted root, so no update can be verified."""
    return _reason(
        Refusal.NOT_CONFIGURED,
        "โปรแกรมรุ่นนี้ไม่มีกุญแจสาธารณะของสำนักงานกลางสำหรับตรวจอัปเดต: ติดตั้งรุ่นที่มีกุญแจด้วยมือ",
        "This build carries no central-office key to verify updates with: install a build "
        "that has one by hand.",
    )


class Network(StrEnum):
    """Why a source could not be read, in the words a clerk can act on (the raw error is logged)."""

    REFUSED = "refused"
    TIMEOUT = "timeout"
    NAME = "name"
    TLS = "tls"
    HTTP = "http"
    STICK = "stick"
    OTHER = "other"


_NETWORK_WORDS: Final[dict[Network, tuple[str, str]]] = {
    Network.REFUSED: (
        "เครื่องปลายทางไม่รับการเชื่อมต่อ (เครื่องรับผลอาจปิดอยู่ หรือที่อยู่หรือพอร์ตผิด)",
        "the connection was refused (the collector may be off, or the address or port is wrong)",
    ),
    Network.TIMEOUT: (
        "ไม่มีคำตอบภายในเวลาที่กำหนด (เครือข่ายช้าหรือขาด)",
        "no answer in time (the network is slow or down)",
    ),
    Network.NAME: (
        "ไม่พบชื่อเครื่องนี้ (ตรวจที่อยู่เครื่องรับผลในการตั้งค่า หรือ DNS ของเครือข่าย)",
        "the server's name was not found (check the collector's address in the settings, or "
        "the network's DNS)",
    ),
    Network.TLS: (
        "ใบรับรองความปลอดภัยของเครื่องรับผลตรวจไม่ผ่าน (ตรวจไฟล์ใบรับรองที่ตั้งไว้ในตู้ และวันเวลาของตู้)",
        "the collector's security certificate could not be verified (check the certificate "
        "file set for this kiosk, and its clock)",
    ),
    Network.HTTP: (
        "เครื่องรับผลตอบกลับด้วยข้อผิดพลาด",
        "the server answered with an error",
    ),
    Network.STICK: (
        "อ่านไฟล์บนแฟลชไดรฟ์ไม่ได้ (ถอดแล้วเสียบใหม่ หรือใช้แฟลชไดรฟ์อื่น)",
        "the files on the stick cannot be read (unplug it and plug it in again, or use another)",
    ),
    Network.OTHER: (
        "เชื่อมต่อไม่ได้ (ตรวจสายแลนหรือ Wi-Fi)",
        "no connection (check the cable or the Wi-Fi)",
    ),
}


def unreachable(source: str, why: Network, status: int | None = None) -> Reason:
    """The collector or the stick could not be read; why, in words (the raw error is logged)."""
    th, en = _NETWORK_WORDS[why]
    if status is not None:
        th, en = f"{th} HTTP {status}", f"{en} (HTTP {status})"
    return _reason(
        Refusal.UNREACHABLE,
        f"อ่านแหล่งอัปเดต {source} ไม่ได้: {th}: แก้แล้วลองใหม่",
        f"Cannot read the update source {source}: {en}; try again once that is fixed.",
    )


def no_repository(source: str) -> Reason:
    """The source answers, but holds no update repository."""
    return _reason(
        Refusal.NO_REPOSITORY,
        f"ไม่มีอัปเดตที่ {source}: เครื่องรับผลไม่ได้เปิดให้อัปเดต หรือแฟลชไดรฟ์ไม่มีโฟลเดอร์ sangsuk-updates",
        f"There are no updates at {source}: the collector does not serve them, or the stick "
        "has no sangsuk-updates folder.",
    )


def tampered(name: str) -> Reason:
    """A downloaded file differs from what the central office signed."""
    return _reason(
        Refusal.TAMPERED,
        f"ไฟล์อัปเดต {name} ไม่ตรงกับที่สำนักงานกลางลงนามไว้ (ถูกแก้ไขหรือเสียหาย): ไม่ติดตั้ง"
        " นำแฟลชไดรฟ์ใหม่มา หรือตรวจอีกครั้ง",
        f"The update file {name} does not match what the central office signed (altered or "
        "damaged): not installed; bring a new stick, or check again.",
    )


def expired(role: str, when: datetime | None) -> Reason:
    """The signed metadata is past its expiry (the running version is never stopped by it)."""
    if when is None:
        th_when, en_when, th_do, en_do = "", "", "ที่ทำใหม่", "made recently"
    else:
        th_when, en_when = f" เมื่อ {_day(when)}", f" on {_day(when)}"
        th_do, en_do = f"ที่ทำหลัง {_day(when)}", f"made after {_day(when)}"
    return _reason(
        Refusal.EXPIRED,
        f"ลายเซ็นอัปเดต ({role}) หมดอายุแล้ว{th_when}: นำแฟลชไดรฟ์อัปเดต{th_do} มา "
        "หรือขอให้สำนักงานกลางลงนามใหม่ (sangsuk-release refresh)",
        f"The update signatures ({role}) expired{en_when}: bring an update stick {en_do}, "
        "or ask the central office to re-sign them (sangsuk-release refresh).",
    )


def rollback_version(offered: str, running: str) -> Reason:
    """The newest release offered is older than the running one."""
    return _reason(
        Refusal.ROLLBACK,
        f"รุ่นที่เสนอ ({offered}) เก่ากว่ารุ่นที่ใช้อยู่ ({running}): ตู้ไม่ย้อนกลับไปรุ่นเก่า",
        f"The release offered ({offered}) is older than the running version ({running}): "
        "the kiosk never goes back.",
    )


def rollback_metadata() -> Reason:
    """The signed metadata is older than what the kiosk has already seen (a replay; TUF's own
    words, such as the version numbers, are logged by the caller)."""
    return _reason(
        Refusal.ROLLBACK,
        "ข้อมูลอัปเดตที่ได้รับเก่ากว่าที่ตู้เคยเห็นแล้ว (สำเนาเก่าหรือถูกนำมาเล่นซ้ำ): ไม่รับ นำแฟลชไดรฟ์ที่ทำใหม่มา",
        "The update metadata is older than what this kiosk has already seen (an old or "
        "replayed copy): refused; bring a newly made stick.",
    )


def other_key() -> Reason:
    """No key the kiosk trusts signed the metadata: another office's (or a test) repository."""
    return _reason(
        Refusal.OTHER_KEY,
        "อัปเดตนี้ไม่ได้ลงนามด้วยกุญแจของสำนักงานกลางที่ตู้เชื่อถือ (อาจเป็นของสำนักงานอื่น): ไม่ติดตั้ง แจ้งสำนักงานกลาง",
        "This update is not signed with the central office's key this kiosk trusts (it may be "
        "another office's): not installed; tell the central office.",
    )


class Invalid(StrEnum):
    """What about the update could not be used (the library's own words go to the log only)."""

    LENGTH = "length"  # a file is not the size the signed metadata says
    METADATA = "metadata"  # the signed metadata cannot be read or does not fit together
    UNLISTED = "unlisted"  # a release file is not in the signed list of targets
    ARCHIVE = "archive"  # a verified archive does not unpack


_INVALID_WORDS: Final[dict[Invalid, tuple[str, str]]] = {
    Invalid.LENGTH: (
        "ขนาดไฟล์ไม่ตรงกับที่สำนักงานกลางลงนามไว้",
        "a file is not the size the central office signed",
    ),
    Invalid.METADATA: (
        "อ่านข้อมูลอัปเดตที่ลงนามไว้ไม่ได้ หรือข้อมูลไม่สอดคล้องกัน",
        "the signed update metadata cannot be read or does not fit together",
    ),
    Invalid.UNLISTED: (
        "ไฟล์ของรุ่นใหม่ไม่อยู่ในรายการที่สำนักงานกลางลงนามไว้",
        "a file of the new release is not in the list the central office signed",
    ),
    Invalid.ARCHIVE: (
        "แตกไฟล์โปรแกรมรุ่นใหม่ไม่ได้ แม้ไฟล์จะตรงกับที่ลงนามไว้",
        "the new release's archive does not unpack, though it matches what was signed",
    ),
}


def invalid(what: Invalid, detail: str) -> Reason:
    """The update cannot be used; what about it, in words. The library's own (English) detail
    is logged for the officer, never put into the clerk's sentences."""
    log.warning("update not usable (%s): %s", what, detail)
    th, en = _INVALID_WORDS[what]
    return _reason(
        Refusal.INVALID,
        f"ใช้อัปเดตนี้ไม่ได้: {th}: ไม่ติดตั้ง แจ้งสำนักงานกลาง",
        f"The update is not usable: {en}: not installed; tell the central office.",
    )


def no_space(need: int, free: int) -> Reason:
    """Not enough room under /opt/sangsuk for the download and the unpacked version."""
    return _reason(
        Refusal.NO_SPACE,
        f"พื้นที่ไม่พอ: ต้องการ {need / 1e6:.0f} MB มีว่าง {free / 1e6:.0f} MB: ไม่ดาวน์โหลด",
        f"Not enough space: {need / 1e6:.0f} MB needed, {free / 1e6:.0f} MB free: nothing "
        "downloaded.",
    )


def self_test_failed(version: str, output: str, retry_at: datetime | None) -> Reason:
    """The new version's own self-test failed; it was removed. ``retry_at``: when it is tried
    once more (a first failure may have been passing, e.g. a full disk), None after the second.

    The self-test says each line in Thai, then in English: each sentence quotes its own
    language's last line (the last three lines as they are, when it cannot tell them apart).
    """
    th_tail, tail = _self_test_tail(output)
    if retry_at is None:
        return _reason(
            Refusal.SELF_TEST_FAILED,
            f"รุ่น {version} ตรวจตัวเองไม่ผ่านเป็นครั้งที่สอง: ไม่ติดตั้งและลบออกแล้ว ({th_tail})"
            " จะไม่ดาวน์โหลดรุ่นนี้อีก รอรุ่นใหม่กว่า",
            f"Version {version} failed its self-test a second time: not installed, and removed"
            f" ({tail}); it is not downloaded again: wait for a newer release.",
        )
    return _reason(
        Refusal.SELF_TEST_FAILED,
        f"รุ่น {version} ตรวจตัวเองไม่ผ่าน: ไม่ติดตั้งและลบออกแล้ว ({th_tail}) จะลองอีกครั้งเดียวหลัง"
        f" {_day(retry_at)} (เผื่อเป็นปัญหาชั่วคราว เช่น ดิสก์เต็ม) หากไม่ผ่านอีกจะไม่ดาวน์โหลดรุ่นนี้อีก",
        f"Version {version} failed its self-test: not installed, and removed ({tail}); it is"
        f" tried once more after {_day(retry_at)} (in case the cause was passing, such as a full"
        " disk); if it fails again it is not downloaded again.",
    )


def _self_test_tail(output: str) -> tuple[str, str]:
    """The self-test's last Thai line and last English line; its last lines, if not both."""
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    thai = [line for line in lines if _has_thai(line)]
    english = [line for line in lines if not _has_thai(line)]
    if thai and english:
        return thai[-1], english[-1]
    tail = " / ".join(lines[-3:])
    return tail, tail


def _has_thai(text: str) -> bool:
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text)


def self_test_failed_before(version: str, retry_at: datetime | None) -> Reason:
    """The newest release is one whose self-test failed here: not downloaded before
    ``retry_at`` (its one more try), or ever again (None: it failed twice)."""
    if retry_at is None:
        return _reason(
            Refusal.SELF_TEST_FAILED,
            f"รุ่น {version} ตรวจตัวเองไม่ผ่านบนตู้นี้มาแล้วสองครั้ง: ไม่ดาวน์โหลดอีก รอรุ่นใหม่กว่า",
            f"Version {version} failed its self-test on this kiosk twice: it is not downloaded"
            " again; wait for a newer release.",
        )
    return _reason(
        Refusal.SELF_TEST_FAILED,
        f"รุ่น {version} เคยตรวจตัวเองไม่ผ่านบนตู้นี้: จะลองอีกครั้งหลัง {_day(retry_at)}",
        f"Version {version} failed its self-test on this kiosk: it is tried once more after"
        f" {_day(retry_at)}.",
    )


def fell_back(version: str, back_to: str) -> Reason:
    """A version applied earlier did not reach its welcome screen; the session went back."""
    return _reason(
        Refusal.FELL_BACK,
        f"รุ่น {version} เปิดไม่สำเร็จ ตู้จึงกลับมาใช้รุ่น {back_to}: จะไม่ลองรุ่นนี้อีก รอรุ่นใหม่กว่า",
        f"Version {version} did not start, so the kiosk went back to {back_to}: it is not "
        "tried again; wait for a newer release.",
    )


def nothing_pending() -> Reason:
    """apply_pending was called with no staged version."""
    return _reason(
        Refusal.NOTHING_PENDING,
        "ไม่มีรุ่นใหม่ที่เตรียมไว้ให้ติดตั้ง",
        "There is no new version staged to apply.",
    )


class Disk(StrEnum):
    """What the tablet's disk said when an update's files could not be written (by errno)."""

    FULL = "full"
    READ_ONLY = "read_only"
    DENIED = "denied"
    FAULT = "fault"
    OTHER = "other"


_DISK_ERRNOS: Final[dict[int, Disk]] = {
    errno.ENOSPC: Disk.FULL,
    errno.EDQUOT: Disk.FULL,
    errno.EROFS: Disk.READ_ONLY,
    errno.EACCES: Disk.DENIED,
    errno.EPERM: Disk.DENIED,
    errno.EIO: Disk.FAULT,
}

_DISK_WORDS: Final[dict[Disk, tuple[str, str]]] = {
    Disk.FULL: (
        "ดิสก์ของแท็บเล็ตเต็ม",
        "the tablet's disk is full",
    ),
    Disk.READ_ONLY: (
        "ดิสก์ของแท็บเล็ตเขียนไม่ได้ (ระบบตั้งเป็นอ่านอย่างเดียว มักเพราะดิสก์มีปัญหา)",
        "the tablet's disk cannot be written (the system made it read-only, often after a "
        "disk fault)",
    ),
    Disk.DENIED: (
        "โปรแกรมไม่มีสิทธิ์เขียนที่นั่น (เจ้าของหรือสิทธิ์ของโฟลเดอร์ถูกเปลี่ยน)",
        "the kiosk is not allowed to write there (the folder's owner or permissions were changed)",
    ),
    Disk.FAULT: (
        "ดิสก์ของแท็บเล็ตอ่านหรือเขียนผิดพลาด (ดิสก์อาจเสีย)",
        "the tablet's disk failed to read or write (it may be failing)",
    ),
    Disk.OTHER: (
        "ระบบไม่ยอมให้เขียนไฟล์",
        "the system refused to write the files",
    ),
}


def disk_problem(exc: OSError) -> Disk:
    """The kind of disk problem an OSError is, by its errno (OTHER when it is none we word)."""
    return _DISK_ERRNOS.get(exc.errno or 0, Disk.OTHER)


def disk(exc: OSError, where: Path) -> Reason:
    """Writing under /opt/sangsuk failed: what the disk said, in words, and where (the file
    the system named, else ``where``). The system's own (English) error is logged, never put
    into the clerk's sentences."""
    log.warning("update files not written: %s", exc)
    th, en = _DISK_WORDS[disk_problem(exc)]
    path = exc.filename if isinstance(exc.filename, str) and exc.filename else str(where)
    return _reason(
        Refusal.DISK,
        f"เขียนไฟล์อัปเดตไม่ได้: {th} ที่ {path}: ไม่ติดตั้ง แจ้งเจ้าหน้าที่ไอทีของจังหวัด",
        f"Cannot write the update's files: {en}, at {path}: not installed; tell the "
        "provincial IT officer.",
    )
