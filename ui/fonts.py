"""The bundled Sarabun typeface: without it Qt draws empty boxes for Thai on most machines."""

from __future__ import annotations

import logging
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Final

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QGuiApplication, QRawFont

# Found as package resources, never beside the checkout, so that the wheel and the one-folder
# build (deploy/sangsuk-kiosk.spec) carry them: ui/assets holds the kiosk's translations and
# styles; the typeface lives in wire/fonts because the collector serves the same files to
# browsers and never imports the kiosk's packages.
ASSETS_DIR: Final[Traversable] = files("ui").joinpath("assets")
FONTS_DIR: Final[Traversable] = files("wire").joinpath("fonts")
FONT_FAMILY: Final = "Sarabun"
DEFAULT_POINT_SIZE: Final = 16
# Consonants, vowels above and below, tone marks and the thanthakhat: if Sarabun draws these,
# Thai renders; a font that lacks them gives the empty boxes this module exists to prevent.
THAI_SAMPLE: Final = "อำเภอสร้างสุข ทุกข์น้อยลง ได้ ๑๒๓"
log = logging.getLogger(__name__)

_loaded: dict[str, int] = {}


class FontError(RuntimeError):
    """The bundled fonts cannot be loaded, so Thai text would not render."""


def load_fonts(fonts_dir: Traversable = FONTS_DIR) -> list[str]:
    """Register every bundled .ttf with Qt and return the families found; raise FontError if Sarabun is missing."""
    if QGuiApplication.instance() is None:
        raise FontError("create the QApplication before loading fonts")
    try:
        fonts = sorted(
            (item for item in fonts_dir.iterdir() if item.name.endswith(".ttf")),
            key=lambda item: item.name,
        )
    except OSError as exc:
        raise FontError(f"the font folder {fonts_dir} cannot be read: {exc}") from exc
    if not fonts:
        raise FontError(f"no .ttf files in {fonts_dir}; the Sarabun fonts must be bundled there")
    families: list[str] = []
    for font in fonts:
        font_id = _loaded.get(str(font))
        if font_id is None or not QFontDatabase.applicationFontFamilies(font_id):
            try:
                data = font.read_bytes()
            except OSError as exc:
                raise FontError(f"the font file {font} cannot be read: {exc}") from exc
            # From the bytes: a resource need not be a file Qt can open by its name.
            font_id = QFontDatabase.addApplicationFontFromData(QByteArray(data))
            if font_id < 0:
                raise FontError(f"Qt could not load the font file {font}")
            _loaded[str(font)] = font_id
        families.extend(QFontDatabase.applicationFontFamilies(font_id))
    if FONT_FAMILY not in families:
        raise FontError(
            f"the {FONT_FAMILY} family was not among the fonts in {fonts_dir} "
            f"(found {sorted(set(families))}); Thai text would show as empty boxes"
        )
    missing = missing_characters(QFont(FONT_FAMILY), THAI_SAMPLE)
    if missing:
        raise FontError(f"{FONT_FAMILY} loaded but cannot draw the Thai characters {missing!r}")
    log.debug("loaded fonts %s from %s", sorted(set(families)), fonts_dir)
    return families


def application_font(point_size: int = DEFAULT_POINT_SIZE) -> QFont:
    """Return the kiosk's base font: Sarabun at a size comfortable to read."""
    font = QFont(FONT_FAMILY, point_size)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def install_application_font(app: QGuiApplication) -> QFont:
    """Load the bundled fonts and make Sarabun the application's font; raise FontError if it does not take."""
    load_fonts()
    font = application_font()
    app.setFont(font)
    actual = QFontInfo(app.font()).family()
    if actual != FONT_FAMILY:
        raise FontError(f"the application font is {actual!r}, not {FONT_FAMILY!r}")
    return font


def missing_characters(font: QFont, text: str) -> str:
    """Return the characters of text (spaces aside) that the font itself (no fallback) cannot draw."""
    raw = QRawFont.fromFont(font)
    if not raw.isValid():
        return "".join(dict.fromkeys(ch for ch in text if not ch.isspace()))
    return "".join(
        dict.fromkeys(ch for ch in text if not ch.isspace() and not raw.supportsCharacter(ord(ch)))
    )
