"""What the clerk is told, by code: sync, enrolment, USB, failed saves, setup answers and why
the district office cannot be changed.

The domain gives a reason as a short code and an English detail for the log; these functions
say it in the clerk's language (Thai by default) in plain words: what happened, whether the
votes are safe, what to do. An unknown code falls back to a general sentence.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QCoreApplication, QLocale

from kiosk.folders import size_text
from kiosk.roster import MAX_PHOTO_BYTES, MAX_TEXT_CHARS
from ui.i18n import fill
from wire.clock import THAI_TIME, parse_utc

BUDDHIST_ERA_OFFSET: Final = 543  # Thai readers count years from the Buddha: 2026 is 2569


def local_time(stamp: str | None) -> str:
    """A protocol timestamp as Thai local time, as the clerk reads dates: 24 พ.ย. 2569 10:05 in
    Thai (Buddhist era), 24 Nov 2026 10:05 in English."""
    if not stamp:
        return ""
    try:
        moment = parse_utc(stamp).astimezone(THAI_TIME)
    except ValueError:
        return stamp
    thai = QLocale().language() == QLocale.Language.Thai
    month = QLocale().monthName(moment.month, QLocale.FormatType.ShortFormat)
    year = moment.year + BUDDHIST_ERA_OFFSET if thai else moment.year
    return f"{moment.day} {month} {year} {moment:%H:%M}"


def sync_error(code: str | None) -> str:
    """Why sending stopped, for the dashboard and the sync button."""
    messages = {
        "not_enrolled": QCoreApplication.translate(
            "ClerkText",
            "This kiosk is not enrolled with the central collector yet: enrol it in Settings.",
        ),
        "unreachable": QCoreApplication.translate(
            "ClerkText",
            "The central collector could not be reached (no internet?). The votes are safe here"
            " and will be sent later, or export them to a USB stick.",
        ),
        "timeout": QCoreApplication.translate(
            "ClerkText",
            "The central collector did not answer in time. The votes are safe here and will be"
            " sent later.",
        ),
        "tls": QCoreApplication.translate(
            "ClerkText",
            "The secure connection to the collector failed (its certificate was not trusted)."
            " Ask the central office.",
        ),
        "not_tls": QCoreApplication.translate(
            "ClerkText",
            "The collector's address starts with https://, but the collector there does not use"
            " a secure connection. Check the address with the central office.",
        ),
        "refused": QCoreApplication.translate(
            "ClerkText", "The central collector refused the votes. Ask the central office."
        ),
        "busy": QCoreApplication.translate(
            "ClerkText", "The central collector is busy. The votes will be sent later."
        ),
        "server_error": QCoreApplication.translate(
            "ClerkText",
            "The central collector had a fault. The votes are safe here and will be sent later.",
        ),
        "bad_response": QCoreApplication.translate(
            "ClerkText", "The collector's answer could not be understood. The votes are safe here."
        ),
        "bad_receipt": QCoreApplication.translate(
            "ClerkText",
            "The collector's receipt could not be checked, so nothing was marked as sent.",
        ),
        "wrong_collector": QCoreApplication.translate(
            "ClerkText",
            "The receipt was not signed by the collector this kiosk enrolled with: nothing was"
            " marked as sent. Ask the central office.",
        ),
        "conflict": QCoreApplication.translate(
            "ClerkText",
            "The collector already holds other votes under the same numbers. They are kept"
            " here. Ask the central office.",
        ),
        "storage": QCoreApplication.translate(
            "ClerkText",
            "This kiosk could not record what was sent. The votes are safe and will be sent again.",
        ),
        "internal": QCoreApplication.translate(
            "ClerkText", "Sending stopped because of an unexpected error. The votes are safe."
        ),
        "cancelled": QCoreApplication.translate("ClerkText", "Sending was stopped."),
    }
    return messages.get(
        code or "",
        QCoreApplication.translate(
            "ClerkText", "Sending stopped. The votes are safe on this kiosk."
        ),
    )


def enroll_error(code: str) -> str:
    """Why enrolling failed, a whole sentence with no "enrolling did not work" before it.

    Every code the collector answers to POST /api/v1/enroll (docs/protocol.md 5.4, and the
    refusals of any request: invalid_request, too_large, busy) has its own words, and so has
    every code the kiosk gives itself; tests/ui/clerk/test_enroll_refusals.py walks them all.
    """
    other_district = QCoreApplication.translate(
        "ClerkText",
        "The token is for another district office than the one chosen here. Check the district"
        " office: until the kiosk is enrolled or a citizen votes, it can be changed in Settings."
        " Or ask the central office for a token for this one.",
    )
    malformed = QCoreApplication.translate(
        "ClerkText",
        "The central collector did not understand the request. Check that the token was typed"
        " whole, or ask the central office.",
    )
    messages = {
        "bad_url": QCoreApplication.translate(
            "ClerkText", "The collector address is not valid: it starts with http:// or https://."
        ),
        "token_unknown": QCoreApplication.translate(
            "ClerkText",
            "The enrolment token is not known. Check it, or ask the central office for a new one.",
        ),
        "token_used": QCoreApplication.translate(
            "ClerkText",
            "The enrolment token has already been used. Ask the central office for a new one.",
        ),
        "already_enrolled": QCoreApplication.translate(
            "ClerkText",
            "This kiosk is already enrolled for another district. Ask the central office.",
        ),
        # The collector refuses a token for another district than the kiosk's (unused), and the
        # kiosk refuses an answer for another district than its own: the same words.
        "wrong_district": other_district,
        "token_other_district": other_district,
        "revoked": QCoreApplication.translate(
            "ClerkText", "The central office has revoked this kiosk."
        ),
        "bad_public_key": QCoreApplication.translate(
            "ClerkText",
            "The central collector refused this kiosk's key. Nothing was changed. Ask a"
            " technician.",
        ),
        "refused": QCoreApplication.translate(
            "ClerkText",
            "The address answered, but refused to enrol this kiosk. Check the collector address,"
            " or ask the central office.",
        ),
        "invalid_request": malformed,
        "too_large": malformed,
        "unreachable": QCoreApplication.translate(
            "ClerkText",
            "The central collector could not be reached (no internet, or a wrong address?)."
            " Nothing was changed: try again when the kiosk is online, or enrol by USB stick.",
        ),
        "timeout": QCoreApplication.translate(
            "ClerkText",
            "The central collector did not answer in time. Nothing was changed: try again later.",
        ),
        "tls": QCoreApplication.translate(
            "ClerkText",
            "The secure connection to the collector failed (its certificate was not trusted)."
            " Ask the central office.",
        ),
        "not_tls": QCoreApplication.translate(
            "ClerkText",
            "The collector's address starts with https://, but the collector there does not use"
            " a secure connection. Check the address with the central office.",
        ),
        "busy": QCoreApplication.translate(
            "ClerkText",
            "The central collector is busy. Nothing was changed: try again in a few minutes.",
        ),
        "server_error": QCoreApplication.translate(
            "ClerkText",
            "The central collector had a fault. Nothing was changed: try again later.",
        ),
        "bad_response": QCoreApplication.translate(
            "ClerkText",
            "The answer could not be understood: is the address really the central collector's?"
            " Nothing was changed.",
        ),
        "ledger_busy": QCoreApplication.translate(
            "ClerkText", "The votes could not be set aside. Try again."
        ),
        "bad_answer": QCoreApplication.translate(
            "ClerkText",
            "The central collector's signed answer did not check out (changed on the way, for"
            " another kiosk, or from another collector). Nothing was changed. Call the central"
            " office.",
        ),
        "internal": QCoreApplication.translate(
            "ClerkText",
            "An unexpected error stopped it. Nothing was changed: see the kiosk's log, and try"
            " again.",
        ),
    }
    return messages.get(
        code,
        QCoreApplication.translate(
            "ClerkText",
            "The central collector did not accept this kiosk. Nothing was changed. Ask the"
            " central office.",
        ),
    )


def usb_error(code: str) -> str:
    """Why an export or a receipt import failed."""
    messages = {
        "no_folder": QCoreApplication.translate(
            "ClerkText", "The USB stick cannot be found. Check that it is plugged in."
        ),
        "read_only": QCoreApplication.translate(
            "ClerkText",
            "The USB stick is write-protected and cannot be written to: check its lock switch,"
            " or use another stick. Nothing was written; the votes are still on this kiosk.",
        ),
        "write_failed": QCoreApplication.translate(
            "ClerkText",
            "Writing to the USB stick failed (was it pulled out, or is it full?). No incomplete"
            " file was left, and the votes are still on this kiosk. Plug it in and try again.",
        ),
        "verify_failed": QCoreApplication.translate(
            "ClerkText",
            "A file on the USB stick did not read back correctly and was removed. The votes are"
            " still on this kiosk. Try another stick.",
        ),
        "summary_failed": QCoreApplication.translate(
            "ClerkText",
            "The vote files were written, but the Excel summary could not be. The votes can"
            " still be delivered.",
        ),
        "demo": QCoreApplication.translate(
            "ClerkText", "This kiosk is still in demo mode: set it up before exporting."
        ),
        "not_enrolled": QCoreApplication.translate(
            "ClerkText",
            "This kiosk is not enrolled, so it cannot check a receipt yet. If the central"
            " office's answer is on this stick, read it first: Settings, No internet? Enrol by"
            " USB stick, Read the answer. Then read the receipts again.",
        ),
        "bad_receipt_signature": QCoreApplication.translate(
            "ClerkText", "A receipt was not signed by the central collector: nothing was marked."
        ),
        "wrong_kiosk": QCoreApplication.translate(
            "ClerkText", "A receipt is for another kiosk: nothing was marked."
        ),
        "wrong_batch": QCoreApplication.translate(
            "ClerkText", "A receipt is for other votes than this kiosk's: nothing was marked."
        ),
        "unreadable": QCoreApplication.translate(
            "ClerkText",
            "The receipt file cannot be read: check that it is there and that the USB stick is"
            " still plugged in. Nothing was marked.",
        ),
    }
    return messages.get(
        code,
        QCoreApplication.translate("ClerkText", "A file on the USB stick is not a valid receipt."),
    )


def usb_enroll_error(code: str) -> str:
    """Why writing the enrollment request to a USB stick or reading the answer did not work
    (sync/usb_enroll.py), for the settings screen and `sangsuk-kiosk`.

    Their context stays "UsbEnrollment", the screen they were first written for.
    """
    messages = {
        "demo": QCoreApplication.translate(
            "UsbEnrollment", "This kiosk is still in demo mode: set it up for its district first."
        ),
        "write_failed": QCoreApplication.translate(
            "UsbEnrollment",
            "Writing to the USB stick failed (was it pulled out, or is it full?)."
            " Plug it in and try again.",
        ),
        "no_answer": QCoreApplication.translate(
            "UsbEnrollment",
            "There is no answer for this kiosk on the USB stick yet. Has the central office"
            " imported the request?",
        ),
        "no_request": QCoreApplication.translate(
            "UsbEnrollment",
            "This kiosk has not written an enrollment request, so it accepts no answer."
            " Write the request first.",
        ),
        "wrong_kiosk": QCoreApplication.translate(
            "UsbEnrollment",
            "This answer is for another kiosk (or for this kiosk's old key). Nothing was"
            " changed. Check the stick, or ask the central office.",
        ),
        "bad_signature": QCoreApplication.translate(
            "UsbEnrollment",
            "This answer was changed after the central office signed it, or is not signed"
            " by a central collector. Nothing was changed. Ask for a new answer.",
        ),
        "wrong_collector": QCoreApplication.translate(
            "UsbEnrollment",
            "This answer is signed by another central collector than the one this kiosk"
            " trusts. Nothing was changed. Call the central office.",
        ),
        "stale_answer": QCoreApplication.translate(
            "UsbEnrollment",
            "This answer belongs to an older enrollment request of this kiosk. Nothing was"
            " changed. Take the latest request to the central office.",
        ),
    }
    return messages.get(
        code,
        QCoreApplication.translate(
            "UsbEnrollment",
            "The file on the USB stick is not a valid enrollment answer. Nothing was changed.",
        ),
    )


def save_failure(code: str) -> str:
    """Why a citizen's vote could not be saved."""
    messages = {
        "disk_full": QCoreApplication.translate(
            "ClerkText", "The tablet's storage is full. Free some space, then check the votes."
        ),
        "database_error": QCoreApplication.translate(
            "ClerkText", "The vote database reported an error. See the kiosk's log."
        ),
        "not_open": QCoreApplication.translate(
            "ClerkText", "The vote database could not be opened. Restart the kiosk."
        ),
    }
    return messages.get(
        code, QCoreApplication.translate("ClerkText", "A vote was refused. See the kiosk's log.")
    )


def roster_error(code: str) -> str:
    """Why a change to the staff, units, services or tags was not saved (kiosk/roster/ codes)."""
    messages = {
        "empty": QCoreApplication.translate("ClerkText", "Please type the name in Thai."),
        "control_char": QCoreApplication.translate(
            "ClerkText",
            "A name or position holds a character that cannot be shown. Type it again.",
        ),
        "too_long": QCoreApplication.translate(
            "ClerkText", "A name or position is too long: at most %1 characters."
        ),
        "too_many": QCoreApplication.translate(
            "ClerkText",
            "The kiosk already shows as many of these as it can. Retire one that is no longer"
            " needed first.",
        ),
        "duplicate_staff": QCoreApplication.translate(
            "ClerkText",
            "A staff member with this name and this position is already on the kiosk: citizens"
            " would see two cards alike. Edit that one instead, or add the position.",
        ),
        "duplicate": QCoreApplication.translate(
            "ClerkText",
            "One with this name is already on the kiosk: citizens would see it twice. Edit that"
            " one instead.",
        ),
        "photo_type": QCoreApplication.translate(
            "ClerkText", "The photo must be a .png or .jpg file. Choose another photo."
        ),
        "photo_unreadable": QCoreApplication.translate(
            "ClerkText",
            "The photo could not be read (was the USB stick removed?). Choose the photo again.",
        ),
        "photo_too_large": QCoreApplication.translate(
            "ClerkText", "The photo is larger than %1. Choose a smaller photo."
        ),
        "photo_not_image": QCoreApplication.translate(
            "ClerkText",
            "This file is not a picture, although its name ends in .png or .jpg. Choose another"
            " photo.",
        ),
    }
    text = messages.get(
        code,
        QCoreApplication.translate(
            "ClerkText", "This entry cannot be used. Nothing was changed; see the kiosk's log."
        ),
    )
    if code == "too_long":  # %1: the most characters a name or position may have
        return fill(text, str(MAX_TEXT_CHARS))
    if code == "photo_too_large":  # %1: the largest photo, e.g. 4.8 MB
        return fill(text, size_text(MAX_PHOTO_BYTES))
    return text


def setup_error(code: str) -> str:
    """Why the setup wizard cannot go on."""
    messages = {
        "no_province": QCoreApplication.translate("ClerkText", "Choose the province."),
        "no_district": QCoreApplication.translate("ClerkText", "Choose the district office."),
        "pin_format": QCoreApplication.translate("ClerkText", "The PIN is 6 to 12 digits."),
        "pin_simple": QCoreApplication.translate(
            "ClerkText", "Choose a PIN that is not one digit repeated or digits in a row."
        ),
        "pin_mismatch": QCoreApplication.translate(
            "ClerkText", "The two PINs are not the same. Enter the new PIN again."
        ),
        "bad_url": QCoreApplication.translate(
            "ClerkText", "The collector address starts with http:// or https://."
        ),
        "no_url": QCoreApplication.translate(
            "ClerkText", "Enter the collector's address to enrol now."
        ),
        "no_token": QCoreApplication.translate(
            "ClerkText", "Enter the one-time token to enrol now."
        ),
        "token_too_long": QCoreApplication.translate("ClerkText", "The token is too long."),
        "not_finished": QCoreApplication.translate("ClerkText", "Some steps are not finished."),
    }
    return messages.get(
        code, QCoreApplication.translate("ClerkText", "This answer cannot be used.")
    )


def district_refusal(code: str) -> str:
    """Why the district office cannot be changed in Settings (kiosk/district_change.py)."""
    messages = {
        "enrolled": QCoreApplication.translate(
            "ClerkText",
            "This kiosk is enrolled with the central collector for this district office, so it"
            " can no longer be changed here. If it is wrong, call the central office.",
        ),
        "has_votes": QCoreApplication.translate(
            "ClerkText",
            "Citizens have already voted on this kiosk for this district office, and their votes"
            " cannot be changed, so it can no longer be changed here. If it is wrong, call the"
            " central office.",
        ),
        "demo": QCoreApplication.translate(
            "ClerkText",
            "The kiosk is not set up yet: the setup wizard chooses its district office.",
        ),
        "unknown_district": QCoreApplication.translate(
            "ClerkText", "That is not a district office: choose one from the list."
        ),
    }
    return messages.get(
        code,
        QCoreApplication.translate(
            "ClerkText",
            "The kiosk's settings or votes could not be read, so the district office cannot be"
            " changed now. Nothing was changed. Call the central office.",
        ),
    )


def pin_problem(code: str) -> str:
    """Why the PIN pad cannot be used."""
    if code == "damaged":
        return QCoreApplication.translate(
            "ClerkText", "The PIN file is damaged. Ask a technician (see the clerk's guide)."
        )
    if code == "unwritable":
        return QCoreApplication.translate(
            "ClerkText", "The new PIN could not be saved (is the storage full?)."
        )
    return QCoreApplication.translate("ClerkText", "The PIN cannot be checked.")
