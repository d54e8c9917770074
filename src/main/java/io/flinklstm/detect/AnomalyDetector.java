package io.flinklstm.detect;

/**
 * Turns a key's prediction errors into an anomaly likelihood and a flag.
 *
 * <p>Three stages, all per key and all in {@link ScoreStats}:
 *
 * <ol>
 *   <li>The raw score says how unusual this error is for this key: Φ((e − μₑ) / σₑ), with μₑ and σₑ
 *       the running mean and deviation of the key's past errors (the current error is added after
 *       it is judged).
 *   <li>The anomaly likelihood compares the recent mean of raw scores with their long-run
 *       distribution: Φ((m̃ − μᵣ) / σₘ), where σₘ is the spread of such a mean under the long-run
 *       distribution, following Numenta's anomaly likelihood (Ahmad et al., "Unsupervised real-time
 *       anomaly detection for streaming data", Neurocomputing 2017). A single noisy error moves it
 *       little; a run of surprising errors moves it a lot.
 *   <li>The flag is raised when the likelihood reaches the threshold and the key has seen more than
 *       the warm-up number of events.
 * </ol>
 *
 * <p>Running moments are exponentially weighted with weight 1/window, and an exact running mean
 * while fewer events than the window have been seen, so early values are not biased towards zero.
 * Allocation-free; thread-safe (it holds only the configuration).
 */
public final class AnomalyDetector {
  /** Floors on the deviations, so a perfectly predictable key does not divide by zero. */
  private static final double MIN_ERROR_STD = 1e-4;

  private static final double MIN_SCORE_STD = 1e-3;

  private final DetectorConfig config;
  private final double shortMeanVarianceFactor;

  public AnomalyDetector(DetectorConfig config) {
    this.config = config;
    // An exponentially weighted mean with weight a of independent values of variance s² has
    // variance s² · a / (2 − a): the recent mean is judged against its own spread, not a single
    // raw score's.
    double a = 1.0 / config.shortWindow();
    this.shortMeanVarianceFactor = a / (2 - a);
  }

  public DetectorConfig config() {
    return config;
  }

  /** Scores one error against the key's statistics, then updates them with it. */
  public void score(ScoreStats stats, double error, Score out) {
    double errorStd = Math.max(MIN_ERROR_STD, Math.sqrt(stats.errorVar));
    double raw = stats.seen == 0 ? 0.5 : Gaussian.cdf((error - stats.errorMean) / errorStd);
    stats.seen++;
    long n = stats.seen;

    double shortWeight = weight(n, config.shortWindow());
    stats.shortMean += shortWeight * (raw - stats.shortMean);
    double scoreStd = Math.max(MIN_SCORE_STD, Math.sqrt(stats.longVar * shortMeanVarianceFactor));
    double likelihood = n == 1 ? 0.5 : Gaussian.cdf((stats.shortMean - stats.longMean) / scoreStd);

    double longDelta = raw - stats.longMean;
    double longWeight = weight(n, config.longWindow());
    stats.longMean += longWeight * longDelta;
    stats.longVar = (1 - longWeight) * (stats.longVar + longWeight * longDelta * longDelta);

    double errorDelta = error - stats.errorMean;
    double errorWeight = weight(n, config.errorWindow());
    stats.errorMean += errorWeight * errorDelta;
    stats.errorVar = (1 - errorWeight) * (stats.errorVar + errorWeight * errorDelta * errorDelta);

    out.error = error;
    out.rawScore = raw;
    out.likelihood = likelihood;
    out.warmingUp = n <= config.warmupEvents();
    out.anomaly = !out.warmingUp && likelihood >= config.threshold();
  }

  /** 1/n while fewer than {@code window} events were seen (an exact mean), 1/window after. */
  private static double weight(long n, int window) {
    return 1.0 / Math.min(n, window);
  }

  /** Root mean square difference of the first {@code size} values, in normalised units. */
  public static double predictionError(float[] predicted, float[] actual, int size) {
    double sum = 0;
    for (int i = 0; i < size; i++) {
      double d = (double) predicted[i] - actual[i];
      sum += d * d;
    }
    return Math.sqrt(sum / size);
  }
}
