"""The collector's reply to enrolling over the network, checked before anything is changed.

The reply names the district, size group and collector key in plain members (docs/protocol.md
5.3) and, from a collector of document version 3 on, the same enrollment signed by the
collector key as ``answer`` (5.8). The kiosk takes the values only when the signed answer
verifies, binds this kiosk's key, is signed by the collector already trusted if there is one,
and agrees with the plain members. A reply without ``answer`` is refused like a forged one:
taking it would let whoever can strip the answer on the way (a broken TLS) choose the key the
kiosk pins.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from kiosk.config import ConfigError, KioskConfig
from wire.canonical import canonical_json
from wire.districts import SIZE_GROUPS, valid_district
from wire.enrollment import EnrollFileError, check_answer
from wire.keys import kiosk_id_for

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReplyProblem:
    """Why the reply is refused: ``bad_response`` (malformed) or ``bad_answer`` (the signed
    answer does not verify or does not match), and the words for the clerk."""

    code: str
    message: str


def read_reply(
    reply: dict[str, Any], public_key: str, pinned_collector_key: str | None
) -> tuple[str, str, str] | ReplyProblem:
    """(district, size group, collector key hex) from the collector's reply, or why not."""
    plain = _plain(reply, kiosk_id_for(bytes.fromhex(public_key)))
    if isinstance(plain, str):
        return ReplyProblem("bad_response", plain)
    if "answer" not in reply:
        log.warning("the collector's reply to enrollment carries no signed answer: refused")
        return ReplyProblem(
            "bad_answer",
            "The collector's reply carries no signed answer: enrollment was not completed.",
        )
    try:
        signed = check_answer(
            canonical_json(reply["answer"]), public_key, pinned_collector_key=pinned_collector_key
        )
    except (EnrollFileError, TypeError, ValueError) as exc:
        code = exc.code if isinstance(exc, EnrollFileError) else "malformed"
        message = exc.message if isinstance(exc, EnrollFileError) else str(exc)
        log.warning("the collector's signed enrollment answer was refused (%s): %s", code, message)
        return ReplyProblem("bad_answer", f"The collector's signed answer was refused: {message}.")
    if (signed.district, signed.size_group, signed.collector_key) != plain:
        return ReplyProblem("bad_answer", "The collector's signed answer does not match its reply.")
    return plain


def _plain(reply: dict[str, Any], kiosk_id: str) -> tuple[str, str, str] | str:
    """The plain members (district, size group, collector key hex), or what is wrong."""
    district, group, key = (
        reply.get("district"),
        reply.get("size_group"),
        reply.get("collector_key"),
    )
    if reply.get("kiosk") != kiosk_id:
        return "The collector's answer names another kiosk: enrollment was not completed."
    if not isinstance(district, str) or not valid_district(district):
        return f"The collector's answer names an unknown district ({district!r})."
    if group not in SIZE_GROUPS or not isinstance(group, str):
        return f"The collector's answer names an unknown size group ({group!r})."
    try:
        KioskConfig(collector_key=key)
    except ConfigError:
        return "The collector's answer does not carry a valid collector key."
    assert isinstance(key, str)  # checked by KioskConfig
    return district, group, key
