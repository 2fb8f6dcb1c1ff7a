#!/usr/bin/env bash
# Runs the real-CLI suite: installs the pinned Claude Code, Codex, Gemini and opencode CLIs outside the
# project (install.sh), then drives each against a real apiyi server with the mock as the only upstream. The
# files are named *.cli.ts so the plain `bun test` skips them; bun runs them when named as ./paths.
# Prints bun's usual "N pass" / "N fail" lines; exits non-zero when the install or a test fails.
set -uo pipefail
cd "$(dirname "$0")/../../.."

export APIYI_CLIENTS_DIR="${APIYI_CLIENTS_DIR:-$HOME/.cache/apiyi-clients}"
if ! bash test/e2e/clients/install.sh; then
  echo "clients: install failed"
  exit 1
fi

# BUN may name the command (.ci/run passes "npx -y bun@1.4.5"); else bun on PATH, else the pinned one
bun="${BUN:-}"
[ -n "$bun" ] || { command -v bun >/dev/null 2>&1 && bun=bun; } || bun="npx -y bun@1.4.5"
# one file at a time is bun's default; each starts its own apiyi and mock
$bun test ./test/e2e/clients/claude.cli.ts ./test/e2e/clients/codex.cli.ts ./test/e2e/clients/gemini.cli.ts ./test/e2e/clients/opencode.cli.ts "$@"
