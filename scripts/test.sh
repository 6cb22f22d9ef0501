#!/usr/bin/env bash
# The project's test command (README, .ci/run): ready the machine (Go, Docker engine, buildx,
# compose, registries, base images), build the plugin, then unit tests and e2e tests on a
# real engine, printing how long each part took.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
times=()
part() {
  local label=$1 t=$SECONDS
  shift
  echo "== $label"
  "$@"
  times+=("$(printf '%4d s  %s' $((SECONDS - t)) "$label")")
}
e2e() { NX_VERSION=$1 npx jest -c test/jest.config.js "${@:2}"; }

part "machine setup" bash scripts/setup/all.sh
part "npm dependencies" bash scripts/ensure-deps.sh
part "build" npm run build
part "unit tests" npx jest
# The oldest Nx major the peer range claims runs everything that touches Nx (generators, graph,
# targets, executors, Nx's remote cache); the newest runs that, the reliability suite (the
# product's own behaviour under faults) and CI at scale (BuildKit caches, concurrency, a remote
# builder), neither of which depends on the Nx major; the majors between them run a slice: the
# generator, inferred targets and the graph of adopted repositories. Each major gets a fresh
# workspace.
part "e2e on Nx 21 (packed plugin, fresh Nx workspace, real go/docker/compose/Postgres)" \
  e2e 21 --testPathIgnorePatterns /test/reliability/ /test/ci-scale.e2e.ts /test/remote-builder.e2e.ts
part "e2e slice on Nx 22" e2e 22 test/go-service.e2e.ts test/adopt.e2e.ts
part "e2e slice on Nx 23" e2e 23 test/go-service.e2e.ts test/adopt.e2e.ts
part "e2e, reliability and CI at scale on Nx 24" e2e 24

echo "== time per part"
printf '%s\n' "${times[@]}"
printf '%4d s  in all\n' $((SECONDS - start))
