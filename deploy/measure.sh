#!/usr/bin/env bash
# The figures in docs/deploy.md for a built bundle (deploy/build.sh first): its size, and three
# runs each of its self-test and of its start to the welcome screen on a bare X server (Xvfb,
# xdotool; a new data folder each time, so each start makes its key and ledger as a new tablet
# does). Prints the first run and the median of the three.
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=$(realpath "${1:-dist/sangsuk-kiosk}")
program="$bundle/sangsuk-kiosk"
work=$(mktemp -d)
xvfb_pid=""
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
report() {  # name, then the three times
  local name=$1
  shift
  local median
  median=$(printf '%s\n' "$@" | sort -g | sed -n 2p)
  printf '%s: first %.2f s, median %.2f s (runs: %s)\n' "$name" "$1" "$median" "$*"
}

echo "size: $(du -sh "$bundle" | cut -f1) in $(find "$bundle" -type f | wc -l) files"

times=()
for run in 1 2 3; do
  start=$(now)
  (cd "$work" && env -i PATH=/usr/bin:/bin HOME="$work" LANG=C.UTF-8 "$program" --self-test >/dev/null 2>&1)
  times+=("$(echo "$(now) - $start" | bc)")
done
report "self-test" "${times[@]}"

display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do DISPLAY=$display xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done
times=()
for run in 1 2 3; do
  start=$(now)
  (cd "$work" && exec env -i PATH=/usr/bin:/bin HOME="$work" LANG=C.UTF-8 DISPLAY="$display" \
    "$program" --data-dir "$work/kiosk-$run" >/dev/null 2>&1) &
  kiosk_pid=$!
  until DISPLAY=$display xdotool search --onlyvisible --classname sangsuk-kiosk >/dev/null 2>&1; do
    sleep 0.02
  done
  times+=("$(echo "$(now) - $start" | bc)")
  kill "$kiosk_pid"
  wait "$kiosk_pid" 2>/dev/null || true
done
report "start to the welcome screen" "${times[@]}"
