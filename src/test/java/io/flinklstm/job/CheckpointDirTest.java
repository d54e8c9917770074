package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** Where the job's checkpoints go when the job names no directory itself. */
class CheckpointDirTest {
  @Test
  void theFlinkConfigurationsDirectoryWins() {
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "file:///cluster/checkpoints");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);

    ScoringJob.useDefaultCheckpointDir(env);

    assertThat(env.getConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
        .isEqualTo("file:///cluster/checkpoints");
  }

  @Test
  void withoutOneTheDefaultDirectoryOnFilesApplies() {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());

    ScoringJob.useDefaultCheckpointDir(env);

    assertThat(env.getConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
        .isEqualTo(ScoringJob.DEFAULT_CHECKPOINT_DIR);
    assertThat(env.getConfiguration().get(CheckpointingOptions.CHECKPOINT_STORAGE))
        .isEqualTo("filesystem");
  }
}
