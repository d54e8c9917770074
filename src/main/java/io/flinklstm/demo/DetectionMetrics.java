package io.flinklstm.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well flags match labelled anomaly windows, at two levels.
 *
 * <p><b>Windows.</b> A window is found when a flagged score of its key falls inside it or at most
 * {@code tolerance} after its end (a detector may need a few events to be sure). A flagged score
 * outside every window, tolerance included, is a false positive; a run of consecutive such flags of
 * one key counts once, because an operator sees one alert. Precision is found / (found + false
 * positive runs), recall is found / windows. The delay of a found window is its first flag minus
 * its start, in event time and in the key's scored events. Windows that start after a key's last
 * score were never scored and are left out.
 *
 * <p><b>Events.</b> Precision is the share of flags inside a window or its tolerance; recall is the
 * share of scored events inside windows (without tolerance) that were flagged. A detector that
 * raises one alert per anomaly has a low event recall and can still be a good one: the window
 * figures are the ones to judge it by.
 *
 * @param scoredEvents every score considered
 * @param flaggedEvents scores with the anomaly flag
 * @param flagsInWindows flagged scores inside a window or its tolerance
 * @param eventsInWindows scores inside a window
 * @param eventsInWindowsFlagged flagged scores inside a window
 * @param falsePositiveRuns runs of consecutive flags outside every window
 * @param outcomes one per evaluated window, ordered by key and start
 * @param overall window recall and delay over all kinds
 * @param byKind window recall and delay per kind, for every kind evaluated, in their order
 */
public record DetectionMetrics(
    long scoredEvents,
    long flaggedEvents,
    long flagsInWindows,
    long eventsInWindows,
    long eventsInWindowsFlagged,
    int falsePositiveRuns,
    List<WindowOutcome> outcomes,
    Tally overall,
    Map<AnomalyLabel.Kind, Tally> byKind) {

  /**
   * Evaluates scores against the synthetic dataset's labels, with a tally for every {@link
   * AnomalyKind}.
   *
   * @param scores scores in any order
   * @param windows the labels; windows of one key must not overlap
   * @param toleranceMillis how long after a window's end a flag still finds it
   */
  public static DetectionMetrics evaluate(
      List<ScorePoint> scores, List<AnomalyWindow> windows, long toleranceMillis) {
    return evaluate(scores, windows, List.of(AnomalyKind.values()), toleranceMillis);
  }

  /**
   * Evaluates scores against labels.
   *
   * @param scores scores in any order
   * @param windows the labels; windows of one key must not overlap
   * @param kinds the kinds to tally, in the order reports show them; every label's kind among them
   * @param toleranceMillis how long after a window's end a flag still finds it
   */
  public static DetectionMetrics evaluate(
      List<ScorePoint> scores,
      List<? extends AnomalyLabel> windows,
      List<? extends AnomalyLabel.Kind> kinds,
      long toleranceMillis) {
    if (toleranceMillis < 0) {
      throw new IllegalArgumentException("tolerance must not be negative, was " + toleranceMillis);
    }
    Map<String, List<ScorePoint>> byKey = new HashMap<>();
    for (ScorePoint s : scores) {
      byKey.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s);
    }
    Map<String, List<AnomalyLabel>> windowsByKey = new HashMap<>();
    for (AnomalyLabel w : windows) {
      if (!kinds.contains(w.kind())) {
        throw new IllegalArgumentException(
            "label of key '" + w.key() + "' has kind " + w.kind().name() + ", not in " + kinds);
      }
      windowsByKey.computeIfAbsent(w.key(), k -> new ArrayList<>()).add(w);
    }
    long flagged = 0;
    long flagsIn = 0;
    long eventsIn = 0;
    long eventsInFlagged = 0;
    int falseRuns = 0;
    List<WindowOutcome> outcomes = new ArrayList<>();
    for (Map.Entry<String, List<ScorePoint>> entry : byKey.entrySet()) {
      List<ScorePoint> keyScores = entry.getValue();
      keyScores.sort(Comparator.comparingLong(ScorePoint::ts));
      List<AnomalyLabel> keyWindows = windowsByKey.getOrDefault(entry.getKey(), List.of());
      boolean inFalseRun = false;
      for (ScorePoint s : keyScores) {
        boolean inWindow = keyWindows.stream().anyMatch(w -> w.covers(s.ts(), 0));
        boolean nearWindow = keyWindows.stream().anyMatch(w -> w.covers(s.ts(), toleranceMillis));
        eventsIn += inWindow ? 1 : 0;
        if (s.anomaly()) {
          flagged++;
          flagsIn += nearWindow ? 1 : 0;
          eventsInFlagged += inWindow ? 1 : 0;
          if (!nearWindow && !inFalseRun) {
            falseRuns++;
          }
        }
        inFalseRun = s.anomaly() && !nearWindow;
      }
      long lastTs = keyScores.get(keyScores.size() - 1).ts();
      for (AnomalyLabel w : keyWindows) {
        if (w.startTs() <= lastTs) {
          outcomes.add(outcome(w, keyScores, toleranceMillis));
        }
      }
    }
    outcomes.sort(
        Comparator.comparing((WindowOutcome o) -> o.window().key())
            .thenComparingLong(o -> o.window().startTs()));
    Map<AnomalyLabel.Kind, Tally> byKind = new LinkedHashMap<>();
    for (AnomalyLabel.Kind kind : kinds) {
      byKind.put(kind, Tally.of(outcomes.stream().filter(o -> o.window().kind() == kind).toList()));
    }
    return new DetectionMetrics(
        scores.size(),
        flagged,
        flagsIn,
        eventsIn,
        eventsInFlagged,
        falseRuns,
        List.copyOf(outcomes),
        Tally.of(outcomes),
        Collections.unmodifiableMap(byKind));
  }

  private static WindowOutcome outcome(
      AnomalyLabel w, List<ScorePoint> keyScores, long toleranceMillis) {
    int before = 0;
    for (ScorePoint s : keyScores) {
      if (s.ts() < w.startTs()) {
        continue;
      }
      if (!w.covers(s.ts(), toleranceMillis)) {
        break;
      }
      if (s.anomaly()) {
        return new WindowOutcome(w, true, s.ts(), before);
      }
      before++;
    }
    return new WindowOutcome(w, false, 0, 0);
  }

  /** Windows found over windows found plus false-positive runs; NaN when nothing was flagged. */
  public double windowPrecision() {
    int denominator = overall.found() + falsePositiveRuns;
    return denominator == 0 ? Double.NaN : (double) overall.found() / denominator;
  }

  public double windowRecall() {
    return overall.recall();
  }

  /** Flags inside windows (with tolerance) over all flags; NaN when nothing was flagged. */
  public double eventPrecision() {
    return flaggedEvents == 0 ? Double.NaN : (double) flagsInWindows / flaggedEvents;
  }

  /** Flagged events inside windows over events inside windows; NaN when there were none. */
  public double eventRecall() {
    return eventsInWindows == 0 ? Double.NaN : (double) eventsInWindowsFlagged / eventsInWindows;
  }
}
