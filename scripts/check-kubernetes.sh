#!/usr/bin/env bash
# Validates the manifests in deploy/kubernetes offline, without a cluster: each document against
# the published schema of its kind, Kubernetes' own or the Flink Kubernetes Operator's custom
# resources (scripts/kubernetes-check, npm packages pinned in its package-lock.json). Installs
# Node.js and npm with apt-get when they are missing. `mvn verify` runs this; KubernetesManifestsTest
# checks what the job and the sidecar make of the manifests.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
check="$here/scripts/kubernetes-check"

fail() {
  echo "check-kubernetes: $*" >&2
  exit 1
}

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  # shellcheck source=lib/apt-install.sh
  source "$here/scripts/lib/apt-install.sh"
  apt_install check-kubernetes nodejs npm
fi

if [ ! -d "$check/node_modules" ] || [ "$check/package-lock.json" -nt "$check/node_modules" ]; then
  (cd "$check" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || fail "npm ci in scripts/kubernetes-check failed"
  touch "$check/node_modules"
fi
node "$check/validate.mjs" "$here"/deploy/kubernetes/*.yaml
