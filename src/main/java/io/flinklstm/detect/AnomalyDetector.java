package io.flinklstm.detect;

/**
 * Turns a key's prediction errors into an anomaly likelihood, a graded confidence and a flag.
 *
 * <p>Per key and all in {@link ScoreStats}, after Numenta's anomaly likelihood (Ahmad et al.,
 * "Unsupervised real-time anomaly detection for streaming data", Neurocomputing 2017), with the
 * alarm discipline of the streaming detectors that do best on the Numenta Anomaly Benchmark:
 *
 * <ol>
 *   <li><b>Settling.</b> The key's first {@link DetectorConfig#settleEvents} errors are left out: a
 *       fresh recurrent state predicts poorly, and those errors would inflate the key's statistics
 *       for long after. So are the errors of as many events after the state starts afresh later
 *       ({@link #restart}), and those events count as warming up.
 *   <li><b>Raw score.</b> How unusual this error is for this key: clip(z / {@link
 *       DetectorConfig#rawScoreZ}, 0, 1), with z = (e − μₑ) / σₑ against the running mean and
 *       deviation of the key's past errors. The current error joins them after it is judged, with
 *       the slow decay of the error window, so an anomaly does not raise its own baseline at once.
 *       Ordinary errors score 0, which is what lets a few surprising ones stand out. (A symbol's
 *       surprise is scored differently: see {@link #scoreSurprise}.)
 *   <li><b>Recent mean.</b> The moving average m of the last {@link DetectorConfig#shortWindow} raw
 *       scores.
 *   <li><b>Likelihood.</b> m is judged against the long-run distribution of m itself (running mean
 *       μₘ and variance σₘ² over the long window, updated after): the tail is Q((m − μₘ') / σₘ')
 *       with Numenta's floors μₘ' = max(μₘ, {@value #MEAN_FLOOR}) and σₘ'² = max(σₘ², {@value
 *       #VARIANCE_FLOOR}), which keep a key whose raw scores have been almost always 0 from being
 *       flagged for the slightest blip. The likelihood is 1 − tail.
 *   <li><b>Flat keys.</b> A key whose values have never changed has nothing to be surprised by: its
 *       tail is 0.5, so it is never flagged by the likelihood or the drift rule (numeric events).
 *   <li><b>Edge trigger.</b> An event is in the red zone when its likelihood reaches {@link
 *       DetectorConfig#threshold}. With {@link DetectorConfig#edgeTrigger}, only the first event of
 *       a run in the red zone is flagged; the others report a tail of √(1 − threshold), half the
 *       threshold's log-likelihood, as Numenta's red-zone filter reports them in its yellow zone.
 *   <li><b>Out of range.</b> A value that leaves its channel's running (causal) range [min, max] by
 *       more than {@link DetectorConfig#rangeTolerance} × (max − min) is an anomaly of its own,
 *       whatever the prediction: prediction errors adapt to a level shift faster than a user would
 *       like, and a value beyond everything the key has shown is what an operator wants to hear of.
 *       With D values per event the tolerance is multiplied by 1 + ln D, so a key of many noisy
 *       channels is not flagged for the chance extreme of one. Channels whose range is still empty
 *       (max = min) never trigger it. The range includes the event after it is judged.
 *   <li><b>Stuck values.</b> A channel that has carried exactly the same value for more than {@link
 *       DetectorConfig#stuckRun} events in a row, and for more than twice its longest such run
 *       before, is an anomaly of its own, once per run: a stuck sensor, which a model that predicts
 *       the channel's usual level finds barely surprising.
 *   <li><b>Drift.</b> Per channel, the residual r = value − prediction (in the model's units) is
 *       standardised against its own running mean and deviation (over {@link
 *       DetectorConfig#driftWindow} events, updated after), the deviation widened by √((1 + ρ) / (1
 *       − ρ)) for the residuals' lag-one correlation ρ (a model's residuals wander in runs on a
 *       smooth series, and a sum of correlated residuals spreads that much wider than one of
 *       independent ones), and Page's cumulative sums S⁺ = max(0, S⁺ + z − k) and S⁻ = max(0, S⁻ −
 *       z − k) collect what it drifts to either side beyond the slack k = {@link
 *       DetectorConfig#driftSlack}. A sum beyond the limit h = {@link DetectorConfig#driftLimit} +
 *       ln D is an anomaly of its own, and every sum of the key starts again from 0: a level shift
 *       or a slow ramp that the model follows a step behind, which leaves each error ordinary but
 *       the residuals all on one side. Each event adds at most h / 2, so a drift takes at least
 *       three events and a lone spike is left to the likelihood; the ln D keeps a key of many
 *       channels from drifting by chance more often than a key of one. For {@link
 *       DetectorConfig#driftHold} events after any flag of the key the sums stay at 0, so a drift
 *       inside an incident already raised adds no alarm; so they do while the key is flat. Sums
 *       that pass the limit while the key warms up or is quiet start again silently.
 *   <li><b>Time of day.</b> Per channel, the key's usual level for each hour of a weekday and of a
 *       weekend day (in {@link DetectorConfig#timeOfDayZone}) is learnt as a running mean and
 *       deviation per hour, and Page's cumulative sums collect how far each value stays from its
 *       hour's level, in that hour's deviations (floored at 2% of the channel's range) beyond the
 *       drift slack. A sum that crosses the limit {@link DetectorConfig#timeOfDayLimit} + ln D is
 *       an anomaly of its own: the daily peak that does not come, a weekday that looks like a
 *       Sunday, values each within the key's range and each close to the last. A sum must come back
 *       to 0 before it flags again (it is capped at twice the limit), so a lasting change is one
 *       alarm. The rule judges once the key has two days of history and the hour has three values,
 *       and only channels whose hours differ (the variance of the hours' levels at least half their
 *       mean variance), so a key without a daily pattern is never flagged by it; it raises no flag
 *       while the key warms up or within the drift hold after a flag. It needs the event's time
 *       ({@link #score(ScoreStats, float[], float[], float[], long, Score)}), and keys of more than
 *       {@link DetectorConfig#timeOfDayMaxValues} values are left out of it.
 *   <li><b>Analysts' false positives.</b> A verdict that a flag of the key was false ({@link
 *       #falsePositive}) raises the key's threshold by one nine (its red tail divided by 10), up to
 *       {@link DetectorConfig#feedbackRaises} raises at once, and mutes the rules that raised that
 *       flag (range, stuck value, drift, time of day, symbol; the likelihood is raised, not muted)
 *       for the key's next {@link DetectorConfig#feedbackMemory} events. One raise is dropped each
 *       time the key goes that many events without another false positive, so the key returns to
 *       the configured threshold. A key remembers its last {@value #FLAG_MEMORY} flags for
 *       verdicts.
 *   <li><b>Flag and confidence.</b> The flag is raised by the likelihood (after the edge trigger),
 *       the range, stuck-value, drift or time-of-day rule, once the key has seen more than the
 *       warm-up number of events and its last flag is more than {@link DetectorConfig#quietEvents}
 *       events back. The confidence is a graded version for threshold searches: the log-likelihood
 *       of the reported tail, 1 when a rule fires, and 0 while warming up or quiet.
 * </ol>
 *
 * <p>The log-likelihood is log(tail) / log(10⁻¹⁰), capped at 1: 0.3 at a likelihood of 0.999, 0.4
 * at 0.9999, 1 from 1 − 10⁻¹⁰ on; the tail is computed directly, so it does not round to 0. Running
 * moments are exponentially weighted with weight 1/window, and an exact running mean while fewer
 * values than the window have been seen, so early values are not biased towards zero. Every number
 * in a score is finite for any finite error. Allocation-free once a key's arrays are sized;
 * thread-safe (it holds only the configuration).
 */
public final class AnomalyDetector {
  /** Floor on the error deviation, so a perfectly predictable key does not divide by zero. */
  static final double MIN_ERROR_STD = 1e-4;

  /** Numenta's floor on the mean of the recent means. */
  static final double MEAN_FLOOR = 0.03;

  /** Numenta's floor on the variance of the recent means. */
  static final double VARIANCE_FLOOR = 3e-4;

  /** The tail probability at which the log-likelihood reaches 1. */
  static final double LOG_FLOOR = 1e-10;

  /** An event time the caller does not know: the time-of-day rule does not judge it. */
  public static final long UNKNOWN_TIME = Long.MIN_VALUE;

  /** How many of a key's last flags a verdict can name. */
  public static final int FLAG_MEMORY = 16;

  private final DetectorConfig config;

  /** The red tail, and a run's reported tail, for each number of raises (index 0: none). */
  private final double[] redTails;

  private final double[] runTails;
  private final double surpriseVarianceFloor;
  private final DriftRule driftRule;
  private final TimeOfDayRule timeOfDayRule;

  public AnomalyDetector(DetectorConfig config) {
    this.config = config;
    // Φ(z) of an ordinary surprise is uniform on [0, 1]: its moving average over W events has
    // variance 1 / (12 W), the least spread a key's recent means can honestly be expected to show.
    this.surpriseVarianceFloor = 1.0 / (12.0 * config.shortWindow());
    this.driftRule = new DriftRule(config);
    this.timeOfDayRule = new TimeOfDayRule(config);
    this.redTails = new double[config.feedbackRaises() + 1];
    this.runTails = new double[redTails.length];
    for (int raises = 0; raises < redTails.length; raises++) {
      redTails[raises] = config.redTail() * Math.pow(10, -raises);
      runTails[raises] = Math.sqrt(redTails[raises]);
    }
  }

  /**
   * Scores one numeric event's prediction against the key's statistics, then updates them with it.
   * Its error is the root mean square of the differences ({@link #predictionError}).
   *
   * @param predicted what the model predicted for the event's values, in the model's units; at
   *     least as many as the event has values (more are ignored, such as time inputs)
   * @param actual the event's values in the model's units, as many
   * @param values the event's values in raw units, for the out-of-range and stuck-value rules and
   *     the flat-key guard; the key's per-channel arrays are sized to them on its first event
   */
  public void score(
      ScoreStats stats, float[] predicted, float[] actual, float[] values, Score out) {
    score(stats, predicted, actual, values, UNKNOWN_TIME, out);
  }

  /**
   * As {@link #score(ScoreStats, float[], float[], float[], Score)}, for an event at {@code ts}
   * (epoch milliseconds), which the time-of-day rule needs; {@link #UNKNOWN_TIME} leaves that rule
   * out.
   */
  public void score(
      ScoreStats stats, float[] predicted, float[] actual, float[] values, long ts, Score out) {
    int channels = values.length;
    boolean stuck = judgeRepeats(stats, values);
    boolean timeOfDay =
        ts != UNKNOWN_TIME
            && config.timeOfDayRule(channels)
            && timeOfDayRule.judge(stats, values, ts, quietForRules(stats));
    boolean outOfRange = judgeRange(stats, values) && config.rangeRule();
    double error = predictionError(predicted, actual, channels);
    judge(
        stats,
        error,
        predicted,
        actual,
        channels,
        outOfRange,
        stuck,
        timeOfDay,
        isFlat(stats),
        out);
  }

  /**
   * Whether the key's next event may raise no flag of the time-of-day rule: it is warming up, no
   * value of it has ever changed, or it was flagged within {@link DetectorConfig#driftHold} events.
   */
  private boolean quietForRules(ScoreStats stats) {
    long n = stats.seen + 1;
    return n <= config.warmupEvents()
        || isFlat(stats)
        || flaggedWithin(stats, n, config.driftHold());
  }

  /**
   * Scores a symbol's surprise like an error, but calibrated for runs: a single symbol's surprise
   * is judged by {@link SymbolJudge} and the minimum probability, per event, so here the raw score
   * is Φ(z), uniform on [0, 1] for a key whose surprises are ordinary, and the recent mean is
   * judged with no mean floor and the variance floor of a moving average of uniform scores, 1 / (12
   * · short window). One surprising symbol then moves the likelihood little, a run of them a lot.
   * There is no range rule.
   */
  public void scoreSurprise(ScoreStats stats, double surprise, Score out) {
    judge(stats, surprise, null, null, 0, false, false, false, false, out);
  }

  /**
   * Tells the statistics that the key's recurrent state starts afresh (a gap in its events, a model
   * swapped in from zero): its next {@link DetectorConfig#settleEvents} errors stay out of them and
   * raise no flag, as its first ones did, and its drift sums start again from 0. What the
   * statistics learnt so far is kept.
   */
  public void restart(ScoreStats stats) {
    stats.settleUntil = stats.seen + config.settleEvents();
    DriftRule.restart(stats);
  }

  /**
   * Judges an error (or with no prediction, a symbol's surprise) and updates the statistics; the
   * drift rule reads the first {@code channels} of the prediction and the values.
   */
  private void judge(
      ScoreStats stats,
      double error,
      float[] predicted,
      float[] actual,
      int channels,
      boolean outOfRange,
      boolean stuck,
      boolean timeOfDay,
      boolean flat,
      Score out) {
    boolean surprise = predicted == null;
    stats.seen++;
    long n = stats.seen;
    out.error = error;
    boolean settling = n <= stats.settleUntil;
    out.warmingUp = n <= config.warmupEvents() || settling;
    out.outOfRange = false;
    out.stuck = false;
    out.drift = false;
    out.timeOfDay = false;
    out.likelihoodFlag = false;
    // The number of errors in the statistics once this one is added (an upper bound after a
    // restart, which only makes the running moments forget a little faster while it is small).
    long k = n - config.settleEvents();
    if (k <= 0 || settling) {
      out.rawScore = 0;
      setLikelihood(0.5, out);
      out.confidence = 0;
      out.anomaly = false;
      stats.inRedZone = false;
      return;
    }
    double z =
        k == 1 ? 0 : (error - stats.errorMean) / Math.max(MIN_ERROR_STD, Math.sqrt(stats.errorVar));
    double raw = surprise ? Gaussian.cdf(z) : Math.max(0, Math.min(1, z / config.rawScoreZ()));
    double recent = pushRecent(stats, raw);
    double tail =
        flat || k == 1
            ? 0.5
            : surprise
                ? recentMeanTail(stats, recent, 0, surpriseVarianceFloor)
                : recentMeanTail(stats, recent, MEAN_FLOOR, VARIANCE_FLOOR);

    double longDelta = recent - stats.longMean;
    double longWeight = weight(k, config.longWindow());
    stats.longMean += longWeight * longDelta;
    stats.longVar = (1 - longWeight) * (stats.longVar + longWeight * longDelta * longDelta);
    double errorDelta = error - stats.errorMean;
    double errorWeight = weight(k, config.errorWindow());
    stats.errorMean += errorWeight * errorDelta;
    stats.errorVar = (1 - errorWeight) * (stats.errorVar + errorWeight * errorDelta * errorDelta);
    boolean held = flat || flaggedWithin(stats, n, config.driftHold());
    boolean drift =
        !surprise
            && config.driftRule()
            && driftRule.judge(stats, predicted, actual, channels, k, held);

    out.rawScore = raw;
    setLikelihood(tail, out);
    int raises = raisesAt(stats, n);
    boolean red = tail <= redTails[raises];
    boolean continuesRun = config.edgeTrigger() && red && stats.inRedZone;
    stats.inRedZone = red;
    double reported = continuesRun ? Math.max(tail, runTails[raises]) : tail;
    outOfRange &= !muted(stats, Score.RULE_RANGE);
    stuck &= !muted(stats, Score.RULE_STUCK);
    drift &= !muted(stats, Score.RULE_DRIFT);
    timeOfDay &= !muted(stats, Score.RULE_TIME_OF_DAY);
    boolean ruleFires = outOfRange || stuck || drift || timeOfDay;
    boolean quiet = flaggedWithin(stats, n, config.quietEvents());
    if (out.warmingUp || quiet) {
      out.confidence = 0;
      out.anomaly = false;
      return;
    }
    out.outOfRange = outOfRange;
    out.stuck = stuck;
    out.drift = drift;
    out.timeOfDay = timeOfDay;
    out.likelihoodFlag = red && !continuesRun;
    out.confidence = ruleFires ? 1.0 : logLikelihood(reported);
    out.anomaly = ruleFires || out.likelihoodFlag;
    if (out.anomaly) {
      stats.lastFlag = n;
    }
  }

  /**
   * Remembers a flagged event of the key, its time and what raised it ({@code Score.RULE_} bits),
   * for a verdict that may come later; the oldest of {@value #FLAG_MEMORY} is forgotten.
   */
  public static void rememberFlag(ScoreStats stats, long ts, int rules) {
    if (stats.flagTimes.length < FLAG_MEMORY) {
      stats.flagTimes = java.util.Arrays.copyOf(stats.flagTimes, stats.flagTimes.length + 1);
      stats.flagRules = java.util.Arrays.copyOf(stats.flagRules, stats.flagRules.length + 1);
      stats.flagNext = stats.flagTimes.length - 1;
    }
    stats.flagTimes[stats.flagNext] = ts;
    stats.flagRules[stats.flagNext] = (byte) rules;
    stats.flagNext = (stats.flagNext + 1) % FLAG_MEMORY;
  }

  /**
   * Applies an analyst's verdict that the key's flagged event at {@code ts} was normal: one more
   * raise of the key's threshold (up to {@link DetectorConfig#feedbackRaises}), and the rules that
   * raised the flag muted for the key's next {@link DetectorConfig#feedbackMemory} events. A second
   * verdict on the same event changes nothing more.
   *
   * @return false, changing nothing, when the key remembers no flag at {@code ts} (never flagged,
   *     already judged false, or older than its last {@value #FLAG_MEMORY} flags), or when the
   *     configuration allows no raise (it ignores false positives)
   */
  public boolean falsePositive(ScoreStats stats, long ts) {
    if (config.feedbackRaises() == 0) {
      return false;
    }
    int i = flagIndex(stats, ts);
    if (i < 0 || stats.flagRules[i] == 0) {
      return false;
    }
    int rules = stats.flagRules[i];
    stats.flagRules[i] = 0;
    stats.raises = Math.min(config.feedbackRaises(), raisesAt(stats, stats.seen) + 1);
    stats.raisedAt = stats.seen;
    stats.mutedRules =
        (stats.seen <= stats.mutedUntil ? stats.mutedRules : 0) | (rules & ~Score.RULE_LIKELIHOOD);
    stats.mutedUntil = stats.seen + config.feedbackMemory();
    return true;
  }

  /** Whether the key remembers a flag of its event at {@code ts}, judged or not. */
  public static boolean remembersFlag(ScoreStats stats, long ts) {
    return flagIndex(stats, ts) >= 0;
  }

  /** The slot of the key's remembered flag at {@code ts}, or -1. */
  private static int flagIndex(ScoreStats stats, long ts) {
    for (int i = 0; i < stats.flagTimes.length; i++) {
      if (stats.flagTimes[i] == ts) {
        return i;
      }
    }
    return -1;
  }

  /** Whether the key's event {@code n} comes at most {@code events} after its last flag. */
  private static boolean flaggedWithin(ScoreStats stats, long n, int events) {
    return stats.lastFlag > 0 && n - stats.lastFlag <= events;
  }

  /**
   * Whether an analyst's false positive mutes the rule ({@code Score.RULE_} bit) for the key now;
   * asked after the key's event was scored.
   */
  public boolean muted(ScoreStats stats, int rule) {
    return (stats.mutedRules & rule) != 0 && stats.seen <= stats.mutedUntil;
  }

  /**
   * The raises of the key's threshold at its event {@code n}, after dropping one for each {@link
   * DetectorConfig#feedbackMemory} events gone by without a false positive.
   */
  private int raisesAt(ScoreStats stats, long n) {
    while (stats.raises > 0 && n - stats.raisedAt > config.feedbackMemory()) {
      stats.raises--;
      stats.raisedAt += config.feedbackMemory();
    }
    return Math.min(stats.raises, config.feedbackRaises());
  }

  /** Adds a raw score to the key's ring of recent ones; returns their mean. */
  private double pushRecent(ScoreStats stats, double raw) {
    int window = config.shortWindow();
    if (stats.recent.length != window) {
      stats.recent = new double[window];
      stats.recentNext = 0;
      stats.recentCount = 0;
    }
    stats.recent[stats.recentNext] = raw;
    stats.recentNext = (stats.recentNext + 1) % window;
    stats.recentCount = Math.min(window, stats.recentCount + 1);
    double sum = 0;
    for (int i = 0; i < stats.recentCount; i++) {
      sum += stats.recent[i];
    }
    stats.shortMean = sum / stats.recentCount;
    return stats.shortMean;
  }

  /** Q of the recent mean against the floored long-run distribution of recent means. */
  private static double recentMeanTail(
      ScoreStats stats, double recent, double meanFloor, double varianceFloor) {
    double mean = Math.max(meanFloor, stats.longMean);
    double std = Math.sqrt(Math.max(varianceFloor, stats.longVar));
    return Gaussian.upperTail((recent - mean) / std);
  }

  /**
   * Whether any value leaves its channel's range by more than the tolerance; then widens the range
   * to the values. The first event only sizes the range.
   */
  private boolean judgeRange(ScoreStats stats, float[] values) {
    int d = values.length;
    if (stats.rangeMin.length != d) {
      stats.rangeMin = values.clone();
      stats.rangeMax = values.clone();
      return false;
    }
    double tolerance = config.rangeTolerance() * (1 + Math.log(d));
    boolean outside = false;
    for (int i = 0; i < d; i++) {
      float v = values[i];
      float min = stats.rangeMin[i];
      float max = stats.rangeMax[i];
      double margin = tolerance * ((double) max - min);
      if (max > min && (v > max + margin || v < min - margin)) {
        outside = true;
      }
      if (v < min) {
        stats.rangeMin[i] = v;
      }
      if (v > max) {
        stats.rangeMax[i] = v;
      }
    }
    return outside;
  }

  /**
   * Whether a channel has just repeated its value for more than {@link DetectorConfig#stuckRun}
   * events and for more than twice its longest run before (a stuck sensor); counts the runs. A run
   * is judged once, when it first passes the limit.
   */
  private boolean judgeRepeats(ScoreStats stats, float[] values) {
    int d = values.length;
    if (stats.lastValues.length != d) {
      stats.lastValues = values.clone();
      stats.repeats = new int[d];
      stats.longestRepeats = new int[d];
      return false;
    }
    boolean stuck = false;
    for (int i = 0; i < d; i++) {
      if (Float.compare(values[i], stats.lastValues[i]) == 0) {
        stats.repeats[i]++;
        int limit = Math.max(config.stuckRun(), 2 * stats.longestRepeats[i]);
        stuck |= config.stuckRun() > 0 && stats.repeats[i] == limit + 1;
      } else {
        stats.longestRepeats[i] = Math.max(stats.longestRepeats[i], stats.repeats[i]);
        stats.repeats[i] = 0;
        stats.lastValues[i] = values[i];
      }
    }
    return stuck;
  }

  /** Whether no channel of the key has ever changed its value. */
  private static boolean isFlat(ScoreStats stats) {
    for (int i = 0; i < stats.rangeMin.length; i++) {
      if (stats.rangeMax[i] > stats.rangeMin[i]) {
        return false;
      }
    }
    return true;
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
  static double weight(long n, int window) {
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
