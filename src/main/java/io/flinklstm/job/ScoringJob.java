package io.flinklstm.job;

import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.ScoreEncoder;
import io.flinklstm.wire.ScoreRecord;
import io.flinklstm.wire.WireJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.RestartStrategyOptions.RestartStrategyType;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scoring job: events and model updates from Kafka, scores and dead letters back to Kafka.
 *
 * <pre>
 *   events ─► parse/validate ─► keyBy(key) ─► score ◄── broadcast ── models (+ verdicts)
 *                  │                            │
 *                  └──────── dead letters ◄─────┴──► scores
 * </pre>
 *
 * <p>Analysts' verdicts (the feedback topic, when configured) travel with the model files on the
 * broadcast input: they are few, and each subtask applies those of the keys it owns.
 *
 * <p>{@link #defineWorkflow} wires the pipeline between any sources and sinks, so tests hand it
 * bounded sources and collecting sinks; {@link #build} connects it to Kafka with exactly-once
 * sinks. Every stateful operator has a stable uid, so savepoints survive upgrades and rescaling.
 */
public final class ScoringJob {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringJob.class);

  /** Side output of every operator that rejects an input. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

  private ScoringJob() {}

  /** Wires parse → keyBy → score between the given streams and sinks. */
  public static void defineWorkflow(
      DataStream<RawRecord> events,
      DataStream<RawRecord> models,
      Sink<ScoreRecord> scores,
      Sink<DeadLetter> deadLetters,
      ScoringConfig config,
      int maxEventBytes,
      int maxValues) {
    defineWorkflow(
        events, models, scores, deadLetters, new ScoringOperator(config), maxEventBytes, maxValues);
  }

  static void defineWorkflow(
      DataStream<RawRecord> events,
      DataStream<RawRecord> models,
      Sink<ScoreRecord> scores,
      Sink<DeadLetter> deadLetters,
      ScoringOperator scoring,
      int maxEventBytes,
      int maxValues) {
    // Every operator here emits a new object per record and keeps none it has emitted, so chained
    // operators may pass records on without Flink's defensive copy.
    events.getExecutionEnvironment().getConfig().enableObjectReuse();
    SingleOutputStreamOperator<Event> parsed =
        events
            .process(
                new ParseEvents(
                    maxEventBytes, maxValues, scoring.config().maxFutureSkew().toMillis()))
            .uid("parse-events")
            .name("Parse and validate events");
    // Keyed events and broadcast model files into one two-input operator: keyed state per key, the
    // served models in broadcast state.
    SingleOutputStreamOperator<ScoreRecord> scored =
        parsed
            .keyBy(e -> e.key)
            .connect(models.broadcast())
            .transform("LSTM scoring", TypeInformation.of(ScoreRecord.class), scoring)
            .uid("score-events");
    scored.sinkTo(scores).uid("scores-sink").name("Scores");
    parsed
        .getSideOutput(DEAD_LETTERS)
        .union(scored.getSideOutput(DEAD_LETTERS))
        .sinkTo(deadLetters)
        .uid("dead-letters-sink")
        .name("Dead letters");
  }

  /**
   * Why the job compresses its snapshots unless the Flink configuration says otherwise: Flink
   * restores the heap backend's snapshots from an unbuffered file stream when they are not
   * compressed, one read per field of every key's state. The compressed stream is read in blocks:
   * 10,000 keys of an H = 64 model restored in 1.0 s instead of 11.5 s, and their snapshot took 9.7
   * MB instead of 13.0 (docs/benchmarks.md, "The cost curve").
   */
  static final ConfigOption<Boolean> SNAPSHOT_COMPRESSION = ExecutionOptions.SNAPSHOT_COMPRESSION;

  /** Where checkpoints go when neither the job nor the Flink configuration names a directory. */
  public static final String DEFAULT_CHECKPOINT_DIR = "file:///tmp/flink-lstm/checkpoints";

  /**
   * The Flink configuration every run of the job uses, the one place it is written: the job run by
   * {@code flink-lstm job} and the cluster entry point, the local cluster of the demo and {@code
   * evaluate}, and the tests. Exactly-once checkpoints at the configured interval, kept when the
   * job is cancelled, in {@code checkpointDir} when given (null leaves it to the environment);
   * exponential-delay restarts from a backoff of 1 s (or the maximum, if smaller) up to the
   * configured maximum; no generic (Kryo) types; snapshots compressed ({@link
   * #SNAPSHOT_COMPRESSION}).
   */
  public static Configuration configuration(KafkaJobConfig kafka, String checkpointDir) {
    Configuration conf = new Configuration();
    if (checkpointDir != null) {
      conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
    }
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, kafka.checkpointInterval());
    conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    conf.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    conf.set(SNAPSHOT_COMPRESSION, true);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
        Duration.ofSeconds(1).compareTo(kafka.maxRestartDelay()) < 0
            ? Duration.ofSeconds(1)
            : kafka.maxRestartDelay());
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
        kafka.maxRestartDelay());
    return conf;
  }

  /**
   * Runs the job with {@link #configuration} over the environment's own Flink configuration (the
   * cluster's {@code config.yaml} and {@code flink run -D} under {@code flink run}): the checkpoint
   * interval and the restart strategy the user {@code given} always apply; where not given, the
   * environment's settings win and the job's only fill what it leaves unset, as do the consistency
   * mode and the retention of checkpoints. {@code checkpointDir} null: the environment's {@code
   * execution.checkpointing.dir}, or {@link #DEFAULT_CHECKPOINT_DIR} when it has none. Transactions
   * are checked against the interval and restart delay the job will really run with, and the topics
   * must exist ({@link TopicCheck}). {@code restore}: a savepoint or checkpoint to take the state
   * from, {@code latest} for the newest complete checkpoint under the checkpoint directory, or null
   * to start with none ({@link Restore}). Blocks while the job runs when it runs in this JVM.
   */
  public static void run(
      KafkaJobConfig kafka,
      ScoringConfig config,
      String jobName,
      int parallelism,
      String checkpointDir,
      String restore,
      GivenOptions given)
      throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.configure(over(env.getConfiguration(), configuration(kafka, checkpointDir), given));
    useDefaultCheckpointDir(env);
    String restoreFrom =
        Restore.resolve(
            restore, env.getConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY));
    if (restoreFrom != null) {
      Configuration recovery = new Configuration();
      recovery.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
      env.configure(recovery);
    }
    KafkaJobConfig running =
        kafka.withRuntime(
            env.getConfiguration().get(CheckpointingOptions.CHECKPOINTING_INTERVAL),
            longestRestartDelay(env.getConfiguration()));
    running.validate();
    TopicCheck.requireTopics(running, TopicCheck.TIMEOUT);
    if (parallelism > 0) {
      env.setParallelism(parallelism);
    }
    build(env, running, config);
    LOG.info(
        "event=start job=\"{}\" bootstrap={} kafka_properties={} events={} models={} scores={}"
            + " dead_letters={} feedback={} parallelism={} checkpoint_interval_ms={} default_model={}"
            + " restored_from={} web_ui={}",
        jobName,
        running.bootstrapServers(),
        running.clientProperties(),
        running.eventsTopic(),
        running.modelsTopic(),
        running.scoresTopic(),
        running.deadLettersTopic(),
        running.feedbackTopic() == null ? "none" : running.feedbackTopic(),
        env.getParallelism(),
        running.checkpointInterval().toMillis(),
        config.defaultModel(),
        restoreFrom == null ? "none" : restoreFrom,
        webUi(env.getConfiguration()));
    env.execute(jobName);
  }

  /**
   * Where the cluster the job is submitted to serves its web UI, from the client's configuration
   * ({@code rest.address} and {@code rest.port} of the cluster's config.yaml under {@code flink
   * run}); "none" when the job runs in this JVM, which serves no web UI.
   */
  static String webUi(ReadableConfig clientConf) {
    return clientConf
        .getOptional(RestOptions.ADDRESS)
        .map(address -> "http://" + address + ":" + clientConf.get(RestOptions.PORT))
        .orElse("none");
  }

  /**
   * Which of the job's runtime options the user gave; those override the Flink configuration, the
   * others only fill what it leaves unset.
   *
   * @param checkpointInterval {@code --checkpoint-interval} was given
   * @param maxRestartDelay {@code --max-restart-delay} was given
   */
  public record GivenOptions(boolean checkpointInterval, boolean maxRestartDelay) {
    /** Every option given: the job's configuration as it stands. */
    public static final GivenOptions ALL = new GivenOptions(true, true);
  }

  /** What of the job's configuration to apply over the environment's, as {@link #run} says. */
  static Configuration over(ReadableConfig environment, Configuration job, GivenOptions given) {
    Configuration out = new Configuration();
    copy(job, out, PipelineOptions.GENERIC_TYPES);
    copy(job, out, CheckpointingOptions.CHECKPOINT_STORAGE);
    copy(job, out, CheckpointingOptions.CHECKPOINTS_DIRECTORY);
    if (given.checkpointInterval()
        || environment.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).isEmpty()) {
      copy(job, out, CheckpointingOptions.CHECKPOINTING_INTERVAL);
    }
    if (environment.getOptional(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE).isEmpty()) {
      copy(job, out, CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE);
    }
    if (environment.getOptional(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION).isEmpty()) {
      copy(job, out, CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION);
    }
    if (environment.getOptional(SNAPSHOT_COMPRESSION).isEmpty()) {
      copy(job, out, SNAPSHOT_COMPRESSION);
    }
    if (given.maxRestartDelay()
        || environment.getOptional(RestartStrategyOptions.RESTART_STRATEGY).isEmpty()) {
      copy(job, out, RestartStrategyOptions.RESTART_STRATEGY);
      copy(job, out, RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF);
      copy(job, out, RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF);
    }
    return out;
  }

  private static <T> void copy(Configuration from, Configuration to, ConfigOption<T> option) {
    from.getOptional(option).ifPresent(value -> to.set(option, value));
  }

  /**
   * The longest a restart waits under a Flink configuration's restart strategy (Flink's defaults
   * where it sets none): what a transaction must outlive besides a checkpoint interval.
   */
  static Duration longestRestartDelay(ReadableConfig conf) {
    RestartStrategyType type =
        conf.getOptional(RestartStrategyOptions.RESTART_STRATEGY)
            .map(RestartStrategyType::of)
            .orElse(RestartStrategyType.EXPONENTIAL_DELAY);
    switch (type) {
      case FIXED_DELAY:
        return conf.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY);
      case FAILURE_RATE:
        return conf.get(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_DELAY);
      case NO_RESTART_STRATEGY:
        return Duration.ZERO;
      case EXPONENTIAL_DELAY:
      default:
        return conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF);
    }
  }

  /**
   * Checkpoints go to files: the JobManager's memory holds at most 5 MB, about 7,000 keys of an H =
   * 64 model. The environment's configuration (the cluster's {@code config.yaml} under {@code flink
   * run}, plus what the job set) wins; only when it names no directory does the default apply.
   */
  static void useDefaultCheckpointDir(StreamExecutionEnvironment env) {
    if (env.getConfiguration()
        .getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
        .isPresent()) {
      return;
    }
    Configuration fallback = new Configuration();
    fallback.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    fallback.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, DEFAULT_CHECKPOINT_DIR);
    env.configure(fallback);
  }

  /** Connects the workflow to Kafka. The environment's checkpointing must be configured already. */
  public static void build(
      StreamExecutionEnvironment env, KafkaJobConfig kafka, ScoringConfig config) {
    build(env, kafka, new ScoringOperator(config));
  }

  static void build(StreamExecutionEnvironment env, KafkaJobConfig kafka, ScoringOperator scoring) {
    kafka.validate();
    DataStream<RawRecord> events =
        env.fromSource(
                source(kafka, kafka.eventsTopic(), kafka.groupId(), Input.EVENTS),
                WatermarkStrategy.noWatermarks(),
                "Events")
            .uid("events-source");
    DataStream<RawRecord> models =
        env.fromSource(
                source(kafka, kafka.modelsTopic(), kafka.groupId() + "-models", Input.MODELS),
                WatermarkStrategy.noWatermarks(),
                "Models")
            .uid("models-source")
            .setParallelism(1);
    if (kafka.feedbackTopic() != null) {
      models =
          models.union(
              env.fromSource(
                      source(
                          kafka,
                          kafka.feedbackTopic(),
                          kafka.groupId() + "-feedback",
                          Input.FEEDBACK),
                      WatermarkStrategy.noWatermarks(),
                      "Feedback")
                  .uid("feedback-source")
                  .setParallelism(1));
    }
    defineWorkflow(
        events,
        models,
        sink(
            kafka,
            kafka.scoresTopic(),
            "scores",
            (ScoreRecord s) -> s.key,
            new ScoreEncoder()::encode),
        sink(
            kafka,
            kafka.deadLettersTopic(),
            "dead-letters",
            (DeadLetter d) -> d.key,
            WireJson::encode),
        scoring,
        kafka.maxEventBytes(),
        kafka.maxValues());
  }

  /** What a source reads. */
  private enum Input {
    EVENTS,
    MODELS,
    FEEDBACK
  }

  /**
   * A source of committed records. The models topic is read from its start, as every subtask needs
   * the newest version of every model; the events and feedback topics from the group's offsets
   * (their start the first time).
   */
  private static KafkaSource<RawRecord> source(
      KafkaJobConfig kafka, String topic, String groupId, Input input) {
    boolean models = input == Input.MODELS;
    return KafkaSource.<RawRecord>builder()
        .setProperties(kafka.clientProperties().forClient(Map.of()))
        .setBootstrapServers(kafka.bootstrapServers())
        .setTopics(topic)
        .setGroupId(groupId)
        .setStartingOffsets(
            models
                ? OffsetsInitializer.earliest()
                : OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new RawRecordDeserializer(input == Input.FEEDBACK))
        // Only what the producers committed: half-written model versions and aborted events stay
        // out.
        .setProperty("isolation.level", "read_committed")
        // New event and feedback partitions are found within 10 s. The models topic has one
        // partition for good; not asking about it again keeps a broker's passing metadata error
        // (which fails the whole job when discovery meets it) from restarting the job for nothing.
        .setProperty("partition.discovery.interval.ms", models ? "-1" : "10000")
        .build();
  }

  /** Serialises a record's key (may be null) and JSON value. */
  interface KeyOf<T> extends java.io.Serializable {
    String key(T value);
  }

  interface Encoder<T> extends java.io.Serializable {
    byte[] encode(T value);
  }

  private static <T> KafkaSink<T> sink(
      KafkaJobConfig kafka, String topic, String idSuffix, KeyOf<T> keyOf, Encoder<T> encoder) {
    Properties producer =
        kafka
            .clientProperties()
            .forClient(
                Map.of(
                    "transaction.timeout.ms",
                    Long.toString(kafka.transactionTimeout().toMillis())));
    KafkaRecordSerializationSchema<T> schema =
        (value, context, timestamp) -> {
          String key = keyOf.key(value);
          return new ProducerRecord<>(
              topic,
              null,
              key == null ? null : key.getBytes(StandardCharsets.UTF_8),
              encoder.encode(value));
        };
    return KafkaSink.<T>builder()
        .setBootstrapServers(kafka.bootstrapServers())
        .setRecordSerializer(schema)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(kafka.transactionalIdPrefix() + "-" + idSuffix)
        .setKafkaProducerConfig(producer)
        .build();
  }
}
