#!/usr/bin/env bash
# Ensures a running Docker Engine 26.1 with the containerd image store, and the
# buildx and compose v2 CLI plugins:
#   - dockerd 26.1 and containerd 1.7 from trixie, runc from bookworm (trixie's
#     needs glibc 2.38), docker-init from trixie's static tini, all unpacked
#     with dpkg -x into $ENGINE (nothing of the system's packages changes);
#   - a daemon.json with "containerd-snapshotter" and a data root of its own;
#   - an engine that is already running is kept when it is 26.1+ with the
#     containerd store; any other (e.g. 20.10 from an earlier setup) is stopped
#     cleanly first, since two engines on one machine break each other's bridge.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WANT=26.1
ENGINE=/opt/nx-go-docker/docker-engine
CONFIG=/etc/nx-go-docker/daemon.json
DATA_ROOT=/var/lib/nx-go-docker/docker
LOG=/var/log/nx-go-docker-dockerd.log
ENGINE_PATH="$ENGINE/usr/sbin:$ENGINE/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
changed=0

# server_version: the running engine's version, empty when none answers.
server_version() { dk version --format '{{.Server.Version}}' 2>/dev/null || true; }
uses_containerd_store() { dk info --format '{{json .DriverStatus}}' 2>/dev/null | grep -q 'io.containerd.snapshotter'; }

# 1. The client (this machine kind ships one; a bare Debian does not).
if command -v docker >/dev/null 2>&1; then
  ok "docker client $(docker --version | sed -n 's/^Docker version \([^,]*\).*/\1/p') ($(command -v docker))"
else
  log "installing the docker client (trixie docker-cli)"
  apt_download_extract / docker-cli/trixie
  changed=1
fi

# 2. Engine binaries.
if [ -x "$ENGINE/usr/sbin/dockerd" ] && version_ge "$("$ENGINE/usr/sbin/dockerd" --version | sed -n 's/^Docker version \([0-9.]*\).*/\1/p')" "$WANT"; then
  ok "engine binaries in $ENGINE ($("$ENGINE/usr/sbin/dockerd" --version))"
else
  log "unpacking dockerd 26.1 + containerd 1.7 (trixie), runc (bookworm), tini-static into $ENGINE"
  tmp=$(mktemp -d)
  apt_download_extract "$tmp" docker.io/trixie containerd/trixie tini/trixie runc
  as_root mkdir -p "$(dirname "$ENGINE")"
  as_root rm -rf "$ENGINE"
  as_root mv "$tmp" "$ENGINE"
  as_root chmod 755 "$ENGINE"
  changed=1
fi
for b in dockerd containerd containerd-shim-runc-v2 runc docker-init docker-proxy; do
  PATH=$ENGINE_PATH command -v "$b" >/dev/null 2>&1 || die "$b missing from $ENGINE" "remove $ENGINE and re-run"
done
command -v iptables >/dev/null 2>&1 || { apt_install iptables; changed=1; }

# 3. CLI plugins (checked by running them; the client finds plugins in
#    /usr/libexec/docker/cli-plugins among others).
if docker buildx version >/dev/null 2>&1; then
  ok "docker buildx ($(docker buildx version 2>/dev/null | awk '{print $2}'))"
else
  log "installing docker buildx plugin (trixie docker-buildx)"
  apt_download_extract / docker-buildx/trixie
  changed=1
  docker buildx version >/dev/null 2>&1 || die "docker buildx still not usable after unpacking docker-buildx" "check /usr/libexec/docker/cli-plugins/docker-buildx"
fi
if docker compose version >/dev/null 2>&1; then
  ok "docker compose ($(docker compose version --short 2>/dev/null))"
else
  log "installing docker compose v2 plugin (trixie docker-compose)"
  apt_download_extract / docker-compose/trixie
  changed=1
  docker compose version >/dev/null 2>&1 || die "docker compose still not usable after unpacking docker-compose" "check /usr/libexec/docker/cli-plugins/docker-compose"
fi

# 4. The daemon's configuration.
want_config=$(cat <<JSON
{
  "data-root": "$DATA_ROOT",
  "pidfile": "/var/run/docker.pid",
  "hosts": ["unix:///var/run/docker.sock"],
  "features": { "containerd-snapshotter": true }
}
JSON
)
if write_if_changed "$CONFIG" "$want_config"; then
  log "wrote daemon config $CONFIG (containerd image store, data root $DATA_ROOT)"
else
  ok "daemon config $CONFIG"
fi

# 5. One engine, the right one, running.
stop_engine() {
  local pid
  pid=$(cat /var/run/docker.pid 2>/dev/null || pgrep -xo dockerd || true)
  [ -n "$pid" ] || return 0
  log "stopping the running engine (pid $pid) to replace it"
  as_root kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -0 "$pid" 2>/dev/null && die "dockerd (pid $pid) did not stop within 30 s" "stop it by hand and re-run"
  # Its managed containerd exits with it; an old system containerd would shadow ours.
  as_root pkill -x containerd 2>/dev/null || true
  as_root rm -f /var/run/docker.pid
}

current=$(server_version)
if [ -n "$current" ] && version_ge "$current" "$WANT" && uses_containerd_store; then
  ok "docker engine $current running (containerd image store)"
else
  if [ -n "$current" ]; then
    log "engine $current is running$(uses_containerd_store || echo ' without the containerd image store'); replacing it with $WANT"
    stop_engine
  elif pgrep -x dockerd >/dev/null 2>&1; then
    stop_engine
  fi
  need_root "starting dockerd"
  log "starting dockerd $WANT (log: $LOG)"
  # setsid + no stdin: detached from this shell, survives the script.
  $SUDO env PATH="$ENGINE_PATH" sh -c "setsid dockerd --config-file '$CONFIG' >'$LOG' 2>&1 </dev/null &"
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
  uses_containerd_store || die "the engine started without the containerd image store" "check $CONFIG and $LOG"
  changed=1
fi

client=$(docker --version | sed -n 's/^Docker version \([^,]*\).*/\1/p')
server=$(server_version)
bx=$(docker buildx version 2>/dev/null | awk '{print $2}')
co=$(docker compose version --short 2>/dev/null)
if [ "$changed" -eq 1 ]; then say=log; else say=ok; fi
$say "docker client $client, engine $server (containerd image store), buildx $bx, compose $co"
