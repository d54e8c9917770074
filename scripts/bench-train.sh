#!/usr/bin/env bash
# Training throughput (BENCHMARKS.md section 3): our BPTT + Adam against PyTorch on one thread, same
# model, batch and data shapes, one after the other in the same session.
#
#   scripts/bench-train.sh                         # H64 D8 W64 N64, 5 timed runs each
#   scripts/bench-train.sh --hidden 128 --inputs 38
#
# Arguments go to both sides (--hidden --inputs --layers --window --batch --steps --runs).
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -q -o test-compile dependency:build-classpath \
  -DincludeScope=test -Dmdep.outputFile=target/test.classpath

export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
java --add-modules jdk.incubator.vector -Xmx1g -XX:+UseParallelGC -XX:ActiveProcessorCount=1 \
  -cp "target/test-classes:target/classes:$(cat target/test.classpath)" \
  io.flinklstm.bench.TrainBench "$@"
python3 scripts/bench_train_torch.py "$@"
