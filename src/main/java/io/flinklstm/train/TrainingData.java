package io.flinklstm.train;

import java.util.List;

/**
 * A {@link SequenceSet} split in time into training and validation windows.
 *
 * <p>A window is {@code burnIn + window + 1} consecutive values of one key: B burn-in inputs, W
 * inputs, and as targets the W values that follow each input. For a key of L steps:
 *
 * <ul>
 *   <li>the most recent v·W values are held out as validation targets, v = max(1, ⌊f·L / W⌋) whole
 *       windows for a validation fraction f &gt; 0 (none for f = 0), reduced so that the first
 *       validation window still has its B + 1 inputs of context before it;
 *   <li>validation windows tile those targets; their inputs reach back into the older data, which
 *       is fine because what is evaluated, the targets, never served as a training target;
 *   <li>training windows are all positions whose last target comes before the first validation
 *       target: max(0, L − v·W − B − W) of them, overlapping, drawn at random.
 * </ul>
 *
 * Keys too short for a window contribute nothing. Validation windows holding a step the job flagged
 * ({@link Series#flaggedIn}) are left out, so a model is not judged on predicting what was flagged.
 * When there are more validation windows than {@code maxValidationWindows}, an evenly spaced subset
 * is kept, so a validation costs a bounded amount whatever the data size. The split is
 * deterministic.
 */
public final class TrainingData {
  private final SequenceSet data;
  private final int window;
  private final int burnIn;
  private final double validationFraction;
  private final int[] trainEnd;
  private final long[] cumulativeWindows;
  private final int[] validationSeries;
  private final int[] validationStart;

  private TrainingData(
      SequenceSet data,
      int window,
      int burnIn,
      double validationFraction,
      int[] trainEnd,
      long[] cumulativeWindows,
      int[] validationSeries,
      int[] validationStart) {
    this.data = data;
    this.window = window;
    this.burnIn = burnIn;
    this.validationFraction = validationFraction;
    this.trainEnd = trainEnd;
    this.cumulativeWindows = cumulativeWindows;
    this.validationSeries = validationSeries;
    this.validationStart = validationStart;
  }

  /** The split with the config's window, burn-in, validation fraction and cap. */
  public static TrainingData split(SequenceSet data, TrainerConfig config) {
    return split(
        data,
        config.window(),
        config.burnIn(),
        config.validationFraction(),
        config.maxValidationWindows());
  }

  /**
   * @throws IllegalArgumentException naming a setting out of range
   */
  public static TrainingData split(
      SequenceSet data,
      int window,
      int burnIn,
      double validationFraction,
      int maxValidationWindows) {
    TrainerConfig.requireAtLeast("window", window, 1);
    TrainerConfig.requireAtLeast("burn-in", burnIn, 0);
    TrainerConfig.requireFraction("validation fraction", validationFraction);
    TrainerConfig.requireAtLeast("max validation windows", maxValidationWindows, 1);
    List<Series> series = data.series();
    int keys = series.size();
    int[] trainEnd = new int[keys];
    long[] cumulative = new long[keys];
    int[] heldOut = new int[keys];
    long windows = 0;
    long validation = 0;
    for (int k = 0; k < keys; k++) {
      int length = series.get(k).length();
      int v = 0;
      if (validationFraction > 0) {
        v = Math.max(1, (int) (validationFraction * length / window));
        v = Math.max(0, Math.min(v, (length - 1 - burnIn) / window));
      }
      heldOut[k] = v;
      validation += v;
      trainEnd[k] = length - v * window;
      windows += Math.max(0, trainEnd[k] - burnIn - window);
      cumulative[k] = windows;
    }
    // The held-out windows that hold no flagged step, in order.
    List<int[]> usable = new java.util.ArrayList<>();
    for (int k = 0; k < keys; k++) {
      for (int w = 0; w < heldOut[k]; w++) {
        int start = trainEnd[k] + w * window - 1 - burnIn;
        if (!series.get(k).flaggedIn(start, start + burnIn + window + 1)) {
          usable.add(new int[] {k, start});
        }
      }
    }
    validation = usable.size();
    int kept = (int) Math.min(validation, maxValidationWindows);
    int[] vSeries = new int[kept];
    int[] vStart = new int[kept];
    for (int next = 0; next < kept; next++) {
      // The next of `kept` evenly spaced picks out of all.
      int[] pick = usable.get((int) (next * validation / kept));
      vSeries[next] = pick[0];
      vStart[next] = pick[1];
    }
    return new TrainingData(
        data, window, burnIn, validationFraction, trainEnd, cumulative, vSeries, vStart);
  }

  public SequenceSet data() {
    return data;
  }

  /** Floats per step: the values, then the time inputs. */
  public int inputSize() {
    return data.inputSize();
  }

  /** D, the values per step, which a model predicts. */
  public int valueSize() {
    return data.valueSize();
  }

  public int window() {
    return window;
  }

  public int burnIn() {
    return burnIn;
  }

  public double validationFraction() {
    return validationFraction;
  }

  /** Distinct training windows (start positions) over all keys. */
  public long trainingWindows() {
    return cumulativeWindows.length == 0 ? 0 : cumulativeWindows[cumulativeWindows.length - 1];
  }

  /**
   * Distinct values that serve as a training target: one epoch, in the sense that {@code
   * trainingTargets / (batch × window)} updates show each of them once on average.
   */
  public long trainingTargets() {
    long total = 0;
    for (int k = 0; k < trainEnd.length; k++) {
      if (windowsOf(k) > 0) {
        total += trainEnd[k] - burnIn - 1;
      }
    }
    return total;
  }

  public int validationWindows() {
    return validationSeries.length;
  }

  /** Steps of key k that training may read: [0, trainEnd(k)). */
  int trainEnd(int k) {
    return trainEnd[k];
  }

  Series series(int k) {
    return data.series().get(k);
  }

  /** The key and the first step of training window {@code index} in [0, trainingWindows()). */
  long locateTrainingWindow(long index) {
    int lo = 0;
    int hi = cumulativeWindows.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulativeWindows[mid] > index) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    long before = lo == 0 ? 0 : cumulativeWindows[lo - 1];
    return ((long) lo << 32) | (index - before);
  }

  int validationSeries(int i) {
    return validationSeries[i];
  }

  /** The first step (burn-in included) of validation window i. */
  int validationStart(int i) {
    return validationStart[i];
  }

  private long windowsOf(int k) {
    return cumulativeWindows[k] - (k == 0 ? 0 : cumulativeWindows[k - 1]);
  }
}
