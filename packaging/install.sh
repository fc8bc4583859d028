#!/usr/bin/env bash
# Turn a fresh Debian 13 (or Debian 12 given a Python >= 3.12) into a lobby kiosk, or update one.
# Run as root from a checkout:   sudo packaging/install.sh [--python PATH] [--no-apt] [--no-enable]
# Idempotent: running it again updates the program and keeps /etc/kiosk and /var/lib/kiosk.
set -euo pipefail

PREFIX=/opt/kiosk
ETC=/etc/kiosk
DATA=/var/lib/kiosk
USER_NAME=kiosk
UNITS=/etc/systemd/system
PYTHON=${KIOSK_PYTHON:-}
APT=1
ENABLE=1
SOURCE=$(cd "$(dirname "$0")/.." && pwd)
# What the kiosk needs at run time: Qt's Wayland/EGL/font/D-Bus libraries (libwayland-cursor0:
# without it Qt's wayland plugin does not load), a Korean font, speech, the compositor, USB
# mounting without a desktop (udisks2) and a clock that synchronises.
RUNTIME_PACKAGES=(
  cage libwayland-client0 libwayland-cursor0 libwayland-egl1 libxkbcommon0 libegl1 libgl1
  libgles2 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0 libpulse0
  fonts-nanum
  speech-dispatcher speech-dispatcher-espeak-ng espeak-ng libspeechd2
  udisks2 dbus
  ca-certificates
)

usage() {
  echo "usage: $0 [--python PATH] [--no-apt] [--no-enable]" >&2
  echo "  --python PATH  the Python (>= 3.12) to build the venv with (default: python3)" >&2
  echo "  --no-apt       do not install Debian packages (they must be there already)" >&2
  echo "  --no-enable    install the units but do not enable them (tests, staging)" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --python) PYTHON=$2; shift 2 ;;
    --no-apt) APT=0; shift ;;
    --no-enable) ENABLE=0; shift ;;
    -h|--help) usage ;;
    *) echo "unknown option: $1" >&2; usage ;;
  esac
done

say() { echo "kiosk-install: $*"; }
die() { echo "kiosk-install: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (sudo $0)"
[ -f "$SOURCE/pyproject.toml" ] || die "$SOURCE: not a kiosk checkout (no pyproject.toml)"
PYTHON=${PYTHON:-$(command -v python3 || true)}
[ -n "$PYTHON" ] && [ -x "$PYTHON" ] || die "no Python found: pass --python PATH (>= 3.12)"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
  || die "$PYTHON is $("$PYTHON" -V 2>&1); the kiosk needs Python 3.12 or newer"

if [ "$APT" = 1 ]; then
  missing=()
  for package in "${RUNTIME_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# The dedicated unprivileged user: no password, no shell, owns only its data directory.
if ! getent passwd "$USER_NAME" >/dev/null; then
  say "creating system user $USER_NAME"
  useradd --system --home-dir "$DATA" --no-create-home --shell /usr/sbin/nologin \
    --comment "Lobby kiosk" "$USER_NAME"
fi
for group in video render input audio plugdev; do
  getent group "$group" >/dev/null && usermod -a -G "$group" "$USER_NAME"
done

install -d -m 0755 "$PREFIX"
# The venv's Python must be executable by the kiosk user: a Python under /root (pyenv) is not.
# Then copy its installation to $PREFIX/python (and point a shared libpython at the copy).
if ! runuser -u "$USER_NAME" -- "$PYTHON" -c 'pass' 2>/dev/null; then
  base=$("$PYTHON" -c 'import sys; print(sys.base_prefix)')
  version=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  say "$PYTHON is not usable by $USER_NAME: copying $base to $PREFIX/python"
  rm -rf "$PREFIX/python.new"
  cp -a "$base" "$PREFIX/python.new"
  binary="$PREFIX/python.new/bin/python$version"
  if readelf -d "$binary" 2>/dev/null | grep -q 'R\(UN\)\?PATH'; then
    command -v patchelf >/dev/null || {
      [ "$APT" = 1 ] || die "patchelf is needed to relocate $PYTHON (apt-get install patchelf)"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq patchelf >/dev/null
    }
    patchelf --set-rpath '$ORIGIN/../lib' "$binary"
  fi
  chmod -R a+rX,go-w "$PREFIX/python.new"
  rm -rf "$PREFIX/python" && mv "$PREFIX/python.new" "$PREFIX/python"
  PYTHON=$PREFIX/python/bin/python$version
  runuser -u "$USER_NAME" -- "$PYTHON" -c 'pass' || die "$PYTHON still not usable by $USER_NAME"
fi

# Build the wheel (it carries the bundled config, sample content and feed) and install it into a
# fresh venv beside the old one, switched over only when complete: an update never leaves a
# half-installed kiosk.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say "building the kiosk wheel from $SOURCE"
# From a copy: setuptools writes build/ beside the sources it builds, and the checkout stays as it is.
mkdir "$work/source"
tar -C "$SOURCE" --exclude=./.git --exclude=./.venv --exclude=./build --exclude='*.egg-info' \
  --exclude=__pycache__ -cf - . | tar -C "$work/source" -xf -
"$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$work" "$work/source" >/dev/null
wheel=$(ls "$work"/*.whl)
rm -rf "$PREFIX/venv.new"
"$PYTHON" -m venv "$PREFIX/venv.new"
say "installing $(basename "$wheel") and its dependencies"
"$PREFIX/venv.new/bin/python" -m pip install --quiet "$wheel"
# An existing config written for an older kiosk: rename the sections renamed since (the old file is
# kept as kiosk.toml.bak) before the new kiosk replaces the old one; if that cannot be done, the old
# kiosk stays installed with its config untouched.
if [ -f "$ETC/kiosk.toml" ]; then
  "$PREFIX/venv.new/bin/python" -m kiosk config migrate "$ETC/kiosk.toml" \
    || die "$ETC/kiosk.toml could not be migrated (see above); the installed kiosk is unchanged"
fi
# The venv's scripts name their interpreter by path: rewrite venv.new to venv before the switch.
grep -rlI --null "$PREFIX/venv.new" "$PREFIX/venv.new/bin" | xargs -0 -r sed -i "s#$PREFIX/venv.new#$PREFIX/venv#g"
rm -rf "$PREFIX/venv.old"
[ -d "$PREFIX/venv" ] && mv "$PREFIX/venv" "$PREFIX/venv.old"
mv "$PREFIX/venv.new" "$PREFIX/venv"
rm -rf "$PREFIX/venv.old"
chmod -R a+rX,go-w "$PREFIX/venv"
install -m 0644 "$SOURCE/packaging/README.md" "$PREFIX/README.md"
install -m 0755 "$SOURCE/packaging/uninstall.sh" "$PREFIX/uninstall.sh"

# Configuration: written once from the bundled default, never overwritten by an update.
install -d -m 0755 "$ETC"
if [ ! -f "$ETC/kiosk.toml" ]; then
  defaults=$("$PREFIX/venv/bin/python" -c 'from kiosk.config.settings import DEFAULTS_DIR; print(DEFAULTS_DIR)')
  sed -e "s#^data_dir = .*#data_dir = \"$DATA\"#" \
      -e "s#^dir = \"content\"#dir = \"$ETC/content\"#" \
      "$defaults/kiosk.toml" > "$ETC/kiosk.toml"
  install -d -m 0755 "$ETC/content"
  cp "$defaults"/content/*.yaml "$ETC/content/"
  chmod 0644 "$ETC/kiosk.toml" "$ETC"/content/*.yaml
  say "wrote $ETC/kiosk.toml (set the panel size, mounting height and backend there)"
fi

# The data directory: the kiosk user's only writable place; the store is created at first start.
install -d -m 0700 -o "$USER_NAME" -g "$USER_NAME" "$DATA"
chmod 0700 "$DATA"

for unit in kiosk.service kiosk-fallback.service; do
  sed "s#@PREFIX@#$PREFIX#g" "$SOURCE/packaging/systemd/$unit" > "$UNITS/$unit"
  chmod 0644 "$UNITS/$unit"
done
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  if [ "$ENABLE" = 1 ]; then
    systemctl disable getty@tty1.service >/dev/null 2>&1 || true
    systemctl enable kiosk.service
    systemctl set-default graphical.target >/dev/null
    say "enabled kiosk.service: it starts on tty1 at the next boot (or now: systemctl start kiosk)"
  fi
else
  say "systemd is not running here: units installed in $UNITS, not enabled"
fi
say "installed $("$PREFIX/venv/bin/kiosk" --version) in $PREFIX; check it with: sudo -u $USER_NAME $PREFIX/venv/bin/kiosk doctor"
