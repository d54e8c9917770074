package io.flinklstm.bench;

/**
 * The peaks of one core that bound a step: float32 FLOPs per ns of a tight FMA loop and the bytes
 * per ns read from L1 and from L2.
 */
record Peaks(double flopsPerNs, double l1BytesPerNs, double l2BytesPerNs) {
  /** docs/benchmarks.md, section 1: one core of the Zen 4 on which the goals were first set. */
  static final Peaks ZEN4 = new Peaks(117, 200, 111);
}
