#!/usr/bin/env bash
# Build the kiosk's one-folder bundle for this machine: dist/sangsuk-kiosk/ (docs/deploy.md).
# The recipe is deploy/sangsuk-kiosk.spec; PyInstaller comes from the `build` dependency group.
# Afterwards the bundle checks itself, away from the checkout: sangsuk-kiosk --self-test.
set -euo pipefail
cd "$(dirname "$0")/.."

uv sync --locked --group build
uv run --no-sync pyinstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller deploy/sangsuk-kiosk.spec

bundle=dist/sangsuk-kiosk
echo "built $bundle ($(du -sh "$bundle" | cut -f1))"
# A clean environment: no virtual environment on PATH, no PYTHON* variables, another folder.
(cd / && env -i PATH=/usr/bin:/bin HOME="${HOME:-/tmp}" "$OLDPWD/$bundle/sangsuk-kiosk" --self-test)
