package io.flinklstm.cli;

import io.flinklstm.job.ColdStartPolicy;
import io.flinklstm.job.KafkaJobConfig;
import io.flinklstm.job.LatePolicy;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.job.ScoringJob;
import io.flinklstm.job.SwapPolicy;
import io.flinklstm.model.format.ModelKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flink-lstm job}: the scoring job, run in this JVM on a local Flink cluster, or submitted
 * to a cluster as the entry point of the job jar ({@code flink run flink-lstm-job.jar ...}, see
 * {@link JobMain}). Every option has a name, a default and a description here; values are checked
 * before the job starts.
 */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    description = "Run the scoring job: events from Kafka, scores and dead letters back to Kafka.")
final class JobCommand implements Callable<Integer> {

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "localhost:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(
      names = "--events-topic",
      defaultValue = "events",
      description = "Topic of events (default: ${DEFAULT-VALUE}).")
  String eventsTopic;

  @Option(
      names = "--models-topic",
      defaultValue = "models",
      description =
          "Compacted topic of model versions, key = model name (default: ${DEFAULT-VALUE}).")
  String modelsTopic;

  @Option(
      names = "--scores-topic",
      defaultValue = "scores",
      description = "Topic scores are written to (default: ${DEFAULT-VALUE}).")
  String scoresTopic;

  @Option(
      names = "--dead-letters-topic",
      defaultValue = "dead-letters",
      description = "Topic rejected events and models are written to (default: ${DEFAULT-VALUE}).")
  String deadLettersTopic;

  @Option(
      names = "--feedback-topic",
      paramLabel = "TOPIC",
      description =
          "Topic of analysts' verdicts on flagged events (flink-lstm feedback): a false positive"
              + " raises its key's threshold and mutes the rule that raised it for a while (see"
              + " --feedback-raises). Default: none, verdicts are not read.")
  String feedbackTopic;

  @Option(
      names = "--group-id",
      defaultValue = "flink-lstm",
      description = "Consumer group of the events source (default: ${DEFAULT-VALUE}).")
  String groupId;

  @Option(
      names = "--transactional-id-prefix",
      defaultValue = "flink-lstm",
      description =
          "Prefix of the sinks' Kafka transactional ids; unique per job on a cluster (default: ${DEFAULT-VALUE}).")
  String transactionalIdPrefix;

  @Option(
      names = "--default-model",
      defaultValue = "default",
      description = "Model that scores events naming none (default: ${DEFAULT-VALUE}).")
  String defaultModel;

  @Option(
      names = "--models",
      split = ",",
      description =
          "Other models the job serves besides the default, comma-separated; events naming any"
              + " other model go to dead letters.")
  List<String> models = new ArrayList<>();

  @Option(
      names = "--swap-policy",
      defaultValue = "REWARM",
      description =
          "What a new model version does to a key's state: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  SwapPolicy swapPolicy;

  @Option(
      names = "--late-policy",
      defaultValue = "DEAD_LETTER",
      description =
          "What an event older than its key's last event does: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  LatePolicy latePolicy;

  @Option(
      names = "--cold-start",
      defaultValue = "NAIVE",
      description =
          "What events before their model do: NAIVE scores numeric ones with the key's last value"
              + " as the forecast (symbol events are held); BUFFER holds them until the model"
              + " arrives; PASS_THROUGH emits them unscored (default: ${DEFAULT-VALUE}).")
  ColdStartPolicy coldStart;

  @Option(
      names = "--max-pending-per-key",
      defaultValue = "1000",
      description =
          "Events held per key while no model is there; more go to dead letters (default: ${DEFAULT-VALUE}).")
  int maxPendingPerKey;

  @Option(
      names = "--rewarm-window",
      defaultValue = "16",
      description =
          "Recent inputs kept per key to re-warm its state under a new model (default: ${DEFAULT-VALUE}).")
  int rewarmWindow;

  @Option(
      names = "--top-g",
      defaultValue = "" + ScoringConfig.DEFAULT_TOP_G,
      description =
          "Categorical models: a symbol outside the model's g most likely predictions is flagged, as in DeepLog (default: ${DEFAULT-VALUE}).")
  int topG;

  @Option(
      names = "--min-probability",
      defaultValue = "0",
      description =
          "Categorical models: a symbol the model gave a lower probability is flagged even among the top g (verdict improbable); 0 disables (default: ${DEFAULT-VALUE}).")
  double minProbability;

  @Option(
      names = "--explanations",
      negatable = true,
      description =
          "Scores explain themselves: a numeric one by each value's share of its error (contributions, topChannel), a symbol's by the symbols expected instead (expected); --no-explanations makes scores about 10 bytes per value smaller (default: ${DEFAULT-VALUE}).")
  boolean explanations = true;

  @Option(
      names = "--max-gap",
      defaultValue = "0s",
      converter = DurationConverter.class,
      description =
          "A key silent for longer starts a new sequence; 0 disables (default: ${DEFAULT-VALUE}).")
  Duration maxGap;

  @Option(
      names = "--max-future-skew",
      defaultValue = "1d",
      converter = DurationConverter.class,
      description =
          "An event stamped further ahead of the job's clock than this goes to dead letters as"
              + " future (a device clock off by years, microseconds taken for milliseconds); 0"
              + " disables (default: ${DEFAULT-VALUE}).")
  Duration maxFutureSkew;

  @Option(
      names = "--max-backward-jump",
      defaultValue = "1h",
      converter = DurationConverter.class,
      description =
          "An event stamped earlier than its key's last one by more than this starts the key's"
              + " sequence afresh (a device whose clock was reset, or an event from far in the"
              + " future before it), instead of going by --late-policy; 0 disables (default:"
              + " ${DEFAULT-VALUE}).")
  Duration maxBackwardJump;

  @Option(
      names = "--state-ttl",
      defaultValue = "0s",
      converter = DurationConverter.class,
      description = "Keys idle for longer are forgotten; 0 keeps them (default: ${DEFAULT-VALUE}).")
  Duration stateTtl;

  @Mixin DetectorOptions detection;

  @Mixin KafkaOptions kafkaOptions;

  @Option(
      names = "--model-public-key",
      description =
          "Ed25519 public key (PEM) trusted to sign models; repeatable. When given, unsigned models are refused.")
  List<Path> modelPublicKeys = new ArrayList<>();

  /** The checkpoint interval when neither the option nor the Flink configuration sets one. */
  static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

  /** The longest restart delay when neither the option nor the Flink configuration sets one. */
  static final Duration DEFAULT_MAX_RESTART_DELAY = Duration.ofSeconds(30);

  @Option(
      names = "--checkpoint-interval",
      converter = DurationConverter.class,
      description =
          "Checkpoint interval; scores are committed at each checkpoint. When not given, the Flink"
              + " configuration's execution.checkpointing.interval, or 10s when it sets none.")
  Duration checkpointInterval;

  @Option(
      names = "--transaction-timeout",
      defaultValue = "10min",
      converter = DurationConverter.class,
      description =
          "Kafka transaction timeout; must exceed checkpoint interval + max restart delay (default: ${DEFAULT-VALUE}).")
  Duration transactionTimeout;

  @Option(
      names = "--max-restart-delay",
      converter = DurationConverter.class,
      description =
          "Longest delay between restarts after a failure, under an exponential-delay restart"
              + " strategy from 1s. When not given, the Flink configuration's restart strategy, or"
              + " this one up to 30s when it sets none.")
  Duration maxRestartDelay;

  @Option(
      names = "--max-event-bytes",
      defaultValue = "1048576",
      description = "Events larger than this go to dead letters (default: ${DEFAULT-VALUE}).")
  int maxEventBytes;

  @Option(
      names = "--max-values",
      defaultValue = "4096",
      description = "Events with more values go to dead letters (default: ${DEFAULT-VALUE}).")
  int maxValues;

  @Option(
      names = "--checkpoint-dir",
      description =
          "Where checkpoints are written: a Flink file system URI (file://, s3://, hdfs://) or a"
              + " local path; by default the Flink configuration's execution.checkpointing.dir,"
              + " or "
              + ScoringJob.DEFAULT_CHECKPOINT_DIR
              + " when it names none.")
  String checkpointDir;

  @Option(
      names = "--restore",
      paramLabel = "PATH|latest",
      description =
          "Start from a savepoint or retained checkpoint (a Flink file system URI or a local path),"
              + " as flink run -s does, or from the newest complete checkpoint that an earlier run"
              + " left under the checkpoint directory (latest). Without it the job starts with no"
              + " key state and reads the topics from its group's committed offsets.")
  String restore;

  @Option(
      names = "--parallelism",
      defaultValue = "0",
      description = "Job parallelism; 0 uses the cluster's default (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = "--job-name",
      defaultValue = "flink-lstm",
      description = "Name of the Flink job (default: ${DEFAULT-VALUE}).")
  String jobName;

  @Override
  public Integer call() throws Exception {
    ScoringJob.run(
        kafkaConfig(),
        scoringConfig(),
        jobName,
        parallelism,
        checkpointUri(checkpointDir),
        "latest".equals(restore) ? restore : checkpointUri(restore),
        new ScoringJob.GivenOptions(checkpointInterval != null, maxRestartDelay != null));
    return 0;
  }

  /**
   * The checkpoint directory as Flink takes it: a URI as it is, a local path (no scheme) as the
   * file:// URI of its absolute form; null when none is given.
   */
  static String checkpointUri(String dir) {
    if (dir == null || dir.isBlank()) {
      return null;
    }
    return dir.matches("[A-Za-z][A-Za-z0-9+.-]*:/.*")
        ? dir
        : java.nio.file.Path.of(dir).toAbsolutePath().normalize().toUri().toString();
  }

  KafkaJobConfig kafkaConfig() {
    KafkaJobConfig kafka =
        new KafkaJobConfig(
            bootstrapServers,
            eventsTopic,
            modelsTopic,
            scoresTopic,
            deadLettersTopic,
            groupId,
            transactionalIdPrefix,
            checkpointInterval != null ? checkpointInterval : DEFAULT_CHECKPOINT_INTERVAL,
            transactionTimeout,
            maxRestartDelay != null ? maxRestartDelay : DEFAULT_MAX_RESTART_DELAY,
            maxEventBytes,
            maxValues,
            kafkaOptions.clientProperties(System.err),
            feedbackTopic);
    return kafka;
  }

  ScoringConfig scoringConfig() throws Exception {
    List<byte[]> keys = new ArrayList<>();
    for (Path p : modelPublicKeys) {
      keys.add(ModelKeys.readPublicKey(p).getEncoded());
    }
    if (parallelism < 0) {
      throw new IllegalArgumentException("--parallelism must not be negative, was " + parallelism);
    }
    return ScoringConfig.builder(defaultModel)
        .models(models)
        .detector(detection.config())
        .swapPolicy(swapPolicy)
        .latePolicy(latePolicy)
        .coldStart(coldStart, maxPendingPerKey)
        .rewarmWindow(rewarmWindow)
        .time(maxGap, stateTtl)
        .maxFutureSkew(maxFutureSkew)
        .maxBackwardJump(maxBackwardJump)
        .trustedKeys(keys)
        .topG(topG)
        .minProbability(minProbability)
        .explanations(explanations)
        .build();
  }
}
