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
  command -v apt-get >/dev/null 2>&1 \
    || fail "node and npm are missing and there is no apt-get to install them; install Node.js 18 or later and run again"
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 \
      || fail "node and npm are missing; install them as root: apt-get install -y --no-install-recommends nodejs npm"
    sudo="sudo -n"
  fi
  echo "check-kubernetes: installing Node.js and npm with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends nodejs npm; } >/dev/null \
    || fail "cannot install Node.js: apt-get install -y --no-install-recommends nodejs npm failed"
fi

if [ ! -d "$check/node_modules" ] || [ "$check/package-lock.json" -nt "$check/node_modules" ]; then
  (cd "$check" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || fail "npm ci in scripts/kubernetes-check failed"
  touch "$check/node_modules"
fi
node "$check/validate.mjs" "$here"/deploy/kubernetes/*.yaml
