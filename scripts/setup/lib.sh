# shellcheck shell=bash
# Shared helpers for scripts/setup/*.sh. Source it; do not run it.
# Conventions: "ok: ..." when something is already there and skipped,
# "setup: ..." before each slow step, one "setup: FAILED ..." line on error.

export DEBIAN_FRONTEND=noninteractive
export LC_ALL=C

SETUP_NAME="$(basename "${BASH_SOURCE[1]:-$0}")"
SETUP_STATE_DIR=/var/lib/nx-go-docker-setup
SETUP_HINT=""

ok()   { printf 'ok: %s\n' "$*"; }
log()  { printf 'setup: %s\n' "$*"; }
# die WHAT [WHAT-TO-DO]: one line saying what failed and what to do.
die()  {
  printf 'setup: FAILED (%s): %s%s\n' "$SETUP_NAME" "$1" "${2:+ -- $2}" >&2
  exit 1
}
# hint TEXT: what to tell the user if the next command fails unexpectedly.
hint() { SETUP_HINT="$*"; }

_setup_on_err() {
  local rc=$? cmd=$BASH_COMMAND line=${BASH_LINENO[0]}
  printf 'setup: FAILED (%s line %s): `%s` exited %s -- %s\n' \
    "$SETUP_NAME" "$line" "$cmd" "$rc" "${SETUP_HINT:-fix the error above and re-run the script (it is idempotent)}" >&2
  exit "$rc"
}
set -E   # functions and subshells inherit the ERR trap
trap _setup_on_err ERR

# Privileges: root runs everything directly; otherwise sudo if present.
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  SUDO=""
fi
need_root() {
  if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
    die "$1 needs root" "run this script as root or install sudo"
  fi
}
as_root() { need_root "\`$*\`"; $SUDO "$@"; }

# write_if_changed FILE CONTENT: writes CONTENT and a newline to FILE as root (its folder made
# first) unless FILE already holds exactly that; fails (returns 1) when there was nothing to do.
write_if_changed() {
  if [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; then return 1; fi
  as_root mkdir -p "$(dirname "$1")"
  printf '%s\n' "$2" | as_root tee "$1" >/dev/null
}

# docker: plain when the socket is usable, through sudo otherwise.
dk() {
  if [ "$(id -u)" -ne 0 ] && [ -n "$SUDO" ] && ! docker version >/dev/null 2>&1; then
    $SUDO docker "$@"
  else
    docker "$@"
  fi
}

# First "URIs:" of the system's Debian sources (no host name written anywhere).
DEBIAN_SOURCES=/etc/apt/sources.list.d/debian.sources
mirror_uri() {
  local u
  u=$(awk '/^URIs:/ {print $2; exit}' "$DEBIAN_SOURCES" 2>/dev/null || true)
  [ -n "$u" ] || die "no URIs: line in $DEBIAN_SOURCES" "check the machine's Debian apt sources"
  printf '%s\n' "$u"
}
signed_by() {
  awk '/^Signed-By:/ {print $2; exit}' "$DEBIAN_SOURCES" 2>/dev/null || true
}

apt_install() {
  log "apt-get install $*"
  hint "apt-get install $* failed; run scripts/setup/apt-sources.sh, then 'apt-get install $*' by hand to see why"
  as_root apt-get install -y -q "$@" >/tmp/nx-go-docker-apt.log 2>&1 \
    || { tail -n 20 /tmp/nx-go-docker-apt.log >&2; die "apt-get install $*" "see /tmp/nx-go-docker-apt.log"; }
  hint ""
}

# apt_download_extract DEST PKG[/SUITE]... : fetch .debs and unpack them into DEST
# (no install: nothing of the system's own packages changes). A bare PKG comes
# from bookworm, PKG/trixie from trixie (pinned low, so only when named).
apt_download_extract() {
  local dest=$1; shift
  local tmp; tmp=$(mktemp -d)
  chmod 755 "$tmp"   # apt's _apt user downloads into it
  hint "apt-get download $* failed; run scripts/setup/apt-sources.sh first"
  ( cd "$tmp" && apt-get download -q "$@" >/dev/null 2>"$tmp/err" ) \
    || { cat "$tmp/err" >&2; rm -rf "$tmp"; die "apt-get download $*" "run scripts/setup/apt-sources.sh, then retry"; }
  local deb
  for deb in "$tmp"/*.deb; do
    as_root dpkg -x "$deb" "$dest"
  done
  rm -rf "$tmp"
  hint ""
}

# version_ge A B: true when dotted version A >= B.
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

SETUP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
