"""What `sangsuk-kiosk verify` says, and the faults it finds in a ledger, in the reader's language.

kiosk/ledger_verify.py names each fault by its kind (``Fault``) and words it in English
(``FAULTS``); here each kind has the same English as a template of the translation files
(context ``LedgerFault``), so that the Thai line says the fault in Thai. tests/sync/test_cli_faults.py
checks that every kind has its words here and that they say what FAULTS says.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from PySide6.QtCore import QCoreApplication

from kiosk.ledger_verify import Fault
from ui.i18n import fill

translate = QCoreApplication.translate
Values = Mapping[str, Any]


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # noqa: N802  (the name lupdate reads)
    """Mark source for the catalogue (lupdate reads this call) and give it back, typed as text."""
    return source


# Each kind: its template (%1, %2… are the facts named after it, in that order).
WORDS: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "file_unreadable": (
        QT_TRANSLATE_NOOP("LedgerFault", "the ledger file cannot be read: %1"),
        ("error",),
    ),
    "integrity": (
        QT_TRANSLATE_NOOP("LedgerFault", "SQLite integrity check failed: %1"),
        ("found",),
    ),
    "no_migrations": (
        QT_TRANSLATE_NOOP(
            "LedgerFault",
            "the ledger has no record of its migrations: it was not made by the kiosk",
        ),
        (),
    ),
    "newer_version": (
        QT_TRANSLATE_NOOP(
            "LedgerFault",
            "the ledger was brought up to date by a newer version of the kiosk (migration %1); verify it with that version",
        ),
        ("migration",),
    ),
    "other_migrations": (
        QT_TRANSLATE_NOOP("LedgerFault", "the ledger's migrations %1 are not this version's %2"),
        ("applied", "expected"),
    ),
    "schema_missing": (
        QT_TRANSLATE_NOOP("LedgerFault", "the %1 %2 is missing from the ledger"),
        ("kind", "name"),
    ),
    "schema_changed": (
        QT_TRANSLATE_NOOP("LedgerFault", "the %1 %2 is not as the ledger's schema made it"),
        ("kind", "name"),
    ),
    "schema_extra": (
        QT_TRANSLATE_NOOP("LedgerFault", "the ledger holds a %1 %2 that its schema never made"),
        ("kind", "name"),
    ),
    "meta_wrong": (
        QT_TRANSLATE_NOOP("LedgerFault", "meta's %1 is %2, not this device key's %3"),
        ("key", "stored", "expected"),
    ),
    "meta_extra": (
        QT_TRANSLATE_NOOP("LedgerFault", "meta holds %1, which the kiosk never writes"),
        ("key",),
    ),
    "vote_missing": (
        QT_TRANSLATE_NOOP("LedgerFault", "vote %1 is missing (the next stored vote is %2)"),
        ("seq", "next"),
    ),
    "body_not_bytes": (
        QT_TRANSLATE_NOOP("LedgerFault", "vote %1's body is not stored as bytes"),
        ("seq",),
    ),
    "body_unreadable": (
        QT_TRANSLATE_NOOP("LedgerFault", "vote %1 cannot be read: %2"),
        ("seq", "error"),
    ),
    "wrong_seq": (
        QT_TRANSLATE_NOOP("LedgerFault", "vote %1 says it is vote %2"),
        ("seq", "says"),
    ),
    "other_kiosk": (
        QT_TRANSLATE_NOOP("LedgerFault", "vote %1 names kiosk %2, not this kiosk"),
        ("seq", "kiosk"),
    ),
    "chain_broken": (
        QT_TRANSLATE_NOOP("LedgerFault", "the chain is broken between vote %1 and vote %2"),
        ("before", "seq"),
    ),
    "not_canonical": (
        QT_TRANSLATE_NOOP("LedgerFault", "vote %1 is not stored in its canonical bytes"),
        ("seq",),
    ),
    "bad_signature": (
        QT_TRANSLATE_NOOP("LedgerFault", "vote %1 has a bad signature"),
        ("seq",),
    ),
    "hash_mismatch": (
        QT_TRANSLATE_NOOP("LedgerFault", "vote %1 does not match its stored hash"),
        ("seq",),
    ),
    "column_mismatch": (
        QT_TRANSLATE_NOOP("LedgerFault", "vote %1's stored %2 is %3, but its signed body says %4"),
        ("seq", "column", "stored", "says"),
    ),
    "never_sent": (
        QT_TRANSLATE_NOOP(
            "LedgerFault", "vote %1 is neither delivered nor in undelivered: it would never be sent"
        ),
        ("seq",),
    ),
    "delivered_pending": (
        QT_TRANSLATE_NOOP("LedgerFault", "vote %1 is marked delivered but is still in undelivered"),
        ("seq",),
    ),
    "receipt_not_kept": (
        QT_TRANSLATE_NOOP(
            "LedgerFault", "vote %1 is marked delivered, but receipt %2 is not in %3"
        ),
        ("seq", "receipt", "file"),
    ),
    "receipt_no_settings": (
        QT_TRANSLATE_NOOP(
            "LedgerFault",
            "vote %1 is marked delivered, but receipt %2 cannot be checked: the kiosk's settings cannot be read (%3)",
        ),
        ("seq", "receipt", "error"),
    ),
    "receipt_no_key": (
        QT_TRANSLATE_NOOP(
            "LedgerFault",
            "vote %1 is marked delivered, but receipt %2 cannot be checked: this kiosk has no pinned collector key (it is not enrolled)",
        ),
        ("seq", "receipt"),
    ),
    "receipt_not_genuine": (
        QT_TRANSLATE_NOOP(
            "LedgerFault", "vote %1 is marked delivered, but receipt %2 is not genuine: %3"
        ),
        ("seq", "receipt", "error"),
    ),
    "receipt_not_accepting": (
        QT_TRANSLATE_NOOP(
            "LedgerFault", "vote %1 is marked delivered, but its receipt %2 did not accept it"
        ),
        ("seq", "receipt"),
    ),
    "receipts_unreadable": (
        QT_TRANSLATE_NOOP("LedgerFault", "%1 cannot be read: %2"),
        ("file", "error"),
    ),
    "receipt_beyond_one": (
        QT_TRANSLATE_NOOP(
            "LedgerFault",
            "the collector's receipt %1 says it holds vote %2, but the ledger's last vote is %3: vote %2 was removed",
        ),
        ("receipt", "held", "last"),
    ),
    "receipt_beyond_many": (
        QT_TRANSLATE_NOOP(
            "LedgerFault",
            "the collector's receipt %1 says it holds vote %2, but the ledger's last vote is %3: votes %4-%2 were removed",
        ),
        ("receipt", "held", "last", "first"),
    ),
    "high_water_bad": (
        QT_TRANSLATE_NOOP("LedgerFault", "the high-water mark is missing or not one row"),
        (),
    ),
    "high_water_one": (
        QT_TRANSLATE_NOOP(
            "LedgerFault",
            "the ledger once held vote %1 (its high-water mark), but its last vote is %2: vote %1 was removed",
        ),
        ("mark", "last"),
    ),
    "high_water_many": (
        QT_TRANSLATE_NOOP(
            "LedgerFault",
            "the ledger once held vote %1 (its high-water mark), but its last vote is %2: votes %3-%1 were removed",
        ),
        ("mark", "last", "first"),
    ),
    "high_water_mismatch": (
        QT_TRANSLATE_NOOP("LedgerFault", "the high-water mark is %1, but the last vote is %2"),
        ("mark", "last"),
    ),
    "stray": (
        QT_TRANSLATE_NOOP("LedgerFault", "%1 names vote %2, which is not in the ledger"),
        ("table", "seq"),
    ),
    "count_differs": (
        QT_TRANSLATE_NOOP("LedgerFault", "vote_counts says %1 is %2, but the votes say %3"),
        ("key", "says", "recount"),
    ),
    "count_extra": (
        QT_TRANSLATE_NOOP("LedgerFault", "vote_counts says %1 is %2, but the votes say absent"),
        ("key", "says"),
    ),
    "count_missing": (
        QT_TRANSLATE_NOOP("LedgerFault", "vote_counts says %1 is absent, but the votes say %2"),
        ("key", "recount"),
    ),
    "older_version": (
        QT_TRANSLATE_NOOP(
            "LedgerFault",
            "the ledger was made by an older version (migration %1 not yet applied); the kiosk brings it up to date the next time it starts",
        ),
        ("migration",),
    ),
    "no_high_water": (
        QT_TRANSLATE_NOOP(
            "LedgerFault",
            "it keeps no high-water mark yet, so a removed last vote is caught only against the collector's receipts",
        ),
        (),
    ),
}
# A schema object's kind, as in "the trigger votes_no_delete is missing from the ledger".
KINDS: Final = {
    "table": QT_TRANSLATE_NOOP("LedgerFault", "table"),
    "index": QT_TRANSLATE_NOOP("LedgerFault", "index"),
    "trigger": QT_TRANSLATE_NOOP("LedgerFault", "trigger"),
    "view": QT_TRANSLATE_NOOP("LedgerFault", "view"),
}


def fault_words(fault: Fault | None) -> str:
    """The fault in the language being spoken; a kind without words yet says its English."""
    if fault is None:
        return ""
    words = WORDS.get(fault.kind)
    if words is None:
        return str(fault)
    template, names = words
    facts = dict(fault.facts)
    if "kind" in facts and facts["kind"] in KINDS:
        facts["kind"] = translate("LedgerFault", KINDS[facts["kind"]])
    return fill(translate("LedgerFault", template), *(facts[n] for n in names))


def _who(v: Values) -> tuple[str, str, str]:
    return str(v["checked"]), str(v["kiosk_id"]), str(v["fingerprint"])


def _where(v: Values) -> str:
    return str(v["where"] or translate("KioskCommand", "the ledger file"))


def _ledger_ok(v: Values, _language: str) -> list[str]:
    if v["checked"] == 1:
        #: %1 the kiosk's id, %2 its key fingerprint.
        text = translate(
            "KioskCommand",
            "Ledger OK: 1 vote; its signature, the chain, every stored column, the counts, the"
            " pending list, every delivery receipt and the schema agree (kiosk %1, %2).",
        )
        return [fill(text, *_who(v)[1:])]
    #: %1 votes; %2 the kiosk's id, %3 its key fingerprint.
    text = translate(
        "KioskCommand",
        "Ledger OK: %1 votes; every signature, the chain, every stored column, the counts, the"
        " pending list, every delivery receipt and the schema agree (kiosk %2, %3).",
    )
    return [fill(text, *_who(v))]


def _verified_before(v: Values, _language: str) -> list[str]:
    if v["checked"] == 1:
        text = translate(
            "KioskCommand", "1 vote verified before it (kiosk %1, %2). Nothing was changed."
        )
        return [fill(text, *_who(v)[1:])]
    text = translate(
        "KioskCommand", "%1 votes verified before it (kiosk %2, %3). Nothing was changed."
    )
    return [fill(text, *_who(v))]


# What verify says (sync/terminal.py's verify), by what it said.
VERIFY_WORDS: Final[dict[str, Callable[[Values, str], list[str]]]] = {
    "no_ledger": lambda v, _language: [
        fill(
            translate("KioskCommand", "No kiosk ledger in %1 (expected %2 and %3)."),
            str(v["folder"]),
            str(v["key_file"]),
            str(v["ledger_file"]),
        )
    ],
    "ledger_ok": _ledger_ok,
    "verify_note": lambda v, _language: [
        #: %1 is a note from the ledger check.
        fill(translate("KioskCommand", "Note: %1"), fault_words(v["note"]))
    ],
    "ledger_bad_at": lambda v, _language: [
        fill(
            #: %1 the vote's number, %2 where (a table), %3 what is wrong.
            translate("KioskCommand", "Ledger NOT OK at vote %1 (%2): %3"),
            str(v["seq"]),
            _where(v),
            fault_words(v["fault"]),
        )
    ],
    "ledger_bad_in": lambda v, _language: [
        fill(
            translate("KioskCommand", "Ledger NOT OK in %1: %2"), _where(v), fault_words(v["fault"])
        )
    ],
    "verified_before": _verified_before,
}
