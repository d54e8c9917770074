package io.flinklstm.testutil;

import io.flinklstm.job.KafkaJobConfig;
import io.flinklstm.job.ScoringConfig;
import io.flinklstm.job.ScoringJob;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CheckpointStatsCounts;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The scoring job, built by {@link ScoringJob#build} and running on a test MiniCluster, with what
 * tests need to know about it: whether all its tasks run, how many checkpoints completed, whether
 * it ever restarted. Closing it cancels the job and waits until it has stopped, so the next test
 * finds every slot free.
 *
 * <p>The environment is set up as {@link ScoringJob#run} sets it up (exactly-once checkpoints,
 * exponential-delay restarts, no generic types), at parallelism 4 and with the short intervals of
 * {@link ScoringTopics}.
 */
public final class ScoringJobRun implements AutoCloseable {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final MiniCluster cluster;
  private final JobClient client;

  private ScoringJobRun(MiniCluster cluster, JobClient client) {
    this.cluster = cluster;
    this.client = client;
  }

  /** Submits the job without waiting for it to run; see {@link #awaitAllTasksRunning}. */
  public static ScoringJobRun start(
      MiniCluster cluster, KafkaJobConfig kafka, ScoringConfig scoring, String jobName)
      throws Exception {
    return start(cluster, kafka, scoring, jobName, env -> {});
  }

  /**
   * As {@link #start(MiniCluster, KafkaJobConfig, ScoringConfig, String)}, with more operators
   * added to the same job by {@code addToJob}: a fault-injecting pipeline, for example.
   */
  public static ScoringJobRun start(
      MiniCluster cluster,
      KafkaJobConfig kafka,
      ScoringConfig scoring,
      String jobName,
      Consumer<StreamExecutionEnvironment> addToJob)
      throws Exception {
    return start(cluster, ScoringJob.configuration(kafka, null), kafka, scoring, jobName, addToJob);
  }

  /**
   * As {@link #start(MiniCluster, KafkaJobConfig, ScoringConfig, String)}, the job's state restored
   * from the savepoint at {@code savepointPath}.
   */
  public static ScoringJobRun startFromSavepoint(
      MiniCluster cluster,
      KafkaJobConfig kafka,
      ScoringConfig scoring,
      String jobName,
      String savepointPath)
      throws Exception {
    Configuration conf = ScoringJob.configuration(kafka, null);
    conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepointPath);
    return start(cluster, conf, kafka, scoring, jobName, env -> {});
  }

  private static ScoringJobRun start(
      MiniCluster cluster,
      Configuration conf,
      KafkaJobConfig kafka,
      ScoringConfig scoring,
      String jobName,
      Consumer<StreamExecutionEnvironment> addToJob)
      throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(ScoringCluster.PARALLELISM);
    ScoringJob.build(env, kafka, scoring);
    addToJob.accept(env);
    return new ScoringJobRun(cluster, env.executeAsync(jobName));
  }

  public JobID jobId() {
    return client.getJobID();
  }

  public JobStatus status() throws Exception {
    return cluster.getJobStatus(jobId()).get(10, TimeUnit.SECONDS);
  }

  /** The job's execution graph as the JobManager sees it now. */
  public AccessExecutionGraph graph() throws Exception {
    return cluster.getExecutionGraph(jobId()).get(10, TimeUnit.SECONDS);
  }

  /** Waits until every task of the job runs, so its sources read and its sinks write. */
  public void awaitAllTasksRunning(Duration timeout) throws Exception {
    Waiting.until(
        "all tasks of " + jobId() + " running",
        timeout,
        () ->
            status() == JobStatus.RUNNING
                && StreamSupport.stream(graph().getAllExecutionVertices().spliterator(), false)
                    .allMatch(v -> v.getExecutionState() == ExecutionState.RUNNING));
  }

  /**
   * The highest attempt number of any task: 0 while the job has never restarted, since every
   * restart (of the whole job or of a failed region) runs its tasks as new attempts.
   */
  public int maxAttemptNumber() throws Exception {
    return StreamSupport.stream(graph().getAllExecutionVertices().spliterator(), false)
        .map(AccessExecutionVertex::getCurrentExecutionAttempt)
        .mapToInt(a -> a.getAttemptNumber())
        .max()
        .orElse(0);
  }

  /** The job's last failure, for a message; "none" while it has not failed. */
  public String lastFailure() throws Exception {
    var failure = graph().getFailureInfo();
    return failure == null ? "none" : failure.getExceptionAsString();
  }

  public long completedCheckpoints() throws Exception {
    return checkpointCounts().getNumberOfCompletedCheckpoints();
  }

  /** How often the job was restored from a checkpoint. */
  public long restoredCheckpoints() throws Exception {
    return checkpointCounts().getNumberOfRestoredCheckpoints();
  }

  private CheckpointStatsCounts checkpointCounts() throws Exception {
    return graph().getCheckpointStatsSnapshot().getCounts();
  }

  /**
   * Cancels the job, if it still runs, and waits until it has stopped.
   *
   * @throws IllegalStateException when it does not stop in time, or the wait is interrupted
   */
  @Override
  public void close() {
    try {
      if (!status().isGloballyTerminalState()) {
        try {
          client.cancel().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          // It may have stopped on its own meanwhile; the wait below says whether it did.
        }
      }
      Waiting.until(
          "job " + jobId() + " stopped", STOP_TIMEOUT, () -> status().isGloballyTerminalState());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping job " + jobId(), e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop job " + jobId(), e);
    }
  }
}
