#!/usr/bin/env bash
# A soak of the job on the standalone cluster, too long for `mvn verify`: scripts/soak.sh [MINUTES]
# [maven options...], for instance `scripts/soak.sh 10 -o`. Default: 10 minutes.
#
# Starts a broker, a JobManager and two TaskManagers as separate processes and streams events
# through the job while a TaskManager, picked at random, is killed with SIGKILL every 60 to 120 s and
# replaced (StandaloneClusterSoak). Passes when every event has exactly one committed score, equal
# to a run without failure. Prints each kill's recovery times; logs in target/cluster-test/soak/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

minutes="${1:-10}"
if [[ ! "$minutes" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/soak.sh [MINUTES] [maven options...]" >&2
  exit 2
fi
shift $(($# > 0 ? 1 : 0))

mvn -B "$@" verify -Dit.test=StandaloneClusterSoak -Dsoak.minutes="$minutes" \
  -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.skip \
  -Dspotless.check.skip=true
