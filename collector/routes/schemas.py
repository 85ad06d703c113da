"""The shapes of the kiosk API's requests and answers (pydantic models), as its OpenAPI states.

docs/protocol.md defines the bytes; these models are what FastAPI validates and documents. A
receipt is sent as its exact signed bytes, so ``ReceiptOut`` only documents it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ProblemOut(BaseModel):
    """One problem found in a request."""

    code: str
    message: str
    seq: int | None = None


class ErrorOut(BaseModel):
    """Every refusal has this shape: a code, a sentence, and the problems found."""

    error: str = Field(description="machine-readable reason, e.g. bad_signature, revoked")
    message: str = Field(description="what was wrong, for a person")
    problems: list[ProblemOut] = []


class HealthOut(BaseModel):
    """The collector is up."""

    status: str
    server_time: str
    collector_key: str = Field(description="the collector's Ed25519 public key, hex")
    api: str


class EnrollIn(BaseModel):
    """A kiosk presents its one-time token and its public key."""

    token: str = Field(min_length=1, max_length=200)
    public_key: str = Field(min_length=64, max_length=64, pattern="^[0-9a-f]{64}$")
    district: str | None = Field(
        default=None,
        pattern="^[0-9]{4}$",
        description="the district a kiosk is already set up for; a token for another is refused unused",
    )


class EnrollOut(BaseModel):
    """The district the centre decided, and the key that signs receipts (pin it)."""

    kiosk: str
    district: str
    size_group: str
    name_th: str
    name_en: str
    province_th: str
    province_en: str
    collector_key: str
    server_time: str
    answer: dict[str, Any] = Field(
        description="the same enrollment, signed by the collector key: the signed answer file"
        " of docs/protocol.md 5.8, as a JSON object whose RFC 8785 bytes are the file"
    )


class ReceiptOut(BaseModel):
    """A signed receipt (docs/protocol.md); the body is its exact canonical bytes."""

    kind: str
    version: int
    kiosk: str
    batch: str | None
    accepted: list[list[int]]
    conflicts: list[int]
    held: list[list[int]]
    missing: list[list[int]]
    server_time: str
    sig: str


class KioskStatusOut(BaseModel):
    """What the collector holds for a kiosk."""

    kiosk: str
    district: str
    revoked: bool
    last_seen: str | None
    highest_contiguous: int
    max_seq: int
    votes: int
    held: list[list[int]]
    missing: list[list[int]]
    clock_skew_s: float | None = Field(
        description="the latest network batch's made_at minus its receipt time, seconds"
    )
    vote_ahead_s: float | None = Field(
        description="the newest vote's cast_at minus the receipt time of the latest batch, seconds"
    )
    clock_flagged: bool = Field(description="the kiosk's clock is off by more than the threshold")
