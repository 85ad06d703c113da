"""deploy/sangsuk-session, the script cage runs on a tablet, keeps the installed layout's promise.

Each test makes an install root of its own (SANGSUK_INSTALL_ROOT) as install.sh and the updater
leave it: versions/<v>/ folders, `current` and `previous` links, perhaps a `trial` file. Each
version's program is a tiny sh script that records its start and then does what the kiosk would:
exit 0, fail, remove `trial` at its welcome screen, or switch `current` and exit 75. The session
script runs for real under /bin/sh (dash on Debian, as on a tablet), as systemd would start it,
once per session; a fake udiskie on PATH shows that the automounter starts and ends with it.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.namespaces import REPO_ROOT

SESSION = REPO_ROOT / "deploy" / "sangsuk-session"
EX_TEMPFAIL = 75
MAX_STARTS = 3  # deploy/sangsuk-session's bound on starts in one session

# What the kiosk does, in sh, after recording its start: "$ROOT" is the install root.
HEALTHY = "exit 0"
WELCOME = 'rm -f "$ROOT/trial"; exit 0'  # reaches its welcome screen, then is closed
CRASHES = "exit 1"


def switch_to(version: str) -> str:
    """The kiosk applying an update: current -> that version as a trial, then exit 75."""
    return (
        f'ln -s versions/{version} "$ROOT/current.new" && mv -T "$ROOT/current.new" "$ROOT/current"'
        f' && ln -sfn "$(readlink "$ROOT/previous.keep")" "$ROOT/previous"'
        f' && printf "{version}" > "$ROOT/trial"; exit {EX_TEMPFAIL}'
    )


@dataclass(frozen=True)
class Install:
    """An install root with fake versions, and how to run the session script on it."""

    root: Path
    bin: Path

    def version(self, name: str, behaviour: str) -> None:
        """A bundle folder versions/<name>/ whose program records its start and does that."""
        folder = self.root / "versions" / name
        (folder / "_internal").mkdir(parents=True)
        program = folder / "sangsuk-kiosk"
        program.write_text(
            "#!/bin/sh\n"
            'ROOT="$SANGSUK_INSTALL_ROOT"\n'
            f'echo "{name} $*" >> "$ROOT/runs"\n'
            f"{behaviour}\n"
        )
        program.chmod(0o755)

    def link(self, name: str, version: str) -> None:
        """current or previous -> versions/<version>, relative, as install.sh makes them."""
        (self.root / name).symlink_to(f"versions/{version}")

    def points(self, name: str) -> str:
        """Where current or previous points."""
        return os.readlink(self.root / name)

    def session(self, *args: str) -> subprocess.CompletedProcess[str]:
        """One session, as systemd starts it: the script under /bin/sh, until it ends."""
        env = {
            "PATH": f"{self.bin}:/usr/bin:/bin",
            "SANGSUK_INSTALL_ROOT": str(self.root),
            "HOME": str(self.root),
        }
        return subprocess.run(
            ["/bin/sh", str(SESSION), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def runs(self) -> list[str]:
        """The versions started so far, in order (with their arguments)."""
        path = self.root / "runs"
        return path.read_text().splitlines() if path.exists() else []


@pytest.fixture
def install(tmp_path: Path) -> Install:
    """An empty install root, and a folder on PATH with a fake udiskie."""
    root = tmp_path / "opt-sangsuk"
    (root / "versions").mkdir(parents=True)
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    udiskie = fake_bin / "udiskie"
    # Records its arguments and pid, then runs until the session ends it.
    udiskie.write_text(
        f'#!/bin/sh\necho "$$ $*" > "{root}/udiskie.tmp" && mv "{root}/udiskie.tmp" "{root}/udiskie"\n'
        "exec sleep 600\n"
    )
    udiskie.chmod(0o755)
    return Install(root, fake_bin)


def test_a_healthy_kiosk_runs_once_with_the_session_arguments(install: Install) -> None:
    """No trial: current runs, its exit ends the session (systemd starts the next one)."""
    install.version("1.0.0", HEALTHY)
    install.link("current", "1.0.0")
    done = install.session("--windowed")
    assert done.returncode == 0, done.stderr
    assert install.runs() == ["1.0.0 --windowed"]
    assert install.points("current") == "versions/1.0.0"
    assert "starting" in done.stderr


def test_a_kiosk_that_fails_outside_a_trial_keeps_its_version(install: Install) -> None:
    """Without `trial` there is nothing to fall back from: the exit code goes to systemd."""
    install.version("1.0.0", HEALTHY)
    install.version("2.0.0", CRASHES)
    install.link("previous", "1.0.0")
    install.link("current", "2.0.0")
    done = install.session()
    assert done.returncode == 1
    assert install.runs() == ["2.0.0 "]
    assert install.points("current") == "versions/2.0.0"


@pytest.mark.parametrize(
    "failure", ["exit 1", "exit 2", 'kill -SEGV "$$"'], ids=["exit-1", "exit-2", "segfault"]
)
def test_a_failing_trial_falls_back_to_previous(install: Install, failure: str) -> None:
    """A trial that ends badly before its welcome screen: current -> previous, trial removed."""
    install.version("1.0.0", HEALTHY)
    install.version("2.0.0", failure)
    install.link("previous", "1.0.0")
    install.link("current", "2.0.0")
    (install.root / "trial").write_text("2.0.0\n")
    done = install.session()
    assert done.returncode == 0, done.stderr
    assert install.runs() == ["2.0.0 ", "1.0.0 "]
    assert (install.root / "current").is_symlink()
    assert install.points("current") == "versions/1.0.0"
    assert not (install.root / "trial").exists()
    assert not (install.root / "current.fallback").exists()
    assert "gave up version 2.0.0" in done.stderr


def test_a_trial_that_reaches_its_welcome_screen_is_kept(install: Install) -> None:
    """The kiosk removes `trial` at its welcome screen: the new version stays current."""
    install.version("1.0.0", HEALTHY)
    install.version("2.0.0", WELCOME)
    install.link("previous", "1.0.0")
    install.link("current", "2.0.0")
    (install.root / "trial").write_text("2.0.0\n")
    done = install.session()
    assert done.returncode == 0, done.stderr
    assert install.runs() == ["2.0.0 "]
    assert install.points("current") == "versions/2.0.0"
    assert install.points("previous") == "versions/1.0.0"
    assert not (install.root / "trial").exists()


def test_a_trial_started_twice_without_its_welcome_screen_is_given_up(install: Install) -> None:
    """Exits 0 but never shows its welcome (or the power went): the third session falls back.

    The trial file is written as the updater may write it, the version without a newline.
    """
    install.version("1.0.0", HEALTHY)
    install.version("2.0.0", HEALTHY)
    install.link("previous", "1.0.0")
    install.link("current", "2.0.0")
    (install.root / "trial").write_text("2.0.0")
    for _ in range(2):
        assert install.session().returncode == 0
    assert install.runs() == ["2.0.0 ", "2.0.0 "]
    assert (install.root / "trial").read_text().splitlines() == ["2.0.0", "started", "started"]
    done = install.session()
    assert done.returncode == 0, done.stderr
    assert install.runs() == ["2.0.0 ", "2.0.0 ", "1.0.0 "]
    assert install.points("current") == "versions/1.0.0"
    assert not (install.root / "trial").exists()
    assert "started 2 times" in done.stderr


def test_exit_75_starts_the_new_current_in_the_same_session(install: Install) -> None:
    """The kiosk switched `current` and exited 75: the new version starts straight away."""
    install.version("1.0.0", switch_to("2.0.0"))
    install.version("2.0.0", WELCOME)
    install.link("current", "1.0.0")
    install.link("previous.keep", "1.0.0")
    done = install.session()
    assert done.returncode == 0, done.stderr
    assert install.runs() == ["1.0.0 ", "2.0.0 "]
    assert install.points("current") == "versions/2.0.0"
    assert not (install.root / "trial").exists()


def test_an_update_that_fails_at_once_comes_back_to_the_old_version(install: Install) -> None:
    """75 to a new version that crashes before its welcome: the session ends on the old one."""
    install.version(
        "1.0.0",
        f'[ -e "$ROOT/runs.once" ] && exit 0; touch "$ROOT/runs.once"; {switch_to("2.0.0")}',
    )
    install.version("2.0.0", CRASHES)
    install.link("current", "1.0.0")
    install.link("previous.keep", "1.0.0")
    done = install.session()
    assert done.returncode == 0, done.stderr
    assert install.runs() == ["1.0.0 ", "2.0.0 ", "1.0.0 "]
    assert install.points("current") == "versions/1.0.0"
    assert not (install.root / "trial").exists()


def test_restarts_inside_one_session_are_bounded(install: Install) -> None:
    """A kiosk that exits 75 for ever is started MAX_STARTS times; systemd does the rest."""
    install.version("1.0.0", f"exit {EX_TEMPFAIL}")
    install.link("current", "1.0.0")
    done = install.session()
    assert done.returncode == EX_TEMPFAIL
    assert install.runs() == ["1.0.0 "] * MAX_STARTS
    assert "leaving the next to systemd" in done.stderr


def test_a_failing_trial_without_previous_stays_and_its_trial_ends(install: Install) -> None:
    """Nothing to fall back to (a first install): the trial is over, the exit goes to systemd."""
    install.version("2.0.0", CRASHES)
    install.link("current", "2.0.0")
    (install.root / "trial").write_text("2.0.0\n")
    done = install.session()
    assert done.returncode == 1
    assert install.runs() == ["2.0.0 "]
    assert install.points("current") == "versions/2.0.0"
    assert not (install.root / "trial").exists()
    assert "cannot fall back" in done.stderr


def test_a_current_without_its_program_falls_back(install: Install) -> None:
    """current points at a folder that is gone (an interrupted update): previous runs."""
    install.version("1.0.0", HEALTHY)
    install.link("previous", "1.0.0")
    install.link("current", "9.9.9")
    done = install.session()
    assert done.returncode == 0, done.stderr
    assert install.runs() == ["1.0.0 "]
    assert install.points("current") == "versions/1.0.0"
    assert "no kiosk program" in done.stderr


def test_nothing_installed_ends_with_an_error_saying_so(install: Install) -> None:
    """No current, no previous: exit 1, and the journal says where the program was looked for."""
    done = install.session()
    assert done.returncode == 1
    assert install.runs() == []
    assert f"no kiosk program at {install.root}/current/sangsuk-kiosk" in done.stderr


def test_udiskie_runs_for_the_session_and_ends_with_it(install: Install) -> None:
    """The automounter starts before the kiosk, without a desktop's parts, and is ended after."""
    # The kiosk waits until udiskie is up (polling: another process), then ends the session.
    install.version("1.0.0", 'while [ ! -e "$ROOT/udiskie" ]; do sleep 0.05; done; exit 0')
    install.link("current", "1.0.0")
    done = install.session()
    assert done.returncode == 0, done.stderr
    pid, *args = (install.root / "udiskie").read_text().split()
    assert args == [
        "--automount",
        "--no-tray",
        "--no-notify",
        "--no-password-prompt",
        "--no-file-manager",
        "--no-terminal",
    ]
    assert not Path(f"/proc/{pid}").exists(), "udiskie outlived the session"


def test_without_udiskie_the_session_says_so_and_runs(install: Install) -> None:
    """No udiskie installed: a line in the journal, and the kiosk starts all the same."""
    (install.bin / "udiskie").unlink()
    install.version("1.0.0", HEALTHY)
    install.link("current", "1.0.0")
    done = install.session()
    assert done.returncode == 0
    assert "udiskie is not installed" in done.stderr
    assert install.runs() == ["1.0.0 "]


def test_an_old_version_killed_after_applying_does_not_count_against_the_new_one(
    install: Install,
) -> None:
    """The running version switched current and wrote trial, then died (killed, power cut)
    before its exit 75: the new version has not run, so nothing falls back; the next session
    starts it as the trial."""
    install.version("1.0.0", HEALTHY)
    install.version("1.1.0", WELCOME)
    install.link("current", "1.0.0")
    (install.root / "previous.keep").symlink_to("versions/1.0.0")
    killed = switch_to("1.1.0").replace(f"exit {EX_TEMPFAIL}", "kill -9 $$")
    (install.root / "versions" / "1.0.0" / "sangsuk-kiosk").write_text(
        f'#!/bin/sh\nROOT="$SANGSUK_INSTALL_ROOT"\necho "1.0.0 $*" >> "$ROOT/runs"\n{killed}\n'
    )
    first = install.session()
    assert first.returncode != 0
    assert "gave up" not in first.stderr
    assert install.points("current") == "versions/1.1.0"
    assert (install.root / "trial").read_text().startswith("1.1.0")
    second = install.session()
    assert second.returncode == 0, second.stderr
    assert install.runs() == ["1.0.0 ", "1.1.0 "]
    assert install.points("current") == "versions/1.1.0"
    assert not (install.root / "trial").exists()
