"""The kiosk's settings, kept as a small JSON file in the data folder.

Until a clerk sets the kiosk up, it runs a demo district so that `uv run main.py` is a complete
experience. The district a vote names comes from here; the collector checks it against the
district the central office bound the kiosk to at enrollment.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Final

import geothai

from kiosk.vote import LANGUAGES, valid_district

CONFIG_FILE_NAME: Final = "config.json"
DEMO_DISTRICT: Final = "3706"  # Hua Taphan, Amnat Charoen: small-group winner of 2021
log = logging.getLogger(__name__)


class ConfigError(Exception):
    """The settings file cannot be used; it is left as it is."""


@dataclass(frozen=True, slots=True)
class KioskConfig:
    """The kiosk's settings."""

    district: str = DEMO_DISTRICT
    demo: bool = True
    default_language: str = "th"

    def __post_init__(self) -> None:
        if not valid_district(self.district):
            raise ConfigError(f"district {self.district!r} is not the code of a district office")
        if self.default_language not in LANGUAGES:
            raise ConfigError(f"default_language must be th or en, not {self.default_language!r}")

    def with_changes(self, **changes: Any) -> KioskConfig:
        """Return a copy with some settings changed (validated)."""
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Place:
    """A district office's names, from geothai."""

    district_code: str
    district_th: str
    district_en: str
    province_th: str
    province_en: str


def place_of(district_code: str) -> Place:
    """Return the Thai and English names of a district and its province."""
    district = geothai.district(district_code)
    if district is None:
        raise ConfigError(f"unknown district {district_code!r}")
    province = geothai.province(district.province_code)
    if province is None:  # pragma: no cover - geothai's data is consistent
        raise ConfigError(f"unknown province for district {district_code!r}")
    return Place(
        district_code, district.name_th, district.name_en, province.name_th, province.name_en
    )


def load_config(data_dir: Path) -> KioskConfig:
    """Read the settings from data_dir; the demo settings when there is no file yet."""
    path = data_dir / CONFIG_FILE_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return KioskConfig()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"the settings file {path} cannot be read: {exc}") from exc
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"the settings file {path} is not valid JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"the settings file {path} must hold a JSON object")
    known = {k: v for k, v in raw.items() if k in KioskConfig.__dataclass_fields__}
    try:
        return KioskConfig(**known)
    except TypeError as exc:
        raise ConfigError(f"the settings file {path} has a bad value: {exc}") from exc


def save_config(data_dir: Path, config: KioskConfig) -> None:
    """Write the settings atomically (a crash leaves the old file or the new one, never half)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / CONFIG_FILE_NAME
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(asdict(config), f, ensure_ascii=False, indent=2)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
