package io.flinklstm.detect;

import java.util.Arrays;

/**
 * The detector's drift rule (see {@link AnomalyDetector}, "Drift"): per channel, Page's cumulative
 * sums of the prediction residuals, standardised against the residuals' running mean and deviation
 * and widened for their lag-one correlation. Its statistics live in the key's {@link ScoreStats};
 * this holds only the configuration. Allocation-free once a key's arrays are sized.
 */
final class DriftRule {
  /** The largest lag-one correlation of residuals the rule allows for. */
  static final double MAX_CORRELATION = 0.99;

  private final DetectorConfig config;

  DriftRule(DetectorConfig config) {
    this.config = config;
  }

  /**
   * Whether a channel's residuals have drifted beyond the limit (then every sum of the key starts
   * again from 0); updates the residual statistics and, unless {@code held}, the cumulative sums,
   * which a hold keeps at 0. The {@code k}th event in the statistics has no deviation to be judged
   * by yet when it is the first.
   */
  boolean judge(
      ScoreStats stats, float[] predicted, float[] actual, int channels, long k, boolean held) {
    if (stats.residualMean.length != channels) {
      stats.residualMean = new float[channels];
      stats.residualVar = new float[channels];
      stats.driftUp = new float[channels];
      stats.driftDown = new float[channels];
      stats.residualCov = new float[channels];
      stats.residualLast = new float[channels];
    }
    double limit = config.driftLimit() + Math.log(channels);
    double most = limit / 2;
    double slack = config.driftSlack();
    double weight = AnomalyDetector.weight(k, config.driftWindow());
    boolean drift = false;
    for (int i = 0; i < channels; i++) {
      double mean = stats.residualMean[i];
      double variance = stats.residualVar[i];
      double delta = ((double) actual[i] - predicted[i]) - mean;
      if (k > 1 && !held) {
        double z =
            delta
                / Math.max(
                    AnomalyDetector.MIN_ERROR_STD, Math.sqrt(variance * inflation(stats, i)));
        z = Math.max(-most, Math.min(most, z));
        double up = Math.max(0, stats.driftUp[i] + z - slack);
        double down = Math.max(0, stats.driftDown[i] - z - slack);
        drift |= up > limit || down > limit;
        stats.driftUp[i] = (float) up;
        stats.driftDown[i] = (float) down;
      }
      if (k > 1) {
        double lagged = delta * stats.residualLast[i];
        stats.residualCov[i] = toFloat((1 - weight) * stats.residualCov[i] + weight * lagged);
      }
      stats.residualLast[i] = toFloat(delta);
      stats.residualMean[i] = toFloat(mean + weight * delta);
      stats.residualVar[i] = toFloat((1 - weight) * (variance + weight * delta * delta));
    }
    if (drift || held) {
      restart(stats);
    }
    return drift;
  }

  /** Starts every drift sum of the key again from 0; what the statistics learnt is kept. */
  static void restart(ScoreStats stats) {
    Arrays.fill(stats.driftUp, 0);
    Arrays.fill(stats.driftDown, 0);
  }

  /**
   * How much a channel's residuals, correlated from one event to the next with coefficient ρ (the
   * lag-one covariance over the variance, taken in [0, {@value #MAX_CORRELATION}]), widen a sum
   * over many events: (1 + ρ) / (1 − ρ), the ratio of its variance to that of as many independent
   * residuals.
   */
  private static double inflation(ScoreStats stats, int channel) {
    double variance = stats.residualVar[channel];
    double rho = variance > 0 ? stats.residualCov[channel] / variance : 0;
    rho = Math.max(0, Math.min(MAX_CORRELATION, rho));
    return (1 + rho) / (1 - rho);
  }

  /**
   * A statistic as a float, clamped to the floats' range: an extreme residual must not leave an
   * infinity that no later event could wear down.
   */
  private static float toFloat(double value) {
    return (float) Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, value));
  }
}
