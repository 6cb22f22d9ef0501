#!/usr/bin/env bash
# Provisions this machine for nx-go-docker's builds and tests, from nothing or
# from any partial state: apt suites (only when something needs apt), Go 1.25+,
# Docker Engine 26 with the containerd image store + buildx + compose, two local
# registries, the base images, a standalone BuildKit daemon as a remote buildx builder, wrk,
# curl, openssl and a git identity. Every step skips
# what is already there ("ok: ..." lines) and the time of each is printed.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t0=$(date +%s.%N)

missing_images() {
  local i minor
  minor=$(go env GOVERSION 2>/dev/null | sed -n 's/^go\([0-9]*\.[0-9]*\).*/\1/p')
  for i in "golang:$minor-alpine" postgres:17-alpine gcr.io/distroless/static-debian12:nonroot alpine:3.21; do
    docker image inspect "$i" >/dev/null 2>&1 || { echo "$i"; return 0; }
  done
  return 1
}
needs_apt() {
  [ -x /opt/nx-go-docker/docker-engine/usr/sbin/dockerd ] || return 0
  [ -x /opt/nx-go-docker/registry/usr/bin/docker-registry ] || return 0
  local c
  for c in iptables htpasswd wrk curl git openssl; do command -v "$c" >/dev/null 2>&1 || return 0; done
  docker buildx version >/dev/null 2>&1 || return 0
  docker compose version >/dev/null 2>&1 || return 0
  # Images are only built when missing (and the engine must answer to tell).
  if dk info >/dev/null 2>&1; then missing_images >/dev/null && return 0; fi
  return 1
}

# Output of every step is also collected to tell "nothing to do" at the end.
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
step() {
  local t=$SECONDS
  "$SETUP_DIR/$1" | tee -a "$OUT"
  printf 'time: %s %d s\n' "$1" $((SECONDS - t))
}

if needs_apt; then
  step apt-sources.sh
else
  ok "apt sources not needed (all packages present)"
fi
step go.sh
step docker.sh
step registry.sh
step verdaccio.sh
step images.sh
step buildkitd.sh

# Tools used by the benchmarks and tests.
pkgs=()
command -v wrk >/dev/null 2>&1 || pkgs+=(wrk)
command -v curl >/dev/null 2>&1 || pkgs+=(curl)
command -v git >/dev/null 2>&1 || pkgs+=(git)
command -v openssl >/dev/null 2>&1 || pkgs+=(openssl)
if [ ${#pkgs[@]} -gt 0 ]; then
  apt_install "${pkgs[@]}" | tee -a "$OUT"
else
  ok "wrk, curl, git, openssl installed"
fi

# Tests make commits: give git an identity, only when none is configured.
git_set=""
if [ -n "$(git config --global user.name 2>/dev/null || true)" ] && [ -n "$(git config --global user.email 2>/dev/null || true)" ]; then
  ok "git identity ($(git config --global user.name) <$(git config --global user.email)>)"
else
  git_set=1
  [ -n "$(git config --global user.name 2>/dev/null || true)" ] || git config --global user.name "nx-go-docker tests"
  [ -n "$(git config --global user.email 2>/dev/null || true)" ] || git config --global user.email "nx-go-docker-tests@localhost"
  log "set a global git identity ($(git config --global user.name) <$(git config --global user.email)>)"
fi

elapsed=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
if grep -q '^setup:' "$OUT" || [ -n "$git_set" ]; then
  log "all done in $elapsed s"
else
  ok "everything already in place ($elapsed s)"
fi
