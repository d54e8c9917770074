package io.flinklstm.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One data file of a NAB corpus with a detector's output: the rows' times, the anomaly score of
 * each row, and the file's labelled anomaly windows.
 *
 * @param name the file's name in the labels, for instance {@code realTraffic/speed_7578.csv}
 * @param times the rows' times in epoch milliseconds, oldest first
 * @param scores the detector's anomaly score of each row, in [0, 1]
 * @param windows the anomaly windows, in time order, not overlapping
 */
public record NabFile(String name, long[] times, double[] scores, List<Window> windows) {

  /** An anomaly window: its first and last time, both inclusive. */
  public record Window(long start, long end) {
    public Window {
      if (end < start) {
        throw new IllegalArgumentException("a window ends before it starts: " + start + " " + end);
      }
    }
  }

  public NabFile {
    Objects.requireNonNull(name, "name");
    if (times.length != scores.length) {
      throw new IllegalArgumentException(
          name + ": " + times.length + " times but " + scores.length + " scores");
    }
    windows = List.copyOf(windows);
    for (int i = 1; i < windows.size(); i++) {
      if (windows.get(i).start() <= windows.get(i - 1).end()) {
        throw new IllegalArgumentException(name + ": windows overlap or are out of order");
      }
    }
  }

  public int rows() {
    return times.length;
  }

  /**
   * Each window's first and last row, as NAB finds them: the first row at the window's start time
   * and the first row at its end time (NAB's windows name rows' times exactly), or else the rows
   * between those times. Windows that hold no row are left out.
   */
  public int[][] windowRows() {
    List<int[]> ranges = new ArrayList<>();
    for (Window w : windows) {
      int first = indexOf(w.start(), 0);
      if (first < 0) {
        first = 0;
        while (first < times.length && times[first] < w.start()) {
          first++;
        }
      }
      int last = indexOf(w.end(), first);
      if (last < 0) {
        last = first - 1;
        while (last + 1 < times.length && times[last + 1] <= w.end()) {
          last++;
        }
      }
      if (first < times.length && last >= first) {
        ranges.add(new int[] {first, last});
      }
    }
    return ranges.toArray(new int[0][]);
  }

  /** NAB's {@code label} column: whether each row lies in a window. */
  public boolean[] labels() {
    boolean[] labels = new boolean[times.length];
    for (int[] r : windowRows()) {
      Arrays.fill(labels, r[0], r[1] + 1, true);
    }
    return labels;
  }

  private int indexOf(long time, int from) {
    for (int i = Math.max(0, from); i < times.length; i++) {
      if (times[i] == time) {
        return i;
      }
    }
    return -1;
  }

  /**
   * NAB's probationary period: the first 15% of the rows, at most 750, which are not scored and
   * which a detector may use to learn.
   */
  public static int probationaryRows(int rows) {
    return (int) Math.min(Math.floor(0.15 * rows), 750);
  }
}
