package io.flinklstm.demo;

import io.flinklstm.local.LocalPipeline;
import io.flinklstm.local.LocalPipelineConfig;
import io.flinklstm.local.Progress;
import io.flinklstm.sidecar.RoundListener;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.ScoreRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Replays a demo's events through a running {@link LocalPipeline}, paced, while it reads the scores
 * back and shows progress; ends when every event is scored or the time is up.
 *
 * <p>A training round is due after every {@link LocalPipelineConfig#trainEveryEvents()} events: the
 * replay stops there until the round has ended and every scoring subtask serves the version it
 * published, so which events each version scores does not depend on the machine's speed.
 *
 * <p>One thread sends and polls in turns, as the pipeline requires. On a terminal the progress is
 * one line redrawn in place; otherwise a plain line every few seconds.
 */
public final class DemoRun {
  private static final Duration POLL = Duration.ofMillis(40);
  private static final long REDRAW_NANOS = 250_000_000L;
  private static final long PLAIN_NANOS = 5_000_000_000L;
  private static final int MAX_SEND_PER_TURN = 2_000;
  private static final long SERVED_CHECK_NANOS = 200_000_000L;

  private final LocalPipeline pipeline;
  private final double rate;
  private final Duration maxDuration;
  private final PrintWriter console;
  private final boolean live;
  private long servedVersion;
  private long lastServedCheck;

  /**
   * What a replay produced.
   *
   * @param scores the committed scores read back
   * @param publishedVersions the model versions the sidecar published, oldest first
   * @param runTime wall time from the first event sent to the last score read
   * @param job the job's detector settings and policies
   */
  public record Outcome(
      List<ScoreRecord> scores, List<Long> publishedVersions, Duration runTime, JobSummary job) {}

  /**
   * @param rate events per second; 0 sends as fast as the broker takes them
   * @param maxDuration the longest the replay lasts
   * @param live whether the console is a terminal, where progress is redrawn in place
   */
  public DemoRun(
      LocalPipeline pipeline,
      double rate,
      Duration maxDuration,
      PrintWriter console,
      boolean live) {
    this.pipeline = pipeline;
    this.rate = rate;
    this.maxDuration = maxDuration;
    this.console = console;
    this.live = live;
  }

  /** Sends {@code events} in list order and reads their scores back. */
  public Outcome run(List<Event> events) throws InterruptedException, IOException {
    long total = events.size();
    long roundEvery = pipeline.config().trainEveryEvents();
    List<ScoreRecord> scores = new ArrayList<>((int) total);
    long start = System.nanoTime();
    long deadline = start + maxDuration.toNanos();
    long sent = 0;
    long deadLetters = 0;
    long lastDraw = 0;
    long pacedFrom = start;
    long sentWhenPaced = 0;
    boolean waiting = false;
    while (System.nanoTime() < deadline) {
      // A round is due after every roundEvery events: wait for it, and for the job to serve it.
      int roundsDue = roundEvery == 0 ? 0 : (int) Math.min(sent / roundEvery, Integer.MAX_VALUE);
      boolean wasWaiting = waiting;
      waiting = sent < total && roundsDue > 0 && !roundServed(roundsDue);
      if (wasWaiting && !waiting) {
        pacedFrom = System.nanoTime();
        sentWhenPaced = sent;
      }
      long due = waiting ? sent : due(total, sentWhenPaced, System.nanoTime() - pacedFrom);
      if (roundEvery > 0) {
        due = Math.min(due, (roundsDue + 1) * roundEvery);
      }
      for (int n = 0; sent < due && n < MAX_SEND_PER_TURN; n++, sent++) {
        pipeline.send(events.get((int) sent));
      }
      pipeline.flush();
      scores.addAll(pipeline.pollScores(POLL));
      deadLetters += pipeline.pollDeadLetters(Duration.ZERO).size();
      pipeline.sidecar().checkAlive();
      long now = System.nanoTime();
      if (now - lastDraw >= (live ? REDRAW_NANOS : PLAIN_NANOS)) {
        draw(now - start, total, waiting);
        lastDraw = now;
      }
      if (sent == total && scores.size() + deadLetters >= total) {
        break;
      }
    }
    draw(System.nanoTime() - start, total, false);
    if (live) {
      console.println();
    }
    if (scores.size() < total) {
      console.printf(
          Locale.ROOT,
          "time is up after %s: %,d of %,d events scored; the report covers those%n",
          SummaryTables.duration(Duration.ofNanos(System.nanoTime() - start)),
          scores.size(),
          total);
    }
    console.flush();
    List<Long> versions = new ArrayList<>();
    for (RoundListener.Outcome o : pipeline.sidecar().rounds()) {
      if (o.decision() == RoundListener.Decision.PUBLISHED) {
        versions.add(o.version());
      }
    }
    return new Outcome(
        scores,
        versions,
        Duration.ofNanos(System.nanoTime() - start),
        jobSummary(pipeline.config()));
  }

  /**
   * Whether round {@code n} has ended and, if it published a version, every scoring subtask serves
   * it. Asks the cluster at most every {@link #SERVED_CHECK_NANOS}.
   */
  private boolean roundServed(int n) throws IOException, InterruptedException {
    List<RoundListener.Outcome> rounds = pipeline.sidecar().rounds();
    if (rounds.size() < n) {
      return false;
    }
    RoundListener.Outcome last = rounds.get(n - 1);
    if (last.decision() != RoundListener.Decision.PUBLISHED || last.version() <= servedVersion) {
      return true;
    }
    long now = System.nanoTime();
    if (now - lastServedCheck < SERVED_CHECK_NANOS) {
      return false;
    }
    lastServedCheck = now;
    if (pipeline.allSubtasksServe(last.version())) {
      servedVersion = last.version();
      return true;
    }
    return false;
  }

  private long due(long total, long sentBefore, long elapsedNanos) {
    if (rate == 0) {
      return total;
    }
    return Math.min(total, sentBefore + (long) (elapsedNanos / 1e9 * rate));
  }

  private void draw(long elapsedNanos, long total, boolean waiting) {
    Progress p = pipeline.progress();
    String line =
        String.format(
                Locale.ROOT,
                "%s  events in %,d/%,d  scores out %,d  model v%d (%d rounds)  anomalies flagged %,d%s",
                SummaryTables.duration(Duration.ofNanos(elapsedNanos)),
                p.eventsSent(),
                total,
                p.scoresRead(),
                p.publishedVersion(),
                p.rounds(),
                p.anomalies(),
                p.deadLettersRead() > 0 ? "  dead letters " + p.deadLettersRead() : "")
            + (waiting ? "  (waiting for the sidecar's round)" : "");
    if (live) {
      console.print("\r" + line + "   ");
    } else {
      console.println(line);
    }
    console.flush();
  }

  private static JobSummary jobSummary(LocalPipelineConfig config) {
    var d = config.scoring().detector();
    String policies =
        (config.scoring().swapPolicy() + " / " + config.scoring().coldStartPolicy())
            .toLowerCase(Locale.ROOT);
    return new JobSummary(
        d.threshold(),
        String.format(
            Locale.ROOT,
            "warm-up %d (settle %d), error window %d, short window %d, long window %d, quiet %d",
            d.warmupEvents(),
            d.settleEvents(),
            d.errorWindow(),
            d.shortWindow(),
            d.longWindow(),
            d.quietEvents()),
        policies);
  }
}
