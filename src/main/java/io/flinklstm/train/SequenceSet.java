package io.flinklstm.train;

import io.flinklstm.model.InputScaling;
import io.flinklstm.model.KeyScaler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The series a training run draws from: one per key, all with the same number of values per step,
 * and all scaled the same way ({@link #scaling()}: as they are, or per key). Immutable; a {@link
 * SequenceStore#snapshot()} or a set of files read offline.
 */
public final class SequenceSet {
  private final int inputSize;
  private final List<Series> series;
  private final InputScaling scaling;

  /** Series of values as they are. */
  public SequenceSet(int inputSize, List<Series> series) {
    this(inputSize, series, InputScaling.NONE);
  }

  /**
   * @param scaling how the series' values were scaled
   * @throws IllegalArgumentException if a series has another input size or a key repeats
   */
  public SequenceSet(int inputSize, List<Series> series, InputScaling scaling) {
    TrainerConfig.requireAtLeast("input size", inputSize, 1);
    this.inputSize = inputSize;
    this.series = List.copyOf(series);
    this.scaling = java.util.Objects.requireNonNull(scaling, "scaling");
    Set<String> keys = new HashSet<>();
    for (Series s : this.series) {
      if (s.inputSize() != inputSize) {
        throw new IllegalArgumentException(
            "series '"
                + s.key()
                + "' has "
                + s.inputSize()
                + " values per step, expected "
                + inputSize);
      }
      if (!keys.add(s.key())) {
        throw new IllegalArgumentException("series key '" + s.key() + "' appears twice");
      }
    }
  }

  /** D, the values per step. */
  public int inputSize() {
    return inputSize;
  }

  public List<Series> series() {
    return series;
  }

  /** How the values were scaled before they came here. */
  public InputScaling scaling() {
    return scaling;
  }

  /**
   * These series, as they are, scaled per key by {@code spec} as the job scales a key that starts
   * with the series' first value: a fresh {@link KeyScaler} per series, over its steps in order.
   *
   * @throws IllegalStateException if these series are scaled already
   */
  public SequenceSet scaled(InputScaling spec) {
    if (scaling.perKey()) {
      throw new IllegalStateException("the series are scaled already: " + scaling);
    }
    if (!spec.perKey()) {
      return this;
    }
    List<Series> out = new ArrayList<>(series.size());
    float[] step = new float[inputSize];
    for (Series s : series) {
      KeyScaler scaler = new KeyScaler();
      float[] values = new float[s.length() * inputSize];
      for (int t = 0; t < s.length(); t++) {
        s.copyStep(t, step);
        scaler.scale(spec, step, step);
        System.arraycopy(step, 0, values, t * inputSize, inputSize);
      }
      out.add(Series.wrap(s.key(), inputSize, values));
    }
    return new SequenceSet(inputSize, out, spec);
  }

  /** Steps over all series. */
  public long totalSteps() {
    long total = 0;
    for (Series s : series) {
      total += s.length();
    }
    return total;
  }
}
