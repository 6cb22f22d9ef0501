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

# Output of every step is also collected to tell "nothing to do" at the end.
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
step() { "$SETUP_DIR/$1" | tee -a "$OUT"; }

if needs_apt; then
  step apt-sources.sh
else
  ok "apt sources not needed (all packages present)"
fi
step go.sh
step docker.sh
step images.sh

# Tools used by the benchmarks and tests.
pkgs=()
command -v wrk >/dev/null 2>&1 || pkgs+=(wrk)
command -v curl >/dev/null 2>&1 || pkgs+=(curl)
command -v git >/dev/null 2>&1 || pkgs+=(git)
if [ ${#pkgs[@]} -gt 0 ]; then
  apt_install "${pkgs[@]}" | tee -a "$OUT"
else
  ok "wrk, curl, git installed"
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
