package io.flinklstm.model.kernel;

import io.flinklstm.model.LstmModel;

/**
 * Gives the benchmarks a {@link Stepper} on a named kernel, which the product chooses on its own
 * ({@link Kernels}); lives in the model package because the kernels are package-private.
 */
public final class BenchKernels {
  private BenchKernels() {}

  /**
   * A stepper on {@code vector} or {@code scalar}.
   *
   * @throws IllegalArgumentException for another name, or {@code vector} without the module
   */
  public static Stepper stepper(LstmModel model, String kernel) {
    switch (kernel) {
      case "scalar":
        return new Stepper(model, Kernels.scalar());
      case "vector":
        LstmKernel vector = Kernels.vectorOrNull();
        if (vector == null) {
          throw new IllegalArgumentException("run with --add-modules jdk.incubator.vector");
        }
        return new Stepper(model, vector);
      default:
        throw new IllegalArgumentException("unknown kernel '" + kernel + "' (vector, scalar)");
    }
  }
}
