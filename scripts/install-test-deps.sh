#!/usr/bin/env bash
# System packages the tests need on Debian 12 (or later): openssl for the
# simulator's per-run CA, Qt 6's and Qt 5.15's qmltestrunner for the V4
# tests (and qmlformat/qmllint; Qt 5 for the Plasma 5 edition), gettext (xgettext, msgfmt) for the translations,
# locales (the sources the German Plasma test compiles de_DE.UTF-8 from), and
# debootstrap for the Plasma 6 test host. Installs only what is missing, so
# it is quiet and needs no root on a machine that already has everything.
set -euo pipefail

packages=(
  openssl ca-certificates
  qt6-declarative-dev-tools qml6-module-qttest qml6-module-qtquick
  qml6-module-qtquick-window qml6-module-qtqml-workerscript
  qtdeclarative5-dev-tools qml-module-qttest qml-module-qtquick2
  qml-module-qtquick-window2 qml-module-qtqml-models2
  gettext locales
  debootstrap
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing test dependencies: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Need root to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
