#!/usr/bin/env bash
# The demo (README's first command): ready the machine, build the plugin, then generate a Go
# service in a throwaway Nx workspace, build its image, run it until healthy, stop it, and report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup/all.sh
bash scripts/ensure-deps.sh
npm run build --silent
npx tsx scripts/demo.ts
