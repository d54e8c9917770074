package io.flinklstm.job;

import io.flinklstm.model.LstmState;
import io.flinklstm.model.kernel.Stepper;
import java.io.Serializable;

/**
 * Takes one step of each of {@code n} keys' recurrent states, in place. The job's is {@link
 * #MODEL}, the model's own step; the end-to-end benchmark gives the operator one that does nothing,
 * to measure the pipeline around the step.
 */
@FunctionalInterface
interface StepKernel extends Serializable {
  /** The model's step: one key alone, or the batched step of several. */
  StepKernel MODEL =
      (stepper, states, normalizedInputs, n) -> {
        if (n == 1) {
          stepper.advance(states[0], normalizedInputs[0]);
        } else {
          stepper.advanceBatch(states, normalizedInputs, n);
        }
      };

  void advance(Stepper stepper, LstmState[] states, float[][] normalizedInputs, int n);
}
