package io.flinklstm.model;

import java.util.Arrays;

/**
 * One key's scaling statistics under {@link InputScaling}: per channel a running mean and variance
 * of the key's values, learnt online and causally. Mutable state held by whoever follows the key
 * (the job in its keyed state, the sidecar in its sample); plain fields, so state serializers can
 * write them.
 *
 * <p>{@link #scale} standardises a value with the statistics of the values before it, then learns
 * it: with weight 1/n for the key's first {@link InputScaling#learnEvents} values (an exact mean
 * and population variance), and 1/{@link InputScaling#adaptEvents} after (none when that is 0).
 * From the 30th value on, a value is pulled in to the mean ± {@value #WINSOR} deviations before it
 * is learnt, so a single outlier moves the statistics no more than an ordinary large value. The
 * deviation is floored at max({@value #MIN_STD}, {@value #RELATIVE_STD_FLOOR} × |mean|): a constant
 * key scales to 0, and float rounding is not blown up to unit variance. With {@link
 * InputScaling.Kind#NONE} the values pass unchanged and nothing is learnt.
 *
 * <p>Two followers that see the same values of a key in the same order hold the same statistics and
 * scale identically, to the bit: the arithmetic is in double and in a fixed order.
 */
public final class KeyScaler {
  /** Values beyond this many deviations of the mean are learnt as if they were this far. */
  public static final double WINSOR = 4;

  /** From this many values on, outliers are pulled in (before, the deviation is too rough). */
  static final long ROBUST_FROM = 30;

  static final double MIN_STD = 1e-12;
  static final double RELATIVE_STD_FLOOR = 1e-5;

  /** Values learnt so far. */
  public long count;

  /** Per channel: the running mean; empty before the key's first value. */
  public double[] mean = new double[0];

  /** Per channel: the running (population) variance. */
  public double[] var = new double[0];

  /**
   * Writes the values standardised by the statistics so far, then learns them; under {@link
   * InputScaling#NONE} copies them.
   *
   * @param raw the key's values, all finite
   * @param out where the scaled values go; may be {@code raw}
   */
  public void scale(InputScaling spec, float[] raw, float[] out) {
    int d = raw.length;
    if (!spec.perKey()) {
      if (out != raw) {
        System.arraycopy(raw, 0, out, 0, d);
      }
      return;
    }
    if (mean.length != d) {
      count = 0;
      mean = new double[d];
      var = new double[d];
    }
    double w = learningWeight(spec);
    for (int i = 0; i < d; i++) {
      double x = raw[i];
      double z = count == 0 ? 0 : (x - mean[i]) / std(i);
      if (w > 0) {
        learn(i, x, w);
      }
      out[i] = (float) Math.max(-spec.clip(), Math.min(spec.clip(), z));
    }
    count++;
  }

  /** The values standardised by the statistics as they are, without learning them. */
  public void transform(InputScaling spec, float[] raw, float[] out) {
    boolean known = knows(raw.length);
    for (int i = 0; i < raw.length; i++) {
      double z = known ? (raw[i] - mean[i]) / std(i) : 0;
      out[i] = (float) Math.max(-spec.clip(), Math.min(spec.clip(), z));
    }
  }

  /** Scaled values back in the key's units: the inverse of {@link #transform} (before clipping). */
  public void unscale(InputScaling spec, float[] scaled, float[] out) {
    boolean known = spec.perKey() && knows(scaled.length);
    for (int i = 0; i < scaled.length; i++) {
      out[i] = known ? (float) (scaled[i] * std(i) + mean[i]) : scaled[i];
    }
  }

  /** Whether statistics of {@code d} channels have been learnt from at least one value. */
  private boolean knows(int d) {
    return count > 0 && mean.length == d;
  }

  /** The weight the next value is learnt with: 1/n while learning, then the adaptation's. */
  private double learningWeight(InputScaling spec) {
    long n = count + 1;
    if (n <= spec.learnEvents()) {
      return 1.0 / n;
    }
    return spec.adaptEvents() > 0 ? 1.0 / spec.adaptEvents() : 0;
  }

  /** Learns one channel's value with weight w, pulled in to the winsor bound once robust. */
  private void learn(int i, double value, double w) {
    double x = value;
    if (count >= ROBUST_FROM) {
      double bound = WINSOR * std(i);
      x = Math.max(mean[i] - bound, Math.min(mean[i] + bound, x));
    }
    double delta = x - mean[i];
    mean[i] += w * delta;
    var[i] = (1 - w) * (var[i] + w * delta * delta);
  }

  /** The floored deviation of channel i. */
  double std(int i) {
    return Math.max(Math.sqrt(var[i]), Math.max(MIN_STD, RELATIVE_STD_FLOOR * Math.abs(mean[i])));
  }

  public void copyFrom(KeyScaler other) {
    count = other.count;
    mean = other.mean.clone();
    var = other.var.clone();
  }

  @Override
  public String toString() {
    return "KeyScaler{count="
        + count
        + ", mean="
        + Arrays.toString(mean)
        + ", var="
        + Arrays.toString(var)
        + "}";
  }
}
