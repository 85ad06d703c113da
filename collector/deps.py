"""The FastAPI dependencies: what a route may ask for (settings, store, checker, key, address).

``create_app`` builds each shared object once and keeps it on ``app.state``; a route names what
it needs by type (``store: StoreDep``) and FastAPI hands it over. No route reads ``app.state``
itself (the test server's helper does, to reach the same store). The functions are ``async`` only so that FastAPI calls them on the event loop
instead of sending each to a thread: they just look an attribute up.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from collector.checking import Checker
from collector.settings import Settings
from collector.store import CollectorStore
from wire.keys import DeviceKey


async def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> CollectorStore:
    """The app's store (one per serving process)."""
    store: CollectorStore = request.app.state.store
    return store


async def get_checker(request: Request) -> Checker:
    """What checks batches off the event loop (threads or worker processes)."""
    checker: Checker = request.app.state.checker
    return checker


async def get_key(request: Request) -> DeviceKey:
    """The collector's own key: it signs receipts; kiosks pin its public half at enrollment."""
    key: DeviceKey = request.app.state.key
    return key


async def get_client_addr(request: Request) -> str | None:
    """The client's address, for the audit (None when the server does not know it)."""
    return request.client.host if request.client else None


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[CollectorStore, Depends(get_store)]
CheckerDep = Annotated[Checker, Depends(get_checker)]
KeyDep = Annotated[DeviceKey, Depends(get_key)]
ClientAddr = Annotated[str | None, Depends(get_client_addr)]
