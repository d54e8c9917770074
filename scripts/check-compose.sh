#!/usr/bin/env bash
# Validates docker-compose.yml offline, without a Docker engine: Debian's docker-compose parses it,
# resolves anchors, variables, profiles and service references, and checks it against the Compose
# schema. Installs docker-compose (and nothing of Docker itself) when it is missing. `mvn verify` runs
# this; ComposeContractTest checks what the containers make of the file.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
compose_file="$here/docker-compose.yml"

fail() {
  echo "check-compose: $*" >&2
  exit 1
}

if ! command -v docker-compose >/dev/null 2>&1; then
  # shellcheck source=lib/apt-install.sh
  source "$here/scripts/lib/apt-install.sh"
  apt_install check-compose docker-compose
fi

# The file mounts target/ and a data folder; config -q checks the file, not that they exist.
if ! out="$(cd "$here" && docker-compose -p flink-lstm -f "$compose_file" config -q 2>&1)"; then
  echo "$out" >&2
  fail "docker-compose.yml is not valid (docker-compose $(docker-compose version --short 2>/dev/null || echo '?'))"
fi
if [ -n "$out" ]; then
  # Warnings (an unset variable, a deprecated key) are errors here: the file must be clean.
  echo "$out" >&2
  fail "docker-compose.yml is valid but docker-compose warned about it"
fi
echo "check-compose: docker-compose.yml is valid"
