"""Before Qt starts, the kiosk checks that its window's system libraries load, and if not says
exactly which `apt-get install` line fixes it: in Thai and English, exit code 2, no traceback.

The end-to-end test starts `main.py` where libxcb-cursor0 is really not installed (a private
mount namespace without it). The rest check the parts: what ldd says, which platform Qt picks,
the words, the soname-to-package table against dpkg, and that the README's set-up line (which
CI installs) holds every package the kiosk's Qt files need.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from tests.namespaces import REPO_ROOT, run_without
from ui import preflight
from ui.preflight import (
    SONAME_PACKAGES,
    WINDOWS_FIX,
    check,
    explain,
    parse_ldd,
    platform_candidates,
    plugin_file,
    pyside_dir,
)

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux libraries")

LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007f04575b3000)
\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007f0457454000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f04573fa000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
"""


def qt_package() -> Path:
    package = pyside_dir()
    assert package is not None
    return package


# --- the real thing -------------------------------------------------------------------------------


@linux_only
def test_main_py_without_libxcb_cursor0_names_the_apt_line(tmp_path):
    plugin = plugin_file("xcb", qt_package(), {})
    assert plugin is not None
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": ":99"}
    done = run_without(
        ["libxcb-cursor.so.0"],
        plugin,
        [sys.executable, "main.py", "--data-dir", str(tmp_path / "kiosk")],
        tmp_path,
        env=env,
    )
    assert done.returncode == 2, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    thai = next(i for i, line in enumerate(lines) if "ตู้ประเมินเปิดหน้าจอไม่ได้" in line)
    english = next(i for i, line in enumerate(lines) if "The kiosk cannot open its screen" in line)
    assert thai < english  # Thai first
    assert "libxcb-cursor.so.0" in lines[english]
    (command,) = [line.strip() for line in lines if "apt-get install" in line]
    assert command.startswith("sudo apt-get install ")
    assert "libxcb-cursor0" in command.split()
    log = (tmp_path / "kiosk" / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "the kiosk cannot start" in log
    assert "libxcb-cursor0" in log


@linux_only
def test_a_healthy_offscreen_platform_passes():
    result = check({"QT_QPA_PLATFORM": "offscreen"})
    assert result.ok, explain(result)
    assert result.usable == "offscreen"


# --- the parts ------------------------------------------------------------------------------------


def test_ldd_output_names_each_missing_library_once():
    assert parse_ldd(LDD_OUTPUT) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    loader_error = "libpulse.so.0: cannot open shared object file: No such file or directory"
    assert parse_ldd(loader_error) == ["libpulse.so.0"]


@linux_only
def test_without_ldd_the_loader_itself_is_asked(monkeypatch):
    monkeypatch.setenv("PATH", "")  # a trimmed system: no ldd
    assert shutil.which("ldd") is None
    thai = Path("libthai.so.0")  # a plain C library, safe to load into the test process
    assert preflight.ldd_missing(thai) == preflight.dlopen_missing(thai)
    assert preflight.dlopen_missing(Path("libsangsuk-none.so.1")) == ["libsangsuk-none.so.1"]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"DISPLAY": ":0"}, ("xcb",)),
        ({}, ("xcb",)),
        ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, ("wayland", "xcb")),
        ({"XDG_SESSION_TYPE": "wayland"}, ("wayland", "xcb")),
        ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, ("offscreen",)),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, ("wayland", "xcb")),
        ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, ("vnc",)),
    ],
)
def test_the_platforms_qt_will_try(environ, expected):
    assert platform_candidates(environ, "linux") == expected


def fake_loader(missing: dict[str, list[str]]):
    """The system's loader, for files named like the keys: these libraries cannot be found."""

    def load(path: Path) -> list[str]:
        return next((libs for name, libs in missing.items() if path.name.startswith(name)), [])

    return load


@linux_only
def test_missing_xcb_libraries_become_one_apt_line_thai_first():
    loader = fake_loader({"libqxcb": ["libxcb-cursor.so.0", "libxcb-icccm.so.4"]})
    result = check({"DISPLAY": ":0"}, loader=loader)
    assert not result.ok
    lines = explain(result)
    assert lines[0].startswith("ตู้ประเมินเปิดหน้าจอไม่ได้")
    assert lines[1].startswith("The kiosk cannot open its screen: Qt's xcb platform")
    assert "    sudo apt-get install libxcb-cursor0 libxcb-icccm4" in lines


@linux_only
def test_a_wayland_session_needs_only_one_platform_that_loads():
    loader = fake_loader({"libqxcb": ["libxcb-cursor.so.0"]})
    result = check({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, loader=loader)
    assert result.ok
    assert result.usable == "wayland"


@linux_only
def test_qt_itself_missing_a_library_fails_every_platform():
    result = check({"QT_QPA_PLATFORM": "offscreen"}, loader=fake_loader({"QtGui": ["libEGL.so.1"]}))
    assert not result.ok
    assert "    sudo apt-get install libegl1" in explain(result)


@linux_only
def test_unknown_and_bundled_libraries_get_their_own_advice():
    loader = fake_loader({"libqxcb": ["libfrobnicate.so.3", "libQt6XcbQpa.so.6"]})
    lines = explain(check({"DISPLAY": ":0"}, loader=loader))
    text = "\n".join(lines)
    assert "apt-get install" not in text
    assert "apt-file search libfrobnicate.so.3" in text
    assert "libQt6XcbQpa.so.6" in text
    assert preflight.REINSTALL in text


@linux_only
def test_no_display_is_said_plainly():
    result = check({}, loader=fake_loader({}))
    assert not result.ok
    text = "\n".join(explain(result))
    assert "ไม่มีจอภาพ" in text
    assert "no display" in text


def test_windows_without_the_cpp_runtime_gets_the_winget_line():
    result = check({}, loader=fake_loader({"msvcp140": ["msvcp140.dll"]}), system="win32")
    assert not result.ok
    lines = explain(result)
    assert "Visual C++" in lines[0]
    assert f"    {WINDOWS_FIX}" in lines
    assert check({}, loader=fake_loader({}), system="win32").ok


# --- the table and the README --------------------------------------------------------------------


@linux_only
@pytest.mark.skipif(shutil.which("dpkg") is None, reason="dpkg: a Debian or Ubuntu system")
def test_every_library_in_the_table_comes_from_its_package():
    checked = 0
    for soname, package in SONAME_PACKAGES.items():
        done = subprocess.run(
            ["dpkg", "-S", f"*/{soname}"], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            continue  # not installed here: nothing to check it against
        owners = {line.split(":", 1)[0] for line in done.stdout.splitlines()}
        assert package in owners, (soname, owners)
        checked += 1
    assert checked >= len(SONAME_PACKAGES) // 2


def elf_needed(path: Path) -> list[str]:
    """The libraries a 64-bit little-endian ELF file names as needed (DT_NEEDED)."""
    data = path.read_bytes()
    assert data[:4] == b"\x7fELF", path
    assert (data[4], data[5]) == (2, 1), f"{path} is not a 64-bit little-endian ELF file"
    (section_offset,) = struct.unpack_from("<Q", data, 0x28)
    entry_size, count = struct.unpack_from("<HH", data, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", data, section_offset + i * entry_size)
        for i in range(count)
    ]
    needed = []
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, _entsize in sections:
        if kind != 6:  # SHT_DYNAMIC
            continue
        strings = sections[link][4]
        for at in range(offset, offset + size, 16):
            tag, value = struct.unpack_from("<qQ", data, at)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                end = data.index(b"\0", strings + value)
                needed.append(data[strings + value : end].decode())
    return needed


# What every Debian or Ubuntu has wherever apt-get runs (apt itself needs them).
BASE_SYSTEM = {
    "ld-linux-x86-64.so.2",
    "libc.so.6",
    "libm.so.6",
    "libpthread.so.0",
    "libdl.so.2",
    "librt.so.1",
    "libresolv.so.2",
    "libgcc_s.so.1",
    "libstdc++.so.6",
    "libz.so.1",
    "libzstd.so.1",
}
KIOSK_QT_FILES = (
    "QtCore",
    "QtGui",
    "QtWidgets",
    "QtTextToSpeech",
    "QtCharts",
    "Qt/plugins/platforms/libqxcb.so",
    "Qt/plugins/platforms/libqwayland.so",  # under cage, the kiosk compositor
    "Qt/plugins/platforms/libqoffscreen.so",
    "Qt/plugins/imageformats/libqjpeg.so",
    "Qt/plugins/imageformats/libqsvg.so",
)


def system_libraries_of_the_kiosk() -> set[str]:
    """The system libraries that the kiosk's Qt files (and the Qt libraries they pull) name."""
    package = qt_package()
    todo = []
    for name in KIOSK_QT_FILES:
        path = preflight.module_file(name, package) if "/" not in name else package / name
        assert path is not None, name
        assert path.exists(), path
        todo.append(path)
    bundled = [package / "Qt" / "lib", package, package.parent / "shiboken6"]
    seen: set[Path] = set()
    system: set[str] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for soname in elf_needed(path):
            inside = next((f / soname for f in bundled if (f / soname).exists()), None)
            if inside is not None:
                todo.append(inside)
            else:
                system.add(soname)
    return system


def readme_apt_lines() -> list[list[str]]:
    """The packages of each `sudo apt-get install` line of the README (what CI installs)."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    return [
        line.split("#", 1)[0].split()[3:]
        for line in text.splitlines()
        if re.match(r"sudo apt-get install ", line)
    ]


@linux_only
def test_the_readme_line_installs_exactly_what_the_kiosk_needs():
    kiosk_line, tests_line = readme_apt_lines()
    needed = system_libraries_of_the_kiosk() - BASE_SYSTEM
    unknown = sorted(soname for soname in needed if soname not in SONAME_PACKAGES)
    assert not unknown, f"add these to ui/preflight.py's table: {unknown}"
    wanted = {SONAME_PACKAGES[s] for s in needed} | {
        SONAME_PACKAGES[s] for s in preflight.LOADED_BY_NAME
    }
    assert set(kiosk_line) == wanted
    assert len(kiosk_line) == len(set(kiosk_line))
    # What the tests add: Chromium for the collector's pages; a real X server, its window tools
    # and a window manager for the full-screen tests (tests/ui/test_full_screen.py); cage (Debian
    # 12's does not start without Xwayland, yet does not depend on it) and grim, its screenshot
    # tool, for the same in Wayland (tests/ui/test_cage.py); speech-dispatcher and espeak-ng's
    # voices, to hear the Thai voice (tests/ui/test_thai_voice.py); shellcheck for the tablet's
    # install scripts (tests/deploy/); PostgreSQL for the collector's second store
    # (tests/postgres.py starts a throwaway server).
    assert tests_line == [
        *("chromium", "xvfb", "x11-utils", "xdotool", "openbox"),
        *("cage", "xwayland", "grim"),
        *("speech-dispatcher", "speech-dispatcher-espeak-ng", "shellcheck"),
        "postgresql",
    ]


def test_ci_installs_the_readme_lines():
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "^sudo apt-get install" in ci  # it reads the README's lines ...
    assert "README.md" in ci
    kiosk_line, _tests_line = readme_apt_lines()
    assert not [package for package in kiosk_line if package in ci]  # ... and keeps no copy
