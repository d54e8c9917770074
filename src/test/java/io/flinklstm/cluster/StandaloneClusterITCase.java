package io.flinklstm.cluster;

import static io.flinklstm.cluster.ClusterScenario.KEYS;
import static io.flinklstm.cluster.ClusterScenario.LOOK_FOR_EXTRAS;
import static io.flinklstm.cluster.ClusterScenario.TIMEOUT;
import static io.flinklstm.cluster.ClusterScenario.assertScoresEqualARunWithoutFailure;
import static io.flinklstm.cluster.ClusterScenario.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinklstm.cluster.ClusterScenario.Outcome;
import io.flinklstm.testutil.EventSeries;
import io.flinklstm.testutil.JobOutput;
import io.flinklstm.testutil.Waiting;
import io.flinklstm.wire.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The job jar on a real multi-process Flink cluster ({@link ClusterScenario}): a JobManager and two
 * TaskManagers as separate JVMs configured from {@code flink-conf/}, the job submitted with {@code
 * flink run}, a real Kafka broker of the test's own.
 *
 * <p>One TaskManager is killed with SIGKILL while events stream and a new one is started; the job
 * must come back from its last checkpoint with every event scored exactly once (read_committed),
 * and the scores must be those of a run without failure. Another test stops the job at parallelism
 * 2 with a savepoint ({@code flink stop}) and submits it again from the savepoint at parallelism 4
 * ({@code flink run -s}): each key's state moves to its new subtask, and the scores are again those
 * of a run without interruption.
 *
 * <p>The cluster's classpath is Flink's alone, so this also shows that the job jar carries what the
 * job needs and that the job loads nothing of ND4J. {@code StandaloneClusterSoak} repeats the kill
 * for as long as it is asked to.
 */
class StandaloneClusterITCase {
  private static final int ROUNDS = 150;
  private static final int TOTAL = ROUNDS * KEYS.size();
  private static final int ROUNDS_BEFORE_STREAMING = 10;
  private static final int SCORES_BEFORE_KILL = 40 * KEYS.size();
  private static final Duration PAUSE_BETWEEN_ROUNDS = Duration.ofMillis(100);
  private static final Path DASHBOARD =
      Path.of("deploy", "grafana", "dashboards", "flink-lstm.json");
  private static final Pattern METRIC_NAME = Pattern.compile("flink_[A-Za-z0-9_]+");

  @Test
  void aTaskManagerKilledWithSigkillIsReplacedAndNoScoreIsLostOrRepeated() throws Exception {
    long testStart = System.nanoTime();
    List<Event> events = EventSeries.rounds(KEYS, 0, ROUNDS);
    int beforeStreaming = ROUNDS_BEFORE_STREAMING * KEYS.size();

    try (ClusterScenario run = ClusterScenario.start("task-manager-kill")) {
      FlinkRest rest = run.rest;
      String job = run.submit(4);
      run.awaitAllTasksRunning(job);
      run.send(events.subList(0, beforeStreaming), Duration.ZERO);
      run.scores.awaitCount(beforeStreaming, TIMEOUT);
      CompletableFuture<Void> streaming =
          CompletableFuture.runAsync(
              () -> run.send(events.subList(beforeStreaming, TOTAL), PAUSE_BETWEEN_ROUNDS));
      run.scores.awaitCount(SCORES_BEFORE_KILL, TIMEOUT);
      assertThat(rest.completedCheckpoints(job)).as("checkpoints before the kill").isPositive();
      assertThat(run.cluster.work().resolve("checkpoints").resolve(job))
          .as("checkpoints in the cluster's execution.checkpointing.dir")
          .isDirectoryContaining(p -> p.getFileName().toString().startsWith("chk-"));

      long killed = System.nanoTime();
      run.cluster.kill("taskmanager-1");
      run.cluster.startTaskManager("taskmanager-3");
      Waiting.until(
          "a restore from a checkpoint", TIMEOUT, () -> rest.restoredCheckpoints(job) > 0);
      run.awaitAllTasksRunning(job);
      long runningAgain = System.nanoTime();
      int committedWhenRunning = run.scores.records().size();
      run.scores.awaitCount(committedWhenRunning + 1, TIMEOUT);
      long firstNewScore = System.nanoTime();

      streaming.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      run.scores.awaitCount(TOTAL, TIMEOUT);
      List<ConsumerRecord<byte[], byte[]>> committed = run.scores.readFor(LOOK_FOR_EXTRAS);
      String metrics =
          FlinkRest.scrape(run.cluster.prometheusPort("jobmanager"))
              + FlinkRest.scrape(run.cluster.prometheusPort("taskmanager-2"))
              + FlinkRest.scrape(run.cluster.prometheusPort("taskmanager-3"));
      String state = rest.jobState(job);
      long restores = rest.restoredCheckpoints(job);

      Outcome outcome = Outcome.of(events, JobOutput.scores(committed));
      System.out.printf(
          "standalone cluster: %d events, %d committed scores, lost %d, duplicated %d;"
              + " SIGKILL to job running again %.1f s, to first new committed score %.1f s;"
              + " restores %d; test %.1f s%n",
          TOTAL,
          committed.size(),
          outcome.lost().size(),
          outcome.duplicated(),
          seconds(runningAgain - killed),
          seconds(firstNewScore - killed),
          restores,
          seconds(System.nanoTime() - testStart));

      assertThat(state).as("job state; exceptions: %s", rest.exceptions(job)).isEqualTo("RUNNING");
      outcome.assertExactlyOnce();
      assertScoresEqualARunWithoutFailure(JobOutput.scores(committed), events);
      assertThat(metrics)
          .as("the Prometheus endpoints serve every metric the Grafana dashboard shows")
          .contains(dashboardMetrics());
    }
  }

  /**
   * The metric names in the queries of {@code deploy/grafana/dashboards/flink-lstm.json}; a name
   * queried by pattern counts up to the pattern ({@code deadLettersByReason_}).
   */
  private static List<String> dashboardMetrics() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> names = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        Matcher m = METRIC_NAME.matcher(target.path("expr").asText());
        while (m.find()) {
          names.add(m.group());
        }
      }
    }
    assertThat(names).as("metrics in the dashboard").isNotEmpty();
    return names;
  }

  @Test
  void aSavepointOfTheJobAtParallelism2RestoresAtParallelism4AsAnUninterruptedRun()
      throws Exception {
    List<Event> events = EventSeries.rounds(KEYS, 0, ROUNDS);
    int beforeSavepoint = ROUNDS / 2 * KEYS.size();

    try (ClusterScenario run = ClusterScenario.start("rescale")) {
      FlinkRest rest = run.rest;
      String before = run.submit(2);
      run.awaitAllTasksRunning(before);
      assertThat(rest.highestParallelism(before))
          .as("parallelism before the savepoint")
          .isEqualTo(2);
      run.send(events.subList(0, beforeSavepoint), Duration.ZERO);
      run.scores.awaitCount(beforeSavepoint, TIMEOUT);

      long stopping = System.nanoTime();
      String savepoint = run.cluster.stopWithSavepoint(before);
      long stopped = System.nanoTime();
      Waiting.until("the job to finish", TIMEOUT, () -> "FINISHED".equals(rest.jobState(before)));
      String after = run.submitFromSavepoint(savepoint, 4);
      run.awaitAllTasksRunning(after);
      long running = System.nanoTime();
      assertThat(rest.highestParallelism(after)).as("parallelism after the restore").isEqualTo(4);
      run.send(events.subList(beforeSavepoint, TOTAL), Duration.ZERO);
      run.scores.awaitCount(TOTAL, TIMEOUT);
      List<ConsumerRecord<byte[], byte[]>> committed = run.scores.readFor(LOOK_FOR_EXTRAS);

      Outcome outcome = Outcome.of(events, JobOutput.scores(committed));
      System.out.printf(
          "standalone cluster, rescale 2 -> 4: %d events, %d committed scores, lost %d,"
              + " duplicated %d; stop with savepoint %.1f s, restored job running %.1f s later%n",
          TOTAL,
          committed.size(),
          outcome.lost().size(),
          outcome.duplicated(),
          seconds(stopped - stopping),
          seconds(running - stopped));
      outcome.assertExactlyOnce();
      assertScoresEqualARunWithoutFailure(JobOutput.scores(committed), events);
    }
  }
}
