package io.flinklstm.job;

import io.flinklstm.model.LstmState;
import io.flinklstm.model.kernel.Stepper;

/**
 * How {@link KeyScorer} takes the step that brings an event into its key's recurrent state: at once
 * ({@link #immediate}), or deferred into a batch of keys ({@link BatchedSteps}). The key is the one
 * being scored; a strategy that defers must take the step before that key's state is read again
 * ({@link #settle}).
 */
interface KeySteps {
  /**
   * One step of {@code lstm}, the recurrent state held by {@code owner}, with the model's {@code
   * stepper}; the input is copied if the step waits.
   */
  void step(KeyState owner, Stepper stepper, LstmState lstm, float[] normalizedInput);

  /** Before the scored key's recurrent state is read: takes its step if it waits. */
  void settle();

  /** Every step taken at once by {@code kernel}. */
  static KeySteps immediate(StepKernel kernel) {
    LstmState[] states = new LstmState[1];
    float[][] inputs = new float[1][];
    return new KeySteps() {
      @Override
      public void step(KeyState owner, Stepper stepper, LstmState lstm, float[] normalizedInput) {
        states[0] = lstm;
        inputs[0] = normalizedInput;
        kernel.advance(stepper, states, inputs, 1);
        states[0] = null;
        inputs[0] = null;
      }

      @Override
      public void settle() {}
    };
  }
}
