"""Build tests/vectors/votes.json: signed vote test vectors for docs/protocol.md.

Run from the project root:

    uv run python tests/vectors/make_vote_vectors.py

The vectors are made with the project's own code (``wire.vote.sign_vote``) from a fixed
Ed25519 seed written below. Ed25519 signatures are deterministic (RFC 8032), so the output is
the same on every run; tests/wire/test_vectors.py checks that the committed file still equals
what this script builds, and recomputes every value independently of wire.vote.

The seed is a TEST-ONLY key, published here on purpose. No kiosk may ever use it.
"""

from __future__ import annotations

import hashlib
import json
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: make the project's packages importable
    sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from wire.keys import fingerprint_for, kiosk_id_for  # noqa: E402
from wire.masking import mask_personal_numbers, mask_required  # noqa: E402
from wire.vote import (  # noqa: E402
    VOTE_DOMAIN,
    Ballot,
    Target,
    Vote,
    VoteError,
    genesis_prev,
    normalize_story,
    parse_vote,
    sign_vote,
)

OUTPUT: Final = Path(__file__).with_name("votes.json")

# TEST-ONLY private key seed: the 32 bytes 0x00, 0x01, ..., 0x1f. Never use it for a real kiosk.
TEST_SEED: Final = bytes(range(32))

# A valid Thai national ID number made up for the vectors: 3-7006-00456-78-0. The weighted sum
# of its first 12 digits is 287; 287 mod 11 = 1; (11 - 1) mod 10 = 0, the 13th digit.
TEST_ID: Final = "3-7006-00456-78-0"
TEST_PHONE: Final = "081-234-5678"

# (name, seq, cast_at, ballot, note); seq must run 1, 2, 3 ... and each vote chains to the last.
VOTES: Final[tuple[tuple[str, int, str, Ballot, str], ...]] = (
    (
        "thai-combining-marks",
        1,
        "2026-11-24T03:15:30.123Z",
        Ballot(
            district="3706",
            rating=5,
            target=Target("staff", "s01"),
            service="id-card",
            tags=("polite", "fast"),  # given unsorted: the kiosk sorts them
            story="เจ้าหน้าที่พูดจาสุภาพ น้ำใจดีมาก ขอบคุณค่ะ",
            lang="th",
        ),
        "A Thai story with vowel signs and tone marks above and below (U+0E49, U+0E48,"
        " U+0E38, U+0E39 ...). Tags are given unsorted and signed sorted.",
    ),
    (
        "emoji",
        2,
        "2026-11-24T03:16:02.900Z",
        Ballot(
            district="3706",
            rating=4,
            target=Target("unit", "civil-registration"),
            story="บริการดีมาก 👍🙏",
            lang="th",
        ),
        "Emoji outside the Basic Multilingual Plane: each is one code point (and 4 bytes of"
        " UTF-8) and JCS writes them unescaped. No service, no tags.",
    ),
    (
        "masked-id-and-phone",
        3,
        "2026-11-24T03:20:45.007Z",
        Ballot(
            district="3706",
            rating=3,
            service="id-card",
            tags=("clear-steps",),
            story=(f"ขอบคุณที่ช่วยแก้ชื่อในบัตรเลขที่ {TEST_ID} ให้ค่ะ ถ้ามีปัญหาโทร {TEST_PHONE} ได้ 2 ครั้ง"),
            lang="th",
            burst=True,
        ),
        "The input story holds a valid national ID number and a mobile number: their digits"
        " become X, the dashes stay, and the ordinary number 2 stays. No target; burst is true.",
    ),
    (
        "not-nfc-input",
        4,
        "2026-11-24T04:01:00.000Z",
        Ballot(
            district="3706",
            rating=5,
            target=Target("staff", "s02"),
            service="certificate",
            tags=("convenient", "clean", "clear-steps"),
            # Decomposed e + U+0300 and e + U+0301; Thai ผ + MAI THO + SARA UU typed in the
            # non-canonical order; an ASCII quote and backslash; spaces at both ends.
            story=(
                '  Tre\u0300s bien! The clerk said "no problem" and wrote C:\\forms for me.'
                " Cafe\u0301 corner is nice. ผ\u0e49\u0e39ใหญ่ใจดี  "
            ),
            lang="en",
        ),
        "The input story is not NFC: e + U+0300 becomes U+00E8, e + U+0301 becomes U+00E9, and"
        " U+0E49 U+0E39 is reordered to U+0E39 U+0E49 (canonical combining classes 107 and 103)."
        " The spaces at both ends are trimmed. JCS escapes the quote and the backslash.",
    ),
)

# (input, why) for mask_required, the rule every reader checks (2.6.1); the expected output
# is computed and recorded.
MASKING: Final = (
    ("บัตร 3700600456780 ค่ะ", "an ID number written together"),
    ("บัตร 3-7006-00456-78-0", "an ID number in the usual 1-4-5-2-1 grouping"),
    ("บัตร 3 7006 00456 78 0", "an ID number grouped with spaces"),
    ("บัตร 3700600456781", "13 digits with a wrong check digit: not an ID, kept"),
    ("เบอร์ 0812345678 ค่ะ", "a mobile number written together"),
    ("โทร 081-234-5678 2 ครั้ง", "the longest window of whole groups is the phone; 2 is kept"),
    ("โทร 081.234.5678", "dots are separators too"),
    ("สำนักงาน 02-123-4567", "a Bangkok fixed line: 0 + [2-7] + 7 digits"),
    ("โทร 045 123 456", "a provincial fixed line grouped with spaces"),
    ("+66 81 234 5678", "the country code with a plus sign; the plus sign is kept"),
    ("66812345678", "the country code without a plus sign"),
    ("6621234567", "a fixed line with the country code: 66 + [2-7] + 7 digits"),
    ("+3700600456780", "an ID number is masked after a plus sign too"),
    ("+0812345678", "a stray plus sign before a national number does not matter"),
    ("+66 (0) 81 234 5678", "country code with the national 0 in parentheses"),
    ("(02) 123-4567", "parentheses around the area code are separators"),
    ("081–234–5678", "en dashes are separators"),
    ("โทร ๐๘๑-๒๓๔-๕๖๗๘", "Thai digits count as digits"),
    ("เลขบัตร ๓๗๐๐๖๐๐๔๕๖๗๘๐", "an ID number in Thai digits"),
    ("โทร 081-234๕๖๗๘", "ASCII and Thai digits mixed in one group"),
    ("เบอร์0812345678ค่ะ", "letters right next to the digits do not stop a match"),
    ("0812345678 0898765432", "two numbers in one run are masked window by window"),
    ("โทร 081  234 5678", "up to three separators join groups, so two spaces do not hide a number"),
    ("โทร 081/234/5678", "a slash is not a separator, kept"),
    ("10812345678", "a phone inside a longer group is not found: windows are whole groups"),
    ("1 0812345678", "the window may start at a later group of the run"),
    ("081-234-5678-9", "the phone window ends before the last group, which is kept"),
    ("0 2123 4567 89", "windows are tried from the left: 0 2123 4567 is a fixed line"),
    ("รอคิว 15 นาที เวลา 10.30 น. ปี 2564", "ordinary numbers are kept"),
    ("0112345678", "01 is not a Thai phone prefix, kept"),
    ("ราคา 1,500 บาท", "a comma is not a separator"),
)

# (input, why) for mask_personal_numbers, the kiosk's wider rule (2.6.2). The output is recorded.
KIOSK_MASKING: Final = (
    ("โทร 081/234/5678", "a slash is a separator for the kiosk's rule"),
    ("โทร 081,234,5678", "so is a comma"),
    ("โทร 081:234:5678", "and a colon"),
    ("โทร 081_234_5678", "and a low line"),
    ("โทร 081     234     5678", "a run of spaces of any length counts as one separator"),
    ("โทร 081 - 234 - 5678", "space, hyphen, space: three separators"),
    ("โทร 081 -- 234 5678", "four separators end a run: 081 is kept, 234 5678 is no number"),
    ("โทร 081\u00a0234\u00a05678", "NO-BREAK SPACE is a space"),
    ("โทร 081\u2010234\u22125678", "HYPHEN U+2010 and MINUS SIGN U+2212 are separators"),
    ("โทร ０８１－２３４－５６７８", "full-width digits and FULL-WIDTH HYPHEN-MINUS"),
    ("（０２）１２３\u3000４５６７", "full-width parentheses and IDEOGRAPHIC SPACE"),
    ("＋６６ ８１ ２３４ ５６７８", "a full-width plus sign is kept like a plus sign"),
    ("โทร ٠٨١-٢٣٤-٥٦٧٨", "Arabic-Indic digits"),
    ("โทร ۰۸۱۲۳۴۵۶۷۸", "Extended Arabic-Indic digits"),
    ("โทร ໐໘໑ ໒໓໔ ໕໖໗໘", "Lao digits"),
    ("โทร ၀၈၁ ၂၃၄ ၅၆၇၈", "Myanmar digits"),
    ("โทร ០៨១ ២៣៤ ៥៦៧៨", "Khmer digits"),
    ("โทร ๐๘๑/2๓4/๕๖78", "digits of several scripts in one number"),
    ("บัตร 3/7006/00456/78/0", "an ID number with slashes"),
    ("บัตร ３ ７００６ ００４５６ ７８ ０", "an ID number in full-width digits"),
    ("โทร:081/234/5678, ขอบคุณ", "a colon before and a comma after are not between groups"),
    ("0812345678０", "the required rule, which runs too, reads 0812345678 without the ０"),
    ("มาวันที่ 06/10/2566 10:30 น.", "a date and a time are kept, and so are windows over them"),
    ("12/08/2566 14.30 น.", "08/2566 14.30 would be a phone number, but it touches a date"),
    ("02/10/2566 9 โมง", "02/10/2566 9 would be a fixed line, but it is a date"),
    ("๐๖/๑๐/๒๕๖๖ ๑๐:๓๐", "dates and times in Thai digits"),
    ("รอ 08:30 09:00 10:30", "times are kept"),
    ("06/10/2566 0812345678", "a phone number after a date is masked"),
    ("08/12/34/5678", "three slashes make no date: this is a phone number"),
    (
        "06.10.2566 10.30",
        "the required rule masks this (dots are its separators); so must the kiosk",
    ),
    ("ราคา 1,500 บาท ค่าธรรมเนียม 2,000.50 บาท", "amounts are kept"),
    ("คิว A012 ปี 2566 ให้ 10/10", "queue numbers, years and short numbers are kept"),
)

# (input, why) for normalize_story: NFC, trim, mask, NFC again. The output is recorded.
STORIES: Final = (
    ("Cafe\u0301", "NFC composes e + U+0301 into U+00E9"),
    ("ผ\u0e49\u0e39", "NFC reorders a Thai tone mark (ccc 107) after SARA UU (ccc 103)"),
    ("\u00a0\u3000 ดีมาก \u2003", "NBSP, ideographic and em spaces at the ends are trimmed"),
    ("ดี\u3000มาก", "whitespace inside the story is kept"),
    ("\u200bดีมาก\u200b", "ZERO WIDTH SPACE is not whitespace: it is kept"),
    ("👨\u200d👩\u200d👧 ขอบคุณ", "ZERO WIDTH JOINER (Cf) is allowed"),
    ("  โทร 081-234-5678  ", "trimmed first, then masked"),
    ("โทร 0812345678\u0307", "the last X composes with U+0307 into U+1E8A: NFC after masking"),
    ("โทร 081/234/5678", "the kiosk masks by its wider rule (2.6.2)"),
    ("", "the empty story"),
)

# (input, code, why) for normalize_story: inputs the kiosk refuses.
STORY_REFUSALS: Final = (
    ("ดีมาก\nขอบคุณ", "control_character", "a line feed is a control character (Cc)"),
    ("\tดีมาก", "control_character", "a tab is refused, not trimmed"),
    ("ดี\u202emaak", "control_character", "RIGHT-TO-LEFT OVERRIDE (bidi control)"),
    ("ดี\u2066maak\u2069", "control_character", "LEFT-TO-RIGHT ISOLATE (bidi control)"),
    ("ดี\u0085", "control_character", "NEXT LINE U+0085 is Cc: refused, not trimmed"),
)


class _Drop:
    """Marks a member to leave out of a mutated vote."""


_DROP: Final = _Drop()


def _hex(data: bytes) -> str:
    return data.hex()


def _ballot_json(b: Ballot) -> dict[str, Any]:
    return {
        "district": b.district,
        "rating": b.rating,
        "target": b.target.to_json() if b.target else None,
        "service": b.service,
        "tags": list(b.tags),
        "story": b.story,
        "story_utf8_hex": _hex(b.story.encode("utf-8")),
        "lang": b.lang,
        "burst": b.burst,
    }


def _refusal(description: str, text: str, code: str) -> dict[str, str]:
    try:
        parse_vote(text.encode("utf-8"))
    except VoteError as exc:
        if exc.code != code:
            raise AssertionError(f"{description}: expected {code}, got {exc.code}") from None
    else:
        raise AssertionError(f"{description}: was accepted")
    return {"why": description, "json": text, "code": code}


def _story_refused(text: str, code: str) -> str:
    try:
        normalize_story(text)
    except VoteError as exc:
        if exc.code != code:
            raise AssertionError(f"{text!r}: expected {code}, got {exc.code}") from None
        return code
    raise AssertionError(f"the story {text!r} was accepted")


def _older_kiosk_vote(key: Ed25519PrivateKey, kiosk: str, prev: str) -> dict[str, str]:
    """A vote whose story only the required rule masked, as a kiosk before 2.6.2 signed it."""
    story = "โทร 081/234/5678"
    assert mask_required(story) == story != mask_personal_numbers(story)
    unsigned = Vote(
        kiosk=kiosk,
        seq=1,
        cast_at="2026-11-20T02:00:00.000Z",
        prev=prev,
        ballot=Ballot(district="3706", rating=4, story=story, lang="th"),
    )
    vote = replace(unsigned, sig=key.sign(VOTE_DOMAIN + unsigned.canonical_bytes()).hex())
    signed_bytes = vote.signed_bytes()
    assert parse_vote(signed_bytes) == vote  # every reader must accept it
    return {
        "why": "signed by a kiosk whose masking was the required rule alone: its story is in"
        " normal form (2.6), so it is read and its signature verifies, although a kiosk"
        " signing the same ballot now would mask the number",
        "json": signed_bytes.decode("utf-8"),
    }


def _refusals(signed: dict[str, Any]) -> list[dict[str, str]]:
    """Single-fault mutations of the first vote that a strict parser must refuse."""

    def dump(**changes: Any) -> str:
        obj = {**signed, **changes}
        obj = {k: v for k, v in obj.items() if v is not _DROP}
        return json.dumps(obj, ensure_ascii=True, separators=(",", ":"), sort_keys=True)

    canonical = dump()
    return [
        _refusal(
            "a member appears twice",
            canonical.replace('"rating":5', '"rating":5,"rating":5'),
            "duplicate_key",
        ),
        _refusal(
            "a number with a fraction",
            canonical.replace('"rating":5', '"rating":5.0'),
            "bad_number",
        ),
        _refusal(
            "a number with an exponent", canonical.replace('"seq":1', '"seq":1e0'), "bad_number"
        ),
        _refusal("NaN is not JSON", canonical.replace('"rating":5', '"rating":NaN'), "bad_number"),
        _refusal("not an object", "[" + canonical + "]", "bad_json"),
        _refusal("a member is missing", dump(burst=_DROP), "missing_member"),
        _refusal("an unknown member", dump(note="hi"), "unknown_member"),
        _refusal("another format version", dump(version=2), "unsupported_version"),
        _refusal("version as text", dump(version="1"), "bad_version"),
        _refusal("seq 0", dump(seq=0), "bad_seq"),
        _refusal("seq above 2^53 - 1", dump(seq=2**53), "bad_seq"),
        _refusal("seq as text", dump(seq="1"), "bad_seq"),
        _refusal("rating 6", dump(rating=6), "bad_rating"),
        _refusal("rating true", dump(rating=True), "bad_rating"),
        _refusal("a Bangkok khet", dump(district="1001"), "unknown_district"),
        _refusal("a district code that does not exist", dump(district="1199"), "unknown_district"),
        _refusal("a district as a number", dump(district=3706), "bad_district"),
        _refusal("kiosk id in upper case", dump(kiosk=signed["kiosk"].upper()), "bad_kiosk"),
        _refusal("prev too short", dump(prev=signed["prev"][:63]), "bad_prev"),
        _refusal("sig in upper case", dump(sig=signed["sig"].upper()), "bad_sig"),
        _refusal(
            "cast_at without milliseconds", dump(cast_at="2026-11-24T03:15:30Z"), "bad_cast_at"
        ),
        _refusal(
            "cast_at with a space-padded day",
            dump(cast_at="2026-11- 4T03:15:30.123Z"),
            "bad_cast_at",
        ),
        _refusal(
            "cast_at with a lower-case t",
            dump(cast_at="2026-11-24t03:15:30.123Z"),
            "bad_cast_at",
        ),
        _refusal(
            "cast_at that is not a real date",
            dump(cast_at="2026-02-30T03:15:30.123Z"),
            "bad_cast_at",
        ),
        _refusal(
            "cast_at with an offset", dump(cast_at="2026-11-24T10:15:30.123+07:00"), "bad_cast_at"
        ),
        _refusal("an unknown lang", dump(lang="fr"), "bad_lang"),
        _refusal("burst as 0", dump(burst=0), "bad_burst"),
        _refusal(
            "a target with an extra member",
            dump(target={"id": "s01", "kind": "staff", "x": 1}),
            "bad_target",
        ),
        _refusal(
            "a target kind that is not staff or unit",
            dump(target={"id": "s01", "kind": "desk"}),
            "bad_target",
        ),
        _refusal(
            "a target id with upper case", dump(target={"id": "S01", "kind": "staff"}), "bad_target"
        ),
        _refusal("a service code too long", dump(service="a" * 33), "bad_service"),
        _refusal("tags not sorted", dump(tags=["polite", "fast"]), "tags_not_sorted"),
        _refusal("a tag twice", dump(tags=["fast", "fast"]), "bad_tags"),
        _refusal("13 tags", dump(tags=[f"t{i:02d}" for i in range(13)]), "bad_tags"),
        _refusal("a story not in NFC", dump(story="Cafe\u0301"), "story_not_normal"),
        _refusal("a story not trimmed", dump(story=" ดีมาก"), "story_not_normal"),
        _refusal(
            "a story with an unmasked phone", dump(story="โทร 0812345678"), "story_not_normal"
        ),
        _refusal("a story with a line feed", dump(story="ดี\nมาก"), "control_character"),
        _refusal("a story with a bidi override", dump(story="ดี\u202eมาก"), "control_character"),
        _refusal(
            "a story with a lone surrogate",
            canonical.replace('"story":"', '"story":"\\ud800'),
            "bad_text",
        ),
        _refusal("a story of 501 code points", dump(story="ก" * 501), "story_too_long"),
    ]


def build() -> dict[str, Any]:
    """Return the whole vector file as a JSON-ready dict."""
    key = Ed25519PrivateKey.from_private_bytes(TEST_SEED)
    public_raw = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    kiosk = kiosk_id_for(public_raw)
    prev = genesis_prev(public_raw)
    votes = []
    for name, seq, cast_at, ballot, note in VOTES:
        vote = sign_vote(key, kiosk, seq, cast_at, prev, ballot)
        canonical = vote.canonical_bytes()
        signing_input = VOTE_DOMAIN + canonical
        signed_bytes = vote.signed_bytes()
        votes.append(
            {
                "name": name,
                "note": note,
                "seq": seq,
                "cast_at": cast_at,
                "prev": prev,
                "ballot": _ballot_json(ballot),
                "input_story_is_nfc": unicodedata.is_normalized("NFC", ballot.story),
                "signed": vote.to_json(),
                "canonical_hex": _hex(canonical),
                "signing_input_hex": _hex(signing_input),
                "signature_hex": vote.sig,
                "signed_bytes_hex": _hex(signed_bytes),
                "hash": hashlib.sha256(signed_bytes).hexdigest(),
            }
        )
        prev = vote.hash()
    first = votes[0]["signed"]
    tampered = {**first, "rating": 4}
    return {
        "about": (
            "Test vectors for the Sangsuk signed vote format, docs/protocol.md section Votes."
            " Generated by tests/vectors/make_vote_vectors.py; do not edit by hand."
            " Hex is lowercase. All strings here are the exact Unicode the vector means."
        ),
        "format_version": 1,
        "unicode_version": unicodedata.unidata_version,
        "domain_prefix": {"ascii": VOTE_DOMAIN.decode("ascii"), "hex": _hex(VOTE_DOMAIN)},
        "test_key": {
            "WARNING": "TEST-ONLY key, published on purpose. Never use it for a real kiosk.",
            "private_seed_hex": _hex(TEST_SEED),
            "public_key_hex": _hex(public_raw),
            "kiosk_id": kiosk,
            "fingerprint": fingerprint_for(public_raw),
            "genesis_prev": genesis_prev(public_raw),
        },
        "votes": votes,
        "tampered": {
            "why": "vote 1 with rating changed from 5 to 4 and the old sig kept: it parses,"
            " but the signature does not verify",
            "json": json.dumps(tampered, ensure_ascii=True, separators=(",", ":"), sort_keys=True),
        },
        "older_kiosk_vote": _older_kiosk_vote(key, kiosk, genesis_prev(public_raw)),
        "masking": [
            {"input": text, "masked": mask_required(text), "why": why} for text, why in MASKING
        ],
        "kiosk_masking": [
            {"input": text, "masked": mask_personal_numbers(text), "why": why}
            for text, why in KIOSK_MASKING
        ],
        "stories": [
            {
                "input": text,
                "input_utf8_hex": _hex(text.encode("utf-8")),
                "signed": normalize_story(text),
                "why": why,
            }
            for text, why in STORIES
        ],
        "story_refusals": [
            {
                "input_utf8_hex": _hex(text.encode("utf-8")),
                "code": _story_refused(text, code),
                "why": why,
            }
            for text, code, why in STORY_REFUSALS
        ],
        "vote_refusals": _refusals(first),
    }


def render(vectors: dict[str, Any]) -> str:
    """Return the vector file's text exactly as it is committed."""
    return json.dumps(vectors, ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    """Write tests/vectors/votes.json."""
    OUTPUT.write_text(render(build()), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
