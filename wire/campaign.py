"""The campaign notice: the collector's signed word on the current campaign, for the kiosks.

    {"kind": "sangsuk-campaign", "version": 1, "year": 2569, "name_th": ..., "name_en": ...,
     "slogan_th": ..., "slogan_en": ..., "starts_at": ..., "ends_at": ..., "issued_at": ...,
     "sig": ...}

``sig`` is the collector's signature over ``CAMPAIGN_DOMAIN`` + the RFC 8785 bytes of the notice
without ``sig``, by the key the kiosk pinned at enrollment, so only its own collector can
change what the welcome and thanks screens say. The collector serves it (GET
/api/v1/campaign) and writes it to a file for a USB stick; a kiosk keeps the newest it
verified (kiosk/campaign.py). docs/protocol.md section 8 is the normative text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from wire.canonical import canonical_json
from wire.clock import parse_utc
from wire.ed25519 import PublicKey
from wire.receipt import is_hex, is_int, signature_ok
from wire.vote import VoteError, parse_json_object

CAMPAIGN_KIND: Final = "sangsuk-campaign"
CAMPAIGN_VERSION: Final = 1
CAMPAIGN_DOMAIN: Final = b"sangsuk/v1/campaign\n"
CAMPAIGN_FILE_SUFFIX: Final = ".campaign.json"  # on a USB stick: sangsuk-2569.campaign.json
TEXT_MAX: Final = 200
NOTICE_MAX_BYTES: Final = 8192
_MEMBERS: Final = frozenset(
    {
        "kind", "version", "year", "name_th", "name_en", "slogan_th", "slogan_en",
        "starts_at", "ends_at", "issued_at", "sig",
    }
)  # fmt: skip


class CampaignNoticeError(ValueError):
    """A notice that cannot be trusted or read; the message says why."""


class ForeignNoticeError(CampaignNoticeError):
    """A notice not signed by the pinned collector key (another central office's, or altered)."""


@dataclass(frozen=True, slots=True)
class CampaignNotice:
    """What a kiosk shows of a campaign: its names and slogan, in Thai and English."""

    year: int
    name_th: str
    name_en: str
    slogan_th: str
    slogan_en: str
    starts_at: str
    ends_at: str
    issued_at: str

    def name(self, lang: str) -> str:
        """The campaign's name in lang (th or en)."""
        return self.name_th if lang == "th" else self.name_en

    def slogan(self, lang: str) -> str:
        """The campaign's slogan in lang (th or en)."""
        return self.slogan_th if lang == "th" else self.slogan_en

    def to_json(self) -> dict[str, Any]:
        """The notice as its JSON object, without signature."""
        return {
            "kind": CAMPAIGN_KIND, "version": CAMPAIGN_VERSION, "year": self.year,
            "name_th": self.name_th, "name_en": self.name_en, "slogan_th": self.slogan_th,
            "slogan_en": self.slogan_en, "starts_at": self.starts_at, "ends_at": self.ends_at,
            "issued_at": self.issued_at,
        }  # fmt: skip


def sign_notice(key: Ed25519PrivateKey, notice: CampaignNotice) -> bytes:
    """The notice signed with the collector key, as its RFC 8785 bytes."""
    unsigned = notice.to_json()
    sig = key.sign(CAMPAIGN_DOMAIN + canonical_json(unsigned)).hex()
    return canonical_json(dict(unsigned, sig=sig))


def read_notice(data: bytes, collector_key: PublicKey) -> CampaignNotice:
    """Check a notice against the pinned collector key and read it (CampaignNoticeError)."""
    if len(data) > NOTICE_MAX_BYTES:
        raise CampaignNoticeError(f"a campaign notice is at most {NOTICE_MAX_BYTES} bytes")
    try:
        obj = parse_json_object(data, "campaign notice")
    except VoteError as exc:
        raise CampaignNoticeError(f"not a campaign notice: {exc}") from None
    if obj.get("kind") != CAMPAIGN_KIND or obj.get("version") != CAMPAIGN_VERSION:
        raise CampaignNoticeError("not a Sangsuk campaign notice of version 1")
    if set(obj) != _MEMBERS:
        raise CampaignNoticeError("the campaign notice has missing or unknown members")
    unsigned = {k: v for k, v in obj.items() if k != "sig"}
    try:
        signed = CAMPAIGN_DOMAIN + canonical_json(unsigned)
    except (TypeError, ValueError):  # nothing the collector signs fails to canonicalize
        signed = b""
    if not (signed and is_hex(obj["sig"], 128) and signature_ok(collector_key, obj["sig"], signed)):
        raise ForeignNoticeError("the campaign notice is not signed by this kiosk's collector")
    texts = [obj[k] for k in ("name_th", "name_en", "slogan_th", "slogan_en")]
    if not all(isinstance(t, str) and 0 < len(t) <= TEXT_MAX and t.isprintable() for t in texts):
        raise CampaignNoticeError(f"the names and slogans must be 1 to {TEXT_MAX} characters")
    if not (is_int(obj["year"]) and 1 <= obj["year"] <= 9999):
        raise CampaignNoticeError("the campaign's year is not a whole number")
    try:
        starts, ends = parse_utc(obj["starts_at"]), parse_utc(obj["ends_at"])
        parse_utc(obj["issued_at"])
    except ValueError as exc:
        raise CampaignNoticeError(f"the campaign notice has a bad time: {exc}") from None
    if not starts < ends:
        raise CampaignNoticeError("the campaign ends before it starts")
    return CampaignNotice(
        obj["year"], obj["name_th"], obj["name_en"], obj["slogan_th"], obj["slogan_en"],
        obj["starts_at"], obj["ends_at"], obj["issued_at"],
    )  # fmt: skip
