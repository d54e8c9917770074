package io.flinklstm.model;

import java.util.Arrays;

/**
 * One vanilla (Elman) RNN layer's weights, immutable once built. For input x (size D) and previous
 * hidden state h (size H), one step computes
 *
 * <pre>
 *   h' = φ(x·Wx + h·Wh + b)          Wx: D × H, Wh: H × H, b: H
 * </pre>
 *
 * with φ the {@link #activation()}, tanh by default (Elman, 1990; the categorical model of
 * Karpathy's char-rnn). PyTorch's {@code nn.RNN} is this cell with b = bias_ih + bias_hh.
 *
 * <p>Rows are stored as {@link LstmLayer}'s {@code rows} are: D + H rows (input rows first), each
 * padded to a multiple of {@link LstmLayer#PAD}, so stepping is a broadcast-and-accumulate over
 * whole rows that the JIT vectorises.
 */
public final class RnnLayer implements RecurrentLayer {
  private final int inputSize;
  private final int hiddenSize;
  private final Activation activation;
  private final int stride;
  private final float[][] rows;
  private final float[] bias;

  /**
   * @param inputWeights D rows of H
   * @param recurrentWeights H rows of H
   * @param bias H
   * @throws IllegalArgumentException if a shape does not fit or a value is not finite
   */
  public RnnLayer(
      float[][] inputWeights, float[][] recurrentWeights, float[] bias, Activation activation) {
    if (recurrentWeights.length == 0) {
      throw new IllegalArgumentException("RNN layer: hidden size must be at least 1");
    }
    if (inputWeights.length == 0) {
      throw new IllegalArgumentException("RNN layer: input size must be at least 1");
    }
    this.inputSize = inputWeights.length;
    this.hiddenSize = recurrentWeights.length;
    this.activation = java.util.Objects.requireNonNull(activation, "activation");
    this.stride = LstmLayer.padded(hiddenSize);
    this.rows = new float[inputSize + hiddenSize][];
    for (int k = 0; k < inputSize; k++) {
      rows[k] = paddedRow("input weights", k, inputWeights[k]);
    }
    for (int k = 0; k < hiddenSize; k++) {
      rows[inputSize + k] = paddedRow("recurrent weights", k, recurrentWeights[k]);
    }
    this.bias = paddedRow("bias", 0, bias);
  }

  @Override
  public CellType cellType() {
    return CellType.RNN;
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

  @Override
  public long parameterCount() {
    return (long) (inputSize + hiddenSize + 1) * hiddenSize;
  }

  @Override
  public float[][] inputWeights() {
    return copyRows(0, inputSize);
  }

  @Override
  public float[][] recurrentWeights() {
    return copyRows(inputSize, hiddenSize);
  }

  @Override
  public float[] bias() {
    return Arrays.copyOf(bias, hiddenSize);
  }

  /** Floats of scratch {@link #step} needs. */
  public int scratchSize() {
    return stride;
  }

  /**
   * Advances one key: reads x at {@code [xOff, xOff + D)}, reads and replaces h at {@code [off, off
   * + H)}. Allocates nothing.
   *
   * @param z scratch of at least {@link #scratchSize()} floats
   */
  public void step(float[] x, int xOff, float[] h, int off, float[] z) {
    System.arraycopy(bias, 0, z, 0, stride);
    for (int k = 0; k < inputSize; k++) {
      accumulate(z, x[xOff + k], rows[k]);
    }
    for (int k = 0; k < hiddenSize; k++) {
      accumulate(z, h[off + k], rows[inputSize + k]);
    }
    for (int j = 0; j < hiddenSize; j++) {
      h[off + j] = activation.apply(z[j]);
    }
  }

  private void accumulate(float[] z, float a, float[] row) {
    for (int j = 0; j < stride; j++) {
      z[j] += a * row[j];
    }
  }

  private float[][] copyRows(int from, int count) {
    float[][] out = new float[count][];
    for (int k = 0; k < count; k++) {
      out[k] = Arrays.copyOf(rows[from + k], hiddenSize);
    }
    return out;
  }

  private float[] paddedRow(String what, int index, float[] values) {
    if (values.length != hiddenSize) {
      throw new IllegalArgumentException(
          "RNN layer: "
              + what
              + " row "
              + index
              + " has "
              + values.length
              + " values, expected hidden size "
              + hiddenSize);
    }
    float[] row = new float[stride];
    for (int j = 0; j < hiddenSize; j++) {
      if (!Float.isFinite(values[j])) {
        throw new IllegalArgumentException(
            "RNN layer: " + what + " [" + index + "][" + j + "] is " + values[j]);
      }
      row[j] = values[j];
    }
    return row;
  }
}
