"""`sangsuk-collector kiosks`, `revoke` and `audit`: the fleet, taking a kiosk out, the refusals.

Which kiosk counts as silent and how a kiosk is named are the fleet rules (collector/fleet.py),
the same the kiosk pages use.
"""

from __future__ import annotations

import argparse
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import geothai

from collector.cli.common import (
    PROG,
    AddCommand,
    CliError,
    clock_threshold_option,
    open_store,
    positive_int,
    print_json,
)
from collector.cli.formatting import ago, district_label, ranges_text, table, thai_time
from collector.cli.words import Phrase, headers, helped, joined, lines, say
from collector.fleet import SILENT_AFTER, is_silent, software_counts
from collector.store import KioskStatus
from collector.store.target import DatabaseTarget
from wire.keys import fingerprint_for_id

if TYPE_CHECKING:
    from collector.store import CollectorStore

log = logging.getLogger(__name__)


def add_parsers(add: AddCommand) -> None:
    """Add the kiosks and revoke commands."""
    kiosks = add("kiosks", "cli.help.kiosks")
    kiosks.add_argument("--json", action="store_true", help=helped("cli.opt.json_table"))
    clock_threshold_option(kiosks)
    kiosks.set_defaults(run=run_kiosks)

    revoke = add("revoke", "cli.help.revoke")
    revoke.add_argument(
        "kiosk",
        metavar="KIOSK",
        help=helped("cli.opt.revoke.kiosk"),
    )
    revoke.set_defaults(run=run_revoke)


def add_audit_parser(add: AddCommand) -> None:
    """Add the audit command."""
    audit = add("audit", "cli.help.audit")
    audit.add_argument("--limit", type=positive_int, default=50, help=helped("cli.opt.audit.limit"))
    audit.add_argument("--json", action="store_true", help=helped("cli.opt.json_tables"))
    audit.set_defaults(run=run_audit)


# --- kiosks --------------------------------------------------------------------------------


def run_kiosks(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """List the enrolled kiosks."""
    with open_store(db) as store:
        if args.clock_threshold is not None:
            store.skew_threshold_s = float(args.clock_threshold)
        threshold = store.skew_threshold_s
        rows = [(s, s.enrolled_at, s.revoked_at) for s in store.kiosks()]
    if args.json:
        print_json([_kiosk_json(s, enrolled, revoked) for s, enrolled, revoked in rows])
        return 0
    if not rows:
        say("cli.kiosks.none", prog=PROG)
        return 0
    now = datetime.now(UTC)
    cells = []
    for s, enrolled, _ in rows:
        seen = thai_time(s.last_seen)
        if s.last_seen:
            seen += f" ({ago(s.last_seen, now)})"
        if s.last_checkin and s.last_heard == s.last_checkin:  # idle, but it checked in
            seen += f", checked in {thai_time(s.last_checkin)} ({ago(s.last_checkin, now)})"
        cells.append(
            [
                fingerprint_for_id(s.kiosk),
                district_label(s.district),
                thai_time(enrolled),
                seen,
                str(s.contiguous),
                str(s.max_seq),
                str(s.votes),
                ranges_text(s.missing),
                _clock_text(s),
                s.software or "-",
                f"{s.replays}, last {thai_time(s.last_replay_at)}" if s.replays else "-",
                "REVOKED" if s.revoked else "",
            ]
        )
    titles = headers(
        "cli.col.kiosk",
        "cli.col.district",
        "cli.col.enrolled",
        "cli.col.last_seen",
        "cli.col.contiguous",
        "cli.col.max_seq",
        "cli.col.votes",
        "cli.col.gaps",
        "cli.col.clock",
        "cli.col.software",
        "cli.col.replayed",
        "",
    )
    for line in table(titles, cells, "456"):
        print(line)
    silent = [s for s, _, _ in rows if is_silent(s, now)]
    say(
        "cli.kiosks.total",
        n=len(rows),
        gaps=sum(1 for s, _, _ in rows if s.missing),
        clock=sum(1 for s, _, _ in rows if s.skew_flagged),
        threshold=f"{threshold:g}",
        silent=len(silent),
        days=SILENT_AFTER.days,
        revoked=sum(1 for s, _, _ in rows if s.revoked),
    )
    say("cli.kiosks.software", versions=_software_text([s for s, _, _ in rows]))
    return 0


def _software_text(statuses: list[KioskStatus]) -> Phrase:
    """How many kiosks in service run each version ("0.3.0: 38 · 0.2.0: 2 · unknown: 0")."""
    unknown = Phrase("cli.kiosks.software_unknown")
    parts = [
        Phrase("cli.kiosks.software_n", version=version or unknown, n=n)
        for version, n in software_counts(statuses)
    ]
    return joined(parts, th=" · ", en=" · ")


def _clock_text(s: KioskStatus) -> str:
    """The clock column: made_at vs receipt (network), and votes cast after their receipt."""
    parts = [] if s.clock_skew_s is None else [f"{s.clock_skew_s:+.0f} s"]
    if s.vote_ahead_s is not None and s.vote_ahead_s > s.skew_threshold_s:
        parts.append(f"votes {s.vote_ahead_s:+.0f} s ahead")
    text = ", ".join(parts) or "-"
    return text + " OFF" if s.skew_flagged else text


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
        "last_checkin": s.last_checkin,
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
        "software": s.software,
    }


# --- revoke --------------------------------------------------------------------------------


def _resolve_kiosk(store: CollectorStore, given: str) -> str:
    """A kiosk id from a full id, a fingerprint or a unique prefix of either."""
    wanted = given.strip().replace("-", "").lower()
    if len(wanted) < 4 or any(c not in "0123456789abcdef" for c in wanted):
        raise CliError("cli.revoke.not_an_id", given=repr(given), prog=PROG)
    matches = [s.kiosk for s in store.kiosks() if s.kiosk.startswith(wanted)]
    if not matches:
        raise CliError("cli.revoke.no_match", given=repr(given), prog=PROG)
    if len(matches) > 1:
        raise CliError(
            "cli.revoke.ambiguous", given=repr(given), n=len(matches), ids=", ".join(matches)
        )
    return matches[0]


def run_revoke(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Revoke a kiosk."""
    with open_store(db) as store:
        kiosk = _resolve_kiosk(store, args.kiosk)
        before = store.kiosk_status(kiosk)
        store.revoke(kiosk)
    if before.revoked:
        say("cli.revoke.already", kiosk=kiosk, district=district_label(before.district))
    else:
        log.warning("revoked kiosk %s of district %s", kiosk, before.district)
        say(
            "cli.revoke.done",
            kiosk=kiosk,
            district=district_label(before.district),
            votes=before.votes,
        )
    return 0


# --- audit ---------------------------------------------------------------------------------


def _repeats(row: dict[str, Any]) -> str:
    """How many times a grouped row happened, and the last time ("1" for a single row)."""
    repeats = int(row.get("repeats") or 1)
    return "1" if repeats == 1 else f"{repeats}, last {thai_time(row['last_at'])}"


def run_audit(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """The audit rows and the quarantined votes, newest first."""
    with open_store(db) as store:
        rows = store.audit_rows(args.limit)
        quarantined = store.quarantined()
    if args.json:
        print_json({"audit": rows, "quarantine": quarantined[: args.limit]})
        return 0
    say("cli.audit.heading", n=len(rows))
    if rows:
        cells = [
            [
                thai_time(r["at"]),
                r["kind"],
                r["reason"],
                fingerprint_for_id(r["kiosk"]) if r["kiosk"] else "-",
                r["source"] or "-",
                r["source_addr"] or "-",
                _repeats(r),
                r["detail"],
            ]
            for r in rows
        ]
        heads = headers(
            "cli.col.at", "cli.col.kind", "cli.col.reason", "cli.col.kiosk", "cli.col.via",
            "cli.col.from", "cli.col.times", "cli.col.detail",
        )  # fmt: skip
        for line in table(heads, cells):
            print("  " + line)
    else:
        for line in lines("cli.audit.nothing"):
            print("  " + line)
    print()
    say("cli.audit.quarantined", n=len(quarantined))
    if quarantined:
        cells = [
            [
                thai_time(q["received_at"]),
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
        heads = headers(
            "cli.col.received", "cli.col.kiosk", "cli.col.seq", "cli.col.reason", "cli.col.via",
            "cli.col.from", "cli.col.hash", "cli.col.held_hash",
        )  # fmt: skip
        for line in table(heads, cells, "2"):
            print("  " + line)
    return 0
