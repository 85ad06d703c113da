#!/usr/bin/env bash
# Build the kiosk's one-folder bundle for this machine: dist/sangsuk-kiosk/ (docs/deploy.md).
# The recipe is deploy/sangsuk-kiosk.spec; PyInstaller comes from the `build` dependency group.
# Afterwards the bundle checks itself, away from the checkout: sangsuk-kiosk --self-test.
#
# The central office's update key (kiosk/assets/update_root.json) must be there: a bundle without
# it refuses every update, found out only at the first one. --no-update-key (or
# SANGSUK_NO_UPDATE_KEY=1) builds a test bundle without it anyway.
set -euo pipefail
cd "$(dirname "$0")/.."

key=kiosk/assets/update_root.json
without_key=${SANGSUK_NO_UPDATE_KEY:-}
for arg in "$@"; do
  case "$arg" in
    --no-update-key) without_key=1 ;;
    *) echo "build.sh: ไม่รู้จัก $arg / unknown option $arg (only --no-update-key)" >&2; exit 2 ;;
  esac
done
if [ ! -s "$key" ]; then
  if [ -z "$without_key" ] || [ "$without_key" = 0 ]; then
    cat >&2 <<MSG
build.sh: ไม่มีกุญแจอัปเดตของสำนักงานกลาง ($key): โปรแกรมที่สร้างจะไม่รับอัปเดตใดเลย
  คัดลอก root.json ของคลังอัปเดตมาก่อนสร้าง เช่น
    cp /srv/sangsuk/updates/metadata/root.json $key
  หรือสร้างเพื่อทดสอบเท่านั้น (ไม่รับอัปเดต): bash deploy/build.sh --no-update-key
build.sh: the central office's update key is missing ($key): the bundle would refuse every update.
  Copy the update repository's root.json here before building, e.g.
    cp /srv/sangsuk/updates/metadata/root.json $key
  or build a test bundle that takes no updates: bash deploy/build.sh --no-update-key
MSG
    exit 2
  fi
  echo "build.sh: สร้างโดยไม่มีกุญแจอัปเดต (--no-update-key) / building WITHOUT the update key: this bundle takes no updates" >&2
  # The spec marks the bundle a test bundle: its --self-test warns instead of failing.
  export SANGSUK_NO_UPDATE_KEY=1
else
  unset SANGSUK_NO_UPDATE_KEY
fi

uv sync --locked --group build
uv run --no-sync pyinstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller deploy/sangsuk-kiosk.spec

bundle=dist/sangsuk-kiosk
echo "built $bundle ($(du -sh "$bundle" | cut -f1))"
# A clean environment: no virtual environment on PATH, no PYTHON* variables, another folder.
(cd / && env -i PATH=/usr/bin:/bin HOME="${HOME:-/tmp}" "$OLDPWD/$bundle/sangsuk-kiosk" --self-test)
