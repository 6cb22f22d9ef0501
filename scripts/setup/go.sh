#!/usr/bin/env bash
# Ensures a supported Go (>= 1.25, one of the two newest releases) on PATH.
# This machine kind preinstalls Go at /usr/local/go; when it is missing or too
# old, the toolchain is fetched from the Go module proxy the way GOTOOLCHAIN
# does it (module golang.org/toolchain) and unpacked into /usr/local/go.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WANT=1.25
FALLBACK=1.26.8                       # fetched only when no Go >= $WANT is installed
GOROOT_DIR=/usr/local/go
BIN=/usr/local/bin

# go_ver CMD: "1.26.8" from `CMD version`, empty if it does not run.
go_ver() { "$1" version 2>/dev/null | sed -n 's/^go version go\([0-9][0-9.]*\).*/\1/p'; }

cur=""
if command -v go >/dev/null 2>&1; then cur=$(go_ver go); fi
if [ -n "$cur" ] && version_ge "$cur" "$WANT"; then
  ok "go $cur ($(command -v go))"
  exit 0
fi

installed=$(go_ver "$GOROOT_DIR/bin/go")
if [ -z "$installed" ] || ! version_ge "$installed" "$WANT"; then
  log "go ${cur:-not found}; fetching Go $FALLBACK from the Go module proxy into $GOROOT_DIR"
  proxy=$(printf '%s' "${GOPROXY:-https://proxy.golang.org}" | cut -d, -f1)
  command -v unzip >/dev/null 2>&1 || apt_install unzip
  command -v curl >/dev/null 2>&1 || apt_install curl
  tmp=$(mktemp -d)
  hint "downloading Go from $proxy failed; set GOPROXY to a reachable Go module proxy, or install Go $WANT+ at $GOROOT_DIR"
  curl -fsSL -o "$tmp/go.zip" "$proxy/golang.org/toolchain/@v/v0.0.1-go$FALLBACK.linux-amd64.zip"
  unzip -q "$tmp/go.zip" -d "$tmp/x"
  as_root rm -rf "$GOROOT_DIR"
  as_root mv "$tmp/x/golang.org/toolchain@v0.0.1-go$FALLBACK.linux-amd64" "$GOROOT_DIR"
  as_root chmod -R a+rX "$GOROOT_DIR"
  as_root chmod +x "$GOROOT_DIR"/bin/* "$GOROOT_DIR"/pkg/tool/*/*
  rm -rf "$tmp"
  hint ""
fi

# Put it on PATH for every shell.
as_root ln -sfn "$GOROOT_DIR/bin/go" "$BIN/go"
as_root ln -sfn "$GOROOT_DIR/bin/gofmt" "$BIN/gofmt"
hash -r
v=$(go_ver "$BIN/go")
[ -n "$v" ] && version_ge "$v" "$WANT" || die "$BIN/go does not report Go $WANT+" "remove $GOROOT_DIR and re-run"
[ "$(command -v go)" = "$BIN/go" ] || log "note: another go comes first on PATH ($(command -v go)); $BIN/go is Go $v"
log "$("$BIN/go" version) (GOROOT $("$BIN/go" env GOROOT))"
