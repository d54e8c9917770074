package io.flinklstm.cli;

import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.evaluate.NabScorer;
import io.flinklstm.job.ColdStartPolicy;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.local.LocalPipelineConfig;
import io.flinklstm.local.NabEvaluation;
import io.flinklstm.wire.KafkaClientProperties;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flink-lstm evaluate}: the real pipeline (Kafka, the scoring job on a local Flink cluster,
 * the training sidecar) over a labelled NAB corpus, NAB's three scores printed last.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run the whole pipeline over a labelled folder in NAB layout and print its NAB scores.",
      "--nab-root holds data/<category>/<file>.csv and labels/combined_windows.json. Every file"
          + " is a key. Under the shared protocol all keys share one model that the sidecar"
          + " learns online; under the isolated protocol every file is its own model name with a"
          + " sidecar of its own. Values are sent as they are (the job and the sidecar scale each"
          + " key by its own statistics, learnt online), the job scores with the naive forecast"
          + " until a model beats it, and rounds are triggered by event counts, so two runs give"
          + " the same scores. Writes timestamp,value,anomaly_score,label,error,flagged_by per file"
          + " under --out; the anomaly score is the job's graded confidence. Prints one line per"
          + " protocol and profile: standard, reward_low_FP_rate, reward_low_FN_rate."
    })
final class EvaluateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--nab-root",
      required = true,
      paramLabel = "DIR",
      description = "Folder with data/ and labels/combined_windows.json.")
  Path nabRoot;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Where the result CSVs go, in the layout of data/.")
  Path out;

  @Option(
      names = "--bootstrap-servers",
      description =
          "An existing Kafka to use (topics with a unique prefix are created); default: an"
              + " embedded broker.")
  String bootstrapServers;

  @Mixin KafkaOptions kafka;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "Broker log, checkpoints and sidecar state; default: a temporary folder, deleted after.")
  Path workDir;

  @Option(
      names = "--train-every-events",
      defaultValue = "5000",
      description = "A training round after this many events (default: ${DEFAULT-VALUE}).")
  long trainEveryEvents;

  @Option(
      names = "--steps-per-round",
      defaultValue = "200",
      description = "Optimiser updates per round (default: ${DEFAULT-VALUE}).")
  long stepsPerRound;

  @Mixin GateOptions gate;

  @Mixin ScalingOptions scaling;

  @Mixin TimeOptions time;

  @Option(
      names = "--skip-flagged",
      description =
          "As the sidecar's --skip-flagged: training leaves out windows holding events the job"
              + " flagged.")
  boolean skipFlagged;

  @Option(
      names = "--protocol",
      defaultValue = "BOTH",
      description =
          "shared: one model name, every file a key of it (the product's way); isolated: every"
              + " file its own model name with a sidecar of its own (as NAB scores detectors);"
              + " both, one after the other, the results under --out/shared and --out/isolated"
              + " (${COMPLETION-CANDIDATES}; default: ${DEFAULT-VALUE}).")
  ProtocolChoice protocol;

  @Option(
      names = "--isolated-round-rows",
      defaultValue = "1000",
      description =
          "Under the isolated protocol, each file's sidecar trains a round after every this many"
              + " of its rows (default: ${DEFAULT-VALUE}).")
  int isolatedRoundRows;

  @Mixin DetectorOptions detection;

  @Option(
      names = "--step-timeout",
      defaultValue = "10min",
      converter = DurationConverter.class,
      description =
          "Longest wait for one chunk's scores, one round or one model swap (default: ${DEFAULT-VALUE}).")
  Duration stepTimeout;

  @Mixin TrainingOptions training;

  @Override
  public Integer call() throws Exception {
    training.validate();
    if (trainEveryEvents < 1) {
      throw usage("--train-every-events must be at least 1, was " + trainEveryEvents);
    }
    if (stepsPerRound < 1) {
      throw usage("--steps-per-round must be at least 1, was " + stepsPerRound);
    }
    if (isolatedRoundRows < 1) {
      throw usage("--isolated-round-rows must be at least 1, was " + isolatedRoundRows);
    }
    DetectorConfig detector = detection.config();
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    KafkaClientProperties kafkaProperties = kafka.clientProperties(System.err);
    for (NabEvaluation.Protocol p : protocol.protocols()) {
      long started = System.nanoTime();
      Path protocolOut =
          protocol == ProtocolChoice.BOTH ? out.resolve(p.name().toLowerCase()) : out;
      NabEvaluation.Outcome outcome;
      try (WorkDir work = WorkDir.of(workDir, "flink-lstm-evaluate")) {
        LocalPipelineConfig config =
            LocalPipelineConfig.builder(work.path(), 1)
                .kafka(bootstrapServers, "nab-" + p.name().toLowerCase())
                .kafkaProperties(kafkaProperties)
                .checkpointInterval(Duration.ofMillis(500))
                .scoring(
                    ScoringConfig.builder("nab")
                        .detector(detector)
                        .coldStart(ColdStartPolicy.NAIVE, 1000)
                        .build())
                .trainer(training.builder().steps(stepsPerRound).build())
                .gateMargin(gate.gateMargin)
                .naiveMargin(gate.naiveMargin)
                .skipFlagged(skipFlagged)
                .scaling(scaling.scaling())
                .time(time.time())
                .trainEvery(trainEveryEvents, Duration.ZERO)
                .holdRoundsUntilScored(true)
                .build();
        outcome =
            new NabEvaluation(config, p, isolatedRoundRows, stepTimeout, stderr)
                .run(nabRoot, protocolOut);
      }
      stdout.printf(
          "evaluated protocol=%s files=%d rounds=%d model_version=%d seconds=%d out=%s%n",
          p.name().toLowerCase(),
          outcome.files().size(),
          outcome.rounds(),
          outcome.finalVersion(),
          (System.nanoTime() - started) / 1_000_000_000L,
          protocolOut);
      for (NabScorer.Result r : outcome.results()) {
        stdout.println(NabEvaluation.line(p, r));
      }
      stdout.flush();
    }
    return 0;
  }

  /** Which protocols a run evaluates. */
  enum ProtocolChoice {
    SHARED(NabEvaluation.Protocol.SHARED),
    ISOLATED(NabEvaluation.Protocol.ISOLATED),
    BOTH(NabEvaluation.Protocol.SHARED, NabEvaluation.Protocol.ISOLATED);

    private final List<NabEvaluation.Protocol> protocols;

    ProtocolChoice(NabEvaluation.Protocol... protocols) {
      this.protocols = List.of(protocols);
    }

    List<NabEvaluation.Protocol> protocols() {
      return protocols;
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
