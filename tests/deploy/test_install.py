"""deploy/install.sh and deploy/sangsuk-kiosk.service, as far as they can be checked off a tablet.

A real install needs root on a machine booted with systemd (apt-get, adduser, systemctl), which a
test machine is not; so the unit is checked by systemd's own `systemd-analyze verify`, the shell
scripts by sh -n, bash -n and (when installed) shellcheck, and install.sh by its --dry-run, which
prints every command it would run, in order, through the same code path that runs them. The
dry runs look at install roots made here (SANGSUK_INSTALL_ROOT) and at fake bundles, folders or
tarballs whose program is a small sh script.
"""

from __future__ import annotations

import importlib.metadata
import os
import pwd
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.namespaces import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"
INSTALL = DEPLOY / "install.sh"
SESSION = DEPLOY / "sangsuk-session"
UNIT = DEPLOY / "sangsuk-kiosk.service"
SCRIPTS = [INSTALL, SESSION]


def readme_packages() -> list[str]:
    """The packages of the README's first `sudo apt-get install` line (the kiosk's libraries)."""
    for line in (REPO_ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("sudo apt-get install "):
            return line.split()[3:]
    raise AssertionError("the README has no `sudo apt-get install` line")


def unit_settings() -> dict[str, dict[str, list[str]]]:
    """The unit's settings: section -> key -> every value given (a key may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    section: dict[str, list[str]] = {}
    for raw in UNIT.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = sections.setdefault(line.strip("[]"), {})
            continue
        key, value = line.split("=", 1)
        section.setdefault(key, []).append(value)
    return sections


# --- the unit --------------------------------------------------------------------------------


def test_systemd_accepts_the_unit() -> None:
    """`systemd-analyze verify` finds nothing to say (it warns, exit 0, on a bad value: so silence)."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    if not Path("/usr/bin/cage").exists():  # verify checks that the command exists
        if os.environ.get("SANGSUK_REQUIRE_DISPLAYS"):
            pytest.fail("cage is not installed (SANGSUK_REQUIRE_DISPLAYS is set)")
        pytest.skip("cage is not installed (see the README's test packages)")
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", "--generators=no", str(UNIT)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_systemd_analyze_would_see_a_mistake_in_the_unit(tmp_path: Path) -> None:
    """The check above can fail: the same unit with a misspelt value draws a complaint."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    broken = tmp_path / "sangsuk-kiosk.service"
    broken.write_text(UNIT.read_text().replace("Restart=always", "Restart=allways"))
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", "--generators=no", str(broken)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "allways" in done.stdout + done.stderr


def test_the_unit_runs_cage_on_tty1_as_sangsuk_and_keeps_it_running() -> None:
    """The installed layout's contract: who, where, what, and that it comes back."""
    unit = unit_settings()
    service = unit["Service"]
    assert service["ExecStart"] == ["/usr/bin/cage -d -s -- /opt/sangsuk/bin/sangsuk-session"]
    assert service["User"] == ["sangsuk"]
    assert service["PAMName"] == ["login"]
    assert service["TTYPath"] == ["/dev/tty1"]
    assert service["UtmpIdentifier"] == ["tty1"]
    assert service["StandardInput"] == ["tty-fail"]
    assert service["Restart"] == ["always"]
    assert service["RestartSec"] == ["2"]
    assert unit["Unit"]["Conflicts"] == ["getty@tty1.service"]
    assert unit["Unit"]["StartLimitIntervalSec"] == ["0"]
    after = " ".join(unit["Unit"]["After"]).split()
    assert {"systemd-user-sessions.service", "plymouth-quit-wait.service"} <= set(after)


def test_the_session_logs_under_the_name_the_docs_give() -> None:
    """pam_systemd moves the session out of the unit, so its lines are found by this name."""
    assert unit_settings()["Service"]["SyslogIdentifier"] == ["sangsuk-kiosk"]
    for doc in ("docs/deploy.md", "deploy/install.sh"):
        assert "journalctl -t sangsuk-kiosk" in (REPO_ROOT / doc).read_text(encoding="utf-8")


def test_the_hardening_leaves_the_screen_input_sound_and_sockets_alone() -> None:
    """Settings that would hide /dev/dri, /dev/input, /dev/snd or /run/user are not there."""
    service = unit_settings()["Service"]
    assert service["NoNewPrivileges"] == ["yes"]
    assert service["ProtectSystem"] == ["full"]  # "strict" would freeze /run/user and /media
    for breaking in (
        "ProtectHome",
        "PrivateDevices",
        "ProtectClock",
        "DeviceAllow",
        "PrivateUsers",
    ):
        assert breaking not in service, f"{breaking} would shut the kiosk out of its devices"


# --- the scripts -----------------------------------------------------------------------------


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
@pytest.mark.parametrize("shell", ["sh", "bash"])
def test_the_scripts_parse(script: Path, shell: str) -> None:
    """Both scripts are POSIX sh (dash on Debian) and parse under bash too."""
    done = subprocess.run(
        [shell, "-n", str(script)], capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_shellcheck_finds_nothing(script: Path) -> None:
    """shellcheck, as POSIX sh, finds nothing (skipped where it is not installed)."""
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is not installed (apt-get install shellcheck)")
    done = subprocess.run(
        ["shellcheck", "--shell=sh", str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "")


def test_install_installs_the_readmes_libraries() -> None:
    """install.sh's list of the Qt libraries is the README's first apt line, word for word."""
    found = re.search(r'^QT_PACKAGES="([^"]*)"', INSTALL.read_text(), re.MULTILINE)
    assert found is not None
    assert found.group(1).split() == readme_packages()


def test_the_kiosk_tells_its_version() -> None:
    """`sangsuk-kiosk --version`, which install.sh names the version's folder by."""
    done = subprocess.run(
        [sys.executable, "-m", "ui.cli", "--version"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"sangsuk-kiosk {importlib.metadata.version('sangsuk')}\n"


# --- install.sh --dry-run ---------------------------------------------------------------------


def fake_bundle(folder: Path, version: str | None) -> Path:
    """A bundle folder whose program answers --version (or, like an old one, does not)."""
    (folder / "_internal").mkdir(parents=True)
    program = folder / "sangsuk-kiosk"
    answer = f'echo "sangsuk-kiosk {version}"; exit 0' if version else "exit 2"
    program.write_text(f'#!/bin/sh\nif [ "$1" = --version ]; then {answer}; fi\nexit 1\n')
    program.chmod(0o755)
    return folder


def dry_run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """install.sh --dry-run on that install root."""
    return subprocess.run(
        ["/bin/sh", str(INSTALL), "--dry-run", *args],
        env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "SANGSUK_INSTALL_ROOT": str(root)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def commands(done: subprocess.CompletedProcess[str]) -> list[str]:
    """The commands a dry run printed, in order."""
    assert done.returncode == 0, done.stderr
    return [line[2:] for line in done.stdout.splitlines() if line.startswith("+ ")]


def index(lines: list[str], start: str) -> int:
    """Where the first command beginning so is (failing, naming it, if there is none)."""
    found = [at for at, line in enumerate(lines) if line.startswith(start)]
    assert found, f"no command starting {start!r} in:\n" + "\n".join(lines)
    return found[0]


def tree(root: Path) -> list[str]:
    """Every path under root with where its links point: to see that a dry run changed nothing."""
    return sorted(
        f"{path.relative_to(root)} -> {os.readlink(path)}" if path.is_symlink() else str(path)
        for path in root.rglob("*")
    )


def test_a_fresh_install_lays_out_opt_sangsuk_and_checks_before_it_enables(tmp_path: Path) -> None:
    """Packages, user, versions/<v>, current, session script and unit; self-test before switch."""
    root = tmp_path / "opt-sangsuk"
    bundle = fake_bundle(tmp_path / "dist" / "sangsuk-kiosk", "2.0.0")
    lines = commands(dry_run(root, str(bundle)))
    assert not root.exists(), "a dry run created the install root"

    apt = lines[index(lines, "env DEBIAN_FRONTEND=noninteractive apt-get install")].split()
    for package in [*readme_packages(), "cage", "xwayland", "udisks2", "udiskie"]:
        assert package in apt
    for package in ["speech-dispatcher", "speech-dispatcher-espeak-ng", "espeak-ng"]:
        assert package in apt
    try:
        pwd.getpwnam("sangsuk")
    except KeyError:
        user = lines[index(lines, "adduser --system")]
        assert "--home /var/lib/sangsuk --shell /usr/sbin/nologin" in user
    assert "usermod -a -G video,input,render,audio,plugdev sangsuk" in lines

    staging = f"{root}/versions/.2.0.0.installing"
    assert f"cp -a {bundle} {staging}" in lines
    self_test = index(lines, "runuser -u sangsuk -- env -i")
    assert lines[self_test].endswith(f"{staging}/sangsuk-kiosk --self-test")
    moved = lines.index(f"mv -T {staging} {root}/versions/2.0.0")
    switched = lines.index(f"ln -s versions/2.0.0 {root}/current.new")
    assert self_test < moved < switched
    assert lines[switched + 2] == f"mv -T -f {root}/current.new {root}/current"
    assert not any("previous" in line for line in lines), "a first install has no previous"
    assert f"rm -f {root}/trial" in lines
    session = lines.index(f"install -o root -g root -m 0755 {SESSION} {root}/bin/sangsuk-session")
    unit = lines.index(f"install -o root -g root -m 0644 {UNIT} /etc/systemd/system/{UNIT.name}")
    enabled = lines.index(f"systemctl enable {UNIT.name}")
    assert self_test < session < unit < lines.index("systemctl daemon-reload") < enabled
    assert "systemctl disable getty@tty1.service" in lines
    voice_conf = UNIT.parent / "speech-dispatcher.conf"
    assert (
        f"install -D -o root -g root -m 0644 {voice_conf}"
        " /etc/speech-dispatcher/clients/sangsuk.conf" in lines
    ), "without it speech-dispatcher sends the Thai voice to a PulseAudio that is not there"
    assert f"systemctl start {UNIT.name}" not in lines  # the officer reboots into it
    assert "reboot" in dry_run(root, str(bundle)).stdout


def test_a_newer_bundle_is_a_manual_update(tmp_path: Path) -> None:
    """current becomes previous, the new version current; the version before that goes.

    The bundle is a tarball from before --version: its name gives the version.
    """
    root = tmp_path / "opt-sangsuk"
    for version in ("0.9.0", "1.0.0"):
        (root / "versions" / version).mkdir(parents=True)
    (root / "current").symlink_to("versions/1.0.0")
    (root / "previous").symlink_to(f"{root}/versions/0.9.0")  # the updater may write absolute links
    (root / "trial").write_text("1.0.0\n")
    folder = fake_bundle(tmp_path / "build" / "sangsuk-kiosk", None)
    tarball = tmp_path / "sangsuk-kiosk-2.0.0.tar.gz"
    with tarfile.open(tarball, "w:gz") as archive:
        archive.add(folder, arcname="sangsuk-kiosk")
    before = tree(root)
    lines = commands(dry_run(root, str(tarball)))
    assert tree(root) == before, "a dry run changed the install root"
    assert f"ln -s versions/1.0.0 {root}/previous.new" in lines
    assert f"ln -s versions/2.0.0 {root}/current.new" in lines
    assert f"rm -rf {root}/versions/0.9.0/" in lines
    assert not any(line.startswith(f"rm -rf {root}/versions/1.0.0") for line in lines)
    assert f"rm -f {root}/trial" in lines
    # The release's own archive is kept for the updater: its first update can be a patch.
    assert (
        f"install -o sangsuk -g sangsuk -m 0644 {tarball}"
        f" {root}/updates/targets/sangsuk-kiosk-2.0.0.tar.gz" in lines
    )


def test_a_bundle_folder_leaves_no_archive_for_the_updater(tmp_path: Path) -> None:
    """Installed from a folder (or a tarball named otherwise), nothing is kept: the first
    update downloads the whole archive."""
    root = tmp_path / "opt-sangsuk"
    bundle = fake_bundle(tmp_path / "dist" / "sangsuk-kiosk", "2.0.0")
    lines = commands(dry_run(root, str(bundle)))
    assert not any("/updates/targets" in line for line in lines)


def test_the_same_version_again_is_a_repair_that_keeps_previous(tmp_path: Path) -> None:
    """Installing the running version again replaces its folder; previous stays as it was."""
    root = tmp_path / "opt-sangsuk"
    for version in ("1.0.0", "2.0.0"):
        (root / "versions" / version).mkdir(parents=True)
    (root / "current").symlink_to("versions/2.0.0")
    (root / "previous").symlink_to("versions/1.0.0")
    lines = commands(dry_run(root, str(fake_bundle(tmp_path / "sangsuk-kiosk", "2.0.0"))))
    assert f"rm -rf {root}/versions/2.0.0" in lines
    assert f"ln -s versions/1.0.0 {root}/previous.new" in lines
    assert not any(line.startswith(f"rm -rf {root}/versions/1.0.0") for line in lines)


def test_uninstall_keeps_the_data_folder_unless_purge(tmp_path: Path) -> None:
    """--uninstall removes the program and gives tty1 back; only --purge deletes the votes."""
    root = tmp_path / "opt-sangsuk"
    kept = commands(dry_run(root, "--uninstall"))
    assert f"rm -rf {root}" in kept
    assert "systemctl enable getty@tty1.service" in kept
    assert not any("/var/lib/sangsuk" in line for line in kept)
    assert "rm -f /etc/speech-dispatcher/clients/sangsuk.conf" in kept
    purged = commands(dry_run(root, "--uninstall", "--purge"))
    assert "rm -rf /var/lib/sangsuk" in purged


@pytest.mark.parametrize(
    ("bundle", "english"),
    [
        ("missing.tar.gz", "does not exist"),
        ("empty", "no sangsuk-kiosk program in"),
        ("no-version", "cannot tell the bundle's version"),
        ("bad-version", "not a usable version name"),
    ],
)
def test_a_bundle_it_cannot_use_is_refused_in_thai_then_english(
    tmp_path: Path, bundle: str, english: str
) -> None:
    """A clear error, Thai first and English second, exit 1, and nothing done."""
    path = tmp_path / bundle
    if bundle == "empty":
        path.mkdir()
    elif bundle == "no-version":
        fake_bundle(path / "sangsuk-kiosk", None)
        path = path / "sangsuk-kiosk"
    elif bundle == "bad-version":
        fake_bundle(path, "1.0 ; rm -rf")
    done = dry_run(tmp_path / "opt-sangsuk", str(path))
    assert done.returncode == 1
    thai, english_line = done.stderr.splitlines()[-2:]
    assert thai.startswith("ผิดพลาด: ")
    assert english_line.startswith("error: ")
    assert english in english_line
    assert "+ " not in done.stdout


def test_wrong_arguments_show_the_usage() -> None:
    """No bundle, two bundles, --purge without --uninstall: the usage, exit 2."""
    for args in ([], ["a", "b"], ["--purge", "a"], ["--uninstall", "a"]):
        done = subprocess.run(
            ["/bin/sh", str(INSTALL), *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 2, args
        assert "วิธีใช้" in done.stderr
        assert "usage:" in done.stderr


def test_help_is_the_usage_and_the_options_on_standard_output() -> None:
    """--help is asked for, not a mistake: standard output, exit 0, and where the guide is."""
    done = subprocess.run(
        ["/bin/sh", str(INSTALL), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0
    assert done.stderr == ""
    assert done.stdout.startswith("วิธีใช้: sh install.sh [--dry-run]")
    assert "usage: sh install.sh [--dry-run]" in done.stdout
    assert "(as root, or with sudo)" in done.stdout
    assert "--dry-run" in done.stdout
    assert "--uninstall" in done.stdout
    assert "docs/deploy.md" in done.stdout


@pytest.mark.parametrize(
    "left_out", ["sangsuk-session", "sangsuk-kiosk.service", "speech-dispatcher.conf"]
)
def test_a_deploy_folder_copied_in_part_is_refused_before_anything_is_done(
    tmp_path: Path, left_out: str
) -> None:
    """Each file it installs is checked first: a real run would otherwise stop half-way."""
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy, ignore=shutil.ignore_patterns(left_out))
    bundle = fake_bundle(tmp_path / "sangsuk-kiosk", "2.0.0")
    done = subprocess.run(
        ["/bin/sh", str(copy / "install.sh"), "--dry-run", str(bundle)],
        env={
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "SANGSUK_INSTALL_ROOT": str(tmp_path / "opt"),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert f"{copy}/{left_out} is missing: copy the whole deploy folder" in done.stderr
    assert "+ " not in done.stdout


def test_it_refuses_to_run_when_not_root(tmp_path: Path) -> None:
    """Not root (here: nobody): a clear refusal before anything is done."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root, and no setpriv to become nobody")
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    bundle = fake_bundle(tmp_path / "sangsuk-kiosk", "2.0.0")
    tmp_path.chmod(0o755)  # nobody may look at the bundle
    done = subprocess.run(
        [*prefix, "/bin/sh", str(INSTALL), str(bundle)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"ผิดพลาด: ต้องสั่งในฐานะ root (su - หรือ sudo): sh {INSTALL} ...",
        f"error: must be run as root (su -, or sudo): sh {INSTALL} ...",
    ]
    assert done.stdout == ""
