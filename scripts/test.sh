#!/usr/bin/env bash
# The project's test command (README, .ci/run): ready the machine (Go, Docker engine, buildx,
# compose, base images), build the plugin, then unit tests and e2e tests on a real engine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup/all.sh
bash scripts/ensure-deps.sh
npm run build
echo "== unit tests"
npx jest
# The oldest Nx major the peer range claims runs everything that touches Nx (generators, graph,
# targets, executors); the newest runs that and the reliability suite (the product's own
# behaviour under faults, which does not depend on the Nx major). Each gets a fresh workspace.
echo "== e2e tests on Nx 21 (packed plugin, fresh Nx workspace, real go/docker/compose/Postgres)"
NX_VERSION=21 npx jest -c test/jest.config.js --testPathIgnorePatterns /test/reliability/
echo "== e2e and reliability tests on Nx 24"
NX_VERSION=24 npx jest -c test/jest.config.js
