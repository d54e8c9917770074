#!/usr/bin/env bash
# The end-to-end benchmark (docs/benchmarks.md, section 2): Kafka -> job -> Kafka on one slot, 10,000 keys,
# H = 64, D = 8, against the same pipeline with a no-op step, in one process with an embedded broker.
#
#   scripts/bench-job.sh [EVENTS [ROUNDS [LATENCY_RATE]]]     # defaults: 300000 4 10000
#   BENCH_JAVA_OPTS="-Dbench.keys=100000 -Dbench.backend=rocksdb" scripts/bench-job.sh 300000 2
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -q -Pbench test-compile dependency:build-classpath \
  -DincludeScope=test -Dmdep.outputFile=target/bench.classpath

exec java --add-modules jdk.incubator.vector -Xmx6g ${BENCH_JAVA_OPTS:-} \
  -Dlog4j2.configurationFile=src/bench/resources/log4j2-bench.properties \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.flinklstm.job.JobThroughputBench "$@"
