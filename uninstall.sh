#!/usr/bin/env bash
# Removes the ProxMon Plasma widget and its icon for the current user.
#
#   ./uninstall.sh           remove the widget and the icon
#   ./uninstall.sh --purge   also remove the settings of placed ProxMon
#                            widgets (only while Plasma is not running, which
#                            would write them back) and ProxMon's own files
#
# Plasma keeps each placed widget's settings in its own files
# (~/.config/plasma-org.kde.plasma.desktop-appletsrc, plasmawindowedrc) and
# removes them when you remove the widget (right-click → Remove).
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
data=${XDG_DATA_HOME:-$HOME/.local/share}
config=${XDG_CONFIG_HOME:-$HOME/.config}
cache=${XDG_CACHE_HOME:-$HOME/.cache}

if command -v kpackagetool6 >/dev/null 2>&1 && kpackagetool6 -t Plasma/Applet -s "$ID" >/dev/null 2>&1; then
  kpackagetool6 -t Plasma/Applet -r "$ID"
elif command -v kpackagetool5 >/dev/null 2>&1 && kpackagetool5 -t Plasma/Applet -s "$ID" >/dev/null 2>&1; then
  # The Plasma 5 edition (same id, same folder).
  kpackagetool5 -t Plasma/Applet -r "$ID"
elif [ -d "$data/plasma/plasmoids/$ID" ]; then
  # Without kpackagetool6 the folder is all there is to remove.
  rm -rf "$data/plasma/plasmoids/$ID"
  echo "Removed $data/plasma/plasmoids/$ID"
else
  echo "The widget $ID is not installed for this user."
fi
rm -f "$data/icons/hicolor/scalable/apps/proxmon.svg"
rm -rf "$cache/plasmashell/qmlcache"

# Drops every group of a KConfig file that belongs to a ProxMon applet: the
# applet's own group (the one with plugin=ID) and all groups below it.
drop_applet_groups() {
  local file=$1 tmp
  tmp=$(mktemp "$file.XXXXXX")
  awk -v id="$ID" '
    FNR == NR {
      if ($0 ~ /^\[/) header = $0
      else if ($0 == "plugin=" id) mine[header] = 1
      next
    }
    /^\[/ {
      drop = 0
      for (h in mine) if ($0 == h || index($0, h "[") == 1) drop = 1
    }
    !drop { print }
  ' "$file" "$file" >"$tmp"
  if cmp -s "$file" "$tmp"; then
    rm -f "$tmp"
  else
    mv "$tmp" "$file"
    echo "Removed the settings of ProxMon widgets from $file"
  fi
}

if [ "$purge" = 1 ]; then
  rm -rf "$cache/proxmon" "$config/proxmon"
  files=()
  for f in "$config/plasma-org.kde.plasma.desktop-appletsrc" "$config/plasmawindowedrc"; do
    [ -f "$f" ] && grep -qx "plugin=$ID" "$f" && files+=("$f")
  done
  if [ ${#files[@]} -gt 0 ]; then
    if pgrep -x -u "$(id -u)" plasmashell >/dev/null 2>&1 || pgrep -x -u "$(id -u)" plasmawindowed >/dev/null 2>&1; then
      echo "Plasma is running and would write the settings back: remove the ProxMon widgets"
      echo "(right-click → Remove), or run ./uninstall.sh --purge again while Plasma is not running."
    else
      for f in "${files[@]}"; do drop_applet_groups "$f"; done
    fi
  fi
  echo "ProxMon's settings and files are removed. A token secret kept in KDE Wallet stays there;"
  echo "remove it in KWalletManager (folder “ProxMon Plasma Widget”) if you no longer need it."
fi
echo "Restart Plasma if the widget is still shown: systemctl --user restart plasma-plasmashell"
