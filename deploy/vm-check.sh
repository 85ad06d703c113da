#!/usr/bin/env bash
# Check docs/deploy.md's "A kiosk tablet from scratch (Debian 12)" on a virtual Debian 12 tablet.
#
# NOT RUN IN CI: it needs root, KVM (/dev/kvm; without it QEMU's TCG works but is many times
# slower), the Debian mirror (debootstrap on the host, apt-get in the guest) and time: about
# 25 minutes under TCG for a run on a base image made before (VM_ACCEL=tcg; the first run also
# spends some 5 minutes making the base image). Run it by hand on a Debian 12 build machine after changing deploy/ or docs/deploy.md:
#
#     apt-get install --no-install-recommends qemu-system-x86 qemu-utils debootstrap \
#         dosfstools mtools fdisk
#     bash deploy/build.sh          # dist/sangsuk-kiosk/ (--no-update-key without the office key)
#     sudo bash deploy/vm-check.sh  # prints what it sees; screenshots in $VM_CACHE/run/
#
# What it does (docs/deploy.md, "Checked on a virtual Debian 12 tablet", says what was seen):
#  1. A fresh minimal Debian 12, as the installer leaves it with "standard system utilities"
#     and no desktop (debootstrap + the `standard` task + the kernel; root with a password, a
#     user `officer`, DHCP by ifupdown), made once into $VM_CACHE/debian12-base.img (an ext4
#     file system made with mke2fs -d: no loop devices, no bootloader: QEMU boots its kernel).
#     Two things a real install does not have, for driving it from here: root is logged in on
#     the serial console (a getty autologin drop-in for ttyS0), and the kernel command line
#     adds console=ttyS0.
#  2. A USB stick (FAT32, one partition, as the officer's stick) with the tarball and deploy/,
#     exactly as the doc's step 2 packs them.
#  3. Boots the tablet (1280x800 virtio GPU, a USB tablet as the pointer, user-mode network) from
#     a copy-on-write overlay, so every run starts from a fresh machine; follows step 3 on the
#     serial console (lsblk, mount, sh install.sh) and step 4 (reboot); waits for the kiosk's
#     screen; taps through a vote with absolute pointer events; checks the vote with
#     `sangsuk-kiosk status`, the journal, a restart after the kiosk is killed, and the fallback
#     from a broken version by hand.
# Downloaded and built images stay in $VM_CACHE (default /work/vmcache), never in the checkout.
# The commands typed on the guest's console are single-quoted on purpose: they expand there.
# shellcheck disable=SC2016
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
CACHE=${VM_CACHE:-/work/vmcache}
ROOTFS=$CACHE/rootfs
BASE=$CACHE/debian12-base.img
RUN=$CACHE/run
MIRROR=${VM_MIRROR:-http://deb.debian.org/debian}
WIDTH=1280
HEIGHT=800
BUNDLE=$REPO/dist/sangsuk-kiosk

[ "$(id -u)" -eq 0 ] || { echo "vm-check.sh: run as root (debootstrap, chroot)" >&2; exit 1; }
[ -x "$BUNDLE/sangsuk-kiosk" ] || { echo "vm-check.sh: build first: bash deploy/build.sh" >&2; exit 1; }
mkdir -p "$CACHE"
say() { printf '\n=== %s\n' "$*"; }

# --- 1. the base image: a fresh minimal Debian 12 -------------------------------------------------

make_base() {
  if [ ! -e "$ROOTFS/.debootstrap-done" ]; then
    rm -rf "$ROOTFS"
    say "debootstrap bookworm into $ROOTFS"
    debootstrap --arch=amd64 --include=linux-image-amd64,locales bookworm "$ROOTFS" "$MIRROR"
    touch "$ROOTFS/.debootstrap-done"
  fi
  say "configuring the base system as the installer would"
  cat >"$ROOTFS/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main non-free-firmware
deb $MIRROR bookworm-updates main non-free-firmware
deb ${MIRROR%/debian}/debian-security bookworm-security main non-free-firmware
EOF
  echo sangsuk-vm >"$ROOTFS/etc/hostname"
  printf '127.0.0.1\tlocalhost\n127.0.1.1\tsangsuk-vm\n' >"$ROOTFS/etc/hosts"
  echo '/dev/vda / ext4 errors=remount-ro 0 1' >"$ROOTFS/etc/fstab"
  # As the installer writes it for the one network card (virtio-net in PCI slot 8: ens8).
  cat >"$ROOTFS/etc/network/interfaces" <<'EOF'
source /etc/network/interfaces.d/*

auto lo
iface lo inet loopback

allow-hotplug ens8
iface ens8 inet dhcp
EOF
  sed -i 's/^# *en_US.UTF-8/en_US.UTF-8/' "$ROOTFS/etc/locale.gen"
  echo 'LANG=en_US.UTF-8' >"$ROOTFS/etc/default/locale"
  # apt in the chroot without starting any service.
  printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d"
  chmod 0755 "$ROOTFS/usr/sbin/policy-rc.d"
  mount -t proc proc "$ROOTFS/proc"
  chroot "$ROOTFS" locale-gen
  chroot "$ROOTFS" apt-get update
  # "standard system utilities" at the installer's Software selection.
  chroot "$ROOTFS" env DEBIAN_FRONTEND=noninteractive tasksel install standard
  chroot "$ROOTFS" apt-get clean
  umount "$ROOTFS/proc"
  rm -f "$ROOTFS/usr/sbin/policy-rc.d"
  echo 'root:sangsuk-vm' | chroot "$ROOTFS" chpasswd
  chroot "$ROOTFS" id officer >/dev/null 2>&1 ||
    chroot "$ROOTFS" adduser --disabled-password --gecos "IT officer" officer
  echo 'officer:sangsuk-vm' | chroot "$ROOTFS" chpasswd
  # Only for driving the machine from here: root logged in on the serial console.
  mkdir -p "$ROOTFS/etc/systemd/system/serial-getty@ttyS0.service.d"
  cat >"$ROOTFS/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf" <<'EOF'
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin root --keep-baud 115200,57600,38400,9600 %I $TERM
EOF
  say "making $BASE (ext4 from the folder, 8 GB sparse)"
  rm -f "$BASE"
  truncate -s 8G "$BASE"
  mke2fs -q -t ext4 -L debian12 -d "$ROOTFS" "$BASE"
}

if [ ! -e "$BASE" ] || [ "${VM_REBUILD:-}" = 1 ]; then
  make_base
fi

# --- 2. the officer's USB stick: the tarball and deploy/ (step 2 of the doc) ------------------------

say "packing the bundle and the stick"
rm -rf "$RUN"
mkdir -p "$RUN/stick"
version=$("$BUNDLE/sangsuk-kiosk" --version | cut -d' ' -f2)
tarball=sangsuk-kiosk-$version.tar.gz
tar -C "$REPO/dist" -czf "$RUN/stick/$tarball" sangsuk-kiosk
cp -r "$HERE" "$RUN/stick/deploy"
stick_mb=$(($(du -sm "$RUN/stick" | cut -f1) + 64))
truncate -s "${stick_mb}M" "$RUN/stick.img"
echo 'start=2048, type=c' | sfdisk -q "$RUN/stick.img"
offset=$((2048 * 512))
mkfs.vfat -F 32 -n SANGSUK --offset 2048 "$RUN/stick.img" >/dev/null
mcopy -s -i "$RUN/stick.img@@$offset" "$RUN/stick/$tarball" "$RUN/stick/deploy" ::
echo "stick: $tarball ($(du -h "$RUN/stick/$tarball" | cut -f1)) and deploy/"

# --- 3. boot the fresh tablet ------------------------------------------------------------------------

qemu-img create -q -f qcow2 -b "$BASE" -F raw "$RUN/disk.qcow2"
kernel=$(find "$ROOTFS/boot" -name 'vmlinuz-*' | sort | tail -n 1)
initrd=$(find "$ROOTFS/boot" -name 'initrd.img-*' | sort | tail -n 1)
# KVM when /dev/kvm is there; VM_ACCEL=tcg forces QEMU's emulation (slower: minutes, not seconds),
# for a host whose KVM cannot boot Linux (this check's own machine, a nested KVM, hung the guest
# kernel while it decompressed itself).
accel=${VM_ACCEL:-kvm}
[ -w /dev/kvm ] || accel=tcg
# -arch-capabilities: a nested KVM refuses to set that MSR, and QEMU aborts.
case $accel in
  kvm) cpu=host,-arch-capabilities ;;
  *) accel=tcg,thread=multi cpu=max ;;
esac
say "booting the tablet ($accel, 2 CPUs, 2 GB, ${WIDTH}x${HEIGHT})"
qemu-system-x86_64 -accel "$accel" -cpu "$cpu" -smp 2 -m 2048 -name sangsuk-vm \
  -kernel "$kernel" -initrd "$initrd" \
  -append "root=/dev/vda ro quiet console=tty0 console=ttyS0,115200n8" \
  -drive "file=$RUN/disk.qcow2,if=virtio,format=qcow2" \
  -device "virtio-vga,xres=$WIDTH,yres=$HEIGHT" -display none \
  -device qemu-xhci -device usb-tablet \
  -drive "if=none,id=stick,format=raw,file=$RUN/stick.img" -device usb-storage,drive=stick \
  -netdev user,id=net0 -device virtio-net-pci,netdev=net0,addr=8 \
  -chardev "socket,id=ser0,path=$RUN/serial.sock,server=on,wait=off,logfile=$RUN/serial.log" \
  -serial chardev:ser0 \
  -qmp "unix:$RUN/qmp.sock,server=on,wait=off" \
  -pidfile "$RUN/qemu.pid" -daemonize
qemu_pid=$(cat "$RUN/qemu.pid")
stop_vm() {
  if kill -0 "$qemu_pid" 2>/dev/null; then
    kill "$qemu_pid"
  fi
}
# VM_KEEP=1 leaves the machine running afterwards (python3 deploy/vm_check.py $RUN run|shot|tap).
[ "${VM_KEEP:-}" = 1 ] || trap stop_vm EXIT

vm() { python3 "$HERE/vm_check.py" "$RUN" "$@"; }
wait_login() { # the serial console's root shell answers
  for _ in $(seq 1 300); do
    if grep -q 'login: root (automatic login)' "$RUN/serial.log" 2>/dev/null &&
      vm run 'true' --timeout 5 >/dev/null 2>&1; then
      return 0
    fi
    sleep 2
  done
  echo "vm-check.sh: no root shell on the serial console" >&2
  exit 1
}
# Plain output on a serial line: no pager, no colours.
settle() { vm run 'set +H; export PAGER=cat SYSTEMD_PAGER= SYSTEMD_COLORS=0 TERM=dumb; stty -echo cols 200 </dev/tty' >/dev/null; }

t0=$(date +%s)
wait_login
settle
echo "root shell on ttyS0 after $(($(date +%s) - t0)) s"
vm shot "$RUN/0-console.png"

# Not the doc's: this check's own network (a sandbox whose DNS drops some of the queries QEMU's
# user-mode network forwards) needs the mirror's address written down in the guest.
mirror_host=${MIRROR#*://}
mirror_host=${mirror_host%%/*}
if mirror_ip=$(getent ahostsv4 "$mirror_host" | awk '{ print $1; exit }') && [ -n "$mirror_ip" ]; then
  vm run "echo '$mirror_ip $mirror_host' >>/etc/hosts"
fi

vm run 'for i in $(seq 1 120); do ip route | grep -q default && break; sleep 1; done; ip -br addr' --timeout 180

say "step 3: lsblk, mount the stick, sh install.sh (as root)"
vm run 'lsblk -o NAME,SIZE,TYPE,FSTYPE,LABEL'
vm run 'mount /dev/sda1 /mnt && ls /mnt'
vm run "start=\$(date +%s); sh /mnt/deploy/install.sh /mnt/$tarball >/root/install.log 2>&1; status=\$?; echo \"install.sh exit \$status after \$((\$(date +%s) - start)) s\"; tail -n 12 /root/install.log" --timeout 3600

# Not the doc's: a virtual GPU has no 3D, and Mesa's software renderer crashed cage (SIGSEGV in
# kms_swrast) on QEMU; wlroots draws without OpenGL here (docs/deploy.md says when a tablet needs it).
vm run 'mkdir -p /etc/systemd/system/sangsuk-kiosk.service.d && printf "[Service]\nEnvironment=WLR_RENDERER=pixman\n" >/etc/systemd/system/sangsuk-kiosk.service.d/renderer.conf'

say "step 4: reboot"
vm run 'umount /mnt; reboot' --timeout 5 || true
t_reboot=$(date +%s.%N)
sleep 3
vm wait-screen kiosk --timeout 900
echo "the kiosk's screen $(awk -v a="$t_reboot" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s after 'reboot' was typed"
sleep 5 # the welcome screen settles (its first paint can be half done)
vm shot "$RUN/1-welcome.png"
wait_login
settle
vm run 'systemctl get-default; systemctl is-active sangsuk-kiosk; ls -l /opt/sangsuk; journalctl -b -t sangsuk-kiosk | grep sangsuk-session'

say "step 5: a vote tapped through (positions on the ${WIDTH}x${HEIGHT} screen)"
tap() { vm tap "$1" "$2" --size "${WIDTH}x${HEIGHT}"; sleep "${3:-8}"; }
tap 640 489    # the start button
vm shot "$RUN/2-rating.png"
tap 145 500    # the first face
vm shot "$RUN/3-target.png"
tap 227 522    # the first staff card
vm shot "$RUN/4-impression.png"
tap 198 264 3  # the first impression
tap 1090 744   # send
vm shot "$RUN/5-thanks.png"
vm run 'runuser -u sangsuk -- /opt/sangsuk/current/sangsuk-kiosk status; runuser -u sangsuk -- /opt/sangsuk/current/sangsuk-kiosk verify' --timeout 300

say "the kiosk killed: systemd starts it again"
vm run 'systemctl show -p NRestarts sangsuk-kiosk; kill "$(pgrep -u sangsuk -x sangsuk-kiosk)"; sleep 60; systemctl show -p NRestarts sangsuk-kiosk; pgrep -u sangsuk -a "udiskie|speech-dispatch|sangsuk-kiosk"; journalctl -b -t sangsuk-kiosk | grep sangsuk-session | tail -n 3' --timeout 120
vm wait-screen kiosk --timeout 300

say "a broken version staged by hand: the session falls back"
vm run "echo $(base64 -w0 "$HERE/vm-fallback.sh") | base64 -d >/root/fallback.sh; sh /root/fallback.sh" --timeout 300
vm wait-screen kiosk --timeout 300
vm shot "$RUN/6-after-fallback.png"
echo "screenshots: $RUN/*.png"
