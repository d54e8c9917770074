package io.flinklstm.train;

import io.flinklstm.model.Normalizer;
import java.util.SplittableRandom;

/**
 * Draws batches of training windows, uniformly over every (key, start) position of a {@link
 * TrainingData}'s training part, with replacement, so a key weighs in proportion to its data. A
 * window holding a step the job flagged ({@link Series#flaggedIn}) is drawn again, up to {@value
 * #REDRAWS} times, so the model does not learn what was flagged. Values are normalised on the way
 * into the batch (time inputs pass as they are), and the targets' first D floats are the values a
 * model predicts. The same seed and data give the same batches.
 */
public final class WindowSampler {
  /** Draws of a window before one holding flagged steps is taken anyway (they are rare). */
  static final int REDRAWS = 32;

  private final TrainingData data;
  private final Normalizer normalizer;
  private final SplittableRandom random;
  private final float[] raw;

  /**
   * @throws IllegalArgumentException if the data has no training window or the normaliser another
   *     input size
   */
  public WindowSampler(TrainingData data, Normalizer normalizer, long seed) {
    if (data.trainingWindows() == 0) {
      throw new IllegalArgumentException(
          "no training windows: no key has the burn-in + window + 1 = "
              + (data.burnIn() + data.window() + 1)
              + " values before its validation part that one window needs");
    }
    if (normalizer.size() != data.valueSize()) {
      throw new IllegalArgumentException(
          "the normaliser has " + normalizer.size() + " values but the data " + data.valueSize());
    }
    this.data = data;
    this.normalizer = normalizer;
    this.random = new SplittableRandom(seed);
    this.raw = new float[data.inputSize()];
  }

  /**
   * Fills every window of the batch.
   *
   * @throws IllegalArgumentException if the batch's window, burn-in or input size differ from the
   *     data's
   */
  public void next(WindowBatch batch) {
    if (batch.window() != data.window()
        || batch.burnIn() != data.burnIn()
        || batch.inputSize() != data.inputSize()) {
      throw new IllegalArgumentException(
          "batch of window "
              + batch.window()
              + ", burn-in "
              + batch.burnIn()
              + " and input size "
              + batch.inputSize()
              + " does not fit data of "
              + data.window()
              + ", "
              + data.burnIn()
              + " and "
              + data.inputSize());
    }
    int span = data.burnIn() + data.window() + 1;
    for (int b = 0; b < batch.size(); b++) {
      long at = data.locateTrainingWindow(random.nextLong(data.trainingWindows()));
      for (int redraw = 0;
          redraw < REDRAWS && data.series((int) (at >>> 32)).flaggedIn((int) at, (int) at + span);
          redraw++) {
        at = data.locateTrainingWindow(random.nextLong(data.trainingWindows()));
      }
      fill(batch, b, data.series((int) (at >>> 32)), (int) at);
    }
  }

  private void fill(WindowBatch batch, int b, Series series, int start) {
    int burnIn = batch.burnIn();
    for (int t = 0; t < burnIn; t++) {
      series.copyStep(start + t, raw);
      normalizer.normalizeStep(raw, batch.burnInInputs()[b][t]);
    }
    int first = start + burnIn;
    for (int t = 0; t < batch.window(); t++) {
      series.copyStep(first + t, raw);
      normalizer.normalizeStep(raw, batch.inputs()[b][t]);
    }
    // Targets are the inputs shifted by one: copy instead of normalising again.
    for (int t = 0; t + 1 < batch.window(); t++) {
      System.arraycopy(batch.inputs()[b][t + 1], 0, batch.targets()[b][t], 0, raw.length);
    }
    series.copyStep(first + batch.window(), raw);
    normalizer.normalizeStep(raw, batch.targets()[b][batch.window() - 1]);
  }
}
