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
# Start to the welcome screen: the bundle against `uv run main.py` from this checkout, taken in
# turns (bundle, checkout, bundle, ...) so that both see the same load. The window is found by
# its class, which Qt takes from the application's name ("sangsuk") for both.
checkout=$(pwd)
start_to_welcome() {  # what to run ("bundle" or "checkout"), the data folder; prints seconds
  local start pid
  start=$(now)
  if [ "$1" = bundle ]; then
    (cd "$work" && exec env -i PATH=/usr/bin:/bin HOME="$work" LANG=C.UTF-8 DISPLAY="$display" \
      "$program" --data-dir "$2" >/dev/null 2>&1) &
  else
    (cd "$checkout" && exec env -i PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 DISPLAY="$display" \
      uv run --no-sync main.py --data-dir "$2" >/dev/null 2>&1) &
  fi
  pid=$!
  until DISPLAY=$display xdotool search --onlyvisible --class sangsuk >/dev/null 2>&1; do
    sleep 0.02
  done
  echo "$(now) - $start" | bc
  pkill -TERM -P "$pid" 2>/dev/null || true
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  until ! DISPLAY=$display xdotool search --onlyvisible --class sangsuk >/dev/null 2>&1; do
    sleep 0.02
  done
}
bundle_times=()
checkout_times=()
for run in 1 2 3; do
  bundle_times+=("$(start_to_welcome bundle "$work/bundle-$run")")
  checkout_times+=("$(start_to_welcome checkout "$work/checkout-$run")")
done
report "start to the welcome screen, bundle" "${bundle_times[@]}"
report "start to the welcome screen, uv run main.py" "${checkout_times[@]}"
b=$(printf '%s\n' "${bundle_times[@]}" | sort -g | sed -n 2p)
c=$(printf '%s\n' "${checkout_times[@]}" | sort -g | sed -n 2p)
printf 'bundle / checkout (medians): %.2f\n' "$(echo "$b / $c" | bc -l)"
