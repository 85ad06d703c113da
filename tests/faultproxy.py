"""A small TCP fault proxy on loopback, between a kiosk's uploader and a real collector.

Each client connection carries one HTTP request (the proxy asks the collector to close after
answering) and gets one fault from the plan:

* ``pass``: forwarded both ways;
* ``refuse``: the connection is reset before anything is read (what a client sees from a
  refused or dropped connection);
* ``reset_mid_body``: part of the request body is read, then the connection is reset; the
  collector never sees the request;
* ``stall``: the request is read and never answered, until the client's read timeout;
* ``lost_response``: the request is forwarded and the collector answers (it has committed),
  but the answer is thrown away and the client's connection reset;
* ``busy``: a 503 with ``Retry-After: 1`` is answered without forwarding.
"""

from __future__ import annotations

import random
import socket
import struct
import threading
from collections import Counter
from collections.abc import Callable
from typing import Final

FAULTS: Final = ("pass", "refuse", "reset_mid_body", "stall", "lost_response", "busy")
_BUSY_BODY: Final = b'{"error":"busy","message":"the collector is busy","problems":[]}'
_BUSY: Final = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\n"
    b"connection: close\r\ncontent-length: %d\r\n\r\n" % len(_BUSY_BODY)
) + _BUSY_BODY


class FaultProxy:
    """Forward loopback connections to upstream with faults chosen by a plan."""

    def __init__(self, upstream_port: int, plan: Callable[[int], str] | None = None) -> None:
        """Listen on a free 127.0.0.1 port; plan(n) names the fault for the n-th connection."""
        self.upstream_port = upstream_port
        self.plan = plan or (lambda n: "pass")
        self.counts: Counter[str] = Counter()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._n = 0
        self._threads: list[threading.Thread] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._acceptor = threading.Thread(target=self._accept_loop, name="faultproxy", daemon=True)
        self._acceptor.start()

    @classmethod
    def random(cls, upstream_port: int, seed: int, weights: dict[str, float]) -> FaultProxy:
        """A proxy whose faults are drawn at random with the given weights (repeatable by seed)."""
        rng = random.Random(seed)
        names, w = list(weights), list(weights.values())
        return cls(upstream_port, lambda n: rng.choices(names, weights=w)[0])

    def close(self) -> None:
        """Stop listening, end stalled connections, and wait for every thread."""
        self._stop.set()
        self._acceptor.join(timeout=5)
        self._listener.close()
        for t in self._threads:
            t.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                fault = self.plan(self._n)
                self._n += 1
                self.counts[fault] += 1
            t = threading.Thread(target=self._handle, args=(client, fault), daemon=True)
            self._threads = [x for x in self._threads if x.is_alive()]
            self._threads.append(t)
            t.start()

    def _handle(self, client: socket.socket, fault: str) -> None:
        client.settimeout(10)
        try:
            if fault == "refuse":
                _reset(client)
                return
            head, body = _read_request(client, partial=fault == "reset_mid_body")
            if fault == "reset_mid_body":
                _reset(client)
                return
            if fault == "stall":
                self._stop.wait(30)  # the client gives up first (its read timeout)
                _reset(client)
                return
            if fault == "busy":
                client.sendall(_BUSY)
                client.close()
                return
            answer = self._forward(head, body)
            if fault == "lost_response":
                _reset(client)  # the collector has committed; the kiosk never hears it
                return
            client.sendall(answer)
            client.close()
        except OSError:
            client.close()

    def _forward(self, head: bytes, body: bytes) -> bytes:
        lines = [ln for ln in head.split(b"\r\n") if not ln.lower().startswith(b"connection:")]
        request = b"\r\n".join([*lines, b"connection: close"]) + b"\r\n\r\n" + body
        with socket.create_connection(("127.0.0.1", self.upstream_port), timeout=60) as up:
            up.sendall(request)
            chunks = []
            while chunk := up.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)


def _read_request(sock: socket.socket, partial: bool) -> tuple[bytes, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise OSError("client closed before the headers ended")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    want = length // 2 if partial else length
    while len(body) < want:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head, body


def _reset(sock: socket.socket) -> None:
    """Close with RST instead of FIN, as a dropped connection looks to the other side."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
