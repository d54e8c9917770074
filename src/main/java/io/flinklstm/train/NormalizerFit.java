package io.flinklstm.train;

import io.flinklstm.model.Normalizer;

/**
 * Normalisation statistics for a model trained from scratch: per value the mean and the
 * (population) standard deviation of the training part of every key, pooled, by Welford's algorithm
 * in double. Time inputs are not normalised ({@link io.flinklstm.model.TimeFeatures}).
 *
 * <p>The standard deviation is floored at max(minStd, 10⁻⁶·|mean|): a feature that is constant, or
 * constant up to float rounding, would otherwise be divided by zero or have its rounding noise
 * blown up to unit variance. Validation values are left out, so the held-out data stays unseen.
 *
 * <p>A warm-started model keeps its parent's normaliser instead (see {@link Trainer}): new
 * statistics would change what every weight of the parent means.
 */
public final class NormalizerFit {
  static final double RELATIVE_STD_FLOOR = 1e-6;

  private NormalizerFit() {}

  /**
   * @throws IllegalArgumentException if the data's training part is empty
   */
  public static Normalizer fit(TrainingData data, double minStd) {
    TrainerConfig.requirePositive("min std", minStd);
    int d = data.valueSize();
    double[] mean = new double[d];
    double[] m2 = new double[d];
    long count = 0;
    float[] step = new float[data.inputSize()];
    for (int k = 0; k < data.data().series().size(); k++) {
      Series series = data.series(k);
      for (int t = 0; t < data.trainEnd(k); t++) {
        series.copyStep(t, step);
        count++;
        for (int f = 0; f < d; f++) {
          double delta = step[f] - mean[f];
          mean[f] += delta / count;
          m2[f] += delta * (step[f] - mean[f]);
        }
      }
    }
    if (count == 0) {
      throw new IllegalArgumentException("no training values to fit a normaliser on");
    }
    float[] meanOut = new float[d];
    float[] stdOut = new float[d];
    for (int f = 0; f < d; f++) {
      double std = Math.sqrt(m2[f] / count);
      double floor = Math.max(minStd, RELATIVE_STD_FLOOR * Math.abs(mean[f]));
      meanOut[f] = (float) mean[f];
      stdOut[f] = (float) Math.max(std, floor);
    }
    return new Normalizer(meanOut, stdOut);
  }
}
