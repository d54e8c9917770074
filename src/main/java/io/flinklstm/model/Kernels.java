package io.flinklstm.model;

/**
 * Chooses the step kernel at run time: the Vector API kernel where the JVM was started with {@code
 * --add-modules jdk.incubator.vector}, the portable scalar kernel otherwise. Set the system
 * property {@code flinklstm.kernel=scalar} to force the scalar kernel.
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

  private static LstmKernel choose() {
    if ("scalar".equals(System.getProperty("flinklstm.kernel"))) {
      return ScalarKernel.INSTANCE;
    }
    LstmKernel vector = vectorOrNull();
    return vector != null ? vector : ScalarKernel.INSTANCE;
  }
}
