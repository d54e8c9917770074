package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.wire.KafkaClientProperties;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The one Flink configuration the job, the local cluster and the tests all run with. */
class ScoringJobConfigurationTest {
  private static KafkaJobConfig kafka(Duration checkpointInterval, Duration maxRestartDelay) {
    return new KafkaJobConfig(
        "localhost:9092",
        "events",
        "models",
        "scores",
        "dead-letters",
        "group",
        "tx",
        checkpointInterval,
        Duration.ofMinutes(10),
        maxRestartDelay,
        1 << 20,
        4096,
        KafkaClientProperties.NONE,
        null);
  }

  @Test
  void exactlyOnceCheckpointsKeptOnCancelExponentialRestartsAndNoGenericTypes() {
    Configuration conf =
        ScoringJob.configuration(
            kafka(Duration.ofSeconds(10), Duration.ofMinutes(1)), "file:///ckpt");
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
        .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
    assertThat(conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
        .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///ckpt");
    assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
    assertThat(conf.get(ExecutionOptions.SNAPSHOT_COMPRESSION)).isTrue();
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
        .isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aShortMaximumRestartDelayIsAlsoTheFirstAndNoDirectoryLeavesItToTheEnvironment() {
    Configuration conf =
        ScoringJob.configuration(kafka(Duration.ofMillis(500), Duration.ofMillis(200)), null);
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF))
        .isEqualTo(Duration.ofMillis(200));
    assertThat(conf.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEmpty();
  }

  @Test
  void optionsNotGivenLeaveTheFlinkConfigurationsCheckpointingAndRestartsAlone() {
    Configuration cluster = new Configuration();
    cluster.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMinutes(1));
    cluster.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    cluster.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(5));
    cluster.set(ExecutionOptions.SNAPSHOT_COMPRESSION, false);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(cluster);
    Configuration job =
        ScoringJob.configuration(kafka(Duration.ofSeconds(10), Duration.ofSeconds(30)), null);

    env.configure(
        ScoringJob.over(env.getConfiguration(), job, new ScoringJob.GivenOptions(false, false)));

    assertThat(env.getCheckpointInterval()).isEqualTo(60_000L);
    assertThat(env.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY))
        .isEqualTo("fixed-delay");
    assertThat(ScoringJob.longestRestartDelay(env.getConfiguration()))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(env.getConfiguration().get(ExecutionOptions.SNAPSHOT_COMPRESSION)).isFalse();
    // What the Flink configuration does not set, the job still does.
    assertThat(env.getConfiguration().get(PipelineOptions.GENERIC_TYPES)).isFalse();
    assertThat(env.getConfiguration().get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
        .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
  }

  @Test
  void snapshotsAreCompressedWhereTheFlinkConfigurationDoesNotSay() {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
    Configuration job =
        ScoringJob.configuration(kafka(Duration.ofSeconds(10), Duration.ofSeconds(30)), null);

    env.configure(
        ScoringJob.over(env.getConfiguration(), job, new ScoringJob.GivenOptions(false, false)));

    assertThat(env.getConfiguration().get(ExecutionOptions.SNAPSHOT_COMPRESSION)).isTrue();
  }

  @Test
  void optionsGivenOverrideTheFlinkConfiguration() {
    Configuration cluster = new Configuration();
    cluster.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMinutes(1));
    cluster.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(cluster);
    Configuration job =
        ScoringJob.configuration(kafka(Duration.ofSeconds(10), Duration.ofSeconds(30)), null);

    env.configure(ScoringJob.over(env.getConfiguration(), job, ScoringJob.GivenOptions.ALL));

    assertThat(env.getCheckpointInterval()).isEqualTo(10_000L);
    assertThat(env.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY))
        .isEqualTo("exponential-delay");
    assertThat(ScoringJob.longestRestartDelay(env.getConfiguration()))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aFlinkConfigurationWithoutSettingsTakesTheJobsDefaults() {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
    Configuration job =
        ScoringJob.configuration(kafka(Duration.ofSeconds(10), Duration.ofSeconds(30)), null);

    env.configure(
        ScoringJob.over(env.getConfiguration(), job, new ScoringJob.GivenOptions(false, false)));

    assertThat(env.getCheckpointInterval()).isEqualTo(10_000L);
    assertThat(env.getCheckpointingConsistencyMode()).isEqualTo(CheckpointingMode.EXACTLY_ONCE);
    assertThat(ScoringJob.longestRestartDelay(env.getConfiguration()))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theLongestRestartDelayFollowsEachStrategy() {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "failure-rate");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_DELAY, Duration.ofSeconds(7));
    assertThat(ScoringJob.longestRestartDelay(conf)).isEqualTo(Duration.ofSeconds(7));
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    assertThat(ScoringJob.longestRestartDelay(conf)).isEqualTo(Duration.ZERO);
  }

  @Test
  void theStartLineNamesTheClustersWebUiOrNoneWhenTheJobRunsInThisJvm() {
    Configuration cluster = new Configuration();
    cluster.set(RestOptions.ADDRESS, "jobmanager");
    cluster.set(RestOptions.PORT, 8081);
    assertThat(ScoringJob.webUi(cluster)).isEqualTo("http://jobmanager:8081");
    assertThat(ScoringJob.webUi(new Configuration())).isEqualTo("none");
  }
}
