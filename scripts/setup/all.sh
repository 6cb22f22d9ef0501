#!/usr/bin/env bash
# Provisions this machine for nx-go-docker's builds and tests, from nothing or
# from any partial state: apt suites (only when something needs apt), Go 1.24,
# Docker engine + buildx + compose, the base images, wrk, curl and a git
# identity. Every step skips what is already there ("ok: ..." lines).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t0=$(date +%s.%N)

have_go124() {
  local v
  v=$(go version 2>/dev/null | sed -n 's/^go version go\([0-9][0-9.]*\).*/\1/p')
  [ -n "$v" ] && version_ge "$v" 1.24
}
missing_images() {
  local i
  for i in golang:1.24-alpine postgres:17-alpine gcr.io/distroless/static-debian12:nonroot alpine:3.21; do
    docker image inspect "$i" >/dev/null 2>&1 || { echo "$i"; return 0; }
  done
  return 1
}
needs_apt() {
  have_go124 || return 0
  command -v dockerd >/dev/null 2>&1 || return 0
  docker buildx version >/dev/null 2>&1 || return 0
  docker compose version >/dev/null 2>&1 || return 0
  command -v wrk >/dev/null 2>&1 || return 0
  command -v curl >/dev/null 2>&1 || return 0
  command -v git >/dev/null 2>&1 || return 0
  # Images are only built when missing (and the engine must answer to tell).
  if dk info >/dev/null 2>&1; then missing_images >/dev/null && return 0; fi
  return 1
}

if needs_apt; then
  "$SETUP_DIR/apt-sources.sh"
else
  ok "apt sources not needed (all packages present)"
fi
"$SETUP_DIR/go.sh"
"$SETUP_DIR/docker.sh"
"$SETUP_DIR/images.sh"

# Tools used by the benchmarks and tests.
pkgs=()
command -v wrk >/dev/null 2>&1 || pkgs+=(wrk)
command -v curl >/dev/null 2>&1 || pkgs+=(curl)
command -v git >/dev/null 2>&1 || pkgs+=(git)
if [ ${#pkgs[@]} -gt 0 ]; then
  apt_install "${pkgs[@]}"
else
  ok "wrk, curl, git installed"
fi

# Tests make commits: give git an identity, only when none is configured.
if [ -n "$(git config --global user.name 2>/dev/null || true)" ] && [ -n "$(git config --global user.email 2>/dev/null || true)" ]; then
  ok "git identity ($(git config --global user.name) <$(git config --global user.email)>)"
else
  [ -n "$(git config --global user.name 2>/dev/null || true)" ] || git config --global user.name "nx-go-docker tests"
  [ -n "$(git config --global user.email 2>/dev/null || true)" ] || git config --global user.email "nx-go-docker-tests@localhost"
  log "set a global git identity ($(git config --global user.name) <$(git config --global user.email)>)"
fi

elapsed=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
printf 'setup: all done in %s s\n' "$elapsed"
