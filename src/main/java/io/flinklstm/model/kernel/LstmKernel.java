package io.flinklstm.model.kernel;

import io.flinklstm.model.Activation;
import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.LstmLayer;

/**
 * The arithmetic of one step, separated from the model so that a SIMD implementation can replace
 * the portable one. Implementations are stateless and allocate nothing; callers own all buffers.
 */
interface LstmKernel {

  /** A short name for logs and benchmarks. */
  String name();

  /**
   * Advances one key through one layer: reads the layer input {@code x[xOff, xOff + D)}, reads and
   * replaces h and c at {@code [off, off + H)}.
   *
   * @param z scratch of at least {@link #scratchSize scratchSize(layer, 1)} floats
   */
  void step(LstmLayer layer, float[] x, int xOff, float[] h, float[] c, int off, float[] z);

  /**
   * Advances {@code n} keys through one layer; key b reads {@code xs[b]} from {@code xOff} and
   * updates {@code hs[b]} and {@code cs[b]} at {@code off}. Equal to n calls of {@link #step}.
   *
   * @param z scratch of at least {@link #scratchSize scratchSize(layer, n)} floats
   */
  void stepBatch(
      LstmLayer layer,
      float[][] xs,
      int xOff,
      float[][] hs,
      float[][] cs,
      int off,
      int n,
      float[] z);

  /** Floats of scratch that stepping {@code keys} keys together through {@code layer} needs. */
  int scratchSize(LstmLayer layer, int keys);

  /** {@code out[0, O) = x[xOff, xOff + H)·W + b}; out has room for {@link DenseLayer#stride()}. */
  void dense(DenseLayer head, float[] x, int xOff, float[] out);

  /**
   * {@link #dense} for keys 0..n-1, from {@code xs[b]} to {@code outs[b]}, to the bit the same.
   * Each {@code outs[b]} has room for {@link DenseLayer#stride()}.
   */
  default void denseBatch(DenseLayer head, float[][] xs, int xOff, int n, float[][] outs) {
    for (int b = 0; b < n; b++) {
      dense(head, xs[b], xOff, outs[b]);
    }
  }

  /** The gate non-linearities and state update of one key, from pre-activations at z[zOff]. */
  static void gates(LstmLayer layer, float[] z, int zOff, float[] h, float[] c, int off) {
    int hidden = layer.hiddenSize();
    Activation act = layer.activation();
    Activation rec = layer.recurrentActivation();
    int iBase = zOff;
    int fBase = zOff + hidden;
    int gBase = zOff + 2 * hidden;
    int oBase = zOff + 3 * hidden;
    for (int j = 0; j < hidden; j++) {
      float inGate = rec.apply(z[iBase + j]);
      float forgetGate = rec.apply(z[fBase + j]);
      float candidate = act.apply(z[gBase + j]);
      float outGate = rec.apply(z[oBase + j]);
      float cell = forgetGate * c[off + j] + inGate * candidate;
      c[off + j] = cell;
      h[off + j] = outGate * act.apply(cell);
    }
  }
}
