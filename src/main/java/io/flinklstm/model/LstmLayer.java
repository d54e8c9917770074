package io.flinklstm.model;

/**
 * One LSTM layer's weights, immutable once built.
 *
 * <p>For input x (size D), previous hidden state h and cell c (size H), one step computes the four
 * gate pre-activations with a single fused affine map and then the gates:
 *
 * <pre>
 *   A  = x·Wx + h·Wh + b             Wx: D × 4H, Wh: H × 4H, b: 4H, blocks in gate order i, f, g, o
 *   i  = σ(A[i])    f = σ(A[f])    g = φ(A[g])    o = σ(A[o])
 *   c' = f ⊙ c + i ⊙ g
 *   h' = o ⊙ φ(c')
 * </pre>
 *
 * where σ is the {@link #recurrentActivation()} and φ the {@link #activation()} (Hochreiter and
 * Schmidhuber, 1997; the form with a forget gate from Gers et al., 2000).
 *
 * <p>The weights are kept twice, in two layouts for the two kernels (a few hundred KB at most):
 *
 * <ul>
 *   <li>{@code rows}: D + H rows of 4H columns (the input rows first, then the recurrent rows),
 *       each padded to a multiple of {@link #PAD} floats. Stepping broadcasts one input value and
 *       accumulates a 4H-wide row, which the JIT's auto-vectoriser turns into SIMD code.
 *   <li>{@code packed}: the hidden units in groups of {@link #GROUP}; for each group, the D + H
 *       rows of its 4 × GROUP columns (i, f, g, o of the group's units) stored one after another.
 *       The vector kernel then streams through one contiguous block per group, which the hardware
 *       prefetcher follows, and ends each group with all four gates of its units in registers.
 * </ul>
 */
public final class LstmLayer implements RecurrentLayer {
  /** Row padding in floats: one 512-bit vector. */
  public static final int PAD = 16;

  /** Hidden units per group of the packed layout: one 512-bit vector of each gate. */
  public static final int GROUP = 16;

  /** Floats of one packed row of a group: i, f, g, o of its units. */
  public static final int GROUP_WIDTH = 4 * GROUP;

  private final int inputSize;
  private final int hiddenSize;
  private final Activation activation;
  private final Activation recurrentActivation;
  private final int stride;
  private final float[][] rows;
  private final float[] bias;
  private final float[] packed;
  private final float[] packedBias;

  /**
   * Builds a layer from weights in the logical layout, gate order i, f, g, o.
   *
   * @param inputWeights D rows of 4H
   * @param recurrentWeights H rows of 4H
   * @param bias 4H
   * @throws IllegalArgumentException if a shape does not fit or a value is not finite
   */
  public LstmLayer(
      float[][] inputWeights,
      float[][] recurrentWeights,
      float[] bias,
      Activation activation,
      Activation recurrentActivation) {
    if (recurrentWeights.length == 0) {
      throw new IllegalArgumentException("LSTM layer: hidden size must be at least 1");
    }
    if (inputWeights.length == 0) {
      throw new IllegalArgumentException("LSTM layer: input size must be at least 1");
    }
    this.inputSize = inputWeights.length;
    this.hiddenSize = recurrentWeights.length;
    this.activation = activation;
    this.recurrentActivation = recurrentActivation;
    int gates = Math.multiplyExact(4, hiddenSize);
    this.stride = padded(gates);
    this.rows = new float[inputSize + hiddenSize][];
    for (int k = 0; k < inputSize; k++) {
      rows[k] = paddedRow("input weights", k, inputWeights[k], gates);
    }
    for (int k = 0; k < hiddenSize; k++) {
      rows[inputSize + k] = paddedRow("recurrent weights", k, recurrentWeights[k], gates);
    }
    this.bias = paddedRow("bias", 0, bias, gates);
    int groups = groups();
    this.packed = new float[Math.multiplyExact(groups * (inputSize + hiddenSize), GROUP_WIDTH)];
    this.packedBias = new float[groups * GROUP_WIDTH];
    for (int k = 0; k < inputSize + hiddenSize; k++) {
      pack(rows[k], packed, k * GROUP_WIDTH, (inputSize + hiddenSize) * GROUP_WIDTH);
    }
    pack(this.bias, packedBias, 0, GROUP_WIDTH);
  }

  @Override
  public CellType cellType() {
    return CellType.LSTM;
  }

  @Override
  public int inputSize() {
    return inputSize;
  }

  @Override
  public int hiddenSize() {
    return hiddenSize;
  }

  @Override
  public Activation activation() {
    return activation;
  }

  public Activation recurrentActivation() {
    return recurrentActivation;
  }

  /** Number of parameters: (D + H + 1) · 4H. */
  @Override
  public long parameterCount() {
    return (long) (inputSize + hiddenSize + 1) * 4 * hiddenSize;
  }

  /** Padded row length, at least 4H. */
  public int stride() {
    return stride;
  }

  /** A copy of Wx, D × 4H. */
  @Override
  public float[][] inputWeights() {
    return copyRows(0, inputSize);
  }

  /** A copy of Wh, H × 4H. */
  @Override
  public float[][] recurrentWeights() {
    return copyRows(inputSize, hiddenSize);
  }

  /** A copy of b, 4H. */
  @Override
  public float[] bias() {
    return java.util.Arrays.copyOf(bias, 4 * hiddenSize);
  }

  // The kernels' layouts, described in the class comment: live arrays, which the kernels of
  // io.flinklstm.model.kernel and io.flinklstm.model.bptt read and nothing may write.

  /** The {@code rows} layout: D + H rows of {@link #stride()} floats, the input rows first. */
  public float[][] rows() {
    return rows;
  }

  /** b in {@link #stride()} floats. */
  public float[] paddedBias() {
    return bias;
  }

  /** The {@code packed} layout. */
  public float[] packed() {
    return packed;
  }

  /** b in the {@code packed} layout. */
  public float[] packedBias() {
    return packedBias;
  }

  private float[][] copyRows(int from, int count) {
    float[][] out = new float[count][];
    for (int k = 0; k < count; k++) {
      out[k] = java.util.Arrays.copyOf(rows[from + k], 4 * hiddenSize);
    }
    return out;
  }

  /** Groups of {@link #GROUP} hidden units in the packed layout, the last one possibly partial. */
  public int groups() {
    return (hiddenSize + GROUP - 1) / GROUP;
  }

  /** The hidden size rounded up to whole groups. */
  public int paddedHidden() {
    return groups() * GROUP;
  }

  /**
   * Spreads a logical row (i, f, g, o blocks of H) over the groups, zeros for missing units. With
   * the logistic sigmoid as σ, the i, f and o columns are halved (exactly, a power of two): the
   * vector kernel evaluates σ(x) as tanh(x / 2) / 2 + 1 / 2 and so saves the multiplication.
   */
  private void pack(float[] row, float[] out, int at, int groupStride) {
    float sigmoidScale = recurrentActivation == Activation.SIGMOID ? 0.5f : 1f;
    for (int gate = 0; gate < 4; gate++) {
      float scale = gate == 2 ? 1f : sigmoidScale;
      for (int unit = 0; unit < hiddenSize; unit++) {
        int group = unit / GROUP;
        out[at + group * groupStride + gate * GROUP + unit % GROUP] =
            scale * row[gate * hiddenSize + unit];
      }
    }
  }

  /** n rounded up to whole rows of {@link #PAD} floats. */
  public static int padded(int n) {
    return (n + PAD - 1) / PAD * PAD;
  }

  private float[] paddedRow(String what, int index, float[] values, int expected) {
    if (values.length != expected) {
      throw new IllegalArgumentException(
          "LSTM layer: "
              + what
              + " row "
              + index
              + " has "
              + values.length
              + " values, expected 4 × hidden size = "
              + expected);
    }
    float[] row = new float[stride];
    for (int j = 0; j < expected; j++) {
      if (!Float.isFinite(values[j])) {
        throw new IllegalArgumentException(
            "LSTM layer: " + what + " [" + index + "][" + j + "] is " + values[j]);
      }
      row[j] = values[j];
    }
    return row;
  }
}
