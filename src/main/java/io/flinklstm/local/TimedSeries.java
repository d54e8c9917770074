package io.flinklstm.local;

import java.util.List;
import java.util.Objects;

/**
 * One key's rows from a CSV file: times in epoch milliseconds, oldest first, and the values of each
 * row.
 *
 * @param key the file's path below the folder, without {@code .csv}, with {@code /} separators
 * @param columns the names of the value columns, from the header
 * @param times epoch milliseconds, one per row, in file order
 * @param values one array of {@code columns.size()} values per row
 */
public record TimedSeries(String key, List<String> columns, long[] times, float[][] values) {

  public TimedSeries {
    Objects.requireNonNull(key, "key");
    columns = List.copyOf(columns);
    if (times.length != values.length) {
      throw new IllegalArgumentException(
          key + ": " + times.length + " times but " + values.length + " rows of values");
    }
  }

  /**
   * The times made non-decreasing: each row's time, or its predecessor's when it goes back. What a
   * consumer that refuses late events should be sent.
   */
  public long[] monotoneTimes() {
    long[] out = times.clone();
    for (int i = 1; i < out.length; i++) {
      out[i] = Math.max(out[i], out[i - 1]);
    }
    return out;
  }

  public int rows() {
    return times.length;
  }

  public int width() {
    return columns.size();
  }
}
