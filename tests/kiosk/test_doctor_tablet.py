"""The doctor's checks of the tablet as install.sh leaves it, on real folders and real files:
enrollment (a demo or unenrolled kiosk is a WARN saying what to do), the installed layout under
/opt/sangsuk (laid out here in a temporary folder, links and all), and speech-dispatcher's
configuration (the real deploy/speech-dispatcher.conf in a folder standing for /etc).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.config import CONFIG_FILE_NAME, KioskConfig, save_config
from kiosk.doctor import Status
from kiosk.doctor_tablet import check_enrollment, check_installation, check_voice_config
from tests.namespaces import REPO_ROOT

SHIPPED_CONF = REPO_ROOT / "deploy" / "speech-dispatcher.conf"
DEBIAN_SPEECHD = '# Debian\'s speechd.conf, the part that matters\nInclude "clients/*.conf"\n'


def collector_key() -> str:
    return Ed25519PrivateKey.generate().public_key().public_bytes_raw().hex()


# --- enrollment -----------------------------------------------------------------------------


def test_a_new_tablet_still_on_the_demo_district_warns_with_the_wizard_and_enroll(tmp_path):
    found = check_enrollment(tmp_path / "kiosk")  # no config.json: the demo district
    assert found.status is Status.WARN
    assert "demo district (3706)" in found.detail_en
    assert "อำเภอสาธิต" in found.detail_th
    assert "setup wizard" in found.fix_en
    assert "sangsuk-kiosk enroll --collector URL --token TOKEN" in found.fix_en
    assert "แตะมุมซ้ายบน" in found.fix_th
    assert "sangsuk-kiosk enroll" in found.fix_th


def test_a_district_set_but_not_enrolled_warns(tmp_path: Path) -> None:
    save_config(tmp_path, KioskConfig(district="3701", demo=False))
    found = check_enrollment(tmp_path)
    assert found.status is Status.WARN
    assert "District 3701 is set, but the kiosk is not enrolled" in found.detail_en
    assert "sangsuk-kiosk enroll" in found.fix_en


def test_an_enrolled_kiosk_is_ok_naming_its_collector(tmp_path: Path) -> None:
    config = KioskConfig(
        district="3701",
        demo=False,
        enrolled=True,
        collector_url="https://collector.example",
        collector_key=collector_key(),
    )
    save_config(tmp_path, config)
    found = check_enrollment(tmp_path)
    assert found.status is Status.OK
    assert "https://collector.example" in found.detail_en


def test_a_kiosk_enrolled_by_stick_is_ok(tmp_path: Path) -> None:
    save_config(
        tmp_path,
        KioskConfig(district="3701", demo=False, enrolled=True, collector_key=collector_key()),
    )
    found = check_enrollment(tmp_path)
    assert found.status is Status.OK
    assert "by USB stick" in found.detail_en


def test_unreadable_settings_fail(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE_NAME).write_text("{not json", encoding="utf-8")
    found = check_enrollment(tmp_path)
    assert found.status is Status.FAIL
    assert found.fix_en
    assert (tmp_path / CONFIG_FILE_NAME).read_text(encoding="utf-8") == "{not json"  # untouched


# --- the installed layout -------------------------------------------------------------------


def install(root: Path, *versions: str, current: str, previous: str | None = None) -> Path:
    """Lay out root as install.sh does: versions/<v>/sangsuk-kiosk, the links, the session."""
    for version in versions:
        folder = root / "versions" / version
        folder.mkdir(parents=True)
        program = folder / "sangsuk-kiosk"
        program.write_text("#!/bin/sh\n")
        program.chmod(0o755)
    (root / "current").symlink_to(Path("versions") / current)
    if previous is not None:
        (root / "previous").symlink_to(Path("versions") / previous)
    (root / "bin").mkdir()
    session = root / "bin" / "sangsuk-session"
    session.write_text("#!/bin/sh\n")
    session.chmod(0o755)
    return root


def test_a_checkout_is_not_an_installation_and_says_so() -> None:
    found = check_installation(None)
    assert found.status is Status.WARN
    assert "Not installed under /opt/sangsuk" in found.detail_en
    assert "sudo sh install.sh BUNDLE" in found.fix_en


def test_an_installation_as_install_sh_makes_it_is_ok(tmp_path: Path) -> None:
    root = install(tmp_path / "opt", "1.0.0", "1.1.0", current="1.1.0", previous="1.0.0")
    running = root / "versions" / "1.1.0" / "sangsuk-kiosk"
    found = check_installation(root, running)
    assert found.status is Status.OK, found
    assert found.detail_en == f"Version 1.1.0 is installed in {root} (previous: 1.0.0)."


def test_a_staged_version_not_yet_started_is_named(tmp_path: Path) -> None:
    root = install(tmp_path / "opt", "1.0.0", "1.1.0", current="1.1.0", previous="1.0.0")
    found = check_installation(root, root / "versions" / "1.0.0" / "sangsuk-kiosk")
    assert found.status is Status.OK
    assert "The kiosk running now is 1.0.0; it changes at the next start." in found.detail_en


def test_current_pointing_at_a_missing_version_fails(tmp_path: Path) -> None:
    root = install(tmp_path / "opt", "1.0.0", current="1.0.0")
    shutil.rmtree(root / "versions" / "1.0.0")
    found = check_installation(root)
    assert found.status is Status.FAIL
    assert "the kiosk cannot start" in found.detail_en
    assert "sudo sh install.sh BUNDLE" in found.fix_en


def test_a_dangling_previous_and_a_missing_session_script_warn(tmp_path: Path) -> None:
    root = install(tmp_path / "opt", "1.0.0", "1.1.0", current="1.1.0", previous="1.0.0")
    shutil.rmtree(root / "versions" / "1.0.0")
    (root / "bin" / "sangsuk-session").unlink()
    found = check_installation(root)
    assert found.status is Status.WARN
    assert "previous points at version 1.0.0, which is gone" in found.detail_en
    assert "sangsuk-session that starts the kiosk at boot is missing" in found.detail_en
    assert "ลิงก์ previous" in found.detail_th


# --- speech-dispatcher's configuration ------------------------------------------------------


@pytest.fixture
def etc(tmp_path: Path) -> Path:
    """/etc/speech-dispatcher as install.sh leaves it: Debian's speechd.conf and ours."""
    folder = tmp_path / "etc" / "speech-dispatcher"
    (folder / "clients").mkdir(parents=True)
    (folder / "speechd.conf").write_text(DEBIAN_SPEECHD, encoding="utf-8")
    shutil.copy(SHIPPED_CONF, folder / "clients" / "sangsuk.conf")
    return folder


def voice(etc: Path, home: Path, platform: str = "linux"):
    return check_voice_config(etc=etc, user_config=home, platform=platform)


def test_the_shipped_configuration_is_ok(etc: Path, tmp_path: Path) -> None:
    found = voice(etc, tmp_path / "home")
    assert found.status is Status.OK, found
    assert "pulse,alsa" in found.detail_en


def test_no_speech_dispatcher_at_all_warns_with_the_apt_line(tmp_path: Path) -> None:
    found = voice(tmp_path / "nothing", tmp_path / "home")
    assert found.status is Status.WARN
    assert found.fix_en == "sudo apt-get install speech-dispatcher speech-dispatcher-espeak-ng"


def test_our_file_missing_warns_that_the_kiosk_would_be_silent(etc: Path, tmp_path: Path) -> None:
    (etc / "clients" / "sangsuk.conf").unlink()
    found = voice(etc, tmp_path / "home")
    assert found.status is Status.WARN
    assert "says nothing" in found.detail_en
    assert "deploy/speech-dispatcher.conf" in found.fix_en


def test_a_pulse_only_file_warns(etc: Path, tmp_path: Path) -> None:
    (etc / "clients" / "sangsuk.conf").write_text('AudioOutputMethod "pulse"\n', encoding="utf-8")
    found = voice(etc, tmp_path / "home")
    assert found.status is Status.WARN
    assert "does not send the sound to ALSA" in found.detail_en


def test_a_speechd_conf_that_does_not_include_clients_warns(etc: Path, tmp_path: Path) -> None:
    (etc / "speechd.conf").write_text('# Include "clients/*.conf"\n', encoding="utf-8")
    found = voice(etc, tmp_path / "home")
    assert found.status is Status.WARN
    assert 'Include "clients/*.conf"' in found.fix_en


def test_a_users_own_speechd_conf_warns_naming_it(etc: Path, tmp_path: Path) -> None:
    own = tmp_path / "home" / "speech-dispatcher" / "speechd.conf"
    own.parent.mkdir(parents=True)
    own.write_text('AudioOutputMethod "pulse"\n', encoding="utf-8")
    found = voice(etc, tmp_path / "home")
    assert found.status is Status.WARN
    assert found.fix_en == f"Delete {own} (the kiosk needs none)."
    assert own.exists()  # reported, not removed


def test_not_needed_off_linux(tmp_path: Path) -> None:
    assert voice(tmp_path / "nothing", tmp_path / "home", platform="win32").status is Status.OK
