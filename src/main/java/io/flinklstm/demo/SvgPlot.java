package io.flinklstm.demo;

import java.util.Locale;

/**
 * Inline SVG for one key: a panel per channel with the series and the model's prediction, then the
 * anomaly likelihood with the threshold. Long series are drawn in buckets of events: the series as
 * its range in each bucket (so a spike survives), the prediction as its mean, the likelihood as its
 * maximum.
 */
final class SvgPlot {
  static final int WIDTH = 1100;
  static final int LEFT = 78;
  static final int RIGHT = 12;
  static final int CHANNEL_HEIGHT = 92;
  static final int LIKELIHOOD_HEIGHT = 84;
  static final int GAP = 10;
  static final int MAX_POINTS = 700;

  /** The likelihood axis, in nines: −log10(1 − L), up to this many. */
  static final double MAX_NINES = 5;

  private SvgPlot() {}

  static double nines(double likelihood) {
    if (!(likelihood > 0)) {
      return 0;
    }
    return Math.min(MAX_NINES, -Math.log10(Math.max(1e-12, 1 - likelihood)));
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** x pixel of event index i of n. */
  static double x(int i, int n) {
    return LEFT + (WIDTH - LEFT - RIGHT) * (n <= 1 ? 0.0 : (double) i / (n - 1));
  }

  /** Events per drawn point. */
  static int bucket(int n) {
    return Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
  }

  /** A polyline's points through (x(i), y(v)) of bucket means of v. */
  static String meanLine(double[] v, int n, double top, double height, double min, double max) {
    StringBuilder b = new StringBuilder();
    int size = bucket(n);
    for (int s = 0; s < n; s += size) {
      double sum = 0;
      int count = 0;
      for (int i = s; i < Math.min(n, s + size); i++) {
        if (!Double.isNaN(v[i])) {
          sum += v[i];
          count++;
        }
      }
      if (count > 0) {
        b.append(fmt(x(s + (Math.min(n, s + size) - 1 - s) / 2, n)))
            .append(',')
            .append(fmt(y(sum / count, top, height, min, max)))
            .append(' ');
      }
    }
    return b.toString().trim();
  }

  /** A polyline's points through each bucket's minimum and maximum, in time order. */
  static String rangeLine(double[] v, int n, double top, double height, double min, double max) {
    StringBuilder b = new StringBuilder();
    int size = bucket(n);
    for (int s = 0; s < n; s += size) {
      int end = Math.min(n, s + size);
      if (size == 1) {
        b.append(fmt(x(s, n))).append(',').append(fmt(y(v[s], top, height, min, max))).append(' ');
        continue;
      }
      int lo = s;
      int hi = s;
      for (int i = s; i < end; i++) {
        lo = v[i] < v[lo] ? i : lo;
        hi = v[i] > v[hi] ? i : hi;
      }
      int first = Math.min(lo, hi);
      int second = Math.max(lo, hi);
      b.append(fmt(x(first, n))).append(',').append(fmt(y(v[first], top, height, min, max)));
      b.append(' ');
      b.append(fmt(x(second, n))).append(',').append(fmt(y(v[second], top, height, min, max)));
      b.append(' ');
    }
    return b.toString().trim();
  }

  static double y(double v, double top, double height, double min, double max) {
    double span = max - min;
    double f = span <= 0 ? 0.5 : (v - min) / span;
    return top + height - 4 - f * (height - 8);
  }
}
