"""`sangsuk-collector serve`: the HTTP API and the pages, served by uvicorn.

The app is built by ``collector.app.create_app``; how uvicorn runs it (timeouts, limits, how it
ends) is in collector/serving.py. With ``--workers N`` each serving process builds its own
app from the settings this command hands on through the environment (collector/settings.py).
"""

from __future__ import annotations

import argparse
import logging
import os
import ssl
import sys
from pathlib import Path
from typing import Any

from collector.cli.common import (
    PROG,
    AddCommand,
    CliError,
    clock_threshold_option,
    collector_key,
    open_store,
    port,
    positive_int,
)
from collector.cli.words import helped, say, warn
from collector.store.target import DatabaseTarget

log = logging.getLogger(__name__)


def add_parser(add: AddCommand) -> None:
    """Add the serve command."""
    serve = add("serve", "cli.help.serve")
    serve.add_argument("--host", default="127.0.0.1", help=helped("cli.opt.serve.host"))
    serve.add_argument("--port", type=port, default=8080, help=helped("cli.opt.serve.port"))
    serve.add_argument(
        "--workers",
        type=positive_int,
        default=1,
        help=helped("cli.opt.serve.workers"),
    )
    serve.add_argument(
        "--tls-cert", type=Path, metavar="FILE", help=helped("cli.opt.serve.tls_cert")
    )
    serve.add_argument("--tls-key", type=Path, metavar="FILE", help=helped("cli.opt.serve.tls_key"))
    serve.add_argument(
        "--server-name",
        action="append",
        metavar="NAME",
        help=helped("cli.opt.serve.server_name"),
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        metavar="ADDRESSES",
        help=helped("cli.opt.serve.forwarded_allow_ips"),
    )
    clock_threshold_option(serve)
    serve.set_defaults(run=run)


def run(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Serve the HTTP API with uvicorn."""
    from collector import serving  # only this command needs the server
    from collector.app import create_app
    from collector.settings import SERVER_NAMES_ENV, Settings, checks_per_process

    cert: Path | None = args.tls_cert
    key: Path | None = args.tls_key
    if (cert is None) != (key is None):
        raise CliError("cli.serve.tls_pair")
    if cert is not None and key is not None:
        _check_tls(cert, key)
    with open_store(db, create=True) as store:
        pinned = collector_key(store, db)  # made now, once, not by racing workers
        loaded = len(store.report()["districts"])
    scheme = "https" if cert is not None else "http"
    # With --server-name, the address that answers is the name (127.0.0.1 is then refused).
    named = [n for n in args.server_name or () if not n.startswith("*")]
    shown = named[0] if named else args.host
    host = f"[{shown}]" if ":" in shown else shown
    say(
        "cli.serve.starting",
        url=f"{scheme}://{host}:{args.port}",
        db=db.shown(),
        fingerprint=pinned.fingerprint,
        workers=args.workers,
    )
    sys.stdout.flush()  # before uvicorn's own lines, also when the output is a journal's pipe
    if not loaded:
        warn("cli.serve.no_districts", prog=PROG)
    if cert is None and args.host not in ("127.0.0.1", "::1", "localhost"):
        warn("cli.serve.plain_http", host=args.host)
    options: dict[str, Any] = (
        {"ssl_certfile": str(cert), "ssl_keyfile": str(key)} if cert is not None else {}
    )
    if args.forwarded_allow_ips:
        options["forwarded_allow_ips"] = args.forwarded_allow_ips
    log.info(
        "serving %s on %s:%s with %d worker(s)%s",
        db,
        args.host,
        args.port,
        args.workers,
        " over TLS" if cert is not None else "",
    )
    # Each serving process checks batches in worker processes of its own, as many as its share
    # of the cores (collector/checking.py).
    # The server's timeouts and how it ends are in collector/serving.py.
    checks = checks_per_process(args.workers)
    if args.server_name:
        os.environ[SERVER_NAMES_ENV] = ",".join(args.server_name)  # read by Settings.from_env
    if args.workers == 1:
        app = create_app(db, checks=checks, processes=True, clock_threshold_s=args.clock_threshold)
        config = serving.ServerConfig(app, host=args.host, port=args.port, **options)
    else:
        settings = Settings.from_env(
            db, checks, processes=True, clock_threshold_s=args.clock_threshold
        )
        os.environ.update(settings.environ())  # what each worker's create_app reads
        config = serving.ServerConfig(
            "collector.app:app_from_env",
            factory=True,
            workers=args.workers,
            host=args.host,
            port=args.port,
            **options,
        )
    return serving.run(config)


def _check_tls(cert: Path, key: Path) -> None:
    for what, path in (("cli.serve.no_certificate", cert), ("cli.serve.no_private_key", key)):
        if not path.is_file():
            raise CliError(what, path=path)
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key)
    except (ssl.SSLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or exc
        raise CliError("cli.serve.tls_unusable", cert=cert, key=key, reason=reason) from None
