"""`sangsuk-release`: keys owner-only and apart from the served repository, releases only
forward, re-signing without a release, sticks; every refusal in Thai then English on standard
error, exit 2, nothing changed (release/). Its words: tests/release/test_release_words.py.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from release import repository
from release.cli import main
from tests.updates_repo import fingerprints, make_bundle, make_office


def version_of(repo: Path, role: str) -> int:
    """The version of a role's signed metadata in repo."""
    return int(json.loads((repo / "metadata" / f"{role}.json").read_text())["signed"]["version"])


def test_init_makes_owner_only_keys_outside_the_served_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, keys = tmp_path / "repo", tmp_path / "keys"
    assert main(["init", "--repo", str(repo), "--keys", str(keys)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("สร้างคลังอัปเดตที่")
    assert out[1].startswith("Made the update repository at")
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    private = sorted(p.name for p in keys.iterdir() if p.suffix != ".pub")
    assert private == ["root", "snapshot", "targets", "timestamp"]
    for name in private:
        assert stat.S_IMODE((keys / name).stat().st_mode) == 0o600
    served = [p for p in repo.rglob("*") if p.is_file()]
    assert sorted(p.name for p in served) == [
        "1.root.json",
        "root.json",
        "snapshot.json",
        "targets.json",
        "timestamp.json",
    ]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in served)
    assert not list(Path.cwd().glob(".tufup-repo-config"))

    # Not twice: every kiosk trusts the first root.
    assert main(["init", "--repo", str(repo), "--keys", str(tmp_path / "k2")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"sangsuk-release: มีคลังอัปเดตที่ {repo} อยู่แล้ว")
    assert err[1].startswith(f"sangsuk-release: There is already an update repository at {repo}")


def test_keys_inside_the_repository_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    assert main(["init", "--repo", str(repo), "--keys", str(repo / "keys")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[1].startswith(f"sangsuk-release: The private keys ({repo / 'keys'}) must live")
    assert not repo.exists()


def test_a_release_must_be_newer_and_say_the_version_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office = make_office(tmp_path)
    office.release("0.2.0")
    before = fingerprints(office.repo)
    older = make_bundle(tmp_path / "b-0.1.0", "0.1.0")
    args = ["--repo", str(office.repo), "--keys", str(office.keys)]
    assert main(["add", str(older), "--version", "0.1.0", *args]) == 2
    assert capsys.readouterr().err.splitlines()[1] == (
        "sangsuk-release: Version 0.1.0 is not newer than the latest release (0.2.0):"
        " kiosks never go back."
    )
    assert main(["add", str(older), "--version", "0.3.0", *args]) == 2
    assert (
        capsys.readouterr()
        .err.splitlines()[1]
        .startswith(f"sangsuk-release: The bundle in {older} says it is version 0.1.0, not 0.3.0")
    )
    assert main(["add", str(tmp_path), "--version", "0.3.0", *args]) == 2
    assert "is not a kiosk bundle" in capsys.readouterr().err
    assert fingerprints(office.repo) == before

    newer = make_bundle(tmp_path / "b-0.3.0", "0.3.0")
    assert main(["add", str(newer), "--version", "0.3.0", *args]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("เพิ่มรุ่น 0.3.0 แล้ว: sangsuk-kiosk-0.3.0.tar.gz")
    assert out[3].startswith("Patch from the release before: sangsuk-kiosk-0.3.0.patch")


def test_refresh_re_signs_without_a_release_and_needs_only_its_keys(tmp_path: Path) -> None:
    office = make_office(tmp_path)
    office.release("0.1.0")
    targets = (office.repo / "metadata/targets.json").read_bytes()
    timestamp = version_of(office.repo, "timestamp")
    # The timestamp and snapshot keys alone, e.g. on the machine that runs the monthly job.
    online = tmp_path / "online-keys"
    online.mkdir()
    for name in ("timestamp", "snapshot"):
        (online / name).write_bytes((office.keys / name).read_bytes())
    assert main(["refresh", "--repo", str(office.repo), "--keys", str(online)]) == 0
    assert version_of(office.repo, "timestamp") == timestamp + 1
    assert (office.repo / "metadata/targets.json").read_bytes() == targets
    # Re-signing the targets needs the targets key.
    before = fingerprints(office.repo)
    with pytest.raises(repository.ReleaseError) as refused:
        repository.refresh(office.repo, online, ["targets", "snapshot", "timestamp"])
    assert (
        refused.value.en == f"Cannot sign: the private key of the targets role is not in {online}."
    )
    assert fingerprints(office.repo) == before


def test_a_stick_carries_the_repository_freshly_signed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office = make_office(tmp_path)
    office.release("0.1.0")
    mount = tmp_path / "mnt"
    mount.mkdir()
    (mount / "sangsuk-updates").mkdir()
    (mount / "sangsuk-updates" / "stale.txt").write_text("an older copy")
    timestamp = version_of(office.repo, "timestamp")
    args = ["stick", str(office.repo), str(mount), "--keys", str(office.keys)]
    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith(f"Copied the update repository to {mount / 'sangsuk-updates'}")
    assert version_of(mount / "sangsuk-updates", "timestamp") == timestamp + 1
    assert fingerprints(mount / "sangsuk-updates") == fingerprints(office.repo)
    assert main(["stick", str(office.repo), str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.splitlines()[1] == (
        f"sangsuk-release: There is no stick mounted at {tmp_path / 'nowhere'}."
    )
