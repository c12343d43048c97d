#!/usr/bin/env bash
# Builds and tests the VS Code extension from its lock file: the lead's CI calls this.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm run compile
npm test
