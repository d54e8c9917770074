#!/usr/bin/env bash
# Fuzzes each parser for longer than `mvn verify` does: scripts/fuzz.sh [SECONDS_PER_TARGET]
# [maven options...], for instance `scripts/fuzz.sh 600 -o`. Default: 300 seconds per target.
#
# Runs the pom's fuzz-<target> executions one after another (Jazzer fuzzes one test per JVM), each
# for the given time, and prints per target the executions, how many inputs the parser accepted
# and what it found. The corpus each run grows is kept in target/jazzer/.cifuzz-corpus/ (the next
# run starts from it); a crashing, hanging or over-allocating input is written to target/jazzer/
# as crash-*, timeout-* or oom-*, logs to target/jazzer/logs/. To keep a finding as a regression
# input, copy it into the target's src/test/resources/.../<Class>Inputs/<method>/ directory.
# Exits non-zero when any target found something.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds="${1:-300}"
if [[ ! "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [maven options...]" >&2
  exit 2
fi
shift $(($# > 0 ? 1 : 0))

targets=(events model-file numpy key-state)
logs=target/jazzer/logs

mvn -B -q "$@" test-compile
mkdir -p "$logs"

status=0
summary=()
for target in "${targets[@]}"; do
  log="$logs/fuzz-$target.log"
  before=$(ls target/jazzer 2>/dev/null | grep -E '^(crash|timeout|oom|slow-unit)-' || true)
  echo "fuzzing $target for ${seconds}s (log: $log)"
  if mvn -B "$@" "surefire:test@fuzz-$target" -Dfuzz.duration="${seconds}s" >"$log" 2>&1; then
    result="no finding"
  else
    result="FAILED"
    status=1
  fi
  after=$(ls target/jazzer 2>/dev/null | grep -E '^(crash|timeout|oom|slow-unit)-' || true)
  found=$(comm -13 <(echo "$before") <(echo "$after") | sed 's|^|target/jazzer/|' | tr '\n' ' ')
  if [[ -n "$found" ]]; then
    result="FINDING: $found"
  fi
  runs=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 | awk '{print $2 " in " $5 " s"}' || true)
  stats=$(grep -oE 'fuzz-stats [^:]+: .*' "$log" | tail -1 | cut -d: -f2- | sed 's/^ //' || true)
  summary+=("$(printf '%-10s %-28s %-50s %s' "$target" "${runs:-(no total)}" "${stats:-(no counts)}" "$result")")
done

echo
printf '%-10s %-28s %-50s %s\n' target "executions (libFuzzer)" "inputs of the fuzz test" result
printf '%s\n' "${summary[@]}"
exit "$status"
