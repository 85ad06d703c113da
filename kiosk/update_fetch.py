"""Reading a TUF update repository from the collector or a USB stick, verified at every step.

Built on python-tuf's ``ngclient.Updater`` (the class tufup's ``Client`` extends) and tufup's
release format (kiosk/update_patch.py). Not tufup's ``Client`` itself, for three reasons: its ``check_for_updates`` logs and swallows a bad signature or a failed
download and answers "no update", where the clerk must be told why; it hard-wires a requests
fetcher, where a stick is a folder; and its install step overwrites the program's own folder
and exits, where we unpack beside it, self-test, and switch only between citizens
(kiosk/update_install.py).

Each TUF failure becomes one ``Reason`` (kiosk/update_reasons.py): a changed file is
"tampered", expired signatures say since when, an older version or older metadata is a
rollback, a signature by another key is "other key".
"""

from __future__ import annotations

import logging
import socket
import ssl
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit
from urllib.request import url2pathname

# python-tuf's public client names; its __all__ is computed, which mypy cannot read.
import requests
import urllib3
from packaging.version import InvalidVersion, Version
from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter
from tuf.api import exceptions
from tuf.api.metadata import Metadata
from tuf.ngclient import (  # type: ignore[attr-defined]
    FetcherInterface,
    RequestsFetcher,
    TargetFile,
    Updater,
)

from kiosk import update_reasons as reasons
from kiosk.update_install import InstallPaths
from kiosk.update_patch import PatchError, TargetName, apply_patches
from kiosk.update_reasons import Invalid, Network, UpdateError
from kiosk.version import running_version
from wire.agent import user_agent
from wire.updates import APP_NAME, METADATA_DIR, TARGETS_DIR

CHUNK: Final = 1 << 20
PATCH_RATIO: Final = 0.8  # as tufup: download the archive when the patches are this big
NETWORK_TIMEOUT_S: Final = 30
log = logging.getLogger(__name__)


class FolderFetcher(FetcherInterface):
    """Reads ``file://`` URLs: python-tuf's own fetcher speaks only HTTP, and a stick is a folder.

    A missing file is a 404, as from a web server: that is how TUF learns there is no newer root.
    """

    def _fetch(self, url: str) -> Iterator[bytes]:
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise exceptions.DownloadError(f"not a file URL: {url}")
        path = Path(url2pathname(parts.path))
        if not path.is_file():
            raise exceptions.DownloadHTTPError(f"{parts.path} is not there", 404)
        return _chunks(path)


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            yield chunk


class _CaBundleAdapter(HTTPAdapter):
    """Verifies every https request against one CA bundle, whatever the environment says
    (requests lets REQUESTS_CA_BUNDLE override a session's own ``verify``, not a request's)."""

    def __init__(self, ca_bundle: str) -> None:
        super().__init__()
        self._ca_bundle = ca_bundle

    def send(
        self,
        request: PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> Response:
        """Send the request, verified against the kiosk's CA bundle (``verify`` is ignored)."""
        return super().send(request, stream, timeout, self._ca_bundle, cert, proxies)


class KioskFetcher(RequestsFetcher):
    """python-tuf's HTTP fetcher, saying which kiosk asks and, when given, checking the
    collector's certificate against the kiosk's own CA bundle.

    Every request carries ``User-Agent: sangsuk-kiosk/<version>``, the header the sender sends
    (wire/agent.py), so the central office sees which version fetched its updates. python-tuf 4
    (tufup pins it) has no option for either: its fetcher makes each host's requests.Session in
    ``_get_session``, the one place both are set. (python-tuf 5's ``app_user_agent`` only puts
    a prefix before its own words; the collector reads the strict form alone.)
    """

    def __init__(self, version: str, ca_bundle: str | None = None, *, socket_timeout: int) -> None:
        super().__init__(socket_timeout=socket_timeout)
        self._user_agent = user_agent(version)
        self._ca_bundle = ca_bundle

    def _get_session(self, url: str) -> requests.Session:
        """Return python-tuf's session for url, with the kiosk's User-Agent (and CA bundle)."""
        session = super()._get_session(url)
        session.headers["User-Agent"] = self._user_agent
        if self._ca_bundle is not None and not isinstance(
            session.get_adapter("https://"), _CaBundleAdapter
        ):
            session.mount("https://", _CaBundleAdapter(self._ca_bundle))
        return session


@dataclass(frozen=True, slots=True)
class Source:
    """Where updates come from: the collector's /updates or a stick's sangsuk-updates folder."""

    label: str  # what the clerk sees
    base_url: str  # ends with "/"
    fetcher: FetcherInterface

    @classmethod
    def of(
        cls,
        source: str | Path,
        ca_bundle: str | None = None,
        timeout_s: int = NETWORK_TIMEOUT_S,
        *,
        version: str | None = None,
    ) -> Source:
        """An http(s) URL (the collector's base + "/updates") or a folder.

        ``ca_bundle`` is the kiosk's certificate file for a collector with a private
        certificate (the setting the sender uses too); None trusts the system's authorities.
        ``timeout_s``: how long a silent collector is waited for. ``version``: the running
        kiosk's, named in the User-Agent header (this program's when None).
        """
        text = str(source)
        if text.startswith(("http://", "https://")):
            fetcher = KioskFetcher(
                version or running_version(), ca_bundle, socket_timeout=timeout_s
            )
            return cls(text, text.rstrip("/") + "/", fetcher)
        folder = Path(source).absolute()
        return cls(str(folder), folder.as_uri().rstrip("/") + "/", FolderFetcher())


@dataclass(frozen=True, slots=True)
class Plan:
    """The newest release and how to get it: patches from the running version, or the archive."""

    version: str
    archive: TargetFile
    patches: tuple[TargetFile, ...]  # in version order
    installed_size: int

    @property
    def download_size(self) -> int:
        """The bytes to download."""
        if self.patches:
            return sum(info.length for info in self.patches)
        return self.archive.length


class Session:
    """One look at one source: refresh the metadata once, then plan and download."""

    def __init__(self, paths: InstallPaths, source: Source) -> None:
        """Open the trusted metadata under paths (root.json must be there) for source."""
        self.paths = paths
        self.source = source
        paths.targets.mkdir(parents=True, exist_ok=True)
        self.updater = Updater(
            metadata_dir=str(paths.metadata),
            metadata_base_url=source.base_url + METADATA_DIR + "/",
            target_dir=str(paths.targets),
            target_base_url=source.base_url + TARGETS_DIR + "/",
            fetcher=source.fetcher,
        )

    def refresh(self) -> None:
        """Fetch and verify root, timestamp, snapshot and targets; UpdateError says why not."""
        try:
            self.updater.refresh()
        except exceptions.ExpiredMetadataError as exc:
            role, when = self._expired()
            log.warning("update metadata expired (%s, %s): %s", role, when, exc)
            raise UpdateError(reasons.expired(role, when)) from exc
        except exceptions.BadVersionNumberError as exc:
            log.warning("update metadata from %s rolls back: %s", self.source.label, exc)
            raise UpdateError(reasons.rollback_metadata()) from exc
        except exceptions.UnsignedMetadataError as exc:
            log.warning("update metadata from %s not signed as trusted: %s", self.source.label, exc)
            raise UpdateError(self._unsigned(str(exc))) from exc
        except exceptions.DownloadHTTPError as exc:
            if exc.status_code == 404:
                raise UpdateError(reasons.no_repository(self.source.label)) from exc
            raise self._unreachable("metadata", exc) from exc
        except exceptions.DownloadLengthMismatchError as exc:
            raise UpdateError(reasons.invalid(Invalid.LENGTH, str(exc))) from exc
        except exceptions.DownloadError as exc:
            raise self._unreachable("metadata", exc) from exc
        except exceptions.RepositoryError as exc:
            raise UpdateError(reasons.invalid(Invalid.METADATA, str(exc))) from exc

    def _unsigned(self, message: str) -> reasons.Reason:
        """Tampered, when a key the kiosk trusts signed the role but its signature does not
        verify (the file was changed after signing); another office's, when no trusted key did.

        The role is the first word of python-tuf's message ("targets was signed by 0/1 keys");
        its file is read again, unverified, only to see which keys claim to have signed it.
        """
        role = message.split(" ", 1)[0]
        if role not in ("timestamp", "snapshot", "targets"):
            return reasons.other_key()
        url = f"{self.source.base_url}{METADATA_DIR}/{role}.json"
        try:
            root = Metadata.from_file(str(self.paths.metadata / "root.json"))
            trusted = set(root.signed.roles[role].keyids)
            claimed = set(
                Metadata.from_bytes(self.source.fetcher.download_bytes(url, 10_000_000)).signatures
            )
        except Exception as exc:  # only to choose the words: say "another key" rather than fail
            log.warning("cannot read %s again: %s", url, exc)
            return reasons.other_key()
        if claimed & trusted:
            log.warning("%s.json claims a trusted key but its signature does not verify", role)
            return reasons.tampered(f"{role}.json")
        return reasons.other_key()

    def _expired(self) -> tuple[str, datetime | None]:
        """Which role expired and when: read again, unverified, only to tell the clerk."""
        now = datetime.now(UTC)
        try:
            root = Metadata.from_file(str(self.paths.metadata / "root.json"))
            if root.signed.expires.replace(tzinfo=UTC) <= now:
                return "root", root.signed.expires.replace(tzinfo=UTC)
        except Exception:  # the local root was readable moments ago; this is only for words
            log.exception("cannot read the local root again")
        for role in ("timestamp", "snapshot", "targets"):
            url = f"{self.source.base_url}{METADATA_DIR}/{role}.json"
            try:
                data = self.source.fetcher.download_bytes(url, 10_000_000)
                expires = Metadata.from_bytes(data).signed.expires.replace(tzinfo=UTC)
            except Exception as exc:  # only for words: say no date rather than fail
                log.warning("cannot read %s again: %s", url, exc)
                continue
            if expires <= now:
                return role, expires
        return "metadata", None

    def plan(self, running: str) -> Plan | None:
        """The newest release if newer than running (None when up to date); UpdateError if older."""
        mine: list[tuple[TargetName, TargetFile]] = []
        for name in self._target_names():
            parsed = TargetName.parse(name)
            if parsed is not None and parsed.app == APP_NAME:
                mine.append((parsed, self._info(name)))
        archives = sorted(((n, i) for n, i in mine if not n.is_patch), key=lambda e: e[0].version)
        if not archives:
            return None
        newest, archive = archives[-1]
        try:
            now = Version(running)
        except InvalidVersion:
            now = Version("0")
        if newest.version < now:
            raise UpdateError(reasons.rollback_version(str(newest.version), running))
        if not now < newest.version:
            return None
        patches = sorted(
            ((n, i) for n, i in mine if n.is_patch and now < n.version <= newest.version),
            key=lambda e: e[0].version,
        )
        between = {n.version for n, _ in archives if now < n.version}
        usable = (
            self.paths.archive(running).is_file()
            and [n.version for n, _ in patches] == sorted(between)
            and sum(i.length for _, i in patches) <= PATCH_RATIO * archive.length
        )
        user = (archive.custom or {}).get("user") or {}
        size = user.get("installed_size") if isinstance(user, dict) else None
        return Plan(
            version=str(newest.version),
            archive=archive,
            patches=tuple(i for _, i in patches) if usable else (),
            installed_size=size if isinstance(size, int) else 3 * archive.length,
        )

    def _target_names(self) -> list[str]:
        # The targets file ngclient has just verified and stored; each name is looked up again
        # through the updater (_info), which answers only from the verified metadata.
        data: dict[str, Any] = Metadata.from_file(
            str(self.paths.metadata / "targets.json")
        ).to_dict()
        return sorted(data["signed"].get("targets", {}))

    def _info(self, name: str) -> TargetFile:
        info: TargetFile | None = self.updater.get_targetinfo(name)
        if info is None:
            raise UpdateError(reasons.invalid(Invalid.UNLISTED, f"{name} is not in the targets"))
        return info

    def fetch(self, plan: Plan, running: str) -> Path:
        """Download the plan's files, verified against the signed hashes; the new archive's path.

        Patches are applied to the running version's archive and the result checked against
        the size and hash the release tool signed; if that fails the whole archive is fetched.
        """
        new_archive = self.paths.archive(plan.version)
        if plan.patches:
            downloaded = [(self._download(info), _tufup_custom(info)) for info in plan.patches]
            try:
                apply_patches(self.paths.archive(running), downloaded, new_archive)
                return new_archive
            except (PatchError, OSError, ValueError) as exc:  # bsdiff4 says ValueError
                log.warning("patching to %s failed (%s); fetching the archive", plan.version, exc)
                new_archive.unlink(missing_ok=True)
        return self._download(plan.archive)

    def _download(self, info: TargetFile) -> Path:
        try:
            cached = self.updater.find_cached_target(info)
            return Path(cached or self.updater.download_target(info))
        except (
            exceptions.LengthOrHashMismatchError,
            exceptions.DownloadLengthMismatchError,
        ) as exc:
            log.error("update target %s refused: %s", info.path, exc)
            raise UpdateError(reasons.tampered(info.path)) from exc
        except exceptions.DownloadError as exc:  # DownloadHTTPError too
            raise self._unreachable(info.path, exc) from exc

    def _unreachable(self, what: str, exc: exceptions.DownloadError) -> UpdateError:
        """The refusal for a source that could not be read; the raw error goes to the log only."""
        why, status = network_failure(exc, folder=self.source.base_url.startswith("file:"))
        log.warning(
            "update source %s: reading %s failed (%s): %s",
            self.source.label,
            what,
            why,
            " <- ".join(f"{type(e).__name__}: {e}" for e in _chain(exc)),
        )
        return UpdateError(reasons.unreachable(self.source.label, why, status))


def _chain(exc: BaseException) -> list[BaseException]:
    """exc and every error it came from: causes, contexts, and urllib3's ``reason``/args."""
    found: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop(0)
        if any(current is seen for seen in found):
            continue
        found.append(current)
        linked = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        linked += [arg for arg in current.args if isinstance(arg, BaseException)]
        todo += [e for e in linked if isinstance(e, BaseException)]
    return found


def network_failure(
    exc: exceptions.DownloadError, *, folder: bool = False
) -> tuple[Network, int | None]:
    """Why a download failed, as the clerk is told it (refused, timeout, name, TLS, ...)."""
    if isinstance(exc, exceptions.DownloadHTTPError):
        return Network.HTTP, exc.status_code
    if folder:
        return Network.STICK, None
    chain = _chain(exc)
    kinds: list[tuple[type[BaseException] | tuple[type[BaseException], ...], Network]] = [
        ((ssl.SSLError, requests.exceptions.SSLError), Network.TLS),
        (socket.gaierror, Network.NAME),
        (ConnectionRefusedError, Network.REFUSED),
        (
            (
                exceptions.SlowRetrievalError,
                requests.exceptions.Timeout,
                TimeoutError,
                urllib3.exceptions.TimeoutError,
            ),
            Network.TIMEOUT,
        ),
    ]
    for types, why in kinds:
        if any(isinstance(e, types) for e in chain):
            return why, None
    if any(isinstance(e, urllib3.exceptions.NameResolutionError) for e in chain):
        return Network.NAME, None
    return Network.OTHER, None


def _tufup_custom(info: TargetFile) -> dict[str, Any]:
    """The size and hash a patch must produce (signed, in the patch's custom metadata)."""
    custom = info.custom or {}
    internal = custom.get("tufup") if isinstance(custom, dict) else None
    return internal if isinstance(internal, dict) else {}
