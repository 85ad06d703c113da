"""The first-run setup wizard as a state machine without Qt (as Electrum's wizard is).

    SCREEN → PLACE → PIN → COLLECTOR → REVIEW → (done)

* SCREEN: is the screen large enough for citizens (a 10-inch tablet or larger)? A small
  screen is reported, not refused: the clerk may carry on, and the review repeats it.
* PLACE: the province, then the district office, from geothai's names (Thai or English,
  searched as typed). Bangkok has district offices of its own (khet), not amphoe: not offered.
* PIN: the clerk PIN, entered twice (kiosk/pin.py says what a PIN may be).
* COLLECTOR: the collector's address and the one-time enrollment token, to enroll now or
  later. Both may be left empty: setup works with no network at all.
* REVIEW: what will be saved; ``answers`` hands it to sync/operations.py, which saves it.

Nothing is written until the end. Errors are codes (``SetupError.code``) that the screen
translates; the PIN is never in a message or a repr.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from typing import Final

import geothai

from kiosk.config import ConfigError, KioskConfig
from kiosk.pin import PinError, check_new_pin, normalise_pin
from wire.districts import BANGKOK_PROVINCE, valid_district
from wire.thai_order import thai_sort_key
from wire.vote import LANGUAGES

# A screen smaller than this cannot show the faces, cards and keyboard at a fingertip's size:
# the layouts are designed for 1280 x 800 and still work at 1024 x 600.
MIN_SCREEN_PX: Final = (1024, 600)
MIN_DIAGONAL_INCHES: Final = 9.5  # a "10-inch" tablet measures about 10.1


@dataclass(frozen=True, slots=True)
class Panel:
    """A tablet screen the kiosk supports: its pixels and its diagonal in inches."""

    width_px: int
    height_px: int
    diagonal_inches: float

    @property
    def dpi(self) -> float:
        """The panel's physical density in dots per inch."""
        return math.hypot(self.width_px, self.height_px) / self.diagonal_inches

    @property
    def name(self) -> str:
        """The panel as people name it, e.g. "1280x800"."""
        return f"{self.width_px}x{self.height_px}"


# The supported range, landscape only (docs/accessibility.md, "Screens"): from the smallest
# (1024 x 600 on a 10-inch panel, 118 dpi) to the densest (1920 x 1200 on the same panel,
# 224 dpi). Portrait is not supported: a keyboard row of 13 keys at a fingertip's width does
# not fit across 800 px of a 10-inch panel. Every citizen and clerk screen is checked at each.
SUPPORTED_PANELS: Final = (
    Panel(1024, 600, 10.1),
    Panel(1280, 800, 10.1),
    Panel(1920, 1200, 10.1),
)
MAX_TOKEN_CHARS: Final = 200


class SetupStep(Enum):
    """The wizard's pages, in order."""

    SCREEN = "screen"
    PLACE = "place"
    PIN = "pin"
    COLLECTOR = "collector"
    REVIEW = "review"


_ORDER: Final = tuple(SetupStep)


class SetupError(Exception):
    """An answer the wizard cannot take. ``code`` is what the screen translates.

    Codes: no_province, no_district, pin_format, pin_simple, pin_mismatch, bad_url, no_token,
    no_url, token_too_long, not_finished.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class ScreenCheck:
    """The screen as measured: pixels and, if the system knows, millimetres."""

    width_px: int
    height_px: int
    width_mm: float = 0.0
    height_mm: float = 0.0

    @property
    def diagonal_inches(self) -> float | None:
        """The diagonal in inches, or None when the size in millimetres is unknown."""
        if self.width_mm <= 0 or self.height_mm <= 0:
            return None
        return math.hypot(self.width_mm, self.height_mm) / 25.4

    @property
    def enough_pixels(self) -> bool:
        """At least MIN_SCREEN_PX wide and high: landscape (portrait is not supported)."""
        return self.width_px >= MIN_SCREEN_PX[0] and self.height_px >= MIN_SCREEN_PX[1]

    @property
    def fits_turned(self) -> bool:
        """Enough pixels if the tablet were turned to landscape."""
        return self.height_px >= MIN_SCREEN_PX[0] and self.width_px >= MIN_SCREEN_PX[1]

    @property
    def portrait(self) -> bool:
        """Taller than wide: the tablet is turned the wrong way for the kiosk."""
        return self.height_px > self.width_px

    @property
    def large_enough(self) -> bool:
        """Enough pixels and, when it is known, a diagonal of at least MIN_DIAGONAL_INCHES."""
        diagonal = self.diagonal_inches
        return self.enough_pixels and (diagonal is None or diagonal >= MIN_DIAGONAL_INCHES)


@dataclass(frozen=True, slots=True)
class Choice:
    """A province or a district as the lists show it."""

    code: str
    name_th: str
    name_en: str

    def name(self, lang: str) -> str:
        """Return the name in lang ("th" or "en")."""
        return self.name_en if lang == "en" else self.name_th


_PREFIXES: Final = ("จังหวัด", "อำเภอ", "จ.", "อ.", "changwat", "amphoe", "province", "district")


def _fold(text: str) -> str:
    """Text as searched: NFC, case folded, without spaces or a leading จังหวัด / อำเภอ."""
    folded = "".join(unicodedata.normalize("NFC", text).casefold().split())
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def _matches(query: str, *names: str) -> bool:
    wanted = _fold(query)
    return not wanted or any(wanted in _fold(name) for name in names)


def provinces(query: str = "") -> list[Choice]:
    """Return the provinces with district offices whose Thai or English name holds query, in
    Thai dictionary order."""
    found = [
        Choice(p.code, p.name_th, p.name_en)
        for p in geothai.provinces()
        if p.code != BANGKOK_PROVINCE and _matches(query, p.name_th, p.name_en)
    ]
    return sorted(found, key=lambda c: thai_sort_key(c.name_th))


def districts(province_code: str, query: str = "") -> list[Choice]:
    """Return the district offices of a province whose name holds query, in Thai order."""
    found = [
        Choice(d.code, d.name_th, d.name_en)
        for d in geothai.districts(province_code)
        if valid_district(d.code) and _matches(query, d.name_th, d.name_en)
    ]
    return sorted(found, key=lambda c: thai_sort_key(c.name_th))


def offered(typed: str, found: list[Choice]) -> Choice | None:
    """The one name typing has left (or spelled whole) for the clerk to confirm; None if not yet.

    Offered only: the clerk chooses it by a tap (a new-user trial: choosing it by itself sent
    the rest of a province's name into the district's field, which then chose a district).
    """
    if not typed.strip():
        return None
    if len(found) == 1:
        return found[0]
    wanted = _fold(typed)
    whole = [c for c in found if wanted in (_fold(c.name_th), _fold(c.name_en))]
    return whole[0] if len(whole) == 1 else None


@dataclass(frozen=True, slots=True)
class SetupAnswers:
    """What the clerk chose, ready to be saved."""

    district: str
    pin: str = field(repr=False)
    collector_url: str | None
    token: str | None = field(repr=False)
    enroll_now: bool
    default_language: str


@dataclass(slots=True)
class SetupWizard:
    """The wizard's state. Not thread-safe: drive it from the GUI thread."""

    default_language: str = "th"
    step: SetupStep = SetupStep.SCREEN
    screen: ScreenCheck | None = None
    province: str | None = None
    district: str | None = None
    _pin: str = field(default="", repr=False)
    collector_url: str = ""
    _token: str = field(default="", repr=False)
    enroll_now: bool = False

    def __post_init__(self) -> None:
        if self.default_language not in LANGUAGES:
            raise ValueError(f"default_language must be th or en, not {self.default_language!r}")

    # --- moving --------------------------------------------------------------------------------

    @property
    def index(self) -> int:
        """The step's position, from 0."""
        return _ORDER.index(self.step)

    @property
    def steps(self) -> int:
        """How many steps there are."""
        return len(_ORDER)

    def next(self) -> SetupStep:
        """Go to the next step if this one is complete; raises SetupError saying what is missing."""
        self.check_step()
        if self.step is not SetupStep.REVIEW:
            self.step = _ORDER[self.index + 1]
        return self.step

    def back(self) -> SetupStep:
        """Go back one step (answers are kept)."""
        if self.index > 0:
            self.step = _ORDER[self.index - 1]
        return self.step

    def check_step(self) -> None:
        """Raise SetupError if the current step lacks an answer."""
        if self.step is SetupStep.PLACE:
            if self.province is None:
                raise SetupError("no_province", "choose the province")
            if self.district is None:
                raise SetupError("no_district", "choose the district office")
        elif self.step is SetupStep.PIN and not self._pin:
            raise SetupError("pin_format", "enter the clerk PIN twice")

    # --- answers -------------------------------------------------------------------------------

    def measure_screen(self, check: ScreenCheck) -> bool:
        """Record the screen's size; return whether it is large enough."""
        self.screen = check
        return check.large_enough

    def choose_province(self, code: str) -> None:
        """Pick a province; a district of another province is forgotten."""
        if code == BANGKOK_PROVINCE or not any(p.code == code for p in geothai.provinces()):
            raise SetupError("no_province", f"{code!r} is not a province with district offices")
        if self.province != code:
            self.district = None
        self.province = code

    def choose_district(self, code: str) -> None:
        """Pick the district office (it must be in the chosen province)."""
        if self.province is None:
            raise SetupError("no_province", "choose the province first")
        if not valid_district(code) or not code.startswith(self.province):
            raise SetupError("no_district", f"{code!r} is not a district office of the province")
        self.district = code

    def check_first_pin(self, first: str) -> None:
        """Check the PIN as first typed, before it is asked again: raises SetupError
        (pin_format, pin_simple) for a PIN that could never be taken."""
        try:
            check_new_pin(first)
        except PinError as exc:
            self._pin = ""
            code = "pin_simple" if exc.code == "too_simple" else "pin_format"
            raise SetupError(code, str(exc)) from None

    def set_pin(self, first: str, second: str) -> None:
        """Take the PIN typed twice; raises SetupError (pin_format, pin_simple, pin_mismatch)."""
        self.check_first_pin(first)
        if normalise_pin(first) != normalise_pin(second):
            self._pin = ""
            raise SetupError("pin_mismatch", "the two PINs are not the same")
        self._pin = normalise_pin(first)

    @property
    def pin_given(self) -> bool:
        """Whether a PIN has been taken."""
        return bool(self._pin)

    def set_collector(self, url: str, token: str, *, enroll_now: bool) -> None:
        """Take the collector's address and token; both may be empty unless enrolling now."""
        url, token = url.strip().rstrip("/"), "".join(token.split())
        if url:
            try:
                KioskConfig(collector_url=url)
            except ConfigError:
                raise SetupError(
                    "bad_url", "the collector address must start with http:// or https://"
                ) from None
        if len(token) > MAX_TOKEN_CHARS:
            raise SetupError("token_too_long", "the enrollment token is too long")
        if enroll_now and not url:
            raise SetupError("no_url", "enrolling needs the collector's address")
        if enroll_now and not token:
            raise SetupError("no_token", "enrolling needs the one-time token")
        self.collector_url, self._token, self.enroll_now = url, token, enroll_now

    @property
    def token_given(self) -> bool:
        """Whether a token has been typed."""
        return bool(self._token)

    def answers(self) -> SetupAnswers:
        """Everything chosen, once every required step is done; raises SetupError otherwise."""
        if self.district is None:
            raise SetupError("not_finished", "no district office was chosen")
        if not self._pin:
            raise SetupError("not_finished", "no clerk PIN was given")
        return SetupAnswers(
            district=self.district,
            pin=self._pin,
            collector_url=self.collector_url or None,
            token=self._token or None,
            enroll_now=self.enroll_now,
            default_language=self.default_language,
        )
