"""The `sangsuk-collector` command: the central office's tool (docs/operations.md).

Every subcommand takes ``--db PATH``. An error that stops a command is one sentence on stderr,
also logged to ``logs/collector.log`` beside the database; `import` reports each file on
stdout, refusals included (each refusal is also in the audit). Exit code 2 means the command
could not run as asked (usage, setup, a bad file to load), 1 that it ran but something needs
attention (a refused file, a conflict, a receipt not written), 0 that all went well.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import logging
import logging.handlers
import os
import ssl
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Final

import geothai
import platformdirs

from collector import results, stick
from collector.keys import CollectorKeyError, load_collector_key
from collector.publish import PublishError, publish
from collector.ranking import Ranking, RankingMethod
from collector.recount import MANIFEST_NAME, awards_text, recount
from collector.stick import receipt_path_for
from collector.store import (
    SKEW_FLAG_SECONDS,
    SKEW_THRESHOLD_ENV,
    CollectorStore,
    KioskStatus,
    StoreError,
)
from wire.batch import MAX_BATCH_BYTES, BatchCheck, Ranges, check_batch, sign_receipt
from wire.clock import parse_utc
from wire.districts import BANGKOK_PROVINCE, SIZE_GROUPS, valid_district
from wire.files import write_atomically
from wire.keys import DeviceKey, KeyFileError

PROG: Final = "sangsuk-collector"
APP_NAME: Final = "sangsuk-collector"
DB_FILE_NAME: Final = "collector.sqlite3"
DEMO: Final = "demo"
DEMO_CSV: Final = "districts-demo.csv"
SILENT_AFTER: Final = timedelta(days=3)
THAI_TIME: Final = timezone(timedelta(hours=7), "ICT")
MAX_ROW_ERRORS_SHOWN: Final = 30
# Size groups as a spreadsheet from the department may write them.
_GROUP_WORDS: Final = {
    "small": "small",
    "medium": "medium",
    "large": "large",
    "เล็ก": "small",
    "ขนาดเล็ก": "small",
    "กลาง": "medium",
    "ขนาดกลาง": "medium",
    "ใหญ่": "large",
    "ขนาดใหญ่": "large",
}
log = logging.getLogger("sangsuk.collector.cli")


class CliError(Exception):
    """A failure to tell the operator in one sentence; ``exit_code`` is the process's."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def default_db_path() -> Path:
    """The database used when --db is not given (e.g. ~/.local/share/sangsuk-collector/...)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_FILE_NAME


# --- the parser ----------------------------------------------------------------------------


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"it must be at least 1, not {value}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535, not {value}")
    return value


def _clock_threshold_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--clock-threshold",
        type=_positive_int,
        default=None,
        metavar="SECONDS",
        help=f"flag a kiosk clock further off than this (default: ${SKEW_THRESHOLD_ENV} or {SKEW_FLAG_SECONDS})",
    )


def _db_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=default,
        metavar="PATH",
        help=f"the collector database (default: {default_db_path()}); its key is kept beside it",
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of `sangsuk-collector`."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Sangsuk central collector: enroll kiosks, receive batches, count votes.",
        epilog="See docs/operations.md for the central office's procedures.",
    )
    _db_option(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text[:1].upper() + help_text[1:])
        _db_option(p, argparse.SUPPRESS)
        return p

    serve = add("serve", "serve the HTTP API that kiosks send batches to")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    serve.add_argument("--port", type=_port, default=8080, help="port (default: %(default)s)")
    serve.add_argument(
        "--workers",
        type=_positive_int,
        default=1,
        help="serving processes; each checks batches in its share of the cores (default: %(default)s)",
    )
    serve.add_argument("--tls-cert", type=Path, metavar="FILE", help="TLS certificate chain (PEM)")
    serve.add_argument("--tls-key", type=Path, metavar="FILE", help="TLS private key (PEM)")
    _clock_threshold_option(serve)

    token = add("token", "issue a one-time enrollment token for a district's kiosk")
    token.add_argument("--district", required=True, metavar="CODE", help="4-digit district code")

    districts = add("districts", "list districts, or load their size groups from a CSV")
    districts.add_argument(
        "--load",
        metavar="CSV",
        help=f"CSV with columns code,size_group; `{DEMO}` loads the bundled demo classification",
    )

    kiosks = add(
        "kiosks", "list enrolled kiosks: last seen, highest seq, gaps, clock, replays, revoked"
    )
    kiosks.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _clock_threshold_option(kiosks)

    revoke = add("revoke", "revoke a kiosk: its batches are refused from now on")
    revoke.add_argument(
        "kiosk",
        metavar="KIOSK",
        help="kiosk id, its fingerprint (3F2A-91C0-...) or a unique prefix",
    )

    imp = add("import", "import batch files from a USB stick and write a receipt beside each")
    imp.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="batch files, or folders of them"
    )
    imp.add_argument(
        "--receipts",
        type=Path,
        metavar="DIR",
        help="write the receipts into DIR instead of beside each batch file",
    )

    report = add("report", "votes per district and size group")
    report.add_argument("--json", action="store_true", help="print JSON instead of tables")
    report.add_argument("--all", action="store_true", help="also list districts with no votes")

    audit = add("audit", "refusals, conflicts and revocations, newest first; quarantined votes")
    audit.add_argument(
        "--limit", type=_positive_int, default=50, help="rows to show (default: %(default)s)"
    )
    audit.add_argument("--json", action="store_true", help="print JSON instead of tables")
    _results_commands(add)
    return parser


def _whole_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"it must be 0 or more, not {value}")
    return value


def _method_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--prior-weight",
        type=_whole_number,
        metavar="N",
        help="the national mean counts as N extra votes per district (see docs/recount.md)",
    )
    parser.add_argument(
        "--min-votes", type=_positive_int, metavar="N", help="districts need N votes to be ranked"
    )


def _results_commands(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """The parsers of awards, publish and recount (docs/operations.md, docs/recount.md)."""
    awards = add("awards", "the ranking of each size group, best first, and the method")
    awards.add_argument("--json", action="store_true", help="print the awards as JSON")
    awards.add_argument(
        "--csv", type=Path, metavar="FILE", help="also write every ranked district to FILE"
    )
    _method_options(awards)
    awards.add_argument(
        "--save", action="store_true", help="make --prior-weight/--min-votes the collector's method"
    )
    publish = add("publish", "write every accepted batch and a signed manifest for a recount")
    publish.add_argument(
        "--to", type=Path, required=True, metavar="DIR", help="a new or empty folder"
    )
    recount = add("recount", "recompute the awards from published batch files, without a database")
    recount.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="the publication folder, or its files"
    )
    recount.add_argument("--json", action="store_true", help="print the awards as JSON")
    recount.add_argument(
        "--districts",
        metavar="CSV",
        help=f"size groups from CSV (`{DEMO}` for the bundled table) instead of the manifest's",
    )
    recount.add_argument(
        "--collector-key",
        metavar="HEX",
        help="the collector's public key as announced by the central office; the manifest must be signed by it",
    )
    _method_options(recount)


def main(argv: list[str] | None = None) -> int:
    """Run `sangsuk-collector`; return the process exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error argparse has already explained
        return exc.code if isinstance(exc.code, int) else 2
    db: Path = args.db or default_db_path()
    creates = args.command == "serve" or (args.command == "districts" and args.load is not None)
    _setup_logging(db, create=creates)
    handler: Callable[[argparse.Namespace, Path], int] = _COMMANDS[args.command]
    try:
        return handler(args, db)
    except CliError as exc:
        return _fail(str(exc), exc.exit_code)
    except StoreError as exc:
        return _fail(_sentence(str(exc)), 2)
    except KeyFileError as exc:
        return _fail(f"The collector key cannot be used: {exc}", 2)
    except KeyboardInterrupt:
        return _fail("Interrupted.", 130)
    except BrokenPipeError:  # e.g. `report | head`: the reader has all it wanted
        _silence_stdout()
        return 0
    except Exception as exc:  # the promise: a sentence and a log entry, never a traceback
        log.exception("%s %s failed", PROG, args.command)
        return _fail(
            f"The {args.command} command failed unexpectedly ({type(exc).__name__}: {exc}); "
            "the details are in the log beside the database.",
            2,
        )


def _silence_stdout() -> None:
    """Point stdout at the null device so Python's exit flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _fail(message: str, code: int) -> int:
    log.error("%s", message)
    print(f"{PROG}: {message}", file=sys.stderr)
    return code


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _setup_logging(db: Path, *, create: bool) -> None:
    """Log to logs/collector.log beside the database (rotated), if that folder is writable.

    The database's folder is made only for a command that creates the database, so a mistyped
    --db does not leave folders behind.
    """
    root = logging.getLogger()
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    path = db.parent / "logs" / "collector.log"
    for existing in root.handlers:
        if (
            isinstance(existing, logging.handlers.RotatingFileHandler)
            and Path(existing.baseFilename) == path.absolute()
        ):
            return
    if not create and not db.parent.is_dir():
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


# --- shared helpers ------------------------------------------------------------------------


@contextlib.contextmanager
def _open_store(db: Path, *, create: bool = False) -> Iterator[CollectorStore]:
    """Open the collector database; unless create, it must already exist."""
    if not create and not db.exists():
        raise CliError(
            f"There is no collector database at {db}; check --db "
            f"(a new one is made by `{PROG} districts --load`)."
        )
    store = CollectorStore(db)
    try:
        yield store
    finally:
        store.close()


def _collector_key(store: CollectorStore, db: Path) -> DeviceKey:
    """Load the collector key, refusing to make a new one while kiosks have pinned the old one."""
    try:
        return load_collector_key(db, store.enrolled_count())
    except CollectorKeyError as exc:
        raise CliError(str(exc)) from exc


def _thai_time(stamp: str | None) -> str:
    """A protocol UTC timestamp as Thai time for a person, e.g. 2026-11-24 10:00."""
    if not stamp:
        return "never"
    try:
        return parse_utc(stamp).astimezone(THAI_TIME).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def _ago(stamp: str | None, now: datetime) -> str:
    if not stamp:
        return ""
    try:
        seconds = (now - parse_utc(stamp)).total_seconds()
    except ValueError:
        return ""
    if seconds < 3600:
        return f"{max(0, int(seconds // 60))} min ago"
    if seconds < 2 * 86400:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} d ago"


def _ranges_text(ranges: Ranges) -> str:
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in ranges) or "-"


def _width(text: str) -> int:
    """Columns a string takes in a terminal (Thai vowel and tone marks take none)."""
    total = 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: str = "") -> list[str]:
    """Lay rows out in columns; columns whose index is in ``right`` are right-aligned."""
    widths = [_width(h) for h in headers]
    for row in rows:
        widths = [max(w, _width(c)) for w, c in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = []
        for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
            pad = " " * (w - _width(cell))
            parts.append(pad + cell if str(i) in right else cell + pad)
        return "  ".join(parts).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _district_label(code: str) -> str:
    district = geothai.district(code)
    return f"{code} {district.name_th}" if district else code


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


# --- serve ---------------------------------------------------------------------------------


def _cmd_serve(args: argparse.Namespace, db: Path) -> int:
    """Serve the HTTP API with uvicorn."""
    from collector import serving  # only this command needs the server
    from collector.app import (
        CHECK_PROCESSES_ENV,
        CHECKS_ENV,
        DB_ENV,
        checks_per_process,
        create_app,
    )

    cert: Path | None = args.tls_cert
    key: Path | None = args.tls_key
    if (cert is None) != (key is None):
        raise CliError(
            "--tls-cert and --tls-key go together: give both the certificate and its private key, or neither."
        )
    if cert is not None and key is not None:
        _check_tls(cert, key)
    if args.clock_threshold is not None:  # read by every worker's store
        os.environ[SKEW_THRESHOLD_ENV] = str(args.clock_threshold)
    with _open_store(db, create=True) as store:
        _collector_key(store, db)  # made now, once, not by racing workers
        loaded = len(store.report()["districts"])
    if not loaded:
        print(
            f"{PROG}: note: no districts are loaded, so no kiosk can enroll yet; "
            f"run `{PROG} districts --load CSV`.",
            file=sys.stderr,
        )
    if cert is None and args.host not in ("127.0.0.1", "::1", "localhost"):
        print(
            f"{PROG}: warning: serving plain HTTP on {args.host}; use --tls-cert/--tls-key "
            "or a TLS reverse proxy in front of a loopback address.",
            file=sys.stderr,
        )
    tls: dict[str, Any] = (
        {"ssl_certfile": str(cert), "ssl_keyfile": str(key)} if cert is not None else {}
    )
    log.info(
        "serving %s on %s:%s with %d worker(s)%s",
        db,
        args.host,
        args.port,
        args.workers,
        " over TLS" if tls else "",
    )
    # Each serving process checks batches in worker processes of its own, as many as its share
    # of the cores (collector/checking.py).
    # The server's timeouts and how it ends are in collector/serving.py.
    checks = checks_per_process(args.workers)
    if args.workers == 1:
        app = create_app(db, checks=checks, processes=True)
        config = serving.ServerConfig(app, host=args.host, port=args.port, **tls)
    else:
        os.environ[DB_ENV] = str(db.absolute())
        os.environ[CHECKS_ENV] = str(checks)
        os.environ[CHECK_PROCESSES_ENV] = "1"
        config = serving.ServerConfig(
            "collector.app:app_from_env",
            factory=True,
            workers=args.workers,
            host=args.host,
            port=args.port,
            **tls,
        )
    return serving.run(config)


def _check_tls(cert: Path, key: Path) -> None:
    for what, path in (("certificate", cert), ("private key", key)):
        if not path.is_file():
            raise CliError(f"The TLS {what} file {path} does not exist.")
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key)
    except (ssl.SSLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or exc
        raise CliError(
            f"The TLS certificate {cert} and key {key} cannot be used together ({reason})."
        ) from None


# --- token ---------------------------------------------------------------------------------


def _cmd_token(args: argparse.Namespace, db: Path) -> int:
    """Issue a one-time enrollment token; the token alone is the last line printed."""
    code = str(args.district).strip()
    if not valid_district(code):
        where = (
            " (a Bangkok khet; the campaign covers amphoe offices)"
            if code[:2] == BANGKOK_PROVINCE and geothai.district(code)
            else ""
        )
        raise CliError(f"{code!r} is not the 4-digit code of a district office{where}.")
    with _open_store(db) as store:
        _collector_key(store, db)  # the key a kiosk pins at enrollment exists before it enrolls
        token = store.issue_token(code)
    district = geothai.district(code)
    province = geothai.province(code[:2])
    if district is None or province is None:  # pragma: no cover - valid_district checked it
        raise CliError(f"District {code} is not in geothai.")
    log.info("issued an enrollment token for district %s", code)
    print(
        f"One-time enrollment token for district {code} {district.name_th} ({district.name_en}), "
        f"{province.name_th} ({province.name_en}). It enrolls one kiosk, once; give it to the "
        "district clerk by a trusted channel:"
    )
    print(token)
    return 0


# --- districts -----------------------------------------------------------------------------


def _cmd_districts(args: argparse.Namespace, db: Path) -> int:
    """Load size groups from a CSV, or list the loaded districts."""
    if args.load is None:
        with _open_store(db) as store:
            return _list_districts(store)
    if args.load == DEMO:
        data = resources.files("collector.data").joinpath(DEMO_CSV).read_bytes()
        source = f"the bundled demo classification ({DEMO_CSV})"
    else:
        path = Path(args.load)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CliError(f"Cannot read {path}: {exc.strerror or exc}.") from None
        source = str(path)
    rows, errors = parse_districts_csv(data)
    if errors:
        for message in errors[:MAX_ROW_ERRORS_SHOWN]:
            print(f"{PROG}: {message}", file=sys.stderr)
            log.error("%s: %s", source, message)
        more = len(errors) - MAX_ROW_ERRORS_SHOWN
        if more > 0:
            print(f"{PROG}: ... and {more} more problems.", file=sys.stderr)
        raise CliError(
            f"Nothing was loaded: {source} has {len(errors)} problem(s); fix them and load it again."
        )
    with _open_store(db, create=True) as store:
        _collector_key(store, db)  # made with the database, before any kiosk can pin it
        count = store.load_districts(rows)
        report = store.report()
    groups = {g: sum(1 for _, group in rows if group == g) for g in SIZE_GROUPS}
    log.info("loaded %d districts from %s", count, source)
    print(
        f"Loaded {count} districts from {source}: "
        + ", ".join(f"{groups[g]} {g}" for g in SIZE_GROUPS)
        + f". {len(report['districts'])} district offices now have a size group."
    )
    if args.load == DEMO:
        print(
            "Note: the demo groups come from the number of subdistricts; they are not the "
            "department's official classification."
        )
    return 0


def parse_districts_csv(data: bytes) -> tuple[list[tuple[str, str]], list[str]]:
    """Read (code, size_group) rows from CSV bytes; return them and every problem, by line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [
            "The file is not UTF-8 text; in Excel save it as `CSV UTF-8 (Comma delimited)`."
        ]
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        return [], ["The file is empty; it needs a header line `code,size_group`."]
    names = [h.strip().lower().replace(" ", "_").replace("-", "_") for h in header]
    if "code" not in names or "size_group" not in names:
        return [], [
            "Line 1 must name the columns `code` and `size_group` (found: "
            + (", ".join(h.strip() for h in header if h.strip()) or "nothing")
            + ")."
        ]
    code_at, group_at = names.index("code"), names.index("size_group")
    rows: list[tuple[str, str]] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        code = record[code_at].strip() if code_at < len(record) else ""
        raw_group = record[group_at].strip() if group_at < len(record) else ""
        group = _GROUP_WORDS.get(raw_group.lower())
        problems = []
        if not valid_district(code):
            if not code:
                problems.append("the code is empty")
            elif code[:2] == BANGKOK_PROVINCE and geothai.district(code):
                problems.append(f"{code} is a Bangkok khet, not an amphoe office")
            else:
                problems.append(f"{code!r} is not the code of a district office")
        elif code in seen:
            problems.append(f"district {code} is already on line {seen[code]}")
        if group is None:
            problems.append(
                f"the size group must be small, medium or large, not {raw_group!r}"
                if raw_group
                else "the size group is empty"
            )
        if problems:
            errors.append(f"Line {line}: " + "; ".join(problems) + ".")
            continue
        assert group is not None
        seen[code] = line
        rows.append((code, group))
    if not rows and not errors:
        errors.append("The file has a header but no districts.")
    return rows, errors


def _list_districts(store: CollectorStore) -> int:
    districts = store.report()["districts"]
    if not districts:
        print(f"No districts are loaded; run `{PROG} districts --load CSV` (or `--load {DEMO}`).")
        return 0
    rows = [
        [
            d["code"],
            d["name_th"],
            d["name_en"],
            d["province_en"],
            d["size_group"],
            str(d["kiosks"]),
        ]
        for d in districts
    ]
    for line in _table(("code", "district", "", "province", "size group", "kiosks"), rows, "5"):
        print(line)
    counts = {g: sum(1 for d in districts if d["size_group"] == g) for g in SIZE_GROUPS}
    print(
        f"{len(districts)} districts: "
        + ", ".join(f"{counts[g]} {g}" for g in SIZE_GROUPS)
        + f"; {sum(d['kiosks'] for d in districts)} kiosks enrolled."
    )
    return 0


# --- kiosks and revoke ---------------------------------------------------------------------


def _kiosk_rows(store: CollectorStore) -> list[tuple[KioskStatus, str | None, str | None]]:
    return [(s, s.enrolled_at, s.revoked_at) for s in store.kiosks()]


def _cmd_kiosks(args: argparse.Namespace, db: Path) -> int:
    """List the enrolled kiosks."""
    with _open_store(db) as store:
        if args.clock_threshold is not None:
            store.skew_threshold_s = float(args.clock_threshold)
        threshold = store.skew_threshold_s
        rows = _kiosk_rows(store)
    if args.json:
        _print_json([_kiosk_json(s, enrolled, revoked) for s, enrolled, revoked in rows])
        return 0
    if not rows:
        print(f"No kiosks are enrolled yet; issue a token with `{PROG} token --district CODE`.")
        return 0
    now = datetime.now(UTC)
    table = []
    for s, enrolled, _ in rows:
        seen = _thai_time(s.last_seen)
        if s.last_seen:
            seen += f" ({_ago(s.last_seen, now)})"
        skew = _clock_text(s)
        table.append(
            [
                fingerprint_for_id(s.kiosk),
                _district_label(s.district),
                _thai_time(enrolled),
                seen,
                str(s.contiguous),
                str(s.max_seq),
                str(s.votes),
                _ranges_text(s.missing),
                skew,
                f"{s.replays}, last {_thai_time(s.last_replay_at)}" if s.replays else "-",
                "REVOKED" if s.revoked else "",
            ]
        )
    headers = (
        "kiosk",
        "district",
        "enrolled",
        "last seen (Thai time)",
        "contiguous",
        "max seq",
        "votes",
        "gaps",
        "clock",
        "replayed",
        "",
    )
    for line in _table(headers, table, "456"):
        print(line)
    silent = [
        s
        for s, _, _ in rows
        if not s.revoked and (s.last_seen is None or now - parse_utc(s.last_seen) > SILENT_AFTER)
    ]
    print(
        f"{len(rows)} kiosk(s); "
        f"{sum(1 for s, _, _ in rows if s.missing)} with gaps, "
        f"{sum(1 for s, _, _ in rows if s.skew_flagged)} with a clock off by more than {threshold:g} s, "
        f"{len(silent)} not heard from in {SILENT_AFTER.days} days, "
        f"{sum(1 for s, _, _ in rows if s.revoked)} revoked."
    )
    return 0


def _clock_text(s: KioskStatus) -> str:
    """The clock column: made_at vs receipt (network), and votes cast after their receipt."""
    parts = [] if s.clock_skew_s is None else [f"{s.clock_skew_s:+.0f} s"]
    if s.vote_ahead_s is not None and s.vote_ahead_s > s.skew_threshold_s:
        parts.append(f"votes {s.vote_ahead_s:+.0f} s ahead")
    text = ", ".join(parts) or "-"
    return text + " OFF" if s.skew_flagged else text


def fingerprint_for_id(kiosk: str) -> str:
    """The display fingerprint of a kiosk id (the first 16 hex digits, grouped)."""
    head = kiosk[:16].upper()
    return "-".join(head[i : i + 4] for i in range(0, len(head), 4))


def _kiosk_json(s: KioskStatus, enrolled: str | None, revoked: str | None) -> dict[str, Any]:
    district = geothai.district(s.district)
    return {
        "kiosk": s.kiosk,
        "fingerprint": fingerprint_for_id(s.kiosk),
        "district": s.district,
        "name_th": district.name_th if district else None,
        "name_en": district.name_en if district else None,
        "enrolled_at": enrolled,
        "revoked": s.revoked,
        "revoked_at": revoked,
        "last_seen": s.last_seen,
        "highest_contiguous": s.contiguous,
        "max_seq": s.max_seq,
        "votes": s.votes,
        "held": [list(r) for r in s.held],
        "missing": [list(r) for r in s.missing],
        "clock_skew_s": s.clock_skew_s,
        "vote_ahead_s": s.vote_ahead_s,
        "clock_checked_at": s.clock_checked_at,
        "clock_threshold_s": s.skew_threshold_s,
        "skew_flagged": s.skew_flagged,
        "replays": s.replays,
        "last_replay_at": s.last_replay_at,
    }


def _resolve_kiosk(store: CollectorStore, given: str) -> str:
    """A kiosk id from a full id, a fingerprint or a unique prefix of either."""
    wanted = given.strip().replace("-", "").lower()
    if len(wanted) < 4 or any(c not in "0123456789abcdef" for c in wanted):
        raise CliError(
            f"{given!r} is not a kiosk id; give the id or fingerprint shown by `{PROG} kiosks`."
        )
    matches = [s.kiosk for s in store.kiosks() if s.kiosk.startswith(wanted)]
    if not matches:
        raise CliError(f"No enrolled kiosk matches {given!r}; `{PROG} kiosks` lists them.")
    if len(matches) > 1:
        raise CliError(
            f"{given!r} matches {len(matches)} kiosks ({', '.join(matches)}); give more of the id."
        )
    return matches[0]


def _cmd_revoke(args: argparse.Namespace, db: Path) -> int:
    """Revoke a kiosk."""
    with _open_store(db) as store:
        kiosk = _resolve_kiosk(store, args.kiosk)
        before = store.kiosk_status(kiosk)
        store.revoke(kiosk)
    if before.revoked:
        print(f"Kiosk {kiosk} ({_district_label(before.district)}) was already revoked.")
    else:
        log.warning("revoked kiosk %s of district %s", kiosk, before.district)
        print(
            f"Revoked kiosk {kiosk} ({_district_label(before.district)}): its batches are refused "
            f"from now on; the {before.votes} votes already held stay counted."
        )
    return 0


# --- import --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Tally:
    accepted: int = 0
    failed: int = 0
    new: int = 0
    duplicates: int = 0
    conflicts: int = 0
    receipts_missing: int = 0
    skipped: dict[str, list[str]] = field(default_factory=dict)  # names, by kind of entry


def _refusal_words(check: BatchCheck) -> str:
    if not check.problems:
        return "the batch could not be checked"
    first = check.problems[0].message
    more = len(check.problems) - 1
    return first + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")


def _cmd_import(args: argparse.Namespace, db: Path) -> int:
    """Import the batch files of a USB stick (collector/stick.py); a receipt beside each."""
    folder: Path | None = args.receipts
    if folder is not None and not folder.is_dir():
        raise CliError(f"The receipts folder {folder} does not exist.")
    tally = _Tally()
    with _open_store(db) as store:
        key = _collector_key(store, db)
        for entry in stick.entries(args.files):
            if entry.skip is not None:  # companions and the like: one line per kind, below
                tally.skipped.setdefault(entry.skip, []).append(entry.path.name)
                continue
            _import_one(store, key, entry, folder, tally)
    for kind, names in tally.skipped.items():
        log.info("import: skipped %d %s: %s", len(names), kind, ", ".join(names[:50]))
    for kind in stick.SKIPPED:
        if kind in tally.skipped:
            print(stick.skipped_line(kind, tally.skipped[kind]))
    total = tally.accepted + tally.failed
    if total == 0:
        raise CliError(
            "No batch files were found: only receipts, summaries, other files or empty folders"
            " were given."
        )
    parts = [f"{tally.accepted} accepted ({tally.new} new votes, {tally.duplicates} already held)"]
    if tally.failed:
        parts.append(f"{tally.failed} refused or unreadable")
    if tally.conflicts:
        parts.append(f"{tally.conflicts} conflicting vote(s) quarantined, see `{PROG} audit`")
    if tally.receipts_missing:
        parts.append(f"{tally.receipts_missing} receipt(s) could not be written")
    skipped = sum(len(names) for names in tally.skipped.values())
    if skipped:
        parts.append(f"{skipped} other entr{'y' if skipped == 1 else 'ies'} skipped, not batches")
    print(f"{total} file{'s' if total != 1 else ''}: " + "; ".join(parts) + ".")
    return 1 if tally.failed or tally.conflicts or tally.receipts_missing else 0


def _import_one(
    store: CollectorStore,
    key: DeviceKey,
    entry: stick.Entry,
    folder: Path | None,
    tally: _Tally,
) -> None:
    """Import one batch file and print its summary line."""
    path = entry.path
    name = str(path)
    try:
        if entry.error is not None:
            raise stick.FileRefusedError("unreadable_file", f"cannot be read ({entry.error})")
        data = stick.read_batch_file(entry, MAX_BATCH_BYTES)
    except stick.FileRefusedError as exc:
        what = "folder" if entry.error is not None else "file"
        verdict = "NOT IMPORTED" if exc.code == "unreadable_file" else "REFUSED"
        store.audit("refused", exc.code, f"the {what} {exc.message}", None, "usb", name)
        print(f"{name}: {verdict}, the {what} {exc.message}.")
        tally.failed += 1
        return
    check = check_batch(data)
    if not check.ok:
        store.refuse(check, "usb", name)
        print(f"{name}: REFUSED, {_refusal_words(check)}.")
        tally.failed += 1
        return
    try:
        result = store.ingest(check, data, "usb", source_addr=name)
    except StoreError as exc:  # unknown or revoked kiosk, wrong district; audited by the store
        print(f"{name}: REFUSED, {exc}.")
        tally.failed += 1
        return
    tally.accepted += 1
    tally.new += result.new
    tally.duplicates += result.duplicates
    tally.conflicts += len(result.conflicts)
    assert check.kiosk is not None
    line = (
        f"{name}: kiosk {fingerprint_for_id(check.kiosk)} "
        f"({_district_label(check.votes[0].ballot.district)}), votes {check.first_seq}-{check.last_seq}: "
        f"{result.new} new, {result.duplicates} already held, {len(result.conflicts)} conflicts"
    )
    if result.conflicts:
        line += f" (seq {_ranges_text([(s, s) for s in result.conflicts])} quarantined)"
    receipt_file = receipt_path_for(path, folder)
    try:
        write_atomically(receipt_file, sign_receipt(key.private_key, result.receipt))
    except OSError as exc:
        tally.receipts_missing += 1
        log.warning("cannot write receipt %s: %s", receipt_file, exc)
        print(
            f"{line}; the votes are stored but the receipt {receipt_file} could not be written "
            f"({exc.strerror or exc}); import the file again with --receipts DIR."
        )
        return
    log.info("imported %s: %d new, %d duplicates", name, result.new, result.duplicates)
    print(f"{line}; receipt {receipt_file}.")


# --- report and audit ----------------------------------------------------------------------


def _cmd_report(args: argparse.Namespace, db: Path) -> int:
    """Votes per district and size group."""
    with _open_store(db) as store:
        report = store.report()
    if args.json:
        _print_json(report)
        return 0
    districts: list[dict[str, Any]] = report["districts"]
    if not districts:
        print(f"No districts are loaded; run `{PROG} districts --load CSV`.")
        return 0
    print(f"Total: {report['total']} votes.")
    for group in SIZE_GROUPS:
        members = [d for d in districts if d["size_group"] == group]
        voted = sorted((d for d in members if d["votes"]), key=lambda d: (-d["votes"], d["code"]))
        quiet = [d for d in members if not d["votes"]]
        print()
        print(
            f"{group.upper()}: {len(members)} districts, {report['size_groups'][group]} votes, "
            f"{len(voted)} with votes"
        )
        shown = voted + (quiet if args.all else [])
        if shown:
            rows = [
                [
                    d["code"],
                    d["name_th"],
                    d["name_en"],
                    d["province_en"],
                    str(d["votes"]),
                    "-" if d["mean_rating"] is None else f"{d['mean_rating']:.2f}",
                    str(d["kiosks"]),
                ]
                for d in shown
            ]
            headers = ("code", "district", "", "province", "votes", "mean rating", "kiosks")
            for line in _table(headers, rows, "456"):
                print("  " + line)
        if quiet and not args.all:
            print(f"  ({len(quiet)} districts with no votes yet; --all lists them)")
    return 0


def _cmd_audit(args: argparse.Namespace, db: Path) -> int:
    """The audit rows and the quarantined votes, newest first."""
    with _open_store(db) as store:
        rows = store.audit_rows(args.limit)
        quarantined = store.quarantined()
    if args.json:
        _print_json({"audit": rows, "quarantine": quarantined[: args.limit]})
        return 0
    print(f"Audit, newest first ({len(rows)} shown; times are Thai time):")
    if rows:
        table = [
            [
                _thai_time(r["at"]),
                r["kind"],
                r["reason"],
                fingerprint_for_id(r["kiosk"]) if r["kiosk"] else "-",
                r["source"] or "-",
                r["source_addr"] or "-",
                r["detail"],
            ]
            for r in rows
        ]
        for line in _table(("at", "kind", "reason", "kiosk", "via", "from", "detail"), table):
            print("  " + line)
    else:
        print("  nothing: no refusals, conflicts or revocations.")
    print()
    print(
        f"Quarantined votes ({len(quarantined)}): the same kiosk and seq arrived with other bytes "
        "than the copy held; the held copy counts and is never overwritten."
    )
    if quarantined:
        table = [
            [
                _thai_time(q["received_at"]),
                fingerprint_for_id(q["kiosk"]),
                str(q["seq"]),
                q["reason"],
                q["source"],
                q["source_addr"] or "-",
                q["hash"][:12],
                (q["held_hash"] or "-")[:12],
            ]
            for q in quarantined[: args.limit]
        ]
        headers = ("received", "kiosk", "seq", "reason", "via", "from", "hash", "held hash")
        for line in _table(headers, table, "2"):
            print("  " + line)
    return 0


# --- awards, publish, recount --------------------------------------------------------------


def _method_from(args: argparse.Namespace, base: RankingMethod) -> RankingMethod:
    return RankingMethod(
        base.prior_weight if args.prior_weight is None else args.prior_weight,
        base.min_votes if args.min_votes is None else args.min_votes,
    )


def _district_names() -> dict[str, str]:
    return {
        code: f"{d.name_th} ({d.name_en})"
        for code in _all_codes()
        if (d := geothai.district(code)) is not None
    }


def _all_codes() -> list[str]:
    rows, _ = parse_districts_csv(resources.files("collector.data").joinpath(DEMO_CSV).read_bytes())
    return [code for code, _ in rows]


def _cmd_awards(args: argparse.Namespace, db: Path) -> int:
    """Rank each size group with the saved method (or a what-if one); optionally save it."""
    with _open_store(db) as store:
        saved = results.saved_method(store)
        method = _method_from(args, saved)
        if args.save and method != saved:
            results.save_method(store, method)
            log.warning("ranking method saved: %s", method.to_json())
            saved = method
        ranking = results.ranking(db, method)
    if args.csv is not None:
        _write_awards_csv(args.csv, ranking)
    if args.json:
        _print_json(ranking.awards_json())
        return 0
    if method != saved:
        print(f"What-if: not the collector's saved method ({saved.to_json()}); --save saves it.")
    for line in awards_text(ranking, _district_names()):
        print(line)
    if args.csv is not None:
        print(f"\nEvery ranked district written to {args.csv}.")
    return 0


def _write_awards_csv(path: Path, ranking: Ranking) -> None:
    table = io.StringIO()
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(
        ["size_group", "rank", "code", "name_th", "name_en", "province_th", "province_en",
         "votes", "mean_rating", "score"]
    )  # fmt: skip
    for group in SIZE_GROUPS:
        for r in ranking.groups[group]:
            district = geothai.district(r.code)
            province = geothai.province(r.code[:2])
            writer.writerow(
                [group, r.rank, r.code,
                 district.name_th if district else "", district.name_en if district else "",
                 province.name_th if province else "", province.name_en if province else "",
                 r.votes, f"{float(r.mean):.4f}", f"{r.score_rounded:.4f}"]
            )  # fmt: skip
    try:
        # UTF-8 with a byte order mark, so that Excel shows the Thai names.
        write_atomically(path, table.getvalue().encode("utf-8-sig"))
    except OSError as exc:
        raise CliError(f"Cannot write {path}: {exc.strerror or exc}.") from None


def _cmd_publish(args: argparse.Namespace, db: Path) -> int:
    """Write every accepted batch and the signed manifest into a new folder."""
    with _open_store(db) as store:
        key = _collector_key(store, db)
        method = results.saved_method(store)
        try:
            done = publish(db, key, args.to, method, store.now())
        except PublishError as exc:
            raise CliError(_sentence(str(exc))) from None
        except OSError as exc:
            raise CliError(
                f"Cannot write the publication in {args.to}: {exc.strerror or exc}."
            ) from None
    log.info("published %d batches (%d votes) to %s", done.batches, done.votes, args.to)
    print(
        f"Published {done.batches} batch files holding the {done.votes} counted votes of "
        f"{done.kiosks} kiosks ({done.quarantined} quarantined votes listed) to {args.to}, with "
        f"the manifest {MANIFEST_NAME} signed by collector key {done.collector_key}. "
        f"An auditor recounts with `{PROG} recount {args.to}` (docs/recount.md)."
    )
    return 0


def _cmd_recount(args: argparse.Namespace, db: Path) -> int:
    """Recompute the awards from published files alone: no database is opened."""
    districts: dict[str, str] | None = None
    if args.districts is not None:
        data = (
            resources.files("collector.data").joinpath(DEMO_CSV).read_bytes()
            if args.districts == DEMO
            else _read_file(Path(args.districts))
        )
        rows, errors = parse_districts_csv(data)
        if errors:
            raise CliError(f"The districts table {args.districts} has problems: {errors[0]}")
        districts = dict(rows)
    key = args.collector_key
    if key is not None and (len(key) != 64 or any(c not in "0123456789abcdef" for c in key)):
        raise CliError(
            "--collector-key must be the 64 lowercase hex digits of the collector's key."
        )
    missing = [str(p) for p in args.files if not p.exists()]
    if missing:
        raise CliError(f"No such file or folder: {', '.join(missing)}.")
    changes = {
        name: value
        for name, value in (("prior_weight", args.prior_weight), ("min_votes", args.min_votes))
        if value is not None
    }
    result = recount(args.files, districts=districts, method_changes=changes, collector_key=key)
    if not result.ok or result.ranking is None:
        log.info("recount not verified: %s", "; ".join(map(str, result.problems[:10])))
        for problem in result.problems[:MAX_ROW_ERRORS_SHOWN]:
            print(f"{PROG}: {problem}", file=sys.stderr)
        more = len(result.problems) - MAX_ROW_ERRORS_SHOWN
        if more > 0:
            print(f"{PROG}: ... and {more} more problems.", file=sys.stderr)
        print(
            f"{PROG}: NOT VERIFIED: {len(result.problems)} problem(s) in {result.files} file(s); "
            "no awards are given from data that does not verify.",
            file=sys.stderr,
        )
        return 1
    if args.json:
        _print_json(result.ranking.awards_json())
        return 0
    manifest = result.manifest
    if manifest is not None:
        pinned = (
            "the key given with --collector-key"
            if key
            else "its own key; compare it with the key the central office announced"
        )
        print(
            f"Manifest published {manifest.published_at}, signed by collector key {manifest.collector_key} ({pinned})."
        )
    else:
        print(
            "No manifest: size groups from the districts table; which key belongs to which district was not checked."
        )
    print(
        f"Verified {result.files} batch files: every signature and chain. {result.counted} votes "
        f"counted from {result.kiosks} kiosks ({result.repeated} repeated copies counted once, "
        f"{result.quarantined_excluded} quarantined votes not counted)."
    )
    if result.agrees:
        print("The recount AGREES with the awards the collector published.")
    elif manifest is not None:
        print("Another ranking method than the published one was asked for; nothing to compare.")
    print()
    for line in awards_text(result.ranking, _district_names()):
        print(line)
    return 0


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CliError(f"Cannot read {path}: {exc.strerror or exc}.") from None


_COMMANDS: Final[dict[str, Callable[[argparse.Namespace, Path], int]]] = {
    "serve": _cmd_serve,
    "token": _cmd_token,
    "districts": _cmd_districts,
    "kiosks": _cmd_kiosks,
    "revoke": _cmd_revoke,
    "import": _cmd_import,
    "report": _cmd_report,
    "audit": _cmd_audit,
    "awards": _cmd_awards,
    "publish": _cmd_publish,
    "recount": _cmd_recount,
}
