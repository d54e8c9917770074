package io.flinklstm.train;

import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.Normalizer;
import io.flinklstm.model.kernel.Stepper;

/**
 * Losses on a {@link TrainingData}'s validation windows: each window runs from a zero state through
 * its burn-in, then predicts each of its W targets from the inputs so far, as the streaming job
 * does. The loss is the mean squared error over every window, step and value (time inputs are
 * inputs only, never predicted).
 *
 * <p>Errors are measured in the units of a reference normaliser, ((prediction − target) / std_ref)²
 * in raw terms, so that models with different normalisers are compared fairly; for a model measured
 * against its own normaliser this is the training loss's unit. The model steps on its fastest step
 * kernel, many windows at once.
 */
public final class Evaluator {
  private static final int BATCH = 64;

  private Evaluator() {}

  /**
   * A loss over all validation windows and per key.
   *
   * @param overall the mean squared error over every window, step and feature; NaN without windows
   * @param perKey the same for each series of the data (by its index), NaN for a series without
   *     validation windows
   */
  public record Losses(double overall, double[] perKey) {
    /**
     * Keys for which both losses are known and {@code other}'s is not 0, and among them those where
     * this one is lower. A key whose loss under {@code other} is 0 (a constant key, against
     * repeating the last value) cannot tell models apart, so it is not counted.
     */
    public int[] keysBelow(Losses other) {
      int judged = 0;
      int below = 0;
      for (int k = 0; k < perKey.length; k++) {
        if (Double.isFinite(perKey[k]) && other.perKey[k] > 0 && Double.isFinite(other.perKey[k])) {
          judged++;
          below += perKey[k] < other.perKey[k] ? 1 : 0;
        }
      }
      return new int[] {below, judged};
    }
  }

  /** The model's validation loss in its own normalised units; NaN without validation windows. */
  public static double validationLoss(LstmModel model, TrainingData data) {
    return validationLoss(model, data, model.normalizer());
  }

  /**
   * The model's validation loss in the units of {@code reference}; NaN without validation windows.
   *
   * @throws IllegalArgumentException if the model or the reference has another input size than the
   *     data
   */
  public static double validationLoss(LstmModel model, TrainingData data, Normalizer reference) {
    return validationLosses(model, data, reference).overall();
  }

  /**
   * The model's validation loss in the units of {@code reference}, overall and per key.
   *
   * @throws IllegalArgumentException if the model or the reference has another input size than the
   *     data
   */
  public static Losses validationLosses(LstmModel model, TrainingData data, Normalizer reference) {
    int step = data.inputSize();
    int d = data.valueSize();
    requireSize("the model", model.stepSize(), step);
    requireSize("the reference normaliser", reference.size(), d);
    int windows = data.validationWindows();
    Sums sums = new Sums(data);
    if (windows == 0) {
      return sums.losses();
    }
    float[] mean = model.normalizer().mean();
    float[] std = model.normalizer().std();
    float[] refStd = reference.std();
    Stepper stepper = Stepper.of(model);
    LstmState[] states = new LstmState[BATCH];
    float[][] inputs = new float[BATCH][step];
    float[][] predictions = new float[BATCH][d];
    float[] target = new float[step];
    for (int first = 0; first < windows; first += BATCH) {
      int n = Math.min(BATCH, windows - first);
      for (int b = 0; b < n; b++) {
        states[b] = model.newState();
      }
      for (int t = 0; t < data.burnIn() + data.window(); t++) {
        for (int b = 0; b < n; b++) {
          data.series(data.validationSeries(first + b))
              .copyStep(data.validationStart(first + b) + t, inputs[b]);
        }
        stepper.stepBatch(states, inputs, n, predictions);
        if (t < data.burnIn()) {
          continue;
        }
        for (int b = 0; b < n; b++) {
          int key = data.validationSeries(first + b);
          data.series(key).copyStep(data.validationStart(first + b) + t + 1, target);
          for (int f = 0; f < d; f++) {
            double raw = (double) predictions[b][f] * std[f] + mean[f];
            double err = (raw - target[f]) / refStd[f];
            sums.add(key, err * err);
          }
        }
      }
    }
    return sums.losses();
  }

  /**
   * The loss of predicting that each value equals the one before, in the units of {@code
   * reference}, on the same validation targets: the baseline a model has to beat to be of use.
   */
  public static double lastValueLoss(TrainingData data, Normalizer reference) {
    return lastValueLosses(data, reference).overall();
  }

  /** {@link #lastValueLoss}, overall and per key. */
  public static Losses lastValueLosses(TrainingData data, Normalizer reference) {
    int d = data.valueSize();
    requireSize("the reference normaliser", reference.size(), d);
    int windows = data.validationWindows();
    Sums sums = new Sums(data);
    float[] refStd = reference.std();
    float[] previous = new float[data.inputSize()];
    float[] target = new float[data.inputSize()];
    for (int i = 0; i < windows; i++) {
      int key = data.validationSeries(i);
      Series series = data.series(key);
      int first = data.validationStart(i) + data.burnIn();
      for (int t = 0; t < data.window(); t++) {
        series.copyStep(first + t, previous);
        series.copyStep(first + t + 1, target);
        for (int f = 0; f < d; f++) {
          double err = ((double) target[f] - previous[f]) / refStd[f];
          sums.add(key, err * err);
        }
      }
    }
    return sums.losses();
  }

  /** Squared errors summed overall and per key, and how many went into each. */
  private static final class Sums {
    final double[] perKey;
    final long[] counts;
    double total;
    long count;

    Sums(TrainingData data) {
      int keys = data.data().series().size();
      perKey = new double[keys];
      counts = new long[keys];
    }

    void add(int key, double squaredError) {
      perKey[key] += squaredError;
      counts[key]++;
      total += squaredError;
      count++;
    }

    Losses losses() {
      double[] means = new double[perKey.length];
      for (int k = 0; k < means.length; k++) {
        means[k] = counts[k] == 0 ? Double.NaN : perKey[k] / counts[k];
      }
      return new Losses(count == 0 ? Double.NaN : total / count, means);
    }
  }

  private static void requireSize(String what, int size, int expected) {
    if (size != expected) {
      throw new IllegalArgumentException(
          what + " takes " + size + " values per step but the data has " + expected);
    }
  }
}
