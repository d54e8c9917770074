package io.flinklstm.local;

import io.flinklstm.evaluate.KeyScaler;
import io.flinklstm.evaluate.NabFile;
import io.flinklstm.evaluate.NabLabels;
import io.flinklstm.evaluate.NabProfile;
import io.flinklstm.evaluate.NabResultFiles;
import io.flinklstm.evaluate.NabScorer;
import io.flinklstm.job.ColdStartPolicy;
import io.flinklstm.sidecar.RoundListener;
import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.ScoreRecord;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Runs the real pipeline over a labelled folder in NAB's layout ({@code data/<category>/<file>.csv}
 * and {@code labels/combined_windows.json}) and scores the result as NAB does.
 *
 * <p>Every file is a key and all keys share one model, which the sidecar learns online from the
 * stream. The files are independent series over different periods, so they are sent by their
 * position within their own file ({@link ReplayOrder#byPosition}): all files start together and
 * their probationary periods come first. Values reach the model standardised per key ({@link
 * KeyScaler}, frozen after the probationary period), because one model's normalisation is global
 * and the files' scales differ by orders of magnitude. Rows go in file order; the few NAB rows
 * whose time goes back are sent with their predecessor's time, so the job does not refuse them as
 * late.
 *
 * <p>The run is the same on a fast or a slow machine: the sidecar trains every {@code
 * trainEveryEvents} events, and events are sent in chunks of that size. After each chunk the replay
 * waits until every event of it has been scored and committed (the sidecar holds the round until
 * then), then for the round to end, and when it published version v, until every subtask of the job
 * serves v. So every event is scored by the model trained on exactly the chunks before its own,
 * whatever the timing.
 *
 * <p>A row's anomaly score is the job's log-likelihood where the job flagged it, else 0: NAB scores
 * the alerts the job raises under its own threshold, warm-up and quiet period, and its threshold
 * search can only raise the job's threshold. Rows that no model scored count as 0.
 */
public final class NabEvaluation {
  private static final Duration POLL = Duration.ofMillis(100);

  private final LocalPipelineConfig config;
  private final Duration stepTimeout;
  private final PrintWriter log;

  /** What a run produced. */
  public record Outcome(
      List<NabFile> files, List<NabScorer.Result> results, int rounds, long finalVersion) {}

  /**
   * @param config the pipeline; it must train on event counts only, pass events through before the
   *     first model, and hold rounds until what was sent is scored
   * @param stepTimeout the longest wait for one chunk's scores, one round or one model swap
   * @param log where progress lines go
   */
  public NabEvaluation(LocalPipelineConfig config, Duration stepTimeout, PrintWriter log) {
    if (config.trainEveryEvents() < 1 || !config.trainInterval().isZero()) {
      throw new IllegalArgumentException(
          "an evaluation trains on event counts only: --train-every-events > 0 and no"
              + " --train-interval, or the result would depend on the machine's speed");
    }
    if (config.scoring().coldStartPolicy() != ColdStartPolicy.PASS_THROUGH
        || !config.holdRoundsUntilScored()) {
      throw new IllegalArgumentException(
          "an evaluation scores online: events before the first model pass through, and rounds"
              + " wait until every event sent is scored");
    }
    if (config.inputSize() != 1) {
      throw new IllegalArgumentException("NAB files hold one value per row: input size 1");
    }
    this.config = config;
    this.stepTimeout = stepTimeout;
    this.log = log;
  }

  /** Reads the corpus under {@code nabRoot}, runs it, writes the result files under {@code out}. */
  public Outcome run(Path nabRoot, Path out) throws Exception {
    Path data = nabRoot.resolve("data");
    Path labelsFile = nabRoot.resolve("labels").resolve("combined_windows.json");
    if (!Files.isDirectory(data) || !Files.isRegularFile(labelsFile)) {
      throw new IllegalArgumentException(
          "--nab-root " + nabRoot + " must hold data/ and labels/combined_windows.json");
    }
    List<TimedSeries> series = TimedCsv.readFolder(data);
    Map<String, List<NabFile.Window>> labels = NabLabels.read(labelsFile);
    for (TimedSeries s : series) {
      if (s.width() != 1) {
        throw new IllegalArgumentException(
            s.key() + ".csv has " + s.width() + " value columns; NAB files have one");
      }
      if (!labels.containsKey(s.key() + ".csv")) {
        throw new IllegalArgumentException(
            labelsFile + " has no entry for " + s.key() + ".csv (every data file needs one)");
      }
    }
    List<TimedSeries> scaled = series.stream().map(NabEvaluation::scaled).toList();
    Replay replay = new Replay(scaled, ReplayOrder.byPosition(scaled), null);
    double[][] scores = new double[series.size()][];
    double[][] errors = new double[series.size()][];
    for (int i = 0; i < series.size(); i++) {
      scores[i] = new double[series.get(i).rows()];
      errors[i] = new double[series.get(i).rows()];
    }
    int rounds;
    long version;
    try (LocalPipeline pipeline = LocalPipeline.start(config)) {
      rounds = replayInLockstep(pipeline, replay, scaled, scores, errors);
      version = pipeline.progress().publishedVersion();
    }
    List<NabFile> files = new ArrayList<>();
    for (int i = 0; i < series.size(); i++) {
      TimedSeries s = series.get(i);
      NabFile f = new NabFile(s.key() + ".csv", s.times(), scores[i], labels.get(s.key() + ".csv"));
      files.add(f);
      float[] values = new float[s.rows()];
      for (int r = 0; r < values.length; r++) {
        values[r] = s.values()[r][0];
      }
      NabResultFiles.write(out, f, values, errors[i]);
    }
    List<NabScorer.Result> results =
        NabProfile.ALL.stream().map(p -> NabScorer.optimize(files, p)).toList();
    return new Outcome(files, results, rounds, version);
  }

  private static TimedSeries scaled(TimedSeries s) {
    KeyScaler scaler = new KeyScaler(Math.max(1, NabFile.probationaryRows(s.rows())));
    float[][] values = new float[s.rows()][];
    for (int r = 0; r < values.length; r++) {
      values[r] = new float[] {scaler.next(s.values()[r][0])};
    }
    // The job refuses events older than their key's last one; NAB scores rows in file order.
    return new TimedSeries(s.key(), s.columns(), s.monotoneTimes(), values);
  }

  private int replayInLockstep(
      LocalPipeline pipeline,
      Replay replay,
      List<TimedSeries> series,
      double[][] scores,
      double[][] errors)
      throws Exception {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < series.size(); i++) {
      index.put(series.get(i).key(), i);
    }
    int[] next = new int[series.size()];
    long chunk = config.trainEveryEvents();
    int rounds = 0;
    int sent = 0;
    long started = System.nanoTime();
    while (sent < replay.size()) {
      int end = (int) Math.min(replay.size(), sent + chunk);
      for (int i = sent; i < end; i++) {
        Event e = replay.event(i);
        pipeline.send(e);
      }
      pipeline.flush();
      int scored = awaitScores(pipeline, end, index, next, series, scores, errors);
      sent = end;
      String round = "";
      if (end - (long) rounds * chunk == chunk && end < replay.size()) {
        rounds++;
        RoundListener.Outcome o = pipeline.sidecar().awaitRound(rounds, stepTimeout);
        if (o.decision() == RoundListener.Decision.PUBLISHED) {
          awaitServed(pipeline, o.version());
        }
        round = " round=" + rounds + " " + o.decision().name().toLowerCase() + " v" + o.version();
      }
      log.printf(
          "evaluate: events=%d/%d scored=%d%s elapsed=%ds%n",
          end, replay.size(), scored, round, (System.nanoTime() - started) / 1_000_000_000L);
      log.flush();
    }
    return rounds;
  }

  /** Reads scores until {@code expected} events in all have been scored; returns that count. */
  private int awaitScores(
      LocalPipeline pipeline,
      int expected,
      Map<String, Integer> index,
      int[] next,
      List<TimedSeries> series,
      double[][] scores,
      double[][] errors)
      throws TimeoutException {
    long deadline = System.nanoTime() + stepTimeout.toNanos();
    int received = 0;
    for (int n : next) {
      received += n;
    }
    while (received < expected) {
      for (ScoreRecord s : pipeline.pollScores(POLL)) {
        Integer k = index.get(s.key);
        if (k == null) {
          throw new IllegalStateException("a score for unknown key '" + s.key + "'");
        }
        int row = next[k]++;
        TimedSeries ts = series.get(k);
        if (row >= ts.rows() || ts.times()[row] != s.ts) {
          throw new IllegalStateException(
              "the scores of '" + s.key + "' are out of step at row " + row + " (ts " + s.ts + ")");
        }
        boolean scored = ScoreRecord.SCORED.equals(s.status);
        scores[k][row] = scored ? s.confidence : 0.0;
        errors[k][row] = scored ? s.error : Double.NaN;
        received++;
      }
      List<DeadLetter> rejected = pipeline.pollDeadLetters(Duration.ZERO);
      if (!rejected.isEmpty()) {
        DeadLetter d = rejected.get(0);
        throw new IllegalStateException(
            "the job rejected an event of '" + d.key + "': " + d.reason + " " + d.message);
      }
      pipeline.sidecar().checkAlive();
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "only " + received + " of " + expected + " events scored after " + stepTimeout);
      }
    }
    return received;
  }

  private void awaitServed(LocalPipeline pipeline, long version) throws Exception {
    long deadline = System.nanoTime() + stepTimeout.toNanos();
    while (!pipeline.allSubtasksServe(version)) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "version "
                + version
                + " not served by every subtask after "
                + stepTimeout
                + ": "
                + pipeline.servedVersions());
      }
      Thread.sleep(LocalFlink.METRICS_REFRESH.toMillis() / 2);
    }
  }

  /**
   * One result as a machine-readable line: {@code nab profile=standard score=.. threshold=.. raw=..
   * windows=.. detected=.. false_positives=..}.
   */
  public static String line(NabScorer.Result r) {
    return String.format(
        java.util.Locale.ROOT,
        "nab profile=%s score=%.2f threshold=%.6f raw=%.3f windows=%d detected=%d"
            + " false_positives=%d",
        r.profile().name(),
        r.normalized(),
        r.threshold(),
        r.raw(),
        r.windows(),
        r.detectedWindows(),
        r.falsePositives());
  }
}
