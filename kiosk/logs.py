"""Logging to a file in the data folder, where a clerk or a technician can find it.

The log files are owner-only (``0600``), as every file in the data folder (wire/files.py): a
log line can quote what a clerk typed or name a staff member.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from kiosk.paths import keep_folder_private
from wire.files import PrivateRotatingFileHandler, make_private_dir

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
        make_private_dir(data_dir)  # usually the first thing made in a new data folder
        make_private_dir(path.parent)
        handler = PrivateRotatingFileHandler(path)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    keep_folder_private(data_dir)  # after the handler: a file tightened is said in the log
    return path
