package io.flinklstm.detect;

/**
 * Turns a key's prediction errors into an anomaly likelihood and a flag.
 *
 * <p>Per key and all in {@link ScoreStats}, after Numenta's anomaly likelihood (Ahmad et al.,
 * "Unsupervised real-time anomaly detection for streaming data", Neurocomputing 2017):
 *
 * <ol>
 *   <li>The key's first {@link DetectorConfig#settleEvents} errors are left out: a fresh recurrent
 *       state predicts poorly, and those errors would inflate the key's statistics for long after.
 *       So are the errors of as many events after the state starts afresh later ({@link #restart}),
 *       and those events count as warming up.
 *   <li>The raw score says how unusual this error is for this key: Φ((e − μₑ) / σₑ), with μₑ and σₑ
 *       the running mean and deviation of the key's past errors (the current error is added after
 *       it is judged).
 *   <li>The recent mean m of raw scores (over the short window) is compared with the long-run
 *       distribution of that same recent mean, as Numenta compares its averaged score with the
 *       distribution of averaged scores: the likelihood is Φ((m − μₘ) / σₘ), with μₘ and σₘ the
 *       running mean and deviation of the key's past recent means. Measuring σₘ on the recent means
 *       themselves, rather than deriving it from the raw scores' spread, keeps it right when raw
 *       scores are correlated from one event to the next, as prediction errors are. A single noisy
 *       error moves the likelihood little; a run of surprising errors moves it a lot.
 *   <li>A single error far outside the key's history is an anomaly of its own, which the recent
 *       mean dilutes, so the likelihood is the larger of the recent mean's and the single error's.
 *       The single error is judged by its own distribution: an error of D values is the root mean
 *       square of D differences, so D · e² / s², with s² the key's running mean square error,
 *       follows χ²(D) when the differences are independent and normal (numeric events only; a
 *       symbol's surprise is judged per event by {@link SymbolJudge}).
 *   <li>The log-likelihood log(1 − likelihood) / log(10⁻¹⁰), capped at 1, keeps values near 1 apart
 *       (0.3 at a likelihood of 0.999, 0.5 at 0.99999, 1 from 1 − 10⁻¹⁰ on); the tail 1 −
 *       likelihood is computed directly, so it does not round to 0.
 *   <li>The flag is raised when the likelihood reaches the threshold, the key has seen more than
 *       the warm-up number of events, and its last flag is more than {@link
 *       DetectorConfig#quietEvents} events back.
 * </ol>
 *
 * <p>Running moments are exponentially weighted with weight 1/window, and an exact running mean
 * while fewer values than the window have been seen, so early values are not biased towards zero.
 * Allocation-free; thread-safe (it holds only the configuration).
 */
public final class AnomalyDetector {
  /** Floor on the error deviation, so a perfectly predictable key does not divide by zero. */
  static final double MIN_ERROR_STD = 1e-4;

  /** The variance of a raw score uniform on [0, 1]. */
  private static final double UNIFORM_VARIANCE = 1.0 / 12;

  /** The tail probability at which the log-likelihood reaches 1. */
  static final double LOG_FLOOR = 1e-10;

  private final DetectorConfig config;
  private final double minRecentStd;

  public AnomalyDetector(DetectorConfig config) {
    this.config = config;
    // When the errors follow the key's running normal, raw scores are uniform on [0, 1]; an
    // exponentially weighted mean with weight a of independent such scores has variance
    // (1/12) · a / (2 − a). Scores correlated from one event to the next only widen that spread, so
    // it is the floor of the measured one, which keeps a key whose recent means have barely moved
    // yet (a young key, or a very regular one) from being flagged for a small change.
    double a = 1.0 / config.shortWindow();
    this.minRecentStd = Math.sqrt(UNIFORM_VARIANCE * a / (2 - a));
  }

  public DetectorConfig config() {
    return config;
  }

  /**
   * Scores one error against the key's statistics, then updates them with it.
   *
   * @param error the root mean square of the prediction's {@code dimension} differences, as {@link
   *     #predictionError}
   * @param dimension values per event, at least 1: the degrees of freedom of the single-error test
   */
  public void score(ScoreStats stats, double error, int dimension, Score out) {
    judge(stats, error, Math.max(1, dimension), out);
  }

  /**
   * Scores a symbol's surprise like an error, but on the recent mean alone: a single symbol's
   * surprise is judged by {@link SymbolJudge} and the minimum probability, per event.
   */
  public void scoreSurprise(ScoreStats stats, double surprise, Score out) {
    judge(stats, surprise, 0, out);
  }

  /**
   * Tells the statistics that the key's recurrent state starts afresh (a gap in its events, a model
   * swapped in from zero): its next {@link DetectorConfig#settleEvents} errors stay out of them and
   * raise no flag, as its first ones did. What the statistics learnt so far is kept.
   */
  public void restart(ScoreStats stats) {
    stats.settleUntil = stats.seen + config.settleEvents();
  }

  /** Scores and updates; {@code dimension} 0 leaves the single-error test out. */
  private void judge(ScoreStats stats, double error, int dimension, Score out) {
    stats.seen++;
    long n = stats.seen;
    out.error = error;
    boolean settling = n <= stats.settleUntil;
    out.warmingUp = n <= config.warmupEvents() || settling;
    // The number of errors in the statistics once this one is added (an upper bound after a
    // restart, which only makes the running moments forget a little faster while it is small).
    long k = n - config.settleEvents();
    if (k <= 0 || settling) {
      out.rawScore = 0.5;
      setLikelihood(0.5, out);
      out.anomaly = false;
      return;
    }
    double errorZ =
        k == 1 ? 0 : (error - stats.errorMean) / Math.max(MIN_ERROR_STD, Math.sqrt(stats.errorVar));
    double raw = Gaussian.cdf(errorZ);
    double singleTail = dimension == 0 || k == 1 ? 1.0 : singleErrorTail(error, dimension, stats);
    stats.shortMean += weight(k, config.shortWindow()) * (raw - stats.shortMean);
    double tail =
        k == 1
            ? 0.5
            : Gaussian.upperTail(
                (stats.shortMean - stats.longMean)
                    / Math.max(minRecentStd, Math.sqrt(stats.longVar)));

    double longDelta = stats.shortMean - stats.longMean;
    double longWeight = weight(k, config.longWindow());
    stats.longMean += longWeight * longDelta;
    stats.longVar = (1 - longWeight) * (stats.longVar + longWeight * longDelta * longDelta);

    double errorDelta = error - stats.errorMean;
    double errorWeight = weight(k, config.errorWindow());
    stats.errorMean += errorWeight * errorDelta;
    stats.errorVar = (1 - errorWeight) * (stats.errorVar + errorWeight * errorDelta * errorDelta);

    out.rawScore = raw;
    // A single error far outside the key's history is an anomaly of its own, which a recent mean
    // dilutes: the likelihood takes the smaller of the two tails.
    setLikelihood(Math.min(tail, singleTail), out);
    boolean quiet = stats.lastFlag > 0 && n - stats.lastFlag <= config.quietEvents();
    out.anomaly = !out.warmingUp && !quiet && out.likelihood >= config.threshold();
    if (out.anomaly) {
      stats.lastFlag = n;
    }
  }

  /**
   * How improbable one error is on its own. An error is the root mean square of {@code dimension}
   * differences; if they were independent normal with the key's mean square error s² (running, over
   * the error window), dimension · error² / s² would follow χ²(dimension). Judging the error by its
   * own skewed distribution rather than by a normal fitted to errors keeps ordinary large errors
   * from looking like rare ones.
   */
  private static double singleErrorTail(double error, int dimension, ScoreStats stats) {
    double meanSquare =
        Math.max(MIN_ERROR_STD * MIN_ERROR_STD, stats.errorVar + stats.errorMean * stats.errorMean);
    return ChiSquare.upperTail(dimension * error * error / meanSquare, dimension);
  }

  private static void setLikelihood(double tail, Score out) {
    out.likelihood = 1.0 - tail;
    out.logLikelihood = logLikelihood(tail);
  }

  /**
   * log(tail) / log(10⁻¹⁰) clamped to [0, 1], where tail = 1 − likelihood: 0 for a tail of 1, 1 for
   * a tail of 10⁻¹⁰ or less.
   */
  static double logLikelihood(double tail) {
    if (!(tail > LOG_FLOOR)) {
      return 1.0;
    }
    return Math.max(0.0, Math.log(tail) / Math.log(LOG_FLOOR));
  }

  /** 1/n while fewer than {@code window} values were seen (an exact mean), 1/window after. */
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
