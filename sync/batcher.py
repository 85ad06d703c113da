"""The batcher: which undelivered votes go into which signed batch, and what a receipt proves.

What it promises:

* A batch holds votes with consecutive seqs, read from ``Ledger.pending`` in seq order, and
  never spans a vote that is already delivered (the protocol requires a gap-free run; a
  delivered vote in the middle ends one batch and the next starts after it).
* A batch holds at most ``batch_size`` votes (1 to ``MAX_BATCH_VOTES``) and at most
  ``MAX_BATCH_BYTES``; a run whose bytes would be larger is halved until it fits.
* The votes are the ledger's stored bytes, unchanged; the batch is signed with the device key.
  The network and a USB stick carry exactly these bytes (promise 6).
* ``deliverable`` is the only way from a receipt to delivery marks: the seqs the collector
  accepted, minus its conflicts, *and* that were in the batch that receipt answers. A receipt
  that names more is not believed for the rest. The caller must have checked the receipt's
  signature against the pinned collector key first (``wire.receipt.check_receipt``).

* ``resend_batches`` makes batches of the delivered votes the collector asked for again
  (kiosk/resend.py), the same way: gap-free runs of the stored bytes, each sent at most once a
  pass. ``outgoing_batches`` is both: the undelivered votes first, then those to send again.
* ``check_batch`` is the newest vote alone, when it is delivered: sent when a pass has nothing
  else to send and a check is due (sync/worker.py), so that a collector restored from a backup
  that lost this kiosk's newest votes hears of them, and its receipt lists what it is missing
  (docs/protocol.md 4.4, "Checking in"). The collector holds each (kiosk, seq) once, so a vote
  it already holds is acknowledged again and not stored twice.

What it does not promise: that a batch is accepted. Conflicting votes stay undelivered and are
offered again on the next pass; the collector quarantines them and the central office decides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.ledger import Ledger, StoredVote
from kiosk.resend import load_resend
from wire.batch import MAX_BATCH_BYTES, MAX_BATCH_VOTES, build_batch, to_ranges
from wire.receipt import Receipt


@dataclass(frozen=True, slots=True)
class Batch:
    """A signed batch ready to send or write, with the seqs it holds."""

    data: bytes
    seqs: tuple[int, ...]
    check: bool = False  # the newest delivered vote, sent again to check in (check_batch)

    @property
    def first_seq(self) -> int:
        """The batch's first seq."""
        return self.seqs[0]

    @property
    def last_seq(self) -> int:
        """The batch's last seq."""
        return self.seqs[-1]


def consecutive_run(stored: list[StoredVote]) -> list[StoredVote]:
    """The leading votes of a page whose seqs follow one another without a gap."""
    run = stored[:1]
    for vote in stored[1:]:
        if vote.seq != run[-1].seq + 1:
            break
        run.append(vote)
    return run


def pending_batches(
    ledger: Ledger,
    key: Ed25519PrivateKey,
    batch_size: int,
    made_at: Callable[[], str],
    max_bytes: int = MAX_BATCH_BYTES,
) -> Iterator[Batch]:
    """Yield signed batches of every undelivered vote, in seq order, each a gap-free run.

    The next page is read only when the caller asks for the next batch, so votes marked
    delivered meanwhile are not sent again, and votes cast meanwhile are included.
    """
    if not 1 <= batch_size <= MAX_BATCH_VOTES:
        raise ValueError(f"batch_size must be 1 to {MAX_BATCH_VOTES}, not {batch_size}")
    after = 0
    while True:
        page = ledger.pending(after_seq=after, limit=batch_size)
        if not page:
            return
        batch = _signed(key, consecutive_run(page), made_at, max_bytes)
        yield batch
        after = batch.last_seq


def _signed(
    key: Ed25519PrivateKey, run: list[StoredVote], made_at: Callable[[], str], max_bytes: int
) -> Batch:
    """Sign the run as one batch, halved until it fits in max_bytes (one vote always does)."""
    while True:
        data = build_batch(key, [v.body for v in run], [v.hash for v in run], made_at())
        if len(data) <= max_bytes or len(run) == 1:
            return Batch(data, tuple(v.seq for v in run))
        run = run[: len(run) // 2]


def resend_batches(
    ledger: Ledger,
    key: Ed25519PrivateKey,
    batch_size: int,
    made_at: Callable[[], str],
    max_bytes: int = MAX_BATCH_BYTES,
) -> Iterator[Batch]:
    """Yield signed batches of the votes to send again (kiosk/resend.py), each seq once.

    The list is read again before each batch, so votes a receipt asked for meanwhile are
    included, and a vote already sent in this pass is not sent twice, whatever the collector
    says: the next pass offers it again if it is still on the list.
    """
    if not 1 <= batch_size <= MAX_BATCH_VOTES:
        raise ValueError(f"batch_size must be 1 to {MAX_BATCH_VOTES}, not {batch_size}")
    done: set[int] = set()
    while True:
        left = [s for s in load_resend(ledger.path.parent) if s not in done]
        if not left:
            return
        end = left[0]
        for seq in left[1:batch_size]:
            if seq != end + 1:
                break
            end = seq
        run = consecutive_run(ledger.stored(left[0], end))
        if not run or run[0].seq != left[0]:  # a vote this kiosk does not hold: never sent
            done.add(left[0])
            continue
        batch = _signed(key, run, made_at, max_bytes)
        done.update(batch.seqs)
        yield batch


def check_batch(
    ledger: Ledger, key: Ed25519PrivateKey, made_at: Callable[[], str]
) -> Iterator[Batch]:
    """Yield the newest vote alone when it is delivered (a check-in); nothing otherwise."""
    last = ledger.head()[0]
    if last == 0 or not ledger.delivered_seqs(last, last):
        return  # nothing cast, or the newest vote is still to be sent as an ordinary batch
    yield replace(_signed(key, ledger.stored(last, last), made_at, MAX_BATCH_BYTES), check=True)


def outgoing_batches(
    ledger: Ledger,
    key: Ed25519PrivateKey,
    batch_size: int,
    made_at: Callable[[], str],
    max_bytes: int = MAX_BATCH_BYTES,
    *,
    check: bool = False,
) -> Iterator[Batch]:
    """Every batch to send or export: the undelivered votes, then the votes to send again.

    With ``check``, a pass that had no undelivered vote sends the newest delivered one before
    the votes to send again, so that those its receipt asks for go in the same pass.
    """
    sent_any = False
    for batch in pending_batches(ledger, key, batch_size, made_at, max_bytes):
        sent_any = True
        yield batch
    if check and not sent_any:
        yield from check_batch(ledger, key, made_at)
    yield from resend_batches(ledger, key, batch_size, made_at, max_bytes)


def deliverable(receipt: Receipt, batch_seqs: tuple[int, ...] | set[int]) -> list[tuple[int, int]]:
    """The seq ranges a verified receipt lets us mark delivered: accepted and in the batch."""
    return to_ranges(receipt.accepted_seqs() & set(batch_seqs))
