#!/usr/bin/env bash
# Ensures Go >= 1.24 on PATH: unpacks Debian trixie's golang-1.24-go and
# golang-1.24-src into /opt/go-1.24 and links go/gofmt into /usr/local/bin.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WANT=1.24
OPT=/opt/go-1.24                      # dpkg -x root
GOROOT_DIR=$OPT/usr/lib/go-1.24       # the Go tree inside it
BIN=/usr/local/bin

# go_ver CMD: "1.24.4" from `CMD version`, empty if it does not run.
go_ver() { "$1" version 2>/dev/null | sed -n 's/^go version go\([0-9][0-9.]*\).*/\1/p'; }

cur=""
if command -v go >/dev/null 2>&1; then cur=$(go_ver go); fi
if [ -n "$cur" ] && version_ge "$cur" "$WANT"; then
  ok "go $cur ($(command -v go))"
  exit 0
fi
[ -n "$cur" ] && log "go $cur on PATH is older than $WANT; installing Go $WANT alongside"

if [ -x "$GOROOT_DIR/bin/go" ] && [ -n "$(go_ver "$GOROOT_DIR/bin/go")" ]; then
  ok "Go tree already unpacked in $OPT"
else
  log "downloading golang-1.24-go + golang-1.24-src from trixie into $OPT"
  tmp=$(mktemp -d "${OPT}.tmp.XXXXXX" 2>/dev/null || as_root mktemp -d "${OPT}.tmp.XXXXXX")
  apt_download_extract "$tmp" golang-1.24-go golang-1.24-src
  [ -x "$tmp/usr/lib/go-1.24/bin/go" ] || die "golang-1.24-go did not contain usr/lib/go-1.24/bin/go" "inspect the .deb with dpkg -c"
  as_root rm -rf "$OPT"
  as_root mv "$tmp" "$OPT"
  as_root chmod 755 "$OPT"
fi

# Link go and gofmt; fall back to wrapper scripts if the symlinked binary
# cannot find its GOROOT.
link_tool() {
  local t=$1
  as_root ln -sfn "$GOROOT_DIR/bin/$t" "$BIN/$t"
}
wrap_tool() {
  local t=$1
  printf '#!/bin/sh\nexec %s "$@"\n' "$GOROOT_DIR/bin/$t" | as_root tee "$BIN/$t" >/dev/null
  as_root chmod 755 "$BIN/$t"
}
link_tool go; link_tool gofmt
if [ "$("$BIN/go" env GOROOT 2>/dev/null)" != "$GOROOT_DIR" ]; then
  log "symlinked go does not find GOROOT; using wrapper scripts instead"
  as_root rm -f "$BIN/go" "$BIN/gofmt"
  wrap_tool go; wrap_tool gofmt
fi

hint "the unpacked Go does not run; remove $OPT and re-run this script"
v=$(go_ver "$BIN/go")
[ -n "$v" ] && version_ge "$v" "$WANT" || die "$BIN/go version did not report go$WANT+" "remove $OPT and re-run"
"$BIN/gofmt" -h >/dev/null 2>&1 || [ $? -eq 2 ] || die "gofmt -h failed" "remove $OPT and re-run"
# gofmt -h exits 2 after printing usage; make sure it actually formats.
[ "$(printf 'package p\nvar  x=1\n' | "$BIN/gofmt")" = "$(printf 'package p\n\nvar x = 1\n')" ] \
  || die "gofmt does not format" "remove $OPT and re-run"
hash -r
if [ "$(command -v go)" != "$BIN/go" ]; then
  log "note: another go comes first on PATH ($(command -v go)); $BIN/go is Go $v"
fi
log "$("$BIN/go" version) (GOROOT $("$BIN/go" env GOROOT))"
