"""The size groups page (officers): the district offices' classification, loaded from a CSV.

The department sends its classification as a spreadsheet; an officer loads it here in two
steps, without a terminal. *Check* reads the uploaded CSV with the same reader as
`sangsuk-collector districts --load` (collector/districts.py) and stores nothing: a file with
problems is answered (422) with every problem by line, in the reader's language; a good file
with what loading it would change (the districts added, and those moved to another group with
their kiosks and votes). *Load* stores the rows the check read, through
``CollectorStore.load_districts`` with the officer's name in the audit, and only if the table
is still as it was when the file was checked (else 409, check again). The rows travel in the
confirming form and are read again by the same reader, so an altered form is checked like a
file (only an officer can post it, who could upload any file anyway).

Checking and loading are sensitive (a load moves votes between the award groups): an officer
whose login or last confirmation is older than the window confirms it is them first
(collector/auth/confirm.py), as before announcing the awards.

A classification applies from a campaign on, chosen on the upload form (by default the first
campaign that has not ended; never an announced one): the campaigns before keep the groups they
had (collector/store/classification.py), and the check says which campaigns it changes.

The loaded table can be downloaded as a CSV that loads again as it is (a byte order mark for
Excel, the names beside the codes), so a classification is edited in a spreadsheet and loaded
back. The bundled demo classification can be loaded from here only while no district is
loaded, so it can never overwrite the department's own.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import AsyncIterator
from typing import Any, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.types import Scope

from collector.auth.web import CheckedForm, ConfirmedOfficer, require
from collector.deps import StoreDep
from collector.districts import CsvProblem, demo_csv, demo_groups, parse_districts_csv, whole_file
from collector.i18n import Translator
from collector.routes.rendering import (
    PageError,
    error_page,
    int_param,
    page,
    quiet_language,
    render,
    uploading_officer,
)
from collector.store import CollectorStore, StoreError, campaigns, classification
from collector.store import district_groups as groups
from collector.store.announcements import any_announced
from collector.store.campaigns import YEARS
from collector.store.records import WordedError
from wire.clock import thai_day
from wire.districts import SIZE_GROUPS

router = APIRouter(include_in_schema=False, dependencies=[Depends(require("officer"))])
log = logging.getLogger(__name__)
PATH: Final = "/console/districts"
MAX_CSV_BYTES: Final = 1024 * 1024  # the 878 offices with their names (the download): 74 KB
PROBLEMS_SHOWN: Final = 50
CHANGES_SHOWN: Final = 300
CHECK_PATH: Final = f"{PATH}/check"
# The check's body: the file and the form's few small fields around it (collector/bodies.py).
BODY_LIMITS: Final = {CHECK_PATH: MAX_CSV_BYTES + 16 * 1024}
_QUOTED: Final = re.compile(r"`([^`<>]+)`")
ALL_OFFICES: Final = 878  # the department's district offices outside Bangkok (geothai)


def _context(
    store: CollectorStore,
    t: Translator,
    request: Request | None = None,
    **shown: Any,
) -> dict[str, Any]:
    """What the page shows: the table's counts, the table, and a check's outcome if any."""
    held = _held(store)
    choices, first, own = _choices(store, t)
    done = None
    if request is not None and request.query_params.get("done") == "loaded":
        counts = {k: int_param(request, k, 0, 0, 100_000, t) or 0 for k in ("n", "added", "moved")}
        done = t("groups.loaded", **counts)
    elif request is not None and request.query_params.get("done") == "demo":
        done = t("groups.demo_loaded", n=len(held))
    return {
        "title": t("nav.districts"),
        "held": held,
        "demo": bool(held) and {d.code: d.size_group for d in held} == demo_groups(),
        "counts": {g: sum(1 for d in held if d.size_group == g) for g in SIZE_GROUPS},
        "missing": max(ALL_OFFICES - len(held), 0),
        "done": done,
        "max_mib": MAX_CSV_BYTES // (1024 * 1024),
        "problems": None,
        "preview": None,
        "changed": None,
        "choices": choices,
        "default_from": first,
        "own": own,
        **shown,
    }


def _choices(
    store: CollectorStore, t: Translator
) -> tuple[list[tuple[int, Markup]], int | None, dict[str, Any]]:
    """The campaigns a load may apply from, worded (the year after the last: only campaigns
    defined later), the default one, and the campaigns that kept their own groups."""
    now = store.now()
    defined = sorted(campaigns.every(store), key=lambda c: c.year)
    with store.reading() as conn:
        first = classification.first_open(conn, now)
        after = classification.earliest(conn)
        own = classification.own(conn)
        if classification.scope(conn, first).applies_from is None:
            defined = []  # the first load of all applies to every campaign: nothing to choose
            first = None
    choices = []
    for c in defined:
        if c.year < after:
            continue
        name = c.name_th if t.lang == "th" else c.name_en
        status = (
            t("groups.status_ended")
            if c.ends_at <= now
            else t("groups.status_running")
            if c.starts_at <= now
            else t("groups.status_coming")
        )
        choices.append((c.year, t("groups.from_campaign", year=c.year, name=name, status=status)))
    if defined:
        choices.append((defined[-1].year + 1, t("groups.from_later")))
    kept = [(c, own[c.year]) for c in defined if c.year in own]
    return (
        choices,
        first,
        {
            "kept": kept,
            "current_for": [c.year for c in defined if c.year not in own],
            "announced": after - 1 if after > 1 else None,
            "any_ended": any(c.year >= after and c.ends_at <= now for c in defined),
        },
    )


def _applies_from(
    form: Any, choices: list[tuple[int, Markup]], default: int | None
) -> int | str | None:
    """The campaign year the form's load applies from (the default when the form names none;
    None when no campaign is defined), or the field's text when it is not one of the choices."""
    text = str(form.get("applies_from") or "").strip()
    if not text:
        return default
    allowed = {str(year): year for year, _ in choices}
    return allowed.get(text, text)


@router.get(PATH, response_class=HTMLResponse)
async def size_groups_page(request: Request, store: StoreDep) -> Response:
    """The loaded size groups, the download, and the form to check a CSV."""
    return await page(request, store, lambda t: ("size_groups.html", _context(store, t, request)))


async def _show(request: Request, store: CollectorStore, status: int, **shown: Any) -> HTMLResponse:
    """The page (its reads off the event loop) with a check's outcome or a refusal."""
    lang = quiet_language(request)
    context = await run_in_threadpool(_context, store, Translator(lang), **shown)
    return render(request, store, "size_groups.html", lang, status=status, **context)


async def _problems(
    request: Request,
    store: CollectorStore,
    name: str,
    found: list[CsvProblem],
    status: int = 422,
    applies_from: int | None = None,
) -> HTMLResponse:
    """The page with a file's problems in the reader's language (422), the campaign chosen
    still chosen; nothing was stored."""
    lang = quiet_language(request)
    log.info("%s: %s not loaded: %s", request.url.path, name, "; ".join(map(str, found[:10])))
    said = [_with_code(p.in_language(lang)) for p in found[:PROBLEMS_SHOWN]]
    shown: dict[str, Any] = {
        "problems": {"name": name, "lines": said, "more": len(found) - len(said)}
    }
    if applies_from is not None:
        shown["default_from"] = applies_from
    return await _show(request, store, status, **shown)


def _with_code(said: str) -> Markup:
    """A problem's words for the page: what the catalogue quotes in `backticks` as code."""
    return Markup(_QUOTED.sub(r"<code>\1</code>", str(escape(said))))


async def _read_upload(upload: UploadFile) -> bytes | CsvProblem:
    """The uploaded file's bytes, or why not (too large, unreadable)."""
    if upload.size is not None and upload.size > MAX_CSV_BYTES:
        return _too_large(upload.size)
    try:
        data = await upload.read(MAX_CSV_BYTES + 1)
    except OSError as exc:  # the spooled copy on the server's disk
        return whole_file("unreadable_upload", why=exc.strerror or str(exc))
    if len(data) > MAX_CSV_BYTES:
        return _too_large(len(data))
    return data


def _too_large(size: int) -> CsvProblem:
    return whole_file("too_large", size=f"{size:,}", limit=f"{MAX_CSV_BYTES:,}")


async def _audit_too_large(store: CollectorStore, officer: str, size: int | str) -> None:
    """The audit row of a table refused for its size (none of it was read as a table)."""
    detail = f"a size-group table of {size} bytes, over the limit of {MAX_CSV_BYTES} bytes"
    facts = {"table": "size_groups", "size": size, "limit": MAX_CSV_BYTES}
    await run_in_threadpool(
        store.audit, "refused", "too_large", detail, None, "console", None, officer, facts
    )


async def closed_after(request: Request) -> AsyncIterator[None]:
    """A dependency: the posted form's spooled file is closed when the answer is made, also
    when a later dependency refuses it (the CSRF value, the confirmation)."""
    form = await request.form()  # read once; CheckedForm is given this same form
    try:
        yield
    finally:
        await form.close()


@router.post(CHECK_PATH, response_class=HTMLResponse, dependencies=[Depends(closed_after)])
async def check_file(
    request: Request, store: StoreDep, officer: ConfirmedOfficer, form: CheckedForm
) -> Response:
    """Read the uploaded CSV and say its problems, or what loading it would change."""
    return await _check(request, store, officer.name, form)


async def _check(request: Request, store: CollectorStore, officer: str, form: Any) -> Response:
    upload = form.get("file")
    applies_from = await _chosen_start(request, store, form)
    if isinstance(applies_from, Response):
        return applies_from
    if not isinstance(upload, UploadFile) or not upload.filename:
        t = Translator(quiet_language(request))
        none = {"name": "", "lines": [t("groups.choose_file")], "more": 0}
        return await _show(request, store, 422, problems=none)
    name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:200]
    data = await _read_upload(upload)
    if isinstance(data, CsvProblem):
        if data.faults[0].key == "too_large":
            await _audit_too_large(store, officer, str(data.faults[0].facts["size"]))
        return await _problems(request, store, name, [data], applies_from=applies_from)
    rows, found = await run_in_threadpool(parse_districts_csv, data)
    if found:
        return await _problems(request, store, name, found, applies_from=applies_from)
    outcome = await run_in_threadpool(_outcome, store, name, rows, applies_from)
    return await _show(request, store, 200, preview=outcome)


async def _chosen_start(
    request: Request, store: CollectorStore, form: Any
) -> int | Response | None:
    """The campaign the form's load applies from, or the page saying the choice is not one."""
    t = Translator(quiet_language(request))
    choices, default, _ = await run_in_threadpool(_choices, store, t)
    chosen = _applies_from(form, choices, default)
    if isinstance(chosen, str):
        log.info("%s: not a campaign to apply from: %r", request.url.path, chosen[:40])
        refused = {"name": "", "lines": [t("groups.bad_from")], "more": 0}
        return await _show(request, store, 422, problems=refused)
    return chosen


async def refuse_too_large(scope: Scope, limit: int) -> Response:
    """A check's body over its limit (collector/bodies.py, nothing read): the page, 413."""
    request = Request(scope)
    session = await uploading_officer(request)
    if isinstance(session, Response):
        return session
    store: CollectorStore = request.app.state.store
    declared = request.headers.get("content-length") or ""
    size = int(declared) if declared.isascii() and declared.isdigit() else limit + 1
    await _audit_too_large(store, session.operator.name, declared or "unstated")
    return await _problems(request, store, "", [_too_large(size)], status=413)


def _outcome(
    store: CollectorStore, name: str, rows: list[tuple[str, str]], applies_from: int | None
) -> dict[str, Any]:
    """A good file's check for the page: what loading it would change (nothing stored), and
    the rows the confirming form sends back."""
    records = groups.records(rows)
    with store.reading() as conn:
        preview = groups.preview(conn, records, applies_from)
        announced = any_announced(conn)
    return {
        "name": name,
        "preview": preview,
        "moved": preview.moved[:CHANGES_SHOWN],
        "added": preview.added[:CHANGES_SHOWN],
        "rows": " ".join(f"{code},{group}" for code, group in rows),  # one field, no newlines
        "announced": announced,
        "changes_shown": CHANGES_SHOWN,
        "applies_from": applies_from,
    }


@router.post(f"{PATH}/load", response_class=HTMLResponse)
async def load_rows(
    request: Request, store: StoreDep, officer: ConfirmedOfficer, form: CheckedForm
) -> Response:
    """Load the rows a check showed, if the table is still as it was then."""
    name = str(form.get("name") or "")[:200]
    text = "code,size_group\n" + str(form.get("rows") or "").replace(" ", "\n")
    rows, found = await run_in_threadpool(parse_districts_csv, text.encode())
    if found:
        return await _problems(request, store, name, found)
    state = str(form.get("state") or "")
    applies_from = await _chosen_start(request, store, form)
    if isinstance(applies_from, Response):
        return applies_from
    try:
        load = store.load_districts
        done = await run_in_threadpool(
            load, rows, officer.name, "console", state, applies_from=applies_from
        )
    except StoreError as refused:
        if refused.code not in ("districts_changed", "groups_announced"):
            raise
        log.info("%s refused: %s", request.url.path, refused)
        t = Translator(quiet_language(request))
        said = (
            t("groups.error.announced", **refused.values)  # announced since the check
            if isinstance(refused, WordedError)
            else t("groups.changed")
        )
        return await _show(request, store, 409, changed=said)
    log.info("%s loaded %d districts from %s", officer.name, done.count, name)
    return RedirectResponse(
        f"{PATH}?done=loaded&n={done.count}&added={len(done.added)}&moved={len(done.moved)}",
        status_code=303,
    )


@router.post(f"{PATH}/demo", response_class=HTMLResponse)
async def load_demo(
    request: Request, store: StoreDep, officer: ConfirmedOfficer, form: CheckedForm
) -> Response:
    """Load the bundled demo classification, only while no district is loaded."""
    rows, _ = parse_districts_csv(demo_csv())
    try:
        load = store.load_districts
        await run_in_threadpool(load, rows, officer.name, "console", groups.EMPTY, True)
    except StoreError as refused:
        if refused.code != "districts_changed":
            raise
        t = Translator(quiet_language(request))
        return await _show(request, store, 409, changed=t("groups.demo_refused"))
    return RedirectResponse(f"{PATH}?done=demo", status_code=303)


@router.get(f"{PATH}.csv")
async def download(request: Request, store: StoreDep) -> Response:
    """The loaded table as a CSV that loads again as it is (UTF-8 with a BOM, for Excel); with
    ``?campaign=YEAR``, the groups that campaign is ranked in."""
    t = Translator(quiet_language(request))
    try:
        campaign = int_param(request, "campaign", None, YEARS[0], YEARS[-1], t)
    except PageError as error:
        return error_page(request, store, error.status, error.title_key, error.messages)
    if campaign is not None and await run_in_threadpool(campaigns.by_year, store, campaign) is None:
        messages: list[str] = [t("campaigns.unknown", year=campaign)]
        return error_page(request, store, 404, "error.not_found", messages)
    held = await run_in_threadpool(_held, store, campaign)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["code", "size_group", "name_th", "name_en", "province_th", "province_en"])
    for d in held:
        writer.writerow([d.code, d.size_group, d.name_th, d.name_en, d.province_th, d.province_en])
    day = thai_day(store.clock.now()).isoformat()
    of = f"campaign-{campaign}-" if campaign is not None else ""
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="size-groups-{of}{day}.csv"'},
    )


def _held(store: CollectorStore, campaign: int | None = None) -> list[groups.HeldDistrict]:
    with store.reading() as conn:
        return groups.districts(conn, campaign)
