package io.flinklstm.train;

import java.util.Objects;

/**
 * One key's values in time order: {@link #length()} steps of {@link #inputSize()} values each, raw
 * (not normalised), stored row-major in one array. Immutable.
 */
public final class Series {
  private final String key;
  private final int inputSize;
  private final float[] values;

  /**
   * @param values steps × inputSize values, row-major; copied
   * @throws IllegalArgumentException if the key is blank, the length is not a whole number of steps
   *     or a value is not finite
   */
  public Series(String key, int inputSize, float[] values) {
    this(key, inputSize, values.clone(), true);
  }

  private Series(String key, int inputSize, float[] values, boolean check) {
    this.key = Objects.requireNonNull(key, "key");
    this.inputSize = inputSize;
    this.values = values;
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
