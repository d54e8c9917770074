package io.flinklstm.model.kernel;

/**
 * Chooses the step kernel at run time: the Vector API kernels where the JVM was started with {@code
 * --add-modules jdk.incubator.vector}, the portable scalar kernel otherwise. Set the system
 * property {@code flinklstm.kernel=scalar} to force the scalar kernels (the training kernels of
 * {@code io.flinklstm.model.bptt} follow the choice).
 */
public final class Kernels {
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

  /** Whether this JVM was started with the Vector API module. */
  public static boolean vectorAvailable() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /** Whether the step runs on the vector kernel: the training kernels follow this choice. */
  public static boolean vectorised() {
    return BEST != ScalarKernel.INSTANCE;
  }

  private static LstmKernel choose() {
    if ("scalar".equals(System.getProperty("flinklstm.kernel"))) {
      return ScalarKernel.INSTANCE;
    }
    LstmKernel vector = vectorOrNull();
    return vector != null ? vector : ScalarKernel.INSTANCE;
  }
}
