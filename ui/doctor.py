"""`sangsuk-kiosk doctor`: the one command a provincial IT officer runs on a new tablet.

It checks, in this order, and reports each as OK, WARN or FAIL with the fix in plain words, in
Thai and English: Qt's platform plugin and its system libraries (ui/preflight.py), the optional
parts (spoken guidance with a Thai voice, the clerk's chart, Thai line breaking), the bundled
font, the screen's size and density against what the kiosk supports (kiosk/setup.py), the free
disk space, whether the kiosk is enrolled (not the demo district), the clock against the
collector when enrolled (sync/doctor.py), the device key's permissions, the ledger's journal
mode and integrity, whether the data folder is writable, the update key (kiosk/doctor.py), the
installed layout under /opt/sangsuk and speech-dispatcher's configuration
(kiosk/doctor_tablet.py). `--json` prints the findings for scripts. The exit code is 0 only when
nothing FAILs. Nothing is changed or repaired; the doctor only looks.

PySide6 is imported only after the preflight said it can load: when it cannot, that is the
first finding, and the other Qt checks say they could not run.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.doctor import (
    Finding,
    Status,
    check_data_folder,
    check_device_key,
    check_disk_space,
    check_ledger,
    check_update_key,
    finding_lines,
)
from kiosk.doctor_tablet import check_enrollment, check_installation, check_voice_config
from kiosk.setup import MIN_DIAGONAL_INCHES, MIN_SCREEN_PX
from kiosk.updates import BUNDLED_ROOT, TEST_BUILD_MARKER, find_install_root
from sync.doctor import check_clock
from ui import preflight
from wire.clock import Clock, SystemClock

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

VOICE_PACKAGES = "speech-dispatcher speech-dispatcher-espeak-ng"
QT_CHECKS = ("speech", "charts", "thai_line_breaking", "font", "screen")
_NO_DISPLAY_PLATFORMS = ("offscreen", "minimal")


def run_checks(
    data_dir: Path, *, clock: Clock | None = None, environ: Mapping[str, str] | None = None
) -> list[Finding]:
    """Run every check, in the order of the report."""
    found = preflight.check(environ)
    findings = [platform_finding(found)]
    app = _application(found)
    if app is None:
        findings += [
            Finding(
                name,
                Status.WARN,
                "ยังตรวจไม่ได้ เพราะ Qt เริ่มทำงานไม่ได้ (แก้ข้อแรกก่อน)",
                "Not checked: Qt cannot start (fix the first finding first).",
            )
            for name in QT_CHECKS
        ]
    else:
        findings += [
            check_speech(),
            check_charts(),
            check_thai_line_breaking(),
            check_font(),
            check_screen(app),
        ]
    findings.append(check_disk_space(data_dir))
    findings.append(check_enrollment(data_dir))
    findings.append(check_clock(data_dir, clock or SystemClock()))
    key, kiosk_id = check_device_key(data_dir)
    findings += [key, check_ledger(data_dir, kiosk_id), check_data_folder(data_dir)]
    install_root = find_install_root()
    findings.append(
        check_update_key(
            BUNDLED_ROOT, install_root is not None, test_build=TEST_BUILD_MARKER.is_file()
        )
    )
    findings += [check_installation(install_root), check_voice_config()]
    return findings


def platform_finding(found: preflight.Preflight) -> Finding:
    """Turn the preflight's answer into a finding (the same words the kiosk prints at start)."""
    name = "qt_platform"
    if found.ok:
        where = found.usable or "?"
        return Finding(
            name,
            Status.OK,
            f"ไลบรารีของ Qt ครบ เปิดหน้าจอด้วย {where} ได้",
            f"Qt's libraries load; it opens its screen with {where}.",
        )
    lines = [line.strip() for line in preflight.explain(found) if line.strip()]
    if found.usable is not None:  # the libraries are there; this session has no screen
        return Finding(
            name,
            Status.WARN,
            f"ไลบรารีของ Qt ครบ ({found.usable}) แต่ในเซสชันนี้ไม่มีจอภาพ",
            f"Qt's libraries load ({found.usable}), but this session has no display.",
            "เรียก doctor จากหน้าจอของแท็บเล็ตเองเพื่อตรวจหน้าจอด้วย",
            "Run doctor from the tablet's own screen to check the screen too.",
        )
    command = next((line for line in lines if "apt-get install" in line or "winget" in line), "")
    advice = lines[2:]
    return Finding(
        name,
        Status.FAIL,
        lines[0],
        lines[1],
        command or " ".join(line for line in advice if _is_thai(line)),
        command or " ".join(line for line in advice if not _is_thai(line)),
    )


def _is_thai(text: str) -> bool:
    """Tell whether a line is in Thai (it has Thai letters)."""
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text)


def _application(found: preflight.Preflight) -> QApplication | None:
    """Return the running QApplication, or start one (offscreen when there is no screen)."""
    if found.core_missing:
        return None
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    existing = QCoreApplication.instance()
    if existing is not None:
        return existing if isinstance(existing, QApplication) else None
    if not found.ok:
        if not preflight.check({"QT_QPA_PLATFORM": "offscreen"}).ok:
            return None
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # this process only: no screen to open
    return QApplication(sys.argv[:1])


def check_speech() -> Finding:
    """Can the kiosk read its screens aloud, in Thai?"""
    from kiosk.speech import pick_locale
    from ui.speech import SPEECH_MODULE, system_engine

    name = "speech"
    if preflight.optional_module(SPEECH_MODULE, "spoken guidance") is None:
        reason = preflight.unavailable_modules().get(SPEECH_MODULE, "")
        packages, _bundled, _unknown = preflight.packages_for(preflight.parse_ldd(reason))
        fix = preflight.apt_line(packages) if packages else preflight.REINSTALL
        return Finding(
            name,
            Status.WARN,
            f"ไม่มีเสียงอ่าน: โหลด Qt TextToSpeech ไม่ได้ ({reason})",
            f"No voice: Qt TextToSpeech cannot be loaded ({reason}).",
            fix,
            fix,
        )
    engine = system_engine()
    if engine is None:
        return Finding(
            name,
            Status.WARN,
            "ไม่มีเสียงอ่าน: เครื่องนี้ไม่มีโปรแกรมอ่านออกเสียง ปุ่มลำโพงจะแสดงว่า ไม่มีเสียงอ่าน",
            'No voice: this system has no speech engine; the speaker button says "No voice".',
            f"sudo apt-get install {VOICE_PACKAGES}",
            f"sudo apt-get install {VOICE_PACKAGES}",
        )
    try:
        locales = [locale.name() for locale in engine.availableLocales()]
        engine_name = engine.engine()
    finally:
        engine.deleteLater()
    thai = pick_locale("th", locales)
    if thai is None:
        return Finding(
            name,
            Status.WARN,
            f"โปรแกรมอ่านออกเสียง {engine_name} ไม่มีเสียงภาษาไทย (มี {', '.join(locales) or '-'})",
            f"The speech engine {engine_name} has no Thai voice (it has {', '.join(locales) or 'none'}).",
            f"sudo apt-get install {VOICE_PACKAGES}",
            f"sudo apt-get install {VOICE_PACKAGES}",
        )
    return Finding(
        name,
        Status.OK,
        f"อ่านออกเสียงภาษาไทยได้ ({engine_name}, {thai})",
        f"Spoken guidance has a Thai voice ({engine_name}, {thai}).",
    )


def check_charts() -> Finding:
    """Can the clerk's overview draw its rating chart?"""
    module = "PySide6.QtCharts"
    if preflight.optional_module(module, "the clerk's rating chart") is not None:
        return Finding(
            "charts", Status.OK, "แสดงกราฟในหน้าภาพรวมได้", "The overview can draw its chart."
        )
    reason = preflight.unavailable_modules().get(module, "")
    packages, _bundled, _unknown = preflight.packages_for(preflight.parse_ldd(reason))
    fix = preflight.apt_line(packages) if packages else preflight.REINSTALL
    return Finding(
        "charts",
        Status.WARN,
        f"โหลด QtCharts ไม่ได้ หน้าภาพรวมจะแสดงคะแนนเป็นรายการแทนกราฟ ({reason})",
        f"QtCharts cannot be loaded; the overview lists the ratings instead of a chart ({reason}).",
        fix,
        fix,
    )


def check_thai_line_breaking() -> Finding:
    """Can Qt break Thai lines between words (it asks libthai, loaded by name)?"""
    name = "thai_line_breaking"
    if not sys.platform.startswith("linux"):
        return Finding(name, Status.OK, "ไม่ต้องใช้ในระบบนี้", "Not needed on this system.")
    missing = [so for so in preflight.LOADED_BY_NAME if preflight.dlopen_missing(Path(so))]
    if not missing:
        return Finding(
            name,
            Status.OK,
            "ตัดบรรทัดภาษาไทยระหว่างคำได้ (libthai)",
            "Thai lines break between words (libthai).",
        )
    packages, _bundled, _unknown = preflight.packages_for(missing)
    fix = preflight.apt_line(packages)
    return Finding(
        name,
        Status.WARN,
        "ไม่มี libthai ข้อความภาษาไทยยาว ๆ จะตัดบรรทัดกลางคำ",
        "libthai is missing: long Thai text breaks lines in the middle of words.",
        fix,
        fix,
    )


def check_font() -> Finding:
    """Does the bundled Sarabun font load and draw Thai?"""
    from ui.fonts import FONT_FAMILY, FONTS_DIR, FontError, load_fonts

    try:
        load_fonts()
    except FontError as exc:
        return Finding(
            "font",
            Status.FAIL,
            f"โหลดแบบอักษร {FONT_FAMILY} ไม่ได้ ภาษาไทยจะแสดงเป็นกล่องว่าง",
            f"The {FONT_FAMILY} font cannot be loaded, so Thai would show as empty boxes: {exc}",
            f"ติดตั้งตู้ประเมินใหม่ให้มีไฟล์ใน {FONTS_DIR}",
            f"Reinstall the kiosk so that {FONTS_DIR} holds its fonts.",
        )
    return Finding(
        "font",
        Status.OK,
        f"แบบอักษร {FONT_FAMILY} โหลดได้และแสดงภาษาไทยได้",
        f"The bundled {FONT_FAMILY} font loads and draws Thai.",
    )


def check_screen(app: QApplication) -> Finding:
    """Is the screen at least the size the kiosk's layouts are made for, with a believable density?"""
    from ui.clerk.setup import screen_check
    from ui.widgets.sizes import FALLBACK_DPI, PLAUSIBLE_DPI, TOUCH_MIN_MM

    name = "screen"
    screen = app.primaryScreen()
    if screen is None or app.platformName() in _NO_DISPLAY_PLATFORMS:
        return Finding(
            name,
            Status.WARN,
            "ไม่มีจอภาพในเซสชันนี้ จึงยังไม่ได้วัดหน้าจอ",
            "No display in this session, so the screen was not measured.",
            "เรียก doctor จากหน้าจอของแท็บเล็ตเอง",
            "Run doctor from the tablet's own screen.",
        )
    check = screen_check(screen)
    minimum = f"{MIN_SCREEN_PX[0]} × {MIN_SCREEN_PX[1]}"
    size = f"{check.width_px} × {check.height_px}"
    diagonal = check.diagonal_inches
    if not check.large_enough:
        inches = f", {diagonal:.1f} นิ้ว" if diagonal is not None else ""
        inches_en = f", {diagonal:.1f} in" if diagonal is not None else ""
        return Finding(
            name,
            Status.WARN,
            f"หน้าจอ {size} พิกเซล{inches} เล็กกว่าที่รองรับ ({minimum} พิกเซล, {MIN_DIAGONAL_INCHES} นิ้ว)"
            " หน้ายิ้ม ปุ่ม และแป้นพิมพ์จะแน่นเกินไป",
            f"The screen is {size} px{inches_en}, smaller than supported ({minimum} px,"
            f" {MIN_DIAGONAL_INCHES} in): the faces, cards and keyboard will be cramped.",
            "ใช้แท็บเล็ตขนาด 10 นิ้วขึ้นไป",
            "Use a 10-inch tablet or larger.",
        )
    if diagonal is None or not PLAUSIBLE_DPI[0] <= screen.physicalDotsPerInch() <= PLAUSIBLE_DPI[1]:
        return Finding(
            name,
            Status.WARN,
            f"หน้าจอ {size} พิกเซล แต่ไม่บอกขนาดจริง ปุ่มจึงคำนวณที่ {FALLBACK_DPI:g} dpi",
            f"The screen is {size} px but does not report its real size, so touch targets are"
            f" sized for {FALLBACK_DPI:g} dpi.",
            f"วัดปุ่มบนหน้าจอด้วยไม้บรรทัด ต้องกว้างอย่างน้อย {TOUCH_MIN_MM:g} มม.",
            f"Measure a button on the screen with a ruler: it must be at least {TOUCH_MIN_MM:g} mm.",
        )
    dpi = screen.physicalDotsPerInch()
    return Finding(
        name,
        Status.OK,
        f"หน้าจอ {size} พิกเซล {diagonal:.1f} นิ้ว {dpi:.0f} dpi (อย่างน้อย {minimum} พิกเซล, {MIN_DIAGONAL_INCHES} นิ้ว)",
        f"The screen is {size} px, {diagonal:.1f} in, {dpi:.0f} dpi (at least {minimum} px,"
        f" {MIN_DIAGONAL_INCHES} in).",
    )


# --- the report -----------------------------------------------------------------------------------


def report_lines(findings: list[Finding], data_dir: Path) -> list[str]:
    """Return the report for a person: each check, Thai then English, its fix, a summary."""
    lines = [
        f"sangsuk-kiosk doctor — ตรวจความพร้อมของตู้ประเมิน / checking this kiosk ({data_dir})",
        "",
    ]
    for finding in findings:
        lines += finding_lines(finding)
    counts = {status: sum(f.status is status for f in findings) for status in Status}
    warned = counts[Status.WARN]
    if counts[Status.FAIL]:
        verdict = (" — ยังไม่พร้อม ให้แก้ข้อที่ไม่ผ่าน (FAIL) ก่อน", " — not ready: fix what FAILs first.")
    elif warned:  # e.g. no screen in an SSH session: it runs, but what was not checked matters
        verdict = (
            f" — ใช้งานได้ แต่ให้อ่านคำเตือน (WARN) {warned} ข้อข้างบนก่อน",
            f" — it can run, but read the {warned} WARN above first.",
        )
    else:
        verdict = (" — พร้อมใช้งาน", " — ready.")
    lines += [
        "",
        f"สรุป: ผ่าน {counts[Status.OK]} เตือน {warned} ไม่ผ่าน {counts[Status.FAIL]}" + verdict[0],
        f"Summary: {counts[Status.OK]} OK, {warned} WARN, {counts[Status.FAIL]} FAIL" + verdict[1],
    ]
    return lines


def run_doctor(
    data_dir: Path,
    *,
    as_json: bool = False,
    clock: Clock | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Run the checks, print the report (or JSON) on stdout; return 0 unless something FAILs."""
    findings = run_checks(data_dir, clock=clock, environ=environ)
    if as_json:
        print(json.dumps([f.as_json() for f in findings], ensure_ascii=False, indent=2))
    else:
        print("\n".join(report_lines(findings, data_dir)))
    return 1 if any(f.status is Status.FAIL for f in findings) else 0
