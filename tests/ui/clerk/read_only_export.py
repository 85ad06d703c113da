"""Run as a program inside a private mount namespace where the stick is read-only (a test's child).

    python -m tests.ui.clerk.read_only_export DATA_DIR STICK QM_CACHE

Shows the clerk's export screen for DATA_DIR with STICK as the one stick the drive detector finds
(the only thing faked), presses Export in Thai and then in English, and prints what the clerk
was told as JSON: {"th": ..., "en": ..., "tone": ..., "files": [...]} on its last line.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.drives import Drive
from ui.clerk.export import ExportScreen
from ui.i18n import LanguageSwitcher
from ui.tasks import TaskRunner


def main() -> None:
    """Export to the read-only stick in both languages; print the messages."""
    data_dir, stick, cache = (Path(arg) for arg in sys.argv[1:4])
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    app = QApplication([])
    switcher = LanguageSwitcher(app, cache_dir=cache)
    runner = TaskRunner()
    drive = Drive(stick, "KINGSTON", 8_000_000_000, 16_000_000_000)
    screen = ExportScreen(data_dir, runner, lambda: [drive])
    screen.scan_drives()  # one stick: chosen
    told = {}
    for language in ("th", "en"):
        switcher.set_language(language)
        screen.export()
        told[language] = screen.message.text()
    told["tone"] = screen.message.property("tone")
    told["files"] = sorted(p.name for p in stick.iterdir())
    switcher.uninstall()
    print(json.dumps(told, ensure_ascii=False))


if __name__ == "__main__":
    main()
