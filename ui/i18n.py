"""Translations: English in the code, Thai by default, switched at runtime.

Strings are written in English with ``self.tr(...)`` (the context is the class name) or
``QCoreApplication.translate(context, ...)``. Their Thai lives in the committed
``ui/assets/translations/sangsuk_th.ts``, read as a package resource. The binary ``.qm`` that Qt
loads is never committed: it is compiled here, on first use, with the ``lrelease`` that ships
inside the PySide6 wheel, into the user cache folder. The compiled file is named by a hash of
the ``.ts`` it came from, so an edited ``.ts`` is always recompiled and two checkouts sharing one
cache never mix their files. The one-folder build has no lrelease: it ships the ``.qm`` compiled
at build time beside the ``.ts``, under the same name, and that is copied into the cache
instead, only while its hash matches the ``.ts`` beside it (deploy/sangsuk-kiosk.spec).

Switching language installs or removes a QTranslator; Qt then sends ``QEvent.LanguageChange``
to every widget, and each screen re-reads its texts in ``changeEvent`` → ``retranslate_ui``.
Data that is not a UI string (district names) comes from ``LanguageSwitcher.language``.

After adding or changing a string in ui/, refresh the .ts and translate the new entries
(tests/ui/test_i18n.py fails until every string is there and translated)::

    uv run pyside6-lupdate -extensions py -locations none -no-obsolete ui \
        -ts ui/assets/translations/sangsuk_th.ts

Give translators context with a ``#:`` comment on the line above the ``tr`` call, not with a
second ``tr`` argument: lupdate reads ``tr("...", "...",)`` (trailing comma) as a plural form.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Final

import platformdirs
import PySide6
from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTranslator, Signal

from kiosk.paths import APP_NAME
from wire.vote import LANGUAGES

# Not through ui.fonts: that loads QtGui, and `sangsuk-kiosk`'s subcommands use only QtCore.
TRANSLATIONS_DIR: Final[Traversable] = files("ui").joinpath("assets", "translations")
CATALOG: Final = "sangsuk"
SOURCE_LANGUAGE: Final = "en"  # the language of the strings in the code: no translator needed
DEFAULT_LANGUAGE: Final = "th"
LRELEASE_TIMEOUT_S: Final = 120
LOCALES: Final = {
    "th": QLocale(QLocale.Language.Thai, QLocale.Country.Thailand),
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
}
_PLACEHOLDER = re.compile(r"%(\d)")
log = logging.getLogger(__name__)


class TranslationError(RuntimeError):
    """A translation catalogue cannot be built or loaded."""


def fill(template: str, *args: str) -> str:
    """Replace %1, %2 ... in a translated template (Qt's QString.arg, in one pass)."""

    def replace(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return args[index - 1] if 0 < index <= len(args) else match.group(0)

    return _PLACEHOLDER.sub(replace, template)


def ts_path(language: str) -> Traversable:
    """Return the committed .ts source of a language's translations."""
    return TRANSLATIONS_DIR.joinpath(f"{CATALOG}_{language}.ts")


def qm_name(language: str, ts_data: bytes) -> str:
    """Return the name of the .qm compiled from this .ts content (the build ships one so named)."""
    return f"{CATALOG}_{language}-{hashlib.sha256(ts_data).hexdigest()[:16]}.qm"


def default_cache_dir() -> Path:
    """Return the folder for compiled .qm files (the user cache; a temp folder if that is unwritable)."""
    preferred = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "translations"
    try:
        preferred.mkdir(parents=True, exist_ok=True)
        if os.access(preferred, os.W_OK):
            return preferred
    except OSError:
        pass
    fallback = Path(tempfile.gettempdir()) / f"{APP_NAME}-{_user_tag()}" / "translations"
    fallback.mkdir(parents=True, exist_ok=True)
    return fallback


def _user_tag() -> str:
    """Return a per-user suffix for shared temp folders."""
    getuid = getattr(os, "getuid", None)
    return str(getuid()) if getuid is not None else os.environ.get("USERNAME", "user")


def find_lrelease() -> list[str]:
    """Return the command that runs lrelease: the binary in the PySide6 wheel, else pyside6-lrelease."""
    package_dir = Path(PySide6.__file__).resolve().parent
    for name in ("lrelease", "lrelease.exe"):
        binary = package_dir / name
        if binary.is_file() and os.access(binary, os.X_OK):
            return [str(binary)]
    scripts_dir = Path(sys.executable).parent
    wrapper = shutil.which("pyside6-lrelease", path=str(scripts_dir)) or shutil.which(
        "pyside6-lrelease"
    )
    if wrapper is not None:
        return [wrapper]
    raise TranslationError(
        f"lrelease was not found in {package_dir} nor as pyside6-lrelease; "
        "is the PySide6 wheel installed completely?"
    )


def compile_catalog(language: str, cache_dir: Path | None = None) -> Path:
    """Return the cached .qm of the language's .ts; if the cache has none, take the build's or compile one."""
    source = ts_path(language)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise TranslationError(f"the translations {source} cannot be read: {exc}") from exc
    folder = cache_dir if cache_dir is not None else default_cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / qm_name(language, data)
    if target.is_file() and target.stat().st_size > 0:
        return target
    built = TRANSLATIONS_DIR.joinpath(target.name)  # only in the one-folder build
    from_build = built.is_file()
    # Write to a private name, then rename: another process (a second kiosk window, a
    # parallel test) may be compiling the same catalogue and must never load half a file.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".qm", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if from_build:
            tmp.write_bytes(built.read_bytes())
        else:
            _lrelease(source, tmp)
        os.replace(tmp, target)
    except OSError as exc:
        raise TranslationError(f"the translations {source} cannot be prepared: {exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    _remove_stale(folder, language, keep=target)
    log.info("prepared %s from %s", target, built if from_build else source)
    return target


def _lrelease(source: Traversable, qm: Path) -> None:
    """Compile the .ts source into the file qm with lrelease."""
    try:
        with as_file(source) as ts_file:  # lrelease reads a file: the resource itself, or a copy
            command = [*find_lrelease(), "-silent", str(ts_file), "-qm", str(qm)]
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=LRELEASE_TIMEOUT_S, check=False
            )
        if result.returncode != 0 or qm.stat().st_size == 0:
            detail = (result.stderr or result.stdout).strip() or f"exit code {result.returncode}"
            raise TranslationError(f"lrelease could not compile {source}: {detail}")
    except (OSError, subprocess.SubprocessError) as exc:
        raise TranslationError(f"lrelease could not compile {source}: {exc}") from exc


def _remove_stale(folder: Path, language: str, keep: Path) -> None:
    """Delete catalogues compiled from older versions of a language's .ts."""
    for old in folder.glob(f"{CATALOG}_{language}-*.qm"):
        if old != keep:
            with contextlib.suppress(OSError):
                old.unlink()


class LanguageSwitcher(QObject):
    """Owns the application's translators and switches the UI language at runtime."""

    language_changed = Signal(str)

    def __init__(self, app: QCoreApplication, cache_dir: Path | None = None) -> None:
        super().__init__(app)
        self._app = app
        self._cache_dir = cache_dir
        self._language = SOURCE_LANGUAGE
        self._installed: list[QTranslator] = []
        self._catalogues: dict[str, QTranslator] = {}  # loaded for translate_in, not installed

    @property
    def language(self) -> str:
        """Return the current UI language, "th" or "en"."""
        return self._language

    def other_language(self) -> str:
        """Return the language the switch button offers."""
        return "en" if self._language == "th" else "th"

    def toggle(self) -> None:
        """Switch between Thai and English."""
        self.set_language(self.other_language())

    def set_language(self, language: str) -> None:
        """Install the translators for language; every widget then gets a LanguageChange event."""
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
        if language == self._language and (language == SOURCE_LANGUAGE or self._installed):
            return
        translators = self._load(language)  # load first: on failure nothing has changed
        self._language = language  # widgets read this while they retranslate
        QLocale.setDefault(LOCALES[language])
        self._remove_all()
        for translator in translators:
            if not self._app.installTranslator(translator):
                raise TranslationError(f"Qt refused the {language} translator")
            self._installed.append(translator)
        self.language_changed.emit(language)

    def translate_in(self, language: str, context: str, source: str) -> str:
        """Return source translated into language, whatever the UI's language is now
        (a notice shown in Thai and English at once). The source itself if there is none."""
        if language == SOURCE_LANGUAGE:
            return source
        if language not in self._catalogues:
            try:
                self._catalogues[language] = self._load(language)[0]
            except (TranslationError, OSError) as exc:
                log.warning("no %s translations for a notice: %s", language, exc)
                return source
        return self._catalogues[language].translate(context, source) or source

    def uninstall(self) -> None:
        """Remove this switcher's translators (the UI falls back to the English in the code)."""
        self._remove_all()
        self._language = SOURCE_LANGUAGE
        QLocale.setDefault(QLocale.system())

    def _load(self, language: str) -> list[QTranslator]:
        """Return the loaded translators for a language (none for the source language)."""
        if language == SOURCE_LANGUAGE:
            return []
        qm = compile_catalog(language, self._cache_dir)
        translator = QTranslator(self)
        if not translator.load(str(qm)) or translator.isEmpty():
            raise TranslationError(f"Qt could not load the compiled translations {qm}")
        return [translator]

    def _remove_all(self) -> None:
        """Remove the installed translators."""
        while self._installed:
            translator = self._installed.pop()
            self._app.removeTranslator(translator)
            translator.deleteLater()
