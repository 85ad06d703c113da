"""Logging to a file in the data folder, where a clerk or a technician can find it."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_DIR_NAME = "logs"


def setup_logging(data_dir: Path, level: int = logging.INFO) -> Path | None:
    """Send log records to data_dir/logs/kiosk.log (rotated); return the file, or None if unwritable."""
    root = logging.getLogger()
    root.setLevel(level)
    path = data_dir / LOG_DIR_NAME / "kiosk.log"
    for handler in root.handlers:
        if (
            isinstance(handler, logging.handlers.RotatingFileHandler)
            and Path(handler.baseFilename) == path
        ):
            return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return path
