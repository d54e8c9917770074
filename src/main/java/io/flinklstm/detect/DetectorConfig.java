package io.flinklstm.detect;

/**
 * How prediction errors become anomaly flags; one configuration for every key of a job. {@link
 * AnomalyDetector} says what each setting does; {@link #DEFAULTS} are what the job, the demo and
 * {@code evaluate} run unless told otherwise.
 *
 * @param warmupEvents events per key before any flag is raised (its statistics are still learning)
 * @param settleEvents a key's first events whose errors are left out of its statistics: a fresh
 *     recurrent state predicts poorly until it has seen some history, and those errors say nothing
 *     about the key; at most {@code warmupEvents}
 * @param errorWindow the effective memory, in events, of a key's running error mean and variance
 * @param rawScoreZ the error z-score (against the key's running error statistics) at which the raw
 *     score reaches 1; errors at or below the key's mean score 0
 * @param shortWindow the raw scores averaged into the recent mean, a moving average
 * @param longWindow the effective memory, in events, of the long-run distribution of that recent
 *     mean
 * @param threshold a key is flagged when its anomaly likelihood reaches this value, in (0, 1)
 * @param edgeTrigger whether only the first event of a run at or above the threshold is flagged;
 *     the rest of the run is reported at half the threshold's log-likelihood
 * @param quietEvents after a flag, the key's next this many events raise no flag and report a
 *     confidence of 0; 0 for none
 * @param rangeTolerance a value that leaves the key's running range [min, max] by more than this
 *     fraction of max − min is an anomaly of its own, whatever the prediction; negative turns the
 *     rule off
 * @param stuckRun a channel that has repeated exactly the same value for more than this many
 *     events, and for more than twice as long as it ever did before, is an anomaly of its own (a
 *     stuck sensor); 0 turns the rule off
 * @param driftLimit the drift rule's limit on a channel's cumulative residual drift, in running
 *     deviations (plus ln D for D channels); 0 turns the rule off
 * @param driftSlack the drift a channel's residuals may show per event without adding to its sums,
 *     in running deviations
 * @param driftWindow the effective memory, in events, of the residual statistics
 * @param driftHold after a flag, the key's drift sums stay at 0 for this many events
 * @param feedbackRaises how many analysts' false positives on a key may raise its likelihood
 *     threshold at once, each by one more nine (its tail divided by 10); 0 ignores false positives
 * @param feedbackMemory how long, in the key's events, a false positive counts: the rule that
 *     raised it stays muted for the key that long, and one raise of the threshold is dropped each
 *     time the key goes that long without another false positive
 * @param timeOfDayLimit the time-of-day rule's limit on how far, summed over events, a channel's
 *     values stay from the usual level of their hour, in that hour's deviations (plus ln D for D
 *     channels); 0 turns the rule off
 * @param timeOfDayMaxValues keys of more values than this get no time-of-day rule: its statistics
 *     cost 48 × (4 + 8 D) bytes per key (240 for one value, 3.3 KB for eight)
 * @param timeOfDayZone the time zone whose hours and weekends the time-of-day rule follows
 */
public record DetectorConfig(
    int warmupEvents,
    int settleEvents,
    int errorWindow,
    double rawScoreZ,
    int shortWindow,
    int longWindow,
    double threshold,
    boolean edgeTrigger,
    int quietEvents,
    double rangeTolerance,
    int stuckRun,
    double driftLimit,
    double driftSlack,
    int driftWindow,
    int driftHold,
    int feedbackRaises,
    int feedbackMemory,
    double timeOfDayLimit,
    int timeOfDayMaxValues,
    String timeOfDayZone)
    implements java.io.Serializable {

  /**
   * Defaults that suit minute-level metrics: a warm-up of 200 events of which the first half settle
   * (as Numenta's likelihood spends half its probationary period learning and half estimating), a
   * ten-event recent mean judged against about two thousand events of its own history, Numenta's
   * red-zone edge trigger, no quiet period, HTM's 5% range tolerance, a stuck value after ten
   * repeats, and a drift of 10 deviations beyond a slack of half a deviation per event, against
   * residual statistics of about 500 events, held for 50 events after a flag; up to three raises of
   * the threshold by analysts' false positives, each counting for 2,000 events (the long window: as
   * long as the detector's memory of what is usual for the key).
   */
  public static final DetectorConfig DEFAULTS = builder().build();

  public DetectorConfig {
    requireAtLeast("--warmup-events", warmupEvents, 0);
    requireAtLeast("--settle-events", settleEvents, 0);
    if (settleEvents > warmupEvents) {
      throw new IllegalArgumentException(
          "--settle-events ("
              + settleEvents
              + ") must not exceed --warmup-events ("
              + warmupEvents
              + ")");
    }
    requireAtLeast("--error-window", errorWindow, 2);
    if (!(rawScoreZ > 0) || !Double.isFinite(rawScoreZ)) {
      throw new IllegalArgumentException(
          "--raw-score-z must be positive and finite, was " + rawScoreZ);
    }
    requireAtLeast("--short-window", shortWindow, 1);
    requireAtLeast("--long-window", longWindow, 2);
    if (shortWindow >= longWindow) {
      throw new IllegalArgumentException(
          "--short-window ("
              + shortWindow
              + ") must be smaller than --long-window ("
              + longWindow
              + ")");
    }
    if (!(threshold > 0.0 && threshold < 1.0)) {
      throw new IllegalArgumentException("--threshold must lie in (0, 1), was " + threshold);
    }
    requireAtLeast("--quiet-events", quietEvents, 0);
    if (Double.isNaN(rangeTolerance) || Double.isInfinite(rangeTolerance)) {
      throw new IllegalArgumentException(
          "--range-tolerance must be finite (negative turns the rule off), was " + rangeTolerance);
    }
    requireAtLeast("--stuck-run", stuckRun, 0);
    if (!(driftLimit >= 0) || Double.isInfinite(driftLimit)) {
      throw new IllegalArgumentException(
          "--drift-limit must be finite and at least 0 (0 turns the rule off), was " + driftLimit);
    }
    if (!(driftSlack >= 0) || Double.isInfinite(driftSlack)) {
      throw new IllegalArgumentException(
          "--drift-slack must be finite and at least 0, was " + driftSlack);
    }
    requireAtLeast("--drift-window", driftWindow, 2);
    requireAtLeast("--drift-hold", driftHold, 0);
    requireAtLeast("--feedback-raises", feedbackRaises, 0);
    if (feedbackRaises > MAX_FEEDBACK_RAISES) {
      throw new IllegalArgumentException(
          "--feedback-raises must be at most "
              + MAX_FEEDBACK_RAISES
              + " (a tail of 1e-"
              + MAX_FEEDBACK_RAISES
              + " times the threshold's), was "
              + feedbackRaises);
    }
    requireAtLeast("--feedback-memory", feedbackMemory, 1);
    if (!(timeOfDayLimit >= 0) || Double.isInfinite(timeOfDayLimit)) {
      throw new IllegalArgumentException(
          "--time-of-day-limit must be finite and at least 0 (0 turns the rule off), was "
              + timeOfDayLimit);
    }
    requireAtLeast("--time-of-day-max-values", timeOfDayMaxValues, 0);
    try {
      java.time.ZoneId.of(timeOfDayZone);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--time-of-day-zone '" + timeOfDayZone + "' is not a time zone: " + e.getMessage());
    }
  }

  /** The most raises of the threshold a configuration may allow. */
  public static final int MAX_FEEDBACK_RAISES = 9;

  /** Settling for half the warm-up (rounded down), never negative. */
  public static int defaultSettleEvents(int warmupEvents) {
    return Math.max(0, warmupEvents) / 2;
  }

  /** Whether the out-of-range rule is on. */
  public boolean rangeRule() {
    return rangeTolerance >= 0;
  }

  /** Whether the time-of-day rule judges a key of {@code values} values. */
  public boolean timeOfDayRule(int values) {
    return timeOfDayLimit > 0 && values <= timeOfDayMaxValues;
  }

  /** Whether the drift rule is on. */
  public boolean driftRule() {
    return driftLimit > 0;
  }

  /** The tail probability 1 − threshold at or below which an event is in the red zone. */
  public double redTail() {
    return 1.0 - threshold;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder()
        .warmupEvents(warmupEvents)
        .settleEvents(settleEvents)
        .errorWindow(errorWindow)
        .rawScoreZ(rawScoreZ)
        .shortWindow(shortWindow)
        .longWindow(longWindow)
        .threshold(threshold)
        .edgeTrigger(edgeTrigger)
        .quietEvents(quietEvents)
        .rangeTolerance(rangeTolerance)
        .stuckRun(stuckRun)
        .driftLimit(driftLimit)
        .driftSlack(driftSlack)
        .driftWindow(driftWindow)
        .driftHold(driftHold)
        .feedbackRaises(feedbackRaises)
        .feedbackMemory(feedbackMemory)
        .timeOfDayLimit(timeOfDayLimit)
        .timeOfDayMaxValues(timeOfDayMaxValues)
        .timeOfDayZone(timeOfDayZone);
  }

  private static void requireAtLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
    }
  }

  /**
   * Builds a {@link DetectorConfig}; unset fields keep their defaults, and the settling period
   * follows the warm-up (half of it) unless set.
   */
  public static final class Builder {
    private int warmupEvents = 200;
    private int settleEvents = -1;
    private int errorWindow = 1000;
    private double rawScoreZ = 4;
    private int shortWindow = 10;
    private int longWindow = 2000;
    private double threshold = 0.9999;
    private boolean edgeTrigger = true;
    private int quietEvents;
    private double rangeTolerance = 0.05;
    private int stuckRun = 10;
    private double driftLimit = 10;
    private double driftSlack = 0.5;
    private int driftWindow = 500;
    private int driftHold = 50;
    private int feedbackRaises = 3;
    private int feedbackMemory = 2000;
    private double timeOfDayLimit = 20;
    private int timeOfDayMaxValues = 2;
    private String timeOfDayZone = "UTC";

    private Builder() {}

    public Builder warmupEvents(int events) {
      this.warmupEvents = events;
      return this;
    }

    /** Negative: half the warm-up. */
    public Builder settleEvents(int events) {
      this.settleEvents = events;
      return this;
    }

    public Builder errorWindow(int events) {
      this.errorWindow = events;
      return this;
    }

    public Builder rawScoreZ(double z) {
      this.rawScoreZ = z;
      return this;
    }

    public Builder shortWindow(int events) {
      this.shortWindow = events;
      return this;
    }

    public Builder longWindow(int events) {
      this.longWindow = events;
      return this;
    }

    public Builder threshold(double likelihood) {
      this.threshold = likelihood;
      return this;
    }

    public Builder edgeTrigger(boolean on) {
      this.edgeTrigger = on;
      return this;
    }

    public Builder quietEvents(int events) {
      this.quietEvents = events;
      return this;
    }

    /** Negative turns the out-of-range rule off. */
    public Builder rangeTolerance(double fraction) {
      this.rangeTolerance = fraction;
      return this;
    }

    /** 0 turns the stuck-value rule off. */
    public Builder stuckRun(int events) {
      this.stuckRun = events;
      return this;
    }

    /** 0 turns the drift rule off. */
    public Builder driftLimit(double deviations) {
      this.driftLimit = deviations;
      return this;
    }

    public Builder driftSlack(double deviations) {
      this.driftSlack = deviations;
      return this;
    }

    public Builder driftWindow(int events) {
      this.driftWindow = events;
      return this;
    }

    public Builder driftHold(int events) {
      this.driftHold = events;
      return this;
    }

    /** 0 ignores analysts' false positives. */
    public Builder feedbackRaises(int raises) {
      this.feedbackRaises = raises;
      return this;
    }

    public Builder feedbackMemory(int events) {
      this.feedbackMemory = events;
      return this;
    }

    /** 0 turns the time-of-day rule off. */
    public Builder timeOfDayLimit(double deviations) {
      this.timeOfDayLimit = deviations;
      return this;
    }

    public Builder timeOfDayMaxValues(int values) {
      this.timeOfDayMaxValues = values;
      return this;
    }

    public Builder timeOfDayZone(String zone) {
      this.timeOfDayZone = zone;
      return this;
    }

    public DetectorConfig build() {
      return new DetectorConfig(
          warmupEvents,
          settleEvents < 0 ? defaultSettleEvents(warmupEvents) : settleEvents,
          errorWindow,
          rawScoreZ,
          shortWindow,
          longWindow,
          threshold,
          edgeTrigger,
          quietEvents,
          rangeTolerance,
          stuckRun,
          driftLimit,
          driftSlack,
          driftWindow,
          driftHold,
          feedbackRaises,
          feedbackMemory,
          timeOfDayLimit,
          timeOfDayMaxValues,
          timeOfDayZone);
    }
  }
}
