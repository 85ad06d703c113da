"""Run as a program on a real X server: tap the settings' address and token fields with the X
pointer (xdotool), as a finger's tap arrives on a tablet, and type on the on-screen keyboard.

    DISPLAY=:N QT_QPA_PLATFORM=xcb python -m tests.ui.clerk.tap_on_x DATA_DIR

Prints on its last line, as JSON, what each tap gave: which field had focus, which field the
keyboard typed into, and the text that landed. (Offscreen, the press of QTest.mouseClick on a
line edit in a page that scrolls never arrives, so a tap is checked here on a real server.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QEventLoop
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.config import load_config
from kiosk.flow import Flow, FlowSettings
from tests.fakes import FakeClock
from tests.ui.clerk.helpers import PIN, set_up
from ui.i18n import LanguageSwitcher
from ui.startup import build_main_window

WAIT_MS = 10_000


def wait_until(condition: Callable[[], object]) -> bool:
    """Process events until condition() is true (True) or WAIT_MS pass (False)."""
    deadline = QDeadlineTimer(WAIT_MS)
    while not condition():
        if deadline.hasExpired():
            return False
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    return True


def tap(widget: QWidget) -> None:
    """Move the X pointer to the middle of widget as drawn now, and click there.

    The screen is first laid out and painted as the clerk would see it (a layout change is a
    posted event: the widget's place is not final before).
    """
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    centre = widget.mapToGlobal(widget.rect().center())
    subprocess.run(
        ["xdotool", "mousemove", "--sync", str(centre.x()), str(centre.y()), "click", "1"],
        check=True,
    )


def main() -> None:
    """Open the clerk's settings at 1024×600, tap each field, type; print what happened."""
    data_dir = Path(sys.argv[1])
    app = QApplication(sys.argv)
    clock = FakeClock()
    set_up(data_dir, clock)
    switcher = LanguageSwitcher(app)
    switcher.set_language("th")
    config = load_config(data_dir)
    flow = Flow(config.district, clock, FlowSettings(default_language="th"))
    window = build_main_window(config, switcher, windowed=True, flow=flow, data_dir=data_dir)
    window.timer.stop()
    window.setGeometry(0, 0, 1024, 600)
    window.show()
    QTest.qWaitForWindowExposed(window)
    window.open_clerk()
    area = window.clerk
    assert area is not None
    area.pin_screen.pad.type_pin(PIN)
    area.pin_screen.pad.ok_key.click()
    assert wait_until(lambda: area.current_page() is area.dashboard)
    assert wait_until(lambda: not area.runner.busy())
    area.nav[area.settings].click()
    screen = area.settings
    assert wait_until(screen.url.isVisible)
    window.activateWindow()  # as the kiosk's session does (an X server alone does not)
    told: dict[str, object] = {"active": wait_until(window.isActiveWindow)}
    for field, text in ((screen.url, "http://127.0.0.1:9"), (screen.token, "ABCD1234")):
        tap(field)
        wait_until(lambda f=field: area.keyboard.field is f)
        area.keyboard.type_text(text)
        focus = QApplication.focusWidget()
        told[field.objectName()] = {
            "focus": focus.objectName() if focus is not None else None,
            "typing_into": area.keyboard.field.objectName() if area.keyboard.field else None,
            "text": field.text(),
        }
        # Above the keyboard a 1024x600 panel shows the one row typed in: the clerk hides it
        # to reach the next field, by tapping "Hide keyboard".
        tap(area.keyboard.hide_button)
        wait_until(lambda: not area.keyboard.isVisible())
    told["url_after_token"] = screen.url.text()
    window.clerk.shutdown()
    window.allow_close()
    window.close()
    print(json.dumps(told))


if __name__ == "__main__":
    main()
