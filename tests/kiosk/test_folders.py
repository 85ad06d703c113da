"""What a folder holds for the clerk's picker: a real folder tree, Thai names, hidden files, errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.drives import Drive
from kiosk.folders import (
    MAX_ENTRIES,
    MAX_THUMBNAIL_BYTES,
    MAX_THUMBNAILS,
    FolderError,
    Place,
    find_places,
    is_photo_name,
    name_key,
    parent_in,
    place_holding,
    places,
    read_folder,
    size_text,
    thumbnail_entries,
    trail,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    """A USB stick as a clerk's might be: Thai and English folders, photos, clutter."""
    root = tmp_path / "media" / "clerk" / "KINGSTON"
    for name in ("เอกสาร", "รูปถ่าย", "Backup", "archive", "2567", ".Trash-1000"):
        (root / name).mkdir(parents=True)
    (root / "System Volume Information").mkdir()
    for name in ("มาลี.JPG", "somchai.png", "notes.txt", "scan.jpeg", ".hidden.png", "logo.gif"):
        (root / name).write_bytes(b"x" * 2048)
    return root


def test_a_folder_lists_its_subfolders_in_order_and_leaves_out_hidden_ones(stick: Path) -> None:
    listing = read_folder(stick, "folder")
    assert [e.name for e in listing.entries] == ["2567", "archive", "Backup", "รูปถ่าย", "เอกสาร"]
    assert all(e.is_folder for e in listing.entries)
    assert listing.left_out == 0


def test_photo_mode_adds_png_and_jpeg_files_after_the_folders(stick: Path) -> None:
    listing = read_folder(stick, "photo")
    names = [e.name for e in listing.entries]
    folders = ["2567", "archive", "Backup", "รูปถ่าย", "เอกสาร"]
    assert names == [*folders, "scan.jpeg", "somchai.png", "มาลี.JPG"]
    photo = listing.entries[-1]
    assert not photo.is_folder
    assert photo.size == 2048
    assert photo.path == stick / "มาลี.JPG"


def test_thai_names_sort_as_a_dictionary_does() -> None:
    # เชียงใหม่ is filed under ช, and ไก่ under ก: by code point both would come last.
    names = ["เชียงใหม่", "ขอนแก่น", "ไก่ชน", "กรุงเทพ", "Zebra", "apple", "ชลบุรี"]
    assert sorted(names, key=name_key) == [
        "apple",
        "Zebra",
        "กรุงเทพ",
        "ไก่ชน",
        "ขอนแก่น",
        "ชลบุรี",
        "เชียงใหม่",
    ]


def test_photo_names_are_known_by_their_ending_in_any_case() -> None:
    assert is_photo_name("a.PNG")
    assert is_photo_name("b.Jpeg")
    assert not is_photo_name("c.gif")
    assert not is_photo_name("png")


def test_a_folder_of_thousands_shows_the_first_and_counts_the_rest(tmp_path: Path) -> None:
    for index in range(MAX_ENTRIES + 20):
        (tmp_path / f"photo{index:05d}.jpg").touch()
    listing = read_folder(tmp_path, "photo")
    assert len(listing.entries) == MAX_ENTRIES
    assert listing.left_out == 20
    assert listing.entries[0].name == "photo00000.jpg"


def test_only_the_first_photos_of_a_big_folder_get_a_picture_and_no_huge_file(
    tmp_path: Path,
) -> None:
    (tmp_path / "ปี 2566").mkdir()
    (tmp_path / "empty.jpg").touch()  # nothing to draw
    with (tmp_path / "huge.png").open("wb") as huge:
        huge.truncate(MAX_THUMBNAIL_BYTES + 1)  # sparse: no disk is used
    for index in range(MAX_THUMBNAILS + 40):
        (tmp_path / f"photo{index:05d}.jpg").write_bytes(b"x" * 100)
    listing = read_folder(tmp_path, "photo")
    chosen = thumbnail_entries(listing)
    assert len(chosen) == MAX_THUMBNAILS
    assert chosen[0].name == "photo00000.jpg"  # the first rows shown, in their order
    assert all(not e.is_folder for e in chosen)
    assert {"empty.jpg", "huge.png"}.isdisjoint(e.name for e in chosen)
    assert [e.name for e in thumbnail_entries(listing, limit=2)] == [
        "photo00000.jpg",
        "photo00001.jpg",
    ]


def test_a_missing_folder_and_a_file_say_why(tmp_path: Path) -> None:
    with pytest.raises(FolderError) as missing:
        read_folder(tmp_path / "pulled-out", "folder")
    assert missing.value.code == "missing"
    (tmp_path / "a-file").touch()
    with pytest.raises(FolderError) as not_folder:
        read_folder(tmp_path / "a-file", "folder")
    assert not_folder.value.code == "not_folder"


@pytest.fixture
def open_tmp() -> Iterator[Path]:
    """A folder anyone may walk into (pytest's own are its owner's only)."""
    with tempfile.TemporaryDirectory(prefix="sangsuk-folders-") as name:
        Path(name).chmod(0o755)
        yield Path(name)


def test_a_folder_the_kiosk_may_not_read_says_so(open_tmp: Path) -> None:
    """chmod does not stop root: as root the check runs as nobody, in a child process."""
    locked = open_tmp / "locked"
    locked.mkdir()
    locked.chmod(0o000)
    (open_tmp / "เปิดได้").mkdir()
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from kiosk.folders import FolderError, read_folder\n"
        "print([e.name for e in read_folder(Path(sys.argv[1]), 'folder').entries])\n"
        "try:\n"
        "    read_folder(Path(sys.argv[1]) / 'locked', 'folder')\n"
        "except FolderError as exc:\n"
        "    print(exc.code)\n"
    )
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root, and no setpriv to become nobody")
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    done = subprocess.run(
        [*prefix, sys.executable, "-c", code, str(open_tmp)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["['locked', 'เปิดได้']", "denied"]


def test_the_places_are_the_sticks_then_home_then_the_whole_computer(tmp_path: Path) -> None:
    sticks = [Drive(tmp_path / "b", "SANDISK", 10, 20), Drive(tmp_path / "a", "KINGSTON", 5, 9)]
    home = tmp_path / "home" / "clerk"
    found = places(sticks, home)
    assert [(p.kind, p.name) for p in found] == [
        ("drive", "KINGSTON"),
        ("drive", "SANDISK"),
        ("home", "clerk"),
        ("computer", home.anchor),
    ]
    assert found[0].free_bytes == 5
    assert found[-1].path == Path(home.anchor)


def test_a_folder_is_named_from_the_deepest_place_that_holds_it(tmp_path: Path) -> None:
    # A stick mounted inside the home folder is still the stick, not "home › media › …".
    home = tmp_path / "home" / "clerk"
    stick = home / "media" / "KINGSTON"
    found = places([Drive(stick, "KINGSTON", 5, 9)], home)
    assert place_holding(stick / "ส่งอำเภอ", found) == found[0]
    assert place_holding(stick, found) == found[0]
    assert place_holding(home / "เอกสาร", found) == found[1]
    assert place_holding(tmp_path / "elsewhere", found) == found[2]  # the computer's top
    assert place_holding(tmp_path, [found[0]]) is None


def test_a_drive_detector_that_fails_leaves_home_and_the_computer(tmp_path: Path) -> None:
    def failing() -> list[Drive]:
        raise OSError("no /proc/mounts")

    assert [p.kind for p in find_places(failing, tmp_path)] == ["home", "computer"]


def test_the_breadcrumb_and_up_stay_within_the_place(stick: Path) -> None:
    place = Place(stick, "drive", "KINGSTON", 100)
    deep = stick / "รูปถ่าย" / "2567"
    assert trail(place, deep) == ("รูปถ่าย", "2567")
    assert trail(place, stick) == ()
    assert parent_in(place, deep) == stick / "รูปถ่าย"
    assert parent_in(place, stick / "รูปถ่าย") == stick
    assert parent_in(place, stick) is None  # Up from the stick itself: back to the places
    computer = Place(Path(stick.anchor), "computer", stick.anchor)
    assert parent_in(computer, Path(stick.anchor)) is None
    assert trail(computer, stick)[-1] == "KINGSTON"


def test_sizes_read_as_people_read_them() -> None:
    assert size_text(850) == "850 B"
    assert size_text(12_700) == "12.4 KB"
    assert size_text(3_250_000) == "3.1 MB"
    assert size_text(7_400_000_000) == "6.9 GB"
