"""`sangsuk-release` when something goes wrong: each failure is a sentence in Thai and English
(release/failures.py), exit 2 (130 interrupted), no Python traceback, and the repository as it
was: a failure in the middle of signing puts back what had been written. Run as the central IT
runs it (the installed command), on real folders, a real read-only disk and a real full disk
(private mount namespaces, tests/namespaces.py and tests/small_disk.py)."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import time
from pathlib import Path

import pytest
from securesystemslib.interface import import_ed25519_privatekey_from_file
from securesystemslib.keys import encrypt_key

from tests.namespaces import run_read_only
from tests.release.test_release_words import COMMAND, release
from tests.small_disk import run_on_small_disk
from tests.updates_repo import Office, fingerprints, make_bundle, make_office


@pytest.fixture
def office(tmp_path: Path) -> Office:
    office = make_office(tmp_path / "office")
    office.release("0.1.0")
    return office


def said(done: subprocess.CompletedProcess[str], code: int = 2) -> list[str]:
    """The refusal's lines (each after the program's name), checked to be words, not a trace."""
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("sangsuk-release: ")]
    assert lines, done.stderr
    return [line.removeprefix("sangsuk-release: ") for line in lines]


def encrypt(key_file: Path, passphrase: str) -> None:
    """Protect a private key with a passphrase, as an office that keeps its keys so does."""
    key = import_ed25519_privatekey_from_file(str(key_file), prompt=False)
    key_file.write_text(encrypt_key(key, passphrase))


def refresh(office: Office, given: str | None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(COMMAND), "refresh", "--repo", str(office.repo), "--keys", str(office.keys)],
        input=given,
        stdin=subprocess.DEVNULL if given is None else None,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        start_new_session=True,  # no terminal: the passphrase is read from standard input
    )


def test_a_wrong_passphrase_is_worded_and_what_was_signed_is_put_back(office: Office) -> None:
    """The timestamp key has a passphrase: snapshot is signed and written first, then the
    passphrase is wrong; snapshot.json is put back, so the repository is as it was."""
    encrypt(office.keys / "timestamp", "right horse battery")
    before = fingerprints(office.repo)
    lines = said(refresh(office, "wrong\n"))
    assert lines[0].startswith(f"กุญแจลับ {office.keys / 'timestamp'} มีรหัสผ่าน")
    assert lines[2] == (
        f"อ่านกุญแจลับใน {office.keys} ไม่ได้: รหัสผ่านของกุญแจผิดหรือไม่ได้พิมพ์ หรือไฟล์เสียหาย"
        " สั่งใหม่ในหน้าต่างคำสั่งแล้วพิมพ์รหัสผ่าน หรือนำกุญแจคืนจากแฟลชไดรฟ์กุญแจชุดที่สองในตู้เซฟ"
    )
    assert lines[3].startswith(f"A private key in {office.keys} cannot be read: its passphrase")
    assert lines[5] == (
        f"The files already written were put back as they were: the update repository"
        f" {office.repo} is as it was before the command."
    )
    assert fingerprints(office.repo) == before
    done = refresh(office, "right horse battery\n")  # the right one signs
    assert done.returncode == 0, done.stderr
    assert fingerprints(office.repo) != before


def test_no_passphrase_and_a_damaged_key_are_worded_too(office: Office) -> None:
    encrypt(office.keys / "timestamp", "right horse battery")
    before = fingerprints(office.repo)
    assert "cannot be read: its passphrase was wrong or not typed" in said(refresh(office, None))[3]
    (office.keys / "snapshot").write_text("not a key\n")
    assert "cannot be read: its passphrase was wrong" in said(refresh(office, None))[3]
    assert fingerprints(office.repo) == before


def test_interrupted_while_asking_for_a_passphrase_puts_back_what_was_signed(
    office: Office,
) -> None:
    """Ctrl-C at the passphrase prompt, after snapshot.json was written: exit 130, said so,
    and the repository as it was."""
    encrypt(office.keys / "timestamp", "right horse battery")
    before = fingerprints(office.repo)
    running = subprocess.Popen(
        [str(COMMAND), "refresh", "--repo", str(office.repo), "--keys", str(office.keys)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    assert running.stderr is not None
    asked = b""
    deadline = time.monotonic() + 60
    while b"then Enter: " not in asked:  # the English prompt comes last (the Thai has Enter: too)
        assert time.monotonic() < deadline, asked
        ready, _, _ = select.select([running.stderr], [], [], 1)
        if ready:
            asked += os.read(running.stderr.fileno(), 4096)
    running.send_signal(signal.SIGINT)
    _out, rest = running.communicate(timeout=60)
    done = subprocess.CompletedProcess(
        running.args, running.returncode, "", (asked + rest).decode()
    )
    lines = said(done, code=130)
    assert "ยกเลิกคำสั่งแล้ว" in lines
    assert "Interrupted." in lines
    assert lines[-1].startswith("The files already written were put back as they were")
    assert fingerprints(office.repo) == before


def test_a_read_only_repository_is_said_so_and_unchanged(office: Office) -> None:
    before = fingerprints(office.repo)
    command = [str(COMMAND), "refresh", "--repo", str(office.repo), "--keys", str(office.keys)]
    lines = said(run_read_only(office.repo, command))
    assert lines[0].startswith(f"อ่านหรือเขียน {office.repo / 'metadata'}")
    assert "ดิสก์เขียนไม่ได้ เป็นแบบอ่านอย่างเดียว" in lines[0]
    assert lines[1].endswith(
        ": the disk is read-only (the lock switch of a stick, or a disk mounted read-only)."
    )
    assert "Read-only file system" not in "\n".join(lines)
    assert fingerprints(office.repo) == before


def test_a_full_disk_while_adding_a_release_leaves_no_archive_and_unchanged_metadata(
    tmp_path: Path,
) -> None:
    """The repository on a real 2 MiB disk, a release of 3 MB that does not compress: the
    archive cannot be written; the part written is removed, the metadata is as it was."""
    bundle = make_bundle(tmp_path / "bundle", "0.2.0")
    (bundle / "_internal" / "video.bin").write_bytes(os.urandom(3_000_000))
    code = f"""
import contextlib, io, json, sys
from pathlib import Path
from release import repository
from release.cli import main
from tests.updates_repo import fingerprints
disk = Path(sys.argv[1])
repository.init(disk / "repo", disk / "keys")
before = fingerprints(disk / "repo")
err = io.StringIO()
with contextlib.redirect_stderr(err):
    code = main(["add", {str(bundle)!r}, "--version", "0.2.0",
                 "--repo", str(disk / "repo"), "--keys", str(disk / "keys")])
print(json.dumps({{"code": code, "err": err.getvalue(),
                  "same": fingerprints(disk / "repo") == before,
                  "targets": sorted(p.name for p in (disk / "repo/targets").iterdir())}}))
"""
    out = run_on_small_disk(tmp_path / "small", "2m", code, timeout=120)
    assert out["code"] == 2, out["err"]
    assert "Traceback" not in out["err"]
    assert "ดิสก์เต็ม ทำให้มีที่ว่าง" in out["err"]
    assert (
        "the disk is full; make room (or use a bigger stick) and run the command again"
        in (out["err"])
    )
    assert "No space left on device" not in out["err"]
    assert out["same"]
    assert out["targets"] == []


def test_paths_that_are_wrong_are_named_in_words(tmp_path: Path, office: Office) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder\n")
    lines = said(release("init", "--repo", tmp_path / "r", "--keys", a_file))
    assert lines[1] == (
        f"{a_file} is a file, not a folder: name an empty folder, or one not made yet, with --keys."
    )
    lines = said(release("init", "--repo", a_file / "repo", "--keys", tmp_path / "new-keys"))
    assert lines[1].startswith(f"Could not read or write {a_file / 'repo'}")
    assert lines[1].endswith("a part of the path is a file, not a folder; check the path.")
    assert lines[3].startswith("What init had made is removed")
    assert not (tmp_path / "new-keys").exists()  # nothing half-made blocks the next init
    mount = tmp_path / "stick"
    mount.mkdir()
    lines = said(release("stick", tmp_path / "no-repo", mount))
    assert lines[1].startswith(f"There is no update repository at {tmp_path / 'no-repo'}")
    assert list(mount.iterdir()) == []


def test_a_missing_folder_or_damaged_metadata_is_said_and_nothing_is_signed(
    office: Office,
) -> None:
    args = ["--repo", office.repo, "--keys", office.keys]
    (office.repo / "targets").rename(office.repo / "targets-moved")
    lines = said(release("refresh", *args))
    assert lines[1] == (
        f"The update repository {office.repo} has no folder {office.repo / 'targets'}: put it"
        " back from the backup (kiosks download from it). Nothing was done."
    )
    (office.repo / "targets-moved").rename(office.repo / "targets")
    (office.repo / "metadata" / "snapshot.json").write_text("{")
    before = fingerprints(office.repo)
    lines = said(release("refresh", *args))
    assert lines[1].startswith(f"The signed files in {office.repo / 'metadata'} cannot be read")
    assert fingerprints(office.repo) == before
    assert json.loads((office.repo / "metadata" / "root.json").read_text())["signed"]
