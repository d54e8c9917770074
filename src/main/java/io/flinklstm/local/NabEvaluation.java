package io.flinklstm.local;

import io.flinklstm.evaluate.NabFile;
import io.flinklstm.evaluate.NabLabels;
import io.flinklstm.evaluate.NabProfile;
import io.flinklstm.evaluate.NabResultFiles;
import io.flinklstm.evaluate.NabScorer;
import io.flinklstm.job.ColdStartPolicy;
import io.flinklstm.model.SequenceModel;
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
 * their probationary periods come first. Values are sent as they are: the job and the sidecar scale
 * each key by its own statistics, learnt from its first events ({@link
 * io.flinklstm.model.InputScaling}), as they would for any fleet of keys of unlike scales; nothing
 * about a file (its range, its length) is known before its rows arrive. Rows go in file order; the
 * few NAB rows whose time goes back are sent with their predecessor's time, so the job does not
 * refuse them as late.
 *
 * <p>The run is the same on a fast or a slow machine: the sidecar trains every {@code
 * trainEveryEvents} events, and events are sent in chunks of that size. After each chunk the replay
 * waits until every event of it has been scored and committed (the sidecar holds the round until
 * then), then for the round to end, and when it published version v, until every subtask of the job
 * serves v. So every event is scored by the model trained on exactly the chunks before its own,
 * whatever the timing.
 *
 * <p>A row's anomaly score is the job's graded confidence, so NAB's threshold search ranks the
 * job's alarms under its own edge trigger, range rule, warm-up and quiet period. Until the sidecar
 * publishes a model that beats the naive forecast, the job scores with that forecast ({@link
 * ColdStartPolicy#NAIVE}); rows no predictor scored count as 0.
 */
public final class NabEvaluation {
  private static final Duration POLL = Duration.ofMillis(100);

  /** How the files share models. */
  public enum Protocol {
    /** The product's way: one model name, every file a key of it. */
    SHARED,
    /**
     * As NAB scores detectors: every file its own model name, trained by a sidecar of its own from
     * that file's rows alone.
     */
    ISOLATED
  }

  private final LocalPipelineConfig config;
  private final Protocol protocol;
  private final int isolatedRoundRows;
  private final Duration stepTimeout;
  private final PrintWriter log;

  /** What a run produced. */
  /**
   * What a run produced.
   *
   * @param models the last model each sidecar published, by model name (absent: none published)
   */
  public record Outcome(
      List<NabFile> files,
      List<NabScorer.Result> results,
      int rounds,
      long finalVersion,
      Map<String, SequenceModel> models) {}

  /**
   * The shared protocol.
   *
   * @param config the pipeline; it must train on event counts only, score events before the first
   *     model (naively or by passing them through), and hold rounds until what was sent is scored
   * @param stepTimeout the longest wait for one chunk's scores, one round or one model swap
   * @param log where progress lines go
   */
  public NabEvaluation(LocalPipelineConfig config, Duration stepTimeout, PrintWriter log) {
    this(config, Protocol.SHARED, 0, stepTimeout, log);
  }

  /**
   * @param protocol shared or isolated; under {@link Protocol#ISOLATED} the job serves a model per
   *     file and a sidecar per model trains a round after every {@code isolatedRoundRows} of its
   *     file's rows, while under {@link Protocol#SHARED} the one sidecar trains after every {@link
   *     LocalPipelineConfig#trainEveryEvents} events
   */
  public NabEvaluation(
      LocalPipelineConfig config,
      Protocol protocol,
      int isolatedRoundRows,
      Duration stepTimeout,
      PrintWriter log) {
    if (protocol == Protocol.ISOLATED && isolatedRoundRows < 1) {
      throw new IllegalArgumentException(
          "--isolated-round-rows must be at least 1, was " + isolatedRoundRows);
    }
    if (config.trainEveryEvents() < 1 || !config.trainInterval().isZero()) {
      throw new IllegalArgumentException(
          "an evaluation trains on event counts only: --train-every-events > 0 and no"
              + " --train-interval, or the result would depend on the machine's speed");
    }
    if (config.scoring().coldStartPolicy() == ColdStartPolicy.BUFFER
        || !config.holdRoundsUntilScored()) {
      throw new IllegalArgumentException(
          "an evaluation scores online: events before the first model are scored by the naive"
              + " forecast or pass through, and rounds wait until every event sent is scored");
    }
    if (config.inputSize() != 1) {
      throw new IllegalArgumentException("NAB files hold one value per row: input size 1");
    }
    this.config = config;
    this.protocol = protocol;
    this.isolatedRoundRows = isolatedRoundRows;
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
    List<TimedSeries> ordered = series.stream().map(NabEvaluation::inTimeOrder).toList();
    List<Chunk> schedule =
        protocol == Protocol.SHARED ? sharedSchedule(ordered) : isolatedSchedule(ordered);
    double[][] scores = new double[series.size()][];
    double[][] errors = new double[series.size()][];
    String[][] flaggedBy = new String[series.size()][];
    for (int i = 0; i < series.size(); i++) {
      scores[i] = new double[series.get(i).rows()];
      errors[i] = new double[series.get(i).rows()];
      flaggedBy[i] = new String[series.get(i).rows()];
    }
    int rounds;
    long version = 0;
    Map<String, SequenceModel> models = new java.util.TreeMap<>();
    try (LocalPipeline pipeline = LocalPipeline.start(pipelineConfig(ordered))) {
      rounds = replayInLockstep(pipeline, schedule, ordered, new Rows(scores, errors, flaggedBy));
      for (String model : pipeline.config().sidecarModels()) {
        SequenceModel current = pipeline.sidecar(model).current();
        if (current != null) {
          models.put(model, current);
          version = Math.max(version, current.info().version());
        }
      }
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
      NabResultFiles.write(out, f, values, errors[i], flaggedBy[i]);
    }
    List<NabScorer.Result> results =
        NabProfile.ALL.stream().map(p -> NabScorer.optimize(files, p)).toList();
    return new Outcome(files, results, rounds, version, models);
  }

  /** The job refuses events older than their key's last one; NAB scores rows in file order. */
  private static TimedSeries inTimeOrder(TimedSeries s) {
    return new TimedSeries(s.key(), s.columns(), s.monotoneTimes(), s.values());
  }

  /** The configuration run: under the isolated protocol, a model and a sidecar per file. */
  private LocalPipelineConfig pipelineConfig(List<TimedSeries> series) {
    if (protocol == Protocol.SHARED) {
      return config;
    }
    List<String> models = series.stream().map(TimedSeries::key).toList();
    return config.withSidecars(
        config.scoring().toBuilder().models(models).build(), models, isolatedRoundRows);
  }

  /**
   * Events to send together, and the sidecars' rounds they complete: after a chunk is scored, each
   * listed sidecar's round of that number is awaited (and the version it publishes served) before
   * the next chunk, so every event is scored by the model trained on exactly the chunks before it.
   *
   * @param rows (series, row) pairs in sending order
   * @param rounds for each model, the round number its sidecar starts once the chunk is in
   */
  private record Chunk(List<ReplayOrder.Row> rows, Map<String, Integer> rounds) {}

  /**
   * Chunks of the train-every-events count in position order; the one sidecar rounds after each.
   */
  private List<Chunk> sharedSchedule(List<TimedSeries> series) {
    List<ReplayOrder.Row> order = ReplayOrder.byPosition(series);
    int chunk = (int) config.trainEveryEvents();
    List<Chunk> out = new ArrayList<>();
    for (int start = 0, round = 1; start < order.size(); start += chunk, round++) {
      int end = Math.min(order.size(), start + chunk);
      boolean completesRound = end - start == chunk && end < order.size();
      out.add(
          new Chunk(
              order.subList(start, end),
              completesRound ? Map.of(config.modelName(), round) : Map.of()));
    }
    return out;
  }

  /**
   * Chunk c holds rows [cR, (c + 1)R) of every file (R the isolated round rows), so each file's
   * sidecar reaches its round c + 1 exactly at the chunk's end; a file with no rows after that
   * round needs no model from it, so its round is not awaited.
   */
  private List<Chunk> isolatedSchedule(List<TimedSeries> series) {
    int longest = series.stream().mapToInt(TimedSeries::rows).max().orElse(0);
    List<Chunk> out = new ArrayList<>();
    for (int from = 0, round = 1; from < longest; from += isolatedRoundRows, round++) {
      int to = from + isolatedRoundRows;
      List<ReplayOrder.Row> rows = new ArrayList<>();
      Map<String, Integer> rounds = new HashMap<>();
      for (int r = from; r < to; r++) {
        for (int s = 0; s < series.size(); s++) {
          if (r < series.get(s).rows()) {
            rows.add(new ReplayOrder.Row(s, r));
          }
        }
      }
      for (TimedSeries s : series) {
        if (s.rows() > to) {
          rounds.put(s.key(), round);
        }
      }
      out.add(new Chunk(rows, rounds));
    }
    return out;
  }

  private Event event(List<TimedSeries> series, ReplayOrder.Row r) {
    TimedSeries s = series.get(r.series());
    String model = protocol == Protocol.SHARED ? null : s.key();
    return new Event(s.key(), s.times()[r.row()], s.values()[r.row()].clone(), model);
  }

  /** What the scores say of each file's rows: [file][row]. */
  private record Rows(double[][] scores, double[][] errors, String[][] flaggedBy) {}

  private int replayInLockstep(
      LocalPipeline pipeline, List<Chunk> schedule, List<TimedSeries> series, Rows rows)
      throws Exception {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < series.size(); i++) {
      index.put(series.get(i).key(), i);
    }
    int total = schedule.stream().mapToInt(c -> c.rows().size()).sum();
    int[] next = new int[series.size()];
    int rounds = 0;
    int sent = 0;
    long started = System.nanoTime();
    for (Chunk chunk : schedule) {
      for (ReplayOrder.Row r : chunk.rows()) {
        pipeline.send(event(series, r));
      }
      pipeline.flush();
      sent += chunk.rows().size();
      int scored = awaitScores(pipeline, sent, index, next, series, rows);
      int published = 0;
      Map<String, Integer> refused = new java.util.TreeMap<>();
      for (Map.Entry<String, Integer> due : new java.util.TreeMap<>(chunk.rounds()).entrySet()) {
        RoundListener.Outcome o =
            pipeline.sidecar(due.getKey()).awaitRound(due.getValue(), stepTimeout);
        if (o.decision() == RoundListener.Decision.PUBLISHED) {
          awaitServed(pipeline, due.getKey(), o.version());
          published++;
        } else {
          refused.merge(o.reason(), 1, Integer::sum);
        }
        rounds++;
      }
      String round =
          chunk.rounds().isEmpty()
              ? ""
              : " rounds=" + chunk.rounds().size() + " published=" + published + refusals(refused);
      log.printf(
          "evaluate: protocol=%s events=%d/%d scored=%d%s elapsed=%ds%n",
          protocol.name().toLowerCase(java.util.Locale.ROOT),
          sent,
          total,
          scored,
          round,
          (System.nanoTime() - started) / 1_000_000_000L);
      log.flush();
    }
    return rounds;
  }

  /** The refused rounds' reasons and counts, e.g. {@code refused=not_better_than_last_value:2}. */
  private static String refusals(Map<String, Integer> refused) {
    if (refused.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder(" refused=");
    refused.forEach(
        (reason, n) -> b.append(b.length() > 9 ? "," : "").append(reason).append(':').append(n));
    return b.toString();
  }

  /** Reads scores until {@code expected} events in all have been scored; returns that count. */
  private int awaitScores(
      LocalPipeline pipeline,
      int expected,
      Map<String, Integer> index,
      int[] next,
      List<TimedSeries> series,
      Rows rows)
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
        boolean scored = ScoreRecord.SCORED.equals(s.status) || ScoreRecord.NAIVE.equals(s.status);
        rows.scores[k][row] = scored ? s.confidence : 0.0;
        rows.errors[k][row] = scored ? s.error : Double.NaN;
        rows.flaggedBy[k][row] = s.flaggedBy == null ? "" : String.join("+", s.flaggedBy);
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

  private void awaitServed(LocalPipeline pipeline, String model, long version) throws Exception {
    long deadline = System.nanoTime() + stepTimeout.toNanos();
    while (!pipeline.allSubtasksServe(model, version)) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "version "
                + version
                + " of "
                + model
                + " not served by every subtask after "
                + stepTimeout
                + ": "
                + pipeline.servedVersions());
      }
      Thread.sleep(LocalFlink.METRICS_REFRESH.toMillis() / 2);
    }
  }

  /**
   * One result as a machine-readable line: {@code nab protocol=shared profile=standard score=..
   * threshold=.. raw=.. windows=.. detected=.. false_positives=..}.
   */
  public static String line(Protocol protocol, NabScorer.Result r) {
    return String.format(
        java.util.Locale.ROOT,
        "nab protocol=%s profile=%s score=%.2f threshold=%.6f raw=%.3f windows=%d detected=%d"
            + " false_positives=%d",
        protocol.name().toLowerCase(java.util.Locale.ROOT),
        r.profile().name(),
        r.normalized(),
        r.threshold(),
        r.raw(),
        r.windows(),
        r.detectedWindows(),
        r.falsePositives());
  }
}
