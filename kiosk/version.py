"""Which version of the kiosk program runs here: the package metadata the bundle carries.

Kept apart from kiosk/updates.py so that the sender can name its version to the collector
(sync/uploader.py) without loading the update machinery.
"""

from __future__ import annotations

import importlib.metadata


def running_version() -> str:
    """This program's version (the bundle carries the package metadata: deploy/sangsuk-kiosk.spec)."""
    try:
        return importlib.metadata.version("sangsuk")
    except importlib.metadata.PackageNotFoundError:
        return "0"
