package io.flinklstm.train;

import java.util.Objects;

/**
 * One key's values in time order: {@link #length()} steps of {@link #inputSize()} values each, raw
 * (not normalised), stored row-major in one array, and which steps the job flagged (training leaves
 * windows holding them out). Immutable.
 */
public final class Series {
  private final String key;
  private final int inputSize;
  private final float[] values;

  /** Flagged steps so far, per step: prefix[t] counts those before step t; null for none. */
  private final int[] flaggedBefore;

  /**
   * @param values steps × inputSize values, row-major; copied
   * @throws IllegalArgumentException if the key is blank, the length is not a whole number of steps
   *     or a value is not finite
   */
  public Series(String key, int inputSize, float[] values) {
    this(key, inputSize, values.clone(), true);
  }

  private Series(String key, int inputSize, float[] values, boolean check) {
    this(key, inputSize, values, check, null);
  }

  private Series(String key, int inputSize, float[] values, boolean check, boolean[] flagged) {
    this.key = Objects.requireNonNull(key, "key");
    this.inputSize = inputSize;
    this.values = values;
    this.flaggedBefore = prefixCounts(flagged);
    if (key.isBlank()) {
      throw new IllegalArgumentException("series key must not be blank");
    }
    TrainerConfig.requireAtLeast("input size", inputSize, 1);
    if (values.length % inputSize != 0) {
      throw new IllegalArgumentException(
          "series '"
              + key
              + "': "
              + values.length
              + " values are not a whole number of steps of "
              + inputSize);
    }
    if (check) {
      for (int i = 0; i < values.length; i++) {
        if (!Float.isFinite(values[i])) {
          throw new IllegalArgumentException(
              "series '"
                  + key
                  + "': step "
                  + i / inputSize
                  + " value "
                  + i % inputSize
                  + " is "
                  + values[i]);
        }
      }
    }
  }

  /** Takes ownership of values already checked to be finite, without copying. */
  static Series wrap(String key, int inputSize, float[] values) {
    return new Series(key, inputSize, values, false);
  }

  /**
   * As {@link #wrap(String, int, float[])}, with the steps marked flagged ({@code flagged[t]}), or
   * null for none.
   */
  static Series wrap(String key, int inputSize, float[] values, boolean[] flagged) {
    return new Series(key, inputSize, values, false, flagged);
  }

  /** These values with the steps marked flagged ({@code flagged[t]}), or null for none. */
  public Series withFlagged(boolean[] flagged) {
    if (flagged != null && flagged.length != length()) {
      throw new IllegalArgumentException(
          "series '" + key + "': " + flagged.length + " marks for " + length() + " steps");
    }
    return new Series(key, inputSize, values, false, flagged);
  }

  /** Whether a step in [from, to) is marked flagged. */
  public boolean flaggedIn(int from, int to) {
    return flaggedBefore != null && flaggedBefore[to] - flaggedBefore[from] > 0;
  }

  private static int[] prefixCounts(boolean[] flagged) {
    if (flagged == null) {
      return null;
    }
    int[] prefix = new int[flagged.length + 1];
    for (int t = 0; t < flagged.length; t++) {
      prefix[t + 1] = prefix[t] + (flagged[t] ? 1 : 0);
    }
    return prefix[flagged.length] == 0 ? null : prefix;
  }

  public String key() {
    return key;
  }

  public int inputSize() {
    return inputSize;
  }

  /** The number of steps. */
  public int length() {
    return values.length / inputSize;
  }

  /** Value f of step t. */
  public float value(int t, int f) {
    return values[t * inputSize + f];
  }

  /** Copies step t's values into {@code out[0, inputSize)}. */
  public void copyStep(int t, float[] out) {
    System.arraycopy(values, t * inputSize, out, 0, inputSize);
  }
}
