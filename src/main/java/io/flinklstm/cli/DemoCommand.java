package io.flinklstm.cli;

import io.flinklstm.demo.DatasetConfig;
import io.flinklstm.demo.DemoResult;
import io.flinklstm.demo.DemoRun;
import io.flinklstm.demo.DemoSettings;
import io.flinklstm.demo.LogKeyDemoResult;
import io.flinklstm.demo.LogKeyWorkload;
import io.flinklstm.demo.SyntheticDataset;
import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.job.ColdStartPolicy;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.local.LocalPipelineConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flink-lstm demo}: the whole product on one machine in a few minutes. An embedded Kafka
 * broker (or {@code --bootstrap-servers}), the scoring job on a local Flink cluster, the training
 * sidecar, and a replay of a built-in synthetic workload; then an HTML report of what was found.
 * The workload is numeric series by default, log keys with {@code --categorical} ({@link
 * LogKeyDemo}); options whose default differs between the two say so.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run the whole pipeline on a built-in synthetic dataset with injected anomalies and write"
          + " an HTML report.",
      "Starts an embedded Kafka broker, the scoring job on a local Flink cluster (parallelism 2)"
          + " and the training sidecar, replays the dataset, shows progress, stops by itself and"
          + " prints the report's path with precision and recall against the injected anomalies.",
      "The sidecar trains a round every --train-every-events events, the first from the"
          + " events the job holds back for want of a model (--cold-start); the replay pauses at"
          + " each round until the job serves the version it published, so the result does not"
          + " depend on the machine's speed.",
      "With --categorical the dataset is a stream of log keys instead: web, database and batch"
          + " hosts as state machines, with sessions swapped out of order, missing an event or"
          + " holding an unknown log key after a clean part; the sidecar learns a next-symbol"
          + " model (--input-kind symbols) from the clean part and the job flags by the top-g"
          + " rule, the minimum probability and the surprise's likelihood."
    })
final class DemoCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin TimeOptions time;

  @Option(
      names = "--categorical",
      description =
          "Replay the log-key workload, symbol events, through a categorical model instead of"
              + " numeric series.")
  boolean categorical;

  @Option(
      names = "--bootstrap-servers",
      description =
          "Use this Kafka instead of starting an embedded broker; the run creates topics of its"
              + " own there (demo-<run>-events, -scores, -dead-letters, -models).")
  String bootstrapServers;

  @Mixin KafkaOptions kafka;

  @Option(
      names = "--out",
      defaultValue = "demo-report",
      description = "Directory the report (index.html) is written to (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--keys",
      defaultValue = "24",
      description =
          "Keys (series) in the dataset; with --categorical hosts, a multiple of 3 (default:"
              + " ${DEFAULT-VALUE}).")
  int keys;

  @Option(
      names = "--channels",
      defaultValue = "3",
      description = "Values per event, 2 to 4; numeric only (default: ${DEFAULT-VALUE}).")
  int channels;

  @Option(
      names = "--events-per-key",
      description =
          "Events per key: 30 minutes apart, so 48 a day (default: 1800; with --categorical"
              + " 700).")
  Integer eventsPerKey;

  @Option(
      names = "--warmup-events",
      description =
          "Leading events of every key without anomalies, while the first model is trained and"
              + " the detector learns each key (default: 800; with --categorical 400, which the"
              + " first model learns from).")
  Integer warmupEvents;

  @Option(
      names = "--seed",
      description = "Seed of the dataset (default: 42; with --categorical 7).")
  Long seed;

  @Option(
      names = "--rate",
      defaultValue = "1000",
      description =
          "Events per second replayed, over all keys; 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--duration",
      defaultValue = "3min",
      converter = DurationConverter.class,
      description =
          "The longest the demo runs, start-up included; it stops earlier once every event is"
              + " scored, and reports on what was scored (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--threshold",
      description = "Anomaly likelihood at which an event is flagged (default: the job's, 0.9999).")
  Double threshold;

  @Option(
      names = "--detector-warmup",
      description = "Events per key before any flag (default: 800; with --categorical 20).")
  Integer detectorWarmup;

  @Option(
      names = "--error-window",
      description = "Memory, in events, of each key's error statistics (default: the job's, 1000).")
  Integer errorWindow;

  @Option(
      names = "--short-window",
      description = "Raw scores in the recent mean (default: the job's, 10).")
  Integer shortWindow;

  @Option(
      names = "--long-window",
      description =
          "Memory, in events, of the distribution of the recent mean (default: the job's, 2000).")
  Integer longWindow;

  @Option(
      names = "--quiet-events",
      description =
          "After a flag, a key's next this many events raise no flag (default: the job's, 0).")
  Integer quietEvents;

  @Option(
      names = "--cold-start",
      defaultValue = "BUFFER",
      description =
          "What events before the first model do: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  ColdStartPolicy coldStart;

  @Option(
      names = "--hidden",
      defaultValue = "32",
      description = "Hidden size of the LSTM the sidecar trains (default: ${DEFAULT-VALUE}).")
  int hidden;

  @Option(
      names = "--steps-per-round",
      description = "Optimiser updates per training round (default: 300; with --categorical 1500).")
  Integer stepsPerRound;

  @Option(
      names = "--train-every-events",
      defaultValue = "0",
      description =
          "A training round after this many new events; 0 for 400 per key, with --categorical"
              + " once after the clean part (default: ${DEFAULT-VALUE}).")
  long trainEveryEvents;

  @Option(
      names = "--tolerance-events",
      defaultValue = "6",
      description =
          "A flag this many events after an anomaly's end still finds it; numeric only, with"
              + " --categorical an anomaly's window already holds the event after it (default:"
              + " ${DEFAULT-VALUE}).")
  int toleranceEvents;

  @Option(
      names = "--top-g",
      defaultValue = "" + ScoringConfig.DEFAULT_TOP_G,
      description =
          "With --categorical: a symbol outside the model's g most likely is flagged (default:"
              + " ${DEFAULT-VALUE}).")
  int topG;

  @Option(
      names = "--min-probability",
      defaultValue = "0.002",
      description =
          "With --categorical: a symbol the model gave less than this probability is flagged"
              + " (default: ${DEFAULT-VALUE}).")
  double minProbability;

  @Option(
      names = "--work-dir",
      description =
          "Where the broker's log, checkpoints and sidecar state go (default: a temporary directory).")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    checkOptions();
    return categorical ? logKeys() : numeric();
  }

  private int numeric() throws Exception {
    NumericDemo demo =
        new NumericDemo(
            dataset(),
            detector(),
            coldStart,
            hidden,
            stepsPerRound(),
            trainEveryEvents,
            time.time());
    try (WorkDir work = WorkDir.of(workDir, "flink-lstm-demo")) {
      return numeric(demo, work.path());
    }
  }

  private int numeric(NumericDemo demo, Path work) throws Exception {
    PrintWriter console = spec.commandLine().getOut();
    LocalPipelineConfig pipeline =
        demo.pipeline(work, bootstrapServers, kafka.clientProperties(System.err));
    console.printf(
        Locale.ROOT,
        "flink-lstm demo: %d keys × %d events (%d channels), %s, Flink parallelism %d%n",
        keys,
        demo.data().eventsPerKey(),
        channels,
        DemoLauncher.kafka(pipeline),
        pipeline.parallelism());
    SyntheticDataset dataset = SyntheticDataset.generate(demo.data());
    DemoRun.Outcome outcome = launcher().run(pipeline, null, NumericDemo.events(dataset));
    DemoResult result =
        DemoResult.of(
            dataset,
            outcome,
            new DemoSettings(
                demo.data(), rate, duration, toleranceEvents, hidden, stepsPerRound()));
    Path report = out.resolve("index.html");
    result.writeReport(report);
    console.printf(Locale.ROOT, "%s%n", result.headline());
    console.printf("report: %s%n", report.toAbsolutePath());
    return 0;
  }

  private int logKeys() throws Exception {
    LogKeyDemo demo =
        new LogKeyDemo(
            keys,
            eventsPerKey(),
            warmupEvents(),
            or(seed, 42L, 7L),
            detector(),
            coldStart,
            topG,
            minProbability,
            hidden,
            stepsPerRound(),
            trainEveryEvents);
    try (WorkDir work = WorkDir.of(workDir, "flink-lstm-demo")) {
      return logKeys(demo, work.path());
    }
  }

  private int logKeys(LogKeyDemo demo, Path work) throws Exception {
    PrintWriter console = spec.commandLine().getOut();
    LocalPipelineConfig pipeline =
        demo.pipeline(work, bootstrapServers, kafka.clientProperties(System.err));
    console.printf(
        Locale.ROOT,
        "flink-lstm demo --categorical: %d hosts × %d log-key events (%d clean), %s, Flink"
            + " parallelism %d%n",
        demo.hosts(),
        demo.eventsPerHost(),
        demo.cleanEvents(),
        DemoLauncher.kafka(pipeline),
        pipeline.parallelism());
    LogKeyWorkload workload = demo.workload();
    DemoRun.Outcome outcome = launcher().run(pipeline, demo.learner(), workload.events());
    LogKeyDemoResult result = LogKeyDemoResult.of(workload, outcome, demo.shown(rate));
    Path report = out.resolve("index.html");
    result.writeReport(report);
    console.printf(Locale.ROOT, "%s%n", result.headline());
    console.printf(Locale.ROOT, "%s%n", result.flagLine());
    console.printf("report: %s%n", report.toAbsolutePath());
    return 0;
  }

  private DemoLauncher launcher() {
    return new DemoLauncher(rate, duration, spec.commandLine().getOut());
  }

  /** Refuses what does not fit, before anything starts. */
  private void checkOptions() {
    if (rate < 0 || Double.isNaN(rate)) {
      throw usage("--rate must not be negative, was " + rate);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw usage("--duration must be positive, was " + duration);
    }
    if (toleranceEvents < 0) {
      throw usage("--tolerance-events must not be negative, was " + toleranceEvents);
    }
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    List<String> onlyNumeric = List.of("--channels", "--tolerance-events");
    List<String> onlyCategorical = List.of("--top-g", "--min-probability");
    for (String option : categorical ? onlyNumeric : onlyCategorical) {
      if (parsed.hasMatchedOption(option)) {
        throw usage(
            option + (categorical ? " does not apply with --categorical" : " needs --categorical"));
      }
    }
    if (categorical) {
      checkLogKeyOptions();
    } else {
      dataset(); // refuses bad values before anything starts
    }
  }

  private void checkLogKeyOptions() {
    if (keys < 3 || keys % 3 != 0) {
      throw usage(
          "--keys must be a positive multiple of 3 with --categorical (web, database and batch"
              + " hosts), was "
              + keys);
    }
    int events = eventsPerKey();
    int clean = warmupEvents();
    if (clean < 1 || events <= clean) {
      throw usage(
          "--warmup-events must lie in [1, --events-per-key) with --categorical, was "
              + clean
              + " of "
              + events);
    }
    if (topG < 1) {
      throw usage("--top-g must be at least 1, was " + topG);
    }
    if (!(minProbability >= 0 && minProbability < 1)) {
      throw usage("--min-probability must lie in [0, 1), was " + minProbability);
    }
  }

  private DatasetConfig dataset() {
    return DatasetConfig.DEFAULTS
        .withKeys(keys)
        .withChannels(channels)
        .withEvents(eventsPerKey(), warmupEvents())
        .withSeed(or(seed, 42L, 7L));
  }

  private int eventsPerKey() {
    return or(eventsPerKey, 1800, 700);
  }

  private int warmupEvents() {
    return or(warmupEvents, 800, 400);
  }

  private int stepsPerRound() {
    return or(stepsPerRound, 300, 1500);
  }

  private DetectorConfig detector() {
    // The job's detector, with a warm-up that fits each dataset's clean part.
    DetectorConfig job = DetectorConfig.DEFAULTS;
    return job.toBuilder()
        .warmupEvents(or(detectorWarmup, 800, 20))
        .settleEvents(-1)
        .errorWindow(errorWindow != null ? errorWindow : job.errorWindow())
        .shortWindow(shortWindow != null ? shortWindow : job.shortWindow())
        .longWindow(longWindow != null ? longWindow : job.longWindow())
        .threshold(threshold != null ? threshold : job.threshold())
        .quietEvents(quietEvents != null ? quietEvents : job.quietEvents())
        .build();
  }

  /** The option's value when given, else the default of the kind of demo. */
  private <T> T or(T given, T numericDefault, T categoricalDefault) {
    return given != null ? given : categorical ? categoricalDefault : numericDefault;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
