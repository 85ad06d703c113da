"""Logging to a file in the data folder, where a clerk or a technician can find it.

The log files are owner-only (``0600``), as every file in the data folder (wire/files.py): a
log line can quote what a clerk typed or name a staff member.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
from pathlib import Path

from wire.files import keep_folder_private, make_private_dir, private_opener

LOG_DIR_NAME = "logs"


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file, the first and each one after a rollover, is owner-only."""

    def _open(self) -> io.TextIOWrapper:
        # A rotating handler always appends ("a"); only the mode of a new file differs.
        return open(
            self.baseFilename,
            "a",
            encoding=self.encoding,
            errors=self.errors,
            opener=private_opener,
        )


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
        handler = PrivateRotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    keep_folder_private(data_dir)  # after the handler: a file tightened is said in the log
    return path
