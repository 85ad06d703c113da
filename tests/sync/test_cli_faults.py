"""Every fault `verify` can find has words of its own: the English of kiosk/ledger_verify.py,
through the translation files, and Thai for the Thai line."""

from __future__ import annotations

import re
import string

import pytest

from kiosk.ledger_verify import FAULTS, Fault
from ui.cli_faults import WORDS, fault_words
from ui.cli_words import Speaker

THAI = re.compile("[\u0e00-\u0e7f]")


def sample(kind: str) -> Fault:
    """The fault of this kind with a made-up value for each fact its English names."""
    names = [name for _, name, _, _ in string.Formatter().parse(FAULTS[kind]) if name]
    values = {"kind": "trigger", "seq": "7", "error": "disk I/O error"}
    return Fault(
        kind, tuple((name, values.get(name, f"<{name}>")) for name in dict.fromkeys(names))
    )


@pytest.mark.parametrize("kind", sorted(FAULTS))
def test_each_fault_is_said_in_thai_and_in_the_english_verify_gives(kind: str) -> None:
    assert kind in WORDS, f"{kind} has no words in ui/cli_faults.py"
    fault = sample(kind)
    with Speaker() as speaker:
        with speaker.speaking("en"):
            english = fault_words(fault)
        with speaker.speaking("th"):
            thai = fault_words(fault)
    assert english == str(fault)
    assert THAI.search(thai), thai
    assert not THAI.search(english)
    for _, value in fault.facts:  # every fact is named in Thai too
        assert (value if value != "trigger" else "ทริกเกอร์") in thai, (kind, value, thai)


def test_no_words_for_a_fault_that_is_gone() -> None:
    assert sorted(set(WORDS) - set(FAULTS)) == []
