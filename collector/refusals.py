"""What a refusal's code means to an officer: the sentence group the console shows for it.

The checker and the store refuse with precise codes (``bad_signature``, ``chain_broken``,
``token_used``...), kept as they are in the audit and the API's answers. An officer needs
fewer, plainer reasons: a batch refused because it was changed after signing is one reason
whichever check found it. ``batch_why`` gives that reason's key for a batch refusal, which the
import page (import.why.<key>) and the audit page (audit.refusal.<key>) put in words, and
`sangsuk-collector recount` for a published file it refuses (``recount_why``).
"""

from __future__ import annotations

from typing import Final

OTHER_WHY: Final = "invalid"  # any code not named below
BATCH_WHY: Final[dict[str, str]] = {
    "too_large": "too_large",
    "too_many_votes": "too_large",
    "unreadable_file": "unreadable",
    "busy": "busy",
    "unknown_kiosk": "unknown_kiosk",
    "revoked": "revoked",
    "district_mismatch": "district",
    **dict.fromkeys(
        ("bad_json", "bad_utf8", "duplicate_key", "bad_number", "not_a_batch", "unreadable"),
        "not_a_batch",
    ),
    **dict.fromkeys(("unsupported_version", "bad_envelope", "no_votes"), "not_a_batch"),
    **dict.fromkeys(
        (
            "bad_signature",
            "bad_batch_signature",
            "hash_mismatch",
            "chain_broken",
            "seq_not_contiguous",
            "foreign_vote",
            "kiosk_key_mismatch",
        ),
        "changed",
    ),
}


# Refusals of other things than batches, each with words of its own (audit.refusal.<code>).
OWN_WORDS: Final = (
    "login_failed",
    "login_locked",
    "code_wrong",  # the second step at login (collector/auth/second_step.py)
    "code_replayed",
    "recovery_code_used",
    "already_announced",
    "bad_public_key",
    "no_token",
    "token_unknown",
    "token_used",
    "token_other_district",
    "already_enrolled",
    "wrong_collector",
    "malformed",
    # a logged-in operator refused at the console (collector/auth/web.py audit_refusal)
    "role_page",
    "role_action",
    "csrf",
)


# The sentence (import.request_why.<key>) said for an enrollment request refused with a code, by
# the import page (collector/routes/enroll_import.py) and `sangsuk-collector import`; any other
# code is "invalid".
REQUEST_WHY: Final = {
    "no_token": "no_token",
    "token_unknown": "token_unknown",
    "token_used": "token_used",
    "token_other_district": "other_district",
    "already_enrolled": "other_district",
    "revoked": "revoked",
    "bad_signature": "changed",
    "too_large": "invalid",
}


def batch_why(code: str) -> str:
    """The reason's key for a batch refused with code (a code may carry ``:detail``)."""
    return BATCH_WHY.get(code.split(":")[0], OTHER_WHY)


# The checker's codes for an envelope or a vote that no kiosk writes: the console says "not a
# valid batch" for them (OTHER_WHY), a recount of a published file that it is damaged.
DAMAGED: Final = ("bad_public_key", "bad_range", "bad_made_at", "bad_vote")


def recount_why(code: str) -> str:
    """The reason's key (under audit.refusal.) for a published file the checker refused."""
    return "not_a_batch" if code.split(":")[0] in DAMAGED else batch_why(code)


def refusal_words_key(code: str) -> str | None:
    """The audit's key (under audit.refusal.) for a refusal's code, None for an unknown code."""
    if code in OWN_WORDS:
        return code
    if code.split(":")[0] in BATCH_WHY:
        return batch_why(code)
    return None
