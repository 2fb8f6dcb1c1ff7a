#!/usr/bin/env bash
# Installs the real CLIs the client suite drives (Claude Code, Codex, Gemini CLI, opencode) at pinned versions
# into a cache folder outside the project (APIYI_CLIENTS_DIR, default ~/.cache/apiyi-clients); a second run
# with the same pins does nothing. Prints where the binaries are, one "name path (version)" a line.
set -euo pipefail

dir="${APIYI_CLIENTS_DIR:-$HOME/.cache/apiyi-clients}"
pins=(@anthropic-ai/claude-code@2.1.197 @openai/codex@0.169.0 @google/gemini-cli@0.61.0 opencode-ai@1.18.33)
stamp="$dir/.pins"

mkdir -p "$dir"
if [ "$(cat "$stamp" 2>/dev/null)" != "${pins[*]}" ] || [ ! -x "$dir/node_modules/.bin/claude" ] \
  || [ ! -x "$dir/node_modules/.bin/codex" ] || [ ! -x "$dir/node_modules/.bin/gemini" ] \
  || [ ! -x "$dir/node_modules/.bin/opencode" ]; then
  start=$SECONDS
  # a package.json of its own so npm never walks up into a project
  [ -f "$dir/package.json" ] || echo '{"name":"apiyi-clients","private":true}' >"$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --no-update-notifier --save-exact --loglevel=error "${pins[@]}" >&2
  echo "${pins[*]}" >"$stamp"
  echo "clients: installed in $((SECONDS - start)) s, $(du -sh "$dir" | cut -f1) in $dir" >&2
fi

# each must start offline: --version in a throwaway HOME (they write state there), bounded by a timeout
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
for bin in claude codex gemini opencode; do
  path="$dir/node_modules/.bin/$bin"
  if ! version="$(HOME="$home" CODEX_HOME="$home/.codex" timeout 30 "$path" --version 2>/dev/null)"; then
    echo "clients: $path --version failed" >&2
    exit 1
  fi
  echo "$bin $path ($(echo "$version" | head -1))"
done
