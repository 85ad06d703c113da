"""What `sangsuk-kiosk` says of the campaign, in the reader's language (context KioskCommand).

sync/terminal.py says ``campaign`` (the campaign kept: its names, year, Thai days, where it
stands on the kiosk's clock and when it came), ``no_campaign``, and why a campaign file was not
used; ui/cli_words.py words the rest. A campaign that ended is said plainly: votes now count in
no campaign until the central office sends the next one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Final

from PySide6.QtCore import QCoreApplication, QLocale

from ui.clerk.text import local_time
from ui.i18n import fill

translate = QCoreApplication.translate
Values = Mapping[str, Any]
BUDDHIST_ERA_OFFSET: Final = 543


def day_text(day: date, language: str) -> str:
    """A Thai day as its reader writes it: 6 ธันวาคม 2569 in Thai, 6 December 2026 in English."""
    year = day.year + BUDDHIST_ERA_OFFSET if language == "th" else day.year
    return f"{day.day} {QLocale().monthName(day.month)} {year}"


def _campaign(v: Values, language: str) -> list[str]:
    name = str(v["name_th"] if language == "th" else v["name_en"])
    year = str(v["year"])
    first, last = day_text(v["first"], language), day_text(v["last"], language)
    if v["phase"] == "ended":
        #: %1 the campaign's name, %2 its Buddhist-era year, %3 its last day.
        text = translate(
            "KioskCommand",
            "Campaign: %1 (year %2) ended on %3. Votes now count in no campaign until the central"
            " office sends the next one: ask the central office.",
        )
        lines = [fill(text, name, year, last)]
    elif v["phase"] == "upcoming":
        #: %1 the campaign's name, %2 its Buddhist-era year, %3 its first day.
        text = translate(
            "KioskCommand",
            "Campaign: %1 (year %2) starts on %3; until then the kiosk shows the default welcome.",
        )
        lines = [fill(text, name, year, first)]
    else:
        #: %1 the campaign's name, %2 its Buddhist-era year, %3 and %4 its first and last days.
        text = translate("KioskCommand", "Campaign: %1 (year %2), from %3 to %4.")
        lines = [fill(text, name, year, first, last)]
    if v.get("heard_at"):
        when = local_time(str(v["heard_at"]))
        if v.get("heard_from") == "usb":
            lines.append(
                fill(translate("KioskCommand", "Campaign read from a USB stick on %1"), when)
            )
        else:
            heard = translate(
                "KioskCommand", "Campaign last heard from the central collector on %1"
            )
            lines.append(fill(heard, when))
    return lines


def _no_campaign(_v: Values, _language: str) -> list[str]:
    return [
        translate("KioskCommand", "Campaign: none heard yet; the kiosk shows the default welcome.")
    ]


def _foreign(v: Values, _language: str) -> list[str]:
    #: %1 is the file's name, e.g. sangsuk-2570.campaign.json.
    text = translate(
        "KioskCommand",
        "The campaign file %1 is not from this kiosk's central office and was not used: ask the"
        " central office.",
    )
    return [fill(text, str(v["name"]))]


def _unreadable(v: Values, _language: str) -> list[str]:
    #: %1 is the file's name, e.g. sangsuk-2570.campaign.json.
    text = translate("KioskCommand", "The campaign file %1 cannot be read and was not used.")
    return [fill(text, str(v["name"]))]


def _not_enrolled(_v: Values, _language: str) -> list[str]:
    return [
        translate(
            "KioskCommand",
            "This kiosk is not enrolled, so it cannot check a campaign file yet: enrol it first"
            " (sangsuk-kiosk enroll, or sangsuk-kiosk enroll-request by USB stick).",
        )
    ]


CAMPAIGN_WORDS: Final[dict[str, Callable[[Values, str], list[str]]]] = {
    "campaign": _campaign,
    "no_campaign": _no_campaign,
    "campaign_foreign": _foreign,
    "campaign_unreadable": _unreadable,
    "campaign_not_enrolled": _not_enrolled,
}
