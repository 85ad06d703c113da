"""What `sangsuk-kiosk` says of votes sent, exported and asked for again, through the
translation files (context KioskCommand), for ui/cli_words.py.

The English for one is not the English for many (the Thai is the same). Votes the central
office asked for again (kiosk/resend.py) were delivered before: they are said apart from the
votes still pending, never counted among them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from ui.i18n import fill

translate = QCoreApplication.translate
Values = Mapping[str, Any]


def status_resend(v: Values, _language: str) -> list[str]:
    """Votes the central office asked for again, waiting to be sent."""
    count = int(v["count"])
    if count == 1:
        return [translate("KioskCommand", "1 vote to send again (the central office asked for it)")]
    text = translate("KioskCommand", "%1 votes to send again (the central office asked for them)")
    return [fill(text, str(count))]


def nothing_to_send(v: Values, _language: str) -> list[str]:
    """Nothing was sent: nothing was pending."""
    if v["delivered"] == 0:
        return [translate("KioskCommand", "Nothing to send: no votes have been cast yet.")]
    if v["delivered"] == 1:
        line = translate("KioskCommand", "Nothing to send: the one vote is delivered.")
    else:
        text = translate("KioskCommand", "Nothing to send: all %1 votes are delivered.")
        line = fill(text, str(v["delivered"]))
    if v.get("checked"):  # the check-in's receipt listed no gap (sync/worker.py)
        confirmed = translate(
            "KioskCommand", "The central office confirmed that it holds every vote of this kiosk."
        )
        line = f"{line} {confirmed}"
    return [line]


def sent(v: Values, _language: str) -> list[str]:
    """Votes sent over the network, newly delivered, still pending, and sent again."""
    rest = str(v["delivered"]), str(v["pending"])
    if v["sent"] == 1:
        text = translate(
            "KioskCommand", "Sent 1 vote in 1 batch: %1 newly delivered, %2 still pending."
        )
        line = fill(text, *rest)
    elif v["batches"] == 1:
        text = translate(
            "KioskCommand", "Sent %1 votes in 1 batch: %2 newly delivered, %3 still pending."
        )
        line = fill(text, str(v["sent"]), *rest)
    else:
        text = translate(
            "KioskCommand", "Sent %1 votes in %2 batches: %3 newly delivered, %4 still pending."
        )
        line = fill(text, str(v["sent"]), str(v["batches"]), *rest)
    resent = int(v.get("resent", 0))
    if resent:  # delivered before, so not "newly delivered": say where the others went
        again = translate(
            "KioskCommand",
            "%1 of them were sent again because the central office asked for them, and it"
            " now holds them.",
        )
        line = f"{line} {fill(again, str(resent))}"
    return [line]


def written_before(v: Values, _language: str) -> list[str]:
    """Files written and checked before an export stopped."""
    if v["count"] == 1:
        text = translate("KioskCommand", "1 file was written and checked before that: %1")
        return [fill(text, str(v["names"]))]
    text = translate("KioskCommand", "%1 files were written and checked before that: %2")
    return [fill(text, str(v["count"]), str(v["names"]))]


def exported(v: Values, _language: str) -> list[str]:
    """An export's votes and files; those the central office asked for again said apart."""
    then = translate(
        "KioskCommand",
        "They stay pending until the collector's receipt is imported (sangsuk-kiosk"
        " import-receipt FILE).",
    )
    resent = int(v.get("resent", 0))
    if resent:  # delivered votes the collector asked for again: not pending, nor late
        then = _resent(resent, int(v["votes"]))
    if v["votes"] == 1:
        #: %1 is the folder (the USB stick).
        text = translate("KioskCommand", "Exported 1 vote in 1 file to %1.")
        return [f"{fill(text, str(v['folder']))} {then}"]
    if v["files"] == 1:
        text = translate("KioskCommand", "Exported %1 votes in 1 file to %2.")
        return [f"{fill(text, str(v['votes']), str(v['folder']))} {then}"]
    text = translate("KioskCommand", "Exported %1 votes in %2 files to %3.")
    return [f"{fill(text, str(v['votes']), str(v['files']), str(v['folder']))} {then}"]


def _resent(resent: int, votes: int) -> str:
    """What an export that carried votes the central office asked for again says after its count."""
    if resent == votes:
        return translate(
            "KioskCommand",
            "All of them were delivered before and are sent again because the central office"
            " asked for them (it lost them when it was restored from a backup); none is pending."
            " They stay on the list to send again until the collector's receipt is imported"
            " (sangsuk-kiosk import-receipt FILE).",
        )
    then = translate(
        "KioskCommand",
        "The new ones stay pending, and those asked for again stay on the list to send again,"
        " until the collector's receipt is imported (sangsuk-kiosk import-receipt FILE).",
    )
    if resent == 1:
        said = translate(
            "KioskCommand",
            "1 of them was delivered before and is sent again because the central office asked"
            " for it (it lost it when it was restored from a backup).",
        )
    else:
        #: %1 of the votes exported were delivered before and are sent again.
        text = translate(
            "KioskCommand",
            "%1 of them were delivered before and are sent again because the central office"
            " asked for them (it lost them when it was restored from a backup).",
        )
        said = fill(text, str(resent))
    return f"{said} {then}"


def receipt_marked(v: Values, _language: str) -> list[str]:
    """A receipt read: votes newly marked delivered, and those still pending."""
    if v["marked"] == 1:
        text = translate(
            "KioskCommand", "The receipt %1 marked 1 vote as delivered; %2 still pending."
        )
        return [fill(text, str(v["name"]), str(v["pending"]))]
    text = translate(
        "KioskCommand", "The receipt %1 marked %2 votes as delivered; %3 still pending."
    )
    return [fill(text, str(v["name"]), str(v["marked"]), str(v["pending"]))]
