package io.flinklstm.cli;

import io.flinklstm.detect.DetectorConfig;
import picocli.CommandLine.Option;

/**
 * The detector's options, shared by {@code job} and {@code evaluate} so an evaluation runs exactly
 * what a job would; every default is {@link DetectorConfig#DEFAULTS}'.
 */
final class DetectorOptions {
  private static final DetectorConfig DEFAULTS = DetectorConfig.DEFAULTS;

  @Option(
      names = "--warmup-events",
      description = "Events per key before any anomaly flag (default: ${DEFAULT-VALUE}).")
  int warmup = DEFAULTS.warmupEvents();

  @Option(
      names = "--settle-events",
      defaultValue = "-1",
      description =
          "A key's first events whose errors stay out of its error statistics (a fresh state"
              + " predicts poorly), and as many after its state restarts (--max-gap, swap policy"
              + " reset); at most --warmup-events (default: half of --warmup-events).")
  int settleEvents;

  @Option(
      names = "--error-window",
      description =
          "Memory, in events, of each key's error statistics (default: ${DEFAULT-VALUE}).")
  int errorWindow = DEFAULTS.errorWindow();

  @Option(
      names = "--raw-score-z",
      description =
          "The error z-score, against the key's error statistics, at which an event's raw score"
              + " reaches 1; errors at or below the key's mean score 0 (default: ${DEFAULT-VALUE}).")
  double rawScoreZ = DEFAULTS.rawScoreZ();

  @Option(
      names = "--short-window",
      description = "Raw scores in the recent mean, a moving average (default: ${DEFAULT-VALUE}).")
  int shortWindow = DEFAULTS.shortWindow();

  @Option(
      names = "--long-window",
      description =
          "Memory, in events, of the long-run distribution of that recent mean (default: ${DEFAULT-VALUE}).")
  int longWindow = DEFAULTS.longWindow();

  @Option(
      names = "--threshold",
      description = "Anomaly likelihood at which an event is flagged (default: ${DEFAULT-VALUE}).")
  double threshold = DEFAULTS.threshold();

  @Option(
      names = "--edge-trigger",
      negatable = true,
      description =
          "Flag only the first event of a run at or above the threshold, so one incident is one"
              + " alert; --no-edge-trigger flags every such event (default: ${DEFAULT-VALUE}).")
  boolean edgeTrigger = DEFAULTS.edgeTrigger();

  @Option(
      names = "--quiet-events",
      description =
          "After a flag, a key's next this many events raise no flag; 0 for none (default:"
              + " ${DEFAULT-VALUE}).")
  int quietEvents = DEFAULTS.quietEvents();

  @Option(
      names = "--range-tolerance",
      description =
          "A value that leaves its key's running range [min, max] by more than this fraction of"
              + " max - min is flagged whatever the prediction (times 1 + ln D for D values per"
              + " event); negative turns the rule off (default: ${DEFAULT-VALUE}).")
  double rangeTolerance = DEFAULTS.rangeTolerance();

  @Option(
      names = "--stuck-run",
      description =
          "A channel that repeats exactly the same value for more than this many events, and for"
              + " more than twice its longest run before, is flagged as stuck; 0 turns the rule off"
              + " (default: ${DEFAULT-VALUE}).")
  int stuckRun = DEFAULTS.stuckRun();

  @Option(
      names = "--drift-limit",
      description =
          "A channel whose prediction residuals drift to one side by a cumulative sum of more than"
              + " this many of their running deviations (plus ln D for D values per event), beyond"
              + " --drift-slack per event, is flagged whatever its errors: a level shift or ramp the"
              + " model follows a step behind; 0 turns the rule off (default: ${DEFAULT-VALUE}).")
  double driftLimit = DEFAULTS.driftLimit();

  @Option(
      names = "--drift-slack",
      description =
          "The drift, in running deviations, a residual may show each event before it counts"
              + " towards --drift-limit (default: ${DEFAULT-VALUE}).")
  double driftSlack = DEFAULTS.driftSlack();

  @Option(
      names = "--drift-window",
      description =
          "Memory, in events, of each channel's residual mean and deviation for the drift rule"
              + " (default: ${DEFAULT-VALUE}).")
  int driftWindow = DEFAULTS.driftWindow();

  @Option(
      names = "--drift-hold",
      description =
          "After any flag of a key, its drift rule stays silent for this many events, so a drift"
              + " inside an incident already raised adds no alarm of its own (default:"
              + " ${DEFAULT-VALUE}).")
  int driftHold = DEFAULTS.driftHold();

  @Option(
      names = "--feedback-raises",
      description =
          "How many analysts' false positives on a key may raise its threshold at once, each by"
              + " one more nine (the tail divided by 10); each also mutes the rule that raised the"
              + " flag (range, stuck, drift, symbol) for --feedback-memory events; 0 ignores false"
              + " positives (default: ${DEFAULT-VALUE}).")
  int feedbackRaises = DEFAULTS.feedbackRaises();

  @Option(
      names = "--feedback-memory",
      description =
          "How long, in the key's events, a false positive counts: its rule stays muted that long,"
              + " and one raise of the threshold is dropped each time the key goes that long"
              + " without another (default: ${DEFAULT-VALUE}).")
  int feedbackMemory = DEFAULTS.feedbackMemory();

  @Option(
      names = "--time-of-day-limit",
      description =
          "The time-of-day rule: a channel whose values stay away from their hour's usual level"
              + " (per hour of a weekday and of a weekend day) by more than this many deviations,"
              + " summed over events beyond the drift slack, is flagged once; keys without a daily"
              + " pattern are left out; 0 turns it off (default: ${DEFAULT-VALUE}).")
  double timeOfDayLimit = DEFAULTS.timeOfDayLimit();

  @Option(
      names = "--time-of-day-max-values",
      description =
          "Keys of more values than this get no time-of-day rule, whose statistics cost"
              + " 48 x (4 + 8 D) bytes of state per key of D values (default: ${DEFAULT-VALUE}).")
  int timeOfDayMaxValues = DEFAULTS.timeOfDayMaxValues();

  @Option(
      names = "--time-of-day-zone",
      description =
          "The time zone whose hours and weekends the time-of-day rule follows (default:"
              + " ${DEFAULT-VALUE}).")
  String timeOfDayZone = DEFAULTS.timeOfDayZone();

  /** The detector these options describe; fails naming the option when one is out of range. */
  DetectorConfig config() {
    return DetectorConfig.builder()
        .warmupEvents(warmup)
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
        .timeOfDayZone(timeOfDayZone)
        .build();
  }
}
