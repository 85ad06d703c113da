"""The names an update repository is made of, for the central office's release tool, the
collector that serves it and the kiosk that reads it (docs/deploy.md, "Updates").

A repository is a folder with ``metadata/`` (TUF's signed root, timestamp, snapshot and
targets files) and ``targets/`` (one ``sangsuk-kiosk-<version>.tar.gz`` per release and a
``.patch`` from the release before). The collector serves it under ``/updates/``; a USB stick
carries the same folder as ``sangsuk-updates/`` at its top.
"""

from __future__ import annotations

import re
from typing import Final

APP_NAME: Final = "sangsuk-kiosk"  # the archives' name: sangsuk-kiosk-<version>.tar.gz
METADATA_DIR: Final = "metadata"
TARGETS_DIR: Final = "targets"
STICK_FOLDER: Final = "sangsuk-updates"  # on a USB stick, at its top
URL_PREFIX: Final = "/updates"  # the collector's base path: /updates/metadata/, /updates/targets/
# A file name a repository may hold: no folder, no leading dot, nothing but these characters.
FILE_NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,200}")
