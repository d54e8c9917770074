package io.flinklstm.model;

import java.util.Arrays;

/**
 * The output head: y = h·W + b, W of shape H × O, mapping the last LSTM layer's hidden state to a
 * prediction of the next (normalised) input vector.
 *
 * <p>Rows are padded like {@link LstmLayer}'s so the same row-broadcast loop serves both.
 */
public final class DenseLayer {
  private final int inputSize;
  private final int outputSize;
  private final int stride;
  private final float[][] rows;
  private final float[] bias;

  /**
   * For the vector kernel: the columns in blocks of {@link LstmLayer#PAD}, each block's H rows one
   * after another, so that column j of row k is at {@code (j / PAD·H + k)·PAD + j mod PAD}. Rows of
   * a block are a constant {@code PAD} floats apart, which lets the JIT hoist the loads' bounds
   * checks out of the loop over rows.
   */
  private final float[] packed;

  /**
   * @param weights H rows of O
   * @param bias O
   * @throws IllegalArgumentException if a shape does not fit or a value is not finite
   */
  public DenseLayer(float[][] weights, float[] bias) {
    if (weights.length == 0 || bias.length == 0) {
      throw new IllegalArgumentException("dense head: input and output sizes must be at least 1");
    }
    this.inputSize = weights.length;
    this.outputSize = bias.length;
    this.stride = LstmLayer.padded(outputSize);
    this.rows = new float[inputSize][];
    for (int k = 0; k < inputSize; k++) {
      rows[k] = padded("weights", k, weights[k]);
    }
    this.bias = padded("bias", 0, bias);
    int pad = LstmLayer.PAD;
    this.packed = new float[Math.multiplyExact(inputSize, stride)];
    for (int block = 0; block < stride / pad; block++) {
      for (int k = 0; k < inputSize; k++) {
        System.arraycopy(rows[k], block * pad, packed, (block * inputSize + k) * pad, pad);
      }
    }
  }

  public int inputSize() {
    return inputSize;
  }

  public int outputSize() {
    return outputSize;
  }

  /** Padded row length, at least O. */
  public int stride() {
    return stride;
  }

  // The kernels' layouts: live arrays, which the kernels of io.flinklstm.model.kernel and
  // io.flinklstm.model.bptt read and nothing may write.

  /** H rows of {@link #stride()} floats. */
  public float[][] rows() {
    return rows;
  }

  /** b in {@link #stride()} floats. */
  public float[] paddedBias() {
    return bias;
  }

  /** The vector kernel's layout (see the field's comment). */
  public float[] packed() {
    return packed;
  }

  /** A copy of W, H × O. */
  public float[][] weights() {
    float[][] out = new float[inputSize][];
    for (int k = 0; k < inputSize; k++) {
      out[k] = Arrays.copyOf(rows[k], outputSize);
    }
    return out;
  }

  /** A copy of b. */
  public float[] bias() {
    return Arrays.copyOf(bias, outputSize);
  }

  private float[] padded(String what, int index, float[] values) {
    if (values.length != outputSize) {
      throw new IllegalArgumentException(
          "dense head: "
              + what
              + " row "
              + index
              + " has "
              + values.length
              + " values, expected output size "
              + outputSize);
    }
    float[] row = new float[stride];
    for (int j = 0; j < outputSize; j++) {
      if (!Float.isFinite(values[j])) {
        throw new IllegalArgumentException(
            "dense head: " + what + " [" + index + "][" + j + "] is " + values[j]);
      }
      row[j] = values[j];
    }
    return row;
  }
}
