"""Before Qt starts: can the system load the libraries Qt's window needs? If not, say which.

The kiosk's Qt comes from the PySide6 wheels, which bring Qt itself but not the system
libraries under it. A fresh Debian 12 desktop lacks a few of those (libxcb-cursor0,
libxcb-icccm4, libxcb-keysyms1), and Qt then aborts with "could not load the Qt platform plugin
xcb", which few people can act on. So before anything imports PySide6's widgets, ``check`` asks
the system's dynamic loader (``ldd``, the same search the program would make) which libraries of
Qt's core modules and of the platform plugin Qt will choose cannot be found, and ``explain``
turns them into the one ``apt-get install`` line that fixes it, in Thai and in English. Nothing
here imports PySide6: the import itself is what a missing library would break.

``optional_module`` is the other half: a Qt module the kiosk can do without (speech, charts)
that cannot load costs that feature, with a log line naming the package, never the kiosk.
"""

from __future__ import annotations

import ctypes
import importlib
import importlib.util
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Final

log = logging.getLogger(__name__)

# The Debian package (bookworm; the same names on Ubuntu 22.04) of every system library that Qt's
# modules and platform plugins, as the kiosk uses them, load. Checked with `dpkg -S` on Debian 12
# (tests/ui/test_preflight.py checks it again wherever dpkg is).
SONAME_PACKAGES: Final[Mapping[str, str]] = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libbrotlicommon.so.1": "libbrotli1",
    "libbrotlidec.so.1": "libbrotli1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgssapi_krb5.so.2": "libgssapi-krb5-2",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libpulse.so.0": "libpulse0",
    "libspeechd.so.2": "libspeechd2",
    "libthai.so.0": "libthai0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}
# Loaded by Qt by name while it runs, not when it starts: Thai line breaking (without libthai,
# Thai text wraps only at spaces, and Thai puts none between words).
LOADED_BY_NAME: Final = ("libthai.so.0",)
# Libraries that come inside the PySide6 wheels: missing, the installation is broken.
_BUNDLED: Final = re.compile(r"^lib(Qt6|pyside6|shiboken6|icu)", re.IGNORECASE)
# The modules every kiosk window needs (the optional ones are checked where they are used).
CORE_MODULES: Final = ("QtCore", "QtGui", "QtWidgets")
# On Windows the wheels need Microsoft's C++ runtime, which a fresh Windows may lack.
WINDOWS_RUNTIME: Final = ("vcruntime140.dll", "vcruntime140_1.dll", "msvcp140.dll")
WINDOWS_FIX: Final = "winget install Microsoft.VCRedist.2015+.x64"
REINSTALL: Final = (
    "uv sync --reinstall-package pyside6-essentials --reinstall-package pyside6-addons"
)
_NOT_FOUND: Final = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)
_CANNOT_OPEN: Final = re.compile(r"([\w.+-]+\.so[\w.]*): cannot open shared object file")

Loader = Callable[[Path], list[str]]  # a file -> the libraries it needs that cannot be found


# --- which platform Qt will choose ----------------------------------------------------------------


def platform_candidates(
    environ: Mapping[str, str] | None = None, system: str = sys.platform
) -> tuple[str, ...]:
    """Return the platform plugins Qt will try, in order, as Qt 6 chooses them on this system.

    ``QT_QPA_PLATFORM`` decides when set (``wayland;xcb`` is a list, ``xcb:arg=1`` has
    arguments). Otherwise, on Linux: wayland first in a Wayland session, then xcb when there is
    an X display, then xcb as Qt's default.
    """
    env = os.environ if environ is None else environ
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        names = [part.split(":", 1)[0].strip() for part in chosen.split(";")]
        return tuple(dict.fromkeys(name for name in names if name))
    if system == "win32":
        return ("windows",)
    if system == "darwin":
        return ("cocoa",)
    names = []
    if env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland":
        names.append("wayland")
    names.append("xcb")
    return tuple(names)


def has_display(environ: Mapping[str, str] | None = None, system: str = sys.platform) -> bool:
    """Tell whether Qt has a screen to open its window on (always, except on Linux without one)."""
    env = os.environ if environ is None else environ
    if env.get("QT_QPA_PLATFORM", "").strip() or not system.startswith("linux"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def pyside_dir() -> Path | None:
    """Return the installed PySide6 package folder, found without importing it."""
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def plugin_file(name: str, package: Path, environ: Mapping[str, str] | None = None) -> Path | None:
    """Return the file of platform plugin name, where Qt looks for it, or None if there is none.

    Qt looks in ``QT_QPA_PLATFORM_PLUGIN_PATH`` first, then in its own plugins folder.
    """
    env = os.environ if environ is None else environ
    folders = [Path(p) for p in env.get("QT_QPA_PLATFORM_PLUGIN_PATH", "").split(os.pathsep) if p]
    folders.append(package / "Qt" / "plugins" / "platforms")
    # Qt before 6.5 named the Wayland plugin libqwayland-generic.so.
    stems = [f"libq{name}", "libqwayland-generic"] if name == "wayland" else [f"libq{name}"]
    for folder in folders:
        for stem in stems:
            candidate = folder / f"{stem}.so"
            if candidate.is_file():
                return candidate
    return None


def module_file(module: str, package: Path) -> Path | None:
    """Return the compiled file of a PySide6 module (e.g. QtGui.abi3.so), or None."""
    return next(iter(sorted(package.glob(f"{module}.*.so"))), None)


# --- asking the system's loader -----------------------------------------------------------------


def parse_ldd(output: str) -> list[str]:
    """Return the libraries ldd reported as not found (each once, in its order)."""
    names = _NOT_FOUND.findall(output) + _CANNOT_OPEN.findall(output)
    return list(dict.fromkeys(names))


def ldd_missing(path: Path) -> list[str]:
    """Return the libraries path needs that the system cannot find, by asking ldd.

    Without ldd (a trimmed system) the file is loaded instead, which names the first one only.
    """
    ldd = shutil.which("ldd")
    if ldd is None:
        return dlopen_missing(path)
    try:
        done = subprocess.run(
            [ldd, str(path)], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("ldd could not check %s (%s); loading it instead", path, exc)
        return dlopen_missing(path)
    return parse_ldd(done.stdout + done.stderr)


def dlopen_missing(path: Path) -> list[str]:
    """Load path; return the library the loader could not find, if that is why it failed."""
    try:
        ctypes.CDLL(str(path))
    except OSError as exc:
        return parse_ldd(str(exc)) or [f"{path.name} ({exc})"]
    return []


def windows_missing(path: Path) -> list[str]:
    """Load one DLL by name (Windows searches its own folders); return it if it cannot load."""
    try:
        ctypes.CDLL(path.name)
    except OSError:
        return [path.name]
    return []


# --- the check ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Preflight:
    """What the check found: the platforms Qt will try and what each one (or Qt itself) lacks."""

    platforms: tuple[str, ...]
    core_missing: tuple[str, ...] = ()
    plugin_missing: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    windows: bool = False
    display: bool = True

    @property
    def usable(self) -> str | None:
        """The platform Qt will be able to load, or None when it can load none of them."""
        if self.core_missing:
            return None
        for name in self.platforms:
            if not self.plugin_missing.get(name):
                return name
        return None

    @property
    def ok(self) -> bool:
        """Tell whether Qt can start here (a platform loads and there is a screen for it)."""
        return self.usable is not None and self.display

    @property
    def missing(self) -> tuple[str, ...]:
        """Every library missing for Qt itself and for the platforms it would try."""
        found = list(self.core_missing)
        for name in self.platforms:
            found.extend(self.plugin_missing.get(name, ()))
        return tuple(dict.fromkeys(found))


def check(
    environ: Mapping[str, str] | None = None,
    *,
    loader: Loader | None = None,
    package: Path | None = None,
    system: str = sys.platform,
) -> Preflight:
    """Ask the system's loader whether Qt's core modules and its platform plugin can load.

    ``loader`` answers, for one file, which of its libraries cannot be found (by default ldd,
    or on Windows a load of each C++ runtime DLL). Only Linux and Windows are checked.
    """
    platforms = platform_candidates(environ, system)
    if system == "win32":
        load = loader or windows_missing
        missing = [name for dll in WINDOWS_RUNTIME for name in load(Path(dll))]
        return Preflight(platforms, tuple(dict.fromkeys(missing)), windows=True)
    package = package if package is not None else pyside_dir()
    if not system.startswith("linux") or package is None:
        return Preflight(platforms)  # macOS, or PySide6 not installed: Python says that itself
    load = loader or ldd_missing
    core: list[str] = []
    for module in CORE_MODULES:
        path = module_file(module, package)
        if path is not None:
            core.extend(load(path))
    plugins: dict[str, tuple[str, ...]] = {}
    for name in platforms:
        path = plugin_file(name, package, environ)
        if path is not None:  # a plugin Qt does not have: Qt names the ones it has
            plugins[name] = tuple(dict.fromkeys(load(path)))
            if not plugins[name]:
                break  # Qt will take this one; those after it do not matter
    return Preflight(
        platforms, tuple(dict.fromkeys(core)), plugins, display=has_display(environ, system)
    )


def packages_for(sonames: Sequence[str]) -> tuple[list[str], list[str], list[str]]:
    """Split missing libraries into Debian packages, PySide6's own files, and unknown ones."""
    packages: list[str] = []
    bundled: list[str] = []
    unknown: list[str] = []
    for soname in sonames:
        if soname in SONAME_PACKAGES:
            packages.append(SONAME_PACKAGES[soname])
        elif _BUNDLED.match(soname):
            bundled.append(soname)
        else:
            unknown.append(soname)
    return list(dict.fromkeys(packages)), bundled, unknown


def apt_line(packages: Sequence[str]) -> str:
    """Return the command that installs packages on Debian or Ubuntu."""
    return "sudo apt-get install " + " ".join(packages)


def explain(result: Preflight) -> list[str]:
    """Return what to tell a person when Qt cannot start: Thai lines, English lines, the fix."""
    if result.windows:
        names = ", ".join(result.core_missing)
        return [
            f"ตู้ประเมินเปิดหน้าจอไม่ได้: เครื่องนี้ยังไม่มี Microsoft Visual C++ Runtime ({names})"
            " ติดตั้งด้วยคำสั่งข้างล่างนี้ (หรือ vc_redist.x64.exe จาก Microsoft) แล้วเปิดตู้ประเมินอีกครั้ง",
            f"The kiosk cannot open its screen: Microsoft's Visual C++ Runtime is missing ({names})."
            " Install it with the command below (or vc_redist.x64.exe from Microsoft), then start"
            " the kiosk again.",
            "",
            f"    {WINDOWS_FIX}",
        ]
    if result.usable is not None and not result.display:
        return [
            "ตู้ประเมินเปิดหน้าจอไม่ได้: ไม่มีจอภาพ (ไม่ได้ตั้ง DISPLAY หรือ WAYLAND_DISPLAY)"
            " ให้เปิดตู้ประเมินจากหน้าจอของเครื่อง ไม่ใช่ผ่าน SSH",
            "The kiosk cannot open its screen: there is no display (neither DISPLAY nor"
            " WAYLAND_DISPLAY is set). Start it from the tablet's own screen, not over SSH;"
            " to try it without a screen, set QT_QPA_PLATFORM=offscreen.",
        ]
    missing = result.missing
    packages, bundled, unknown = packages_for(missing)
    where = "/".join(result.platforms) or "?"
    names = ", ".join(missing)
    th = f"ตู้ประเมินเปิดหน้าจอไม่ได้: Qt ({where}) ต้องใช้ไลบรารีของระบบที่ยังไม่ได้ติดตั้ง ({names})"
    en = (
        f"The kiosk cannot open its screen: Qt's {where} platform needs system libraries that"
        f" are not installed ({names})."
    )
    if not packages:
        lines = [th, en]
    else:
        lines = [
            th + " ติดตั้งด้วยคำสั่งข้างล่างนี้ แล้วเปิดตู้ประเมินอีกครั้ง",
            en + " Install them with the command below, then start the kiosk again.",
            "",
            f"    {apt_line(packages)}",
            "",
        ]
    for soname in unknown:
        lines += [
            f"ไม่ทราบว่าแพ็กเกจใดมี {soname}: ค้นหาด้วย apt-file search {soname}",
            f"No package is known here for {soname}: find it with `apt-file search {soname}`.",
        ]
    if bundled:
        lines += [
            f"ไฟล์ Qt ของตู้ประเมินเองไม่ครบ ({', '.join(bundled)}): ติดตั้งใหม่ด้วย {REINSTALL}",
            f"The kiosk's own Qt files are incomplete ({', '.join(bundled)}): reinstall them"
            f" with `{REINSTALL}`.",
        ]
    return lines


# --- optional modules -----------------------------------------------------------------------

_unavailable: dict[str, str] = {}


def optional_module(name: str, feature: str) -> ModuleType | None:
    """Import an optional Qt module; on failure log why once, naming the package, and return None.

    The kiosk runs without it: the caller shows the feature as unavailable ("no voice", a plain
    list instead of a chart).
    """
    try:
        return importlib.import_module(name)
    except (ImportError, OSError) as exc:
        if name not in _unavailable:
            _unavailable[name] = missing_reason(exc)
            log.warning(
                "%s is not available: %s cannot be loaded (%s)", feature, name, _unavailable[name]
            )
        return None


def unavailable_modules() -> dict[str, str]:
    """Return the optional modules that could not be loaded so far, with the reason for each."""
    return dict(_unavailable)


def missing_reason(exc: BaseException) -> str:
    """Return why a module could not load, with the package to install when a library is missing."""
    reason = f"{type(exc).__name__}: {exc}"
    packages, _bundled, _unknown = packages_for(parse_ldd(str(exc)))
    if packages:
        reason += f"; install it with `{apt_line(packages)}`"
    return reason
