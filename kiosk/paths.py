"""Where the kiosk keeps its files."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "sangsuk"


def default_data_dir() -> Path:
    """Return the user data folder for the kiosk (e.g. ~/.local/share/sangsuk on Linux)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
