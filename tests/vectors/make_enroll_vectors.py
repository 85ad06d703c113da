"""Build tests/vectors/enrollment.json: enrollment request and answer files (docs/protocol.md 5.8).

Run from the project root:

    uv run python tests/vectors/make_enroll_vectors.py

The request is made with ``wire.enrollment.sign_request`` by the kiosk key of
tests/vectors/votes.json, the answer with ``sign_answer`` by the collector key of
tests/vectors/batches.json; times are fixed and Ed25519 is deterministic (RFC 8032), so the
output is the same on every run. tests/wire/test_enroll_vectors.py checks that the committed file
still equals what this script builds, recomputes every signature with only the domain prefix, an
RFC 8785 encoder and Ed25519, and that each tampered file is refused with the code written here.

The seeds are TEST-ONLY keys, published on purpose. No kiosk or collector may ever use them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: make the project's packages importable
    sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from wire.canonical import canonical_json  # noqa: E402
from wire.enrollment import (  # noqa: E402
    ANSWER_DOMAIN,
    REQUEST_DOMAIN,
    EnrollAnswer,
    EnrollFileError,
    check_answer,
    public_hex,
    read_request,
    request_hash,
    sign_answer,
    sign_request,
)
from wire.keys import kiosk_id_for  # noqa: E402
from wire.stick import answer_file_for, enroll_request_name  # noqa: E402

HERE: Final = Path(__file__).resolve().parent
OUTPUT: Final = HERE / "enrollment.json"
WARNING: Final = "TEST-ONLY key, published on purpose: never use it for a real kiosk or collector"
KIOSK_SEED: Final = bytes(range(32))  # the key of tests/vectors/votes.json
OTHER_KIOSK_SEED: Final = bytes(range(32, 64))
COLLECTOR_SEED: Final = b"\x42" * 32  # the collector of tests/vectors/batches.json
OTHER_COLLECTOR_SEED: Final = b"\x43" * 32
TOKEN: Final = "4f99e208-30c70cc3-48e0007a-7af75707"
MADE_AT: Final = "2026-11-24T02:00:00.000Z"
ISSUED_AT: Final = "2026-11-24T03:15:00.000Z"


def _answer(kiosk: Ed25519PrivateKey, collector: Ed25519PrivateKey, request: bytes) -> EnrollAnswer:
    public = public_hex(kiosk)
    return EnrollAnswer(
        kiosk=kiosk_id_for(bytes.fromhex(public)),
        public_key=public,
        district="3706",
        size_group="small",
        name_th="หัวตะพาน",
        name_en="Hua Taphan",
        province_th="อำนาจเจริญ",
        province_en="Amnat Charoen",
        collector_key=public_hex(collector),
        request=request_hash(request),
        issued_at=ISSUED_AT,
    )


def _edited(data: bytes, **changes: Any) -> bytes:
    obj = json.loads(data)
    obj.update(changes)
    return canonical_json(obj)


def _refusal(data: bytes, public_key: str, request: bytes, pinned: str | None) -> str:
    try:
        check_answer(data, public_key, pinned_collector_key=pinned, request=request)
    except EnrollFileError as exc:
        return exc.code
    return ""


def build() -> dict[str, Any]:
    """Every vector, checked against the code as it is made."""
    kiosk = Ed25519PrivateKey.from_private_bytes(KIOSK_SEED)
    other_kiosk = Ed25519PrivateKey.from_private_bytes(OTHER_KIOSK_SEED)
    collector = Ed25519PrivateKey.from_private_bytes(COLLECTOR_SEED)
    other_collector = Ed25519PrivateKey.from_private_bytes(OTHER_COLLECTOR_SEED)
    public = public_hex(kiosk)
    request = sign_request(kiosk, "3706", TOKEN, MADE_AT)
    request_no_token = sign_request(kiosk, "3706", None, MADE_AT)
    later_request = sign_request(kiosk, "3706", TOKEN, "2026-11-25T02:00:00.000Z")
    other_request = sign_request(other_kiosk, "3706", None, MADE_AT)
    answer = sign_answer(collector, _answer(kiosk, collector, request))
    read_request(request)
    read_request(request_no_token)
    assert _refusal(answer, public, request, None) == ""
    assert _refusal(answer, public, request, public_hex(collector)) == ""
    name = enroll_request_name("3706", kiosk_id_for(bytes.fromhex(public)))
    tampered_answers = [
        # (name, bytes, pinned collector key, request the kiosk wrote, expected code, why)
        (
            "size-group-changed",
            _edited(answer, size_group="large"),
            None,
            request,
            "bad_signature",
            "one member changed after signing",
        ),
        (
            "signed-by-another-collector",
            sign_answer(other_collector, _answer(kiosk, other_collector, request)),
            public_hex(collector),
            request,
            "wrong_collector",
            "a kiosk that already pinned a collector key refuses any other signer",
        ),
        (
            "collector-key-swapped",
            _edited(answer, collector_key=public_hex(other_collector)),
            None,
            request,
            "bad_signature",
            "the key named did not sign it",
        ),
        (
            "another-kiosk",
            sign_answer(collector, _answer(other_kiosk, collector, other_request)),
            None,
            request,
            "wrong_kiosk",
            "a genuine answer for another kiosk",
        ),
        (
            "replayed-for-an-earlier-request",
            answer,
            None,
            later_request,
            "stale_answer",
            "a genuine answer to this kiosk's earlier request, after it wrote a new one",
        ),
        (
            "not-canonical",
            json.dumps(json.loads(answer), ensure_ascii=False, indent=1).encode("utf-8"),
            None,
            request,
            "malformed",
            "the same object, not in its RFC 8785 bytes",
        ),
        (
            "a-request-not-an-answer",
            request,
            None,
            request,
            "not_answer",
            "a request file offered as an answer",
        ),
    ]
    out = []
    for case, data, pinned, wrote, code, why in tampered_answers:
        got = _refusal(data, public, wrote, pinned)
        if got != code:
            raise SystemExit(f"{case}: the code says {got!r}, the vectors say {code!r}")
        out.append(
            {
                "name": case,
                "why": why,
                "pinned_collector_key": pinned,
                "request_written": wrote.decode("utf-8"),
                "answer": data.decode("utf-8"),
                "refused_with": code,
            }
        )
    changed_request = _edited(request, district="3701")
    try:
        read_request(changed_request)
        raise SystemExit("a changed request was read")
    except EnrollFileError as exc:
        if exc.code != "bad_signature":
            raise SystemExit(f"a changed request: {exc.code}") from None
    return {
        "comment": "docs/protocol.md 5.8; built by tests/vectors/make_enroll_vectors.py",
        "domain_prefixes": {
            "request": {"ascii": REQUEST_DOMAIN.decode("ascii"), "hex": REQUEST_DOMAIN.hex()},
            "answer": {"ascii": ANSWER_DOMAIN.decode("ascii"), "hex": ANSWER_DOMAIN.hex()},
        },
        "kiosk_key": {
            "WARNING": WARNING,
            "private_seed_hex": KIOSK_SEED.hex(),
            "public_key_hex": public,
        },
        "collector_key": {
            "WARNING": WARNING,
            "private_seed_hex": COLLECTOR_SEED.hex(),
            "public_key_hex": public_hex(collector),
        },
        "request": {
            "file_name": name,
            "bytes": request.decode("utf-8"),
            "sha256": request_hash(request),
        },
        "request_without_token": {"bytes": request_no_token.decode("utf-8")},
        "tampered_requests": [
            {
                "name": "district-changed",
                "bytes": changed_request.decode("utf-8"),
                "refused_with": "bad_signature",
            }
        ],
        "answer": {
            "file_name": answer_file_for(Path(name)).name,
            "bytes": answer.decode("utf-8"),
        },
        "tampered_answers": out,
    }


def render(vectors: dict[str, Any]) -> str:
    """The file's text: indented JSON, Thai as it is."""
    return json.dumps(vectors, ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    OUTPUT.write_text(render(build()), encoding="utf-8")
    print(f"wrote {OUTPUT}")
