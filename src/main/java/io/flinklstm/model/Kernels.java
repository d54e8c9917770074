package io.flinklstm.model;

/**
 * Chooses the step and training kernels at run time: the Vector API kernels where the JVM was
 * started with {@code --add-modules jdk.incubator.vector}, the portable scalar kernels otherwise.
 * Set the system property {@code flinklstm.kernel=scalar} to force the scalar kernels.
 */
final class Kernels {
  private static final LstmKernel BEST = choose();

  private Kernels() {}

  static LstmKernel best() {
    return BEST;
  }

  static LstmKernel scalar() {
    return ScalarKernel.INSTANCE;
  }

  /** The vector kernel, or null where the module is not enabled. */
  static LstmKernel vectorOrNull() {
    return vectorAvailable() ? VectorKernel.INSTANCE : null;
  }

  static boolean vectorAvailable() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /**
   * A training kernel matching {@link #best()}: vector where the step kernel is vector. Scalar ones
   * are not shareable, so each call may return a new one.
   */
  static BpttKernel bpttBest() {
    return BEST == ScalarKernel.INSTANCE ? new ScalarBpttKernel() : VectorBpttKernel.INSTANCE;
  }

  /** A new scalar training kernel: it has scratch space, so one per {@link Bptt}. */
  static BpttKernel bpttScalar() {
    return new ScalarBpttKernel();
  }

  /** The vector training kernel, or null where the module is not enabled. */
  static BpttKernel bpttVectorOrNull() {
    return vectorAvailable() ? VectorBpttKernel.INSTANCE : null;
  }

  private static LstmKernel choose() {
    if ("scalar".equals(System.getProperty("flinklstm.kernel"))) {
      return ScalarKernel.INSTANCE;
    }
    LstmKernel vector = vectorOrNull();
    return vector != null ? vector : ScalarKernel.INSTANCE;
  }
}
