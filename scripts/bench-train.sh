#!/usr/bin/env bash
# Training throughput (docs/benchmarks.md, section 3): our BPTT + Adam on the vector kernels, the scalar
# kernels and ND4J, against PyTorch, all on one thread with the same model, batch and data shapes,
# interleaved in two rounds in one session. Each line ends in a median sequence-steps/s.
#
#   scripts/bench-train.sh                         # H64 D8 W64 N64, 5 timed runs per contender
#   scripts/bench-train.sh --hidden 128 --inputs 38 --runs 3
#
# Shape arguments go to every contender (--hidden --inputs --layers --window --batch --steps
# --runs --warmup-steps). PYTHON names the interpreter with torch (default /usr/bin/python3).
#
# PyTorch's speed here depends on the BLAS it finds: Debian's python3-torch links libblas.so.3,
# which is the slow netlib reference BLAS unless OpenBLAS is installed. So that the contender is
# PyTorch at its best, this script puts an OpenBLAS first on its library path: the directory in
# TORCH_OPENBLAS_DIR (holding libopenblas.so.0), or else the one ND4J's JavaCPP unpacked into
# ~/.javacpp/cache. Set TORCH_OPENBLAS_DIR=none to measure with whatever libblas.so.3 is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -Pbench test-compile dependency:build-classpath \
  -DincludeScope=test -Dmdep.outputFile=target/bench.classpath

export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
# Debian's python3-torch lives with the system Python, which another python3 on PATH may hide.
PYTHON="${PYTHON:-/usr/bin/python3}"

java_bench() {
  java --add-modules jdk.incubator.vector -Xmx1g -XX:ActiveProcessorCount=1 "$@" \
    -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
    io.flinklstm.train.TrainThroughputBench "${ARGS[@]}" 2>&1 | grep -v -e WARNING -e INFO
}

torch_bench() {
  local blas="${TORCH_OPENBLAS_DIR:-}"
  if [ -z "$blas" ]; then
    blas="$(dirname "$(find ~/.javacpp/cache -path '*bytedeco/openblas*' -name libopenblas.so.0 \
      2>/dev/null | head -n 1)" 2>/dev/null || true)"
  fi
  if [ -n "$blas" ] && [ "$blas" != none ] && [ -f "$blas/libopenblas.so.0" ]; then
    local shim
    shim="$(mktemp -d)"
    ln -s "$blas/libopenblas.so.0" "$shim/libblas.so.3"
    ln -s "$blas/libopenblas.so.0" "$shim/liblapack.so.3"
    echo "torch BLAS: OpenBLAS from $blas"
    LD_LIBRARY_PATH="$shim:$blas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
      "$PYTHON" scripts/bench_train_torch.py "${ARGS[@]}"
    rm -rf "$shim"
  else
    echo "torch BLAS: $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)"
    "$PYTHON" scripts/bench_train_torch.py "${ARGS[@]}"
  fi
}

ARGS=("$@")
for round in 1 2; do
  echo "--- round $round"
  java_bench | tail -n 1
  java_bench -Dflinklstm.kernel=scalar | tail -n 1
  ARGS=("$@" --backend nd4j --runs 3)
  java_bench | tail -n 1
  ARGS=("$@")
  torch_bench | grep -e "torch BLAS" -e median
done
