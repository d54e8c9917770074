package io.flinklstm.train;

import io.flinklstm.model.InputScaling;
import io.flinklstm.model.KeyScaler;
import io.flinklstm.model.TimeFeatures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The series a training run draws from: one per key, all with the same number of floats per step,
 * and all scaled the same way ({@link #scaling()}: as they are, or per key). A step is the event's
 * values, then its time inputs ({@link #time()}) when the model takes them. Immutable; a {@link
 * SequenceStore#snapshot()} or a set of files read offline.
 */
public final class SequenceSet {
  private final int inputSize;
  private final List<Series> series;
  private final InputScaling scaling;
  private final TimeFeatures time;

  /** Series of values as they are. */
  public SequenceSet(int inputSize, List<Series> series) {
    this(inputSize, series, InputScaling.NONE);
  }

  /** Series of values scaled by {@code scaling}, without time inputs. */
  public SequenceSet(int inputSize, List<Series> series, InputScaling scaling) {
    this(inputSize, series, scaling, TimeFeatures.NONE);
  }

  /**
   * @param inputSize floats per step: the values, then {@code time}'s inputs
   * @param scaling how the series' values were scaled
   * @param time the time inputs at the end of every step
   * @throws IllegalArgumentException if a series has another input size, a key repeats or the steps
   *     have no room for a value beside the time inputs
   */
  public SequenceSet(int inputSize, List<Series> series, InputScaling scaling, TimeFeatures time) {
    TrainerConfig.requireAtLeast("input size", inputSize - time.width(), 1);
    this.inputSize = inputSize;
    this.series = List.copyOf(series);
    this.scaling = java.util.Objects.requireNonNull(scaling, "scaling");
    this.time = time;
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

  /** Floats per step: the values, then the time inputs. */
  public int inputSize() {
    return inputSize;
  }

  /** D, the values per step, in front of the time inputs. */
  public int valueSize() {
    return inputSize - time.width();
  }

  /** The time inputs at the end of every step. */
  public TimeFeatures time() {
    return time;
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
    float[] values = new float[valueSize()];
    for (Series s : series) {
      KeyScaler scaler = new KeyScaler();
      float[] steps = new float[s.length() * inputSize];
      for (int t = 0; t < s.length(); t++) {
        s.copyStep(t, step);
        System.arraycopy(step, 0, values, 0, values.length);
        scaler.scale(spec, values, step);
        System.arraycopy(step, 0, steps, t * inputSize, inputSize);
      }
      out.add(Series.wrap(s.key(), inputSize, steps));
    }
    return new SequenceSet(inputSize, out, spec, time);
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
