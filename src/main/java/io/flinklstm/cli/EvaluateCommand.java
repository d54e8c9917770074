package io.flinklstm.cli;

import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.evaluate.NabScorer;
import io.flinklstm.job.ColdStartPolicy;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.local.LocalPipelineConfig;
import io.flinklstm.local.NabEvaluation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
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
          + " is a key, all keys share one model that the sidecar learns online, values are"
          + " standardised per key with statistics frozen after NAB's probationary period, and"
          + " rounds are triggered by event counts, so two runs give the same scores. Writes"
          + " timestamp,value,anomaly_score,label per file under --out; the anomaly score is the"
          + " job's log-likelihood where the job flagged the row, else 0, so NAB scores the alerts"
          + " a user of the job gets. Prints one line per profile: standard, reward_low_FP_rate,"
          + " reward_low_FN_rate."
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

  @Option(
      names = "--gate-margin",
      defaultValue = "0.0",
      description =
          "Publish when validation loss <= (1 + M) x the current model's (default: ${DEFAULT-VALUE}).")
  double gateMargin;

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
    DetectorConfig detector = detection.config();
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    long started = System.nanoTime();
    NabEvaluation.Outcome outcome;
    try (WorkDir work = WorkDir.of(workDir, "flink-lstm-evaluate")) {
      LocalPipelineConfig config =
          LocalPipelineConfig.builder(work.path(), 1)
              .kafka(bootstrapServers, "nab")
              .checkpointInterval(Duration.ofMillis(500))
              .scoring(
                  ScoringConfig.builder("nab")
                      .detector(detector)
                      .coldStart(ColdStartPolicy.PASS_THROUGH, 1000)
                      .build())
              .trainer(training.builder().steps(stepsPerRound).build())
              .gateMargin(gateMargin)
              .trainEvery(trainEveryEvents, Duration.ZERO)
              .holdRoundsUntilScored(true)
              .build();
      outcome = new NabEvaluation(config, stepTimeout, stderr).run(nabRoot, out);
    }
    stdout.printf(
        "evaluated files=%d rounds=%d model_version=%d seconds=%d out=%s%n",
        outcome.files().size(),
        outcome.rounds(),
        outcome.finalVersion(),
        (System.nanoTime() - started) / 1_000_000_000L,
        out);
    for (NabScorer.Result r : outcome.results()) {
      stdout.println(NabEvaluation.line(r));
    }
    stdout.flush();
    return 0;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
