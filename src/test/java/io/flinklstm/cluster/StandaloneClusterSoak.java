package io.flinklstm.cluster;

import static io.flinklstm.cluster.ClusterScenario.KEYS;
import static io.flinklstm.cluster.ClusterScenario.LOOK_FOR_EXTRAS;
import static io.flinklstm.cluster.ClusterScenario.TIMEOUT;
import static io.flinklstm.cluster.ClusterScenario.assertScoresEqualARunWithoutFailure;
import static io.flinklstm.cluster.ClusterScenario.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.cluster.ClusterScenario.Outcome;
import io.flinklstm.testutil.EventSeries;
import io.flinklstm.testutil.JobOutput;
import io.flinklstm.testutil.Waiting;
import io.flinklstm.wire.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A soak of the job on the standalone cluster ({@link ClusterScenario}): events stream for {@code
 * soak.minutes} (default 10) while a TaskManager, picked at random, is killed with SIGKILL every 60
 * to 120 seconds and replaced. At the end every event must have exactly one committed score, equal
 * to a run without failure, and the job must be running. Prints each kill's recovery times.
 *
 * <p>Too long for every build, so its name keeps it out of {@code mvn verify}; {@code
 * scripts/soak.sh [MINUTES]} runs it. {@code soak.seed} picks the kills' schedule (default 1).
 */
class StandaloneClusterSoak {
  private static final Duration PAUSE_BETWEEN_ROUNDS = Duration.ofMillis(100);
  private static final int ROUNDS_BEFORE_STREAMING = 10;
  private static final Duration SHORTEST_INTERVAL = Duration.ofSeconds(60);
  private static final Duration LONGEST_INTERVAL = Duration.ofSeconds(120);
  private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);

  @Test
  void taskManagersKilledAtRandomLoseAndRepeatNoScore() throws Exception {
    Duration length = Duration.ofMinutes(Long.getLong("soak.minutes", 10));
    Random random = new Random(Long.getLong("soak.seed", 1));
    long start = System.nanoTime();
    long end = start + length.toNanos();

    try (ClusterScenario run = ClusterScenario.start("soak")) {
      FlinkRest rest = run.rest;
      String job = run.submit(4);
      run.awaitAllTasksRunning(job);
      run.send(EventSeries.rounds(KEYS, 0, ROUNDS_BEFORE_STREAMING), Duration.ZERO);
      run.scores.awaitCount(ROUNDS_BEFORE_STREAMING * KEYS.size(), TIMEOUT);

      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger rounds = new AtomicInteger(ROUNDS_BEFORE_STREAMING);
      CompletableFuture<Void> streaming =
          CompletableFuture.runAsync(() -> stream(run, rounds, stop));

      List<String> live = new ArrayList<>(List.of("taskmanager-1", "taskmanager-2"));
      List<Recovery> recoveries = new ArrayList<>();
      int started = live.size();
      while (true) {
        long interval =
            SHORTEST_INTERVAL.toMillis()
                + random.nextInt(
                    (int) (LONGEST_INTERVAL.toMillis() - SHORTEST_INTERVAL.toMillis()));
        long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(interval);
        if (killAt > end) {
          break;
        }
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(killAt - System.nanoTime()));
        String victim = live.remove(random.nextInt(live.size()));
        long restoresBefore = rest.restoredCheckpoints(job);
        int committedAtKill = run.scores.records().size();
        long killed = System.nanoTime();
        run.cluster.kill(victim);
        String replacement = "taskmanager-" + ++started;
        run.cluster.startTaskManager(replacement);
        live.add(replacement);
        Waiting.until(
            "a restore after killing " + victim,
            TIMEOUT,
            () -> rest.restoredCheckpoints(job) > restoresBefore);
        run.awaitAllTasksRunning(job);
        long runningAgain = System.nanoTime();
        run.scores.awaitCount(committedAtKill + 1, TIMEOUT);
        recoveries.add(
            new Recovery(
                victim,
                seconds(killed - start),
                seconds(runningAgain - killed),
                seconds(System.nanoTime() - killed)));
        System.out.println("soak: " + recoveries.get(recoveries.size() - 1));
      }
      Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
      stop.set(true);
      streaming.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

      List<Event> events = EventSeries.rounds(KEYS, 0, rounds.get());
      run.scores.awaitCount(events.size(), DRAIN_TIMEOUT);
      List<ConsumerRecord<byte[], byte[]>> committed = run.scores.readFor(LOOK_FOR_EXTRAS);
      Outcome outcome = Outcome.of(events, JobOutput.scores(committed));
      System.out.printf(
          Locale.ROOT,
          "soak: %.1f min, %d kills, %d events, %d committed scores, lost %d, duplicated %d,"
              + " restores %d; to running again: %s s; to first new committed score: %s s%n",
          seconds(System.nanoTime() - start) / 60,
          recoveries.size(),
          events.size(),
          committed.size(),
          outcome.lost().size(),
          outcome.duplicated(),
          rest.restoredCheckpoints(job),
          recoveries.stream().map(r -> format(r.toRunning())).toList(),
          recoveries.stream().map(r -> format(r.toFirstScore())).toList());

      assertThat(recoveries).as("kills").isNotEmpty();
      assertThat(rest.jobState(job))
          .as("job state; exceptions: %s", rest.exceptions(job))
          .isEqualTo("RUNNING");
      outcome.assertExactlyOnce();
      assertScoresEqualARunWithoutFailure(JobOutput.scores(committed), events);
    }
  }

  /** Sends a round of one event per key, then pauses, until asked to stop. */
  private static void stream(ClusterScenario run, AtomicInteger rounds, AtomicBoolean stop) {
    while (!stop.get()) {
      int round = rounds.get();
      run.send(EventSeries.rounds(KEYS, round, round + 1), Duration.ZERO);
      rounds.incrementAndGet();
      try {
        Thread.sleep(PAUSE_BETWEEN_ROUNDS.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static String format(double seconds) {
    return String.format(Locale.ROOT, "%.1f", seconds);
  }

  /** One kill: which TaskManager, when, and how long until the job ran and scored again. */
  private record Recovery(String killed, double at, double toRunning, double toFirstScore) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "killed %s at %.0f s: job running again after %.1f s, first new committed score after"
              + " %.1f s",
          killed,
          at,
          toRunning,
          toFirstScore);
    }
  }
}
