"""Build tests/vectors/batches.json: signed batch and receipt test vectors for docs/protocol.md.

Run from the project root (after make_vote_vectors.py, whose votes the batches carry):

    uv run python tests/vectors/make_batch_vectors.py

Everything is made with the project's own code: votes with ``wire.vote.sign_vote``, batches with
``wire.batch.build_batch``, receipts by a real ``CollectorStore`` replaying the scenarios below
and signed with ``wire.receipt.sign_receipt``. The seeds and times are fixed and Ed25519 is
deterministic (RFC 8032), so the output is the same on every run; tests/wire/test_batch_vectors.py
checks that the committed file still equals what this script builds and recomputes every value
independently of wire.batch.

Every expected outcome (problem codes, receipt ranges) is written out below by hand and the script
stops if the code disagrees: the vectors record what docs/protocol.md says, checked against what
the code does, never merely what the code happens to do.

The seeds are TEST-ONLY keys, published here on purpose. No kiosk or collector may ever use them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: make the project's packages importable
    sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from collector.store import CollectorStore  # noqa: E402
from tests.fakes import FakeClock  # noqa: E402
from wire.batch import (  # noqa: E402
    BATCH_DOMAIN,
    DEFAULT_BATCH_VOTES,
    MAX_BATCH_BYTES,
    MAX_BATCH_VOTES,
    build_batch,
    check_batch,
)
from wire.canonical import canonical_json  # noqa: E402
from wire.keys import kiosk_id_for  # noqa: E402
from wire.receipt import RECEIPT_DOMAIN, Receipt, check_receipt, sign_receipt  # noqa: E402
from wire.vote import Ballot, Target, Vote, genesis_prev, sign_vote  # noqa: E402

HERE: Final = Path(__file__).resolve().parent
OUTPUT: Final = HERE / "batches.json"
VOTES_FILE: Final = HERE / "votes.json"

# TEST-ONLY seeds. Never use them for a real kiosk or collector.
KIOSK_SEED: Final = bytes(range(32))  # 00 01 .. 1f: the key of tests/vectors/votes.json
OTHER_KIOSK_SEED: Final = bytes(range(32, 64))  # 20 21 .. 3f: another kiosk of the same office
COLLECTOR_SEED: Final = b"\x42" * 32

MADE_AT: Final = "2026-11-24T05:00:00.000Z"
DISTRICT: Final = "3706"
SIZE_GROUP: Final = "small"

Problems = list[tuple[str, int | None]]


# --- votes -------------------------------------------------------------------------------------


def _load_vote_generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_vote_vectors", HERE / "make_vote_vectors.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _chain(
    key: Ed25519PrivateKey, first_seq: int, prev: str, ballots: list[tuple[str, Ballot]]
) -> list[Vote]:
    kiosk = kiosk_id_for(key.public_key().public_bytes_raw())
    votes = []
    for offset, (cast_at, ballot) in enumerate(ballots):
        vote = sign_vote(key, kiosk, first_seq + offset, cast_at, prev, ballot)
        votes.append(vote)
        prev = vote.hash()
    return votes


def _kiosk_votes(key: Ed25519PrivateKey) -> list[Vote]:
    """The four votes of tests/vectors/votes.json, signed again; they must be the same bytes."""
    generator = _load_vote_generator()
    votes = _chain(
        key,
        1,
        genesis_prev(key.public_key().public_bytes_raw()),
        [(cast_at, ballot) for _, _, cast_at, ballot, _ in generator.VOTES],
    )
    recorded = json.loads(VOTES_FILE.read_text(encoding="utf-8"))["votes"]
    if [v.signed_bytes().hex() for v in votes] != [r["signed_bytes_hex"] for r in recorded]:
        raise AssertionError("votes.json is stale: run tests/vectors/make_vote_vectors.py first")
    return votes


def _fork_votes(key: Ed25519PrivateKey, after: Vote) -> list[Vote]:
    """Votes 3' and 4' of a second copy of the kiosk (a backup restored after vote 2)."""
    return _chain(
        key,
        after.seq + 1,
        after.hash(),
        [
            (
                "2026-11-24T04:30:00.000Z",
                Ballot(district=DISTRICT, rating=2, story="รอนานค่ะ", lang="th"),
            ),
            (
                "2026-11-24T04:31:10.250Z",
                Ballot(
                    district=DISTRICT,
                    rating=4,
                    target=Target("staff", "s03"),
                    tags=("polite",),
                    lang="en",
                ),
            ),
        ],
    )


def _other_kiosk_votes(key: Ed25519PrivateKey) -> list[Vote]:
    """Votes 1-3 of another kiosk in the same office."""
    return _chain(
        key,
        1,
        genesis_prev(key.public_key().public_bytes_raw()),
        [
            ("2026-11-24T03:40:00.000Z", Ballot(district=DISTRICT, rating=5, lang="th")),
            ("2026-11-24T03:41:00.000Z", Ballot(district=DISTRICT, rating=4, lang="th")),
            (
                "2026-11-24T03:42:00.000Z",
                Ballot(district=DISTRICT, rating=1, story="ห้องน้ำไม่สะอาด", lang="th"),
            ),
        ],
    )


# --- batches -----------------------------------------------------------------------------------


def _batch(key: Ed25519PrivateKey, votes: list[Vote], made_at: str = MADE_AT) -> bytes:
    return build_batch(key, [v.signed_bytes() for v in votes], [v.hash() for v in votes], made_at)


def _header(envelope: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in envelope.items() if k not in ("votes", "sig")}


def _usb_name(envelope: dict[str, Any]) -> str:
    """The file name convention of docs/protocol.md 3.7 (informative: the name proves nothing)."""
    district = envelope["votes"][0]["district"]
    return (
        f"sangsuk-{district}-{envelope['kiosk'][:8]}-"
        f"{envelope['first_seq']:08d}-{envelope['last_seq']:08d}.batch.json"
    )


def _batch_vector(name: str, note: str, data: bytes) -> dict[str, Any]:
    envelope = json.loads(data)
    header = _header(envelope)
    header_jcs = canonical_json(header)
    signing_input = BATCH_DOMAIN + header_jcs
    vote_hashes = [hashlib.sha256(canonical_json(v)).hexdigest() for v in envelope["votes"]]
    concatenated = b"".join(bytes.fromhex(h) for h in vote_hashes)
    check = check_batch(data)
    if not check.ok:
        raise AssertionError(f"{name}: {check.summary()}")
    if canonical_json(envelope) != data:
        raise AssertionError(f"{name}: the batch bytes are not the JCS of the envelope")
    return {
        "name": name,
        "note": note,
        "first_seq": envelope["first_seq"],
        "last_seq": envelope["last_seq"],
        "made_at": envelope["made_at"],
        "vote_hashes": vote_hashes,
        "votes_hash_input_hex": concatenated.hex(),
        "votes_hash": hashlib.sha256(concatenated).hexdigest(),
        "header": header,
        "header_jcs": header_jcs.decode("ascii"),
        "header_jcs_hex": header_jcs.hex(),
        "signing_input_hex": signing_input.hex(),
        "sig": envelope["sig"],
        "envelope": envelope,
        "batch_hex": data.hex(),
        "batch_length": len(data),
        "batch_sha256": hashlib.sha256(data).hexdigest(),
        "usb_file_name": _usb_name(envelope),
    }


# --- variants a reader must accept, and damage it must name --------------------------------------


def _edit(data: bytes, change: Callable[[dict[str, Any]], None]) -> bytes:
    envelope = json.loads(data)
    change(envelope)
    return canonical_json(envelope)


def _resign(envelope: dict[str, Any], key: Ed25519PrivateKey, domain: bytes = BATCH_DOMAIN) -> None:
    envelope["sig"] = key.sign(domain + canonical_json(_header(envelope))).hex()


def _accepted_variants(data: bytes) -> list[dict[str, Any]]:
    envelope = json.loads(data)

    def reverse(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: reverse(value[k]) for k in reversed(list(value))}
        if isinstance(value, list):
            return [reverse(v) for v in value]
        return value

    variants = [
        (
            "pretty-printed",
            "indented with two spaces and ending in a line feed, as an editor might save it",
            (json.dumps(envelope, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
        ),
        (
            "members-reversed-and-escaped",
            "every object's members in reverse order, all non-ASCII written as \\u escapes (the"
            " emoji as surrogate pairs), CR LF line ends and a tab",
            json.dumps(reverse(envelope), ensure_ascii=True, indent="\t")
            .replace("\n", "\r\n")
            .encode("ascii"),
        ),
    ]
    out = []
    for name, why, variant in variants:
        check = check_batch(variant)
        if not check.ok or canonical_json(json.loads(variant)) != data:
            raise AssertionError(f"{name}: {check.summary()}")
        out.append({"name": name, "why": why, "batch": variant.decode("utf-8")})
    return out


def _tampered(
    base: bytes,
    kiosk_key: Ed25519PrivateKey,
    other_key: Ed25519PrivateKey,
    foreign_vote: Vote,
    collector_key: Ed25519PrivateKey,
) -> list[dict[str, Any]]:
    """Damaged copies of the first batch with the problems check_batch must report, in order."""
    env = json.loads(base)
    text = base.decode("utf-8")
    other_raw = other_key.public_key().public_bytes_raw()

    def change(**members: Any) -> Callable[[dict[str, Any]], None]:
        def apply(e: dict[str, Any]) -> None:
            e.update(members)

        return apply

    def set_vote(index: int, **members: Any) -> Callable[[dict[str, Any]], None]:
        def apply(e: dict[str, Any]) -> None:
            e["votes"][index] = {**e["votes"][index], **members}

        return apply

    def swap_2_3(e: dict[str, Any]) -> None:
        e["votes"][1], e["votes"][2] = e["votes"][2], e["votes"][1]

    def drop_3(e: dict[str, Any]) -> None:
        del e["votes"][2]

    def drop_3_and_resign(e: dict[str, Any]) -> None:
        del e["votes"][2]
        e["count"], e["last_seq"] = 3, 3
        hashes = [hashlib.sha256(canonical_json(v)).digest() for v in e["votes"]]
        e["votes_hash"] = hashlib.sha256(b"".join(hashes)).hexdigest()
        _resign(e, kiosk_key)

    def duplicate_2(e: dict[str, Any]) -> None:
        e["votes"].insert(2, e["votes"][1])

    def mix_in_foreign(e: dict[str, Any]) -> None:
        e["votes"][2] = foreign_vote.to_json()

    def resign_as_other(e: dict[str, Any]) -> None:
        e["kiosk"], e["public_key"] = kiosk_id_for(other_raw), other_raw.hex()
        _resign(e, other_key)

    def then_resign(
        apply: Callable[[dict[str, Any]], None],
        key: Ed25519PrivateKey = kiosk_key,
        domain: bytes = BATCH_DOMAIN,
    ) -> Callable[[dict[str, Any]], None]:
        def both(e: dict[str, Any]) -> None:
            apply(e)
            _resign(e, key, domain)

        return both

    def no_made_at(e: dict[str, Any]) -> None:
        del e["made_at"]

    cut = len(base) // 2
    while base[cut] >= 0x80:  # back up to an ASCII byte: a clean cut between characters
        cut -= 1
    thai = base.index("เ".encode())  # the first Thai character: vote 1's story begins with it
    story_4 = env["votes"][3]["story"]
    decomposed = story_4.replace("\u00e8", "e\u0300", 1)
    assert decomposed != story_4

    cases: list[tuple[str, str, bytes, Problems]] = [
        (
            "rating-changed",
            "vote 2's rating changed from 4 to 1, its sig kept: its signature fails, vote 3 no"
            " longer names its hash, and votes_hash no longer matches",
            _edit(base, set_vote(1, rating=1)),
            [("bad_signature", 2), ("chain_broken", 3), ("hash_mismatch", None)],
        ),
        (
            "votes-reordered",
            "votes 2 and 3 swapped",
            _edit(base, swap_2_3),
            [
                ("seq_not_contiguous", 3),
                ("chain_broken", 3),
                ("seq_not_contiguous", 2),
                ("chain_broken", 2),
                ("chain_broken", 4),
                ("hash_mismatch", None),
            ],
        ),
        (
            "middle-vote-dropped",
            "vote 3 removed, the envelope left as it was",
            _edit(base, drop_3),
            [
                ("bad_range", None),
                ("seq_not_contiguous", 4),
                ("chain_broken", 4),
                ("hash_mismatch", None),
            ],
        ),
        (
            "middle-vote-dropped-resigned-by-kiosk",
            "vote 3 removed and the envelope made consistent (count 3, last_seq 3, votes_hash)"
            " and signed again with the kiosk's own key: even the kiosk cannot hide a vote,"
            " because vote 4 names vote 3's hash",
            _edit(base, drop_3_and_resign),
            [("seq_not_contiguous", 4), ("chain_broken", 4)],
        ),
        (
            "vote-duplicated",
            "vote 2 appears twice (at positions 2 and 3)",
            _edit(base, duplicate_2),
            [
                ("bad_range", None),
                ("seq_not_contiguous", 2),
                ("chain_broken", 2),
                ("seq_not_contiguous", 3),
                ("seq_not_contiguous", 4),
                ("hash_mismatch", None),
            ],
        ),
        (
            "foreign-vote-mixed-in",
            "vote 3 replaced by vote 3 of another kiosk (seed 20..3f)",
            _edit(base, mix_in_foreign),
            [
                ("foreign_vote", 3),
                ("bad_signature", 3),
                ("chain_broken", 3),
                ("chain_broken", 4),
                ("hash_mismatch", None),
            ],
        ),
        (
            "made-at-changed",
            "made_at changed, the sig kept",
            _edit(base, change(made_at="2026-11-23T05:00:00.000Z")),
            [("bad_batch_signature", None)],
        ),
        (
            "votes-hash-changed",
            "votes_hash changed, the sig kept",
            _edit(base, change(votes_hash="00" * 32)),
            [("bad_batch_signature", None), ("hash_mismatch", None)],
        ),
        (
            "votes-hash-changed-resigned-by-kiosk",
            "votes_hash changed and the header signed again with the kiosk's key",
            _edit(base, then_resign(change(votes_hash="00" * 32))),
            [("hash_mismatch", None)],
        ),
        (
            "resigned-by-another-key",
            "kiosk and public_key replaced by another kiosk's and the header signed with that"
            " key: the header verifies, but no vote is that kiosk's",
            _edit(base, resign_as_other),
            [
                ("foreign_vote", 1),
                ("bad_signature", 1),
                ("chain_broken", 1),
                ("foreign_vote", 2),
                ("bad_signature", 2),
                ("foreign_vote", 3),
                ("bad_signature", 3),
                ("foreign_vote", 4),
                ("bad_signature", 4),
            ],
        ),
        (
            "signed-by-another-key",
            "the header signed by another kiosk's key, public_key left as it was",
            _edit(base, then_resign(change(), other_key)),
            [("bad_batch_signature", None)],
        ),
        (
            "signed-by-the-collector-key",
            "the header signed by the collector's key with the receipt prefix: domain"
            " separation and the key both fail it",
            _edit(base, then_resign(change(), collector_key, RECEIPT_DOMAIN)),
            [("bad_batch_signature", None)],
        ),
        (
            "signed-with-the-vote-prefix",
            "the header signed by the kiosk's own key, but with the vote prefix",
            _edit(base, then_resign(change(), kiosk_key, b"sangsuk/v1/vote\n")),
            [("bad_batch_signature", None)],
        ),
        (
            "sig-upper-case",
            "the same signature in upper-case hex",
            _edit(base, change(sig=env["sig"].upper())),
            [("bad_batch_signature", None)],
        ),
        (
            "truncated",
            "the file cut in half between two characters, as by a USB stick pulled out",
            base[:cut],
            [("bad_json", None)],
        ),
        (
            "truncated-mid-character",
            "the file cut inside a Thai character (after the first byte of its 3-byte UTF-8)",
            base[: thai + 1],
            [("bad_utf8", None)],
        ),
        (
            "byte-order-mark",
            "the batch preceded by a UTF-8 byte order mark (EF BB BF)",
            b"\xef\xbb\xbf" + base,
            [("bad_json", None)],
        ),
        (
            "duplicate-key",
            "the envelope names made_at twice (same value)",
            text.replace(
                f'"made_at":"{MADE_AT}"', f'"made_at":"{MADE_AT}","made_at":"{MADE_AT}"', 1
            ).encode("utf-8"),
            [("duplicate_key", None)],
        ),
        (
            "duplicate-key-in-a-vote",
            "vote 2 names rating twice: the whole document is refused, not just the vote",
            text.replace('"rating":4', '"rating":4,"rating":4', 1).encode("utf-8"),
            [("duplicate_key", None)],
        ),
        (
            "number-with-a-fraction",
            "vote 1's rating written 5.0",
            text.replace('"rating":5', '"rating":5.0', 1).encode("utf-8"),
            [("bad_number", None)],
        ),
        (
            "not-an-object",
            "the envelope wrapped in an array",
            b"[" + base + b"]",
            [("bad_json", None)],
        ),
        (
            "not-a-batch",
            "kind is sangsuk-receipt",
            _edit(base, change(kind="sangsuk-receipt")),
            [("not_a_batch", None)],
        ),
        (
            "unknown-version",
            "version 2, signed again with the kiosk's key",
            _edit(base, then_resign(change(version=2))),
            [("unsupported_version", None)],
        ),
        (
            "member-added",
            "an extra member district, signed again with the kiosk's key",
            _edit(base, then_resign(change(district=DISTRICT))),
            [("bad_envelope", None)],
        ),
        (
            "member-missing",
            "made_at left out",
            _edit(base, no_made_at),
            [("bad_envelope", None)],
        ),
        (
            "public-key-upper-case",
            "public_key in upper-case hex",
            _edit(base, change(public_key=env["public_key"].upper())),
            [("bad_public_key", None)],
        ),
        (
            "kiosk-id-not-from-the-key",
            "kiosk set to another kiosk's id",
            _edit(base, change(kiosk=kiosk_id_for(other_raw))),
            [("kiosk_key_mismatch", None)],
        ),
        (
            "first-seq-as-text",
            'first_seq written as the string "1"',
            _edit(base, change(first_seq="1")),
            [("bad_range", None)],
        ),
        (
            "last-seq-before-first-seq",
            "last_seq 0",
            _edit(base, change(last_seq=0)),
            [("bad_range", None)],
        ),
        (
            "count-wrong-resigned-by-kiosk",
            "count 5 for 4 votes, signed again with the kiosk's key",
            _edit(base, then_resign(change(count=5))),
            [("bad_range", None)],
        ),
        (
            "no-votes",
            "votes is an empty array",
            _edit(base, change(votes=[])),
            [("no_votes", None)],
        ),
        (
            "made-at-not-a-timestamp",
            "made_at without milliseconds, signed again with the kiosk's key",
            _edit(base, then_resign(change(made_at="2026-11-24T05:00:00Z"))),
            [("bad_made_at", None)],
        ),
        (
            "vote-not-valid",
            "vote 2's rating 6: the vote cannot be read, so the link from vote 3 and votes_hash"
            " are not checked",
            _edit(base, set_vote(1, rating=6)),
            [("bad_vote:bad_rating", 2)],
        ),
        (
            "vote-of-unknown-version",
            "vote 2's version 2",
            _edit(base, set_vote(1, version=2)),
            [("bad_vote:unsupported_version", 2)],
        ),
        (
            "vote-story-not-nfc",
            "vote 4's story with e + U+0300 in place of U+00E8",
            _edit(base, set_vote(3, story=decomposed)),
            [("bad_vote:story_not_normal", 4)],
        ),
    ]
    out = []
    for name, why, data, expected in cases:
        got = [(p.code, p.seq) for p in check_batch(data).problems]
        if got != expected:
            raise AssertionError(f"{name}: expected {expected}, check_batch says {got}")
        entry: dict[str, Any] = {"name": name, "why": why}
        try:
            entry["batch"] = data.decode("utf-8")
        except UnicodeDecodeError:
            entry["batch_hex"] = data.hex()
        entry["problems"] = [{"code": code, "seq": seq} for code, seq in expected]
        out.append(entry)
    return out


def _limits(base: bytes) -> list[dict[str, Any]]:
    """The count and size limits, shown with smaller limits so the vectors stay small."""
    cases = [
        ("max_votes", 3, "4 votes where at most 3 are accepted", "too_many_votes"),
        ("max_bytes", len(base) - 1, "one byte more than the limit", "too_large"),
    ]
    out = []
    for limit, value, why, code in cases:
        result = check_batch(base, **{limit: value})
        if [(p.code, p.seq) for p in result.problems] != [(code, None)]:
            raise AssertionError(f"{limit}: {result.summary()}")
        out.append({"batch": "votes-1-4", limit: value, "why": why, "problems": [code]})
    return out


# --- receipts ----------------------------------------------------------------------------------

# (scenario, note, steps): each step is (batch name, server_time, the receipt it must get).
SCENARIOS: Final = (
    (
        "fresh",
        "A collector that holds nothing for the kiosk gets the whole chain, then the mid-chain"
        " batch: the second answer acknowledges votes 3 and 4 again (duplicates).",
        (
            ("votes-1-4", "2026-11-24T05:00:07.000Z", ([(1, 4)], [], [(1, 4)], [])),
            ("votes-3-4", "2026-11-24T05:10:00.000Z", ([(3, 4)], [], [(1, 4)], [])),
        ),
    ),
    (
        "fork",
        "A second copy of the kiosk (restored from a backup taken after vote 2) cast its own"
        " votes 3' and 4'; only 4' reached the collector. Then the real batch of votes 1-4"
        " arrives: 1 and 2 are acknowledged again; 4 is held with other bytes (conflict); 3"
        " would fork the chain, because the held 4' does not name its hash (chain_fork). Both"
        " are quarantined, so 3 stays missing.",
        (
            ("votes-1-2", "2026-11-24T06:00:00.000Z", ([(1, 2)], [], [(1, 2)], [])),
            ("fork-vote-4", "2026-11-24T06:05:00.000Z", ([(4, 4)], [], [(1, 2), (4, 4)], [(3, 3)])),
            (
                "votes-1-4",
                "2026-11-24T06:10:00.500Z",
                ([(1, 2)], [3, 4], [(1, 2), (4, 4)], [(3, 3)]),
            ),
        ),
    ),
)


def _ranges(value: list[tuple[int, int]]) -> list[list[int]]:
    return [list(r) for r in value]


def _receipt_vector(
    key: Ed25519PrivateKey,
    scenario: str,
    step: int,
    batch: dict[str, Any],
    receipt: Receipt,
) -> dict[str, Any]:
    data = sign_receipt(key, receipt)
    obj = json.loads(data)
    unsigned = {k: v for k, v in obj.items() if k != "sig"}
    unsigned_jcs = canonical_json(unsigned)
    check = check_receipt(data, key.public_key(), receipt.kiosk, batch["votes_hash"])
    if not check.ok:
        raise AssertionError(f"{scenario} {step}: {check.problems}")
    sent = set(range(batch["first_seq"], batch["last_seq"] + 1))
    return {
        "name": f"{scenario}-{step}",
        "scenario": scenario,
        "step": step,
        "answers": batch["name"],
        "receipt": obj,
        "unsigned_jcs": unsigned_jcs.decode("ascii"),
        "unsigned_jcs_hex": unsigned_jcs.hex(),
        "signing_input_hex": (RECEIPT_DOMAIN + unsigned_jcs).hex(),
        "sig": obj["sig"],
        "receipt_hex": data.hex(),
        "deliverable": sorted(check.receipt.accepted_seqs() & sent) if check.receipt else [],
    }


def _receipts(
    key: Ed25519PrivateKey, kiosk_raw: bytes, batches: dict[str, dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Replay each scenario on a real, empty collector store and sign the receipts it makes."""
    scenarios, receipts = [], []
    for name, note, steps in SCENARIOS:
        scenarios.append(
            {
                "name": name,
                "note": note,
                "district": DISTRICT,
                "size_group": SIZE_GROUP,
                "steps": [batch for batch, _, _ in steps],
            }
        )
        with tempfile.TemporaryDirectory() as tmp:
            clock = FakeClock(datetime(2026, 11, 24, tzinfo=UTC))
            with CollectorStore(Path(tmp) / "collector.sqlite3", clock) as store:
                store.load_districts([(DISTRICT, SIZE_GROUP)])
                store.enroll(store.issue_token(DISTRICT), kiosk_raw.hex())
                for step, (batch_name, server_time, expected) in enumerate(steps, start=1):
                    batch = batches[batch_name]
                    clock.set_wall(datetime.fromisoformat(server_time.replace("Z", "+00:00")))
                    data = bytes.fromhex(batch["batch_hex"])
                    receipt = store.ingest(check_batch(data), data, "http").receipt
                    accepted, conflicts, held, missing = expected
                    want = Receipt(
                        kiosk_id_for(kiosk_raw),
                        batch["votes_hash"],
                        accepted,
                        conflicts,
                        held,
                        missing,
                        server_time,
                    )
                    if receipt != want:
                        raise AssertionError(f"{name} step {step}: {receipt} != {want}")
                    receipts.append(_receipt_vector(key, name, step, batch, receipt))
    return scenarios, receipts


def _tampered_receipts(
    collector_key: Ed25519PrivateKey,
    kiosk_key: Ed25519PrivateKey,
    receipts: list[dict[str, Any]],
    other_batch_hash: str,
    other_kiosk: str,
) -> list[dict[str, Any]]:
    """Receipts a kiosk must refuse, with what check_receipt reports."""
    good, fork_last = receipts[0], receipts[-1]
    obj = good["receipt"]
    kiosk, batch = obj["kiosk"], obj["batch"]
    unsigned = {k: v for k, v in obj.items() if k != "sig"}
    text = bytes.fromhex(good["receipt_hex"]).decode("ascii")
    fork_text = bytes.fromhex(fork_last["receipt_hex"]).decode("ascii")

    def signed(
        changes: dict[str, Any],
        key: Ed25519PrivateKey = collector_key,
        domain: bytes = RECEIPT_DOMAIN,
        drop: str | None = None,
    ) -> bytes:
        body = {k: v for k, v in {**unsigned, **changes}.items() if k != drop}
        return canonical_json({**body, "sig": key.sign(domain + canonical_json(body)).hex()})

    cases: list[tuple[str, str, bytes, str | None, list[str]]] = [
        (
            "accepted-widened",
            "accepted changed from [[1,4]] to [[1,9]], the sig kept",
            text.replace('"accepted":[[1,4]]', '"accepted":[[1,9]]').encode("ascii"),
            batch,
            ["bad_receipt_signature"],
        ),
        (
            "conflicts-emptied",
            "the fork scenario's last receipt with conflicts [3,4] changed to [], the sig kept",
            fork_text.replace('"conflicts":[3,4]', '"conflicts":[]').encode("ascii"),
            fork_last["receipt"]["batch"],
            ["bad_receipt_signature"],
        ),
        (
            "signed-by-the-kiosk-key",
            "a well-formed receipt signed by the kiosk's own key, not the pinned collector key",
            signed({}, kiosk_key),
            batch,
            ["bad_receipt_signature"],
        ),
        (
            "signed-with-the-batch-prefix",
            "signed by the collector's key, but with the batch prefix",
            signed({}, collector_key, BATCH_DOMAIN),
            batch,
            ["bad_receipt_signature"],
        ),
        (
            "for-another-kiosk",
            "signed by the collector, but for another kiosk",
            signed({"kiosk": other_kiosk}),
            batch,
            ["wrong_kiosk"],
        ),
        (
            "for-another-batch",
            "a genuine receipt for this kiosk, checked as the answer to the batch of votes 3-4",
            bytes.fromhex(good["receipt_hex"]),
            other_batch_hash,
            ["wrong_batch"],
        ),
        (
            "batch-null",
            "signed by the collector, batch null, checked as the answer to a batch",
            signed({"batch": None}),
            batch,
            ["wrong_batch"],
        ),
        (
            "not-a-receipt",
            "kind sangsuk-batch, signed by the collector",
            signed({"kind": "sangsuk-batch"}),
            batch,
            ["not_a_receipt"],
        ),
        (
            "unknown-version",
            "version 2, signed by the collector",
            signed({"version": 2}),
            batch,
            ["not_a_receipt"],
        ),
        (
            "member-added",
            "an extra member note, signed by the collector",
            signed({"note": "hi"}),
            batch,
            ["bad_receipt"],
        ),
        (
            "member-missing",
            "missing left out, signed by the collector",
            signed({}, drop="missing"),
            batch,
            ["bad_receipt"],
        ),
        (
            "range-backwards",
            "accepted [[4,1]], signed by the collector",
            signed({"accepted": [[4, 1]]}),
            batch,
            ["bad_receipt"],
        ),
        (
            "range-from-zero",
            "held [[0,4]], signed by the collector",
            signed({"held": [[0, 4]]}),
            batch,
            ["bad_receipt"],
        ),
        (
            "duplicate-key",
            "the receipt names kiosk twice",
            text.replace(f'"kiosk":"{kiosk}"', f'"kiosk":"{kiosk}","kiosk":"{kiosk}"').encode(
                "ascii"
            ),
            batch,
            ["duplicate_key"],
        ),
        (
            "truncated",
            "the receipt cut after 100 bytes",
            text.encode("ascii")[:100],
            batch,
            ["bad_json"],
        ),
    ]
    out = []
    public = collector_key.public_key()
    for name, why, data, expected_batch, codes in cases:
        got = [p.code for p in check_receipt(data, public, kiosk, expected_batch).problems]
        if got != codes:
            raise AssertionError(f"receipt {name}: expected {codes}, check_receipt says {got}")
        out.append(
            {
                "name": name,
                "why": why,
                "receipt": data.decode("ascii"),
                "kiosk": kiosk,
                "batch": expected_batch,
                "problems": codes,
            }
        )
    return out


# --- the file ----------------------------------------------------------------------------------


def _key_json(seed: bytes, what: str) -> dict[str, str]:
    raw = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
    return {
        "WARNING": f"TEST-ONLY {what} key, published on purpose. Never use it for real.",
        "private_seed_hex": seed.hex(),
        "public_key_hex": raw.hex(),
        "kiosk_id": kiosk_id_for(raw),
        "genesis_prev": genesis_prev(raw),
    }


def build() -> dict[str, Any]:
    """Return the whole vector file as a JSON-ready dict."""
    kiosk_key = Ed25519PrivateKey.from_private_bytes(KIOSK_SEED)
    other_key = Ed25519PrivateKey.from_private_bytes(OTHER_KIOSK_SEED)
    collector_key = Ed25519PrivateKey.from_private_bytes(COLLECTOR_SEED)
    kiosk_raw = kiosk_key.public_key().public_bytes_raw()

    votes = _kiosk_votes(kiosk_key)
    fork = _fork_votes(kiosk_key, votes[1])
    foreign = _other_kiosk_votes(other_key)[2]

    batch_list = [
        _batch_vector(
            "votes-1-4",
            "The four votes of tests/vectors/votes.json, the whole chain from seq 1.",
            _batch(kiosk_key, votes),
        ),
        _batch_vector(
            "votes-3-4",
            "A later batch starting mid-chain: votes 3 and 4. Vote 3's prev is vote 2's hash,"
            " which this batch does not carry; the chain is checked across batches by the"
            " collector (4.3).",
            _batch(kiosk_key, votes[2:], "2026-11-24T05:09:59.999Z"),
        ),
        _batch_vector(
            "votes-1-2",
            "Votes 1 and 2 alone (used by the fork scenario).",
            _batch(kiosk_key, votes[:2], "2026-11-24T05:59:58.000Z"),
        ),
        _batch_vector(
            "fork-vote-4",
            "Vote 4' of a second copy of the kiosk, restored from a backup taken after vote 2:"
            " same key, same seq 4 as votes.json's vote 4, other content. Its prev is the hash"
            f" of that copy's own vote 3' ({fork[0].hash()}), which is in no batch. The batch"
            " is valid on its own; only the collector can see the fork (the fork scenario).",
            _batch(kiosk_key, fork[1:], "2026-11-24T06:04:30.000Z"),
        ),
    ]
    batches = {b["name"]: b for b in batch_list}
    base = bytes.fromhex(batches["votes-1-4"]["batch_hex"])
    scenarios, receipts = _receipts(collector_key, kiosk_raw, batches)
    return {
        "about": (
            "Test vectors for Sangsuk signed batches and receipts, docs/protocol.md sections 3"
            " and 4. Generated by tests/vectors/make_batch_vectors.py; do not edit by hand."
            " Hex is lowercase. The exact bytes of a good batch are batch_hex (its envelope is"
            " the same as an object, for reading). A variant or damaged batch is given as text"
            " (batch, whose bytes are its UTF-8 encoding) or, where the bytes are not UTF-8, as"
            " batch_hex; a receipt as receipt_hex or, when damaged, as ASCII text (receipt)."
        ),
        "format_version": 1,
        "domain_prefixes": {
            "batch": {"ascii": BATCH_DOMAIN.decode("ascii"), "hex": BATCH_DOMAIN.hex()},
            "receipt": {"ascii": RECEIPT_DOMAIN.decode("ascii"), "hex": RECEIPT_DOMAIN.hex()},
        },
        "limits": {
            "max_batch_votes": MAX_BATCH_VOTES,
            "max_batch_bytes": MAX_BATCH_BYTES,
            "default_batch_votes": DEFAULT_BATCH_VOTES,
        },
        "kiosk_key": _key_json(KIOSK_SEED, "kiosk"),
        "other_kiosk_key": _key_json(OTHER_KIOSK_SEED, "kiosk"),
        "collector_key": {
            "WARNING": "TEST-ONLY collector key, published on purpose. Never use it for real.",
            "private_seed_hex": COLLECTOR_SEED.hex(),
            "public_key_hex": collector_key.public_key().public_bytes_raw().hex(),
        },
        "batches": batch_list,
        "accepted_variants": [
            {"of": "votes-1-4", **variant} for variant in _accepted_variants(base)
        ],
        "tampered_batches": [
            {"of": "votes-1-4", **case}
            for case in _tampered(base, kiosk_key, other_key, foreign, collector_key)
        ],
        "limits_checked": _limits(base),
        "scenarios": scenarios,
        "receipts": receipts,
        "tampered_receipts": _tampered_receipts(
            collector_key,
            kiosk_key,
            receipts,
            batches["votes-3-4"]["votes_hash"],
            kiosk_id_for(other_key.public_key().public_bytes_raw()),
        ),
    }


def render(vectors: dict[str, Any]) -> str:
    """Return the vector file's text exactly as it is committed."""
    return json.dumps(vectors, ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    """Write tests/vectors/batches.json."""
    OUTPUT.write_text(render(build()), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
