package io.flinklstm.model.bptt;

import io.flinklstm.model.kernel.Kernels;

/**
 * Chooses the training kernel as {@link Kernels} chose the step kernel: vector where the step is
 * vector, scalar otherwise.
 */
final class BpttKernels {
  private BpttKernels() {}

  /** The kernel matching the step's. Scalar ones hold scratch space, so each call may make one. */
  static BpttKernel best() {
    return Kernels.vectorised() ? VectorBpttKernel.INSTANCE : new ScalarBpttKernel();
  }

  /** A new scalar training kernel: it has scratch space, so one per {@link Bptt}. */
  static BpttKernel scalar() {
    return new ScalarBpttKernel();
  }

  /** The vector training kernel, or null where the module is not enabled. */
  static BpttKernel vectorOrNull() {
    return Kernels.vectorAvailable() ? VectorBpttKernel.INSTANCE : null;
  }
}
