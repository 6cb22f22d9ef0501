#!/usr/bin/env bash
# Ensures a standalone BuildKit daemon, the kind teams share as a remote builder, and a buildx
# builder for it (the remote driver), for the remote-builder e2e test:
#   - buildkitd + buildctl $VERSION built from the Go module proxy into $PREFIX/bin (the module
#     has exclude directives, so `go install pkg@version` refuses it: it is built as the main
#     module from a copy of its downloaded folder instead; 3-5 min on 2 cores the first time);
#   - started on tcp://$ADDR with a root, config and log of its own, the OCI (runc) worker with
#     the host network (no CNI here), no containerd worker: it shares nothing with dockerd
#     (its RUN steps live under the "buildkit" cgroups, dockerd's under "docker");
#   - `docker buildx create --name $BUILDER --driver remote tcp://$ADDR` (never --use: the
#     default builder stays the default).
# Registries on 127.0.0.1/localhost need no [registry] config: BuildKit speaks plain HTTP to
# loopback hosts by itself (containerd's MatchLocalhost). Such a builder cannot see dockerd's
# images: base images must come from a registry (e.g. 127.0.0.1:5000/library/golang:<tag>).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# v0.34.2: the newest served; works with buildx 0.13.1's remote driver. BUILDKIT_VERSION=v0.13.2
# (the BuildKit of Docker 26.1) builds the very image digests the local engine builds; newer
# ones write the config's history differently (same layers, another digest).
VERSION=${BUILDKIT_VERSION:-v0.34.2}
PREFIX=/opt/nx-go-docker/buildkit
BUILDKITD=$PREFIX/bin/buildkitd
BUILDCTL=$PREFIX/bin/buildctl
ADDR=127.0.0.1:1234
ROOT=/var/lib/nx-go-docker/buildkit/$VERSION   # per version: an older buildkitd need not read a newer one's state
CONFIG=/etc/nx-go-docker/buildkitd.toml
PIDFILE=/var/run/nx-go-docker-buildkitd.pid
LOG=/var/log/nx-go-docker-buildkitd.log
RUNC=/opt/nx-go-docker/docker-engine/usr/sbin/runc
BUILDER=nx-go-docker-remote
changed=0

command -v go >/dev/null 2>&1 || die "no go on PATH" "run scripts/setup/go.sh first"
[ -x "$RUNC" ] || die "runc missing at $RUNC" "run scripts/setup/docker.sh first (it unpacks bookworm's runc)"
docker buildx version >/dev/null 2>&1 || die "docker buildx missing" "run scripts/setup/docker.sh first"

# version_of BIN: "v0.34.2" from `BIN --version`, empty when it does not run.
version_of() { "$1" --version 2>/dev/null | awk '{print $3}'; }

# 1. The binaries.
if [ -x "$BUILDKITD" ] && [ -x "$BUILDCTL" ] && [ "$(version_of "$BUILDKITD")" = "$VERSION" ] && [ "$(version_of "$BUILDCTL")" = "$VERSION" ]; then
  ok "buildkitd + buildctl $VERSION in $PREFIX/bin"
else
  t=$SECONDS
  log "building buildkitd + buildctl $VERSION from the Go module proxy into $PREFIX/bin (a few minutes the first time)"
  hint "downloading github.com/moby/buildkit@$VERSION failed; check GOPROXY ($(go env GOPROXY))"
  src=$(go mod download -json "github.com/moby/buildkit@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$src" ] && [ -f "$src/go.mod" ] || die "go mod download github.com/moby/buildkit@$VERSION gave no module folder" "check GOPROXY"
  tmp=$(mktemp -d)
  # A writable copy, built as the main module (so its exclude directives apply); older
  # releases ship vendor/modules.txt without the vendored code, hence no vendor/ and -mod=mod.
  cp -r "$src" "$tmp/src"
  chmod -R u+w "$tmp/src"
  rm -rf "$tmp/src/vendor"
  hint "go build of buildkitd $VERSION failed (output above)"
  ( cd "$tmp/src" && go build -mod=mod -trimpath -ldflags "-s -w -X github.com/moby/buildkit/version.Version=$VERSION" -o "$tmp/" ./cmd/buildkitd ./cmd/buildctl )
  hint ""
  as_root mkdir -p "$PREFIX/bin"
  as_root install -m 755 "$tmp/buildkitd" "$tmp/buildctl" "$PREFIX/bin/"
  rm -rf "$tmp"
  [ "$(version_of "$BUILDKITD")" = "$VERSION" ] || die "$BUILDKITD --version is not $VERSION" "remove $PREFIX and re-run"
  log "built buildkitd + buildctl $VERSION ($((SECONDS - t)) s)"
  changed=1
fi

# 2. Its own configuration (so no /etc/buildkit/buildkitd.toml of anyone else applies).
want_config="# Written by nx-go-docker scripts/setup/buildkitd.sh; flags on its command line set the
# address, root and worker. No [registry] section is needed for 127.0.0.1/localhost registries
# (BuildKit uses plain HTTP for loopback hosts). A plain-HTTP registry elsewhere would need:
#   [registry.\"registry.internal:5000\"]
#     http = true
#     insecure = true
[log]
  format = \"text\""
if write_if_changed "$CONFIG" "$want_config"; then
  log "wrote buildkitd config $CONFIG"
else
  ok "buildkitd config $CONFIG"
fi

# 3. The daemon, running and answering, with exactly this command line.
DAEMON=("$BUILDKITD" --config "$CONFIG" --addr "tcp://$ADDR" --root "$ROOT"
  --oci-worker=true --containerd-worker=false --oci-worker-net=host --oci-worker-binary="$RUNC")
# running_version: the version of the buildkitd answering on $ADDR, empty when none does.
running_version() {
  "$BUILDCTL" --addr "tcp://$ADDR" debug workers -v 2>/dev/null | awk '/^BuildKit:/ {print $3; exit}' || true
}
# ours_pid: the pid in $PIDFILE when it is a live buildkitd of $PREFIX, else nothing.
ours_pid() {
  local pid exe
  pid=$(cat "$PIDFILE" 2>/dev/null || true)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
  # " (deleted)" once the binary was replaced by a new version under it.
  [ "${exe% (deleted)}" = "$BUILDKITD" ] && echo "$pid"
  return 0
}
started_as_wanted() { [ "$(tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null)" = "$(printf '%s\n' "${DAEMON[@]}")" ]; }
current=$(running_version)
pid=$(ours_pid)
if [ "$current" = "$VERSION" ] && [ -n "$pid" ] && started_as_wanted "$pid"; then
  ok "buildkitd $VERSION answering on tcp://$ADDR (pid $pid, root $ROOT)"
else
  if [ -n "$pid" ]; then
    # Ours, but another version, other flags, or not answering: replace it.
    log "stopping buildkitd (pid $pid${current:+, $current}) to start $VERSION with this script's flags"
    as_root kill -TERM "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && die "buildkitd (pid $pid) did not stop within 10 s" "stop it by hand and re-run"
  elif [ -n "$current" ] || (exec 3<>"/dev/tcp/${ADDR%:*}/${ADDR#*:}") 2>/dev/null; then
    die "something else listens on $ADDR${current:+ (a buildkitd $current not started by this script)}" "stop it, or change ADDR in $0"
  fi
  need_root "starting buildkitd"
  t=$SECONDS
  as_root mkdir -p "$ROOT"
  log "starting buildkitd $VERSION on tcp://$ADDR (root $ROOT, log $LOG)"
  # setsid + no stdin: detached from this shell, survives the script; sh's $! is buildkitd
  # itself (setsid forks only when it leads a process group, which a background job here does not).
  $SUDO sh -c 'log=$1 pidfile=$2; shift 2; setsid "$@" >"$log" 2>&1 </dev/null & echo $! >"$pidfile"' sh "$LOG" "$PIDFILE" "${DAEMON[@]}"
  for _ in $(seq 1 120); do
    [ "$(running_version)" = "$VERSION" ] && break
    if [ -z "$(ours_pid)" ]; then
      echo "---- last lines of $LOG ----" >&2; tail -n 30 "$LOG" >&2 || true
      die "buildkitd exited right after starting" "read $LOG (above)"
    fi
    sleep 0.25
  done
  if [ "$(running_version)" != "$VERSION" ]; then
    echo "---- last lines of $LOG ----" >&2; tail -n 30 "$LOG" >&2 || true
    die "buildkitd did not answer on tcp://$ADDR within 30 s" "read $LOG (above)"
  fi
  log "buildkitd $VERSION answering on tcp://$ADDR (pid $(ours_pid), $((SECONDS - t)) s)"
  changed=1
fi

# 4. The buildx builder (remote driver) pointing at it.
endpoint=$(docker buildx inspect "$BUILDER" 2>/dev/null | awk '$1 == "Endpoint:" {print $2; exit}' || true)
if [ "$endpoint" = "tcp://$ADDR" ]; then
  ok "buildx builder $BUILDER (remote driver, tcp://$ADDR)"
else
  if [ -n "$endpoint" ]; then
    log "buildx builder $BUILDER points at $endpoint; re-creating it for tcp://$ADDR"
    docker buildx rm "$BUILDER" >/dev/null
  fi
  hint "docker buildx create --name $BUILDER --driver remote tcp://$ADDR failed"
  docker buildx create --name "$BUILDER" --driver remote "tcp://$ADDR" >/dev/null
  hint ""
  log "created buildx builder $BUILDER (remote driver, tcp://$ADDR; not made the default)"
  changed=1
fi
hint "docker buildx inspect --bootstrap $BUILDER failed: buildx cannot reach buildkitd on tcp://$ADDR"
status=$(docker buildx inspect --bootstrap "$BUILDER" 2>/dev/null | awk '$1 == "Status:" {print $2; exit}' || true)
[ "$status" = running ] || die "buildx builder $BUILDER is not running" "read $LOG; check 'docker buildx inspect $BUILDER'"
hint ""

if [ "$changed" -eq 1 ]; then say=log; else say=ok; fi
$say "remote BuildKit: buildkitd $VERSION on tcp://$ADDR, buildx builder $BUILDER (use: --builder $BUILDER)"
