"""Room on a short screen: decorations give way before any text or control is squeezed.

On the smallest panel with large text, a screen's words and buttons alone can fill its height.
A layout short of room squeezes everything alike and texts end up over each other; instead, the
parts that only decorate (the welcome's sun, the notice mark, room kept for a message that is not
showing) are given up, in the order the screen lists them, and come back when the room does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QLayout


@dataclass(frozen=True)
class Yielding:
    """A part that can give way: what it costs in height, whether it is on, how to turn it."""

    cost: Callable[[], int]
    is_on: Callable[[], bool]
    turn: Callable[[bool], None]


def give_way(layout: QLayout, room: int, parts: Sequence[Yielding]) -> None:
    """Turn off the parts, first first, until the layout's minimum height fits in room.

    Parts that fit again are turned back on, last first. The arithmetic is done on the costs,
    so a call turns each part at most once and leaves the same state however often it runs.
    """
    if room <= 0:
        return
    base = layout.minimumSize().height() - sum(p.cost() for p in parts if p.is_on())
    need = base + sum(p.cost() for p in parts)
    wanted = []
    for part in parts:  # give up the first parts until what is left fits
        on = need <= room
        wanted.append(on)
        if not on:
            need -= part.cost()
    for part, on in zip(parts, wanted, strict=True):
        if part.is_on() != on:
            part.turn(on)
