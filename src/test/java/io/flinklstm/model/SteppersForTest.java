package io.flinklstm.model;

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

  /** A symbol stepper per kernel, by kernel name. */
  public static Map<String, SymbolStepper> all(CategoricalModel model) {
    Map<String, SymbolStepper> steppers = new LinkedHashMap<>();
    for (LstmKernel kernel : KernelsForTest.all()) {
      steppers.put(kernel.name(), new SymbolStepper(model, kernel));
    }
    return steppers;
  }
}
