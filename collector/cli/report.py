"""`sangsuk-collector report`, `awards`, `publish` and `recount`: the count and the awards.

`report`, `awards` and `publish` are of the campaign `--campaign` names (``chosen_campaign``:
without it the current one, as on the results pages; `all` for every vote). The ranking is
collector/ranking.py, the saved method and the queries collector/results.py, the publication
collector/publish.py and the recount from published files alone collector/recount.py
(docs/recount.md); these commands print what they find.
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import sys
from datetime import time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import geothai

from collector.cli.common import (
    MAX_ROW_ERRORS_SHOWN,
    PROG,
    AddCommand,
    CliError,
    chosen_campaign,
    collector_key,
    open_store,
    positive_int,
    print_json,
    read_file,
    sentence,
    whole_number,
)
from collector.cli.formatting import table, thai_day, thai_moment
from collector.cli.words import (
    Count,
    Local,
    Phrase,
    headers,
    helped,
    joined,
    lines,
    problems,
    say,
    warn,
)
from collector.cli.words import group as size_group
from collector.districts import DEMO, demo_csv, district_names, parse_districts_csv
from collector.i18n import Translator
from collector.manifest import MANIFEST_NAME
from collector.ranking import Ranking, RankingMethod
from collector.recount import recount
from collector.recount_files import PROBLEMS, RecountProblem
from collector.refusals import OTHER_WHY, recount_why
from collector.store.target import DatabaseTarget
from wire.clock import THAI_OFFSET, parse_utc
from wire.districts import SIZE_GROUPS
from wire.files import write_atomically

if TYPE_CHECKING:
    from collector.publish import NothingToRecountError
    from collector.store.announcements import Announcement
    from collector.store.campaigns import Campaign

log = logging.getLogger(__name__)
MOMENT_FACTS: Final = frozenset({"at", "published_at"})  # a recount problem's UTC timestamps


def add_report_parser(add: AddCommand) -> None:
    """Add the report command."""
    report = add("report", "cli.help.report")
    report.add_argument("--json", action="store_true", help=helped("cli.opt.json_tables"))
    report.add_argument("--all", action="store_true", help=helped("cli.opt.report.all"))
    _campaign_option(report)
    report.set_defaults(run=run_report)


def add_results_parsers(add: AddCommand) -> None:
    """Add awards, publish and recount (docs/operations.md, docs/recount.md)."""
    awards = add("awards", "cli.help.awards")
    awards.add_argument("--json", action="store_true", help=helped("cli.opt.json_awards"))
    awards.add_argument("--csv", type=Path, metavar="FILE", help=helped("cli.opt.awards.csv"))
    _method_options(awards)
    awards.add_argument("--save", action="store_true", help=helped("cli.opt.awards.save"))
    _campaign_option(awards)
    awards.set_defaults(run=run_awards)
    publish = add("publish", "cli.help.publish")
    publish.add_argument(
        "--to", type=Path, required=True, metavar="DIR", help=helped("cli.opt.publish.to")
    )
    _campaign_option(publish)
    publish.set_defaults(run=run_publish)
    recount = add("recount", "cli.help.recount")
    recount.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help=helped("cli.opt.recount.files")
    )
    recount.add_argument("--json", action="store_true", help=helped("cli.opt.json_awards"))
    recount.add_argument(
        "--districts",
        metavar="CSV",
        help=helped("cli.opt.recount.districts", demo=DEMO),
    )
    recount.add_argument(
        "--collector-key",
        metavar="HEX",
        help=helped("cli.opt.recount.collector_key"),
    )
    _method_options(recount)
    recount.set_defaults(run=run_recount)


def _campaign_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--campaign",
        metavar="YEAR",
        help=helped("cli.opt.campaign"),
    )


def _campaign_line(campaign: Campaign | None) -> Phrase:
    if campaign is None:
        return Phrase("cli.report.every_vote")
    return Phrase(
        "cli.report.campaign",
        year=campaign.year,
        name=Local(campaign.name_th, f"{campaign.name_th} ({campaign.name_en})"),
        start=thai_day(campaign.starts_on),
        end=thai_day(campaign.ends_on),
    )


def _method_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--prior-weight",
        type=whole_number,
        metavar="N",
        help=helped("cli.opt.prior_weight"),
    )
    parser.add_argument(
        "--min-votes", type=positive_int, metavar="N", help=helped("cli.opt.min_votes")
    )


def run_report(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Votes per district and size group, of the campaign --campaign chooses (as `awards`)."""
    with open_store(db) as store:
        campaign = chosen_campaign(store, args.campaign)
        report = store.report(campaign.year if campaign else None)
    if args.json:
        print_json({"campaign": campaign.as_json() if campaign else None, **report})
        return 0
    districts: list[dict[str, Any]] = report["districts"]
    if not districts:
        say("cli.report.no_districts", prog=PROG)
        return 0
    say(_campaign_line(campaign))
    say("cli.report.total", votes=Count(report["total"], "vote"))
    for group in SIZE_GROUPS:
        members = [d for d in districts if d["size_group"] == group]
        voted = sorted((d for d in members if d["votes"]), key=lambda d: (-d["votes"], d["code"]))
        quiet = [d for d in members if not d["votes"]]
        print()
        say(
            "cli.report.group",
            group=size_group(group, upper=True),
            districts=Count(len(members), "district"),
            votes=Count(report["size_groups"][group], "vote"),
            voted=len(voted),
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
            titles = headers(
                "cli.col.code", "cli.col.district", "", "cli.col.province", "cli.col.votes",
                "cli.col.mean_rating", "cli.col.kiosks",
            )  # fmt: skip
            for line in table(titles, rows, "456"):
                print("  " + line)
        if quiet and not args.all:
            for line in lines("cli.report.quiet", districts=Count(len(quiet), "district")):
                print("  " + line)
    return 0


def _method_from(args: argparse.Namespace, base: RankingMethod) -> RankingMethod:
    return RankingMethod(
        base.prior_weight if args.prior_weight is None else args.prior_weight,
        base.min_votes if args.min_votes is None else args.min_votes,
    )


def run_awards(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Rank each size group with the saved method (or a what-if one); optionally save it."""
    from collector import results
    from collector.store.announcements import NO_CAMPAIGN, announcements

    with open_store(db) as store:
        saved = results.saved_method(store)
        method = _method_from(args, saved)
        said = None
        if args.save:
            said = _saved_said(method, changed=method != saved)
            if method != saved:
                results.save_method(store, method)
                log.warning("ranking method saved: %s", method.to_json())
                saved = method
        campaign = chosen_campaign(store, args.campaign)
        key = campaign.year if campaign else NO_CAMPAIGN
        with store.reading() as conn:
            own = results.campaign_method(conn, key, saved)
        # An announced campaign keeps its method (a what-if asked for is shown as asked).
        kept = own != saved and (args.save or method == saved)
        if kept:
            method = saved = own
        ranking = results.ranking(store, method, campaign.year if campaign else None)
        announced = announcements(store, key)
        with store.reading() as conn:
            kept_votes = results.announced_group_votes(conn, key)
    if args.csv is not None:
        _write_awards_csv(args.csv, ranking)
    if said is not None:  # beside --json's answer, on stderr, so that stdout stays JSON
        for line in lines(said):
            print(line, file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print_json(awards_json(ranking, announced, kept_votes))
        return 0
    if kept:
        say("cli.awards.kept_method", method=own.to_json())
    elif method != saved:
        say("cli.awards.what_if", saved=saved.to_json())
    say(_campaign_line(campaign))
    for group, held in sorted(announced.items()):
        say(
            "cli.awards.announced",
            group=size_group(group),
            at=thai_moment(held.announced_at),
            operator=held.operator,
            winner=held.winner["code"] if held.winner else Phrase("cli.awards.no_winner"),
            votes=Count(held.votes, "vote"),
        )
    _say_ranking(ranking)
    if args.csv is not None:
        print()
        say("cli.awards.csv_written", path=args.csv)
    return 0


def awards_json(
    ranking: Ranking, announced: dict[str, Announcement], kept_votes: dict[str, int]
) -> dict[str, Any]:
    """`awards --json`: each size group's awards as a recount of a publication made now finds
    them (the announced places once the group is announced, else the ranking of the votes held
    now), then what was announced (when, by whom, by which method, from how many of the group's
    votes, and how many arrived since) and, under "live", the ranking of the votes held now."""
    live = ranking.awards_json()
    shown: dict[str, Any] = {g: announced[g].awards if g in announced else live[g] for g in live}
    shown["announced"] = {
        group: {
            "at": held.announced_at,
            "operator": held.operator,
            "method": held.method,
            "votes": kept_votes.get(group, 0),
            "votes_since": max(0, ranking.group_votes(group) - kept_votes.get(group, 0)),
        }
        for group, held in sorted(announced.items())
    }
    shown["live"] = live
    return shown


def _saved_said(method: RankingMethod, changed: bool) -> Phrase:
    """What `awards --save` did: saved the method, or found it saved already."""
    words = Phrase(
        "cli.awards.method",
        weight=method.prior_weight,
        votes=Count(method.min_votes, "vote"),
    )
    return Phrase("cli.awards.saved" if changed else "cli.awards.already_saved", method=words)


def _write_awards_csv(path: Path, ranking: Ranking) -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
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
        write_atomically(path, text.getvalue().encode("utf-8-sig"))
    except OSError as exc:
        raise CliError("cli.error.cannot_write", path=path, reason=exc.strerror or exc) from None


def run_publish(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Write every accepted batch and the signed manifest into a new folder."""
    from collector import results
    from collector.publish import NothingToRecountError, PublishError, publish

    with open_store(db) as store:
        key = collector_key(store, db)
        method = results.saved_method(store)
        campaign = chosen_campaign(store, args.campaign)
        try:
            done = publish(store, key, args.to, method, store.now(), campaign)
        except NothingToRecountError as exc:
            raise CliError(_nothing_to_recount(exc)) from None
        except PublishError as exc:
            raise CliError("cli.publish.refused", detail=sentence(str(exc))) from None
        except OSError as exc:
            raise CliError(
                "cli.publish.cannot_write", folder=args.to, reason=exc.strerror or exc
            ) from None
        store.audit(
            "published",
            args.to.name,
            f"publication in {args.to}: {done.batches} batch files holding {done.votes} counted"
            f" votes of {done.kiosks} kiosks, method {done.method.to_json()}, campaign"
            f" {campaign.year if campaign else 'none (every vote)'}",
            None,
            "cli",
            facts={
                "folder": str(args.to), "batches": done.batches, "votes": done.votes,
                "kiosks": done.kiosks, "campaign": campaign.year if campaign else None,
            },
        )  # fmt: skip
    log.info("published %d batches (%d votes) to %s", done.batches, done.votes, args.to)
    say(_campaign_line(campaign))
    if done.method != method:
        say(
            "cli.publish.announced_method",
            weight=done.method.prior_weight, min=done.method.min_votes,
            saved_weight=method.prior_weight, saved_min=method.min_votes,
        )  # fmt: skip
    say(
        "cli.publish.done",
        batches=Count(done.batches, "batch_file"),
        votes=Count(done.votes, "counted_vote"),
        kiosks=Count(done.kiosks, "kiosk"),
        quarantined=Count(done.quarantined, "quarantined_vote"),
        to=args.to,
        manifest=MANIFEST_NAME,
        key=done.collector_key,
        prog=PROG,
    )
    return 0


def _nothing_to_recount(refused: NothingToRecountError) -> Phrase:
    """A campaign with no votes, refused: its days in Thai as the console says them."""
    c, thai = refused.campaign, Translator("th")
    return Phrase(
        "cli.publish.no_votes" if refused.started else "cli.publish.not_started",
        year=c.year,
        start=Local(thai.full_day(c.starts_on), c.starts_on),
        end=Local(thai.full_day(c.ends_on), c.ends_on),
    )


def _collector_key(typed: str) -> str:
    """The collector's key as --collector-key gave it, in capitals or small letters and with
    spaces or line breaks (copied from a letter or a PDF); its short fingerprint is refused by
    name, as it cannot check a publication's signature."""
    digits = "".join(typed.split()).lower()
    if len(digits) == 64 and all(c in "0123456789abcdef" for c in digits):
        return digits
    short = digits.replace("-", "")
    if len(short) == 16 and all(c in "0123456789abcdef" for c in short):
        raise CliError("cli.recount.fingerprint_key", typed=typed.strip())
    raise CliError("cli.recount.bad_key")


def run_recount(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Recompute the awards from published files alone: no database is opened."""
    districts: dict[str, str] | None = None
    if args.districts is not None:
        data = demo_csv() if args.districts == DEMO else read_file(Path(args.districts))
        rows, errors = parse_districts_csv(data)
        if errors:
            raise CliError("cli.recount.bad_districts", table=args.districts, first=errors[0])
        districts = dict(rows)
    key = None if args.collector_key is None else _collector_key(args.collector_key)
    missing = [str(p) for p in args.files if not p.exists()]
    if missing:
        raise CliError("cli.recount.missing", names=", ".join(missing))
    changes = {
        name: value
        for name, value in (("prior_weight", args.prior_weight), ("min_votes", args.min_votes))
        if value is not None
    }
    result = recount(args.files, districts=districts, method_changes=changes, collector_key=key)
    if not result.ok or result.ranking is None:
        log.info("recount not verified: %s", "; ".join(map(str, result.problems[:10])))
        said = [problem_words(p) for p in result.problems]
        problems(Phrase("cli.recount.problems"), said, MAX_ROW_ERRORS_SHOWN)
        warn("cli.recount.not_verified", n=len(result.problems), files=result.files)
        return 1
    if args.json:
        print_json(result.ranking.awards_json())
        return 0
    manifest = result.manifest
    if manifest is not None:
        say(
            "cli.recount.manifest",
            at=thai_moment(manifest.published_at),
            key=manifest.collector_key,
            pinned=Phrase("cli.recount.pinned" if key else "cli.recount.own_key"),
        )
        if manifest.version < 2 and manifest.quarantined:
            say("cli.recount.old_version", version=manifest.version, n=len(manifest.quarantined))
    else:
        say("cli.recount.no_manifest")
    published = manifest.campaign if manifest is not None else None
    if published is not None and manifest is not None and manifest.seqs is not None:
        say(
            "cli.recount.campaign",
            year=published.year,
            name=Local(published.name_th, f"{published.name_th} ({published.name_en})"),
            period=thai_period(published.starts_at, published.ends_at),
            kiosks=len(manifest.seqs.runs),
            outside=result.outside_campaign,
        )
    for group, announced in sorted(manifest.announced.items()) if manifest is not None else ():
        say(
            "cli.recount.announced",
            group=size_group(group),
            at=thai_moment(announced.at),
            votes=announced.seqs.votes,
        )
    say(
        "cli.recount.verified",
        files=Count(result.files, "batch_file"),
        votes=Count(result.counted, "vote"),
        kiosks=Count(result.kiosks, "kiosk"),
        repeated=Count(result.repeated, "repeated_copy"),
        quarantined=Count(result.quarantined_excluded, "quarantined_vote"),
    )
    if result.agrees:
        say("cli.recount.agrees")
    elif manifest is not None:
        say("cli.recount.other_method")
    print()
    _say_ranking(result.ranking)
    return 0


def thai_period(starts_at: str, ends_at: str) -> Local:
    """A campaign's period (UTC, its end excluded): in Thai its days as the console says them
    (1 พ.ย. 2569 – 30 พ.ย. 2569, both included) when it runs from midnight to midnight Thai
    time, else its two moments in Thai time; in English as the manifest has it (ISO, UTC)."""
    english = Phrase("cli.recount.period_utc", start=starts_at, end=ends_at).in_language("en")
    thai = Translator("th")
    try:
        start, end = parse_utc(starts_at) + THAI_OFFSET, parse_utc(ends_at) + THAI_OFFSET
    except ValueError:  # a signed manifest's are checked; never fail a report for it
        return Local(
            Phrase("cli.recount.period_utc", start=starts_at, end=ends_at).in_language("th"),
            english,
        )
    if start.time() == end.time() == time(0) and start < end:
        last = end - timedelta(days=1)
        words = Phrase("cli.recount.period_days", start=thai.date(start), end=thai.date(last))
    else:
        words = Phrase(
            "cli.recount.period_times", start=thai.when(starts_at), end=thai.when(ends_at)
        )
    return Local(words.in_language("th"), english)


def problem_words(problem: RecountProblem) -> Local:
    """A recount's problem after the file it concerns: in Thai, its kind's words with its facts
    (cli.recount.problem.<kind>); in English, its message as the recount has always said it."""
    facts = dict(problem.facts)
    for name in MOMENT_FACTS & facts.keys():  # in Thai time, as the console says it
        facts[name] = thai_moment(str(facts[name]))
    if "group" in facts:
        facts["group"] = size_group(str(facts["group"]))
    kind = problem.words_kind
    try:
        if kind == "refused":
            thai = _refused_words(facts, problem.message)
        elif kind in PROBLEMS:
            thai = Phrase(f"cli.recount.problem.{kind}", **facts).in_language("th")
        else:
            raise KeyError(kind)
    except KeyError:  # a test keeps this from happening; never fail a recount's report for it
        log.error("no Thai words for the recount's problem %r with %s", kind, sorted(facts))
        said = [
            Phrase("cli.recount.problem.other"),
            Phrase("cli.recount.problem.detail", detail=problem.message),
        ]
        thai = joined(said).in_language("th")
    return Local(f"{problem.file}: {thai}" if problem.file else thai, str(problem))


def _refused_words(facts: dict[str, object], message: str) -> str:
    """A file the batch checker refused, in Thai: the console's reason for its code
    (audit.refusal.*, collector/refusals.py), the vote it names, how many more it found."""
    why = recount_why(str(facts["code"]))
    said = [Phrase("cli.recount.problem.refused", why=Phrase(f"audit.refusal.{why}"))]
    if why == OTHER_WHY:  # a code with no reason of its own: the checker's English says which
        said.append(Phrase("cli.recount.problem.detail", detail=message))
    if facts.get("seq") is not None:
        said.append(Phrase("cli.recount.problem.at_vote", seq=facts["seq"]))
    if facts.get("more"):
        said.append(Phrase("cli.recount.problem.more", n=facts["more"]))
    return joined(said).in_language("th")


def _say_ranking(ranking: Ranking, top: int = 10) -> None:
    """The ranking for a terminal (`awards` and `recount`): the method, then each size group's
    first places; the rows are figures, the same in both languages."""
    names = district_names()
    least = Count(ranking.method.min_votes, "vote")
    if ranking.national_mean is None:
        say("cli.ranking.no_votes")
    else:
        say(
            "cli.ranking.method",
            mean=f"{float(ranking.national_mean):.4f}",
            votes=Count(ranking.total_votes, "vote"),
            weight=ranking.method.prior_weight,
            least=least,
        )
    for group in SIZE_GROUPS:
        ranked = ranking.groups[group]
        print()
        say(
            "cli.ranking.group",
            group=size_group(group, upper=True),
            districts=Count(len(ranked), "district"),
            below=len(ranking.below_minimum[group]),
            least=least,
        )
        for r in ranked[:top]:
            print(
                f"  {r.rank:>3}. {r.code} {names.get(r.code, '')}  score {r.score_rounded:.4f}  "
                f"votes {r.votes}  mean {float(r.mean):.2f}"
            )
