#!/usr/bin/env bash
# Removes the ProxMon Plasma widget and its icon for the current user.
#
#   ./uninstall.sh           remove the widget and the icon
#   ./uninstall.sh --purge   also remove ProxMon's own files (caches)
#
# The settings of each placed widget live in Plasma's own file
# (~/.config/plasma-org.kde.plasma.desktop-appletsrc), in the group of the
# widget instance; Plasma removes that group when you remove the widget from
# the panel (right-click → Remove). Do that before uninstalling.
set -euo pipefail
ID=org.kde.plasma.proxmox
purge=0
for arg in "$@"; do
  case "$arg" in
    --purge) purge=1 ;;
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "uninstall.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

if command -v kpackagetool6 >/dev/null 2>&1 && kpackagetool6 -t Plasma/Applet -s "$ID" >/dev/null 2>&1; then
  kpackagetool6 -t Plasma/Applet -r "$ID"
elif [ -d "${XDG_DATA_HOME:-$HOME/.local/share}/plasma/plasmoids/$ID" ]; then
  rm -rf "${XDG_DATA_HOME:-$HOME/.local/share}/plasma/plasmoids/$ID"
  echo "Removed ${XDG_DATA_HOME:-$HOME/.local/share}/plasma/plasmoids/$ID"
else
  echo "The widget $ID is not installed for this user."
fi
rm -f "${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/scalable/apps/proxmon.svg"
rm -rf "${XDG_CACHE_HOME:-$HOME/.cache}/plasmashell/qmlcache"

if [ "$purge" = 1 ]; then
  rm -rf "${XDG_CACHE_HOME:-$HOME/.cache}/proxmon" "${XDG_CONFIG_HOME:-$HOME/.config}/proxmon"
  rc=${XDG_CONFIG_HOME:-$HOME/.config}/plasma-org.kde.plasma.desktop-appletsrc
  if [ -f "$rc" ] && grep -q "plugin=$ID" "$rc"; then
    echo "Widgets of this kind are still placed in $rc."
    echo "Remove them from the panel (right-click → Remove) and Plasma deletes their settings."
  fi
  echo "ProxMon's own files are removed. (The API token secret is not stored by this version.)"
fi
echo "Restart Plasma if the widget is still shown: systemctl --user restart plasma-plasmashell"
