package io.flinklstm.model.kernel;

import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.LstmLayer;

/**
 * The portable kernel: plain loops over padded rows, which the JIT auto-vectorises where it can.
 * Used where the {@code jdk.incubator.vector} module is not enabled.
 */
final class ScalarKernel implements LstmKernel {
  static final ScalarKernel INSTANCE = new ScalarKernel();

  private ScalarKernel() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void step(LstmLayer layer, float[] x, int xOff, float[] h, float[] c, int off, float[] z) {
    int stride = layer.stride();
    int inputs = layer.inputSize();
    float[][] rows = layer.rows();
    System.arraycopy(layer.paddedBias(), 0, z, 0, stride);
    for (int k = 0; k < inputs; k++) {
      accumulate(z, x[xOff + k], rows[k], stride);
    }
    for (int k = 0; k < layer.hiddenSize(); k++) {
      accumulate(z, h[off + k], rows[inputs + k], stride);
    }
    LstmKernel.gates(layer, z, 0, h, c, off);
  }

  @Override
  public void stepBatch(
      LstmLayer layer,
      float[][] xs,
      int xOff,
      float[][] hs,
      float[][] cs,
      int off,
      int n,
      float[] z) {
    for (int b = 0; b < n; b++) {
      step(layer, xs[b], xOff, hs[b], cs[b], off, z);
    }
  }

  @Override
  public int scratchSize(LstmLayer layer, int keys) {
    return layer.stride();
  }

  @Override
  public void dense(DenseLayer head, float[] x, int xOff, float[] out) {
    int outputs = head.outputSize();
    System.arraycopy(head.paddedBias(), 0, out, 0, outputs);
    for (int k = 0; k < head.inputSize(); k++) {
      float a = x[xOff + k];
      float[] row = head.rows()[k];
      for (int j = 0; j < outputs; j++) {
        out[j] += a * row[j];
      }
    }
  }

  private static void accumulate(float[] z, float a, float[] row, int stride) {
    for (int j = 0; j < stride; j++) {
      z[j] += a * row[j];
    }
  }
}
