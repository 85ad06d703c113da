"""Disk full on the kiosk: the citizen is not thanked, the clerk sees why, nothing is damaged,
and voting resumes once there is space again (promises 1 and 9).

Two ways to fill the disk, both on a real ledger file:

* SQLite's ``max_page_count`` on the ledger's own connection: SQLite answers "database or
  disk is full" exactly as on a full disk, and "space is freed" by raising the limit.
* A real, small filesystem (a 384 KiB tmpfs in a private mount namespace, made with
  ``unshare``): the write-ahead log really hits ENOSPC; space is freed by deleting a file.
  Where unprivileged mount namespaces are not allowed the test is skipped, and says so.

In both, the citizen goes through the real flow (kiosk/flow.py), the failure is recorded where
the clerk's dashboard reads it (kiosk/save_failure.py, kiosk/dashboard.py), and the ledger is
checked with ``PRAGMA integrity_check`` on a fresh connection and ``Ledger.verify``.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.dashboard import read_dashboard
from kiosk.demo import DEMO_ROSTER
from kiosk.flow import Flow, Step
from kiosk.ledger import LEDGER_FILE_NAME, Ledger, LedgerError
from kiosk.save_failure import clear_save_failure, record_save_failure
from tests.fakes import FakeClock
from tests.small_disk import run_on_small_disk
from wire import keys
from wire.clock import format_utc
from wire.vote import Ballot, Target

STORY = "เจ้าหน้าที่ให้บริการดีมาก อธิบายขั้นตอนชัดเจนและเป็นกันเอง " * 6  # about 330 characters


def citizen(flow: Flow, clock: FakeClock, rating: int = 5) -> Ballot:
    """A citizen gives a rating, a target, tags and a long story, and sends."""
    assert flow.start()
    clock.advance(2)
    flow.choose_rating(rating)
    clock.advance(2)
    flow.choose_target(Target("staff", "s01"))
    clock.advance(2)
    flow.toggle_tag("polite")
    flow.set_story(STORY)
    clock.advance(2)
    return flow.finish()


def save(flow: Flow, ledger: Ledger, data_dir: Path, ballot: Ballot) -> int | None:
    """What the kiosk's ledger thread does: cast, then thank; or record why not. The seq or None."""
    try:
        vote = ledger.cast(ballot)
    except LedgerError as exc:
        record_save_failure(data_dir, exc.code, str(exc), format_utc(ledger.clock.now()))
        flow.save_failed(exc.code)
        return None
    flow.saved()
    return vote.seq


def integrity(path: Path) -> list[str]:
    """PRAGMA integrity_check on a fresh connection to the file."""
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    finally:
        conn.close()


def next_citizen(flow: Flow, clock: FakeClock) -> None:
    clock.advance(60)
    flow.tick()
    assert flow.step is Step.WELCOME


def test_a_full_disk_by_max_page_count(tmp_path: Path, clock: FakeClock) -> None:
    data_dir = tmp_path / "kiosk"
    key = keys.load_or_create(data_dir)
    flow = Flow("3706", clock)
    with Ledger.open(data_dir, key, clock) as ledger:
        thanked = []
        for _ in range(3):
            seq = save(flow, ledger, data_dir, citizen(flow, clock))
            assert seq is not None
            assert flow.step is Step.THANKS
            thanked.append(seq)
            next_citizen(flow, clock)
        pages = ledger.db.execute("PRAGMA page_count").fetchone()[0]
        ledger.db.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from here

        failed: Ballot | None = None
        for _ in range(20):  # the last page may still hold a vote or two
            ballot = citizen(flow, clock)
            if save(flow, ledger, data_dir, ballot) is None:
                failed = ballot
                break
            thanked.append(ledger.head()[0])
            next_citizen(flow, clock)
        assert failed is not None, "the ledger never filled up"

        # The citizen is not thanked: a calm screen that says why, for the clerk to see.
        assert flow.step is Step.SAVE_FAILED
        assert flow.view().failure == "disk_full"
        dashboard = read_dashboard(data_dir, DEMO_ROSTER, date(2026, 11, 24))
        assert dashboard.save_failure is not None
        assert dashboard.save_failure.code == "disk_full"
        assert "full" in dashboard.save_failure.message
        # Nothing damaged, nothing half-written, every thanked vote there.
        assert integrity(data_dir / LEDGER_FILE_NAME) == ["ok"]
        assert ledger.verify().ok
        assert [s.seq for s in ledger.iter_votes()] == thanked
        assert dashboard.total == len(thanked)

        ledger.db.execute("PRAGMA max_page_count = 1073741823")  # space is freed
        assert flow.retry() == failed  # "try again" sends the same vote
        seq = save(flow, ledger, data_dir, failed)
        assert seq == len(thanked) + 1
        assert flow.step is Step.THANKS
        assert ledger.vote(seq).ballot.story == failed.story.strip()
        assert ledger.verify().ok
        clear_save_failure(data_dir)  # the clerk has dealt with it
        assert read_dashboard(data_dir, DEMO_ROSTER, date(2026, 11, 24)).save_failure is None


# --- a real small filesystem -----------------------------------------------------------------


def child(folder: str) -> None:
    """Run inside a 384 KiB tmpfs mounted at folder: fill it, check, free, resume; print JSON."""
    data_dir = Path(folder)
    clock = FakeClock()
    key = keys.load_or_create(data_dir)
    ballast = data_dir / "ballast.bin"  # something the clerk can delete to free space
    ballast.write_bytes(b"\0" * 96 * 1024)
    flow = Flow("3706", clock)
    out: dict[str, Any] = {"thanked": []}
    with Ledger.open(data_dir, key, clock) as ledger:
        failed: Ballot | None = None
        for _ in range(2000):
            ballot = citizen(flow, clock)
            seq = save(flow, ledger, data_dir, ballot)
            if seq is None:
                failed = ballot
                break
            out["thanked"].append(seq)
            next_citizen(flow, clock)
        assert failed is not None
        out["step"] = flow.step.value
        out["failure"] = flow.view().failure
        dashboard = read_dashboard(data_dir, DEMO_ROSTER, date(2026, 11, 24))
        out["dashboard_failure"] = dashboard.save_failure.code if dashboard.save_failure else None
        out["dashboard_total"] = dashboard.total
        out["integrity"] = integrity(data_dir / LEDGER_FILE_NAME)
        out["verify_full"] = ledger.verify().ok
        out["stored"] = [s.seq for s in ledger.iter_votes()]
        out["free_bytes_when_full"] = shutil.disk_usage(data_dir).free
        ballast.unlink()  # the clerk frees space
        assert flow.retry() == failed
        out["resumed_seq"] = save(flow, ledger, data_dir, failed)
        out["step_after"] = flow.step.value
        next_citizen(flow, clock)
        out["next_seq"] = save(flow, ledger, data_dir, citizen(flow, clock))
        out["verify_after"] = ledger.verify().ok
    out["integrity_after"] = integrity(data_dir / LEDGER_FILE_NAME)
    print(json.dumps(out))


def test_a_real_full_filesystem(tmp_path: Path) -> None:
    code = "import sys; from tests.kiosk.test_disk_full import child; child(sys.argv[1])"
    out = run_on_small_disk(tmp_path / "small-disk", "384k", code, timeout=300)
    print({k: v for k, v in out.items() if k not in ("thanked", "stored")}, len(out["thanked"]))

    # The disk held some votes before it was full (each commit appends ~4 pages to the WAL).
    assert len(out["thanked"]) >= 5
    assert (out["step"], out["failure"]) == ("save_failed", "disk_full")
    assert out["dashboard_failure"] == "disk_full"
    assert out["integrity"] == ["ok"]
    assert out["verify_full"]
    assert out["stored"] == out["thanked"] == list(range(1, len(out["thanked"]) + 1))
    assert out["dashboard_total"] == len(out["thanked"])
    assert out["resumed_seq"] == len(out["thanked"]) + 1
    assert out["step_after"] == "thanks"
    assert out["next_seq"] == len(out["thanked"]) + 2
    assert out["verify_after"]
    assert out["integrity_after"] == ["ok"]
