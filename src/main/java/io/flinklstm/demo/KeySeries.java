package io.flinklstm.demo;

import java.util.Objects;

/**
 * One key's generated series: {@code timestamps[i]} is the event time of {@code values[i]}, which
 * holds one value per channel.
 */
public record KeySeries(String key, long[] timestamps, float[][] values) {

  public KeySeries {
    Objects.requireNonNull(key, "key");
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException(
          "key '" + key + "': " + timestamps.length + " timestamps but " + values.length + " rows");
    }
  }

  public int length() {
    return timestamps.length;
  }

  public int channels() {
    return values.length == 0 ? 0 : values[0].length;
  }
}
