#!/usr/bin/env bash
# The JMH benchmark of the per-event step (docs/benchmarks.md, section 1): our kernels against ND4J and
# DL4J on one core, printed as a table of µs per step per key and the share of the physical bound,
# both the bound of docs/benchmarks.md and the one this core's own FMA peak and cache bandwidth set
# (measured in the same run by PeakBench, from its fastest iterations). Our vector kernel's rows also
# give the fastest tenth of its iterations beside the median. PhaseBench times the step's phases on
# their own: batched (gather, affine map, gates, head), with the affine map's share of the FMA peak,
# and for one key (affine map, gates), with the affine map's share of the time its weights take to
# read.
#
#   scripts/bench-step.sh                               # everything, two runs, medians
#   scripts/bench-step.sh -p shape=H64/D8 --runs 1      # one shape, one run
#   scripts/bench-step.sh --runs 1 'io.flinklstm.bench.(PhaseBench|PeakBench)'   # phases only
#   scripts/bench-step.sh -prof gc                      # with allocation per step
#   scripts/bench-step.sh -jvmArgsAppend -Dflinklstm.vector.bits=256   # force 256-bit vectors
#
# Arguments other than --runs N go to JMH (scripts/bench-step.sh -h lists them).
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -q -Pbench test-compile dependency:build-classpath \
  -DincludeScope=test -Dmdep.outputFile=target/bench.classpath

# One core: ND4J's OpenMP and OpenBLAS pools would otherwise take the second core too.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
exec java --add-modules jdk.incubator.vector -Xmx1g \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.flinklstm.bench.StepBenchMain "$@"
