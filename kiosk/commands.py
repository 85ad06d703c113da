"""The kiosk's command-line actions that need no window: demo votes and verification."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import load_config
from kiosk.demo import random_ballot
from kiosk.ledger import LEDGER_FILE_NAME, Ledger
from kiosk.ledger_verify import verify_ledger
from wire import keys


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a command did: its exit code, the lines to print, and a code naming a failure.

    ``code`` is for the clerk's screens, which say the reason in Thai; empty when it went well.
    """

    exit_code: int
    lines: tuple[str, ...]
    code: str = ""


def demo_votes(data_dir: Path, count: int, seed: int | None = None, chunk: int = 1000) -> Outcome:
    """Cast count realistic demo votes through the real ledger, in durable chunks."""
    if count < 1:
        return Outcome(2, ("--count must be at least 1",))
    config = load_config(data_dir)
    key = keys.load_or_create(data_dir)
    rng = random.Random(seed)
    with Ledger.open(data_dir, key) as ledger:
        first = ledger.head()[0] + 1
        left = count
        while left:
            n = min(chunk, left)
            ledger.cast_many([random_ballot(rng, config.district) for _ in range(n)])
            left -= n
        last = ledger.head()[0]
    return Outcome(
        0, (f"cast {count} demo votes for district {config.district}: seq {first}-{last}",)
    )


def verify(data_dir: Path) -> Outcome:
    """Check everything stored in the ledger, read-only: exit 0 when sound, 1 naming the fault."""
    key_path = data_dir / keys.KEY_FILE_NAME
    if not key_path.exists() or not (data_dir / LEDGER_FILE_NAME).exists():
        return Outcome(
            1,
            (
                f"no kiosk ledger in {data_dir} (expected {keys.KEY_FILE_NAME} and {LEDGER_FILE_NAME})",
            ),
        )
    key = keys.load(key_path)
    result = verify_ledger(data_dir / LEDGER_FILE_NAME, key.public_key_raw)
    who = f"kiosk {key.kiosk_id} ({key.fingerprint})"
    if result.ok:
        return Outcome(
            0,
            (
                f"ledger OK: {result.checked} votes; every signature, the chain, every stored"
                " column, the counts, the pending list, every delivery receipt and the schema"
                f" agree, {who}",
                *(f"note: {note}" for note in result.notes),
            ),
        )
    if result.first_bad_seq is not None:
        return Outcome(
            1,
            (
                f"ledger NOT OK at vote {result.first_bad_seq} ({result.where or 'the file'}):"
                f" {result.problem}",
                f"{result.checked} votes before it verified, {who}. Nothing was changed.",
            ),
        )
    return Outcome(
        1,
        (
            f"ledger NOT OK in {result.where or 'the file'}: {result.problem}",
            f"{result.checked} votes verified before that, {who}. Nothing was changed.",
        ),
    )
