#!/usr/bin/env bash
# Ensures a running Docker engine (Debian docker.io) with the buildx and
# compose v2 CLI plugins (Debian trixie packages unpacked into /).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LOG=/var/log/dockerd.log
changed=0

# 1. Engine package.
if command -v dockerd >/dev/null 2>&1; then
  ok "dockerd installed ($(command -v dockerd))"
else
  apt_install docker.io
  changed=1
  command -v dockerd >/dev/null 2>&1 || die "docker.io installed but dockerd not found" "check 'dpkg -L docker.io'"
fi
command -v docker >/dev/null 2>&1 || die "no docker client on PATH" "apt-get install docker.io"

# 2. CLI plugins (checked by running them; the client finds plugins in
#    /usr/libexec/docker/cli-plugins among others).
if docker buildx version >/dev/null 2>&1; then
  ok "docker buildx ($(docker buildx version 2>/dev/null | awk '{print $2}'))"
else
  log "installing docker buildx plugin (trixie docker-buildx)"
  apt_download_extract / docker-buildx
  changed=1
  docker buildx version >/dev/null 2>&1 || die "docker buildx still not usable after unpacking docker-buildx" "check /usr/libexec/docker/cli-plugins/docker-buildx"
fi
if docker compose version >/dev/null 2>&1; then
  ok "docker compose ($(docker compose version --short 2>/dev/null))"
else
  log "installing docker compose v2 plugin (trixie docker-compose)"
  apt_download_extract / docker-compose
  changed=1
  docker compose version >/dev/null 2>&1 || die "docker compose still not usable after unpacking docker-compose" "check /usr/libexec/docker/cli-plugins/docker-compose"
fi

# 3. Engine running.
if dk info >/dev/null 2>&1; then
  ok "docker engine running"
else
  need_root "starting dockerd"
  log "starting dockerd (log: $LOG)"
  # setsid + no stdin: detached from this shell, survives the script.
  $SUDO sh -c "setsid dockerd >'$LOG' 2>&1 </dev/null &"
  started=0
  for _ in $(seq 1 120); do
    if dk info >/dev/null 2>&1; then started=1; break; fi
    sleep 0.5
  done
  if [ "$started" -ne 1 ]; then
    echo "---- last lines of $LOG ----" >&2
    tail -n 30 "$LOG" >&2 || true
    die "dockerd did not become ready within 60 s" "read $LOG (above), fix, and re-run"
  fi
  log "docker engine ready"
  changed=1
fi

client=$(docker version --format '{{.Client.Version}}' 2>/dev/null || echo '?')
server=$(dk version --format '{{.Server.Version}}' 2>/dev/null || echo '?')
bx=$(docker buildx version 2>/dev/null | awk '{print $2}')
co=$(docker compose version --short 2>/dev/null)
if [ "$changed" -eq 1 ]; then say=log; else say=ok; fi
$say "docker client $client, engine $server, buildx $bx, compose $co"
