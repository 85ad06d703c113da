"""`report` counts one campaign, as `awards` and the pages do, and says which.

A new-user trial found `report` counting every vote of every year while `awards` and the pages
gave the current campaign's; the awards committee is told to use `report --json`
(docs/operations.md). Now `report` takes `--campaign YEAR|all`, defaults to the campaign
`awards` ranks, and names it, in its JSON too.
"""

from __future__ import annotations

import json

from collector.cli import main
from tests.collector.campaign_data import C2569, C2570
from tests.collector.test_campaign_overview import two_campaigns


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def report_json(capsys, db: str, *args: str) -> dict:
    code, out, err = run(capsys, "report", "--db", db, "--json", *args)
    assert code == 0, err
    return json.loads(out)


def test_report_counts_the_campaign_it_names(store, make_kiosk, collector_db, capsys):
    two_campaigns(store, make_kiosk)
    of_2569 = report_json(capsys, collector_db, "--campaign", "2569")
    assert of_2569["campaign"] == C2569.as_json()
    assert (of_2569["total"], of_2569["size_groups"]) == (7, {"small": 4, "medium": 3, "large": 0})
    of_2570 = report_json(capsys, collector_db, "--campaign", "2570")
    assert of_2570["campaign"] == C2570.as_json()
    assert (of_2570["total"], of_2570["size_groups"]) == (8, {"small": 7, "medium": 0, "large": 1})
    by_code = {d["code"]: d for d in of_2570["districts"]}
    assert (by_code["3706"]["votes"], by_code["3706"]["kiosks"]) == (7, 2)
    every = report_json(capsys, collector_db, "--campaign", "all")
    assert (every["campaign"], every["total"]) == (None, 17)  # 2 votes between the campaigns
    code, out, _ = run(capsys, "report", "--db", collector_db, "--campaign", "2569")
    assert code == 0
    assert out.startswith(  # each line in Thai, then in English
        "แคมเปญปี 2569 ประเมินอำเภอ ๒๕๖๙: ตั้งแต่วันที่ 1 พ.ย. 2569 ถึงวันที่ 30 พ.ย. 2569"
        " ตามเวลาประเทศไทย (นับรวมทั้งสองวัน)\n"
        "Campaign 2569 ประเมินอำเภอ ๒๕๖๙ (District rating 2569): 2026-11-01 to 2026-11-30,"
        " Thai days (Asia/Bangkok, UTC+7).\nรวมทั้งหมด: ผลการประเมิน 7 รายการ\nTotal: 7 votes.\n"
    )
    code, out, _ = run(
        capsys, "report", "--db", collector_db, "--campaign", "all", "--language", "en"
    )
    assert out.startswith("Every vote held (no campaign).\nTotal: 17 votes.\n")


def test_report_without_campaign_is_of_the_campaign_awards_ranks(
    store, make_kiosk, collector_db, capsys
):
    two_campaigns(store, make_kiosk)
    code, awards, _ = run(capsys, "awards", "--db", collector_db, "--language", "en")
    assert code == 0
    code, report, _ = run(capsys, "report", "--db", collector_db, "--language", "en")
    assert code == 0
    line = awards.splitlines()[0]  # the campaign started by the real clock: "Campaign 2569 …"
    assert report.splitlines()[0] == line
    year = None if line.startswith("Every vote") else int(line.split()[1])
    shown = report_json(capsys, collector_db)["campaign"]
    assert (shown and shown["year"]) == year


def test_report_of_an_unknown_campaign_says_which_there_are(
    store, make_kiosk, collector_db, capsys
):
    two_campaigns(store, make_kiosk)
    code, out, err = run(capsys, "report", "--db", collector_db, "--json", "--campaign", "2571")
    assert (code, out) == (2, "")
    assert "There is no campaign 2571 (campaigns: 2570, 2569); or use --campaign all." in err
    assert "Buddhist-era" not in err
    code, _, err = run(capsys, "report", "--db", collector_db, "--campaign", "2026")
    assert code == 2
    assert "Campaigns are named by the Buddhist-era year: 2026 is 2569." in err
