"""Kiosk updates from a USB stick: a good release is staged, self-tested, applied between
citizens and confirmed; the previous version is kept to fall back to; the data folder is never
touched (kiosk/updates.py, promise 12).

Real signed TUF metadata made by `sangsuk-release` in tmp_path, a stick folder made by its
``stick`` command, fake bundles whose ``sangsuk-kiosk --self-test`` is a shell script
(tests/updates_repo.py). The refusals are in test_updates_refusals.py.
"""

from __future__ import annotations

import os
import shutil
import tarfile
from pathlib import Path

import pytest

from kiosk.update_install import InstallPaths, linked_version, point
from kiosk.update_reasons import Refusal, UpdateError
from kiosk.updates import (
    INSTALL_ROOT_ENV,
    RESTART_EXIT_CODE,
    Updates,
    find_install_root,
    status_here,
)
from tests.updates_repo import (
    Office,
    data_folder,
    fingerprints,
    install,
    kiosk,
    make_bundle,
    stick,
)


def test_a_good_update_is_staged_applied_and_confirmed_and_the_data_stays(
    tmp_path: Path, office: Office, tablet: InstallPaths
) -> None:
    data = tmp_path / "data"
    before = data_folder(data)
    source = stick(office, tmp_path / "stick")
    updates = kiosk(tablet.root, office, "0.1.0")

    offer = updates.check(source)
    assert offer is not None
    assert (offer.version, offer.patch, offer.source) == ("0.2.0", False, str(source))
    assert (
        offer.download_bytes == (office.repo / "targets/sangsuk-kiosk-0.2.0.tar.gz").stat().st_size
    )
    assert (
        updates.status().last_check_en
        == f"Version 0.2.0 is available ({offer.download_bytes / 1e6:.1f} MB)."
    )
    # The trusted root came from the bundle on first use.
    assert (tablet.metadata / "root.json").read_bytes() == office.trusted_root.read_bytes()

    assert updates.stage(source) == "0.2.0"
    staged = tablet.version_dir("0.2.0")
    assert (staged / "_internal/kiosk_flow.py").read_text().startswith("VERSION = '0.2.0'")
    assert os.access(staged / "sangsuk-kiosk", os.X_OK)
    assert linked_version(tablet.current) == "0.1.0"  # nothing switched while staging
    status = updates.status()
    assert (status.pending, status.pending_source, status.last_refusal) == (
        "0.2.0",
        str(source),
        None,
    )
    assert "applied when nobody is voting" in (status.last_check_en or "")

    # The UI calls this at the welcome screen, then exits with 75 and the session restarts.
    assert updates.apply_pending() == "0.2.0"
    assert RESTART_EXIT_CODE == 75
    assert os.readlink(tablet.current) == "versions/0.2.0"
    assert os.readlink(tablet.previous) == "versions/0.1.0"
    assert tablet.trial.read_text() == "0.2.0\n"
    assert updates.status().pending is None
    assert sorted(p.name for p in tablet.versions.iterdir()) == ["0.1.0", "0.2.0"]

    # The new version starts and shows its welcome screen.
    restarted = kiosk(tablet.root, office, "0.2.0")
    restarted.confirm_healthy()
    assert not tablet.trial.exists()
    assert restarted.status().last_refusal is None
    assert restarted.check(source) is None
    assert restarted.status().last_check_en == "Up to date (0.2.0)."
    assert fingerprints(data) == before


def test_a_patch_from_the_running_version_is_downloaded_instead_of_the_archive(
    tmp_path: Path, office: Office, tablet: InstallPaths
) -> None:
    # The installer leaves the installed version's archive in updates/targets/ (or an earlier
    # update did): the patch applies to it.
    tablet.targets.mkdir(parents=True)
    shutil.copy(office.repo / "targets/sangsuk-kiosk-0.1.0.tar.gz", tablet.archive("0.1.0"))
    source = stick(office, tmp_path / "stick")
    updates = kiosk(tablet.root, office, "0.1.0")

    offer = updates.check(source)
    assert offer is not None
    assert offer.patch
    patch = office.repo / "targets/sangsuk-kiosk-0.2.0.patch"
    archive = office.repo / "targets/sangsuk-kiosk-0.2.0.tar.gz"
    assert offer.download_bytes == patch.stat().st_size < archive.stat().st_size / 20
    # Only the patch can be used: the whole archive is not even on this stick.
    (source / "targets" / archive.name).unlink()
    assert updates.stage(source) == "0.2.0"
    assert fingerprints(tablet.version_dir("0.2.0")) == fingerprints(office.bundles / "0.2.0")
    assert updates.apply_pending() == "0.2.0"
    assert os.readlink(tablet.current) == "versions/0.2.0"


def test_a_tablet_installed_from_a_tarball_packed_by_hand_downloads_the_whole_archive(
    tmp_path: Path, office: Office, tablet: InstallPaths
) -> None:
    """Why docs/deploy.md installs from the release's own archive: a tarball packed from dist/
    (`tar -C dist -czf sangsuk-kiosk-<v>.tar.gz sangsuk-kiosk`), which install.sh keeps under
    the same name, holds the same program but not the same bytes, so the patch cannot apply."""
    tablet.targets.mkdir(parents=True)
    with tarfile.open(tablet.archive("0.1.0"), "w:gz") as tar:
        tar.add(office.bundles / "0.1.0", arcname="sangsuk-kiosk")
    source = stick(office, tmp_path / "stick")
    updates = kiosk(tablet.root, office, "0.1.0")
    # The patch alone is not enough: without the whole archive on the stick, no update.
    archive = source / "targets/sangsuk-kiosk-0.2.0.tar.gz"
    whole = tmp_path / archive.name
    shutil.move(archive, whole)
    with pytest.raises(UpdateError):
        updates.stage(source)
    shutil.move(whole, archive)
    assert updates.stage(source) == "0.2.0"
    assert fingerprints(tablet.version_dir("0.2.0")) == fingerprints(office.bundles / "0.2.0")


def test_at_most_current_previous_and_one_staged_version_are_kept(
    tmp_path: Path, office: Office, tablet: InstallPaths
) -> None:
    mount = tmp_path / "stick"
    updates = kiosk(tablet.root, office, "0.1.0")
    assert updates.stage(stick(office, mount)) == "0.2.0"
    updates.apply_pending()
    kiosk(tablet.root, office, "0.2.0").confirm_healthy()

    office.release("0.3.0")
    updates = kiosk(tablet.root, office, "0.2.0")
    offer = updates.check(stick(office, mount))
    assert offer is not None
    assert offer.patch
    assert updates.stage(stick(office, mount)) == "0.3.0"
    assert sorted(p.name for p in tablet.versions.iterdir()) == ["0.1.0", "0.2.0", "0.3.0"]
    updates.apply_pending()
    assert sorted(p.name for p in tablet.versions.iterdir()) == ["0.2.0", "0.3.0"]
    assert (os.readlink(tablet.current), os.readlink(tablet.previous)) == (
        "versions/0.3.0",
        "versions/0.2.0",
    )
    # The kept versions' archives stay, for the next patch (from either); nothing else.
    assert sorted(p.name for p in tablet.targets.iterdir()) == [
        "sangsuk-kiosk-0.2.0.tar.gz",
        "sangsuk-kiosk-0.3.0.tar.gz",
    ]


def test_a_version_that_did_not_start_is_fallen_back_from_and_not_offered_again(
    tmp_path: Path, office: Office, tablet: InstallPaths
) -> None:
    source = stick(office, tmp_path / "stick")
    updates = kiosk(tablet.root, office, "0.1.0")
    updates.stage(source)
    updates.apply_pending()
    # 0.2.0 never reached its welcome screen: the session script (deploy/sangsuk-session)
    # points current back at previous and removes trial, as here.
    point(tablet.current, "0.1.0")
    tablet.trial.unlink()

    back = kiosk(tablet.root, office, "0.1.0")
    back.confirm_healthy()
    refusal = back.status().last_refusal
    assert refusal is not None
    assert refusal.kind is Refusal.FELL_BACK
    assert refusal.en.startswith("Version 0.2.0 did not start, so the kiosk went back to 0.1.0")
    assert refusal.th.startswith("รุ่น 0.2.0 เปิดไม่สำเร็จ")
    with pytest.raises(UpdateError) as refused:
        back.check(source)
    assert refused.value.reason.kind is Refusal.FELL_BACK
    assert linked_version(tablet.current) == "0.1.0"


def test_apply_with_nothing_staged_changes_nothing(office: Office, tablet: InstallPaths) -> None:
    updates = kiosk(tablet.root, office, "0.1.0")
    with pytest.raises(UpdateError) as refused:
        updates.apply_pending()
    assert refused.value.reason.en.startswith("There is no new version staged to apply.")
    assert os.readlink(tablet.current) == "versions/0.1.0"
    assert not tablet.previous.exists()
    assert not tablet.trial.exists()


def test_updates_are_not_managed_outside_the_installed_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(INSTALL_ROOT_ENV, raising=False)
    bundle = make_bundle(tmp_path / "dist" / "sangsuk-kiosk", "0.1.0")
    # A plainly copied bundle, and this checkout's own Python: no versions/ and current.
    assert find_install_root(bundle / "sangsuk-kiosk") is None
    assert Updates.here() is None
    status = status_here()
    assert not status.managed
    assert status.last_refusal is not None
    assert status.last_refusal.kind is Refusal.NOT_MANAGED
    assert status.last_refusal.en.startswith("Updates are not managed here")
    assert status.last_refusal.th.startswith("ตู้นี้ไม่ได้ติดตั้งแบบรับอัปเดต")
    # Installed as agreed: found from the executable's own folder, or named for a test.
    paths = install(tmp_path / "opt", bundle, "0.1.0")
    assert find_install_root(paths.current / "sangsuk-kiosk") == paths.root.resolve()
    monkeypatch.setenv(INSTALL_ROOT_ENV, str(paths.root))
    assert Updates.here() is not None
    assert status_here().managed


def test_a_build_without_a_trusted_root_refuses_to_check(
    tmp_path: Path, office: Office, tablet: InstallPaths
) -> None:
    updates = Updates(tablet.root, running="0.1.0", trusted_root=tmp_path / "no-root.json")
    with pytest.raises(UpdateError) as refused:
        updates.check(stick(office, tmp_path / "stick"))
    assert refused.value.reason.kind is Refusal.NOT_CONFIGURED
    assert "carries no central-office key" in refused.value.reason.en
    assert updates.status().last_refusal == refused.value.reason


def test_a_collector_with_a_private_certificate_is_trusted_through_the_kiosks_ca_bundle(
    office: Office, tablet: InstallPaths, https_repo: tuple[str, Path]
) -> None:
    """The update check verifies TLS as the sender does: against the kiosk's ca_bundle setting;
    without it a private certificate is refused, saying why, and nothing is installed."""
    url, cert = https_repo
    updates = kiosk(tablet.root, office, "0.1.0")
    with pytest.raises(UpdateError) as caught:
        updates.check(url)
    assert caught.value.reason.kind is Refusal.UNREACHABLE
    assert "certificate could not be verified" in caught.value.reason.en
    assert linked_version(tablet.current) == "0.1.0"

    assert updates.stage(url, ca_bundle=str(cert)) == "0.2.0"
    assert updates.status().pending_source == url
