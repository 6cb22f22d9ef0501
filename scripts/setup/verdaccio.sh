#!/usr/bin/env bash
# Ensures Verdaccio (a real npm registry) for the `nx add nx-go-docker` e2e test, installed
# into its own folder: 6.8.0, the newest that runs on Node 20, with node-fetch pinned to 2.7.0
# (what 6.8.0 needs on Node 20). The test starts it on a port of its own.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DIR=/opt/nx-go-docker/verdaccio
VERSION=6.8.0

if [ -x "$DIR/node_modules/.bin/verdaccio" ] && [ "$("$DIR/node_modules/.bin/verdaccio" --version 2>/dev/null)" = "v$VERSION" ]; then
  ok "verdaccio $VERSION ($DIR)"
  exit 0
fi
log "installing verdaccio $VERSION into $DIR (npm)"
as_root mkdir -p "$DIR"
printf '{ "name": "nx-go-docker-verdaccio", "private": true, "dependencies": { "verdaccio": "%s" }, "overrides": { "node-fetch": "2.7.0" } }\n' "$VERSION" \
  | as_root tee "$DIR/package.json" >/dev/null
hint "npm install verdaccio@$VERSION failed; see the npm output above"
( cd "$DIR" && as_root npm install --no-audit --no-fund --loglevel=error >/dev/null )
[ "$("$DIR/node_modules/.bin/verdaccio" --version)" = "v$VERSION" ] || die "verdaccio --version is not v$VERSION" "remove $DIR and re-run"
log "verdaccio $VERSION installed"
