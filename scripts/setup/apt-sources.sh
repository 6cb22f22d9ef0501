#!/usr/bin/env bash
# Adds the bookworm-backports and trixie suites (same mirror and keyring as the
# system's debian.sources), pins trixie at priority 100 so it is only used when
# asked for (-t trixie), and runs apt-get update when needed.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

EXTRA=/etc/apt/sources.list.d/nx-go-docker-extra.sources
PIN=/etc/apt/preferences.d/nx-go-docker-trixie
STAMP=$SETUP_STATE_DIR/apt-update.stamp

uri=$(mirror_uri)
key=$(signed_by)
want_sources="# Written by nx-go-docker scripts/setup/apt-sources.sh
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main${key:+
Signed-By: $key}

Types: deb
URIs: $uri
Suites: trixie
Components: main${key:+
Signed-By: $key}"
want_pin="# Written by nx-go-docker scripts/setup/apt-sources.sh: trixie only on request
Package: *
Pin: release n=trixie
Pin-Priority: 100"

need_update=0
if write_if_changed "$EXTRA" "$want_sources"; then
  log "added apt sources bookworm-backports + trixie from $uri"
  need_update=1
else
  ok "apt sources bookworm-backports + trixie ($EXTRA)"
fi
if write_if_changed "$PIN" "$want_pin"; then
  log "pinned trixie at priority 100 ($PIN)"
else
  ok "trixie pinned at priority 100"
fi

# Lists must exist for every suite (a stamp alone could outlive wiped lists).
lists_present() {
  ls /var/lib/apt/lists/*_dists_trixie_*Packages* >/dev/null 2>&1 \
    && ls /var/lib/apt/lists/*_dists_bookworm-backports_*Packages* >/dev/null 2>&1
}
if [ "$need_update" -eq 0 ] && [ -f "$STAMP" ] && lists_present; then
  ok "apt-get update already ran ($(date -r "$STAMP" '+%F %T'))"
else
  log "apt-get update"
  hint "apt-get update failed; check that the Debian mirror in $DEBIAN_SOURCES is reachable"
  as_root apt-get update -q >/tmp/nx-go-docker-apt-update.log 2>&1 \
    || { tail -n 20 /tmp/nx-go-docker-apt-update.log >&2; die "apt-get update" "check the mirror in $DEBIAN_SOURCES is reachable; log: /tmp/nx-go-docker-apt-update.log"; }
  lists_present || die "apt-get update ran but no trixie/bookworm-backports lists appeared" "see /tmp/nx-go-docker-apt-update.log"
  as_root mkdir -p "$SETUP_STATE_DIR"
  as_root touch "$STAMP"
fi
