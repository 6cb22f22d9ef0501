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
# The oldest and newest Nx majors the peer range claims; each gets its own fresh workspace.
for nx_version in ${NX_E2E_VERSIONS:-21 24}; do
  echo "== e2e tests on Nx $nx_version (packed plugin, fresh Nx workspace, real go/docker/compose/Postgres)"
  NX_VERSION=$nx_version npx jest -c test/jest.config.js
done
