package io.flinklstm.train;

import io.flinklstm.model.LstmState;
import io.flinklstm.model.bptt.Parameters;

/**
 * One optimiser update on one batch of windows: every window starts from a zero state, runs its
 * burn-in forward only, then its window forward and back (truncated BPTT: no gradient flows into
 * the burn-in), the gradients are clipped by their global norm, and Adam updates the parameters in
 * place.
 *
 * <p>An update is skipped, and counted as such by the caller, when the loss or the gradient norm is
 * not finite or Adam refuses it; the parameters are then unchanged. Not thread-safe; allocates
 * nothing per update once the first batch has sized the buffers.
 */
public final class TrainingStep {
  private final Parameters params;
  private final Parameters grads;
  private final BpttEngine bptt;
  private final Adam adam;
  private final double clipNorm;
  private LstmState[] states = new LstmState[0];

  /** The outcome of one update. */
  public record Result(double loss, double gradientNorm, boolean applied) {}

  /**
   * @param params the weights to train, updated in place
   */
  public TrainingStep(Parameters params, TrainerConfig config) {
    this.params = params;
    this.grads = params.zerosLike();
    this.bptt = BpttEngine.create(config.backend(), params);
    this.adam =
        new Adam(params, config.learningRate(), config.beta1(), config.beta2(), config.epsilon());
    this.clipNorm = config.clipNorm();
  }

  /** The BPTT kernel in use, for logs and benchmarks. */
  public String kernelName() {
    return bptt.name();
  }

  public Parameters parameters() {
    return params;
  }

  /** One update on the batch; returns the batch's mean squared error before the update. */
  public Result run(WindowBatch batch) {
    resetStates(batch.size());
    if (batch.burnIn() > 0) {
      bptt.advance(batch.burnInInputs(), states);
    }
    double loss = bptt.forward(batch.inputs(), batch.targets(), states);
    grads.clear();
    bptt.backward(grads);
    double norm = GradientClipping.clipByGlobalNorm(grads, clipNorm);
    boolean applied = Double.isFinite(loss) && Double.isFinite(norm) && adam.step(params, grads);
    return new Result(loss, norm, applied);
  }

  private void resetStates(int n) {
    if (states.length != n) {
      int size = 0;
      for (Parameters.Layer layer : params.layers) {
        size += layer.hiddenSize();
      }
      states = new LstmState[n];
      for (int s = 0; s < n; s++) {
        states[s] = new LstmState(size);
      }
    }
    for (LstmState s : states) {
      s.reset();
    }
  }
}
