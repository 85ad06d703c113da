"""What `sangsuk-kiosk`'s subcommands print, in Thai and in English, through the translation files.

sync/terminal.py says what happened as names and values (``Said``); this module words each in
the reader's language and leaves the printing to ui/cli.py. By default every outcome is printed
in Thai first, then in English (``--language th`` or ``--language en`` prints one language).
A refusal is worded by its code with the clerk's screens' own words (ui/clerk/text.py), so
the screen and the command line say the same thing; only where the screen's words point at a
screen ("enrol it in Settings") does the command line say the command to run instead.

Only QtCore is loaded, so that a subcommand starts fast: the Thai catalogue (ui/i18n.py
compiles and caches it) is read by a QTranslator into a QCoreApplication (no window, no
platform plugin), or into the application already running (a test's).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, QTranslator

from sync.operations import district_named
from sync.terminal import Said
from ui import cli_counts as counts
from ui.clerk.text import enroll_error, local_time, sync_error, usb_enroll_error, usb_error
from ui.cli_campaign import CAMPAIGN_WORDS
from ui.cli_faults import VERIFY_WORDS
from ui.i18n import LOCALES, SOURCE_LANGUAGE, TranslationError, compile_catalog, fill

BOTH: Final = ("th", "en")  # what is printed when no --language is given: Thai, then English
# The enrollment refusals of an address that did not answer as the collector should: the
# command line adds what to do (check the address, or enrol by USB stick).
NETWORK: Final = frozenset(
    {"unreachable", "timeout", "tls", "not_tls", "busy", "server_error", "bad_response", "refused"}
)
translate = QCoreApplication.translate
log = logging.getLogger(__name__)


class _Switch(QTranslator):
    """The Thai catalogue while the language is Thai, nothing (the English in the code) while
    English. Installed once: switching sends no event, so a worker thread may word its lines."""

    def __init__(self, thai: QTranslator) -> None:
        super().__init__()
        self._thai = thai
        self.speaking = SOURCE_LANGUAGE

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        if self.speaking != "th":
            return None  # Qt then returns the English source
        return self._thai.translate(context, source, disambiguation, n) or None

    def isEmpty(self) -> bool:  # noqa: N802  (Qt's name)
        return False


class Speaker:
    """Words what the subcommands said in the languages asked for; use it in a ``with``."""

    def __init__(self, languages: Sequence[str] = BOTH, cache_dir: Path | None = None) -> None:
        """Speak ``languages`` in that order; the Thai catalogue is compiled into cache_dir."""
        self.languages = tuple(languages)
        self._cache_dir = cache_dir
        self._switch: _Switch | None = None
        self._app: QCoreApplication | None = None
        self._own_app = False

    def __enter__(self) -> Speaker:
        if "th" not in self.languages:
            return self
        app = QCoreApplication.instance()
        if app is None:  # the command line: an application for the catalogue only, no window
            app, self._own_app = QCoreApplication(["sangsuk-kiosk"]), True
        self._app = app
        thai = QTranslator()
        try:
            qm = compile_catalog("th", self._cache_dir)
            if not thai.load(str(qm)) or thai.isEmpty():
                raise TranslationError(f"Qt could not load the compiled translations {qm}")
        except (TranslationError, OSError) as exc:  # English is still the whole truth
            log.warning("the command prints English only: %s", exc)
            self.languages = tuple(lang for lang in self.languages if lang != "th") or ("en",)
            return self
        self._switch = _Switch(thai)
        app.installTranslator(self._switch)
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._app is not None and self._switch is not None:
            self._app.removeTranslator(self._switch)
        if self._own_app and self._app is not None:
            self._app.shutdown()  # no application is left behind (a test may want a QApplication)
        self._app, self._switch, self._own_app = None, None, False

    @contextmanager
    def speaking(self, language: str) -> Iterator[None]:
        """Translate into language (and write dates as its readers do) inside the block."""
        before = QLocale()
        if self._switch is not None:
            self._switch.speaking = language
        QLocale.setDefault(LOCALES[language])
        try:
            yield
        finally:
            QLocale.setDefault(before)
            if self._switch is not None:
                self._switch.speaking = SOURCE_LANGUAGE

    def words_in(self, language: str, said: Sequence[Said]) -> list[str]:
        """The lines that say ``said`` in one language."""
        with self.speaking(language):
            return [line for item in said for line in _word(item, language)]

    def lines(self, said: Sequence[Said]) -> list[str]:
        """The lines to print: everything in the first language, then in the next; a blank
        line between the languages when each says more than one line. JSON is printed once."""
        if any(item.what == "json" for item in said):
            return [json.dumps(item.values["info"], ensure_ascii=False, indent=2) for item in said]
        blocks = [self.words_in(language, said) for language in self.languages]
        lines: list[str] = []
        for block in blocks:
            if lines and len(block) > 1:
                lines.append("")
            lines.extend(block)
        return lines


# --- the words, by what was said -----------------------------------------------------------

Values = Mapping[str, Any]


def _word(item: Said, language: str) -> list[str]:
    words = _WORDS.get(item.what)
    if words is None:  # a new thing said without words yet: still tell the reader something
        log.error("the command has no words for %r", item.what)
        return [f"{item.what}: {dict(item.values)}"]
    return words(item.values, language)


def _place(district: str, language: str) -> str:
    return district_named(district, language)


def _size_group(group: str | None) -> str:
    words = {
        #: A district office's size group, as in "District: …, size group small".
        "small": translate("KioskCommand", "small"),
        "medium": translate("KioskCommand", "medium"),
        "large": translate("KioskCommand", "large"),
    }
    return words.get(group or "", translate("KioskCommand", "unknown"))


def _demo(v: Values, language: str) -> list[str]:
    if v["enrolled"]:
        #: %1 names the district office, e.g. 3706 Hua Taphan, Amnat Charoen.
        text = translate(
            "KioskCommand",
            "No demo votes cast: this kiosk is set up for %1 and enrolled, so they would be sent"
            " and counted as citizens' votes. Nothing was written. Use an empty data folder"
            " (--data-dir DIR) for demo votes.",
        )
    else:
        text = translate(
            "KioskCommand",
            "No demo votes cast: this kiosk is set up for %1, so they would be sent and counted"
            " as citizens' votes. Nothing was written. Use an empty data folder (--data-dir DIR)"
            " for demo votes.",
        )
    return [fill(text, _place(v["district"], language))]


def _not_enrolled(v: Values, language: str) -> list[str]:
    """Why enrolling (by network or by USB stick) did not work, and what to do."""
    code = str(v["code"])
    place = _place(str(v.get("district") or ""), language)
    if code == "token_other_district":  # the screen's words say to change it in Settings
        #: %1 names the kiosk's district office.
        reason = fill(
            translate(
                "KioskCommand",
                "The token is for another district office than %1, which this kiosk is set up"
                " for. Nothing was changed, and the token was not used: ask the central office"
                " for a token for %1.",
            ),
            place,
        )
    elif code == "wrong_district":
        reason = fill(
            translate(
                "KioskCommand",
                "The central collector enrolled this kiosk for another district office than %1,"
                " which this kiosk is set up for. Nothing was changed on this kiosk. Ask the"
                " central office to revoke that enrollment and to issue a token for %1.",
            ),
            place,
        )
    else:
        reason = enroll_error(code)
    #: %1 says why, e.g. "The enrolment token is not known. Check it, or …".
    lines = [fill(translate("KioskCommand", "Not enrolled: %1"), reason)]
    if code in NETWORK and v.get("url"):
        #: %1 is the collector address typed after --collector.
        hint = translate(
            "KioskCommand",
            "Check the collector address (%1) and this kiosk's network, then run the same command"
            " again. No internet here? Enrol by USB stick: sangsuk-kiosk enroll-request --to"
            " FOLDER --token TOKEN, and take the stick to the central office.",
        )
        lines.append(fill(hint, str(v["url"])))
    if code == "tls":
        lines.append(
            translate(
                "KioskCommand",
                "If the central office gave you its certificate file, add --ca-bundle FILE.",
            )
        )
    return lines


def _sync_refused(v: Values) -> list[str]:
    """Why sending stopped or could not begin, and what to do from the command line."""
    code, collector_error = v["code"], v.get("collector_error")
    by_collector = {
        "revoked": translate(
            "KioskCommand",
            "The central collector refused the votes: the central office has revoked this kiosk."
            " The votes are kept here. Ask the central office.",
        ),
        "unknown_kiosk": translate(
            "KioskCommand",
            "The central collector does not know this kiosk (was it enrolled with another"
            " collector?). The votes are kept here. Ask the central office.",
        ),
        "district_mismatch": translate(
            "KioskCommand",
            "The central collector refused the votes: they name another district office than"
            " the one this kiosk is enrolled for. The votes are kept here. Ask the central"
            " office.",
        ),
    }
    if code == "not_enrolled":  # the screen's words say Settings
        return [
            translate(
                "KioskCommand",
                "This kiosk is not enrolled with the central collector yet: enrol it with"
                " sangsuk-kiosk enroll --collector URL --token TOKEN, or by USB stick with"
                " sangsuk-kiosk enroll-request --to FOLDER.",
            )
        ]
    if code == "refused" and collector_error in by_collector:
        return [by_collector[collector_error]]
    lines = [sync_error(code)]
    if code in {"unreachable", "timeout", "busy", "server_error"}:
        lines.append(
            translate(
                "KioskCommand",
                "No internet for long? Take the votes by USB stick: sangsuk-kiosk export --to"
                " FOLDER.",
            )
        )
    return lines


def _usb_words(code: str) -> str:
    """Why an export or a receipt import did not work: the screens' words, but where those
    name the screen's buttons."""
    if code == "not_enrolled":  # the screen's words name its buttons
        return translate(
            "KioskCommand",
            "This kiosk is not enrolled, so it cannot check a receipt yet. If the central"
            " office's answer is on the stick, read it first (sangsuk-kiosk enroll-answer"
            " FOLDER), then import the receipt again.",
        )
    return usb_error(code)


def _district(v: Values, language: str) -> list[str]:
    #: %1 names the district office, %2 is its size group (small, medium or large).
    text = translate("KioskCommand", "District: %1, size group %2.")
    return [fill(text, _place(v["district"], language), _size_group(v["size_group"]))]


def _status_district(v: Values, language: str) -> list[str]:
    place = _place(v["district"], language)
    if v["demo"]:
        return [fill(translate("KioskCommand", "District %1 (demo)"), place)]
    text = translate("KioskCommand", "District %1, size group %2")
    return [fill(text, place, _size_group(v["size_group"]))]


def _status_collector(v: Values, _language: str) -> list[str]:
    if v["url"] is None:
        return [translate("KioskCommand", "Collector: not enrolled")]
    return [fill(translate("KioskCommand", "Collector: %1"), str(v["url"]))]


def _when(stamp: str | None) -> str:
    return local_time(stamp) if stamp else translate("KioskCommand", "never")


def _t(source: object, *keys: str) -> Callable[[Values, str], list[str]]:
    """Words made of one template (marked for lupdate with QT_TRANSLATE_NOOP), translated when
    they are said and filled with the values named by keys."""
    text = str(source)  # QT_TRANSLATE_NOOP gives back the source text itself
    return lambda v, _language: [fill(translate("KioskCommand", text), *(str(v[k]) for k in keys))]


# --- counts: the English for one is not the English for many (the Thai is the same) ------------


def _demo_cast(v: Values, language: str) -> list[str]:
    place = _place(v["district"], language)
    if v["count"] == 1:
        #: %1 the district office, %2 the vote's number.
        text = translate("KioskCommand", "Cast 1 demo vote for %1: vote %2.")
        return [fill(text, place, str(v["first"]))]
    #: %1 votes, %2 the district office, %3 and %4 the first and last vote's number.
    text = translate("KioskCommand", "Cast %1 demo votes for %2: votes %3 to %4.")
    return [fill(text, str(v["count"]), place, str(v["first"]), str(v["last"]))]


def _demo_set_aside(v: Values, _language: str) -> list[str]:
    if v["count"] == 1:
        text = translate(
            "KioskCommand",
            "1 demo vote was set aside in %1; it will never be sent or counted. The ledger"
            " starts again at vote 1.",
        )
        return [fill(text, str(v["file"]))]
    text = translate(
        "KioskCommand",
        "%1 demo votes were set aside in %2; they will never be sent or counted. The ledger"
        " starts again at vote 1.",
    )
    return [fill(text, str(v["count"]), str(v["file"]))]


def _words() -> dict[str, Callable[[Values, str], list[str]]]:
    # The English templates are the keys of the Thai catalogue: lupdate reads them from the
    # translate() and QT_TRANSLATE_NOOP() calls, so each is written out in full.
    return {
        "count_too_small": lambda v, _language: [
            translate("KioskCommand", "--count must be at least 1.")
        ],
        "demo_refused": _demo,
        "demo_cast": _demo_cast,
        **VERIFY_WORDS,
        **CAMPAIGN_WORDS,
        "enroll_refused": _not_enrolled,
        "enrolled": _t(
            QT_TRANSLATE_NOOP("KioskCommand", "Enrolled kiosk %1 with the collector at %2."),
            "fingerprint",
            "url",
        ),
        "district": _district,
        "collector_key": _t(
            QT_TRANSLATE_NOOP(
                "KioskCommand",
                "Collector key fingerprint %1: it must match the one on the enrollment sheet;"
                " receipts are trusted only when signed by this key.",
            ),
            "fingerprint",
        ),
        "demo_set_aside": _demo_set_aside,
        "request_refused": lambda v, _language: [
            fill(
                #: %1 is the folder (the USB stick), %2 why.
                translate("KioskCommand", "The enrollment request was not written to %1: %2"),
                str(v["folder"]),
                usb_enroll_error(str(v["code"])),
            )
        ],
        "request_written": lambda v, language: [
            fill(
                translate("KioskCommand", "Wrote the enrollment request of kiosk %1 for %2 to %3."),
                str(v["fingerprint"]),
                _place(v["district"], language),
                str(v["path"]),
            )
        ],
        "request_next": lambda v, _language: [
            translate(
                "KioskCommand",
                "Take the stick to the central office. Bring back the answer it writes beside"
                " the request, and read it with: sangsuk-kiosk enroll-answer FOLDER",
            )
        ],
        "answer_refused": lambda v, _language: [
            fill(translate("KioskCommand", "Not enrolled: %1"), usb_enroll_error(str(v["code"])))
        ],
        "enrolled_by_usb": _t(
            QT_TRANSLATE_NOOP("KioskCommand", "Enrolled kiosk %1 by USB stick."), "fingerprint"
        ),
        "collector_key_usb": _t(
            QT_TRANSLATE_NOOP(
                "KioskCommand",
                "Collector key fingerprint %1: check that it is the one printed on the enrollment"
                " sheet. If it is not, tell the central office at once.",
            ),
            "fingerprint",
        ),
        "sync_refused": lambda v, _language: _sync_refused(v),
        "nothing_to_send": counts.nothing_to_send,
        "sent": counts.sent,
        "sync_started": _t(
            QT_TRANSLATE_NOOP(
                "KioskCommand",
                "Sending votes about every %1 s, longer after a failure; press Ctrl+C to stop.",
            ),
            "seconds",
        ),
        "sync_pass": lambda v, _language: [
            fill(
                translate("KioskCommand", "%1 pending, %2 delivered; last sync %3."),
                str(v["pending"]),
                str(v["delivered"]),
                _when(v["at"]),
            )
        ],
        "sync_failed_pass": lambda v, _language: [
            fill(
                #: %3 says why sending stopped.
                translate("KioskCommand", "%1 pending, %2 delivered. %3"),
                str(v["pending"]),
                str(v["delivered"]),
                " ".join(_sync_refused(v)),
            )
        ],
        "stopped": lambda v, _language: [translate("KioskCommand", "Stopped.")],
        "status_kiosk": _t(
            QT_TRANSLATE_NOOP("KioskCommand", "Kiosk %1 (id %2)"), "fingerprint", "kiosk_id"
        ),
        "status_version": _t(
            #: %1 is the kiosk program's version, as the collector's kiosks page shows it.
            QT_TRANSLATE_NOOP("KioskCommand", "Software version: %1"),
            "version",
        ),
        "status_district": _status_district,
        "status_collector": _status_collector,
        "status_votes": _t(
            QT_TRANSLATE_NOOP("KioskCommand", "Votes: %1 in all, %2 delivered, %3 pending"),
            "total",
            "delivered",
            "pending",
        ),
        "status_resend": counts.status_resend,
        "status_last_sync": lambda v, _language: [
            fill(translate("KioskCommand", "Last sync: %1"), _when(v["at"]))
        ],
        "status_last_error": lambda v, _language: [
            fill(
                translate("KioskCommand", "Last error (%1): %2"),
                _when(v["at"]),
                sync_error(str(v["code"])),
            )
        ],
        "export_refused": lambda v, _language: [
            fill(
                #: %1 is the folder (the USB stick), %2 why.
                translate("KioskCommand", "The export to %1 stopped: %2"),
                str(v["folder"]),
                _usb_words(str(v["code"])),
            )
        ],
        "written_before": counts.written_before,
        "nothing_to_export": lambda v, _language: [
            translate("KioskCommand", "Nothing to export: every vote has been delivered.")
        ],
        "file_written": _t(QT_TRANSLATE_NOOP("KioskCommand", "Wrote and checked %1"), "path"),
        "summary_written": _t(
            QT_TRANSLATE_NOOP("KioskCommand", "Wrote %1 (a summary for Excel)"), "path"
        ),
        "exported": counts.exported,
        "request_beside_votes": _t(
            QT_TRANSLATE_NOOP(
                "KioskCommand",
                "This kiosk is not enrolled: the collector counts these votes only once it is. Its"
                " enrollment request %1 is on the stick too: the central office imports it with the"
                " votes (sangsuk-collector import --token TOKEN, or --approve OFFICER); then read"
                " the answer back (sangsuk-kiosk enroll-answer FOLDER).",
            ),
            "path",
        ),
        "receipt_refused": lambda v, _language: [_usb_words(str(v["code"]))],
        "receipt_file_refused": lambda v, _language: [
            fill(
                translate("KioskCommand", "The receipt %1 was refused: %2"),
                str(v["name"]),
                _usb_words(str(v["code"])),
            )
        ],
        "receipt_marked": counts.receipt_marked,
        "window_running": lambda v, _language: [
            fill(
                #: %1 is the process id of the kiosk window that runs on this data folder.
                translate(
                    "KioskCommand",
                    "The kiosk window is running on this tablet (process %1) and reads its"
                    " settings only when it starts, so nothing was changed. Enrol from the"
                    " clerk's Settings screen, or stop the kiosk first (sudo systemctl stop"
                    " sangsuk-kiosk), run this command again, then start it (sudo systemctl"
                    " start sangsuk-kiosk).",
                ),
                str(v["pid"]),
            )
        ],
        "cannot_use": lambda v, _language: [
            fill(
                #: %1 is what is wrong with the kiosk's key, ledger or settings, in English.
                translate(
                    "KioskCommand",
                    "sangsuk-kiosk: this kiosk's files cannot be used; nothing was changed (%1)",
                ),
                str(v["detail"]),
            )
        ],
    }


_WORDS: Final = _words()
