package io.flinklstm.model.kernel;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.LstmModel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Steppers on every kernel, for tests outside this package that check a model against outside
 * references; the kernels themselves stay package-private.
 */
public final class SteppersForTest {
  private SteppersForTest() {}

  /** A stepper per kernel, by kernel name: the scalar one and the vector one. */
  public static Map<String, Stepper> all(LstmModel model) {
    Map<String, Stepper> steppers = new LinkedHashMap<>();
    for (LstmKernel kernel : KernelsForTest.all()) {
      steppers.put(kernel.name(), new Stepper(model, kernel));
    }
    return steppers;
  }

  /** A stepper on the scalar kernel, whichever kernel this JVM would choose. */
  public static Stepper scalar(LstmModel model) {
    return new Stepper(model, Kernels.scalar());
  }

  /** A symbol stepper on the scalar kernel. */
  public static SymbolStepper scalar(CategoricalModel model) {
    return new SymbolStepper(model, Kernels.scalar());
  }

  /** A symbol stepper per kernel, by kernel name. */
  public static Map<String, SymbolStepper> all(CategoricalModel model) {
    Map<String, SymbolStepper> steppers = new LinkedHashMap<>();
    for (LstmKernel kernel : KernelsForTest.all()) {
      steppers.put(kernel.name(), new SymbolStepper(model, kernel));
    }
    return steppers;
  }
}
