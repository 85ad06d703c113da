"""Each audit row as a sentence in the reader's language, made from its structured fields.

An audit row's ``detail`` is English written when the row was made; an officer who reads only
Thai cannot tell from it what happened. The audit page says each row as a sentence of the
catalogues (``audit.said.*``, Thai and English), worded from the row's kind and reason, its
kiosk, source, address and operator, and the facts it keeps since revision 0014 (who was added
and as what, a token's district, a quarantined vote's seq, an import's counts ...;
collector/store/audit.py). The English detail stays on the page as the row's technical detail.

A row written before its facts were kept, or of a kind or reason this version does not know,
still gets a sentence: the kind's and reason's words with who did it (``audit.said.other``);
``Said.full`` is then False and the page shows the detail open beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import geothai
from markupsafe import Markup

from collector.i18n import Translator
from collector.refusals import refusal_words_key
from wire.keys import fingerprint_for_id

ANONYMOUS_SOURCES: Final = ("http", "enroll", "login")  # a request from someone not logged in
AS_WRITTEN: Final = frozenset({"year", "campaign", "seq"})  # numbers that are names: no commas


@dataclass(frozen=True, slots=True)
class Said:
    """A row's sentence; full is False when it is only the kind's and reason's words."""

    text: Markup
    full: bool


def said(t: Translator, row: dict[str, Any], reason_words: str | None) -> Said:
    """The sentence that says what row records, in t's language (reason_words: the reason's
    own words, routes/audit.py reason_words, for the fallback)."""
    values = _values(t, row)
    try:
        text = _sentence(t, row["kind"], row["reason"], row["source"], values)
    except KeyError:  # a fact the sentence names is not kept (a row from before 0014)
        text = None
    full = text is not None
    if text is None:
        kind = f"audit.kind.{row['kind']}"
        what = reason_words or (t(kind) if t.has(kind) else row["kind"])
        text = t("audit.said.other", who=values["who"], what=what)
    if row["operator"] is None and text.startswith(str(values["who"])):
        text = _capital(text)  # "The server's command line ...", never "Somchai ..."
    return Said(text, full)


def via(t: Translator, source: str | None) -> Any:
    """The way a row's request came, in words (the via column), or "–" for none."""
    return _via(t, source)


def _capital(text: Markup) -> Markup:
    """The sentence with a capital first letter (words, not an operator's name)."""
    html = str(text)
    if not html or html.startswith("&"):
        return text
    return Markup(html[0].upper() + html[1:])  # already escaped: only its first letter changes


def _values(t: Translator, row: dict[str, Any]) -> dict[str, Any]:
    """The values a sentence may name: the row's own fields worded, then its facts."""
    facts: dict[str, Any] = dict(row.get("facts") or {})
    values: dict[str, Any] = {"who": _who(t, row), "via": _via(t, row["source"])}
    if row["kiosk"]:
        values["kiosk"] = fingerprint_for_id(row["kiosk"])
    if row["source_addr"]:
        values["addr"] = str(row["source_addr"]).rsplit("/", 1)[-1]
        values["file"] = row["source_addr"]  # a USB file's path as given
    for name in ("district", "expected"):
        if facts.get(name):
            values[name] = _district(t, str(facts[name]))
    for name in ("until", "issued_at", "announced_at"):
        if facts.get(name):
            values[name] = t.when(str(facts[name]))
    for name in ("starts_on", "ends_on"):
        if facts.get(name):
            values[name] = t.full_day(str(facts[name]))
    if facts.get("role") in ("viewer", "officer", "admin"):
        values["role"] = t("role." + facts["role"])
    if facts.get("group") in ("small", "medium", "large"):
        values["group"] = t("group." + facts["group"])
    for name, value in facts.items():
        if value is not None:
            number = type(value) is int and name not in AS_WRITTEN
            values.setdefault(name, t.number(value) if number else value)
    return values


def _who(t: Translator, row: dict[str, Any]) -> Any:
    """Who did it: the operator, the server's command line, or someone at an address."""
    if row["operator"]:
        return row["operator"]
    if row["source"] == "cli":
        return t("audit.said.who_cli")
    if row["source"] in ANONYMOUS_SOURCES and row["source_addr"]:
        return t("audit.said.who_addr", addr=row["source_addr"])
    return t("audit.said.who_unknown")


def _via(t: Translator, source: str | None) -> Any:
    """How it reached the collector, in words."""
    match source:
        case "http" | "enroll":
            return t("audit.said.via_network")
        case "usb":
            return t("audit.said.via_usb")
        case "console" | "confirm":  # confirm: a password retyped before a sensitive action
            return t("audit.said.via_console")
        case "cli":
            return t("audit.said.via_cli")
        case "login":
            return t("audit.said.via_login")
        case _:
            return source or "–"


def _district(t: Translator, code: str) -> str:
    """A district code with its name in t's language (3706 หัวตะพาน / 3706 Hua Taphan)."""
    found = geothai.district(code)
    if found is None:
        return code
    return f"{code} {found.name_th if t.lang == 'th' else found.name_en}"


def _sentence(
    t: Translator, kind: str, reason: str, source: str | None, v: dict[str, Any]
) -> Markup | None:
    """The row's sentence; KeyError when it needs a fact the row does not keep; None for a
    kind or reason with no sentence of its own."""
    match kind, reason:
        case "login", "ok":
            how = {
                "password": t("audit.said.how_password"),
                "app": t("audit.said.how_app"),
                "recovery": t("audit.said.how_recovery"),
                "setup": t("audit.said.how_setup"),
            }[v["how"]]
            return t("audit.said.login_ok", who=v["who"], addr=v["addr"], how=how)
        case "login", "logout":
            return t("audit.said.logout", who=v["who"])
        case "login", "logout_others":
            return t("audit.said.logout_others", who=v["who"], ended=v["ended"])
        case "login", "logout_by_admin":
            return t("audit.said.logout_by_admin", who=v["who"], name=v["name"], ended=v["ended"])
        case "login", "recovery_code":
            return t("audit.said.recovery_code", who=v["who"], left=v["left"])
        case "login", "confirmed":
            how = {
                "password": t("audit.said.how_password"),
                "code": t("audit.said.how_app"),
                "recovery": t("audit.said.how_recovery"),
            }[v["how"]]
            return t("audit.said.confirmed", who=v["who"], how=how)
        case "refused", _:
            return _refusal(t, reason, source, v)
        case (("conflict" | "conflict-again"), "conflict"):
            return t("audit.said.conflict", kiosk=v["kiosk"], seq=v["seq"], via=v["via"])
        case (("conflict" | "conflict-again"), "chain_fork"):
            return t("audit.said.chain_fork", kiosk=v["kiosk"], seq=v["seq"], via=v["via"])
        case "revoked", _:
            if "why" in v:
                return t("audit.said.revoked_why", who=v["who"], kiosk=v["kiosk"], why=v["why"])
            return t("audit.said.revoked", who=v["who"], kiosk=v["kiosk"])
        case "settings", _:
            words = f"audit.reason.settings.{reason}"
            setting = t(words) if t.has(words) else reason
            value = {"yes": t("audit.said.yes"), "no": t("audit.said.no")}.get(
                v["value"], v["value"]
            )
            return t("audit.said.setting", who=v["who"], setting=setting, value=value)
        case "token", "issued":
            return t("audit.said.token_issued", who=v["who"], district=v["district"])
        case "token", "voided":
            return t(
                "audit.said.tokens_voided", who=v["who"], n=v["tokens"], district=v["district"]
            )
        case "token", "approved":
            return t(
                "audit.said.token_approved", who=v["who"], kiosk=v["kiosk"], district=v["district"]
            )
        case "operator", _:
            return _account(t, reason, v)
        case "campaign", "defined":
            name = v["name_th"] if t.lang == "th" else v["name_en"]
            return t(
                "audit.said.campaign", who=v["who"], year=v["year"], name=name,
                start=v["starts_on"], end=v["ends_on"],
            )  # fmt: skip
        case "districts", "loaded":
            if v["demo"]:
                return t(
                    "audit.said.districts_demo", who=v["who"], n=v["districts"],
                    added=v["added"], moved=v["moved"], unchanged=v["unchanged"],
                )  # fmt: skip
            return t(
                "audit.said.districts", who=v["who"], n=v["districts"], added=v["added"],
                moved=v["moved"], unchanged=v["unchanged"],
            )  # fmt: skip
        case "import", "no_batches":
            return t("audit.said.import_nothing", who=v["who"], skipped=v["skipped"])
        case "import", _:
            return t(
                "audit.said.import", who=v["who"], files=v["files"], accepted=v["accepted"],
                new=v["new"], held=v["held"], refused=v["refused"], busy=v["busy"],
                conflicts=v["conflicts"], requests=v["requests"], enrolled=v["enrolled"],
                skipped=v["skipped"],
            )  # fmt: skip
        case "enrolled", "new":
            return t(
                "audit.said.enrolled", kiosk=v["kiosk"], via=v["via"], district=v["district"],
                issued=v["issued_at"],
            )  # fmt: skip
        case "enrolled", "again":
            return t(
                "audit.said.enrolled_again", kiosk=v["kiosk"], via=v["via"],
                district=v["district"],
            )  # fmt: skip
        case "copied", _:
            return t(
                "audit.said.copied", who=v["who"], source=v["from"], batches=v["batches"],
                votes=v["votes"],
            )  # fmt: skip
        case "announced", _:
            group = t("group." + reason) if reason in ("small", "medium", "large") else reason
            campaign = v.get("campaign") or t("audit.said.every_vote")
            winner = v.get("winner") or t("audit.said.no_winner")
            return t(
                "audit.said.announced", who=v["who"], group=group, campaign=campaign,
                winner=winner, districts=v["districts"], votes=v["votes"],
            )  # fmt: skip
        case "published", _:
            campaign = v.get("campaign") or t("audit.said.every_vote")
            return t(
                "audit.said.published", who=v["who"], batches=v["batches"], votes=v["votes"],
                kiosks=v["kiosks"], folder=v["folder"], campaign=campaign,
            )  # fmt: skip
    return None


def _refusal(t: Translator, reason: str, source: str | None, v: dict[str, Any]) -> Markup:
    """A refused request's sentence: a login, a console request above the operator's role, an
    enrollment, a second announcement, a size-group table, or a batch file."""
    found = refusal_words_key(reason)
    why = t(f"audit.refusal.{found}") if found else reason
    match reason:
        case "login_failed":
            return t("audit.said.login_failed", name=v["name"], addr=v["addr"])
        case "login_locked":
            return t("audit.said.login_locked", name=v["name"], addr=v["addr"], until=v["until"])
        case "code_wrong" | "code_replayed" | "recovery_code_used":
            return t("audit.said.code_refused", name=v["name"], addr=v["addr"], why=why)
        case "role_page":
            return t("audit.said.role_page", who=v["who"], role=v["role"], path=v["path"])
        case "role_action":
            return t(
                "audit.said.role_action", who=v["who"], role=v["role"], method=v["method"],
                path=v["path"],
            )  # fmt: skip
        case "csrf":
            return t("audit.said.csrf", who=v["who"], method=v["method"], path=v["path"])
        case "already_announced":
            return t(
                "audit.said.announced_again", who=v["who"], group=v["group"],
                at=v["announced_at"], by=v["by"],
            )  # fmt: skip
        case "token_other_district":
            return t(
                "audit.said.token_other_district", kiosk=v["kiosk"], district=v["district"],
                expected=v["expected"],
            )  # fmt: skip
        case "already_enrolled":
            return t("audit.said.already_enrolled", kiosk=v["kiosk"], district=v["district"])
    if v.get("table") == "size_groups":
        return t("audit.said.table_too_large", who=v["who"], size=v["size"], limit=v["limit"])
    if source == "enroll" or reason in ("bad_public_key", "no_token", "token_unknown"):
        if "kiosk" in v:
            return t("audit.said.enroll_refused_kiosk", kiosk=v["kiosk"], via=v["via"], why=why)
        return t("audit.said.enroll_refused", who=v["who"], via=v["via"], why=why)
    if "kiosk" in v:
        return t("audit.said.batch_refused", kiosk=v["kiosk"], via=v["via"], why=why)
    if source == "usb" and "file" in v:
        return t("audit.said.file_refused", file=v["file"], why=why)
    return t("audit.said.refused", who=v["who"], via=v["via"], why=why)


def _account(t: Translator, reason: str, v: dict[str, Any]) -> Markup | None:
    """An account's change: added, changed, or its second step at login."""
    match reason:
        case "added":
            return t("audit.said.account_added", who=v["who"], name=v["name"], role=v["role"])
        case "changed":
            changes = []
            if "role_before" in v:
                changes.append(t("audit.said.change_role", role=v["role"]))
            if v.get("password"):
                changes.append(t("audit.said.change_password"))
            if "disabled" in v:
                changes.append(
                    t("audit.said.change_disabled")
                    if v["disabled"]
                    else t("audit.said.change_enabled")
                )
            if not changes:
                raise KeyError("changes")
            sep = " " if t.lang == "th" else ", "
            return t(
                "audit.said.account_changed", who=v["who"], name=v["name"],
                changes=Markup(sep).join(changes),
            )  # fmt: skip
        case "second_step_on":
            return t("audit.said.second_step_on", who=v["who"], name=v["name"], n=v["codes"])
        case "second_step_off":
            return t("audit.said.second_step_off", who=v["who"], name=v["name"])
        case "second_step_reset":
            return t("audit.said.second_step_reset", who=v["who"], name=v["name"])
        case "recovery_codes":
            return t("audit.said.recovery_codes", who=v["who"], name=v["name"], n=v["codes"])
    return None
