"""Run as a program, as a user who may not read one folder (a test's child: root reads them all).

    python -m tests.ui.clerk.picker_as_nobody TREE

Opens the folder picker on TREE/ลับ (which the test made unreadable), and prints what the clerk
was told as JSON on its last line: {"th", "en", "tone", "rows", "up_rows"}, up_rows being the
rows shown after tapping Up one level.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from kiosk.folders import Place
from ui.clerk.file_picker import FilePicker
from ui.i18n import LanguageSwitcher
from ui.tasks import TaskRunner


def _shown(picker: FilePicker, runner: TaskRunner) -> None:
    """Wait for the folder's answer to come back to the GUI thread."""
    for _ in range(500):
        runner.wait()
        QCoreApplication.processEvents()
        if not picker.loading:
            return
    raise SystemExit("the picker never showed the folder")


def main() -> None:
    """Open the unreadable folder in Thai and English, then go up; print what was shown."""
    tree = Path(sys.argv[1])
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    app = QApplication([])
    switcher = LanguageSwitcher(app, cache_dir=Path(tempfile.mkdtemp()))
    switcher.set_language("th")
    runner = TaskRunner()
    picker = FilePicker("folder", runner, list)
    picker.ask(lambda _path: None)
    _shown(picker, runner)
    picker.place = Place(tree, "home", tree.name)
    picker.open_folder(tree / "ลับ")
    _shown(picker, runner)
    told = {
        "th": picker.message.text(),
        "tone": picker.message.property("tone"),
        "rows": [picker.list.item(i).text() for i in range(picker.list.count())],
    }
    switcher.set_language("en")
    for _ in range(3):  # every widget is told by an event
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()
    told["en"] = picker.message.text()
    picker.go_up()
    _shown(picker, runner)
    told["up_rows"] = [picker.list.item(i).text() for i in range(picker.list.count())]
    print(json.dumps(told, ensure_ascii=False))


if __name__ == "__main__":
    main()
