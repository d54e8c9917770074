package io.flinklstm.train;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The series a training run draws from: one per key, all with the same number of values per step.
 * Immutable; a {@link SequenceStore#snapshot()} or a set of files read offline.
 */
public final class SequenceSet {
  private final int inputSize;
  private final List<Series> series;

  /**
   * @throws IllegalArgumentException if a series has another input size or a key repeats
   */
  public SequenceSet(int inputSize, List<Series> series) {
    TrainerConfig.requireAtLeast("input size", inputSize, 1);
    this.inputSize = inputSize;
    this.series = List.copyOf(series);
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

  /** Steps over all series. */
  public long totalSteps() {
    long total = 0;
    for (Series s : series) {
      total += s.length();
    }
    return total;
  }
}
