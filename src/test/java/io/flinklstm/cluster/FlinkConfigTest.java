package io.flinklstm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code flink-conf/config.yaml} as Flink reads it ({@code GlobalConfiguration}): the settings the
 * job relies on have the intended values, every key is the current name of a Flink 2.2 option (a
 * misspelt or pre-2.0 key is silently ignored by Flink, which is how such files usually break), and
 * the memory sizes give the processes room to run.
 */
class FlinkConfigTest {
  private static final Path FLINK_CONF = Path.of("flink-conf");

  private static Configuration conf;

  @BeforeAll
  static void load() {
    conf = GlobalConfiguration.loadConfiguration(FLINK_CONF.toString());
  }

  @Test
  void checkpointsAreExactlyOnceFilesKeptOnCancel() {
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
        .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
    assertThat(conf.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
        .isEqualTo("file:///flink-data/checkpoints");
    assertThat(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY))
        .isEqualTo("file:///flink-data/savepoints");
    assertThat(conf.get(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS)).isEqualTo(3);
    assertThat(conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
        .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    assertThat(conf.get(ExecutionOptions.SNAPSHOT_COMPRESSION)).isTrue();
  }

  @Test
  void stateOnTheHeapRestartsWithExponentialDelayNoKryo() {
    assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
  }

  @Test
  void jvmsGetTheVectorModuleAndWhatFlinkNeedsOnJava17() {
    assertThat(conf.get(CoreOptions.FLINK_JVM_OPTIONS))
        .contains("--add-modules jdk.incubator.vector");
    assertThat(conf.get(CoreOptions.FLINK_DEFAULT_JVM_OPTIONS))
        .contains("--add-opens=java.base/java.util=ALL-UNNAMED")
        .contains("--add-opens=java.base/java.lang=ALL-UNNAMED")
        .contains("--add-opens=java.base/java.nio=ALL-UNNAMED");
  }

  @Test
  void prometheusReporterOnAPortRange() {
    Map<String, String> all = conf.toMap();
    assertThat(all)
        .containsEntry(
            "metrics.reporter.prom.factory.class",
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
        .containsEntry("metrics.reporter.prom.port", "9249-9260");
  }

  @Test
  void memoryLeavesTheTaskHeapMostOfTheTaskManager() {
    TaskExecutorProcessSpec tm = TaskExecutorProcessUtils.processSpecFromConfig(conf);
    assertThat(tm.getTotalProcessMemorySize()).isEqualTo(MemorySize.parse("1536m"));
    assertThat(tm.getNumSlots()).isEqualTo(2);
    assertThat(tm.getTaskHeapSize()).isGreaterThan(MemorySize.parse("512m"));
    assertThat(tm.getManagedMemorySize()).isLessThan(tm.getTaskHeapSize());

    JobManagerProcessSpec jm = JobManagerProcessUtils.processSpecFromConfig(conf);
    assertThat(jm.getTotalProcessMemorySize()).isEqualTo(MemorySize.parse("1200m"));
    assertThat(jm.getJvmHeapMemorySize()).isGreaterThan(MemorySize.parse("512m"));
  }

  @Test
  void everyKeyIsTheCurrentNameOfAFlinkOption() throws Exception {
    Map<String, String> problems = FlinkOptionKeys.problems(conf.keySet());
    assertThat(problems).as("keys Flink would ignore or read only by an old name").isEmpty();
    assertThat(conf.keySet()).as("keys read from config.yaml").hasSizeGreaterThan(30);
  }
}
