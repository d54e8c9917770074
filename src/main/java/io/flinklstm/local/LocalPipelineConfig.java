package io.flinklstm.local;

import io.flinklstm.job.ColdStartPolicy;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.model.InputScaling;
import io.flinklstm.model.TimeFeatures;
import io.flinklstm.train.PromotionGate;
import io.flinklstm.train.TrainerConfig;
import io.flinklstm.wire.KafkaClientProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link LocalPipeline} needs; built with {@link #builder(Path, int)}, checked when
 * built, with messages that name the setting.
 *
 * @param workDir where the embedded broker's log, the checkpoints and the sidecar's state go
 * @param bootstrapServers an external Kafka to use, or null for an embedded broker
 * @param topics the topics, created when missing
 * @param runId distinguishes this run's consumer groups and transactional ids from earlier runs on
 *     the same broker
 * @param eventPartitions partitions of the events and scores topics when created here
 * @param parallelism the scoring job's parallelism (one TaskManager with that many slots)
 * @param checkpointInterval how often the job checkpoints and so commits its scores
 * @param scoring the job's scoring settings
 * @param sidecarModels the models a sidecar is started for, one sidecar each: by default the job's
 *     default model; every one must be among the models the job serves
 * @param inputSize values per event
 * @param trainer the sidecar's training settings, including the steps of each round
 * @param stepsPerKey most recent events per key kept for training
 * @param maxStoredValues bound on stored training values over all keys
 * @param scaling how the sidecar scales every key's values, and so the models it trains
 * @param time the time inputs the sidecar's models take after the values
 * @param gateMargin the promotion gate's margin over the current model
 * @param naiveMargin how much better than repeating the last value a model must be to be published
 * @param skipFlagged whether the sidecars read the job's scores and leave flagged events out of
 *     training
 * @param trainEveryEvents a round after this many new events; 0 disables the count trigger
 * @param trainInterval a round after this long; zero disables the time trigger
 * @param kafkaProperties the user's Kafka client properties, for every client of the run (an
 *     external Kafka that needs them)
 * @param holdRoundsUntilScored a round starts training only once every event sent so far has been
 *     read back as a score or dead letter ({@link LocalPipeline#pollScores}), so that no event is
 *     scored by a model trained on data sent after it; needs {@link ColdStartPolicy#NAIVE} or
 *     {@link ColdStartPolicy#PASS_THROUGH}, since buffered events are scored only once a model
 *     exists
 */
public record LocalPipelineConfig(
    Path workDir,
    String bootstrapServers,
    PipelineTopics topics,
    String runId,
    int eventPartitions,
    int parallelism,
    Duration checkpointInterval,
    ScoringConfig scoring,
    List<String> sidecarModels,
    int inputSize,
    TrainerConfig trainer,
    int stepsPerKey,
    long maxStoredValues,
    InputScaling scaling,
    TimeFeatures time,
    double gateMargin,
    double naiveMargin,
    boolean skipFlagged,
    long trainEveryEvents,
    Duration trainInterval,
    boolean holdRoundsUntilScored,
    KafkaClientProperties kafkaProperties) {

  public LocalPipelineConfig {
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(kafkaProperties, "kafkaProperties");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(scoring, "scoring");
    Objects.requireNonNull(trainer, "trainer");
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    Objects.requireNonNull(trainInterval, "trainInterval");
    Objects.requireNonNull(scaling, "scaling");
    Objects.requireNonNull(time, "time");
    sidecarModels =
        List.copyOf(sidecarModels.isEmpty() ? List.of(scoring.defaultModel()) : sidecarModels);
    for (String model : sidecarModels) {
      if (!scoring.models().contains(model)) {
        throw new IllegalArgumentException(
            "a sidecar trains model '" + model + "', which the job does not serve");
      }
    }
    atLeast("event partitions", eventPartitions, 1);
    atLeast("--parallelism", parallelism, 1);
    atLeast("--input-size", inputSize, 1);
    atLeast("--steps-per-key", stepsPerKey, 2);
    atLeast("--max-stored-values", maxStoredValues, inputSize);
    atLeast("--train-every-events", trainEveryEvents, 0);
    if (checkpointInterval.toMillis() < 10) {
      throw new IllegalArgumentException(
          "--checkpoint-interval must be at least 10ms, was " + checkpointInterval);
    }
    if (trainEveryEvents == 0 && (trainInterval.isZero() || trainInterval.isNegative())) {
      throw new IllegalArgumentException(
          "--train-every-events and --train-interval are both 0: the sidecar would never train");
    }
    if (holdRoundsUntilScored && scoring.coldStartPolicy() == ColdStartPolicy.BUFFER) {
      throw new IllegalArgumentException(
          "holding training rounds until every event is scored needs --cold-start NAIVE or"
              + " PASS_THROUGH: buffered events are scored only once a model exists");
    }
  }

  public static Builder builder(Path workDir, int inputSize) {
    return new Builder(workDir, inputSize);
  }

  /**
   * This configuration with the job serving {@code newScoring}'s models, a sidecar for each of
   * {@code models}, and a round after every {@code everyEvents} events of a sidecar's model.
   */
  public LocalPipelineConfig withSidecars(
      ScoringConfig newScoring, List<String> models, long everyEvents) {
    return new LocalPipelineConfig(
        workDir,
        bootstrapServers,
        topics,
        runId,
        eventPartitions,
        parallelism,
        checkpointInterval,
        newScoring,
        models,
        inputSize,
        trainer,
        stepsPerKey,
        maxStoredValues,
        scaling,
        time,
        gateMargin,
        naiveMargin,
        skipFlagged,
        everyEvents,
        trainInterval,
        holdRoundsUntilScored,
        kafkaProperties);
  }

  /** The first sidecar's model: the job's default model unless told otherwise. */
  public String modelName() {
    return sidecarModels.get(0);
  }

  private static void atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
    }
  }

  /** Builds a {@link LocalPipelineConfig}; unset settings keep their defaults. */
  public static final class Builder {
    private final Path workDir;
    private final int inputSize;
    private String bootstrapServers;
    private PipelineTopics topics = PipelineTopics.defaults();
    private String runId = Long.toString(System.currentTimeMillis(), 36);
    private int eventPartitions = 4;
    private int parallelism = 2;
    private Duration checkpointInterval = Duration.ofSeconds(1);
    private ScoringConfig scoring = ScoringConfig.defaults("default");
    private List<String> sidecarModels = List.of();
    private TrainerConfig trainer = TrainerConfig.builder().steps(300).build();
    private int stepsPerKey = 4096;
    private long maxStoredValues = 50_000_000L;
    private InputScaling scaling = InputScaling.DEFAULT;
    private TimeFeatures time = TimeFeatures.NONE;
    private double gateMargin = 0.0;
    private double naiveMargin = PromotionGate.DEFAULT_NAIVE_MARGIN;
    private boolean skipFlagged;
    private long trainEveryEvents = 20_000;
    private Duration trainInterval = Duration.ZERO;
    private boolean holdRoundsUntilScored;
    private KafkaClientProperties kafkaProperties = KafkaClientProperties.NONE;

    private Builder(Path workDir, int inputSize) {
      this.workDir = workDir;
      this.inputSize = inputSize;
    }

    /** An external Kafka; null (the default) starts an embedded broker. */
    public Builder bootstrapServers(String servers) {
      this.bootstrapServers = servers;
      return this;
    }

    /**
     * An external Kafka ({@code servers}) with topics of this run's own, {@code <name>-<run
     * id>-events} and so on, since the job reads its topics from the earliest offset and earlier
     * runs' events and models would come in otherwise; null starts an embedded broker with the
     * default topics. Set the run id first when it is not the default.
     */
    public Builder kafka(String servers, String name) {
      bootstrapServers(servers);
      if (servers != null) {
        topics(PipelineTopics.prefixed(name + "-" + runId));
      }
      return this;
    }

    public Builder topics(PipelineTopics t) {
      this.topics = t;
      return this;
    }

    public Builder runId(String id) {
      this.runId = id;
      return this;
    }

    public Builder eventPartitions(int n) {
      this.eventPartitions = n;
      return this;
    }

    public Builder parallelism(int n) {
      this.parallelism = n;
      return this;
    }

    public Builder checkpointInterval(Duration d) {
      this.checkpointInterval = d;
      return this;
    }

    public Builder scoring(ScoringConfig s) {
      this.scoring = s;
      return this;
    }

    /** One sidecar per model named; the job must serve each. */
    public Builder sidecarModels(List<String> models) {
      this.sidecarModels = models;
      return this;
    }

    public Builder trainer(TrainerConfig t) {
      this.trainer = t;
      return this;
    }

    public Builder sample(int newStepsPerKey, long newMaxStoredValues) {
      this.stepsPerKey = newStepsPerKey;
      this.maxStoredValues = newMaxStoredValues;
      return this;
    }

    public Builder scaling(InputScaling spec) {
      this.scaling = spec;
      return this;
    }

    /** The time inputs of the models the sidecars train; none unless set. */
    public Builder time(TimeFeatures features) {
      this.time = features;
      return this;
    }

    public Builder skipFlagged(boolean skip) {
      this.skipFlagged = skip;
      return this;
    }

    public Builder naiveMargin(double margin) {
      this.naiveMargin = margin;
      return this;
    }

    public Builder gateMargin(double margin) {
      this.gateMargin = margin;
      return this;
    }

    public Builder trainEvery(long events, Duration interval) {
      this.trainEveryEvents = events;
      this.trainInterval = interval;
      return this;
    }

    /** Kafka client properties (security and the like) for every client of the run. */
    public Builder kafkaProperties(KafkaClientProperties properties) {
      this.kafkaProperties = properties;
      return this;
    }

    public Builder holdRoundsUntilScored(boolean hold) {
      this.holdRoundsUntilScored = hold;
      return this;
    }

    public LocalPipelineConfig build() {
      return new LocalPipelineConfig(
          workDir,
          bootstrapServers,
          topics,
          runId,
          eventPartitions,
          parallelism,
          checkpointInterval,
          scoring,
          sidecarModels,
          inputSize,
          trainer,
          stepsPerKey,
          maxStoredValues,
          scaling,
          time,
          gateMargin,
          naiveMargin,
          skipFlagged,
          trainEveryEvents,
          trainInterval,
          holdRoundsUntilScored,
          kafkaProperties);
    }
  }
}
