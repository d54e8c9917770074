package io.flinklstm.model.kernel;

import java.util.ArrayList;
import java.util.List;

/** Every kernel this JVM can run; the test JVM enables the vector module, so both. */
final class KernelsForTest {
  private KernelsForTest() {}

  static List<LstmKernel> all() {
    List<LstmKernel> kernels = new ArrayList<>();
    kernels.add(Kernels.scalar());
    LstmKernel vector = Kernels.vectorOrNull();
    if (vector == null) {
      throw new IllegalStateException("tests run with --add-modules jdk.incubator.vector");
    }
    kernels.add(vector);
    return kernels;
  }
}
