package io.flinklstm.model;

import java.util.Arrays;

/**
 * Per-feature standardisation stored with the model: z = (x - mean) / std.
 *
 * <p>The LSTM sees and predicts z; errors are measured in z units, so one anomaly threshold fits
 * features of any scale.
 */
public final class Normalizer {
  private final float[] mean;
  private final float[] std;
  private final float[] invStd;

  /**
   * @throws IllegalArgumentException if the lengths differ, a value is not finite or a std is not
   *     positive
   */
  public Normalizer(float[] mean, float[] std) {
    if (mean.length != std.length || mean.length == 0) {
      throw new IllegalArgumentException(
          "normalisation: mean has " + mean.length + " values and std " + std.length);
    }
    this.mean = mean.clone();
    this.std = std.clone();
    this.invStd = new float[std.length];
    for (int i = 0; i < mean.length; i++) {
      if (!Float.isFinite(mean[i])) {
        throw new IllegalArgumentException("normalisation: mean[" + i + "] is " + mean[i]);
      }
      if (!(std[i] > 0f) || !Float.isFinite(std[i])) {
        throw new IllegalArgumentException(
            "normalisation: std[" + i + "] is " + std[i] + ", must be positive and finite");
      }
      invStd[i] = 1f / std[i];
    }
  }

  /** The identity: mean 0, std 1. */
  public static Normalizer identity(int size) {
    float[] ones = new float[size];
    Arrays.fill(ones, 1f);
    return new Normalizer(new float[size], ones);
  }

  public int size() {
    return mean.length;
  }

  public float[] mean() {
    return mean.clone();
  }

  public float[] std() {
    return std.clone();
  }

  /** out[i] = (x[i] - mean[i]) / std[i]. */
  public void normalize(float[] x, float[] out) {
    for (int i = 0; i < mean.length; i++) {
      out[i] = (x[i] - mean[i]) * invStd[i];
    }
  }

  /**
   * Normalises a model's step: its values, the first {@link #size()} floats, as {@link #normalize};
   * the time inputs after them, up to the length of {@code out}, are copied as they are.
   */
  public void normalizeStep(float[] step, float[] out) {
    normalize(step, out);
    System.arraycopy(step, mean.length, out, mean.length, out.length - mean.length);
  }

  /** out[i] = z[i] · std[i] + mean[i]. */
  public void denormalize(float[] z, float[] out) {
    for (int i = 0; i < mean.length; i++) {
      out[i] = z[i] * std[i] + mean[i];
    }
  }
}
