"""Fixtures of the kiosk's update tests: a central office with two signed releases, and a tablet
installed with the first (tests/updates_repo.py makes both)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.update_install import InstallPaths
from tests.updates_repo import Office, install, make_office


@pytest.fixture
def office(tmp_path: Path) -> Office:
    """The central office with releases 0.1.0 (installed on the tablet) and 0.2.0."""
    office = make_office(tmp_path / "office")
    office.release("0.1.0")
    office.release("0.2.0")
    return office


@pytest.fixture
def tablet(tmp_path: Path, office: Office) -> InstallPaths:
    """A tablet running 0.1.0 from /opt/sangsuk's layout (in tmp_path)."""
    return install(tmp_path / "opt", office.bundles / "0.1.0", "0.1.0")
