"""Screenshots of the collector's pages in Thai and English, by headless Chromium.

    uv run python bench/campaign.py --db /tmp/campaign/collector.sqlite3
    uv run python -m tests.e2e.screenshots docs/screenshots --db /tmp/campaign/collector.sqlite3

Serves the database with the real app on 127.0.0.1 (uvicorn) and saves web-<page>-<lang>.png.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tests.collector_server import serve_collector
from tests.e2e.chromium import screenshot

PAGES = {
    "overview": ("/", 1280, 1350),
    "leaderboard": ("/leaderboard", 1280, 1700),
    "district": ("/districts/3706", 1280, 1800),
    "kiosks": ("/kiosks?show=problems", 1280, 1250),
    "audit": ("/audit?limit=12", 1280, 1300),
}


def main() -> int:
    """Serve the database and save the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--pages", nargs="*", default=list(PAGES))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with serve_collector(args.db) as running:
        for name in args.pages:
            path, width, height = PAGES[name]
            for lang in ("th", "en"):
                joiner = "&" if "?" in path else "?"
                target = args.out / f"web-{name}-{lang}.png"
                screenshot(f"{running.url}{path}{joiner}lang={lang}", target, width, height)
                print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
