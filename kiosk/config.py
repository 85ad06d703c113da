"""The kiosk's settings, kept as a small JSON file in the data folder.

Until a clerk sets the kiosk up, it runs a demo district so that `uv run main.py` is a complete
experience. The district a vote names comes from here; the collector checks it against the
district the central office bound the kiosk to at enrollment.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import geothai
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from wire.batch import MAX_BATCH_VOTES
from wire.districts import SIZE_GROUPS, valid_district
from wire.files import write_atomically
from wire.keys import is_weak_public_key
from wire.vote import LANGUAGES

CONFIG_FILE_NAME: Final = "config.json"
DEMO_DISTRICT: Final = "3706"  # Hua Taphan, Amnat Charoen: small-group winner of 2021
DEFAULT_BATCH_SIZE: Final = 500
DEFAULT_SYNC_INTERVAL_S: Final = 300
MIN_SYNC_INTERVAL_S: Final = 5
MAX_SYNC_INTERVAL_S: Final = 24 * 3600
# The citizen flow's timings a clerk may change (kiosk/flow.py's FlowSettings), in seconds.
DEFAULT_IDLE_TIMEOUT_S: Final = 60.0
IDLE_TIMEOUT_RANGE_S: Final = (20.0, 600.0)
DEFAULT_COOLDOWN_S: Final = 10.0
COOLDOWN_RANGE_S: Final = (0.0, 120.0)
# How often the running kiosk looks for a signed update at the collector (kiosk/updates.py).
DEFAULT_UPDATE_INTERVAL_S: Final = 4 * 3600.0
UPDATE_INTERVAL_RANGE_S: Final = (600.0, 7 * 86400.0)
_HEX64 = re.compile(r"[0-9a-f]{64}")
log = logging.getLogger(__name__)


class ConfigError(Exception):
    """The settings file cannot be used; it is left as it is."""


@dataclass(frozen=True, slots=True)
class KioskConfig:
    """The kiosk's settings."""

    district: str = DEMO_DISTRICT
    demo: bool = True
    default_language: str = "th"  # the language each new citizen starts in
    # The language of the clerk's screens (PIN pad included): Thai, the clerk's language, unless
    # a technician sets "en" here. The citizens' default never changes it.
    clerk_language: str = "th"
    # Enrollment: the collector this kiosk sends to and the key its receipts must carry
    # (pinned at enrollment; hex of the raw Ed25519 public key). District and size group are
    # decided centrally and copied here from the enrollment answer.
    collector_url: str | None = None
    collector_key: str | None = None
    enrolled: bool = False
    size_group: str | None = None
    # Sync settings.
    batch_size: int = DEFAULT_BATCH_SIZE
    sync_interval_s: float = DEFAULT_SYNC_INTERVAL_S
    ca_bundle: str | None = (
        None  # a CA certificate file for the collector's TLS; None: the system's
    )
    # The citizen flow: "still there?" after this long without a touch, and the pause after
    # each vote before the next may start (set by the clerk on the settings screen).
    idle_timeout_s: float = DEFAULT_IDLE_TIMEOUT_S
    cooldown_s: float = DEFAULT_COOLDOWN_S
    # Updates: the collector (when enrolled) and plugged sticks are checked this often.
    update_interval_s: float = DEFAULT_UPDATE_INTERVAL_S

    def __post_init__(self) -> None:
        if not valid_district(self.district):
            raise ConfigError(f"district {self.district!r} is not the code of a district office")
        if self.default_language not in LANGUAGES:
            raise ConfigError(f"default_language must be th or en, not {self.default_language!r}")
        if self.clerk_language not in LANGUAGES:
            raise ConfigError(f"clerk_language must be th or en, not {self.clerk_language!r}")
        for name in ("demo", "enrolled"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(f"{name} must be true or false, not {getattr(self, name)!r}")
        self._check_enrollment()
        self._check_sync_settings()

    def _check_enrollment(self) -> None:
        if self.collector_url is not None and not _is_http_url(self.collector_url):
            raise ConfigError(
                f"collector_url must be an http:// or https:// address, not {self.collector_url!r}"
            )
        if self.collector_key is not None and not _is_public_key(self.collector_key):
            raise ConfigError(
                "collector_key must be the collector's Ed25519 public key as 64 lowercase hex digits"
            )
        if self.size_group is not None and self.size_group not in SIZE_GROUPS:
            raise ConfigError(f"size_group must be small, medium or large, not {self.size_group!r}")
        if self.enrolled:
            # A kiosk enrolled by USB (an answer file) has the key but may have no address.
            if self.collector_key is None:
                raise ConfigError("an enrolled kiosk needs collector_key")
            if self.demo:
                raise ConfigError("an enrolled kiosk cannot be in demo mode (demo must be false)")

    def _check_sync_settings(self) -> None:
        size = self.batch_size
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_BATCH_VOTES:
            raise ConfigError(
                f"batch_size must be a whole number from 1 to {MAX_BATCH_VOTES}, not {size!r}"
            )
        interval = self.sync_interval_s
        if (
            isinstance(interval, bool)
            or not isinstance(interval, int | float)
            or not MIN_SYNC_INTERVAL_S <= interval <= MAX_SYNC_INTERVAL_S
        ):
            raise ConfigError(
                f"sync_interval_s must be a number of seconds from {MIN_SYNC_INTERVAL_S}"
                f" to {MAX_SYNC_INTERVAL_S}, not {interval!r}"
            )
        if self.ca_bundle is not None and (
            not isinstance(self.ca_bundle, str) or not self.ca_bundle.strip()
        ):
            raise ConfigError("ca_bundle must be the path of a certificate file, or null")
        for name, (low, high) in (
            ("idle_timeout_s", IDLE_TIMEOUT_RANGE_S),
            ("cooldown_s", COOLDOWN_RANGE_S),
            ("update_interval_s", UPDATE_INTERVAL_RANGE_S),
        ):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not low <= value <= high
            ):
                raise ConfigError(
                    f"{name} must be a number of seconds from {low:g} to {high:g}, not {value!r}"
                )

    @property
    def sends_over_network(self) -> bool:
        """True when the kiosk is enrolled and knows the collector's address (one enrolled by
        USB stick may not: its votes go out on a stick until the address is set)."""
        return self.enrolled and self.collector_url is not None

    @property
    def collector_public_key(self) -> Ed25519PublicKey | None:
        """The pinned collector key, or None before enrollment."""
        if self.collector_key is None:
            return None
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(self.collector_key))

    def with_changes(self, **changes: Any) -> KioskConfig:
        """Return a copy with some settings changed (validated)."""
        return replace(self, **changes)


def _is_http_url(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _is_public_key(value: object) -> bool:
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(value))
    except ValueError:
        return False
    return not is_weak_public_key(bytes.fromhex(value))


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
    write_atomically(path, json.dumps(asdict(config), ensure_ascii=False, indent=2).encode("utf-8"))
