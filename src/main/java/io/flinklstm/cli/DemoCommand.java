package io.flinklstm.cli;

import io.flinklstm.demo.DatasetConfig;
import io.flinklstm.demo.DemoResult;
import io.flinklstm.demo.DemoRun;
import io.flinklstm.demo.DemoSettings;
import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.job.ColdStartPolicy;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.job.SwapPolicy;
import io.flinklstm.local.LocalPipeline;
import io.flinklstm.local.LocalPipelineConfig;
import io.flinklstm.train.TrainerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flink-lstm demo}: the whole product on one machine in a few minutes. An embedded Kafka
 * broker (or {@code --bootstrap-servers}), the scoring job on a local Flink cluster, the training
 * sidecar, and a replay of the built-in synthetic dataset; then an HTML report of what was found.
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
          + " depend on the machine's speed."
    })
final class DemoCommand implements Callable<Integer> {

  private static final Duration MIN_REPLAY = Duration.ofSeconds(10);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--bootstrap-servers",
      description = "Use this Kafka instead of starting an embedded broker.")
  String bootstrapServers;

  @Option(
      names = "--out",
      defaultValue = "demo-report",
      description = "Directory the report (index.html) is written to (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--keys",
      defaultValue = "24",
      description = "Keys (series) in the dataset (default: ${DEFAULT-VALUE}).")
  int keys;

  @Option(
      names = "--channels",
      defaultValue = "3",
      description = "Values per event, 2 to 4 (default: ${DEFAULT-VALUE}).")
  int channels;

  @Option(
      names = "--events-per-key",
      defaultValue = "1800",
      description = "Events per key: 30 minutes apart, so 48 a day (default: ${DEFAULT-VALUE}).")
  int eventsPerKey;

  @Option(
      names = "--warmup-events",
      defaultValue = "800",
      description =
          "Leading events of every key without anomalies, while the first model is trained and"
              + " the detector learns each key (default: ${DEFAULT-VALUE}).")
  int warmupEvents;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the dataset (default: ${DEFAULT-VALUE}).")
  long seed;

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
      defaultValue = "0.9995",
      description = "Anomaly likelihood at which an event is flagged (default: ${DEFAULT-VALUE}).")
  double threshold;

  @Option(
      names = "--detector-warmup",
      defaultValue = "800",
      description = "Events per key before any flag (default: ${DEFAULT-VALUE}).")
  int detectorWarmup;

  @Option(
      names = "--error-window",
      defaultValue = "100",
      description =
          "Memory, in events, of each key's error statistics (default: ${DEFAULT-VALUE}).")
  int errorWindow;

  @Option(
      names = "--short-window",
      defaultValue = "3",
      description = "Events in the recent mean of raw scores (default: ${DEFAULT-VALUE}).")
  int shortWindow;

  @Option(
      names = "--long-window",
      defaultValue = "300",
      description =
          "Memory, in events, of the raw scores' distribution (default: ${DEFAULT-VALUE}).")
  int longWindow;

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
      defaultValue = "300",
      description = "Optimiser updates per training round (default: ${DEFAULT-VALUE}).")
  int stepsPerRound;

  @Option(
      names = "--train-every-events",
      defaultValue = "0",
      description =
          "A training round after this many new events; 0 for 400 per key (default:"
              + " ${DEFAULT-VALUE}).")
  long trainEveryEvents;

  @Option(
      names = "--tolerance-events",
      defaultValue = "6",
      description =
          "A flag this many events after an anomaly's end still finds it (default: ${DEFAULT-VALUE}).")
  int toleranceEvents;

  @Option(
      names = "--work-dir",
      description =
          "Where the broker's log, checkpoints and sidecar state go (default: a temporary directory).")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    PrintWriter console = spec.commandLine().getOut();
    DatasetConfig data =
        DatasetConfig.DEFAULTS
            .withKeys(keys)
            .withChannels(channels)
            .withEvents(eventsPerKey, warmupEvents)
            .withSeed(seed);
    if (rate < 0 || Double.isNaN(rate)) {
      throw usage("--rate must not be negative, was " + rate);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw usage("--duration must be positive, was " + duration);
    }
    if (toleranceEvents < 0) {
      throw usage("--tolerance-events must not be negative, was " + toleranceEvents);
    }
    DetectorConfig detector =
        new DetectorConfig(detectorWarmup, errorWindow, shortWindow, longWindow, threshold);
    Path work = workDir != null ? workDir : Files.createTempDirectory("flink-lstm-demo");
    LocalPipelineConfig pipeline =
        LocalPipelineConfig.builder(work, channels)
            .bootstrapServers(bootstrapServers)
            .scoring(
                ScoringConfig.builder("default")
                    .detector(detector)
                    .swapPolicy(SwapPolicy.REWARM)
                    .coldStart(coldStart, eventsPerKey)
                    .build())
            .trainer(
                TrainerConfig.builder()
                    .hiddenSize(hidden)
                    .window(48)
                    .burnIn(16)
                    .batchSize(32)
                    .learningRate(3e-3)
                    .steps(stepsPerRound)
                    .build())
            .trainEvery(trainEveryEvents > 0 ? trainEveryEvents : 400L * keys, Duration.ZERO)
            .build();
    console.printf(
        Locale.ROOT,
        "flink-lstm demo: %d keys × %d events (%d channels), %s, Flink parallelism %d%n",
        keys,
        eventsPerKey,
        channels,
        bootstrapServers == null ? "embedded Kafka" : "Kafka at " + bootstrapServers,
        pipeline.parallelism());
    console.flush();
    DemoResult result;
    long t0 = System.nanoTime();
    try (LocalPipeline running = LocalPipeline.start(pipeline)) {
      console.printf(
          Locale.ROOT,
          "broker, job and sidecar up in %.1f s; replaying at %s%n",
          (System.nanoTime() - t0) / 1e9,
          rate == 0 ? "full speed" : String.format(Locale.ROOT, "%.0f events/s", rate));
      console.flush();
      // The time limit covers the start-up too; the replay gets what is left, at least a little.
      Duration left = duration.minusNanos(System.nanoTime() - t0);
      DemoSettings settings =
          new DemoSettings(
              data,
              rate,
              left.compareTo(MIN_REPLAY) < 0 ? MIN_REPLAY : left,
              toleranceEvents,
              hidden,
              stepsPerRound);
      result = new DemoRun(running, settings, console, System.console() != null).run();
      t0 = System.nanoTime();
    } finally {
      if (workDir == null) {
        deleteTree(work);
      }
    }
    console.printf(Locale.ROOT, "stopped in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    Path report = out.resolve("index.html");
    result.writeReport(report);
    console.printf(Locale.ROOT, "%s%n", result.headline());
    console.printf("report: %s%n", report.toAbsolutePath());
    return 0;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
