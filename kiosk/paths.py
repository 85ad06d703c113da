"""Where the kiosk keeps its files, and keeping that data folder owner-only (wire/files.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

import platformdirs

from wire.files import keep_private

APP_NAME = "sangsuk"
# The folders inside the data folder whose files are tightened too (logs/, photos/).
_PRIVATE_SUBFOLDERS: Final = ("logs", "photos")


def default_data_dir() -> Path:
    """Return the user data folder for the kiosk (e.g. ~/.local/share/sangsuk on Linux)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def keep_folder_private(data_dir: Path) -> None:
    """Tighten every file in the kiosk's data folder, its logs and photos (see the docstring)."""
    for folder in (data_dir, *(data_dir / name for name in _PRIVATE_SUBFOLDERS)):
        try:
            entries = list(os.scandir(folder))
        except OSError:  # not there (yet), or not ours to list: each file is checked on open
            continue
        for entry in entries:
            if entry.is_file(follow_symlinks=False):
                keep_private(Path(entry.path))
