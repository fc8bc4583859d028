#!/usr/bin/env bash
# Remove the kiosk program and its units; KEEP the data (/var/lib/kiosk: responses not yet
# uploaded, the device token) and the configuration (/etc/kiosk) unless --purge is given.
set -euo pipefail
PREFIX=/opt/kiosk
PURGE=0
[ "${1:-}" = "--purge" ] && PURGE=1
[ "$(id -u)" = 0 ] || { echo "kiosk-uninstall: run as root" >&2; exit 1; }
if [ -d /run/systemd/system ]; then
  systemctl disable --now kiosk.service kiosk-fallback.service 2>/dev/null || true
fi
rm -f /etc/systemd/system/kiosk.service /etc/systemd/system/kiosk-fallback.service
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable getty@tty1.service 2>/dev/null || true
fi
rm -rf "$PREFIX"
if [ "$PURGE" = 1 ]; then
  rm -rf /var/lib/kiosk /etc/kiosk
  userdel kiosk 2>/dev/null || true
  echo "kiosk-uninstall: program, configuration, data and user removed"
else
  echo "kiosk-uninstall: program removed; kept /etc/kiosk, /var/lib/kiosk and the kiosk user"
  echo "  (a later install.sh picks them up again; --purge removes them)"
fi
