"""Drive a QEMU virtual machine for deploy/vm-check.sh: its serial console and its QMP monitor.

Not part of the kiosk and not run in CI (it needs KVM and a booted virtual machine); the standard
library only, so that it runs with any python3 on the host. Each subcommand connects to the
sockets QEMU serves in the run folder, does one thing, and disconnects:

    python3 deploy/vm_check.py RUN_DIR run 'shell command' [--timeout S]   # as root, on ttyS0
    python3 deploy/vm_check.py RUN_DIR shot FILE.png|FILE.ppm             # the screen
    python3 deploy/vm_check.py RUN_DIR tap X Y                            # a click at pixel X,Y
    python3 deploy/vm_check.py RUN_DIR wait-screen KIND [--timeout S]     # until the screen is KIND

The serial console has root logged in already (a getty autologin drop-in made by vm-check.sh):
`run` types the command, then a line that prints a marker with its exit status, and returns
when the marker comes back, printing what the command printed and exiting with its status.
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
import socket
import sys
import time
from pathlib import Path

ABS_MAX = 32767  # QEMU's absolute axes run 0..32767 whatever the screen's size
PROMPT = re.compile(r"^(\S+@\S+:\S*# ?|> )+")  # the shell's prompt and its continuation
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")


class Qmp:
    """A QMP connection: capabilities negotiated, one command at a time."""

    def __init__(self, path: Path) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(str(path))
        self.file = self.sock.makefile("rwb")
        self._read()  # the greeting
        self.execute("qmp_capabilities")

    def _read(self) -> dict:
        while True:
            line = self.file.readline()
            if not line:
                raise ConnectionError("QMP closed the connection")
            message = json.loads(line)
            if "event" not in message:
                return message

    def execute(self, command: str, **arguments: object) -> object:
        """Run one QMP command and return its result (raise on an error)."""
        request: dict[str, object] = {"execute": command}
        if arguments:
            request["arguments"] = arguments
        self.file.write(json.dumps(request).encode() + b"\n")
        self.file.flush()
        reply = self._read()
        if "error" in reply:
            raise RuntimeError(f"{command}: {reply['error']}")
        return reply.get("return")

    def close(self) -> None:
        """Disconnect."""
        self.file.close()
        self.sock.close()


def read_ppm(path: Path) -> tuple[int, int, bytes]:
    """Width, height and RGB bytes of a binary PPM (what QEMU's screendump writes)."""
    data = path.read_bytes()
    fields = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    if fields is None:
        raise ValueError(f"{path} is not a binary PPM")
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[fields.end() : fields.end() + 3 * width * height]


def screen_kind(path: Path) -> tuple[str, float, int, int]:
    """What the screen shows, by its colours: 'kiosk' (the cream page), 'black' or 'console'."""
    width, height, rgb = read_ppm(path)
    cream = dark = total = 0
    for offset in range(0, len(rgb), 3 * 97):  # a sample of pixels is enough
        r, g, b = rgb[offset], rgb[offset + 1], rgb[offset + 2]
        total += 1
        if r > 230 and g > 225 and 200 < b < 245 and r >= b:
            cream += 1
        if r < 40 and g < 40 and b < 40:
            dark += 1
    share = cream / total
    if share > 0.4:
        kind = "kiosk"
    elif dark / total > 0.99:
        kind = "black"
    else:
        kind = "console"
    return kind, share, width, height


def shot(run_dir: Path, out: Path) -> None:
    """Save the screen as PNG or PPM (by the file's suffix)."""
    qmp = Qmp(run_dir / "qmp.sock")
    try:
        fmt = "png" if out.suffix == ".png" else "ppm"
        qmp.execute("screendump", filename=str(out.resolve()), format=fmt)
    finally:
        qmp.close()


def tap(run_dir: Path, x: int, y: int, width: int, height: int) -> None:
    """Move the absolute pointer (usb-tablet) to pixel x,y and click its left button there."""
    qmp = Qmp(run_dir / "qmp.sock")
    try:
        position = [
            {"type": "abs", "data": {"axis": "x", "value": round(x * ABS_MAX / (width - 1))}},
            {"type": "abs", "data": {"axis": "y", "value": round(y * ABS_MAX / (height - 1))}},
        ]
        qmp.execute("input-send-event", events=position)
        time.sleep(0.1)
        for down in (True, False):
            button = {"type": "btn", "data": {"down": down, "button": "left"}}
            qmp.execute("input-send-event", events=[button])
            time.sleep(0.1)
    finally:
        qmp.close()


def wait_screen(run_dir: Path, kind: str, timeout: float) -> None:
    """Poll the screen every half second until it shows kind; print the seconds it took."""
    start = time.monotonic()
    probe = run_dir / "probe.ppm"
    last = ""
    while time.monotonic() - start < timeout:
        try:
            shot(run_dir, probe)
            last, share, width, height = screen_kind(probe)
        except (OSError, ValueError, RuntimeError, ConnectionError) as exc:
            last = f"no screen yet ({exc})"
        else:
            if last == kind:
                print(
                    f"{kind} after {time.monotonic() - start:.1f} s ({width}x{height}, {share:.0%} cream)"
                )
                return
        time.sleep(0.5)
    sys.exit(f"the screen did not show {kind} within {timeout:.0f} s (last: {last})")


def run(run_dir: Path, command: str, timeout: float) -> int:
    """Type command on the serial console as root; print its output; return its exit status."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(str(run_dir / "serial.sock"))
    sock.settimeout(1)
    mark = secrets.token_hex(4)
    # The marker is printed, never typed whole: the echo of the typed line cannot match it.
    # One compound command read whole before it runs, its input closed: nothing it starts (apt,
    # dpkg) can swallow the marker's line as its own input.
    line = f"{{ {command}\n}} </dev/null; printf '\\n@@%s:%s@@\\n' {mark} $?\n"
    sock.sendall(b"\n")
    time.sleep(0.3)
    sock.sendall(line.encode())
    done = re.compile(rb"@@" + mark.encode() + rb":(\d+)@@")
    buffer = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                continue
            if not chunk:
                break
            buffer += chunk
            found = done.search(buffer)
            if found:
                text = ANSI.sub(b"", buffer[: found.start()]).decode("utf-8", "replace")
                # Leave out the echo of what was typed and the prompts around it.
                lines = text.split("\n")
                while lines and (command.split("\n")[0] in lines[0] or not lines[0].strip()):
                    lines.pop(0)
                shown = [PROMPT.sub("", ln) for ln in lines if "@@%s:%s@@" not in ln]
                shown = [ln for ln in shown if ln.strip()]
                print("\n".join(shown).rstrip())
                return int(found[1])
    finally:
        sock.close()
    print(ANSI.sub(b"", buffer).decode("utf-8", "replace")[-2000:])
    print(f"vm_check: no answer within {timeout:.0f} s to: {command}", file=sys.stderr)
    return 124


def main() -> None:
    """The subcommands above."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run_dir", type=Path)
    sub = parser.add_subparsers(dest="what", required=True)
    p_run = sub.add_parser("run")
    p_run.add_argument("command")
    p_run.add_argument("--timeout", type=float, default=120)
    p_shot = sub.add_parser("shot")
    p_shot.add_argument("file", type=Path)
    p_tap = sub.add_parser("tap")
    p_tap.add_argument("x", type=int)
    p_tap.add_argument("y", type=int)
    p_tap.add_argument("--size", default="1280x800")
    p_wait = sub.add_parser("wait-screen")
    p_wait.add_argument("kind", choices=["kiosk", "console", "black"])
    p_wait.add_argument("--timeout", type=float, default=180)
    args = parser.parse_args()
    if args.what == "run":
        sys.exit(run(args.run_dir, args.command, args.timeout))
    elif args.what == "shot":
        shot(args.run_dir, args.file)
    elif args.what == "tap":
        width, height = (int(n) for n in args.size.split("x"))
        tap(args.run_dir, args.x, args.y, width, height)
    else:
        wait_screen(args.run_dir, args.kind, args.timeout)


if __name__ == "__main__":
    main()
