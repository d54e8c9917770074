package io.flinklstm.cli;

import io.flinklstm.demo.DemoRun;
import io.flinklstm.local.LocalPipeline;
import io.flinklstm.local.LocalPipelineConfig;
import io.flinklstm.sidecar.Learner;
import io.flinklstm.wire.Event;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Runs a demo's workload through the whole pipeline: starts the broker (unless external), the job
 * and the sidecar, replays the events at {@code rate} within {@code duration}, start-up included,
 * and stops everything, telling {@code console} how it goes.
 *
 * @param rate events per second, 0 for as fast as possible
 * @param duration the longest the run may take, start-up included
 * @param console where progress goes
 */
record DemoLauncher(double rate, Duration duration, PrintWriter console) {
  /** The replay gets at least this long, however long the start-up took. */
  private static final Duration MIN_REPLAY = Duration.ofSeconds(10);

  /**
   * Runs {@code events} through {@code pipeline}, the sidecar training with {@code learner}, or the
   * numeric learner of the configuration when null.
   */
  DemoRun.Outcome run(LocalPipelineConfig pipeline, Learner learner, List<Event> events)
      throws Exception {
    console.flush();
    DemoRun.Outcome outcome;
    long t0 = System.nanoTime();
    try (LocalPipeline running = LocalPipeline.start(pipeline, learner)) {
      console.printf(
          Locale.ROOT,
          "broker, job and sidecar up in %.1f s; replaying at %s%n",
          (System.nanoTime() - t0) / 1e9,
          rate == 0 ? "full speed" : String.format(Locale.ROOT, "%.0f events/s", rate));
      console.flush();
      Duration left = duration.minusNanos(System.nanoTime() - t0);
      outcome =
          new DemoRun(
                  running,
                  rate,
                  left.compareTo(MIN_REPLAY) < 0 ? MIN_REPLAY : left,
                  console,
                  System.console() != null)
              .run(events);
      t0 = System.nanoTime();
    }
    console.printf(Locale.ROOT, "stopped in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    return outcome;
  }

  /** Where the pipeline's Kafka is, for the first line a demo prints. */
  static String kafka(LocalPipelineConfig pipeline) {
    if (pipeline.bootstrapServers() == null) {
      return "embedded Kafka";
    }
    return "Kafka at "
        + pipeline.bootstrapServers()
        + " (events to "
        + pipeline.topics().events()
        + ", scores from "
        + pipeline.topics().scores()
        + ")";
  }
}
