#!/bin/sh
# Run as root inside the virtual tablet by deploy/vm-check.sh: a broken version staged by hand
# as an applied update would leave it (LAYOUT.md): `previous` -> the running version, `trial`
# naming the new one, `current` -> it (a new link renamed over the old), with the unit stopped
# meanwhile; then the unit is started and the session should fall back to the running version.
set -e
running=$(readlink /opt/sangsuk/current)
systemctl stop sangsuk-kiosk
cd /opt/sangsuk
# shellcheck disable=SC2016  # $1 expands in the inner shell
runuser -u sangsuk -- sh -c '
  mkdir -p versions/0.1.1-broken
  printf "#!/bin/sh\necho this version is broken >&2\nexit 1\n" >versions/0.1.1-broken/sangsuk-kiosk
  chmod 755 versions/0.1.1-broken/sangsuk-kiosk
  ln -sfn "$1" previous.new && mv -T previous.new previous
  echo 0.1.1-broken >trial
  ln -sfn versions/0.1.1-broken current.new && mv -T current.new current' sh "$running"
ls -l /opt/sangsuk
systemctl start sangsuk-kiosk
sleep 60
ls -l /opt/sangsuk
journalctl -b -t sangsuk-kiosk --no-pager | grep -i "sangsuk-session\|broken" | tail -n 4
