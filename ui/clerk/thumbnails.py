"""Small pictures of the photos in the clerk's photo picker (ui/clerk/file_picker.py).

``read_thumbnail`` runs on a TaskRunner thread: it decodes a photo straight to the size of
the picker's icon (QImageReader's scaled size: a JPEG is decoded at that size, not in full,
turned upright as the camera says), centred in a square, and gives a QImage, which may be
made off the GUI thread. Every icon of a list is one square (a row's text starts after its
own icon: a tall and a wide photo, or a folder beside a photo, would start their names at
different places).
The picker turns it into an icon on the GUI thread (a QPixmap may only be made there).
A file that is not really a picture, or is damaged, gives None and a WARNING line; the
picker keeps the plain file icon for it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QImageReader, QPainter, QPixmap

MAX_PIXELS: Final = 60_000_000  # a picture said to be bigger is not decoded (a bomb, a huge scan)
log = logging.getLogger(__name__)


def fitted(size: QSize, box: int) -> QSize:
    """size made to fit in a box x box square, its shape kept (never 0 wide or high)."""
    return size.scaled(box, box, Qt.AspectRatioMode.KeepAspectRatio).expandedTo(QSize(1, 1))


def read_thumbnail(path: Path, box: int) -> QImage | None:
    """path's picture fitted in a box x box square, or None (logged) when it cannot be read."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if not size.isValid() or size.isEmpty():
        why = reader.errorString() if not reader.canRead() else "no size"
        log.warning("the picker shows no picture of %s: %s", path, why)
        return None
    if size.width() * size.height() > MAX_PIXELS:
        log.warning(
            "the picker shows no picture of %s: %dx%d is too big to decode",
            path,
            size.width(),
            size.height(),
        )
        return None
    reader.setScaledSize(fitted(size, box))
    image = reader.read()
    if image.isNull():
        log.warning("the picker shows no picture of %s: %s", path, reader.errorString())
        return None
    return centred(image, box)


def is_picture(path: Path) -> bool:
    """Whether path's content is a picture Qt knows, whatever its name ends in (a text file
    named .png is not)."""
    return QImageReader(str(path)).canRead()


def centred(image: QImage, box: int) -> QImage:
    """image in the middle of a see-through box x box square (QImage: any thread may paint it)."""
    if image.width() == box and image.height() == box:
        return image
    square = QImage(box, box, QImage.Format.Format_ARGB32_Premultiplied)
    square.fill(Qt.GlobalColor.transparent)
    paint = QPainter(square)
    paint.drawImage((box - image.width()) // 2, (box - image.height()) // 2, image)
    paint.end()
    return square


def plain_icon(icon: QIcon, px: int, box: int) -> QIcon:
    """icon drawn px x px in the middle of a box x box square (on the GUI thread).

    Qt's own icons come in a few sizes, and a small one is not enlarged when drawn (the
    computer's icon has none over 32 px), so each is scaled here to match the others."""
    pixmap = icon.pixmap(px, px)
    if pixmap.width() != px and pixmap.height() != px:
        pixmap = pixmap.scaled(
            px,
            px,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    return QIcon(QPixmap.fromImage(centred(pixmap.toImage(), box)))


def thumbnail_icon(image: QImage) -> QIcon:
    """A decoded thumbnail as a row's icon (on the GUI thread)."""
    return QIcon(QPixmap.fromImage(image))
