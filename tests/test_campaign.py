"""bench/campaign.py at a reduced scale: kiosks, network and USB, awards and recount agree."""

import json
import subprocess
import sys
from pathlib import Path

from collector.store import CollectorStore
from tests.collector_db import sql

ROOT = Path(__file__).resolve().parents[1]


def test_a_small_campaign_fills_the_collector_and_the_winners_win(tmp_path):
    db = tmp_path / "collector.sqlite3"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "campaign.py"), "--votes", "1200",
         "--districts", "40", "--db", str(db)],
        capture_output=True, text=True, timeout=600, check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2021 winners win their groups: yes" in done.stdout
    assert "recount agrees with awards:    yes" in done.stdout
    assert "40 districts, 1200 votes cast" in done.stdout
    with CollectorStore(db) as store:
        report = store.report()
        sources = dict(sql(store, "SELECT source, COUNT(*) FROM votes GROUP BY source"))
        quarantined = len(store.quarantined())
        kinds = {r["reason"] for r in store.audit_rows(1000)}
    counted = report["total"]
    assert 1100 < counted < 1200  # lost batches and the stolen tablet's refused file
    assert f"counted: {counted} votes" in done.stdout
    assert sources["http"] > 0
    assert sources["usb"] > 0
    assert quarantined == 2
    assert {"revoked", "bad_signature", "conflict"} <= kinds
    awards = json.loads(
        subprocess.run(
            [sys.executable, "-m", "collector", "awards", "--json", "--db", str(db)],
            capture_output=True, text=True, check=True, cwd=ROOT,
        ).stdout
    )  # fmt: skip
    assert [awards[g][0]["code"] for g in ("small", "medium", "large")] == ["3706", "4408", "4712"]
