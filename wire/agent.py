"""The kiosk's software version as it tells the collector: ``User-Agent: sangsuk-kiosk/<v>``.

The kiosk's sender names its version on every request (sync/uploader.py); the collector keeps
the last one that came with an accepted network batch, so the central office sees a rollout
(docs/protocol.md, "The User-Agent header"). It is advice only: HTTP metadata outside the signed
batch, which anyone on the path could change, so nothing is counted or refused by it. The
collector takes only the strict form below and ignores anything else.
"""

from __future__ import annotations

import re
from typing import Final

AGENT_PREFIX: Final = "sangsuk-kiosk/"
MAX_VERSION_CHARS: Final = 32
_AGENT: Final = re.compile(re.escape(AGENT_PREFIX) + rf"([0-9A-Za-z.+-]{{1,{MAX_VERSION_CHARS}}})")


def user_agent(version: str) -> str:
    """The User-Agent header a kiosk of this version sends."""
    return AGENT_PREFIX + version


def reported_version(header: str | None) -> str | None:
    """The version a User-Agent header names, or None unless it is exactly the strict form."""
    if header is None:
        return None
    match = _AGENT.fullmatch(header)
    return match.group(1) if match else None
