"""`sangsuk-kiosk --self-test`: is this installation of the kiosk whole? For a build and its installer.

It needs no screen and touches no kiosk's data: Qt starts offscreen (the option sets
``QT_QPA_PLATFORM`` itself, before Qt starts), the bundled Sarabun loads and draws Thai, the
stylesheets read, the Thai translations are prepared into a temporary folder and come back
translated, the welcome screen renders in Thai and in English, the optional voice and chart
are there, one vote is cast into a ledger in a temporary folder, signed with a key made
there, and checked by the code `sangsuk-kiosk verify` runs, and the build carries the central
office's update key (a bundle without it FAILs unless it was built as a test bundle with
--no-update-key; a checkout only warns). Each check prints a line in Thai and
one in English; the exit code is 1 when any check failed, naming what is missing, else 0 (an
optional part kept from loading by a library the system lacks is a warning).

It is what a one-folder build is tested with (tests/ui/test_bundle.py) and what an IT officer
runs after copying the kiosk onto a tablet (docs/deploy.md); `sangsuk-kiosk doctor` then checks
the tablet itself.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from kiosk.doctor import Finding, Status, check_build_update_key, finding_lines
from ui import preflight

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from ui.i18n import LanguageSwitcher

PLATFORM: Final = "offscreen"
SCREEN_SIZE: Final = (1280, 800)
REINSTALL_TH: Final = "ติดตั้งโปรแกรมตู้ประเมินใหม่ให้ครบทุกไฟล์ (docs/deploy.md)"
LANGUAGE_TH: Final = {"th": "ภาษาไทย", "en": "ภาษาอังกฤษ"}
REINSTALL_EN: Final = "Reinstall the kiosk so that all its files are there (docs/deploy.md)."


class CheckError(RuntimeError):
    """A check's failure, said in Thai and in English (the exception's message)."""

    def __init__(self, thai: str, english: str) -> None:
        super().__init__(english)
        self.thai = thai


@dataclass
class _Run:
    """What the checks share: the application, the language switcher, the temporary folder."""

    work: Path
    app: QApplication | None = None
    switcher: LanguageSwitcher | None = None


def run_self_test() -> int:
    """Run every check, print the report on stdout; return 0 when all passed, else 1."""
    os.environ["QT_QPA_PLATFORM"] = PLATFORM  # before Qt starts: no screen is needed
    with tempfile.TemporaryDirectory(prefix="sangsuk-self-test-") as work:
        findings = run_checks(Path(work))
    print("\n".join(report_lines(findings)), flush=True)
    return 1 if any(f.status is Status.FAIL for f in findings) else 0


def run_checks(work: Path) -> list[Finding]:
    """Run the checks in order, in the folder work; one whose needs failed says it was not run."""
    run = _Run(work)
    # Each check, and the checks before it that it needs to have passed.
    checks: list[tuple[str, Callable[[_Run], Finding], tuple[str, ...]]] = [
        ("qt", _check_qt, ()),
        ("fonts", _check_fonts, ("qt",)),
        ("styles", _check_styles, ()),
        ("translations", _check_translations, ("qt",)),
        ("welcome", _check_welcome, ("fonts", "styles", "translations")),
        ("optional", _check_optional, ("qt",)),
        ("ledger", _check_ledger, ()),
        ("update_key", _check_update_key, ()),
    ]
    findings: list[Finding] = []
    passed: set[str] = set()
    try:
        for name, check, needs in checks:
            failed = [need for need in needs if need not in passed]
            finding = _not_checked(name, failed) if failed else _guarded(name, check, run)
            findings.append(finding)
            if finding.status is not Status.FAIL:
                passed.add(name)
    finally:
        if run.switcher is not None:
            run.switcher.uninstall()
    return findings


def _not_checked(name: str, failed: list[str]) -> Finding:
    """The finding of a check that was not run because checks it needs failed."""
    which = ", ".join(failed)
    return Finding(
        name,
        Status.FAIL,
        f"ยังตรวจไม่ได้ เพราะข้อ {which} ไม่ผ่าน (แก้ข้อนั้นก่อน)",
        f"Not checked: {which} failed (fix that first).",
    )


def _guarded(name: str, check: Callable[[_Run], Finding], run: _Run) -> Finding:
    """Run one check; whatever it raises becomes its FAIL, saying what went wrong.

    A check's own CheckError says it in Thai and English; any other error is a library's, and
    its English message is given as it is, named as an error, on the Thai line too.
    """
    try:
        return check(run)
    except CheckError as exc:
        return Finding(
            name, Status.FAIL, f"ไม่ผ่าน: {exc.thai}", f"Failed: {exc}", REINSTALL_TH, REINSTALL_EN
        )
    except Exception as exc:  # a self-test reports every failure instead of stopping at one
        return Finding(
            name,
            Status.FAIL,
            f"ไม่ผ่าน: เกิดข้อผิดพลาด {type(exc).__name__}: {exc}",
            f"Failed: {type(exc).__name__}: {exc}",
            REINSTALL_TH,
            REINSTALL_EN,
        )


def _check_qt(run: _Run) -> Finding:
    """Can Qt load its libraries and start without a screen?"""
    found = preflight.check()
    if not found.ok:
        lines = [line.strip() for line in preflight.explain(found) if line.strip()]
        return Finding(
            "qt",
            Status.FAIL,
            "Qt เริ่มทำงานไม่ได้ เพราะขาดไลบรารีของระบบ",
            "Qt cannot start: system libraries are missing.",
            " ".join(line for line in lines if _is_thai(line)),
            " ".join(line for line in lines if not _is_thai(line)),
        )
    from PySide6.QtWidgets import QApplication

    # A bare application first: the font and style checks then make it the kiosk's, each apart.
    existing = QApplication.instance()
    run.app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    platform = run.app.platformName()
    if platform != PLATFORM:
        raise CheckError(
            f"Qt เริ่มทำงานบนแพลตฟอร์ม {platform!r} แทนที่จะเป็น {PLATFORM!r}",
            f"Qt started on the {platform!r} platform, not {PLATFORM!r}",
        )
    return Finding(
        "qt",
        Status.OK,
        "Qt เริ่มทำงานได้ (แบบไม่ใช้จอภาพ)",
        f"Qt starts ({PLATFORM}: no screen needed).",
    )


def _check_fonts(run: _Run) -> Finding:
    """Does the bundled Sarabun load, become the application's font and draw Thai?"""
    from PySide6.QtGui import QFont

    from ui.fonts import (
        FONT_FAMILY,
        FONTS_DIR,
        THAI_SAMPLE,
        FontError,
        install_application_font,
        load_fonts,
    )
    from ui.fonts import missing_characters as missing

    assert run.app is not None
    try:
        load_fonts()
        install_application_font(run.app)  # Sarabun becomes the application's font
    except FontError as exc:
        return Finding(
            "fonts",
            Status.FAIL,
            f"โหลดแบบอักษร {FONT_FAMILY} ไม่ได้ ภาษาไทยจะแสดงเป็นกล่องว่าง: {exc}",
            f"The {FONT_FAMILY} font cannot be loaded, so Thai would show as empty boxes: {exc}",
            f"{REINSTALL_TH} แบบอักษรอยู่ใน {FONTS_DIR}",
            f"{REINSTALL_EN} The fonts belong in {FONTS_DIR}.",
        )
    files = sum(1 for item in FONTS_DIR.iterdir() if item.name.endswith(".ttf"))
    lacking = missing(QFont(FONT_FAMILY), THAI_SAMPLE)
    if lacking:
        raise CheckError(
            f"แบบอักษร {FONT_FAMILY} แสดงตัวอักษร {lacking!r} ไม่ได้",
            f"{FONT_FAMILY} cannot draw {lacking!r}",
        )
    return Finding(
        "fonts",
        Status.OK,
        f"แบบอักษร {FONT_FAMILY} โหลดได้ ({files} ไฟล์) และแสดงภาษาไทยได้",
        f"The {FONT_FAMILY} font loads ({files} files) and draws Thai.",
    )


def _check_styles(run: _Run) -> Finding:
    """Do the citizen's and the clerk's stylesheets read?"""
    from ui.clerk.area import CLERK_STYLESHEET
    from ui.startup import STYLESHEET

    for sheet in (STYLESHEET, CLERK_STYLESHEET):
        if not sheet.read_text(encoding="utf-8").strip():
            raise CheckError(f"ไฟล์รูปแบบหน้าจอ {sheet} ว่างเปล่า", f"the stylesheet {sheet} is empty")
    return Finding(
        "styles",
        Status.OK,
        f"ไฟล์รูปแบบหน้าจอ ({STYLESHEET.name}, {CLERK_STYLESHEET.name}) อ่านได้",
        f"The stylesheets ({STYLESHEET.name}, {CLERK_STYLESHEET.name}) read.",
    )


def _check_translations(run: _Run) -> Finding:
    """Are the Thai translations prepared from this installation, and do they come back?"""
    from PySide6.QtCore import QCoreApplication

    from ui.i18n import LanguageSwitcher, ts_path

    assert run.app is not None
    # A fresh cache: the catalogue must come from this installation, not an older one.
    switcher = LanguageSwitcher(run.app, cache_dir=run.work / "translations")
    switcher.set_language("th")
    run.switcher = switcher
    source = "Tap to rate our service"
    thai = QCoreApplication.translate("WelcomeScreen", source)
    if not _is_thai(thai):
        raise CheckError(
            f"ข้อความ {source!r} ไม่ได้แปลเป็นภาษาไทย (ได้ {thai!r}) จากไฟล์ {ts_path('th')}",
            f"{source!r} came back as {thai!r}, not in Thai, from {ts_path('th')}",
        )
    return Finding(
        "translations",
        Status.OK,
        f"คำแปลภาษาไทยพร้อมใช้: “{thai}”",
        f"The Thai translations load: “{source}” reads “{thai}”.",
    )


def _check_welcome(run: _Run) -> Finding:
    """Does the welcome screen render, in Thai and then in English?"""
    from PySide6.QtCore import QCoreApplication, QEvent

    from kiosk.config import KioskConfig
    from ui.speech import SpeechGuide
    from ui.startup import build_main_window, create_application

    switcher = run.switcher
    assert switcher is not None
    create_application()  # the kiosk's style, font and stylesheet, as when it starts
    window = build_main_window(KioskConfig(), switcher, windowed=True, speech=SpeechGuide(None))
    texts: dict[str, str] = {}
    try:
        window.timer.stop()  # nothing is to happen on this screen while it is drawn
        window.resize(*SCREEN_SIZE)
        window.show()
        for language in ("th", "en"):
            switcher.set_language(language)
            QCoreApplication.sendPostedEvents()  # the screens retranslate on a posted event
            QCoreApplication.processEvents()
            image = window.grab().toImage()
            if image.isNull() or image.width() < SCREEN_SIZE[0] // 2:
                raise CheckError(
                    f"หน้าต้อนรับไม่แสดงอะไรเลยเมื่อเป็น{LANGUAGE_TH[language]}",
                    f"the welcome screen drew nothing in {language}",
                )
            if window.welcome.is_out_of_service():
                raise CheckError(
                    "หน้าต้อนรับแสดงว่าตู้ประเมินงดให้บริการ",
                    "the welcome screen says the kiosk is out of service",
                )
            texts[language] = window.welcome.start_button.text()
    finally:
        window.shutdown()
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    if not _is_thai(texts["th"]) or _is_thai(texts["en"]):
        raise CheckError(
            f"ปุ่มบนหน้าต้อนรับไม่ได้เป็นภาษาไทยแล้วภาษาอังกฤษ: {texts!r}",
            f"the welcome screen's button read {texts!r}",
        )
    width, height = SCREEN_SIZE
    return Finding(
        "welcome",
        Status.OK,
        f"หน้าต้อนรับแสดงได้ทั้งภาษาไทยและภาษาอังกฤษ ({width}×{height} พิกเซล)",
        f"The welcome screen renders in Thai and in English ({width}×{height} px).",
    )


def _check_optional(run: _Run) -> Finding:
    """Are the optional parts installed: the voice (Qt TextToSpeech, an engine) and the chart?

    Missing from the installation is a FAIL; present but kept from loading by a system library
    the tablet lacks is a WARN, with the package to install (the kiosk runs without the part).
    """
    from ui.preflight import missing_reason

    missing: list[str] = []
    unloadable: list[str] = []
    for module in ("PySide6.QtTextToSpeech", "PySide6.QtCharts"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            missing.append(f"{module} ({exc})")
        except (ImportError, OSError) as exc:
            unloadable.append(f"{module}: {missing_reason(exc)}")
    engines: list[str] = []
    if "PySide6.QtTextToSpeech" in sys.modules:
        from PySide6.QtTextToSpeech import QTextToSpeech

        engines = [name for name in QTextToSpeech.availableEngines() if name != "mock"]
        if not engines:
            missing.append("a speech engine plugin (Qt's plugins/texttospeech holds none)")
    if missing:
        return Finding(
            "optional",
            Status.FAIL,
            f"ส่วนเสริมไม่ได้ติดตั้งมาด้วย: {'; '.join(missing)}",
            f"Optional parts are missing from this installation: {'; '.join(missing)}",
            REINSTALL_TH,
            REINSTALL_EN,
        )
    if unloadable:
        return Finding(
            "optional",
            Status.WARN,
            f"ส่วนเสริมโหลดไม่ได้เพราะขาดไลบรารีของระบบ (ตู้ยังทำงานได้): {'; '.join(unloadable)}",
            f"Optional parts cannot load for want of a system library (the kiosk still runs):"
            f" {'; '.join(unloadable)}",
        )
    return Finding(
        "optional",
        Status.OK,
        f"ส่วนเสริมครบ: เสียงอ่านออกเสียง ({', '.join(engines)}) และแผนภูมิของเจ้าหน้าที่",
        f"The optional parts are here: the voice ({', '.join(engines)}) and the clerk's chart.",
    )


def _check_ledger(run: _Run) -> Finding:
    """Cast one vote into a new ledger with a new key, then verify it as `verify` does."""
    from sync import operations

    data_dir = run.work / "kiosk"

    cast = operations.cast_demo_votes(data_dir, 1, seed=1)
    found = operations.verify(data_dir)
    if found is None:
        raise CheckError(
            f"ไม่มีฐานข้อมูลผลการประเมินถูกสร้างขึ้นใน {data_dir}",
            f"no ledger was made in {data_dir}",
        )
    result = found.result
    if not result.ok or result.checked != cast.count:
        raise CheckError(
            f"การตรวจสอบพบผลการประเมินที่ถูกต้องเพียง {result.checked} จาก {cast.count} รายการ:"
            f" {result.problem}",
            f"verify found {result.checked} of {cast.count} votes sound: {result.problem}",
        )
    return Finding(
        "ledger",
        Status.OK,
        "ลงคะแนนทดสอบ 1 ครั้งในโฟลเดอร์ชั่วคราว ลงลายมือชื่อด้วยกุญแจใหม่ และตรวจสอบผ่าน แบบเดียวกับคำสั่ง verify",
        "One test vote was cast into a temporary ledger, signed with a new key, and verified as"
        " `sangsuk-kiosk verify` does.",
    )


def _check_update_key(run: _Run) -> Finding:
    """Does the build carry the central office's update key (or say it is a test build)?"""
    from kiosk.updates import BUNDLED_ROOT, TEST_BUILD_MARKER

    return check_build_update_key(
        BUNDLED_ROOT,
        test_build=TEST_BUILD_MARKER.is_file(),
        frozen=bool(getattr(sys, "frozen", False)),
    )


def _is_thai(text: str) -> bool:
    """Tell whether text has Thai letters in it."""
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text)


def report_lines(findings: list[Finding]) -> list[str]:
    """Return the report: each check, Thai then English, its fix, and the verdict."""
    lines = [
        "sangsuk-kiosk --self-test — ตรวจความครบถ้วนของโปรแกรม / checking this installation",
        "",
    ]
    for finding in findings:
        lines += finding_lines(finding)
    failed = [f.check for f in findings if f.status is Status.FAIL]
    warned = [f.check for f in findings if f.status is Status.WARN]
    lines.append("")
    if failed:
        lines += [
            f"ผลการตรวจ: ไม่ผ่าน {len(failed)} จาก {len(findings)} ข้อ ({', '.join(failed)})",
            f"Self-test FAILED: {len(failed)} of {len(findings)} checks ({', '.join(failed)}).",
        ]
    elif warned:
        lines += [
            f"ผลการตรวจ: ผ่าน โดยมีคำเตือน {len(warned)} ข้อ ({', '.join(warned)})",
            f"Self-test OK, with {len(warned)} warning{'' if len(warned) == 1 else 's'}"
            f" ({', '.join(warned)}).",
        ]
    else:
        lines += [
            f"ผลการตรวจ: ผ่านทั้ง {len(findings)} ข้อ โปรแกรมครบและใช้งานได้",
            f"Self-test OK: all {len(findings)} checks passed.",
        ]
    return lines
