"""Removable drives on Linux, from a /proc/mounts of our own making."""

from pathlib import Path

from kiosk.drives import is_writable_folder, linux_drives, mounts_under

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
/dev/sdb1 /media/clerk/KINGSTON vfat rw,nosuid,nodev 0 0
/dev/sdc1 /run/media/somchai/USB\\040DISK vfat rw 0 0
tmpfs /run/user/1000 tmpfs rw 0 0
/dev/sdd1 /mediaserver/x ext4 rw 0 0
"""


def test_mounts_under_media_roots_with_escaped_spaces():
    found = mounts_under(MOUNTS.splitlines())
    assert found == [Path("/media/clerk/KINGSTON"), Path("/run/media/somchai/USB DISK")]


def test_linux_drives_reads_a_mounts_file_and_measures_space(tmp_path):
    stick = tmp_path / "media" / "clerk" / "STICK 1"
    stick.mkdir(parents=True)
    gone = tmp_path / "media" / "clerk" / "PULLED"
    escaped = str(stick).replace(" ", "\\040")
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sdb1 {escaped} vfat rw 0 0\n/dev/sdc1 {gone} vfat rw 0 0\n")
    (drive,) = linux_drives(mounts, roots=[str(tmp_path / "media")])
    assert drive.path == stick
    assert drive.label == "STICK 1"
    assert drive.total_bytes > 0
    assert 0 <= drive.free_bytes <= drive.total_bytes


def test_an_unreadable_mounts_file_means_no_drives(tmp_path):
    assert linux_drives(tmp_path / "missing") == []


def test_is_writable_folder(tmp_path):
    assert is_writable_folder(tmp_path)
    assert not is_writable_folder(tmp_path / "missing")
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert not is_writable_folder(a_file)
