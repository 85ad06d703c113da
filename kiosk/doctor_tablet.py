"""`sangsuk-kiosk doctor`, the checks of the tablet as deploy/install.sh leaves it: whether the
kiosk is enrolled (not still the demo district), the installed layout under /opt/sangsuk, and
speech-dispatcher's configuration for the Thai voice.

Like kiosk/doctor.py they only read files: nothing is changed, and the voice's sound device is
never opened (the speech check in ui/doctor.py asks the engine for its voices; only an ear can
tell whether the speaker makes a sound, docs/deploy.md).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Final

from kiosk.config import ConfigError, load_config
from kiosk.doctor import Finding, Status
from kiosk.update_install import InstallPaths, linked_version

# Where install.sh puts deploy/speech-dispatcher.conf, and the configuration that includes it.
VOICE_CONF: Final = Path("/etc/speech-dispatcher/clients/sangsuk.conf")
SPEECHD_CONF_NAME: Final = "speechd.conf"
PROGRAM_NAME: Final = "sangsuk-kiosk"
SESSION_SCRIPT: Final = Path("bin") / "sangsuk-session"
_INCLUDES_CLIENTS = re.compile(r'^\s*Include\s+"?clients/\*\.conf"?\s*$', re.MULTILINE)
_OUTPUT_METHOD = re.compile(r'^\s*AudioOutputMethod\s+"?([^"\n]*)"?\s*$', re.MULTILINE)

SETUP_TH: Final = (
    "ให้เจ้าหน้าที่อำเภอตั้งค่าตู้: แตะมุมซ้ายบนของหน้าจอค้างไว้ 3 วินาทีเพื่อเปิดหน้าตั้งค่า"
    " (จังหวัด อำเภอ รหัส PIN ที่อยู่ระบบกลาง และรหัสลงทะเบียนจากส่วนกลาง)"
    " หรือสั่ง sangsuk-kiosk enroll --collector URL --token รหัส ในฐานะผู้ใช้ของตู้"
)
SETUP_EN: Final = (
    "Have the district clerk set the kiosk up: hold the top-left corner of the screen for 3"
    " seconds to open the setup wizard (province, district, PIN, the collector's address and the"
    " central office's one-time token), or run `sangsuk-kiosk enroll --collector URL --token"
    " TOKEN` as the kiosk's user."
)


def check_enrollment(data_dir: Path) -> Finding:
    """Is the kiosk set up for its district and enrolled with a collector (not the demo)?"""
    name = "enrollment"
    try:
        config = load_config(data_dir)
    except ConfigError as exc:
        return Finding(
            name,
            Status.FAIL,
            "อ่านการตั้งค่าของตู้ (config.json) ไม่ได้",
            f"The kiosk's settings (config.json) cannot be read: {exc}",
            "ให้เจ้าหน้าที่อำเภอตั้งค่าตู้ใหม่ที่หน้าตั้งค่า",
            "Have the district clerk set the kiosk up again in its settings.",
        )
    if config.demo:
        return Finding(
            name,
            Status.WARN,
            f"ตู้ยังเป็นอำเภอสาธิต ({config.district}) ผลการประเมินที่เก็บตอนนี้ไม่ถูกนับ",
            f"The kiosk still runs the demo district ({config.district}): the votes it keeps now"
            " are not counted.",
            SETUP_TH,
            SETUP_EN,
        )
    if not config.enrolled:
        return Finding(
            name,
            Status.WARN,
            f"ตั้งค่าอำเภอ {config.district} แล้ว แต่ยังไม่ได้ลงทะเบียนกับระบบกลาง ผลการประเมินจะยังไม่ถูกส่ง",
            f"District {config.district} is set, but the kiosk is not enrolled with a collector:"
            " no vote is sent yet.",
            SETUP_TH,
            SETUP_EN,
        )
    if config.collector_url is None:
        return Finding(
            name,
            Status.OK,
            f"ลงทะเบียนอำเภอ {config.district} ด้วยแฟลชไดรฟ์แล้ว ผลการประเมินส่งทางแฟลชไดรฟ์",
            f"Enrolled for district {config.district} by USB stick: votes go out on a stick.",
        )
    return Finding(
        name,
        Status.OK,
        f"ลงทะเบียนอำเภอ {config.district} กับระบบกลาง {config.collector_url} แล้ว",
        f"Enrolled for district {config.district} with the collector {config.collector_url}.",
    )


def check_installation(root: Path | None, executable: Path | None = None) -> Finding:
    """Does /opt/sangsuk have what install.sh made: current -> versions/<v>/ with the program,
    previous (when there is one) pointing at a kept version, and the session script?

    ``root`` is the installation (kiosk/updates.py's find_install_root), None in a checkout or
    a copied bundle, where there is nothing to check. ``executable``: the running program, to
    say when it is not the one ``current`` starts (a version staged but not yet restarted into).
    """
    name = "installation"
    reinstall_th = "ติดตั้งใหม่ด้วย sudo sh install.sh ไฟล์โปรแกรม (docs/deploy.md) ข้อมูลในโฟลเดอร์ข้อมูลยังอยู่"
    reinstall_en = (
        "Install again with `sudo sh install.sh BUNDLE` (docs/deploy.md); the data folder is kept."
    )
    if root is None:
        return Finding(
            name,
            Status.WARN,
            "ตู้นี้ไม่ได้ติดตั้งไว้ใน /opt/sangsuk (เป็นสำเนาโปรแกรมหรือโค้ด) จึงไม่ได้ตรวจ และไม่รับอัปเดต",
            "Not installed under /opt/sangsuk (a checkout or a copied bundle): nothing to check,"
            " and no update is taken here.",
            "บนแท็บเล็ตของอำเภอ ติดตั้งด้วย sudo sh install.sh ไฟล์โปรแกรม (docs/deploy.md)",
            "On a district's tablet, install with `sudo sh install.sh BUNDLE` (docs/deploy.md).",
        )
    paths = InstallPaths(root)
    version = linked_version(paths.current)
    program = paths.current / PROGRAM_NAME
    if version is None or not program.is_file() or not os.access(program, os.X_OK):
        return Finding(
            name,
            Status.FAIL,
            f"ลิงก์ {paths.current} ไม่ชี้ไปที่โปรแกรมในโฟลเดอร์ {paths.versions} ตู้จะเปิดไม่ได้",
            f"{paths.current} does not lead to a program in {paths.versions}: the kiosk cannot"
            " start.",
            reinstall_th,
            reinstall_en,
        )
    problems_th: list[str] = []
    problems_en: list[str] = []
    previous = linked_version(paths.previous)
    if previous is not None and not (paths.previous / PROGRAM_NAME).is_file():
        problems_th.append(f"ลิงก์ previous ชี้ไปที่รุ่น {previous} ที่ไม่มีแล้ว จึงถอยกลับไม่ได้")
        problems_en.append(
            f"previous points at version {previous}, which is gone: there is nothing to fall back to"
        )
    session = root / SESSION_SCRIPT
    if not session.is_file() or not os.access(session, os.X_OK):
        problems_th.append(f"ไม่มีสคริปต์ {session} ที่ใช้เปิดตู้เมื่อเปิดเครื่อง")
        problems_en.append(f"the session script {session} that starts the kiosk at boot is missing")
    if problems_th:
        return Finding(
            name,
            Status.WARN,
            f"ติดตั้งรุ่น {version} ไว้ แต่" + " และ".join(problems_th),
            f"Version {version} is installed, but " + "; ".join(problems_en) + ".",
            reinstall_th,
            reinstall_en,
        )
    running = (executable or Path(sys.executable)).resolve()
    th = f"ติดตั้งรุ่น {version} ไว้ที่ {root}" + (f" (รุ่นก่อนหน้า {previous})" if previous else "")
    en = f"Version {version} is installed in {root}" + (
        f" (previous: {previous})." if previous else "."
    )
    if running.parent != program.resolve().parent and running.is_relative_to(
        paths.versions.resolve()
    ):
        th += f" ตู้ที่เปิดอยู่ยังเป็นรุ่น {running.parent.name} จะเปลี่ยนเมื่อเปิดใหม่"
        en += f" The kiosk running now is {running.parent.name}; it changes at the next start."
    return Finding(name, Status.OK, th, en)


def check_voice_config(
    *,
    etc: Path = Path("/etc/speech-dispatcher"),
    user_config: Path | None = None,
    platform: str = sys.platform,
) -> Finding:
    """Is speech-dispatcher set up as install.sh leaves it: sangsuk.conf in clients/, included
    by speechd.conf, sending sound to ALSA when no sound server runs, and no speechd.conf of the
    kiosk user's own replacing it all? Only files are read; no sound device is opened.

    ``etc`` is speech-dispatcher's folder, ``user_config`` the user's configuration folder
    ($XDG_CONFIG_HOME, else ~/.config): both given by tests.
    """
    name = "voice_config"
    if not platform.startswith("linux"):
        return Finding(name, Status.OK, "ไม่ต้องใช้ในระบบนี้", "Not needed on this system.")
    ours = etc / "clients" / VOICE_CONF.name
    install_th = (
        f"คัดลอกไฟล์ deploy/speech-dispatcher.conf ไปไว้ที่ {ours}"
        f" (sudo install -D -m 0644 deploy/speech-dispatcher.conf {ours}) หรือติดตั้งใหม่ด้วย install.sh"
    )
    install_en = (
        f"Copy deploy/speech-dispatcher.conf to {ours}"
        f" (`sudo install -D -m 0644 deploy/speech-dispatcher.conf {ours}`), or run install.sh again."
    )
    system = etc / SPEECHD_CONF_NAME
    if not system.is_file():
        return Finding(
            name,
            Status.WARN,
            f"ไม่มี {system}: ยังไม่ได้ติดตั้ง speech-dispatcher ตู้จะไม่มีเสียงอ่าน",
            f"There is no {system}: speech-dispatcher is not installed, so the kiosk has no voice.",
            "sudo apt-get install speech-dispatcher speech-dispatcher-espeak-ng",
            "sudo apt-get install speech-dispatcher speech-dispatcher-espeak-ng",
        )
    home_config = user_config if user_config is not None else _user_config()
    own = home_config / "speech-dispatcher" / SPEECHD_CONF_NAME
    if own.exists():
        return Finding(
            name,
            Status.WARN,
            f"มีไฟล์ {own} ของผู้ใช้เอง ซึ่งใช้แทนการตั้งค่าของระบบและ {ours} ตู้อาจเงียบ",
            f"{own} of the user's own replaces the system's configuration and {ours} with it:"
            " the kiosk may say nothing.",
            f"ลบไฟล์ {own} (ตู้ประเมินไม่ต้องใช้)",
            f"Delete {own} (the kiosk needs none).",
        )
    try:
        text = ours.read_text(encoding="utf-8", errors="replace")
        included = _INCLUDES_CLIENTS.search(system.read_text(encoding="utf-8", errors="replace"))
    except FileNotFoundError:
        text, included = None, None
    except OSError as exc:
        return Finding(
            name,
            Status.WARN,
            f"อ่าน {ours} ไม่ได้ ({exc.strerror})",
            f"{ours} cannot be read ({exc.strerror}).",
            install_th,
            install_en,
        )
    methods = _OUTPUT_METHOD.findall(text or "")
    if text is None or not methods or "alsa" not in methods[-1]:
        missing = text is None
        return Finding(
            name,
            Status.WARN,
            (f"ไม่มี {ours}" if missing else f"{ours} ไม่ได้ส่งเสียงไปที่ ALSA")
            + ' ตู้ที่เปิดโดย systemd (ไม่มี PulseAudio) จะไม่มีเสียง และปุ่มลำโพงค้างที่ "หยุดเสียง"',
            (f"There is no {ours}" if missing else f"{ours} does not send the sound to ALSA")
            + ": a kiosk started by systemd (no PulseAudio) says nothing, and its speaker button"
            ' stays on "Stop".',
            install_th,
            install_en,
        )
    if included is None:
        return Finding(
            name,
            Status.WARN,
            f"{system} ไม่ได้อ่านไฟล์ใน clients/ จึงไม่ใช้ {ours}",
            f'{system} has no `Include "clients/*.conf"` line, so {ours} is not read.',
            f'เพิ่มบรรทัด Include "clients/*.conf" ท้ายไฟล์ {system} หรือติดตั้ง speech-dispatcher ใหม่',
            f'Add the line `Include "clients/*.conf"` at the end of {system}, or reinstall'
            " speech-dispatcher.",
        )
    return Finding(
        name,
        Status.OK,
        f"ตั้งค่าเสียงอ่านแล้ว ({ours}: {methods[-1]})",
        f"The voice is set up ({ours}: {methods[-1]}).",
    )


def _user_config() -> Path:
    """The user's configuration folder, as speech-dispatcher looks for it."""
    named = os.environ.get("XDG_CONFIG_HOME")
    return Path(named) if named else Path.home() / ".config"
