package io.flinklstm.demo;

import java.util.List;

/**
 * Window-level recall and detection delay of a group of windows (one kind, or all).
 *
 * @param windows windows evaluated
 * @param found windows found
 * @param meanDelayEvents mean delay of the found windows, in events; NaN when none was found
 * @param meanDelayMillis mean delay of the found windows, in milliseconds; NaN when none
 * @param medianDelayEvents median delay of the found windows, in events; NaN when none
 */
public record Tally(
    int windows,
    int found,
    double meanDelayEvents,
    double meanDelayMillis,
    double medianDelayEvents) {

  /** Found over evaluated windows; NaN when there were none. */
  public double recall() {
    return windows == 0 ? Double.NaN : (double) found / windows;
  }

  static Tally of(List<WindowOutcome> outcomes) {
    List<WindowOutcome> found = outcomes.stream().filter(WindowOutcome::found).toList();
    if (found.isEmpty()) {
      return new Tally(outcomes.size(), 0, Double.NaN, Double.NaN, Double.NaN);
    }
    int[] delays = found.stream().mapToInt(WindowOutcome::delayEvents).sorted().toArray();
    int m = delays.length;
    double median = m % 2 == 1 ? delays[m / 2] : (delays[m / 2 - 1] + delays[m / 2]) / 2.0;
    return new Tally(
        outcomes.size(),
        m,
        found.stream().mapToInt(WindowOutcome::delayEvents).average().orElseThrow(),
        found.stream().mapToLong(WindowOutcome::delayMillis).average().orElseThrow(),
        median);
  }
}
