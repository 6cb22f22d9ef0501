#!/usr/bin/env bash
# Ensures two local OCI registries (Debian's docker-registry 2.8, the CNCF
# distribution registry) for the publish tests, each started when absent:
#   127.0.0.1:5000  open
#   127.0.0.1:5001  htpasswd auth: user nx, password nx-go-docker
# Both are plain HTTP on loopback, which Docker treats as insecure-allowed.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PKG=/opt/nx-go-docker/registry
REGISTRY_BIN=$PKG/usr/bin/docker-registry
STATE=/var/lib/nx-go-docker/registry
OPEN_ADDR=127.0.0.1:5000
AUTH_ADDR=127.0.0.1:5001
AUTH_USER=nx
AUTH_PASSWORD=nx-go-docker
changed=0

if [ -x "$REGISTRY_BIN" ]; then
  ok "docker-registry in $PKG"
else
  log "unpacking docker-registry 2.8 (bookworm) into $PKG"
  apt_download_extract "$PKG" docker-registry
  changed=1
fi
command -v htpasswd >/dev/null 2>&1 || { apt_install apache2-utils; changed=1; }

# write_config NAME ADDR [AUTH]: a config of ours, storage under $STATE/NAME.
write_config() {
  local name=$1 addr=$2 auth=${3:-} cfg=$STATE/$1.yml want
  want="# Written by nx-go-docker scripts/setup/registry.sh
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE/$name
  delete:
    enabled: true
http:
  addr: $addr${auth:+
auth:
  htpasswd:
    realm: nx-go-docker
    path: $STATE/htpasswd}"
  as_root mkdir -p "$STATE/$name"
  write_if_changed "$cfg" "$want" || true
}

if [ -f "$STATE/htpasswd" ] && htpasswd -vb "$STATE/htpasswd" "$AUTH_USER" "$AUTH_PASSWORD" >/dev/null 2>&1; then
  :
else
  as_root mkdir -p "$STATE"
  htpasswd -Bbn "$AUTH_USER" "$AUTH_PASSWORD" | as_root tee "$STATE/htpasswd" >/dev/null
fi
write_config open "$OPEN_ADDR"
write_config auth "$AUTH_ADDR" htpasswd

# v2_status ADDR: the HTTP status of GET /v2/ (200 open, 401 with auth), 000 when down.
v2_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$1/v2/" || true; }

ensure_running() {
  local name=$1 addr=$2 want=$3 status log=/var/log/nx-go-docker-registry-$1.log
  status=$(v2_status "$addr")
  if [ "$status" = "$want" ]; then
    ok "registry $name on $addr"
    return 0
  fi
  [ "$status" = 000 ] || die "$addr answers /v2/ with $status, not $want: another server holds the port" "stop it and re-run"
  log "starting registry $name on $addr (log: $log)"
  $SUDO sh -c "setsid '$REGISTRY_BIN' serve '$STATE/$name.yml' >'$log' 2>&1 </dev/null &"
  for _ in $(seq 1 40); do
    [ "$(v2_status "$addr")" = "$want" ] && { changed=1; return 0; }
    sleep 0.25
  done
  tail -n 20 "$log" >&2 || true
  die "registry $name did not answer on $addr within 10 s" "read $log (above)"
}
ensure_running open "$OPEN_ADDR" 200
ensure_running auth "$AUTH_ADDR" 401

if [ "$changed" -eq 1 ]; then say=log; else say=ok; fi
$say "registries: $OPEN_ADDR (open), $AUTH_ADDR (auth $AUTH_USER/$AUTH_PASSWORD)"
