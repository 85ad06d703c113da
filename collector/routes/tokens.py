"""Enrollment tokens (officers): issue them for one district or many and print their sheets.

The form names districts by code (typed or pasted, one or many) or as every loaded district of
one province, a number of tokens for each, and the address the kiosks should use. Every code is
checked first (a district office, not a Bangkok khet, loaded here); if any is wrong, the form
comes back naming each problem and nothing is issued. Otherwise each token goes through the
store's ``issue_token`` (audited with the officer's name), and the answer is the enrollment
sheet: a page per district with its tokens in words and as QR codes, the address, and the
clerk's steps. The store keeps only a token's hash, so the sheet is the one time a token is
shown; the list below the form shows what became of each (never the token).
"""

from __future__ import annotations

import ipaddress
import logging
import re
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

import geothai
import segno
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from starlette.datastructures import FormData

from collector import results
from collector.auth.web import CheckedForm, Officer, require
from collector.deps import KeyDep, SettingsDep, StoreDep
from collector.i18n import Translator
from collector.routes.rendering import page
from collector.store import CollectorStore
from collector.store.district_groups import District
from collector.store.tokens import issued_tokens, token_counts, unused_by_district
from wire.districts import BANGKOK_PROVINCE, valid_district
from wire.keys import fingerprint_for, fingerprint_for_id
from wire.thai_order import thai_sort_key

router = APIRouter(include_in_schema=False, dependencies=[Depends(require("officer"))])
log = logging.getLogger(__name__)

MAX_PER_DISTRICT: Final = 10
MAX_DISTRICTS: Final = 100  # on one sheet; a larger campaign prints several
LIST_LIMIT: Final = 100  # issued tokens listed under the form (unused first)
CONTACT_LIMIT: Final = 120  # characters of the contact line printed on the sheet
SHOWN_PROBLEMS: Final = 20  # bad codes named one by one (a pasted table may have hundreds)
QR_ERROR: Final = "m"  # QR error correction: 15 % of the symbol may be smudged
_SEPARATORS: Final = re.compile(r"[\s,;]+")
_THAI_DIGITS: Final = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


@dataclass(frozen=True, slots=True)
class Choice:
    """What the officer asked for, as typed (to show again when something is wrong)."""

    codes: str = ""
    province: str = ""
    count: str = "1"
    address: str = ""
    contact: str = ""  # how the clerk reaches the central office, printed on the sheet
    local_test: bool = False  # ticked: a loopback address is meant (a test on this machine)


@dataclass(frozen=True, slots=True)
class SheetToken:
    """A token as printed: its text and its QR code (inline SVG)."""

    text: str
    qr: Markup


@dataclass(frozen=True, slots=True)
class Sheet:
    """One district's page of the enrollment sheet."""

    district: District
    tokens: list[SheetToken]


def qr_svg(text: str) -> Markup:
    """A QR code of text as inline SVG, sized by the stylesheet (it has no style attribute)."""
    symbol = segno.make(text, error=QR_ERROR, micro=False)
    return Markup(symbol.svg_inline(omitsize=True, border=4, svgclass="qr", lineclass=None))


def default_address(request: Request, server_names: tuple[str, ...]) -> str:
    """The address kiosks most likely use: this page's own, as the browser reached it.

    The scheme, host and port the browser used (behind a proxy: X-Forwarded-Proto, which uvicorn
    takes from a trusted proxy, and X-Forwarded-Host and -Port when the proxy sends them). Opened
    on the server itself (127.0.0.1, an SSH tunnel) with a server name set, the name over HTTPS.
    """
    scheme = request.url.scheme
    forwarded = request.headers.get("x-forwarded-host", "").split(",")[0].strip()
    host = forwarded or request.headers.get("host", "") or request.url.netloc
    port = request.headers.get("x-forwarded-port", "").split(",")[0].strip()
    default_port = {"http": "80", "https": "443"}.get(scheme)
    if forwarded and port.isdigit() and port != default_port and not _has_port(host):
        host = f"{host}:{port}"
    reached = f"{scheme}://{host}"
    named = [n for n in server_names if not n.startswith("*")]
    if named and not is_local_address(named[0]) and (not host or is_local_address(reached)):
        return f"https://{named[0]}"
    return reached if host and _is_address(reached) else str(request.base_url).rstrip("/")


def _has_port(host: str) -> bool:
    """True when a Host value names its port (host:8443, [::1]:8443)."""
    return host.rsplit("]", 1)[-1].count(":") == 1


def provinces(loaded: dict[str, District], lang: str) -> list[tuple[str, str, int]]:
    """(code, name, loaded districts) of every province with a loaded district, by name (Thai
    dictionary order in Thai)."""
    found: dict[str, tuple[str, int]] = {}
    for code, district in loaded.items():
        name, count = found.get(code[:2], (district.province(lang), 0))
        found[code[:2]] = (name, count + 1)
    return sorted(
        ((c, n, k) for c, (n, k) in found.items()), key=lambda p: (thai_sort_key(p[1]), p[0])
    )


def _code_problem(code: str, loaded: dict[str, District], t: Translator) -> Markup | None:
    """Why code cannot have a token (in the reader's words), or None."""
    if len(code) != 4 or not code.isascii() or not code.isdigit():
        return t("tokens.not_a_code", code=code)
    found = geothai.district(code)
    if not valid_district(code):
        if code[:2] == BANGKOK_PROVINCE and found is not None:
            name = found.name_th if t.lang == "th" else found.name_en
            return t("tokens.bangkok_khet", code=code, name=name)
        return t("tokens.no_such_district", code=code)
    if code not in loaded:
        assert found is not None  # valid_district found it
        name = found.name_th if t.lang == "th" else found.name_en
        return t("tokens.not_loaded", code=code, name=name)
    return None


def check_choice(
    choice: Choice, loaded: dict[str, District], t: Translator
) -> tuple[list[str], int, str, list[Markup]]:
    """The districts (in the order named), tokens per district and address; or the problems."""
    problems: list[Markup] = []
    codes: list[str] = []
    for word in _SEPARATORS.split(choice.codes.translate(_THAI_DIGITS)):
        if not word:
            continue
        problem = _code_problem(word, loaded, t)
        if problem is not None:
            problems.append(problem)
        elif word not in codes:
            codes.append(word)
    if len(problems) > SHOWN_PROBLEMS:
        more = len(problems) - SHOWN_PROBLEMS
        problems = [*problems[:SHOWN_PROBLEMS], t("tokens.more_problems", n=more)]
    if choice.province:
        in_province = sorted(c for c in loaded if c[:2] == choice.province)
        if not in_province:
            problems.append(t("tokens.bad_province", code=choice.province))
        codes += [c for c in in_province if c not in codes]
    if not codes and not problems:
        problems.append(t("tokens.none_chosen"))
    if len(codes) > MAX_DISTRICTS:
        problems.append(t("tokens.too_many", n=len(codes), max=MAX_DISTRICTS))
    count = int(choice.count) if choice.count.isascii() and choice.count.isdigit() else 0
    if not 1 <= count <= MAX_PER_DISTRICT:
        problems.append(t("tokens.bad_count", value=choice.count, max=MAX_PER_DISTRICT))
    address = choice.address.strip().rstrip("/")
    if not _is_address(address):
        problems.append(t("tokens.bad_address", value=choice.address))
    elif is_local_address(address) and not choice.local_test:  # no district kiosk reaches it
        problems.append(t("tokens.local_not_ticked", address=address))
    if len(choice.contact) > CONTACT_LIMIT:
        problems.append(t("tokens.bad_contact", max=CONTACT_LIMIT))
    return codes, count, address, problems


def is_local_address(text: str) -> bool:
    """True when an address names this machine itself (localhost, 127.x, ::1), which no kiosk
    in a district office can reach: the form warns before a sheet is printed with it."""
    try:
        host = urlsplit(text.strip()).hostname or ""
    except ValueError:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_address(text: str) -> bool:
    """True for an http:// or https:// address with a host, as the kiosk accepts it."""
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and not parts.query
        and not parts.fragment
        and not any(c.isspace() for c in text)
    )


def _form(
    store: CollectorStore,
    t: Translator,
    choice: Choice,
    problems: list[Markup],
    done: Markup | None = None,
    void_problem: Markup | None = None,
) -> tuple[str, dict[str, Any]]:
    """The form (with what was typed and any problems) and the tokens issued so far."""
    with store.reading() as conn:
        loaded = results.districts(conn)
        issued = issued_tokens(conn, LIST_LIMIT)
        counts = token_counts(conn)
        unused = unused_by_district(conn)
    return "tokens.html", {
        "title": t("nav.tokens"),
        "choice": choice,
        "address_local": is_local_address(choice.address),
        "problems": problems,
        "done": done,
        "void_problem": void_problem,
        "unused": unused,
        "provinces": provinces(loaded, t.lang),
        "names": loaded,
        "issued": issued,
        "counts": counts,
        "max_per_district": MAX_PER_DISTRICT,
        "max_districts": MAX_DISTRICTS,
        "contact_limit": CONTACT_LIMIT,
        "fingerprint": fingerprint_for_id,
    }


@router.get("/console/tokens", response_class=HTMLResponse)
async def tokens_page(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """The form to issue tokens, and every token issued so far (never its value)."""
    choice = Choice(address=default_address(request, settings.server_names))
    return await page(request, store, lambda t: _form(store, t, choice, []))


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


@router.post("/console/tokens", response_class=HTMLResponse)
async def issue_tokens(
    request: Request, store: StoreDep, key: KeyDep, officer: Officer, form: CheckedForm
) -> Response:
    """Issue the tokens asked for and answer with their sheet; or the form with every problem."""
    choice = Choice(
        codes=_field(form, "codes")[:20_000],
        province=_field(form, "province").strip(),
        count=_field(form, "count").strip(),
        address=_field(form, "address")[:500],
        contact=" ".join(_field(form, "contact").split()),
        local_test=_field(form, "local_test") == "yes",
    )

    def build(t: Translator) -> tuple[str, dict[str, Any]]:
        with store.reading() as conn:
            loaded = results.districts(conn)
        codes, count, address, problems = check_choice(choice, loaded, t)
        if problems:
            log.info("%s asked for tokens; nothing issued: %s", officer.name, "; ".join(problems))
            raise FormProblemsError(problems)
        sheets = [
            Sheet(loaded[code], [_issue(store, code, officer.name) for _ in range(count)])
            for code in codes
        ]
        log.info(
            "%s issued %d enrollment tokens for districts %s",
            officer.name, len(codes) * count, " ".join(codes),
        )  # fmt: skip
        return "token_sheet.html", {
            "title": t("sheet.title"),
            "sheets": sheets,
            "address": address,
            "address_local": is_local_address(address),
            "address_qr": qr_svg(address),
            "tokens_issued": len(codes) * count,
            "issued_at": store.now(),
            "officer_name": officer.name,
            "contact": choice.contact,
            "collector_fingerprint": fingerprint_for(key.public_key_raw),
            "both": (Translator("th"), Translator("en")),
        }

    try:
        return await page(request, store, build)
    except FormProblemsError as refused:
        problems = refused.problems
    shown = await page(request, store, lambda t: _form(store, t, choice, problems))
    if shown.status_code == 200:
        shown.status_code = 422
    return shown


@router.post("/console/tokens/void", response_class=HTMLResponse)
async def void_tokens(
    request: Request, store: StoreDep, settings: SettingsDep, officer: Officer, form: CheckedForm
) -> Response:
    """Void every unused token of one district (a lost or doubled sheet); the list again."""
    code = _field(form, "district").strip()
    choice = Choice(address=default_address(request, settings.server_names))

    voided = 0

    def build(t: Translator) -> tuple[str, dict[str, Any]]:
        nonlocal voided
        voided = store.void_tokens(code, officer.name, "console") if code else 0
        if not voided:  # used meanwhile, voided in another tab, or no district chosen
            log.info(
                "%s asked to void the unused tokens of %r: there were none", officer.name, code
            )
            return _form(store, t, choice, [], void_problem=t("tokens.void_none", code=code or "–"))
        log.info("%s voided %d unused tokens of district %s", officer.name, voided, code)
        return _form(store, t, choice, [], t("tokens.voided", n=t.number(voided), code=code))

    shown = await page(request, store, build)
    if shown.status_code == 200 and not voided:
        shown.status_code = 422
    return shown


class FormProblemsError(Exception):
    """The form had problems (each in the reader's words): nothing was issued."""

    def __init__(self, problems: list[Markup]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _issue(store: CollectorStore, code: str, officer: str) -> SheetToken:
    """Issue one token for district code in the officer's name (audited), as it is printed."""
    token = store.issue_token(code, officer, "console")
    return SheetToken(token, qr_svg(token))
