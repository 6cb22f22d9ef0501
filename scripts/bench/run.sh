#!/usr/bin/env bash
# `npm run bench`: ready the machine, build the plugin, then measure this plugin's Dockerfiles
# against the seed guides' pattern and a docker init-style one, and Nx-level and graph timings,
# side by side in one run; writes docs/benchmarks.md and docs/benchmarks.svg. Then CI at scale
# (scripts/bench/ci-scale.ts): nx affected over 20 services on warm and fresh runners, its own
# section of docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup/all.sh
bash scripts/ensure-deps.sh
npm run build --silent
npx tsx scripts/bench/main.ts
npx tsx scripts/bench/ci-scale.ts
