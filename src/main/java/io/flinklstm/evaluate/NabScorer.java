package io.flinklstm.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Numenta Anomaly Benchmark's score (Lavin and Ahmad, "Evaluating real-time anomaly detection
 * algorithms: the Numenta Anomaly Benchmark", arXiv:1510.03336).
 *
 * <p>Rows of a file's probationary period ({@link NabFile#probationaryRows}) are not scored. A row
 * whose anomaly score is at or above the threshold is a detection. Each detection at row i is
 * weighted by the scaled sigmoid σₛ(x) = 2 / (1 + e^{5x}) − 1 (and −1 for x ≥ 3) of its position:
 *
 * <ul>
 *   <li>inside a window of rows [s, e], width w = e − s + 1: x = −(e − i + 1) / w, so x = −1 at the
 *       window's first row; the weight is A_TP · σₛ(x) / σₛ(−1), exactly A_TP there, falling
 *       towards the window's end. Only the window's earliest detection counts (the largest weight);
 *       a window without one costs −A_FN.
 *   <li>outside every window, after a window ending at row e of width w: x = (i − e) / (w − 1),
 *       weight A_FP · σₛ(x), a small cost just after the window and −A_FP far from it; before any
 *       window, −A_FP.
 * </ul>
 *
 * The raw score is the sum over all files. One threshold serves the whole corpus: NAB chooses it
 * per profile as the one that maximises the raw score, trying every distinct anomaly score (and one
 * above them all, for no detection); on a tie the higher threshold wins. The normalised score is
 * 100 · (raw − null) / (perfect − null), where the null detector, which never fires, scores −A_FN
 * per window, and the perfect one A_TP per window.
 */
public final class NabScorer {
  /** The threshold that detects nothing: above every anomaly score. */
  public static final double NO_DETECTION = 1.1;

  private NabScorer() {}

  /**
   * The score of a profile at one threshold.
   *
   * @param threshold the corpus-wide threshold
   * @param raw the sum of the weights of counted detections and missed windows
   * @param normalized 0 for the null detector, 100 for the perfect one
   * @param windows the windows with at least one scored row
   * @param detectedWindows windows with a detection
   * @param falsePositives detections outside every window
   * @param rawByFile each file's share of {@code raw}
   */
  public record Result(
      NabProfile profile,
      double threshold,
      double raw,
      double normalized,
      int windows,
      int detectedWindows,
      int falsePositives,
      Map<String, Double> rawByFile) {}

  /** The profile's score at the threshold that maximises it over the corpus. */
  public static Result optimize(List<NabFile> files, NabProfile profile) {
    Sweep sweep = sweep(files, profile);
    Integer[] order = new Integer[sweep.points.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> -sweep.points.get(i).anomalyScore));
    Tally tally = new Tally(sweep.windows, profile);
    double bestThreshold = NO_DETECTION;
    double bestRaw = tally.raw;
    for (int k = 0; k < order.length; ) {
      double threshold = sweep.points.get(order[k]).anomalyScore;
      while (k < order.length && sweep.points.get(order[k]).anomalyScore == threshold) {
        tally.add(sweep.points.get(order[k]));
        k++;
      }
      if (tally.raw > bestRaw) {
        bestRaw = tally.raw;
        bestThreshold = threshold;
      }
    }
    return atThreshold(files, profile, bestThreshold);
  }

  /** The profile's score with every row at or above {@code threshold} a detection. */
  public static Result atThreshold(List<NabFile> files, NabProfile profile, double threshold) {
    Sweep all = sweep(files, profile);
    Tally tally = new Tally(all.windows, profile);
    for (Point p : all.points) {
      if (p.anomalyScore >= threshold) {
        tally.add(p);
      }
    }
    Map<String, Double> byFile = new LinkedHashMap<>();
    for (NabFile f : files) {
      Sweep one = sweep(List.of(f), profile);
      Tally t = new Tally(one.windows, profile);
      one.points.stream().filter(p -> p.anomalyScore >= threshold).forEach(t::add);
      byFile.put(f.name(), t.raw);
    }
    double nullScore = -all.windows * profile.fnWeight();
    double perfect = all.windows * profile.tpWeight();
    double normalized =
        all.windows == 0 ? Double.NaN : 100 * (tally.raw - nullScore) / (perfect - nullScore);
    return new Result(
        profile,
        threshold,
        tally.raw,
        normalized,
        all.windows,
        tally.detected,
        tally.falsePositives,
        byFile);
  }

  /** NAB's scaled sigmoid of a relative position. */
  static double scaledSigmoid(double x) {
    return x >= 3.0 ? -1.0 : 2.0 / (1.0 + Math.exp(5.0 * x)) - 1.0;
  }

  /** A scored row: its anomaly score, its weight as a detection, and its window (or -1). */
  private record Point(double anomalyScore, double weight, int window) {}

  private record Sweep(List<Point> points, int windows) {}

  private static Sweep sweep(List<NabFile> files, NabProfile profile) {
    List<Point> points = new ArrayList<>();
    int windowCount = 0;
    double maxTp = scaledSigmoid(-1.0);
    for (NabFile f : files) {
      int probation = NabFile.probationaryRows(f.rows());
      int[][] ranges = f.windowRows();
      int next = 0; // the first window not yet passed
      int prevEnd = -1;
      int prevWidth = 0;
      int windowId = -1;
      for (int i = 0; i < f.rows(); i++) {
        while (next < ranges.length && ranges[next][1] < i) {
          prevEnd = ranges[next][1];
          prevWidth = ranges[next][1] - ranges[next][0] + 1;
          next++;
          windowId = -1;
        }
        boolean inside = next < ranges.length && i >= ranges[next][0];
        if (i < probation) {
          continue;
        }
        double weight;
        int window = -1;
        if (inside) {
          if (windowId < 0) {
            windowId = windowCount++;
          }
          int width = ranges[next][1] - ranges[next][0] + 1;
          double x = -(ranges[next][1] - i + 1) / (double) width;
          weight = scaledSigmoid(x) * profile.tpWeight() / maxTp;
          window = windowId;
        } else if (prevEnd < 0) {
          weight = -profile.fpWeight();
        } else {
          double x = prevWidth > 1 ? (i - prevEnd) / (double) (prevWidth - 1) : 3.0;
          weight = scaledSigmoid(x) * profile.fpWeight();
        }
        points.add(new Point(f.scores()[i], weight, window));
      }
    }
    return new Sweep(points, windowCount);
  }

  /** The running score as detections are added: the earliest per window, every false positive. */
  private static final class Tally {
    final double[] best;
    final NabProfile profile;
    double raw;
    int detected;
    int falsePositives;

    Tally(int windows, NabProfile profile) {
      this.profile = profile;
      this.best = new double[windows];
      Arrays.fill(best, Double.NaN);
      this.raw = -windows * profile.fnWeight();
    }

    void add(Point p) {
      if (p.window < 0) {
        raw += p.weight;
        falsePositives++;
      } else if (Double.isNaN(best[p.window])) {
        raw += profile.fnWeight() + p.weight;
        best[p.window] = p.weight;
        detected++;
      } else if (p.weight > best[p.window]) {
        raw += p.weight - best[p.window];
        best[p.window] = p.weight;
      }
    }
  }
}
