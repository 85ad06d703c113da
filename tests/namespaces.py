"""Run a process in a world a little poorer than this machine: without some system libraries, or
with a folder on a read-only disk. Both are private mount namespaces (``unshare -rm``), so
nothing outside the child changes; where they are not allowed, the test is skipped and says so.

Hiding a library: the folder that holds it is replaced, inside the namespace, by a folder of
links to every file in it except that library's. The system's loader then really cannot find it,
exactly as on a machine where its package is not installed.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NoReturn

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
_SKIP_CODE = 77


def library_folder(soname: str, needed_by: Path) -> Path | None:
    """Return the folder the system loads soname from for needed_by, or None if it has none."""
    done = subprocess.run(
        ["ldd", str(needed_by)], capture_output=True, text=True, check=False, timeout=60
    )
    found = re.search(rf"^\s*{re.escape(soname)} => (/\S+)", done.stdout, re.MULTILINE)
    return Path(found.group(1)).resolve().parent if found else None


def run_without(
    sonames: Sequence[str],
    needed_by: Path,
    command: Sequence[str],
    work: Path,
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run command where the libraries sonames (which needed_by loads) are not installed."""
    script = ["set -e"]
    args: list[str] = []
    for index, soname in enumerate(sonames):
        folder = library_folder(soname, needed_by)
        if folder is None:
            continue  # not installed here in the first place
        original = work / f"original-{index}"
        farm = work / f"without-{index}"
        original.mkdir()
        farm.mkdir()
        hidden = soname.split(".so")[0] + ".so"
        for entry in os.listdir(folder):
            if not entry.startswith(hidden):
                (farm / entry).symlink_to(original / entry)
        script.append(
            f'mount --bind "${{{len(args) + 1}}}" "${{{len(args) + 2}}}" || exit {_SKIP_CODE}'
        )
        script.append(f'mount --bind "${{{len(args) + 3}}}" "${{{len(args) + 1}}}"')
        args += [str(folder), str(original), str(farm)]
    return _in_namespace(script, args, command, env, timeout)


def run_read_only(
    folder: Path,
    command: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run command with folder on a read-only disk (even root cannot write there)."""
    script = [
        f'mount --bind "$1" "$1" || exit {_SKIP_CODE}',
        'mount -o remount,bind,ro "$1"',
    ]
    return _in_namespace(script, [str(folder)], command, env, timeout)


def _in_namespace(
    script: list[str],
    args: list[str],
    command: Sequence[str],
    env: Mapping[str, str] | None,
    timeout: float,
) -> subprocess.CompletedProcess[str]:
    """Run the mount script, then command, in a private user and mount namespace."""
    script = [*script, f"shift {len(args)}", 'exec "$@"']
    try:
        done = subprocess.run(
            ["unshare", "-rm", "sh", "-c", "\n".join(script), "sh", *args, *command],
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
            env=dict(env) if env is not None else None,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        _cannot("unshare is not installed: no private mount namespace")
    if done.returncode == _SKIP_CODE or (done.returncode != 0 and "unshare:" in done.stderr):
        _cannot(f"no private mount namespace here: {done.stderr.strip()[:200]}")
    return done


def _cannot(why: str) -> NoReturn:
    """Skip on a developer's machine; fail in CI (.ci/run sets SANGSUK_REQUIRE_NAMESPACES), where
    these tests are the only proof that a missing library is reported, not a crash."""
    if os.environ.get("SANGSUK_REQUIRE_NAMESPACES"):
        pytest.fail(why)
    pytest.skip(why)
