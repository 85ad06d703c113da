"""A version whose self-test fails at staging is tried once more after 24 hours by the kiosk's
clock, and refused for good after its second failure (kiosk/updates.py; docs/operations.md).

A one-off failure (a full disk at that moment) must not cost the district that release for
good; a release that is really broken must not be downloaded every 4 hours forever. Real
signed releases on sticks; the release's self-test is a real script whose answer depends on a
file (present: "the disk is full", it fails); the clock is a fake one, moved by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.update_install import InstallPaths, write_state
from kiosk.update_reasons import Reason, Refusal, UpdateError
from kiosk.updates import Updates
from release import repository
from tests.fakes import FakeClock
from tests.updates_repo import Office, kiosk, make_bundle, stick

DAY = 24 * 3600
STARTED = "2026-11-24 03:00 UTC"  # FakeClock's start
FLAKY = """#!/bin/sh
if [ "$1" = "--self-test" ]; then
  if [ -e "{trouble}" ]; then echo "ดิสก์เต็ม / disk full"; exit 1; fi
  echo "ผ่านทุกข้อ / all checks passed"; exit 0
fi
echo "sangsuk-kiosk {version}"
"""


def release_flaky(office: Office, version: str, trouble: Path) -> None:
    """Sign a release whose self-test fails while the file trouble exists."""
    bundle = make_bundle(office.bundles / version, version)
    script = bundle / "sangsuk-kiosk"
    script.write_text(FLAKY.format(trouble=trouble, version=version))
    repository.add(office.repo, office.keys, bundle, version)


def refused(updates: Updates, step: str, source: Path) -> Reason:
    with pytest.raises(UpdateError) as caught:
        getattr(updates, step)(source)
    reason = caught.value.reason
    assert reason.kind is Refusal.SELF_TEST_FAILED
    assert updates.status().last_refusal == reason  # what the Updates card shows
    return reason


def test_a_one_off_failure_is_tried_again_a_day_later_and_then_installs(
    tmp_path: Path, office: Office, tablet: InstallPaths
) -> None:
    trouble = tmp_path / "disk-full"
    trouble.touch()
    release_flaky(office, "0.3.0", trouble)
    source = stick(office, tmp_path / "stick")
    clock = FakeClock()
    updates = kiosk(tablet.root, office, "0.1.0", clock)

    first = refused(updates, "stage", source)
    assert "Version 0.3.0 failed its self-test: not installed, and removed" in first.en
    assert "(ดิสก์เต็ม / disk full)" in first.en
    assert "tried once more after 2026-11-25 03:00 UTC" in first.en
    assert "จะลองอีกครั้งเดียวหลัง 2026-11-25 03:00 UTC" in first.th
    assert not tablet.version_dir("0.3.0").exists()

    # The next checks (every 4 hours) within the day leave it alone, saying until when.
    clock.advance(DAY - 60)
    for step in ("check", "stage"):
        wait = refused(updates, step, source)
        assert wait.en.startswith(
            "Version 0.3.0 failed its self-test on this kiosk: it is tried once more after "
            "2026-11-25 03:00 UTC."
        )
    assert not tablet.version_dir("0.3.0").exists()

    # A day later the disk has room again: the one more try passes and the version is staged.
    trouble.unlink()
    clock.advance(60)
    assert updates.check(source) is not None
    assert updates.stage(source) == "0.3.0"
    assert updates.status().pending == "0.3.0"


def test_a_second_failure_is_for_good_and_a_newer_release_is_still_taken(
    tmp_path: Path, office: Office, tablet: InstallPaths
) -> None:
    trouble = tmp_path / "broken-build"
    trouble.touch()
    release_flaky(office, "0.3.0", trouble)
    source = stick(office, tmp_path / "stick")
    clock = FakeClock()
    updates = kiosk(tablet.root, office, "0.1.0", clock)

    refused(updates, "stage", source)
    clock.advance(DAY)
    second = refused(updates, "stage", source)  # downloaded and tested once more: fails again
    assert second.en.startswith(
        "Version 0.3.0 failed its self-test a second time: not installed, and removed "
        "(ดิสก์เต็ม / disk full); it is not downloaded again: wait for a newer release."
    )
    assert "ตรวจตัวเองไม่ผ่านเป็นครั้งที่สอง" in second.th

    clock.advance(30 * DAY)  # however long after
    (source / "targets" / "sangsuk-kiosk-0.3.0.tar.gz").unlink()  # not even asked for
    for step in ("check", "stage"):
        never = refused(updates, step, source)
        assert never.en.startswith(
            "Version 0.3.0 failed its self-test on this kiosk twice: it is not downloaded "
            "again; wait for a newer release."
        )
        assert never.th.startswith("รุ่น 0.3.0 ตรวจตัวเองไม่ผ่านบนตู้นี้มาแล้วสองครั้ง")

    office.release("0.4.0")
    assert updates.stage(stick(office, tmp_path / "stick2")) == "0.4.0"


def test_a_failure_remembered_by_an_older_kiosk_gets_its_one_more_try(
    tmp_path: Path, office: Office, tablet: InstallPaths
) -> None:
    """An older kiosk kept only the versions' names, each refused for good: each now counts as
    one failure at an unknown time, tried again at the next check."""
    write_state(tablet, {"self_test_failed_versions": ["0.2.0"]})
    updates = kiosk(tablet.root, office, "0.1.0", FakeClock())
    assert updates.stage(stick(office, tmp_path / "stick")) == "0.2.0"
    assert updates.status().pending == "0.2.0"


def test_a_clock_set_back_before_the_failure_does_not_hold_the_try_back(
    tmp_path: Path, office: Office, tablet: InstallPaths
) -> None:
    """A dead battery sets the clock back: how long ago the failure was cannot be told, and
    the try is not held back for days (it is still only one more)."""
    trouble = tmp_path / "disk-full"
    trouble.touch()
    release_flaky(office, "0.3.0", trouble)
    source = stick(office, tmp_path / "stick")
    clock = FakeClock()
    updates = kiosk(tablet.root, office, "0.1.0", clock)
    refused(updates, "stage", source)
    clock.set_wall(clock.now().replace(year=2020))
    trouble.unlink()
    assert updates.stage(source) == "0.3.0"
