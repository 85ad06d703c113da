"""A Thai screen read aloud makes sound: the kiosk's own speaker, end to end, with no network.

The path is the deployed kiosk's: the speaker button, ui.speech's system engine (Qt TextToSpeech's
speechd plugin, found as the kiosk finds it), speech-dispatcher configured as the deploy configures
it (the package's /etc/speech-dispatcher plus deploy/speech-dispatcher.conf in its clients/), and
espeak-ng's Thai voice. Only the sound card is fake: ALSA's default device, in a private home's
.asoundrc, is a ``file`` device that writes what it is given to a WAV file. There is no sound
server (PULSE_SERVER names a socket nobody listens on), as on a kiosk started by systemd: the
deploy's configuration must then fall back to ALSA, or nothing is heard.

The speech-dispatcher is the test's own (its socket, configuration, runtime folder and logs in
tmp_path; the kiosk is pointed at it with SPEECHD_ADDRESS) and is ended with its modules at
teardown. Without speech-dispatcher or espeak-ng's Thai voice the test is skipped, saying what is
missing, unless SANGSUK_REQUIRE_VOICE=1 (CI installs them) makes that a failure.
"""

from __future__ import annotations

import array
import math
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from glob import glob
from pathlib import Path

import pytest
from pytestqt.exceptions import TimeoutError

from tests.namespaces import REPO_ROOT
from tests.ui.displays import stop, wait_for
from ui import speech

REQUIRED = bool(os.environ.get("SANGSUK_REQUIRE_VOICE"))
DEPLOY_CONFIG = REPO_ROOT / "deploy" / "speech-dispatcher.conf"
SYSTEM_CONFIG = Path("/etc/speech-dispatcher")
MODULES = ("/usr/lib/speech-dispatcher-modules", "/usr/libexec/speech-dispatcher-modules")
THAI_DATA = (
    "/usr/lib/*/espeak-ng-data/th_dict",
    "/usr/lib/espeak-ng-data/th_dict",
    "/usr/share/espeak-ng-data/th_dict",
)
# The rating question and its five faces: 43 syllables, over 5 s of speech even when fast.
RATING_TH = (
    "ท่านพึงพอใจการให้บริการในวันนี้เพียงใด แตะใบหน้าที่ตรงกับความรู้สึกของท่าน "
    "พอใจมากที่สุด พอใจมาก พอใจปานกลาง ไม่พอใจ ไม่พอใจมาก"
)
SPOKEN_S = 4.0  # the least sound that rating sentence can be (the voice is 15 s long)
LOUD_RMS = 1000  # 16-bit samples: espeak-ng speaks at about 6000; silence is 0
FRAME_S = 0.02  # loudness is measured over 20 ms frames


def missing_voice() -> str | None:
    """Return what is missing for a Thai voice on this machine, or None."""
    if shutil.which("speech-dispatcher") is None:
        return "speech-dispatcher is not installed"
    if not (SYSTEM_CONFIG / "speechd.conf").is_file():
        return f"{SYSTEM_CONFIG}/speechd.conf is missing"
    if not any(Path(folder, "sd_espeak-ng").exists() for folder in MODULES):
        return "speech-dispatcher-espeak-ng is not installed"
    if not any(glob(pattern) for pattern in THAI_DATA):
        return "espeak-ng's Thai voice (espeak-ng-data th_dict) is not installed"
    return None


def listens(path: Path) -> bool:
    """Tell whether a server accepts connections on the Unix socket at path."""
    with socket.socket(socket.AF_UNIX) as client:
        try:
            client.connect(str(path))
        except OSError:
            return False
    return True


class Dispatcher:
    """A speech-dispatcher of the test's own, configured as deployed, speaking into a file."""

    def __init__(self, root: Path) -> None:
        self.socket = root / "speechd.sock"
        self.sound = root / "sound.wav"  # what ALSA's default device "plays"
        self.logs = root / "logs"
        self.config = root / "config"
        self.home = root / "home"
        self.runtime = root / "run"

    def env(self) -> dict[str, str]:
        """Its environment: private home, runtime and config folders, no sound server, no display."""
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DISPLAY", "WAYLAND_DISPLAY", "ALSA_CONFIG_PATH", "SPEECHD_ADDRESS")
        }
        env.update(
            HOME=str(self.home),
            XDG_RUNTIME_DIR=str(self.runtime),
            XDG_CONFIG_HOME=str(self.home / ".config"),
            XDG_CACHE_HOME=str(self.home / ".cache"),
            PULSE_SERVER=f"unix:{self.runtime / 'no-sound-server'}",
        )
        return env

    def prepare(self) -> None:
        """Lay out the package's configuration with the deploy's file, and the fake sound card."""
        shutil.copytree(SYSTEM_CONFIG, self.config)
        shutil.copy(DEPLOY_CONFIG, self.config / "clients" / "sangsuk.conf")  # as install.sh does
        for folder in (self.logs, self.home, self.runtime):
            folder.mkdir(mode=0o700)
        (self.home / ".asoundrc").write_text(
            "pcm.!default {\n"
            "  type file\n"
            '  slave.pcm "null"\n'
            f'  file "{self.sound}"\n'
            '  format "wav"\n'
            "}\n",
            encoding="utf-8",
        )

    def start(self) -> subprocess.Popen[bytes]:
        """Start it in its own process group (its modules join it); return once it listens."""
        with (self.logs / "stderr.log").open("wb") as stderr:
            server = subprocess.Popen(
                [
                    *("speech-dispatcher", "--run-single", "--timeout", "0"),
                    *("--communication-method", "unix_socket", "--socket-path", str(self.socket)),
                    *("--config-dir", str(self.config), "--log-dir", str(self.logs)),
                ],
                env=self.env(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,
            )
        try:
            wait_for(
                "speech-dispatcher to listen",
                lambda: server.poll() is not None or listens(self.socket),
            )
        except BaseException:
            stop(server)
            raise
        if server.poll() is not None:
            pytest.fail(
                f"speech-dispatcher ended at once (code {server.returncode}):\n{self.log()}"
            )
        return server

    def log(self) -> str:
        """Return the end of its logs, for a failure message."""
        return "\n".join(
            f"== {path.name}\n{path.read_text(errors='replace')[-2000:]}"
            for path in sorted(self.logs.iterdir())
        )


@pytest.fixture
def dispatcher(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Dispatcher]:
    """A running private speech-dispatcher; the kiosk's system engine finds it, as a kiosk does."""
    missing = missing_voice()
    if missing is not None:
        if REQUIRED:
            pytest.fail(f"SANGSUK_REQUIRE_VOICE=1 but {missing}")
        pytest.skip(
            f"{missing}: sudo apt-get install speech-dispatcher speech-dispatcher-espeak-ng"
        )
    found = Dispatcher(tmp_path / "speechd")
    found.prepare()
    server = found.start()
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{found.socket}")
    monkeypatch.delenv(speech.ENGINE_ENV, raising=False)  # the kiosk's default: find an engine
    monkeypatch.setattr(speech, "_default_engine_name", speech._UNSET)  # found afresh
    try:
        yield found
    finally:
        stop(server)


def samples(wav: Path) -> tuple[array.array[int], int]:
    """Return a 16-bit WAV file's samples and frames a second, whatever length its header says.

    ALSA's file device writes the header before the sound and does not go back to fill in the
    length, so the data is taken to the end of the file.
    """
    raw = wav.read_bytes()
    assert (raw[:4], raw[8:12]) == (b"RIFF", b"WAVE"), f"not a WAV file: {raw[:16]!r}"
    fmt = raw.index(b"fmt ") + 8
    channels = int.from_bytes(raw[fmt + 2 : fmt + 4], "little")
    rate = int.from_bytes(raw[fmt + 4 : fmt + 8], "little")
    bits = int.from_bytes(raw[fmt + 14 : fmt + 16], "little")
    assert bits == 16, f"{bits}-bit sound"
    data = raw[raw.index(b"data") + 8 :]
    values = array.array("h")
    values.frombytes(data[: len(data) // 2 * 2])
    return values, rate * channels


def rms(values: array.array[int]) -> float:
    """Return the root mean square of samples (0 for none)."""
    return math.sqrt(sum(v * v for v in values) / len(values)) if values else 0.0


@pytest.mark.slow  # a speech-dispatcher started, 15 s of speech made: 2 to 12 s on 2 busy cores
def test_the_rating_question_is_heard_in_thai(
    dispatcher: Dispatcher, qtbot, make_kiosk, ledger_service
) -> None:
    kiosk = make_kiosk(ledger=ledger_service)  # no engine given: the system's, as deployed
    engine = kiosk.speech.engine
    assert engine is not None, "the kiosk found no speech engine"
    assert engine.engine() == "speechd"
    kiosk.welcome.start_button.click()
    speaker = kiosk.rating.bar.speaker_button
    assert speaker.text() == "ฟังเสียง"  # "Listen": there is a Thai voice
    speaker.click()
    qtbot.waitUntil(lambda: kiosk.speech.last_text == RATING_TH)  # read once the tap is handled
    assert engine.locale().name() == "th_TH"
    assert engine.voice().locale().language() == engine.locale().language()
    try:
        qtbot.waitUntil(lambda: not kiosk.speech.speaking(), timeout=60_000)
    except TimeoutError:  # speech-dispatcher found no sound device, and never ends the reading
        pytest.fail(f"the reading never ended\n{dispatcher.log()}")
    assert speaker.text() == "ฟังอีกครั้ง"  # "Listen again": the reading ended

    assert dispatcher.sound.exists(), f"nothing reached the sound card\n{dispatcher.log()}"
    values, per_second = samples(dispatcher.sound)
    seconds = len(values) / per_second
    assert seconds > SPOKEN_S, f"only {seconds:.2f} s of sound"
    frame = int(per_second * FRAME_S)
    frames = [values[i : i + frame] for i in range(0, len(values) - frame + 1, frame)]
    voiced = sum(1 for f in frames if rms(f) > LOUD_RMS) * FRAME_S
    assert voiced > SPOKEN_S, f"only {voiced:.2f} s of {seconds:.2f} s is louder than silence"
    assert rms(values) > LOUD_RMS
