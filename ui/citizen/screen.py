"""What every question screen of the citizen's flow shares: Back, progress, the display bar, the question."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.flow import View
from kiosk.speech import Spoken
from ui.citizen.display_bar import DisplayBar
from ui.i18n import LanguageSwitcher, fill
from ui.widgets.buttons import TouchButton
from ui.widgets.focus import scroll_into_view
from ui.widgets.labels import WrapLabel
from ui.widgets.room import Yielding, give_way
from ui.widgets.sizes import gap_px
from ui.widgets.style import KEYBOARD_USE_PROPERTY, window_flag

QUESTIONS: Final = 3  # rating, who served you, what impressed you (until the flow's view says)
SCREEN_MARGIN_PX: Final = 32


class CitizenScreen(QWidget):
    """A screen of the flow: a header (Back, "question n of 3", the display bar) above its content.

    Subclasses fill ``content`` and override ``show_view`` (render the flow's view),
    ``first_choice`` (where keyboard focus starts) and ``spoken`` (what the speaker reads).
    """

    back_requested = Signal()
    spoken_changed = Signal()  # what the screen reads aloud changed without a new flow step

    def __init__(
        self,
        switcher: LanguageSwitcher,
        *,
        name: str,
        question: int | None = None,
        with_back: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("citizenScreen", True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._switcher = switcher
        self._question = question
        # (this question's number, how many): the view's, as "who served you" may be skipped.
        self._progress = (question, QUESTIONS) if question is not None else None

        self.bar = DisplayBar(switcher, self)
        self.back_button = TouchButton("back", self)
        self.back_button.setObjectName("backButton")
        self.back_button.setVisible(with_back)
        self.back_button.clicked.connect(self.go_back)
        self.progress = QLabel(self)
        self.progress.setObjectName("progress")
        self.progress.setTextFormat(Qt.TextFormat.PlainText)
        self.progress.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        self.progress.setVisible(question is not None)

        self.header = header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.setSpacing(gap_px(self, 16))
        header.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addStretch(1)
        header.addWidget(self.bar, 0, Qt.AlignmentFlag.AlignVCenter)
        # When Back, the progress and the bar do not fit on one line (large text, English), the
        # bar moves to a line of its own under them rather than squeezing its buttons' words.
        self.bar_row = QHBoxLayout()
        self.bar_row.setContentsMargins(0, 0, 0, 0)
        self.bar_row.addStretch(1)
        self._header_wrapped = False
        # While the keyboard shows on a short screen the bar steps aside (ImpressionScreen).
        self._bar_gives_way = False

        self.content = QVBoxLayout()
        self.content.setContentsMargins(0, 0, 0, 0)
        self.content.setSpacing(gap_px(self, 16))
        self.root = root = QVBoxLayout(self)
        root.setContentsMargins(SCREEN_MARGIN_PX, 20, SCREEN_MARGIN_PX, 24)
        root.setSpacing(gap_px(self, 16))
        root.addLayout(header)
        root.addLayout(self.bar_row)
        # "No voice for this language" takes a line of its own under the bar, never over text;
        # when the bar has a line of its own, the note takes the progress's place above it.
        self.notice = self.bar.speech_notice
        root.addWidget(self.notice)
        root.addLayout(self.content, 1)
        self.notice.installEventFilter(self)
        # What gives way on a short screen (the question's hint), first first: see ui/widgets/room.py.
        self.yielding: tuple[Yielding, ...] = ()

    def header_wrapped(self) -> bool:
        """Tell whether the display bar sits on a line of its own under Back and the progress."""
        return self._header_wrapped

    def _fit_header(self) -> None:
        """Put the display bar beside Back and the progress if it fits there, else under them."""
        outer, inner = self.root.contentsMargins(), self.header.contentsMargins()
        room = self.width() - outer.left() - outer.right() - inner.left() - inner.right()
        beside = [
            w.sizeHint().width()
            for w in (self.back_button, self.progress)
            if not w.isHidden() and self.header.indexOf(w) >= 0
        ]
        needed = sum(beside) + self.header.spacing() * len(beside) + self.bar.sizeHint().width()
        wrap = needed > room
        away = self._bar_gives_way
        if self.bar.isHidden() != away:
            self.bar.setVisible(not away)
        wrap = wrap and not away
        if wrap == self._header_wrapped:
            return
        self._header_wrapped = wrap
        if wrap:
            self.header.removeWidget(self.bar)
            self.bar_row.setContentsMargins(inner)
            self.bar_row.addWidget(self.bar, 0, Qt.AlignmentFlag.AlignVCenter)
        else:
            self.bar_row.removeWidget(self.bar)
            self.header.addWidget(self.bar, 0, Qt.AlignmentFlag.AlignVCenter)
        self.root.activate()  # lay out now, not on a later event: the screen may be on show

    def let_bar_give_way(self, give_way: bool) -> None:
        """Let the display bar step aside (the keyboard needs its room), or bring it back."""
        if give_way != self._bar_gives_way:
            self._bar_gives_way = give_way
            self._fit_header()

    def _place_notice(self) -> None:
        """Put the "no voice" note in the header, instead of the progress, when the bar has a
        line of its own (the header has room then); else on a line of its own under the bar."""
        notice = self.notice
        into_header = self._header_wrapped and notice.isVisibleTo(self)
        in_header = self.header.indexOf(notice) >= 0
        if into_header != in_header:
            if into_header:
                self.root.removeWidget(notice)
                self.header.insertWidget(self.header.indexOf(self.progress) + 1, notice, 100)
            else:
                self.header.removeWidget(notice)
                self.root.insertWidget(self.root.indexOf(self.content), notice)
            self.root.activate()  # lay out now: the note may be on show already
        self.progress.setVisible(
            self._progress_wanted() and not (into_header and notice.isVisibleTo(self))
        )

    def _progress_wanted(self) -> bool:
        """Tell whether "question n of m" is to show (a subclass hides it at times)."""
        return self._question is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Find the note a place when it shows or goes."""
        if watched is self.notice and event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            self._place_notice()
        return False

    def event(self, event: QEvent) -> bool:
        """Fit the header again whenever the sizes of what is in it may have changed."""
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Resize):
            self._fit_header()
            self._place_notice()
            if self.yielding:
                give_way(self.root, self.height(), self.yielding)
        return super().event(event)

    def _text_width(self) -> int:
        """Return the width a full-width text has on this screen (inside the margins)."""
        margins = self.root.contentsMargins()
        return max(1, self.width() - margins.left() - margins.right())

    def hint_yields(self, hint: WrapLabel) -> Yielding:
        """Return the hint under a question as a part that gives way on a short screen."""
        return Yielding(
            # Measured for the screen's width: a hidden label claims no height of its own.
            lambda: hint.lines_height(self._text_width()) + self.content.spacing(),
            lambda: not hint.isHidden(),
            hint.setVisible,
        )

    @property
    def language(self) -> str:
        """Return the language the screen is shown in ("th" or "en")."""
        return self._switcher.language

    def make_label(self, name: str, *, centred: bool = True) -> WrapLabel:
        """Return a wrapping plain-text label styled by its object name."""
        label = WrapLabel(self)
        label.setObjectName(name)
        if centred:
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    def enter(self, view: View) -> None:
        """The flow arrived on this screen: render it and put keyboard focus on the first choice."""
        self.bar.hide_speech_notice()
        self.show_view(view)
        self.focus_first()

    def spoken(self) -> Spoken | None:
        """Return what the speaker button reads: the screen's question, details and choices."""
        return None

    def show_view(self, view: View) -> None:
        """Render what the flow's view says (called on every change and tick)."""
        self.bar.show_session(view.session)
        progress = (view.question, view.questions) if view.question is not None else None
        if self._question is not None and progress is not None and progress != self._progress:
            self._progress = progress
            self._show_progress()

    def go_back(self) -> None:
        """Ask to go back a question."""
        self.back_requested.emit()

    def first_choice(self) -> QWidget | None:
        """Return the control keyboard focus starts on."""
        return None

    def focus_first(self) -> None:
        """Give keyboard focus to the first choice; someone using keys sees it, scrolled into view.

        (Once the screen is laid out: the scroll is left alone for fingers, so a list keeps
        its top, the services above the staff, in view.)
        """
        first = self.first_choice()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            if window_flag(self, KEYBOARD_USE_PROPERTY):
                QTimer.singleShot(0, first, lambda: scroll_into_view(first))

    def retranslate_ui(self) -> None:
        """Set the shared texts in the current language (subclasses add their own)."""
        self.back_button.setText(self.tr("← Back"))
        self.back_button.setAccessibleName(self.tr("Back"))
        self.back_button.setAccessibleDescription(self.tr("Goes back to the previous question"))
        self._show_progress()

    def _show_progress(self) -> None:
        """Write "question n of m" in the current language."""
        if self._progress is not None:
            #: Progress through the survey: %1 is this question's number, %2 how many there are.
            template = self.tr("Question %1 of %2")
            text = fill(template, *(str(n) for n in self._progress))
            self.progress.setText(text)
            self.progress.setAccessibleName(text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Retranslate when the application's language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
