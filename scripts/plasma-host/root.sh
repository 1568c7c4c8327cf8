#!/usr/bin/env bash
# A Debian 13 ("trixie") root with Plasma 6.3, kept outside the checkout, in
# which the widget's tests run under chroot. Needs root.
#
#   root.sh ensure            build the root, or reuse it when its stamp matches
#   root.sh run [-e N=V]... -- CMD [ARG]...
#                             ensure, mount, run CMD inside (cwd /proxmon, clean
#                             env), kill what CMD left running inside, unmount
#   root.sh shell             an interactive bash inside (same mounts and env)
#   root.sh mount | umount    mount / unmount by hand (umount also clears the
#                             mounts of a run that was killed)
#   root.sh status            path, stamp, size, current mounts
#   root.sh destroy           unmount and delete the root
#   root.sh mirror            print the Debian mirror read from apt's sources
#
# Environment:
#   PROXMON_PLASMA_EDITION  6 (default: Debian 13, Plasma 6.3) or 5 (Debian 12
#                           "bookworm", Plasma 5.27 / KF5 / Qt 5.15, for the
#                           Plasma 5 edition; its own root and package list)
#   PROXMON_PLASMA_ROOT     the root (default /var/cache/proxmon/plasma-root,
#                           /var/cache/proxmon/plasma5-root for edition 5)
#   PROXMON_PLASMA_OUT      host folder mounted writable at /out
#                           (default /tmp/proxmon-plasma-out)
#   PROXMON_PROJECT_DIR     checkout mounted read-only at /proxmon
#                           (default: the checkout holding this script)
#   PROXMON_DEBIAN_MIRROR   Debian mirror URL (default: read from apt's sources)
#   PROXMON_PLASMA_REBUILD=1    delete and rebuild the root
#   PROXMON_PLASMA_KEEP_HOME=1  keep /root/proxmon-home from the last run
set -euo pipefail

SUITE=trixie
# Bump when the way the root is set up changes (forces an upgrade pass).
SETUP_VERSION=1
PACKAGES=(
  plasma-sdk plasma-desktop plasma-workspace
  xvfb xauth dbus-x11 x11-apps imagemagick
  breeze-icon-theme fonts-noto-core
  qml6-module-qttest qt6-declarative-dev-tools qml6-module-org-kde-notifications
  qml6-module-org-kde-quickcharts
  kpackagetool6 ca-certificates python3-dbus python3-gi nodejs
  cmake make g++ qt6-base-dev qt6-declarative-dev
)

ROOT_DEFAULT=/var/cache/proxmon/plasma-root

# The Plasma 5 edition's root: Debian 12 ships Plasma 5.27 itself. The same
# kinds of tools as above, in their KF5 / Qt 5 packages (Qt 5's qmllint and
# qmltestrunner are in qtdeclarative5-dev-tools; the native module's Qt 5
# build needs qtbase5-dev, which carries Qt DBus).
case "${PROXMON_PLASMA_EDITION:-6}" in
  6) ;;
  5)
    SUITE=bookworm
    PACKAGES=(
      plasma-sdk plasma-desktop plasma-workspace
      xvfb xauth dbus-x11 x11-apps imagemagick
      breeze-icon-theme fonts-noto-core
      qml-module-qttest qtdeclarative5-dev-tools qml-module-org-kde-notifications
      qml-module-org-kde-kirigami2 qml-module-org-kde-quickcharts qml-module-org-kde-kcm
      qml-module-qt-labs-qmlmodels
      kpackagetool5 ca-certificates python3-dbus python3-gi nodejs
      cmake make g++ qtbase5-dev qtdeclarative5-dev
    )
    ROOT_DEFAULT=/var/cache/proxmon/plasma5-root
    ;;
  *)
    echo "[plasma-host] error: PROXMON_PLASMA_EDITION must be 5 or 6" >&2
    exit 1
    ;;
esac
ROOT=${PROXMON_PLASMA_ROOT:-$ROOT_DEFAULT}
OUT=${PROXMON_PLASMA_OUT:-/tmp/proxmon-plasma-out}
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT=${PROXMON_PROJECT_DIR:-$(cd "$SCRIPT_DIR/../.." && pwd)}
IN_HOME=/root/proxmon-home
MARKER=.proxmon-plasma-root
BOOTSTRAPPED=.proxmon-debootstrap-ok
STAMP=.proxmon-stamp

log() { printf '[plasma-host] %s\n' "$*" >&2; }
die() {
  printf '[plasma-host] error: %s\n' "$*" >&2
  exit 1
}
now() { date +%s.%N; }
# phase NAME START: print how long the phase took.
phase() { log "$(printf '%-10s %6.1f s' "$1" "$(awk -v a="$2" -v b="$(now)" 'BEGIN { print b - a }')")"; }

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, mount and chroot need it)"

case "$ROOT" in
  /*) ;;
  *) die "PROXMON_PLASMA_ROOT must be an absolute path: $ROOT" ;;
esac
ROOT=$(realpath -m "$ROOT")
case "$ROOT" in
  "" | / | /bin | /boot | /dev | /etc | /home | /lib | /opt | /proc | /root | /run | /sbin | /srv | /sys | /tmp | /usr | /var | /var/cache | /var/lib | /var/tmp)
    die "refusing to use $ROOT as the Plasma root"
    ;;
esac

# ---------------------------------------------------------------- mirror

# The main Debian mirror of the host's apt sources (not -security).
detect_mirror() {
  if [ -n "${PROXMON_DEBIAN_MIRROR:-}" ]; then
    printf '%s\n' "$PROXMON_DEBIAN_MIRROR"
    return
  fi
  local url=""
  if [ -f /etc/apt/sources.list ]; then
    # deb [opts] URL SUITE COMPONENTS...
    url=$(awk '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        u = $i; s = $(i + 1)
        if (s ~ /-(security|updates|backports|proposed-updates)$/ || u ~ /security/) next
        print u; exit
      }' /etc/apt/sources.list)
  fi
  if [ -z "$url" ]; then
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] || continue
      # deb822 stanzas separated by blank lines; keys are case-insensitive.
      url=$(awk '
        function flush() {
          if (uris != "" && types ~ /(^| )deb( |$)/ && enabled != "no" && deb_suite) { split(uris, u, " "); print u[1]; found = 1 }
          uris = ""; types = ""; enabled = ""; deb_suite = 0
        }
        /^[ \t]*#/ { next }
        /^[ \t]*$/ { flush(); if (found) exit; next }
        {
          key = tolower($1); sub(/:$/, "", key)
          val = $0; sub(/^[^:]*:[ \t]*/, "", val)
          if (key == "uris") uris = val
          else if (key == "types") types = val
          else if (key == "enabled") enabled = tolower(val)
          else if (key == "suites") {
            n = split(val, s, " ")
            for (k = 1; k <= n; k++)
              if (s[k] ~ /^(buster|bullseye|bookworm|trixie|forky|duke|sid|stable|testing|unstable|oldstable)$/) deb_suite = 1
          }
        }
        END { if (!found) flush() }' "$f")
      case "$url" in *security*) url="" ;; esac
      [ -n "$url" ] && break
    done
  fi
  [ -n "$url" ] || die "no Debian mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d/*.sources; set PROXMON_DEBIAN_MIRROR to a Debian mirror URL"
  printf '%s\n' "${url%/}"
}

# ---------------------------------------------------------------- mounts

# Mount points at or below a folder (default ROOT), deepest first
# (mountinfo field 5).
mounts_under() {
  awk -v r="${1:-$ROOT}" '{ t = $5; gsub(/\\040/, " ", t); if (t == r || index(t, r "/") == 1) print t }' /proc/self/mountinfo | sort -r
}

# PIDs of processes whose root directory is ROOT (left over inside).
procs_inside() {
  local p r
  for p in /proc/[0-9]*; do
    r=$(readlink "$p/root" 2>/dev/null) || continue
    if [ "$r" = "$ROOT" ]; then printf '%s\n' "${p#/proc/}"; fi
  done
}

kill_inside() {
  local pids
  pids=$(procs_inside | tr '\n' ' ')
  [ -n "${pids// /}" ] || return 0
  log "stopping processes left inside the root: $pids"
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true

  for _ in 1 2 3 4 5 6 7 8 9 10; do
    pids=$(procs_inside | tr '\n' ' ')
    [ -n "${pids// /}" ] || return 0
    sleep 0.3
  done
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  sleep 0.3
}

do_umount() {
  local list m
  MOUNTED=0
  list=$(mounts_under)
  [ -n "$list" ] || return 0
  kill_inside
  while IFS= read -r m; do
    [ -n "$m" ] || continue
    umount "$m" 2>/dev/null || umount -R "$m" 2>/dev/null || true
  done <<<"$list"
  list=$(mounts_under)
  if [ -n "$list" ]; then
    log "busy mounts, detaching lazily: $(echo "$list" | tr '\n' ' ')"
    while IFS= read -r m; do
      [ -n "$m" ] || continue
      umount -l "$m" 2>/dev/null || true
    done <<<"$list"
  fi
  list=$(mounts_under)
  [ -z "$list" ] || die "could not unmount: $list"
}

# bind SRC DST [ro]: a private bind mount (never propagates back to the host,
# even when the host's mounts are shared, as under systemd).
bind() {
  mkdir -p "$2"
  mount --bind "$1" "$2"
  mount --make-private "$2"
  if [ "${3:-}" = ro ]; then mount -o remount,bind,ro "$2"; fi
}

# Mount what the root needs. "full" also mounts the checkout, /out and fresh
# tmpfs for /tmp and /run (a run starts clean, with no stale X locks).
do_mount() {
  local mode=${1:-full}
  # A killed earlier run may have left mounts behind: start from none.
  if [ -n "$(mounts_under)" ]; then
    log "clearing mounts left by an earlier run"
    do_umount
  fi
  MOUNTED=1
  # ROOT as its own private mount: everything below hangs off it and
  # `umount -R` style cleanup never touches the host's mounts.
  mount --bind "$ROOT" "$ROOT"
  mount --make-private "$ROOT"
  mount -t proc proc "$ROOT/proc"
  mount -t sysfs sysfs "$ROOT/sys"
  bind /dev "$ROOT/dev"
  bind /dev/pts "$ROOT/dev/pts"
  mkdir -p "$ROOT/dev/shm"
  mount -t tmpfs -o mode=1777,nosuid,nodev shm "$ROOT/dev/shm"
  if [ "$mode" = full ]; then
    mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$ROOT/tmp"
    mount -t tmpfs -o mode=755,nosuid,nodev tmpfs "$ROOT/run"
    mkdir -p "$ROOT/run/lock" "$ROOT/run/dbus"
    mkdir -p "$ROOT/run/user"
    mkdir -m 700 "$ROOT/run/user/0"
    [ -d "$PROJECT" ] || die "project folder not found: $PROJECT"
    bind "$PROJECT" "$ROOT/proxmon" ro
    mkdir -p "$OUT"
    bind "$OUT" "$ROOT/out"
  fi
  # Name resolution for apt (copied, not bound: the host's may be a symlink).
  cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
}

# ---------------------------------------------------------------- build

stamp_value() {
  printf '%s\n' "suite=$SUITE" "setup=$SETUP_VERSION" "${PACKAGES[@]}" | sort | sha256sum | cut -d' ' -f1
}

# Delete the root, but only one that this script made, and never through a mount.
wipe_root() {
  [ -d "$ROOT" ] || return 0
  if [ ! -e "$ROOT/$MARKER" ] && [ -n "$(ls -A "$ROOT" 2>/dev/null)" ]; then
    die "$ROOT exists, is not empty and was not made by this script; refusing to delete it"
  fi
  do_umount
  [ -z "$(mounts_under)" ] || die "mounts remain below $ROOT; refusing to delete it"
  # Renamed first, so that an interrupted delete never leaves a half-deleted
  # root that still looks complete.
  local trash=$ROOT.trash.$$
  mv "$ROOT" "$trash"
  rm -rf --one-file-system "$trash"
}

# Leftovers of deletes that were interrupted.
remove_trash() {
  local d
  for d in "$ROOT".trash.*; do
    [ -d "$d" ] || continue
    if [ -n "$(mounts_under "$d")" ]; then
      log "not deleting $d: something is mounted below it"
      continue
    fi
    log "deleting leftover $d"
    rm -rf --one-file-system "$d"
  done
}

ensure_debootstrap() {
  if command -v debootstrap >/dev/null; then return; fi
  log "installing debootstrap on the host"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
}

# apt settings of the host that the root needs as well to reach the same
# mirror (e.g. a snapshot mirror whose Release files are past Valid-Until).
host_apt_conf() {
  local key val
  for key in Acquire::Check-Valid-Until Acquire::Check-Date Acquire::http::Proxy Acquire::https::Proxy; do
    val=$(apt-config dump "$key" 2>/dev/null | awk -v k="$key" '$1 == k { v = $2; sub(/;$/, "", v); print v; exit }') || true
    if [ -n "$val" ]; then printf '%s %s;\n' "$key" "$val"; fi
  done
}

in_root() {
  env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
    chroot "$ROOT" "$@" 9>&-
}

do_ensure() {
  local want have="" t
  want=$(stamp_value)
  if [ "${PROXMON_PLASMA_REBUILD:-0}" = 1 ]; then
    log "PROXMON_PLASMA_REBUILD=1: deleting $ROOT"
    wipe_root
  fi
  remove_trash
  # A root without apt is broken, whatever its markers say.
  if [ -f "$ROOT/$BOOTSTRAPPED" ] && { [ ! -x "$ROOT/usr/bin/apt-get" ] || [ ! -d "$ROOT/etc/apt" ]; }; then
    rm -f "$ROOT/$BOOTSTRAPPED"
  fi
  [ -f "$ROOT/$STAMP" ] && have=$(cat "$ROOT/$STAMP")
  if [ "$have" = "$want" ] && [ -f "$ROOT/$BOOTSTRAPPED" ]; then
    log "root up to date: $ROOT"
    return 0
  fi

  if [ ! -f "$ROOT/$BOOTSTRAPPED" ]; then
    # Missing, or a debootstrap that did not finish: start over.
    if [ -d "$ROOT" ]; then
      log "incomplete root at $ROOT: starting over"
      wipe_root
    fi
    ensure_debootstrap
    local mirror
    mirror=$(detect_mirror)
    log "debootstrap $SUITE from $mirror into $ROOT"
    mkdir -p "$ROOT"
    touch "$ROOT/$MARKER"
    t=$(now)
    debootstrap --variant=minbase "$SUITE" "$ROOT" "$mirror" >"$ROOT.debootstrap.log" 2>&1 9>&- || {
      tail -n 30 "$ROOT.debootstrap.log" >&2
      die "debootstrap failed (log: $ROOT.debootstrap.log)"
    }
    phase debootstrap "$t"
    printf 'deb %s %s main\n' "$mirror" "$SUITE" >"$ROOT/etc/apt/sources.list"
    host_apt_conf >"$ROOT/etc/apt/apt.conf.d/99proxmon-host"
    # No daemons may start inside the root while packages are installed.
    printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
    chmod 755 "$ROOT/usr/sbin/policy-rc.d"
    touch "$ROOT/$BOOTSTRAPPED"
  fi

  log "installing packages (${#PACKAGES[@]} requested)"
  t=$(now)
  do_mount base
  local pkgs="${PACKAGES[*]}"
  # Resumable: finish whatever an interrupted dpkg left, then install.
  in_root /bin/sh -ec "
    apt-get update -q
    dpkg --configure -a
    apt-get install -y -f -q
    apt-get dist-upgrade -y -q
    apt-get install -y -q --no-install-recommends $pkgs
    apt-get clean
  " >"$ROOT.install.log" 2>&1 || {
    tail -n 40 "$ROOT.install.log" >&2
    die "package install failed (log: $ROOT.install.log)"
  }
  do_umount
  phase install "$t"
  printf '%s\n' "$want" >"$ROOT/$STAMP"
  log "root ready: $ROOT ($(du -sh --one-file-system "$ROOT" | cut -f1))"
}

# ---------------------------------------------------------------- run

# Serialise everything that mounts or builds: one run at a time per root.
# The lock is fd 9; commands started from here get it closed (9>&-), so a
# process left running inside cannot keep holding it.
take_lock() {
  mkdir -p "$(dirname "$ROOT")"
  exec 9>"$ROOT.lock"
  if ! flock -n 9; then
    log "waiting for another run on $ROOT"
    flock 9
  fi
}

do_run() {
  local envs=() interactive=0
  while [ $# -gt 0 ]; do
    case "$1" in
      -e)
        [ $# -ge 2 ] || die "-e needs NAME=VALUE"
        case "$2" in *=*) ;; *) die "-e needs NAME=VALUE, got: $2" ;; esac
        envs+=("$2")
        shift 2
        ;;
      -i)
        interactive=1
        shift
        ;;
      --)
        shift
        break
        ;;
      *) break ;;
    esac
  done
  [ $# -gt 0 ] || die "usage: root.sh run [-e NAME=VALUE]... -- CMD [ARG]..."

  do_ensure
  local t rc=0
  t=$(now)
  do_mount full
  if [ "${PROXMON_PLASMA_KEEP_HOME:-0}" != 1 ]; then rm -rf --one-file-system "${ROOT:?}$IN_HOME"; fi
  mkdir -p "$ROOT$IN_HOME"
  phase mount "$t"

  t=$(now)
  local stdin=/dev/null
  [ "$interactive" = 1 ] && stdin=/dev/stdin
  env -i \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME="$IN_HOME" USER=root LOGNAME=root SHELL=/bin/bash \
    LANG=C.UTF-8 TERM="${TERM:-dumb}" \
    XDG_RUNTIME_DIR=/run/user/0 \
    PROXMON_IN_PLASMA_ROOT=1 PROXMON_SRC=/proxmon PROXMON_OUT=/out \
    CI="${CI:-}" \
    "${envs[@]}" \
    chroot "$ROOT" /bin/sh -c 'cd /proxmon && exec "$@"' sh "$@" <"$stdin" 9>&- || rc=$?
  phase command "$t"

  t=$(now)
  do_umount
  phase umount "$t"
  return "$rc"
}

do_status() {
  local mirror
  mirror=$(detect_mirror 2>/dev/null) || mirror="(none found)"
  echo "root:     $ROOT"
  echo "project:  $PROJECT -> /proxmon (read-only)"
  echo "out:      $OUT -> /out"
  echo "mirror:   $mirror"
  if [ -f "$ROOT/$STAMP" ]; then
    if [ "$(cat "$ROOT/$STAMP")" = "$(stamp_value)" ]; then echo "stamp:    up to date"; else echo "stamp:    outdated (next ensure upgrades)"; fi
    echo "size:     $(du -sh --one-file-system "$ROOT" | cut -f1)"
  elif [ -d "$ROOT" ]; then
    echo "stamp:    missing (incomplete build)"
  else
    echo "stamp:    no root yet"
  fi
  echo "mounts:"
  mounts_under | sed 's/^/  /'
}

# Whatever happens (a failing test, Ctrl-C, a kill), leave no mounts behind.
MOUNTED=0
cleanup() {
  if [ "$MOUNTED" = 1 ]; then do_umount || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  ensure)
    take_lock
    t0=$(now)
    do_ensure
    phase ensure "$t0"
    ;;
  run)
    take_lock
    do_run "$@"
    ;;
  shell)
    take_lock
    do_run -i -- bash -l
    ;;
  mount)
    take_lock
    do_mount full
    MOUNTED=0
    log "mounted; leave with: $0 umount"
    ;;
  umount | unmount)
    take_lock
    do_umount
    ;;
  status) do_status ;;
  destroy)
    take_lock
    wipe_root
    rm -f "$ROOT.debootstrap.log" "$ROOT.install.log"
    log "deleted $ROOT"
    ;;
  mirror) detect_mirror ;;
  *)
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
    [ -z "$cmd" ] || [ "$cmd" = help ] || [ "$cmd" = -h ] || [ "$cmd" = --help ] || exit 2
    ;;
esac
