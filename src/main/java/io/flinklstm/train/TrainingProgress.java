package io.flinklstm.train;

/**
 * Where a training run stands after one update, for progress displays and logs.
 *
 * @param step updates attempted so far, 1-based
 * @param totalSteps updates the run will attempt
 * @param loss this batch's mean squared error, before the update
 * @param smoothedLoss an exponential moving average of {@code loss} (about the last 50 updates)
 * @param gradientNorm the global gradient norm before clipping
 * @param applied whether the update was applied (false: skipped as non-finite)
 * @param skippedSteps updates skipped so far
 * @param elapsedNanos since the run started
 * @param sequenceSteps sequence-steps with loss and gradient so far: applied or not, N × W each
 */
public record TrainingProgress(
    long step,
    long totalSteps,
    double loss,
    double smoothedLoss,
    double gradientNorm,
    boolean applied,
    long skippedSteps,
    long elapsedNanos,
    long sequenceSteps) {

  /** Training throughput so far. */
  public double sequenceStepsPerSecond() {
    return elapsedNanos == 0 ? 0 : sequenceSteps * 1e9 / elapsedNanos;
  }
}
