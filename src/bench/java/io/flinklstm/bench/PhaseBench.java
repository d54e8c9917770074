package io.flinklstm.bench;

import io.flinklstm.model.kernel.KernelPhases;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The vector kernel's step taken apart: each phase of {@link StepBench#batch64} on its own, per
 * key, so that the affine map, which alone does the FLOPs the batched bound counts, can be set
 * against the FMA peak by itself, and the other phases show what they add; and the two phases of
 * {@link StepBench#batch1}, so that the affine map, which alone reads the weights whose bytes the
 * batch-1 bound counts, can be set against the read bandwidth. {@link StepBenchMain} prints them as
 * tables beside the whole step.
 */
public class PhaseBench extends KernelTiming {
  @Param({"H32/D8", "H64/D8", "H128/D38"})
  public String shape;

  private KernelPhases phases;

  @Setup
  public void setUp() {
    Shape s = Shape.parse(shape);
    phases = new KernelPhases(s.randomModel(1), s.randomInputs(2, StepBench.BATCH));
  }

  /** The keys' inputs [x, h] into the kernel's tiles. */
  @Benchmark
  @OperationsPerInvocation(StepBench.BATCH)
  public void gather() {
    phases.gather();
  }

  /** The gate pre-activations b + [x, h]·W. */
  @Benchmark
  @OperationsPerInvocation(StepBench.BATCH)
  public void affine() {
    phases.affine();
  }

  /** The gates and the update of c and h. */
  @Benchmark
  @OperationsPerInvocation(StepBench.BATCH)
  public void gates() {
    phases.gates();
  }

  /** The dense head's prediction. */
  @Benchmark
  @OperationsPerInvocation(StepBench.BATCH)
  public void head() {
    phases.head();
  }

  /** One key's gate pre-activations. */
  @Benchmark
  public void affineOne() {
    phases.affineOne();
  }

  /** One key's gates and state update. */
  @Benchmark
  public void gatesOne() {
    phases.gatesOne();
  }
}
