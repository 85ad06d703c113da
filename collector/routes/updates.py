"""The kiosk update repository, served read-only: /updates/metadata/<file> and /updates/targets/<file>.

Only when the setting names a folder ($SANGSUK_UPDATES_DIR, collector/settings.py): the
central office's `sangsuk-release` repository (metadata/ and targets/, docs/deploy.md
"Updates"). Everything else is a 404: the setting unset, a folder asked for (no listing), a
name with a slash, a leading dot or other characters (wire/updates.py's FILE_NAME), a link
or anything that resolves outside the folder. The files are signed by the central office and
checked by every kiosk; serving them needs no login and reveals nothing (promise 11).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

from collector.deps import SettingsDep
from wire.updates import FILE_NAME, METADATA_DIR, TARGETS_DIR, URL_PREFIX

MEDIA_TYPES: Final = {METADATA_DIR: "application/json", TARGETS_DIR: "application/octet-stream"}
log = logging.getLogger(__name__)

router = APIRouter(prefix=URL_PREFIX, include_in_schema=False)


def _file(updates_dir: Path | None, folder: str, name: str) -> Path:
    """The served file folder/name, or HTTPException 404."""
    if updates_dir is None or not FILE_NAME.fullmatch(name):
        raise HTTPException(404)
    base = (updates_dir / folder).resolve()
    path = base / name
    if path.is_symlink() or not path.is_file() or path.resolve().parent != base:
        raise HTTPException(404)
    return path


@router.get("/metadata/{name}")
async def metadata(name: str, settings: SettingsDep) -> FileResponse:
    """One signed metadata file (root.json, 2.root.json, timestamp.json, ...)."""
    path = _file(settings.updates_dir, METADATA_DIR, name)
    # Metadata changes with every signing: a cache must ask again each time.
    return FileResponse(
        path, media_type=MEDIA_TYPES[METADATA_DIR], headers={"Cache-Control": "no-cache"}
    )


@router.get("/targets/{name}")
async def target(name: str, settings: SettingsDep) -> FileResponse:
    """One release archive or patch (sangsuk-kiosk-<version>.tar.gz / .patch)."""
    path = _file(settings.updates_dir, TARGETS_DIR, name)
    return FileResponse(path, media_type=MEDIA_TYPES[TARGETS_DIR])
