package io.flinklstm.testutil;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The Flink cluster of the scoring job's integration tests: two TaskManagers of two slots each, so
 * a job at parallelism 4 spans both and losing one TaskManager is a real partial failure.
 */
public final class ScoringCluster {
  public static final int TASK_MANAGERS = 2;
  public static final int SLOTS_PER_TASK_MANAGER = 2;
  public static final int PARALLELISM = TASK_MANAGERS * SLOTS_PER_TASK_MANAGER;

  private ScoringCluster() {}

  /** A per-class MiniCluster (register it on a static field) with the given extra settings. */
  public static MiniClusterExtension extension(Configuration configuration) {
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(TASK_MANAGERS)
            .setNumberSlotsPerTaskManager(SLOTS_PER_TASK_MANAGER)
            .setConfiguration(configuration)
            .build());
  }
}
