#!/usr/bin/env bash
# The cost curve (docs/benchmarks.md, section 2): the end-to-end pipeline over numbers of keys x state
# backends x the LSTM or a no-op step, with checkpoint duration and size, restore time and latency at a
# fixed rate, in one process with an embedded broker and a MiniCluster of one slot.
#
#   scripts/bench-scale.sh                       # 10k, 100k and 1M keys on heap, RocksDB and ForSt
#   scripts/bench-scale.sh --quick               # 10k keys, heap and RocksDB, one round: a check
#   scripts/bench-scale.sh --keys 100000 --backends rocksdb --passes 3 --rounds 2 --rate 5000
#
# Other options: --latency-seconds, --checkpoint-seconds, --managed-memory (RocksDB's and ForSt's
# memory, 1g by default), --snapshot-compression (true by default, as the job runs). BENCH_XMX sets the JVM heap (default 12g: the heap backend at 1M keys).
set -euo pipefail
cd "$(dirname "$0")/.."

args=("$@")
if [[ "${1:-}" == "--quick" ]]; then
  args=(--keys 10000 --backends hashmap,rocksdb --passes 10 --rounds 1 --latency-seconds 10 "${@:2}")
elif [[ $# -eq 0 ]]; then
  args=(--keys 10000,100000,1000000 --backends hashmap,rocksdb,forst --passes 3 --rounds 2)
fi

mvn -q -Pbench test-compile dependency:build-classpath \
  -DincludeScope=test -Dmdep.outputFile=target/bench.classpath

exec java --add-modules jdk.incubator.vector -Xmx"${BENCH_XMX:-12g}" \
  -Dlog4j2.configurationFile=src/bench/resources/log4j2-bench.properties \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.flinklstm.job.ScaleBench "${args[@]}"
