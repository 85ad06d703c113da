"""The properties on the kiosk window that the stylesheet scopes its rules by, and re-polishing.

Large text, high contrast and keyboard use are properties of the window
(ui/assets/styles/kiosk.qss selects on them); a widget styled by a property it just changed must
be polished again.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QWidget,
)

# Properties on the kiosk window that the stylesheet scopes rules by.
LARGE_TEXT_PROPERTY: Final = "largeText"
HIGH_CONTRAST_PROPERTY: Final = "highContrast"
KEYBOARD_USE_PROPERTY: Final = "keyboardUse"  # focus outlines only for people using keys


def repolish(widget: QWidget) -> None:
    """Apply the stylesheet again to a widget and everything in it (a property it is styled by changed)."""
    everything = (widget, *widget.findChildren(QWidget))
    for each in everything:
        style = each.style()
        style.unpolish(each)
        style.polish(each)
        each.update()
    for each in everything:
        if isinstance(each, QAbstractScrollArea):  # scroll bars may have changed their width
            QCoreApplication.sendEvent(each, QEvent(QEvent.Type.StyleChange))


def set_style_property(widget: QWidget, name: str, value: object, *, deep: bool = False) -> bool:
    """Set a property the stylesheet selects on and re-polish; return whether it changed."""
    if widget.property(name) == value:
        return False
    widget.setProperty(name, value)
    if deep:
        repolish(widget)
    else:
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)
        widget.update()
    return True


def window_flag(widget: QWidget, name: str) -> bool:
    """Return a boolean style property of the widget's window (large text, high contrast, keys)."""
    return widget.window().property(name) is True
