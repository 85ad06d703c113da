"""The campaign file for kiosks that only get USB sticks (``sangsuk-<year>.campaign.json``):
a stick that carries one back is imported without refusing it.
"""

from __future__ import annotations

from pathlib import Path

from collector.cli import main
from collector.store import CollectorStore
from sync import usb
from tests.kiosks import enroll


def test_a_campaign_file_on_the_stick_is_skipped_not_refused(make_kiosk, tmp_path: Path, capsys):
    db = tmp_path / "central" / "collector.sqlite3"
    assert main(["districts", "--load", "demo", "--db", str(db)]) == 0
    with CollectorStore(db) as store:
        made = make_kiosk()
        enroll(store, made)
    made.cast(3)
    stick = tmp_path / "stick"
    stick.mkdir()
    usb.export_batches(made.ledger, made.key, made.district, stick, 10)
    (stick / "sangsuk-2569.campaign.json").write_text('{"kind": "sangsuk-campaign"}')
    capsys.readouterr()
    assert main(["import", str(stick), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Skipped 1 campaign notice (*.campaign.json): sangsuk-2569.campaign.json." in out
    assert "ไฟล์แคมเปญ (*.campaign.json) 1 ไฟล์: sangsuk-2569.campaign.json" in out
    assert "REFUSED" not in out
    with CollectorStore(db) as store:
        assert not [r for r in store.audit_rows() if r["kind"] == "refused"]
