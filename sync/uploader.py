"""The kiosk's HTTP client for the collector: enrollment, batches, health.

Every failure becomes one exception, ``SyncError``, with a ``code`` for the program (the UI
translates by code) and an English message a district clerk understands. Nothing here decides
what is delivered: ``send_batch`` returns a receipt only after its signature has verified
against the collector key pinned at enrollment, and the caller marks votes from that.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final, Self

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from requests.adapters import HTTPAdapter
from urllib3.exceptions import InvalidHeader, MaxRetryError, ReadTimeoutError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from kiosk.config import KioskConfig
from wire.receipt import Problem, Receipt, check_receipt
from wire.vote import VoteError, parse_json_object

API: Final = "/api/v1"
DEFAULT_CONNECT_TIMEOUT: Final = 5.0
DEFAULT_READ_TIMEOUT: Final = 30.0
DEFAULT_RETRIES: Final = 4
DEFAULT_BACKOFF_FACTOR: Final = 0.5
DEFAULT_BACKOFF_JITTER: Final = 1.0
DEFAULT_BACKOFF_MAX: Final = 30.0
DEFAULT_RETRY_AFTER_MAX: Final = 60.0  # a Retry-After longer than this is cut to it
MAX_ANSWER_BYTES: Final = 1024 * 1024
log = logging.getLogger(__name__)

LATER: Final = "the votes stay on this kiosk and will be sent later"
# OpenSSL's words when the server answered a TLS hello in plain HTTP: an https:// address for
# a collector served without TLS (OpenSSL 1.1 and 3.0 say the first, 3.2 and later may say
# the second). Told apart from an untrusted certificate, whose advice would mislead.
_PLAIN_HTTP: Final = re.compile(r"WRONG_VERSION_NUMBER|RECORD_LAYER_FAILURE")

# What a clerk is told when the collector refuses, by the collector's error code.
_REFUSALS: Final = {
    "revoked": "this kiosk has been revoked by the central office",
    "unknown_kiosk": "this kiosk is not enrolled with this collector; ask the central office",
    "district_mismatch": "the votes name another district than the one this kiosk is enrolled"
    " for; ask the central office",
    "token_unknown": "the enrollment token is not known; check it, or ask the central office"
    " for a new one",
    "token_used": "the enrollment token has already been used by another kiosk; ask the central"
    " office for a new one",
    "already_enrolled": "this kiosk is already enrolled for another district; ask the central"
    " office",
    # For this one the collector's own sentence names both districts; it is shown as it is.
}


class SyncError(Exception):
    """Sending failed. ``code`` names the reason; the message is for a clerk.

    Codes: not_enrolled, unreachable, timeout, tls, not_tls, refused, busy, server_error,
    bad_response,
    bad_receipt, wrong_collector, cancelled (and, from the sync service, conflict, internal).
    For ``refused``, ``collector_error`` is the collector's own code (e.g. revoked). For
    ``busy``, ``retry_after_s`` is how long the collector asked to wait (its Retry-After), if
    it said; the next pass waits at least that long (sync/schedule.py).
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int | None = None,
        collector_error: str | None = None,
        problems: Sequence[Problem] = (),
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.collector_error = collector_error
        self.problems = list(problems)
        self.retry_after_s = retry_after_s


class _RetryCancelledError(Exception):
    """Raised inside a retry wait when the uploader was cancelled (the worker is stopping)."""


class _Retry(Retry):
    """urllib3's Retry, waiting through a function that can be cancelled (and faked in tests)."""

    def __init__(
        self,
        *args: Any,
        wait: Callable[[float], bool] | None = None,
        retry_after_cap: float = DEFAULT_RETRY_AFTER_MAX,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.wait: Callable[[float], bool] = wait or threading.Event().wait
        self.retry_after_cap = retry_after_cap

    def new(self, **kw: Any) -> Self:
        fresh = super().new(**kw)
        fresh.wait = self.wait
        fresh.retry_after_cap = self.retry_after_cap
        return fresh

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        """Wait for Retry-After (capped) if the answer has one, else the jittered backoff."""
        seconds = 0.0
        if self.respect_retry_after_header and response is not None:
            try:
                seconds = min(self.get_retry_after(response) or 0.0, self.retry_after_cap)
            except InvalidHeader:  # not a time ("soon"): the backoff, as if none were given
                seconds = 0.0
        if seconds <= 0:
            seconds = self.get_backoff_time()
        if seconds > 0 and self.wait(seconds):
            raise _RetryCancelledError


class Uploader:
    """Talks to one collector over HTTP(S) with timeouts, retries and TLS verification."""

    def __init__(
        self,
        base_url: str,
        collector_key: Ed25519PublicKey | None = None,
        *,
        ca_bundle: str | Path | None = None,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff_factor: float = DEFAULT_BACKOFF_FACTOR,
        backoff_jitter: float = DEFAULT_BACKOFF_JITTER,
        backoff_max: float = DEFAULT_BACKOFF_MAX,
        retry_after_max: float = DEFAULT_RETRY_AFTER_MAX,
        wait: Callable[[float], bool] | None = None,
    ) -> None:
        """Prepare a session; ``wait(seconds) -> cancelled`` replaces the real wait in tests."""
        self.base_url = base_url.rstrip("/")
        self.collector_key = collector_key
        self.timeout = (connect_timeout, read_timeout)
        self._cancelled = threading.Event()
        self._wait = wait or self._cancelled.wait
        if ca_bundle is not None and not Path(ca_bundle).is_file():
            raise SyncError(
                "tls",
                f"The certificate file {ca_bundle} for the collector does not exist:"
                " check the kiosk's settings",
            )
        self.session = requests.Session()
        # Passed with every request: a session-wide setting would lose to $REQUESTS_CA_BUNDLE.
        self.verify: str | bool = str(ca_bundle) if ca_bundle is not None else True
        retry = _Retry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            other=0,  # e.g. a TLS certificate failure: retrying at once will not mend it
            redirect=0,
            # POST is retried too. That is safe here because both POSTs are idempotent by
            # protocol: a batch is identified by (kiosk, seq) of its votes, so the same batch
            # again is acknowledged again and never counted twice (promise 4); enrolling again
            # with the same token and key returns the same enrollment.
            allowed_methods=frozenset({"GET", "POST"}),
            status_forcelist=(429, 503),
            backoff_factor=backoff_factor,
            backoff_jitter=backoff_jitter,
            backoff_max=backoff_max,
            respect_retry_after_header=True,
            retry_after_cap=retry_after_max,
            raise_on_status=False,  # after the last retry, return the 503 so we can say "busy"
            wait=self._wait_unless_cancelled,
        )
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def _wait_unless_cancelled(self, seconds: float) -> bool:
        if self._cancelled.is_set():
            return True
        log.info("collector: waiting %.1f s before trying again", seconds)
        return self._wait(seconds) or self._cancelled.is_set()

    @property
    def cancelled(self) -> threading.Event:
        """Set once ``cancel`` has been called."""
        return self._cancelled

    def cancel(self) -> None:
        """Stop waiting between retries; the request under way ends within its timeouts."""
        self._cancelled.set()

    def close(self) -> None:
        """Close the HTTP session."""
        self.session.close()

    def __enter__(self) -> Uploader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- requests --------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """Ask whether the collector is up; check it is the one this kiosk pinned, if any."""
        answer = self._json(self._request("GET", "/health", "health"), "health")
        key = answer.get("collector_key")
        if self.collector_key is not None and key != self.collector_key.public_bytes_raw().hex():
            raise SyncError(
                "wrong_collector",
                "This collector is not the one this kiosk enrolled with: check the address,"
                " or ask the central office",
            )
        return answer

    def campaign_notice(self) -> bytes | None:
        """The collector's signed campaign notice (wire/campaign.py); None while it has none."""
        try:
            return self._request("GET", "/campaign", "campaign notice").content
        except SyncError as exc:
            if exc.collector_error == "no_campaign":
                return None
            raise

    def enroll(
        self, token: str, public_key_hex: str, district: str | None = None
    ) -> dict[str, Any]:
        """Present the one-time token and this kiosk's public key; return the enrollment.

        A kiosk already set up for a district names it, so that the collector refuses a token
        for another district without using it up.
        """
        body = {"token": token, "public_key": public_key_hex}
        if district is not None:
            body["district"] = district
        response = self._request("POST", "/enroll", "enrollment", json=body)
        return self._json(response, "enrollment")

    def send_batch(self, data: bytes) -> Receipt:
        """POST a signed batch; return its receipt once verified against the pinned key."""
        return self.send_batch_raw(data)[0]

    def send_batch_raw(self, data: bytes) -> tuple[Receipt, bytes]:
        """POST a signed batch; return the verified receipt and its exact signed bytes."""
        if self.collector_key is None:
            raise SyncError(
                "not_enrolled",
                "This kiosk is not enrolled with a collector, so it cannot trust a receipt",
            )
        header = parse_json_object(data, "batch")
        kiosk, votes_hash = header.get("kiosk"), header.get("votes_hash")
        if not isinstance(kiosk, str) or not isinstance(votes_hash, str):
            raise ValueError("not a batch made by wire.batch.build_batch")
        response = self._request(
            "POST",
            "/batches",
            "batch",
            data=data,
            headers={"Content-Type": "application/json"},
        )
        body = self._body(response, "batch")
        check = check_receipt(body, self.collector_key, kiosk, votes_hash)
        if not check.ok or check.receipt is None:
            first = check.problems[0] if check.problems else Problem("bad_receipt", "no receipt")
            if first.code == "bad_receipt_signature":
                message = (
                    "The receipt was not signed by the collector this kiosk enrolled with:"
                    " nothing was marked as delivered"
                )
            else:
                message = (
                    f"The collector's receipt is not valid ({first.message}):"
                    " nothing was marked as delivered"
                )
            log.error("bad receipt from %s: %s", self.base_url, check.problems)
            raise SyncError("bad_receipt", message, problems=check.problems)
        return check.receipt, body

    # --- plumbing --------------------------------------------------------------------------

    def _request(self, method: str, path: str, what: str, **kw: Any) -> requests.Response:
        if self._cancelled.is_set():
            raise SyncError("cancelled", "Sending was stopped")
        url = self.base_url + API + path
        try:
            response = self.session.request(
                method, url, timeout=self.timeout, verify=self.verify, **kw
            )
        except _RetryCancelledError:
            raise SyncError("cancelled", "Sending was stopped") from None
        except requests.exceptions.SSLError as exc:
            log.warning("collector %s: TLS failure: %s", url, exc)
            if _PLAIN_HTTP.search(str(exc)):
                raise SyncError(
                    "not_tls",
                    "The address starts with https://, but the collector there does not use a"
                    " secure connection, so nothing was sent: check the address with the"
                    " central office",
                ) from exc
            raise SyncError(
                "tls",
                "The collector's security certificate could not be verified, so nothing was"
                " sent: ask the central office",
            ) from exc
        except requests.exceptions.ConnectTimeout as exc:
            log.warning("collector %s: connect timeout: %s", url, exc)
            raise SyncError(
                "unreachable",
                f"The collector could not be reached: check the internet connection ({LATER})",
            ) from exc
        except requests.exceptions.RequestException as exc:
            log.warning("collector %s: %s", url, exc)
            if _is_read_timeout(exc):
                raise SyncError(
                    "timeout", f"The collector did not answer in time: {LATER}"
                ) from exc
            raise SyncError(
                "unreachable",
                f"The collector could not be reached: check the internet connection ({LATER})",
            ) from exc
        if response.status_code >= 400:
            raise self._refusal(response, what)
        return response

    def _refusal(self, response: requests.Response, what: str) -> SyncError:
        status = response.status_code
        error, message, problems = _error_body(response)
        log.warning(
            "collector refused the %s: HTTP %s %s %s", what, status, error or "", message or ""
        )
        if status in (429, 503):
            return SyncError(
                "busy",
                f"The collector is busy: {LATER}",
                status=status,
                collector_error=error,
                retry_after_s=_retry_after(response),
            )
        if 400 <= status < 500:
            reason = _REFUSALS.get(error or "") or message or f"HTTP {status}"
            return SyncError(
                "refused",
                f"The collector refused the {what}: {reason}",
                status=status,
                collector_error=error,
                problems=problems,
            )
        return SyncError(
            "server_error",
            f"The collector had a problem (HTTP {status}): {LATER}",
            status=status,
            collector_error=error,
        )

    def _body(self, response: requests.Response, what: str) -> bytes:
        body = response.content
        if len(body) > MAX_ANSWER_BYTES:
            raise SyncError(
                "bad_response", f"The collector's answer to the {what} was too large: {LATER}"
            )
        return body

    def _json(self, response: requests.Response, what: str) -> dict[str, Any]:
        try:
            return parse_json_object(self._body(response, what), "answer")
        except VoteError as exc:
            raise SyncError(
                "bad_response",
                f"The collector's answer to the {what} could not be understood ({exc})",
            ) from exc


def _error_body(response: requests.Response) -> tuple[str | None, str | None, list[Problem]]:
    """The collector's error JSON {"error", "message", "problems"}, as far as it is there."""
    try:
        body = json.loads(response.content[:MAX_ANSWER_BYTES])
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None, None, []
    if not isinstance(body, dict):
        return None, None, []
    error = body.get("error") if isinstance(body.get("error"), str) else None
    message = body.get("message") if isinstance(body.get("message"), str) else None
    problems = [
        Problem(
            str(p.get("code", "")),
            str(p.get("message", "")),
            p.get("seq") if isinstance(p.get("seq"), int) else None,
        )
        for p in (body["problems"] if isinstance(body.get("problems"), list) else [])
        if isinstance(p, dict)
    ]
    return error, message, problems


def _retry_after(response: requests.Response) -> float | None:
    """The seconds a Retry-After header asks for (a number or an HTTP date); None if none or bad."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, Retry().parse_retry_after(value))
    except (InvalidHeader, ValueError, OverflowError):
        log.warning("collector: a Retry-After that is not a time: %r", value[:100])
        return None


def _is_read_timeout(exc: requests.exceptions.RequestException) -> bool:
    """A read timeout, whether requests names it or wraps it after the last retry."""
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return True
    reason = exc.args[0] if exc.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, ReadTimeoutError)


def uploader_for(config: KioskConfig, **kw: Any) -> Uploader:
    """An uploader for the collector this kiosk is enrolled with (settings from the config)."""
    if not config.enrolled or config.collector_url is None:
        raise SyncError(
            "not_enrolled",
            "This kiosk is not enrolled with a collector yet: enroll it with the token from the"
            " central office",
        )
    return Uploader(
        config.collector_url, config.collector_public_key, ca_bundle=config.ca_bundle, **kw
    )
