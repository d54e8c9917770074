package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
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
        4096);
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
}
