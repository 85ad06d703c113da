"""The clerk's PIN: a digit pad (also used to set and change the PIN) and the unlock screen.

The unlock screen checks the PIN on a worker thread (scrypt takes a moment) and, after five
wrong PINs, shows how long the pad stays locked, counting down each second. The PIN itself
is never shown, only dots.

The keys stand beside what the page says, not below it: a 10.1-inch panel is wide, and on
the 1024×600 one four rows of keys 15 mm tall leave no height for a title, a prompt, the dots,
a message and a button above or below them (issue 16).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPalette, QPen, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QGridLayout,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.pin import MAX_PIN_DIGITS, MIN_PIN_DIGITS, PinCheck, PinError, PinStore
from ui.clerk.text import pin_problem
from ui.clerk.widgets import ClerkPage, set_message, spaced
from ui.i18n import fill
from ui.tasks import TaskRunner
from ui.widgets.buttons import TouchButton
from ui.widgets.sizes import gap_px, mm_to_px

PIN_KEY_MM: Final = 16.0  # a little more than any control's 15 mm: the PIN is typed fast
PIN_KEY_WIDTH_MM: Final = 22.0
PIN_DOT_MM: Final = 5.0
PIN_DOT_GAP_MM: Final = 3.0  # more than the 2 mm between controls: each dot is counted by eye
PIN_DOT_MARGIN_PX: Final = 6
PIN_DOT_RIM_PX: Final = 2.0
PIN_SIDE_GAP_MM: Final = 8.0  # between the keys and the column beside them
COUNTDOWN_MS: Final = 1000


def countdown_text(seconds: float) -> str:
    """Return m:ss for a countdown (rounded up, so 0:00 shows only when it is over)."""
    whole = max(0, int(-(-seconds // 1)))
    return f"{whole // 60}:{whole % 60:02d}"


class PinDots(QWidget):
    """A dot per digit typed (filled) and one per digit still needed (hollow), 3 mm apart.

    Drawn, not typed as "●○" glyphs: glyphs sit edge to edge and the dots ran together.
    The colour is the stylesheet's ``color`` for ``#pinDots``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinDots")
        self._typed = 0
        self._diameter = 1
        self._gap = 1
        self._measure()

    def _measure(self) -> None:
        """Size the dots for this screen's millimetres."""
        self._diameter = mm_to_px(self, PIN_DOT_MM)
        self._gap = max(gap_px(self), mm_to_px(self, PIN_DOT_GAP_MM))
        self.setFixedHeight(self._diameter + 2 * PIN_DOT_MARGIN_PX)
        self.updateGeometry()

    def set_typed(self, typed: int) -> None:
        """Show typed filled dots (and hollow ones up to the fewest digits a PIN has)."""
        self._typed = typed
        self.update()

    def _count(self) -> int:
        return max(self._typed, MIN_PIN_DIGITS)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Room for the most dots a PIN can have."""
        width = MAX_PIN_DIGITS * (self._diameter + self._gap) - self._gap
        return QSize(width, self._diameter + 2 * PIN_DOT_MARGIN_PX)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """As much as the size hint: a dot is never squeezed into the next."""
        return self.sizeHint()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """The screen (and so the size of a millimetre) may have changed."""
        self._measure()
        super().showEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Draw the dots in a centred row."""
        count, size, gap = self._count(), self._diameter, self._gap
        left = (self.width() - (count * (size + gap) - gap)) // 2
        top = (self.height() - size) // 2
        colour = self.palette().color(QPalette.ColorRole.WindowText)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(colour)
        pen.setWidthF(PIN_DOT_RIM_PX)
        painter.setPen(pen)
        rim = PIN_DOT_RIM_PX / 2
        for index in range(count):
            painter.setBrush(colour if index < self._typed else Qt.BrushStyle.NoBrush)
            x = left + index * (size + gap)
            painter.drawEllipse(QRectF(x + rim, top + rim, size - 2 * rim, size - 2 * rim))
        painter.end()


class PinPad(QWidget):
    """Ten digits, backspace and OK, with a dot per digit typed beside them. Emits ``entered``.

    The keys stand on the right, 2 mm apart; the column on their left holds the dots and what
    the page puts around them (``beside``): its title and prompt above, its message and
    buttons below.
    """

    entered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinPad")
        self._digits = ""
        self._locked = False
        self.dots = PinDots(self)
        self.keys: dict[str, TouchButton] = {}
        grid = spaced(QGridLayout(), self)
        for index, digit in enumerate("123456789"):
            self._add_key(grid, digit, index // 3, index % 3)
        self.back_key = self._add_key(grid, "⌫", 3, 0, name="pinBackspace")
        self._add_key(grid, "0", 3, 1)
        self.ok_key = self._add_key(grid, "OK", 3, 2, name="pinOk", kind="primary")
        self.back_key.clicked.connect(self.backspace)
        self.ok_key.clicked.connect(self.submit)
        self.side = spaced(QVBoxLayout(), self)
        self.side.addStretch(1)
        self.side.addWidget(self.dots)
        self.side.addStretch(1)
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.addLayout(self.side, 1)
        self._row.addLayout(grid)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # No taller than its keys need: spare height stays around the pad, not between its rows.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._measure()
        self._show()
        self.retranslate_ui()

    def beside(self, above: Sequence[QWidget], below: Sequence[QWidget] = ()) -> None:
        """Show the page's widgets in the column beside the keys: above or below the dots.

        Buttons keep their own width, in the middle of the column; texts take its width.
        """
        for widget in above:
            self.side.insertWidget(self.side.indexOf(self.dots), widget)
        at = self.side.indexOf(self.dots) + 1
        for offset, widget in enumerate(below):
            if isinstance(widget, QAbstractButton):
                self.side.insertWidget(at + offset, widget, 0, Qt.AlignmentFlag.AlignHCenter)
            else:
                self.side.insertWidget(at + offset, widget)

    def _measure(self) -> None:
        """Size the keys and the room beside them for this screen's millimetres."""
        self._row.setSpacing(mm_to_px(self, PIN_SIDE_GAP_MM))
        width = mm_to_px(self, PIN_KEY_WIDTH_MM)
        for key in (*self.keys.values(), self.back_key, self.ok_key):
            key.setMinimumWidth(width)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """The screen (and so the size of a millimetre) may have changed."""
        self._measure()
        super().showEvent(event)

    def _add_key(
        self,
        grid: QGridLayout,
        label: str,
        row: int,
        column: int,
        *,
        name: str | None = None,
        kind: str = "pinKey",
    ) -> TouchButton:
        key = TouchButton(kind, self)
        key._min_mm = PIN_KEY_MM
        key.setObjectName(name or f"pinKey{label}")
        key.setText(label)
        if name is None:
            key.clicked.connect(lambda _=False, d=label: self.type_digit(d))
            self.keys[label] = key
        grid.addWidget(key, row, column)
        return key

    def digits(self) -> int:
        """How many digits are typed."""
        return len(self._digits)

    def type_digit(self, digit: str) -> None:
        """Add a digit (at most MAX_PIN_DIGITS)."""
        if len(self._digits) < MAX_PIN_DIGITS and digit in "0123456789" and len(digit) == 1:
            self._digits += digit
            self._show()

    def type_pin(self, pin: str) -> None:
        """Tap each digit of pin (tests and screenshots)."""
        for digit in pin:
            self.keys[digit].click()

    def backspace(self) -> None:
        """Remove the last digit."""
        self._digits = self._digits[:-1]
        self._show()

    def clear(self) -> None:
        """Forget what was typed."""
        self._digits = ""
        self._show()

    def submit(self) -> None:
        """Hand the digits over (only when there are enough) and clear the pad."""
        if self._locked or len(self._digits) < MIN_PIN_DIGITS:
            return
        pin, self._digits = self._digits, ""
        self._show()
        self.entered.emit(pin)

    def set_locked(self, locked: bool) -> None:
        """Refuse every key while locked or checking."""
        self._locked = locked
        for key in (*self.keys.values(), self.back_key):
            key.setEnabled(not locked)
        self._show()

    def _show(self) -> None:
        self.dots.set_typed(len(self._digits))
        if hasattr(self, "ok_key"):
            self.ok_key.setEnabled(not self._locked and len(self._digits) >= MIN_PIN_DIGITS)
        self.dots.setAccessibleName(fill(self.tr("%1 digits typed"), str(len(self._digits))))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Digits, Backspace and Enter from a physical keyboard."""
        text = event.text()
        if text and text in "0123456789":
            self.type_digit(text)
        elif event.key() == Qt.Key.Key_Backspace:
            self.backspace()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        else:
            super().keyPressEvent(event)

    def retranslate_ui(self) -> None:
        """Set the texts in the current language."""
        self.ok_key.setText(self.tr("OK"))
        self.ok_key.setAccessibleName(self.tr("Enter the PIN"))
        self.back_key.setAccessibleName(self.tr("Delete the last digit"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Retranslate when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


class PinScreen(ClerkPage):
    """Enter the clerk PIN; locked for a while after five wrong ones."""

    unlocked = Signal()

    def __init__(self, pins: PinStore, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__("pinScreen", parent)
        self._pins = pins
        self._runner = runner
        self._checking = False
        self.prompt = self.label("clerkPrompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = self.label("clerkMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pad = PinPad(self)
        self.pad.entered.connect(self._check)
        self.countdown = QTimer(self)
        self.countdown.setObjectName("pinCountdown")
        self.countdown.setInterval(COUNTDOWN_MS)
        self.countdown.timeout.connect(self.show_lock)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.root.removeWidget(self.title)
        # No "Back to the kiosk" of its own: the top bar's, at the same place on every clerk page,
        # is the one (two on one screen made the clerk wonder which to press).
        self.pad.beside([self.title, self.prompt], [self.message])
        self.root.addStretch(1)
        self.root.addWidget(self.pad)
        self.root.addStretch(1)
        set_message(self.message, "")
        self.retranslate_ui()

    def refresh(self) -> None:
        """A fresh pad; the lock (if any) and a damaged PIN file show at once."""
        self.pad.clear()
        set_message(self.message, "")
        if self._pins.damaged is not None:
            self.pad.set_locked(True)
            set_message(self.message, pin_problem("damaged"), tone="error")
            return
        self.show_lock()
        self.pad.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_lock(self) -> None:
        """Show the countdown while locked; open the pad when it ends."""
        left = self._pins.locked_for()
        if left > 0:
            self.pad.set_locked(True)
            #: The PIN pad is locked after wrong PINs; %1 is the time left, such as 0:28.
            template = self.tr("Too many wrong PINs. Try again in %1")
            set_message(self.message, fill(template, countdown_text(left)), tone="error")
            if not self.countdown.isActive():
                self.countdown.start()
            return
        if self.countdown.isActive():
            self.countdown.stop()
            set_message(self.message, self.tr("You can try again now."), tone="info")
        self.pad.set_locked(self._checking)

    def _check(self, pin: str) -> None:
        if self._checking:
            return
        self._checking = True
        self.pad.set_locked(True)
        set_message(self.message, self.tr("Checking…"), tone="info")
        pins = self._pins
        self._runner.submit(lambda _progress: pins.check(pin), self._answered, self._failed)

    def _answered(self, result: PinCheck) -> None:
        self._checking = False
        if result.ok:
            set_message(self.message, "")
            self.pad.set_locked(False)
            self.unlocked.emit()
            return
        if result.locked_for_s > 0:
            self.show_lock()
            return
        #: A wrong clerk PIN; %1 is how many more tries are allowed before the pad locks.
        template = self.tr("Wrong PIN. %1 more tries before the pad locks for a while.")
        set_message(self.message, fill(template, str(result.attempts_left)), tone="error")
        self.pad.set_locked(False)

    def _failed(self, exc: BaseException) -> None:
        self._checking = False
        code = exc.code if isinstance(exc, PinError) else "error"
        set_message(self.message, pin_problem(code), tone="error")
        self.pad.set_locked(code != "damaged")

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.title.setText(self.tr("District clerk"))
        self.prompt.setText(self.tr("Enter the clerk PIN"))
        if self.countdown.isActive():
            self.show_lock()
