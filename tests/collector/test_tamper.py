"""Tamper matrix: damaged and forged batches, through the USB import and the HTTP API alike.

One table of cases, each run through both ways a batch reaches the collector (promise 6):
``sangsuk-collector import FILE`` and ``POST /api/v1/batches`` on a real uvicorn server. For
every refused case: the answer names the specific reason (the first problem's code and seq),
nothing of the batch is stored (votes, quarantine, batches and the kiosks' bookkeeping are
unchanged), no receipt is given, and exactly one audit row records the refusal with its
reason and source (promises 3, 4, 9).

Two cases are not refusals, and say what the right outcome is:

* an exact replay, months later, of a batch the collector already holds is acknowledged
  again with a signed receipt and counts once; it also says nothing about the kiosk's clock
  today, so it must not change the clock reading (a replayed old ``made_at`` would otherwise
  flag a sound clock, or clear the flag of a bad one), nor about its life: last seen stays,
  and the replay is counted apart;
* a restored backup of a kiosk sending other bytes under a held identity is not refused but
  quarantined: the held vote stays, the other is kept aside with an audit row.

The protocol-level checks behind these are also pinned byte for byte by the vectors
(tests/wire/test_batch_vectors.py, ``tampered_batches``); this file proves the collector
acts on them the same way on both paths.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from collector.cli import main as collector_cli
from collector.keys import load_collector_key
from collector.store import CollectorStore
from kiosk.ledger import Ledger
from tests.collector_db import sql
from tests.collector_server import serve_collector
from tests.fakes import FakeClock
from wire import keys
from wire.batch import BATCH_DOMAIN, MAX_BATCH_BYTES, check_batch, votes_hash
from wire.canonical import canonical_json
from wire.keys import public_key_from_raw
from wire.receipt import check_receipt
from wire.vote import VOTE_DOMAIN, Ballot, Target, genesis_prev

DISTRICTS = [("3706", "small"), ("4712", "large")]
CAST_AT = datetime(2026, 6, 30, 3, 0, 0, tzinfo=UTC)  # when the test kiosks voted
JULY = datetime(2026, 7, 1, 2, 0, 0, tzinfo=UTC)  # months before the replay
NOW = datetime(2026, 11, 24, 3, 0, 0, tzinfo=UTC)  # the collector's clock in the scene
STORIES = (
    "เจ้าหน้าที่พูดจาสุภาพ ขอบคุณค่ะ",
    "",
    "ประทับใจมาก",  # vote 3: its story is flipped; unique in the batch
    "Café staff were kind",
    "บริการรวดเร็ว",
)


def ballot(i: int, district: str = "3706") -> Ballot:
    """The i-th (0-based) ballot of a test kiosk: fixed, so forks can repeat it exactly."""
    return Ballot(
        district=district,
        rating=(4, 5, 3, 5, 2)[i % 5],
        target=Target("staff", f"s0{i % 5 + 1}") if i % 2 == 0 else Target("unit", "civil"),
        service="id-card" if i % 3 else None,
        tags=("fast", "polite") if i % 2 == 0 else (),
        story=STORIES[i % 5],
        lang="th",
    )


# --- building forged batches ----------------------------------------------------------------


def vote_hash(vote: dict[str, Any]) -> str:
    """SHA-256 of a vote object's canonical bytes, sig included."""
    return hashlib.sha256(canonical_json(vote)).hexdigest()


def sign_vote_obj(vote: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """Sign a vote object as it is, with no normalisation or validation (as a forger would)."""
    unsigned = {k: v for k, v in vote.items() if k != "sig"}
    return {**unsigned, "sig": key.sign(VOTE_DOMAIN + canonical_json(unsigned)).hex()}


def rechain(votes: list[dict[str, Any]], key: Ed25519PrivateKey, public_raw: bytes) -> None:
    """Give every vote the right prev and a fresh valid signature, in place."""
    prev = genesis_prev(public_raw) if votes[0]["seq"] == 1 else votes[0]["prev"]
    for i, vote in enumerate(votes):
        vote["prev"] = prev
        votes[i] = sign_vote_obj(vote, key)
        prev = vote_hash(votes[i])


def envelope(votes: list[dict[str, Any]], key: Ed25519PrivateKey, **header: Any) -> dict[str, Any]:
    """A batch envelope around votes, consistent and signed with key; header overrides first."""
    public_raw = key.public_key().public_bytes_raw()
    env: dict[str, Any] = {
        "kind": "sangsuk-batch",
        "version": 1,
        "kiosk": keys.kiosk_id_for(public_raw),
        "public_key": public_raw.hex(),
        "first_seq": votes[0]["seq"],
        "last_seq": votes[-1]["seq"],
        "count": len(votes),
        "votes_hash": votes_hash([vote_hash(v) for v in votes]),
        "made_at": "2026-11-24T03:00:00.000Z",  # the collector's time: no clock skew
    }
    env.update(header)
    return sign_envelope(env, key, votes)


def sign_envelope(
    env: dict[str, Any], key: Ed25519PrivateKey, votes: list[dict[str, Any]]
) -> dict[str, Any]:
    """Sign the header (env without votes and sig) with key and attach the votes."""
    header = {k: v for k, v in env.items() if k not in ("votes", "sig")}
    return {**header, "sig": key.sign(BATCH_DOMAIN + canonical_json(header)).hex(), "votes": votes}


def dump(env: dict[str, Any]) -> bytes:
    """Plain JSON bytes (any spelling is allowed; the collector re-canonicalises)."""
    return json.dumps(env, ensure_ascii=False).encode()


# --- the world each case runs in ------------------------------------------------------------


@dataclass
class SceneKiosk:
    """A kiosk with a real key and ledger."""

    key: keys.DeviceKey
    ledger: Ledger

    @property
    def private(self) -> Ed25519PrivateKey:
        return self.key.private_key

    @property
    def public_raw(self) -> bytes:
        return self.key.public_key_raw

    @property
    def kiosk_id(self) -> str:
        return self.key.kiosk_id

    def votes(self) -> list[dict[str, Any]]:
        """Every stored vote as a JSON object, in seq order."""
        return [json.loads(s.body) for s in self.ledger.iter_votes()]

    def batch(self, first: int = 1, last: int | None = None, made_at: str | None = None) -> bytes:
        """The kiosk's own signed batch of votes first..last, as the kiosk writes it."""
        votes = [v for v in self.votes() if first <= v["seq"] <= (last or v["seq"])]
        extra = {"made_at": made_at} if made_at else {}
        return canonical_json(envelope(votes, self.private, **extra))


@dataclass
class World:
    """The collector's database and the kiosks around it, before the batch under test."""

    db: str  # a SQLite path or a PostgreSQL URL
    store: CollectorStore  # for setting the scene; the path under test opens its own
    a: SceneKiosk  # enrolled for 3706; the collector holds its votes 1-2
    b: SceneKiosk  # another kiosk enrolled for 3706, nothing held
    revoked: SceneKiosk  # enrolled for 3706, then revoked
    stranger: SceneKiosk  # never enrolled
    astray: SceneKiosk  # enrolled for 3706, but its votes name 4712


def make_kiosk(folder: Path, votes: int, district: str = "3706") -> SceneKiosk:
    key = keys.load_or_create(folder)
    ledger = Ledger.open(folder, key, FakeClock(CAST_AT))
    ledger.cast_many([ballot(i, district) for i in range(votes)])
    return SceneKiosk(key, ledger)


@pytest.fixture
def world(tmp_path: Path, collector_db: str) -> Iterator[World]:
    db = collector_db  # on each backend
    load_collector_key(db)  # made before any kiosk enrolls, as `districts --load` does
    kiosks = {
        "a": make_kiosk(tmp_path / "a", 5),
        "b": make_kiosk(tmp_path / "b", 5),
        "revoked": make_kiosk(tmp_path / "revoked", 3),
        "stranger": make_kiosk(tmp_path / "stranger", 3),
        "astray": make_kiosk(tmp_path / "astray", 3, district="4712"),
    }
    store = CollectorStore(db, FakeClock(NOW))
    try:
        store.load_districts(DISTRICTS)
        for name in ("a", "b", "revoked", "astray"):
            store.enroll(store.issue_token("3706"), kiosks[name].public_raw.hex())
        store.revoke(kiosks["revoked"].kiosk_id)
        first = kiosks["a"].batch(1, 2)
        store.ingest(check_batch(first), first, "http", "127.0.0.1")
        yield World(db, store, **kiosks)
    finally:
        store.close()
        for k in kiosks.values():
            k.ledger.close()


# --- the two paths --------------------------------------------------------------------------


@dataclass
class Answer:
    """What the collector answered, whichever way the batch came."""

    accepted: bool
    status: int | None  # HTTP only
    error: str | None  # HTTP: the error member; USB: the audit row's reason
    first_seq: int | None  # the seq of the first problem (HTTP only)
    receipt: bytes | None


class UsbPath:
    """`sangsuk-collector import FILE --db DB`, in process."""

    name = "usb"

    def __init__(self, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.world, self.folder, self.capsys = world, tmp_path / "stick", capsys
        self.folder.mkdir()
        self.n = 0

    def send(self, data: bytes) -> Answer:
        self.n += 1
        path = self.folder / f"sangsuk-3706-test-{self.n:02d}.batch.json"
        path.write_bytes(data)
        self.capsys.readouterr()
        code = collector_cli(["import", str(path), "--db", str(self.world.db)])
        out = self.capsys.readouterr().out
        receipt_file = path.with_name(path.name.replace(".batch.json", ".receipt.json"))
        receipt = receipt_file.read_bytes() if receipt_file.exists() else None
        if code == 0 or (receipt is not None and "quarantined" in out):
            return Answer(True, None, None, None, receipt)
        assert "REFUSED" in out, out
        return Answer(False, None, last_audit(self.world.db)["reason"], None, receipt)


class HttpPath:
    """POST /api/v1/batches on a real uvicorn server over the same database."""

    name = "http"

    def __init__(self, url: str) -> None:
        self.url = url

    def send(self, data: bytes) -> Answer:
        try:
            r = requests.post(
                f"{self.url}/api/v1/batches",
                data=data,
                headers={"content-type": "application/json"},
                timeout=30,
            )
        except requests.ConnectionError:  # pragma: no cover - a refused upload mid-body
            raise
        if r.status_code == 200:
            return Answer(True, 200, None, None, r.content)
        body = r.json()
        seq = body["problems"][0]["seq"] if body["problems"] else None
        return Answer(False, r.status_code, body["error"], seq, None)


@pytest.fixture(params=["usb", "http"])
def path(
    request: pytest.FixtureRequest,
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[UsbPath | HttpPath]:
    if request.param == "usb":
        yield UsbPath(world, tmp_path, capsys)
        return
    with serve_collector(world.db) as running:
        running.store.clock = world.store.clock  # one clock for the scene and the server
        yield HttpPath(running.url)


# --- what the database holds ----------------------------------------------------------------


def snapshot(db: str) -> dict[str, Any]:
    """Everything a batch could change: votes, quarantine, batches, every kiosk's row."""
    with CollectorStore(db) as store:
        return {
            "votes": sql(
                store, "SELECT kiosk, seq, hash, received_at FROM votes ORDER BY kiosk, seq"
            ),
            "quarantine": sql(store, "SELECT kiosk, seq, hash FROM quarantine"),
            "batches": sql(store, "SELECT hash FROM batches ORDER BY hash"),
            "kiosks": sql(store, "SELECT * FROM kiosks ORDER BY kiosk"),
            "tallies": sql(store, "SELECT * FROM tally_districts ORDER BY district"),
            "audit": sql(store, "SELECT COUNT(*) FROM audit")[0][0],
        }


def kiosk_clock(db: str, kiosk: str) -> tuple[Any, ...]:
    """The collector's clock reading for a kiosk: skew of made_at, votes ahead, when checked."""
    with CollectorStore(db) as store:
        return sql(
            store,
            "SELECT clock_skew_s, vote_ahead_s, clock_checked_at FROM kiosks WHERE kiosk = :k",
            k=kiosk,
        )[0]


def last_audit(db: str) -> dict[str, Any]:
    with CollectorStore(db) as store:
        row = sql(
            store, "SELECT kind, reason, kiosk, source, detail FROM audit ORDER BY id DESC LIMIT 1"
        )[0]
    return dict(zip(("kind", "reason", "kiosk", "source", "detail"), row, strict=True))


# --- the cases ------------------------------------------------------------------------------


def flip_story_byte(w: World) -> bytes:
    """Vote 3's story: one bit of one byte flipped (ป becomes บ), the file otherwise intact."""
    data = w.a.batch()
    story = "ประทับใจมาก".encode()
    at = data.index(story) + 2  # the last byte of the first character's UTF-8 sequence
    assert data.count(story) == 1
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def change_rating(w: World) -> bytes:
    env = json.loads(w.a.batch())
    env["votes"][2]["rating"] = 1
    return dump(env)


def reorder(w: World) -> bytes:
    env = json.loads(w.a.batch())
    env["votes"][2], env["votes"][3] = env["votes"][3], env["votes"][2]
    return dump(env)


def drop_middle(w: World) -> bytes:
    env = json.loads(w.a.batch())
    del env["votes"][2]
    return dump(env)


def drop_middle_resigned(w: World) -> bytes:
    """Vote 3 removed, and the header made consistent and signed again with the kiosk's key."""
    votes = w.a.votes()
    del votes[2]
    return dump(envelope(votes, w.a.private, count=4, last_seq=4))


def duplicate_vote(w: World) -> bytes:
    env = json.loads(w.a.batch())
    env["votes"].insert(3, env["votes"][2])
    return dump(env)


def mix_two_kiosks(w: World) -> bytes:
    """Vote 3 replaced by kiosk B's (validly signed) vote 3; the header re-signed by A."""
    votes = w.a.votes()
    votes[2] = w.b.votes()[2]
    return dump(envelope(votes, w.a.private))


def change_envelope(w: World) -> bytes:
    """Every vote intact with its valid signature; made_at changed, the batch sig kept."""
    env = json.loads(w.a.batch())
    env["made_at"] = "2026-11-24T06:00:00.000Z"
    return dump(env)


def resign_by_other_kiosk(w: World) -> bytes:
    """A's votes under an envelope naming enrolled kiosk B, signed with B's own key."""
    return dump(envelope(w.a.votes(), w.b.private))


def revoked_key(w: World) -> bytes:
    return w.revoked.batch()


def unknown_kiosk(w: World) -> bytes:
    return w.stranger.batch()


def other_district(w: World) -> bytes:
    return w.astray.batch()


def truncate(w: World) -> bytes:
    data = w.a.batch()
    return data[: len(data) // 2]


def truncate_inside_thai(w: World) -> bytes:
    data = w.a.batch()
    return data[: data.index("ประทับใจ".encode()) + 1]


def duplicate_key_envelope(w: World) -> bytes:
    data = w.a.batch()
    return data.replace(b'"count":5,', b'"count":5,"count":5,', 1)


def duplicate_key_vote(w: World) -> bytes:
    data = w.a.batch()
    at = data.rindex(b'"rating":', 0, data.index(b'"seq":3,'))
    return data[:at] + b'"rating":1,' + data[at:]


def not_nfc(w: World) -> bytes:
    """Vote 3's story decomposed (e + U+0301), then every signature made valid again."""
    votes = w.a.votes()
    votes[3]["story"] = unicodedata.normalize("NFD", votes[3]["story"])
    assert votes[3]["story"] == "Cafe\u0301 staff were kind"
    rechain(votes, w.a.private, w.a.public_raw)
    return dump(envelope(votes, w.a.private))


def huge_number(w: World) -> bytes:
    """A 5,000-digit integer, beyond what any JSON reader should hold."""
    return w.a.batch().replace(b'"count":5,', b'"count":' + b"9" * 5000 + b",", 1)


def huge_seq(w: World) -> bytes:
    """first_seq 2**64. (No one can sign it: JCS has no bytes for an integer beyond 2**53.)"""
    return w.a.batch().replace(b'"first_seq":1,', b'"first_seq":18446744073709551616,', 1)


def huge_rating(w: World) -> bytes:
    """Vote 3's rating 2**64 (which no signature can cover either)."""
    data = w.a.batch()
    at = data.rindex(b'"rating":', 0, data.index(b'"seq":3,'))
    end = data.index(b",", at)
    return data[:at] + b'"rating":18446744073709551616' + data[end:]


def unknown_version(w: World) -> bytes:
    return dump(envelope(w.a.votes(), w.a.private, version=2))


def unknown_vote_version(w: World) -> bytes:
    votes = w.a.votes()
    votes[2]["version"] = 2
    rechain(votes, w.a.private, w.a.public_raw)
    return dump(envelope(votes, w.a.private))


def byte_order_mark(w: World) -> bytes:
    return b"\xef\xbb\xbf" + w.a.batch()


def too_large(w: World) -> bytes:
    data = w.a.batch()
    return data[:-1] + b" " * (MAX_BATCH_BYTES - len(data) + 1) + b"}"


def kiosk_not_from_key(w: World) -> bytes:
    """The envelope names kiosk A but carries B's public key (and B signs it)."""
    return dump(envelope(w.a.votes(), w.b.private, kiosk=w.a.kiosk_id))


def receipt_as_batch(w: World) -> bytes:
    return json.dumps({"kind": "sangsuk-receipt", "version": 1}).encode()


@dataclass(frozen=True)
class Refused:
    """The collector must refuse with this code (and seq), answering HTTP with this status."""

    code: str
    status: int
    seq: int | None = None


CASES: dict[str, tuple[Callable[[World], bytes], Refused]] = {
    "flipped byte in a story": (flip_story_byte, Refused("bad_signature", 422, 3)),
    "changed rating": (change_rating, Refused("bad_signature", 422, 3)),
    "reordered votes": (reorder, Refused("seq_not_contiguous", 422, 4)),
    "dropped middle vote": (drop_middle, Refused("bad_range", 422)),
    "dropped middle vote, re-signed": (drop_middle_resigned, Refused("seq_not_contiguous", 422, 4)),
    "duplicated vote": (duplicate_vote, Refused("bad_range", 422)),
    "votes of two kiosks mixed": (mix_two_kiosks, Refused("foreign_vote", 422, 3)),
    "valid votes under a changed envelope": (change_envelope, Refused("bad_batch_signature", 422)),
    "envelope re-signed by another enrolled kiosk": (
        resign_by_other_kiosk,
        Refused("foreign_vote", 422, 1),
    ),
    "kiosk id not derived from the key": (kiosk_not_from_key, Refused("kiosk_key_mismatch", 422)),
    "revoked key": (revoked_key, Refused("revoked", 403)),
    "kiosk never enrolled": (unknown_kiosk, Refused("unknown_kiosk", 403)),
    "votes for another district": (other_district, Refused("district_mismatch", 422)),
    "truncated file": (truncate, Refused("bad_json", 400)),
    "truncated inside a Thai character": (truncate_inside_thai, Refused("bad_utf8", 400)),
    "duplicate JSON key in the envelope": (duplicate_key_envelope, Refused("duplicate_key", 400)),
    "duplicate JSON key in a vote": (duplicate_key_vote, Refused("duplicate_key", 400)),
    "story not in NFC, validly signed": (not_nfc, Refused("bad_vote:story_not_normal", 422, 4)),
    "5,000-digit number": (huge_number, Refused("bad_number", 400)),
    "seq beyond 2**53": (huge_seq, Refused("bad_range", 422)),
    "rating 2**64": (huge_rating, Refused("bad_vote:bad_rating", 422, 3)),
    "unknown batch format version": (unknown_version, Refused("unsupported_version", 422)),
    "unknown vote format version": (
        unknown_vote_version,
        Refused("bad_vote:unsupported_version", 422, 3),
    ),
    "byte order mark": (byte_order_mark, Refused("bad_json", 400)),
    "larger than 4 MiB": (too_large, Refused("too_large", 413)),
    "a receipt sent as a batch": (receipt_as_batch, Refused("not_a_batch", 422)),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_tampered_batch_is_refused_for_its_reason_stores_nothing_and_is_audited(
    case: str, world: World, path: UsbPath | HttpPath
) -> None:
    make, expected = CASES[case]
    data = make(world)
    before = snapshot(world.db)

    answer = path.send(data)

    assert not answer.accepted
    assert answer.receipt is None
    assert answer.error == expected.code
    if isinstance(path, HttpPath):
        assert answer.status == expected.status
        assert answer.first_seq == expected.seq
    after = snapshot(world.db)
    assert after["audit"] == before["audit"] + 1
    assert {k: v for k, v in after.items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"
    }
    row = last_audit(world.db)
    assert (row["kind"], row["reason"], row["source"]) == ("refused", expected.code, path.name)
    assert row["detail"]


def test_the_matrix_is_wide_enough() -> None:
    assert len(CASES) >= 15


def test_an_exact_replay_months_later_is_acknowledged_again_and_counts_once(
    world: World, path: UsbPath | HttpPath
) -> None:
    # In July the kiosk sent votes 1-5 over the network and the collector stored 3-5.
    clock = world.store.clock
    assert isinstance(clock, FakeClock)
    clock.set_wall(JULY)
    july_batch = world.a.batch(made_at="2026-07-01T02:00:00.000Z")
    world.store.ingest(check_batch(july_batch), july_batch, "http", "127.0.0.1")
    clock.set_wall(NOW)  # months later: the replay
    before = snapshot(world.db)
    clock_before = kiosk_clock(world.db, world.a.kiosk_id)
    assert clock_before[0] == 0  # the July batch was made at the July receipt time

    answer = path.send(july_batch)

    assert answer.accepted
    assert answer.receipt is not None
    collector_key = public_key_from_raw(load_collector_key(world.db).public_key_raw)
    receipt = check_receipt(answer.receipt, collector_key, world.a.kiosk_id)
    assert receipt.ok, receipt.problems
    assert receipt.receipt is not None
    assert (receipt.receipt.accepted, receipt.receipt.conflicts) == ([(1, 5)], [])
    assert (receipt.receipt.held, receipt.receipt.missing) == ([(1, 5)], [])
    # Counted once: nothing new stored or quarantined, the July receipt times kept, no audit
    # row (nothing was refused), and the kiosk's clock reading untouched: an old made_at
    # replayed says nothing about the kiosk's clock today. Nor about its life: last_seen stays
    # in July and the replay is counted apart.
    after = snapshot(world.db)
    assert {k: after[k] for k in ("votes", "quarantine", "batches", "audit")} == {
        k: before[k] for k in ("votes", "quarantine", "batches", "audit")
    }
    assert kiosk_clock(world.db, world.a.kiosk_id) == clock_before
    status = world.store.kiosk_status(world.a.kiosk_id)
    assert (status.votes, status.contiguous, status.max_seq) == (5, 5, 5)
    assert not status.skew_flagged
    assert (status.last_seen, status.replays) == ("2026-07-01T02:00:00.000Z", 1)


def test_a_restored_backup_sending_other_bytes_is_quarantined_not_counted(
    world: World, path: UsbPath | HttpPath, tmp_path: Path
) -> None:
    # A copy of kiosk A restored from a backup after vote 1: same key, vote 1 identical (the
    # same ballot at the same clock gives the same signed bytes), then its own vote 2'.
    fork = Ledger(tmp_path / "fork.sqlite3", world.a.key, FakeClock(CAST_AT))
    try:
        fork.cast_many([ballot(0), ballot(3)])
        votes = [json.loads(s.body) for s in fork.iter_votes()]
    finally:
        fork.close()
    assert votes[0] == world.a.votes()[0]
    before = snapshot(world.db)

    answer = path.send(dump(envelope(votes, world.a.private)))

    assert answer.accepted
    assert answer.receipt is not None
    receipt = json.loads(answer.receipt)
    assert (receipt["accepted"], receipt["conflicts"]) == ([[1, 1]], [2])
    after = snapshot(world.db)
    assert after["votes"] == before["votes"]  # the held vote 2 is never overwritten
    assert len(after["quarantine"]) == len(before["quarantine"]) + 1
    assert after["quarantine"][-1][:2] == (world.a.kiosk_id, 2)
    row = last_audit(world.db)
    assert (row["kind"], row["reason"], row["source"]) == ("conflict", "conflict", path.name)
