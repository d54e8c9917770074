package io.flinklstm.cli;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.SequenceModel;
import io.flinklstm.model.Vocabulary;
import io.flinklstm.model.format.ModelKeys;
import io.flinklstm.sidecar.CategoricalLearner;
import io.flinklstm.sidecar.CategoricalLearnerConfig;
import io.flinklstm.sidecar.ContinualLearner;
import io.flinklstm.sidecar.Learner;
import io.flinklstm.sidecar.Sidecar;
import io.flinklstm.sidecar.SidecarConfig;
import io.flinklstm.train.ContinualTrainer;
import io.flinklstm.train.SequenceStore;
import io.flinklstm.train.TrainerConfig;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flink-lstm sidecar}: the training sidecar, a separate process that learns from the events
 * topic and publishes model versions the job swaps in. Stops cleanly on SIGINT/SIGTERM.
 */
@Command(
    name = "sidecar",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Learn the model from the events topic and publish new versions to the models topic.",
      "Rounds run every --train-every-events events and/or every --train-interval; a round's"
          + " candidate is published only when the promotion gate passes it on held-out recent"
          + " data. Each decision is logged as one line of key=value pairs.",
      "With --input-kind symbols it learns a categorical (next-symbol) model from symbol events:"
          + " the vocabulary is grown from the data up to --max-vocabulary and frozen per version,"
          + " each version warm-starts from the last, and the gate compares held-out cross-entropy."
    })
final class SidecarCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "localhost:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(
      names = "--events-topic",
      defaultValue = "events",
      description = "Topic of events to learn from (default: ${DEFAULT-VALUE}).")
  String eventsTopic;

  @Option(
      names = "--models-topic",
      defaultValue = "models",
      description = "Topic model versions are published to (default: ${DEFAULT-VALUE}).")
  String modelsTopic;

  @Option(
      names = "--group-id",
      defaultValue = "flink-lstm-sidecar",
      description = "The sidecar's consumer group on the events topic (default: ${DEFAULT-VALUE}).")
  String groupId;

  @Option(
      names = "--model-name",
      defaultValue = "default",
      description = "Name of the model it trains and publishes (default: ${DEFAULT-VALUE}).")
  String modelName;

  @Option(
      names = "--default-model",
      description =
          "The job's --default-model, which scores events naming no model: the sidecar learns"
              + " from events naming --model-name, and from those naming none when the two are the"
              + " same (default: --model-name).")
  String defaultModel;

  @Option(
      names = "--input-kind",
      defaultValue = "values",
      description =
          "What the events carry and the model learns: values (a numeric model) or symbols (a categorical model); events of the other kind are skipped (default: ${DEFAULT-VALUE}).")
  InputKind inputKind;

  @Option(
      names = "--input-size",
      description =
          "Values per event, required with --input-kind values; events with another number are skipped.")
  Integer inputSize;

  @Option(
      names = "--state-dir",
      defaultValue = "sidecar-state",
      description =
          "Where the last published model is kept across restarts (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(
      names = "--transactional-id",
      description =
          "Transactional id of the model producer; one sidecar per id (default: flink-lstm-sidecar-<model name>).")
  String transactionalId;

  @Option(
      names = "--signing-key",
      description = "Ed25519 private key (PEM) to sign published models with.")
  Path signingKey;

  @Option(
      names = "--train-every-events",
      defaultValue = "20000",
      description =
          "A round is due after this many new events; 0 disables (default: ${DEFAULT-VALUE}).")
  long trainEveryEvents;

  @Option(
      names = "--train-interval",
      defaultValue = "10min",
      converter = DurationConverter.class,
      description =
          "A round is due after this long with at least --min-new-events new events; 0 disables (default: ${DEFAULT-VALUE}).")
  Duration trainInterval;

  @Option(
      names = "--min-new-events",
      defaultValue = "1000",
      description = "Fewest new events for a timed round (default: ${DEFAULT-VALUE}).")
  long minNewEvents;

  @Option(
      names = "--steps-per-round",
      defaultValue = "300",
      description = "Optimiser updates per round (default: ${DEFAULT-VALUE}).")
  long stepsPerRound;

  @Mixin GateOptions gate;

  @Mixin KafkaOptions kafkaOptions;

  @Mixin ScalingOptions scaling;

  @Mixin TimeOptions time;

  @Option(
      names = "--skip-flagged",
      description =
          "Read the job's scores (--scores-topic) and leave out of training, and of the promotion"
              + " gate's validation, every window holding an event the job flagged, so the model"
              + " does not learn what it should keep finding surprising. Off by default: on the"
              + " NAB dev set it cost 4.8 points, since a model kept from a level shift's first"
              + " events keeps being surprised by the new level.")
  boolean skipFlagged;

  @Option(
      names = "--scores-topic",
      defaultValue = "scores",
      description = "The job's scores, read with --skip-flagged (default: ${DEFAULT-VALUE}).")
  String scoresTopic;

  @Option(
      names = "--feedback-topic",
      paramLabel = "TOPIC",
      description =
          "Topic of analysts' verdicts (flink-lstm feedback), read from its start: training never"
              + " learns a window holding a confirmed anomaly, and learns a false positive's as any"
              + " other even with --skip-flagged. Default: none.")
  String feedbackTopic;

  @Option(
      names = "--steps-per-key",
      defaultValue = "4096",
      description = "Most recent events kept per key for training (default: ${DEFAULT-VALUE}).")
  int stepsPerKey;

  @Option(
      names = "--max-stored-values",
      defaultValue = "50000000",
      description =
          "Bound on stored values over all keys; the least recently updated keys are dropped beyond it (default: ${DEFAULT-VALUE}).")
  long maxStoredValues;

  @Option(
      names = "--rebuild-events",
      defaultValue = "1000000",
      description =
          "At start-up, refill the training sample from up to this many events per partition"
              + " before the consumer group's committed offsets, so a restart does not wait for a"
              + " sample's worth of new events; 0 starts empty (default: ${DEFAULT-VALUE}).")
  long rebuildEvents;

  @Mixin TrainingOptions training;

  @Mixin SymbolModelOptions symbols;

  @Override
  public Integer call() throws Exception {
    training.validate();
    if (inputKind == InputKind.VALUES && (inputSize == null || inputSize < 1)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          inputSize == null
              ? "--input-size is required with --input-kind values"
              : "--input-size must be at least 1, was " + inputSize);
    }
    if (stepsPerRound < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--steps-per-round must be at least 1, was " + stepsPerRound);
    }
    SidecarConfig config =
        new SidecarConfig(
            bootstrapServers,
            eventsTopic,
            modelsTopic,
            groupId,
            modelName,
            defaultModel != null ? defaultModel : modelName,
            stateDir,
            trainEveryEvents,
            trainInterval,
            minNewEvents,
            transactionalId != null ? transactionalId : "flink-lstm-sidecar-" + modelName,
            skipFlagged ? scoresTopic : null,
            rebuildEvents,
            kafkaOptions.clientProperties(System.err),
            feedbackTopic);
    PrivateKey key = signingKey == null ? null : ModelKeys.readPrivateKey(signingKey);
    try (Sidecar sidecar = Sidecar.connect(config, learner(), key)) {
      checkPublished(sidecar.current());
      Thread main = Thread.currentThread();
      Thread hook =
          new Thread(
              () -> {
                sidecar.stop();
                try {
                  main.join(10_000);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      Runtime.getRuntime().addShutdownHook(hook);
      sidecar.run();
    }
    return 0;
  }

  private Learner learner() {
    TrainerConfig trainer = training.builder().steps(stepsPerRound).build();
    if (inputKind == InputKind.SYMBOLS) {
      return new CategoricalLearner(
          modelName,
          new CategoricalLearnerConfig(
              trainer,
              symbols.cell,
              symbols.embeddingSize,
              symbols.maxVocabulary,
              Vocabulary.DEFAULT_UNKNOWN,
              stepsPerKey,
              maxStoredValues,
              gate.gateMargin,
              symbols.topG),
          Clock.systemUTC());
    }
    return new ContinualLearner(
        new ContinualTrainer(
            modelName,
            new SequenceStore(
                inputSize, stepsPerKey, maxStoredValues, scaling.scaling(), time.time()),
            trainer,
            gate.gate()),
        Clock.systemUTC());
  }

  /** The published model must be of the kind this sidecar learns, and take its input size. */
  private void checkPublished(SequenceModel published) {
    if (published == null) {
      return;
    }
    boolean categorical = published instanceof CategoricalModel;
    if (categorical != (inputKind == InputKind.SYMBOLS)) {
      throw new IllegalArgumentException(
          "--input-kind is "
              + inputKind.name().toLowerCase(java.util.Locale.ROOT)
              + " but the published model '"
              + modelName
              + "' is "
              + (categorical ? "categorical" : "numeric"));
    }
    if (published instanceof LstmModel numeric && numeric.inputSize() != inputSize) {
      throw new IllegalArgumentException(
          "--input-size is "
              + inputSize
              + " but the published model '"
              + modelName
              + "' takes "
              + numeric.inputSize());
    }
  }
}
