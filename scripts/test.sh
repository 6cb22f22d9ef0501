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
echo "== e2e tests (packed plugin, fresh Nx workspace, real go/docker/compose/Postgres)"
npx jest -c test/jest.config.js
