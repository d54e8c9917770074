package io.flinklstm.train;

/**
 * One batch of training windows in normalised units, in the layout {@link
 * io.flinklstm.model.bptt.Bptt} takes: N sequences × steps × D. Window b consists of {@code burnIn
 * + window + 1} consecutive values v₀ … of one key: {@code burnInInputs[b]} holds v₀ … v_{B−1},
 * {@code inputs[b]} holds v_B … v_{B+W−1} and {@code targets[b]} the values one step later, v_{B+1}
 * … v_{B+W}.
 *
 * <p>The arrays are live and reused from batch to batch, so drawing a batch allocates nothing.
 */
public final class WindowBatch {
  private final float[][][] burnInInputs;
  private final float[][][] inputs;
  private final float[][][] targets;

  /**
   * @throws IllegalArgumentException if a size is out of range
   */
  public WindowBatch(int size, int burnIn, int window, int inputSize) {
    TrainerConfig.requireAtLeast("batch size", size, 1);
    TrainerConfig.requireAtLeast("burn-in", burnIn, 0);
    TrainerConfig.requireAtLeast("window", window, 1);
    TrainerConfig.requireAtLeast("input size", inputSize, 1);
    this.burnInInputs = new float[size][burnIn][inputSize];
    this.inputs = new float[size][window][inputSize];
    this.targets = new float[size][window][inputSize];
  }

  public int size() {
    return inputs.length;
  }

  public int burnIn() {
    return burnInInputs[0].length;
  }

  public int window() {
    return inputs[0].length;
  }

  public int inputSize() {
    return inputs[0][0].length;
  }

  /** N × B × D, run before the window without loss. */
  public float[][][] burnInInputs() {
    return burnInInputs;
  }

  /** N × W × D. */
  public float[][][] inputs() {
    return inputs;
  }

  /** N × W × D: {@code targets[b][t]} is the value after {@code inputs[b][t]}. */
  public float[][][] targets() {
    return targets;
  }
}
