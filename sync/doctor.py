"""`sangsuk-kiosk doctor`: the kiosk's clock against the collector's, once the kiosk is enrolled.

The wall clock is advice (promise 7), but a kiosk whose clock is off is flagged at the central
office and shows wrong times to its clerk; the IT officer setting up a tablet should see it
first. The collector's /health answer carries its time; the kiosk's time is taken half-way
through the request, so the request's own duration is at most half counted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from kiosk.config import ConfigError, KioskConfig, load_config
from kiosk.doctor import Finding, Status
from sync.uploader import SyncError, uploader_for
from wire.clock import Clock, parse_utc

# The collector flags a kiosk whose clock is further off than this (its SKEW_FLAG_SECONDS by
# default; the kiosk cannot import the collector, and the central office may set another).
CLOCK_OFF_S: Final = 300
# One quick try: the officer is waiting, and "unreachable" is an answer too.
CONNECT_TIMEOUT_S: Final = 5.0
READ_TIMEOUT_S: Final = 10.0


def check_clock(data_dir: Path, clock: Clock) -> Finding:
    """Compare this kiosk's clock with its collector's, when it is enrolled."""
    name = "clock"
    try:
        config = load_config(data_dir)
    except ConfigError as exc:
        return Finding(
            name,
            Status.FAIL,
            "อ่านการตั้งค่าของตู้ไม่ได้ จึงไม่รู้ว่าต้องเทียบเวลากับระบบกลางใด",
            f"The kiosk's settings cannot be read, so the collector to compare with is unknown: {exc}",
            "ให้เจ้าหน้าที่อำเภอตั้งค่าตู้ใหม่ที่หน้าตั้งค่า",
            "Have the district clerk set the kiosk up again in its settings.",
        )
    if not config.enrolled or config.collector_url is None:
        return Finding(
            name,
            Status.OK,
            "ยังไม่ได้เทียบเวลา: ตู้ยังไม่ได้ลงทะเบียนกับระบบกลาง (ดูข้อ enrollment)",
            "Not compared: the kiosk is not enrolled with a collector yet (see enrollment).",
        )
    return _compare(config, clock)


def _compare(config: KioskConfig, clock: Clock) -> Finding:
    """Ask the collector's /health for its time and compare it with the kiosk's."""
    name = "clock"
    try:
        with uploader_for(
            config, connect_timeout=CONNECT_TIMEOUT_S, read_timeout=READ_TIMEOUT_S, retries=0
        ) as uploader:
            before = clock.now()
            answer: dict[str, Any] = uploader.health()
            after = clock.now()
    except SyncError as exc:
        if exc.code == "wrong_collector":
            return Finding(
                name,
                Status.FAIL,
                f"ระบบกลางที่ {config.collector_url} ไม่ใช่ระบบที่ตู้นี้ลงทะเบียนไว้",
                exc.message,
                "ตรวจที่อยู่ระบบกลางในหน้าตั้งค่า หรือติดต่อส่วนกลาง",
                "Check the collector's address in the settings, or call the central office.",
            )
        return Finding(
            name,
            Status.WARN,
            f"ติดต่อระบบกลางที่ {config.collector_url} ไม่ได้ จึงยังไม่ได้เทียบเวลา",
            f"The collector at {config.collector_url} cannot be reached, so the clock was not"
            f" compared: {exc.message}",
            "ตรวจการเชื่อมต่ออินเทอร์เน็ต แล้วตรวจอีกครั้ง",
            "Check the network connection, then run doctor again.",
        )
    try:
        theirs = parse_utc(str(answer.get("server_time")))
    except ValueError:
        return Finding(
            name,
            Status.WARN,
            "ระบบกลางไม่ได้บอกเวลาของตน จึงยังไม่ได้เทียบเวลา",
            "The collector did not say its time, so the clock was not compared.",
        )
    ours = before + (after - before) / 2
    off = (ours - theirs).total_seconds()
    shown = f"{round(off):+d} s" if round(off) else "0 s"  # not "-0 s" for a hair behind
    if abs(off) > CLOCK_OFF_S:
        return Finding(
            name,
            Status.WARN,
            f"นาฬิกาของตู้คลาดจากระบบกลาง {shown} (เกิน {CLOCK_OFF_S} วินาที) ระบบกลางจะแจ้งว่าเวลาของตู้ไม่ตรง",
            f"The kiosk's clock is {shown} off the collector's (more than {CLOCK_OFF_S} s);"
            " the central office will see it flagged.",
            "ตั้งเวลาของแท็บเล็ตให้ตรง (เปิดการตั้งเวลาอัตโนมัติ เช่น timedatectl set-ntp true)",
            "Set the tablet's clock right (turn on automatic time, e.g. `timedatectl set-ntp true`).",
        )
    return Finding(
        name,
        Status.OK,
        f"นาฬิกาของตู้ตรงกับระบบกลาง (ต่างกัน {shown})",
        f"The kiosk's clock agrees with the collector's ({shown}).",
    )
