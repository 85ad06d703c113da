#!/bin/sh
# Make a fresh Debian 12 tablet a Sangsuk kiosk, update one by hand, or remove the kiosk
# (docs/deploy.md, "A kiosk tablet from scratch"). Run as root, from the folder that holds this
# script, sangsuk-session and sangsuk-kiosk.service (the checkout's deploy/):
#
#     sudo sh install.sh sangsuk-kiosk-1.2.0.tar.gz    # or the bundle's folder, dist/sangsuk-kiosk
#     sudo sh install.sh --uninstall [--purge]         # --purge also deletes the votes and key
#     sh install.sh --dry-run BUNDLE                   # print what it would do; changes nothing
#
# It installs the system packages, makes the user sangsuk, puts the bundle in
# /opt/sangsuk/versions/<version>/ (the installed layout of issue 17: `current` and `previous`
# links beside it), runs the bundle's --self-test as sangsuk, installs /opt/sangsuk/bin/
# sangsuk-session and the systemd unit, and starts the kiosk on tty1 at every boot. Running it
# again with a newer bundle is a manual update: the old version becomes `previous`.
set -eu

ROOT=/opt/sangsuk
KIOSK_USER=sangsuk
KIOSK_HOME=/var/lib/sangsuk
KIOSK_GROUPS="video input render audio plugdev"
UNIT=sangsuk-kiosk.service
UNIT_FILE=/etc/systemd/system/$UNIT

# The libraries under the kiosk's Qt: the README's first `sudo apt-get install` line, the same
# words (tests/deploy/test_install.py checks that the two stay equal).
QT_PACKAGES="libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon0 libxkbcommon-x11-0 libwayland-client0 libwayland-cursor0 libpulse0 libbrotli1 libgssapi-krb5-2 libthai0"
# The session: cage and Xwayland (Debian 12's cage does not start without it), logind's PAM
# module and D-Bus (the screen and input come from logind).
SESSION_PACKAGES="cage xwayland libpam-systemd dbus"
# USB sticks: udisks2 mounts them under /media when udiskie (started by sangsuk-session) asks,
# and polkit allows it for the session at the tablet's screen.
USB_PACKAGES="udisks2 udiskie polkitd"
# The Thai voice: speech-dispatcher with eSpeak NG. No sound server: speech-dispatcher.conf
# (installed below) sends the sound straight to ALSA when no PulseAudio runs (docs/deploy.md).
VOICE_PACKAGES="speech-dispatcher speech-dispatcher-espeak-ng espeak-ng"
VOICE_CONF=/etc/speech-dispatcher/clients/sangsuk.conf

say() { # a message, Thai first, English second
  printf '%s\n%s\n' "$1" "$2"
}

die() {
  printf 'ผิดพลาด: %s\nerror: %s\n' "$1" "$2" >&2
  exit 1
}

usage_lines() {
  say "วิธีใช้: sh install.sh [--dry-run] ไฟล์หรือโฟลเดอร์โปรแกรม | --uninstall [--purge] (ในฐานะ root หรือด้วย sudo)" \
    "usage: sh install.sh [--dry-run] BUNDLE.tar.gz|BUNDLE_FOLDER | --uninstall [--purge] (as root, or with sudo)"
}

usage() {
  usage_lines >&2
  exit 2
}

show_help() {
  usage_lines
  say "  --dry-run    แสดงทุกคำสั่งที่จะทำ โดยไม่เปลี่ยนแปลงอะไร" \
    "  --dry-run    print every command it would run, and change nothing"
  say "  --uninstall  ถอนการติดตั้ง เก็บโฟลเดอร์ข้อมูลไว้ (--purge: ลบโฟลเดอร์ข้อมูลด้วย)" \
    "  --uninstall  remove the kiosk, keeping its data folder (--purge: the data folder too)"
  say "คู่มือ: docs/deploy.md" "guide: docs/deploy.md"
  exit 0
}

DRY_RUN=no
UNINSTALL=no
PURGE=no
BUNDLE=
while [ $# -gt 0 ]; do
  case $1 in
    --dry-run) DRY_RUN=yes ;;
    --uninstall) UNINSTALL=yes ;;
    --purge) PURGE=yes ;;
    -h | --help) show_help ;;
    -*) usage ;;
    *)
      [ -z "$BUNDLE" ] || usage
      BUNDLE=$1
      ;;
  esac
  shift
done
if [ "$UNINSTALL" = yes ]; then
  [ -z "$BUNDLE" ] || usage
elif [ -z "$BUNDLE" ] || [ "$PURGE" = yes ]; then
  usage
fi

# Every change goes through run: a dry run prints the command instead.
run() {
  if [ "$DRY_RUN" = yes ]; then
    printf '+'
    for word in "$@"; do
      case $word in
        *[[:space:]]*) printf " '%s'" "$word" ;;
        *) printf ' %s' "$word" ;;
      esac
    done
    printf '\n'
  else
    "$@"
  fi
}

# --- may this run here? ----------------------------------------------------------------------------

if [ "$DRY_RUN" = yes ]; then
  # A dry run may look at another folder (the tests); a real install is always /opt/sangsuk,
  # which the unit names.
  ROOT=${SANGSUK_INSTALL_ROOT:-$ROOT}
  say "ลองดูเท่านั้น (--dry-run): ไม่เปลี่ยนแปลงอะไรในเครื่อง" "dry run: nothing is changed"
else
  if [ "$(id -u)" -ne 0 ]; then
    die "ต้องสั่งในฐานะ root (su - หรือ sudo): sh $0 ..." "must be run as root (su -, or sudo): sh $0 ..."
  fi
  if [ -n "${SANGSUK_INSTALL_ROOT:-}" ] && [ "$SANGSUK_INSTALL_ROOT" != "$ROOT" ]; then
    die "ติดตั้งได้ที่ $ROOT เท่านั้น (SANGSUK_INSTALL_ROOT ใช้ได้กับ --dry-run)" \
      "the kiosk installs only into $ROOT (SANGSUK_INSTALL_ROOT is for --dry-run)"
  fi
fi
os_like=$(sed -n -e 's/^ID=//p' -e 's/^ID_LIKE=//p' /etc/os-release 2>/dev/null | tr -d '"' | tr '\n' ' ')
case " $os_like " in
  *" debian "*) ;;
  *)
    die "สคริปต์นี้สำหรับ Debian 12 (หรือระบบตระกูล Debian) เท่านั้น เครื่องนี้คือ: ${os_like:-ไม่ทราบ}" \
      "this script is for Debian 12 (or a Debian-like system) only; this is: ${os_like:-unknown}"
    ;;
esac
if [ "$DRY_RUN" = no ] && [ ! -d /run/systemd/system ]; then
  die "เครื่องนี้ไม่ได้เปิดด้วย systemd ตู้ประเมินต้องใช้ systemd" \
    "this machine is not running systemd, which the kiosk needs"
fi

HERE=$(cd "$(dirname "$0")" && pwd)

# --- uninstall -------------------------------------------------------------------------------------

if [ "$UNINSTALL" = yes ]; then
  if [ -e "$UNIT_FILE" ]; then
    run systemctl disable --now "$UNIT"
    run rm -f "$UNIT_FILE"
    run systemctl daemon-reload
  fi
  run systemctl enable getty@tty1.service
  run systemctl start getty@tty1.service
  run rm -rf "$ROOT"
  run rm -f "$VOICE_CONF"
  if [ "$PURGE" = yes ]; then
    run rm -rf "$KIOSK_HOME"
    if id -u "$KIOSK_USER" >/dev/null 2>&1; then
      run deluser --system "$KIOSK_USER"
    fi
    if getent group "$KIOSK_USER" >/dev/null; then
      run delgroup --system --only-if-empty "$KIOSK_USER"
    fi
    say "ลบตู้ประเมินแล้ว รวมทั้งข้อมูล (คะแนน กุญแจ การตั้งค่า) และผู้ใช้ $KIOSK_USER" \
      "the kiosk is removed, with its data (votes, key, settings) and the user $KIOSK_USER"
  else
    say "ลบโปรแกรมตู้ประเมินแล้ว ข้อมูลยังอยู่ที่ $KIOSK_HOME/.local/share/sangsuk (ลบด้วย --uninstall --purge)" \
      "the kiosk program is removed; its data stays in $KIOSK_HOME/.local/share/sangsuk (--uninstall --purge deletes it)"
  fi
  say "แพ็กเกจของระบบที่ติดตั้งไว้ยังอยู่ หน้าจอ tty1 กลับเป็นหน้าเข้าระบบตามปกติ" \
    "the system packages stay installed; tty1 shows a login prompt again"
  exit 0
fi

# --- the bundle and its version --------------------------------------------------------------------

for file in sangsuk-session "$UNIT" speech-dispatcher.conf; do
  [ -f "$HERE/$file" ] || die "ไม่พบ $HERE/$file ให้คัดลอกโฟลเดอร์ deploy ทั้งโฟลเดอร์" \
    "$HERE/$file is missing: copy the whole deploy folder"
done
[ -e "$BUNDLE" ] || die "ไม่พบ $BUNDLE" "$BUNDLE does not exist"

unpacked=
cleanup() {
  if [ -n "$unpacked" ]; then
    rm -rf "$unpacked"
  fi
}
trap cleanup EXIT

# The folder with the program in it: the bundle itself, or the one folder inside it.
program_folder() {
  if [ -f "$1/sangsuk-kiosk" ] && [ -x "$1/sangsuk-kiosk" ]; then
    printf '%s\n' "$1"
  else
    for inner in "$1"/*/; do
      if [ -f "$inner/sangsuk-kiosk" ] && [ -x "$inner/sangsuk-kiosk" ]; then
        printf '%s\n' "${inner%/}"
        return 0
      fi
    done
    return 1
  fi
}

if [ -d "$BUNDLE" ]; then
  source_folder=$BUNDLE
else
  unpacked=$(mktemp -d)
  say "กำลังแตกไฟล์ $BUNDLE ..." "unpacking $BUNDLE ..."
  tar -xf "$BUNDLE" -C "$unpacked" || die "แตกไฟล์ $BUNDLE ไม่ได้" "cannot unpack $BUNDLE"
  source_folder=$unpacked
fi
BUNDLE_DIR=$(program_folder "$source_folder") ||
  die "ไม่พบโปรแกรม sangsuk-kiosk ใน $BUNDLE (ต้องเป็นโฟลเดอร์ dist/sangsuk-kiosk หรือไฟล์ .tar.gz ของมัน)" \
    "no sangsuk-kiosk program in $BUNDLE (give the dist/sangsuk-kiosk folder or its .tar.gz)"
[ -d "$BUNDLE_DIR/_internal" ] ||
  die "โฟลเดอร์ _internal ไม่อยู่ข้างโปรแกรมใน $BUNDLE ให้คัดลอกมาใหม่ทั้งโฟลเดอร์" \
    "$BUNDLE has no _internal folder beside the program: copy the whole folder again"

# The version: what the program says (sangsuk-kiosk --version), else the bundle's name
# (sangsuk-kiosk-1.2.0, sangsuk-kiosk-1.2.0.tar.gz).
VERSION=$("$BUNDLE_DIR/sangsuk-kiosk" --version 2>/dev/null | sed -n '1s/^sangsuk-kiosk //p') ||
  VERSION=
if [ -z "$VERSION" ]; then
  name=$(basename "$BUNDLE")
  name=${name%.tar.gz}
  name=${name%.tgz}
  name=${name%.tar}
  VERSION=${name#sangsuk-kiosk-}
  [ "$VERSION" != "$name" ] ||
    die "บอกรุ่นของโปรแกรมไม่ได้: ตั้งชื่อโฟลเดอร์หรือไฟล์เป็น sangsuk-kiosk-<รุ่น>" \
      "cannot tell the bundle's version: name it sangsuk-kiosk-<version>"
fi
case $VERSION in
  "" | [!A-Za-z0-9]* | *[!A-Za-z0-9._+-]*)
    die "ชื่อรุ่นใช้ไม่ได้: '$VERSION'" "not a usable version name: '$VERSION'"
    ;;
esac
say "โปรแกรมรุ่น $VERSION จาก $BUNDLE" "version $VERSION from $BUNDLE"

# --- system packages and the user ------------------------------------------------------------------

say "กำลังติดตั้งแพ็กเกจของระบบ (ต้องต่ออินเทอร์เน็ต) ..." "installing the system packages (needs the network) ..."
run apt-get update
# Word splitting is wanted: one argument per package.
# shellcheck disable=SC2086
run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  $QT_PACKAGES $SESSION_PACKAGES $USB_PACKAGES $VOICE_PACKAGES

if id -u "$KIOSK_USER" >/dev/null 2>&1; then
  say "มีผู้ใช้ $KIOSK_USER อยู่แล้ว" "the user $KIOSK_USER exists"
else
  run adduser --system --group --home "$KIOSK_HOME" --shell /usr/sbin/nologin \
    --gecos "Sangsuk kiosk" "$KIOSK_USER"
fi
groups=
for group in $KIOSK_GROUPS; do
  if getent group "$group" >/dev/null; then
    groups=$groups,$group
  else
    say "ไม่มีกลุ่ม $group ในเครื่องนี้ ข้ามไป" "there is no group $group here; skipped"
  fi
done
run usermod -a -G "${groups#,}" "$KIOSK_USER"
# The home holds the data folder (.local/share/sangsuk): the kiosk's alone.
run install -d -o "$KIOSK_USER" -g "$KIOSK_USER" -m 0700 "$KIOSK_HOME"

# --- the program in /opt/sangsuk -------------------------------------------------------------------

# Link name -> target, atomically: a new link beside, renamed over the old (mv -T: the link
# itself, not into the folder it points at).
link() {
  run rm -f "$ROOT/$1.new"
  run ln -s "$2" "$ROOT/$1.new"
  run chown -h "$KIOSK_USER:$KIOSK_USER" "$ROOT/$1.new"
  run mv -T -f "$ROOT/$1.new" "$ROOT/$1"
}

run install -d -o "$KIOSK_USER" -g "$KIOSK_USER" -m 0755 "$ROOT" "$ROOT/versions"
# The session script and its folder are root's: the kiosk updates itself, not what guards it.
run install -d -o root -g root -m 0755 "$ROOT/bin"

new=versions/$VERSION
staging=$ROOT/versions/.$VERSION.installing
run rm -rf "$staging"
say "กำลังคัดลอกโปรแกรมไปที่ $ROOT/$new ..." "copying the program to $ROOT/$new ..."
run cp -a "$BUNDLE_DIR" "$staging"
run chown -R "$KIOSK_USER:$KIOSK_USER" "$staging"

say "กำลังตรวจโปรแกรม (--self-test) ในฐานะผู้ใช้ $KIOSK_USER ..." \
  "checking the program (--self-test) as the user $KIOSK_USER ..."
if ! run runuser -u "$KIOSK_USER" -- env -i PATH=/usr/bin:/bin HOME="$KIOSK_HOME" LANG=C.UTF-8 \
  "$staging/sangsuk-kiosk" --self-test; then
  run rm -rf "$staging"
  die "โปรแกรมไม่ผ่านการตรวจ (ดูข้อความด้านบน) ไม่ได้เปลี่ยนแปลงตู้ประเมินที่ติดตั้งไว้" \
    "the program failed its self-test (see above); the installed kiosk is unchanged"
fi

was_active=no
if [ "$DRY_RUN" = no ] && systemctl is-active --quiet "$UNIT"; then
  was_active=yes
  say "หยุดตู้ประเมินชั่วคราวเพื่อเปลี่ยนรุ่น" "stopping the kiosk to switch versions"
  run systemctl stop "$UNIT"
fi

# Which version runs now (a link may be relative to ROOT or absolute): it becomes `previous`.
old=$(readlink "$ROOT/current" 2>/dev/null) || old=
old=${old:+versions/$(basename "$old")}
previous=$(readlink "$ROOT/previous" 2>/dev/null) || previous=
previous=${previous:+versions/$(basename "$previous")}
if [ -n "$old" ] && [ "$old" != "$new" ] && [ -d "$ROOT/$old" ]; then
  previous=$old
fi

run rm -rf "${ROOT:?}/$new"
run mv -T "$staging" "$ROOT/$new"
if [ -n "$previous" ] && [ "$previous" != "$new" ]; then
  link previous "$previous"
fi
link current "$new"
# An installation by hand is no trial: the self-test has passed.
run rm -f "$ROOT/trial"
# Installed from the release's own archive (the update repository's targets/
# sangsuk-kiosk-<version>.tar.gz): keep it where the kiosk's updater looks, so the first update
# can be a small patch from it (docs/deploy.md, "Updates"); any other tarball is not kept.
if [ -f "$BUNDLE" ] && [ "$(basename "$BUNDLE")" = "sangsuk-kiosk-$VERSION.tar.gz" ]; then
  run install -d -o "$KIOSK_USER" -g "$KIOSK_USER" -m 0755 "$ROOT/updates" "$ROOT/updates/targets"
  run install -o "$KIOSK_USER" -g "$KIOSK_USER" -m 0644 "$BUNDLE" \
    "$ROOT/updates/targets/sangsuk-kiosk-$VERSION.tar.gz"
fi
# Only current and previous are kept.
for folder in "$ROOT"/versions/*/; do
  [ -d "$folder" ] || continue
  kept=versions/$(basename "$folder")
  if [ "$kept" != "$new" ] && [ "$kept" != "$previous" ]; then
    run rm -rf "$folder"
  fi
done

# --- the session and the unit ----------------------------------------------------------------------

run install -o root -g root -m 0755 "$HERE/sangsuk-session" "$ROOT/bin/sangsuk-session"
run install -o root -g root -m 0644 "$HERE/$UNIT" "$UNIT_FILE"
run install -D -o root -g root -m 0644 "$HERE/speech-dispatcher.conf" "$VOICE_CONF"
run systemctl daemon-reload
# The kiosk takes tty1; the login prompt moves out of its way (Ctrl+Alt+F2 still has one).
run systemctl disable getty@tty1.service
run systemctl enable "$UNIT"

if [ "$was_active" = yes ]; then
  run systemctl start "$UNIT"
  say "ปรับรุ่นตู้ประเมินเป็น $VERSION แล้ว และเปิดใหม่แล้ว" "the kiosk is now version $VERSION and has restarted"
else
  say "ติดตั้งตู้ประเมินรุ่น $VERSION เสร็จแล้ว เริ่มเครื่องใหม่ (สั่ง reboot ในฐานะ root) แล้วตู้ประเมินจะเปิดเต็มจอ" \
    "the kiosk, version $VERSION, is installed: reboot (reboot, as root) and it starts full screen"
fi
say "บันทึกของตู้ประเมิน: journalctl -t sangsuk-kiosk (เปิดปิดและเปิดใหม่: journalctl -u $UNIT)" \
  "the kiosk's log: journalctl -t sangsuk-kiosk (its starts and restarts: journalctl -u $UNIT)"
