package io.flinklstm.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD kernel on the JDK Vector API. Loaded only when {@code jdk.incubator.vector} is in the
 * boot layer (see {@link Kernels}).
 *
 * <p>At batch 1 the step is a matrix-vector product bound by reading the weights: each column tile
 * keeps four accumulators in registers while the D + H rows stream past. The batched step keeps a
 * tile of four keys × four vectors of gate columns in sixteen registers, so every weight vector
 * loaded is used for four keys and the step becomes bound by arithmetic rather than memory.
 *
 * <p>No {@code FloatVector} crosses a method boundary except into small helpers that the JIT
 * inlines, and no masked operation is used (both box on Java 17); rows are padded instead, and
 * hidden sizes that are not a multiple of the vector length finish with a scalar tail.
 */
final class VectorKernel implements LstmKernel {
  static final VectorKernel INSTANCE = new VectorKernel();

  static final VectorSpecies<Float> S =
      FloatVector.SPECIES_PREFERRED.length() >= LstmLayer.PAD
          ? FloatVector.SPECIES_512
          : FloatVector.SPECIES_PREFERRED;
  static final int L = S.length();

  private VectorKernel() {}

  @Override
  public String name() {
    return "vector-" + S.vectorBitSize();
  }

  @Override
  public void step(LstmLayer layer, float[] x, int xOff, float[] h, float[] c, int off, float[] z) {
    int stride = layer.stride();
    int col = 0;
    for (; col + 4 * L <= stride; col += 4 * L) {
      affine4(layer, x, xOff, h, off, z, col);
    }
    for (; col < stride; col += L) {
      affine1(layer, x, xOff, h, off, z, col);
    }
    gates(layer, z, 0, h, c, off);
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
    int stride = layer.stride();
    int b = 0;
    for (; b + BATCH_TILE <= n; b += BATCH_TILE) {
      int col = 0;
      for (; col + 4 * L <= stride; col += 4 * L) {
        affineKeys4x4(layer, xs, xOff, hs, off, b, z, col);
      }
      for (; col < stride; col += L) {
        affineKeys4x1(layer, xs, xOff, hs, off, b, z, col);
      }
      for (int t = 0; t < BATCH_TILE; t++) {
        gates(layer, z, t * stride, hs[b + t], cs[b + t], off);
      }
    }
    for (; b < n; b++) {
      step(layer, xs[b], xOff, hs[b], cs[b], off, z);
    }
  }

  @Override
  public void dense(DenseLayer head, float[] x, int xOff, float[] out) {
    // Heads are narrow (O = D); the scalar loop is as fast and handles any O.
    ScalarKernel.INSTANCE.dense(head, x, xOff, out);
  }

  /** z[col, col + 4L) = b + x·Wx + h·Wh over four vectors of columns. */
  private static void affine4(
      LstmLayer layer, float[] x, int xOff, float[] h, int off, float[] z, int col) {
    float[][] rows = layer.rows;
    int inputs = layer.inputSize();
    FloatVector a0 = FloatVector.fromArray(S, layer.bias, col);
    FloatVector a1 = FloatVector.fromArray(S, layer.bias, col + L);
    FloatVector a2 = FloatVector.fromArray(S, layer.bias, col + 2 * L);
    FloatVector a3 = FloatVector.fromArray(S, layer.bias, col + 3 * L);
    for (int k = 0; k < inputs; k++) {
      float[] row = rows[k];
      FloatVector v = FloatVector.broadcast(S, x[xOff + k]);
      a0 = FloatVector.fromArray(S, row, col).fma(v, a0);
      a1 = FloatVector.fromArray(S, row, col + L).fma(v, a1);
      a2 = FloatVector.fromArray(S, row, col + 2 * L).fma(v, a2);
      a3 = FloatVector.fromArray(S, row, col + 3 * L).fma(v, a3);
    }
    for (int k = 0; k < layer.hiddenSize(); k++) {
      float[] row = rows[inputs + k];
      FloatVector v = FloatVector.broadcast(S, h[off + k]);
      a0 = FloatVector.fromArray(S, row, col).fma(v, a0);
      a1 = FloatVector.fromArray(S, row, col + L).fma(v, a1);
      a2 = FloatVector.fromArray(S, row, col + 2 * L).fma(v, a2);
      a3 = FloatVector.fromArray(S, row, col + 3 * L).fma(v, a3);
    }
    a0.intoArray(z, col);
    a1.intoArray(z, col + L);
    a2.intoArray(z, col + 2 * L);
    a3.intoArray(z, col + 3 * L);
  }

  /** z[col, col + L) = b + x·Wx + h·Wh over one vector of columns. */
  private static void affine1(
      LstmLayer layer, float[] x, int xOff, float[] h, int off, float[] z, int col) {
    float[][] rows = layer.rows;
    int inputs = layer.inputSize();
    FloatVector a0 = FloatVector.fromArray(S, layer.bias, col);
    for (int k = 0; k < inputs; k++) {
      a0 = FloatVector.fromArray(S, rows[k], col).fma(FloatVector.broadcast(S, x[xOff + k]), a0);
    }
    for (int k = 0; k < layer.hiddenSize(); k++) {
      float[] row = rows[inputs + k];
      a0 = FloatVector.fromArray(S, row, col).fma(FloatVector.broadcast(S, h[off + k]), a0);
    }
    a0.intoArray(z, col);
  }

  /** For keys b..b+3: z[t·stride + col, + 4L) = b + x_t·Wx + h_t·Wh. */
  private static void affineKeys4x4(
      LstmLayer layer, float[][] xs, int xOff, float[][] hs, int off, int b, float[] z, int col) {
    float[][] rows = layer.rows;
    int inputs = layer.inputSize();
    int stride = layer.stride();
    FloatVector w0 = FloatVector.fromArray(S, layer.bias, col);
    FloatVector w1 = FloatVector.fromArray(S, layer.bias, col + L);
    FloatVector w2 = FloatVector.fromArray(S, layer.bias, col + 2 * L);
    FloatVector w3 = FloatVector.fromArray(S, layer.bias, col + 3 * L);
    FloatVector a00 = w0, a01 = w1, a02 = w2, a03 = w3;
    FloatVector a10 = w0, a11 = w1, a12 = w2, a13 = w3;
    FloatVector a20 = w0, a21 = w1, a22 = w2, a23 = w3;
    FloatVector a30 = w0, a31 = w1, a32 = w2, a33 = w3;
    float[] x0 = xs[b], x1 = xs[b + 1], x2 = xs[b + 2], x3 = xs[b + 3];
    for (int k = 0; k < inputs; k++) {
      float[] row = rows[k];
      w0 = FloatVector.fromArray(S, row, col);
      w1 = FloatVector.fromArray(S, row, col + L);
      w2 = FloatVector.fromArray(S, row, col + 2 * L);
      w3 = FloatVector.fromArray(S, row, col + 3 * L);
      FloatVector v0 = FloatVector.broadcast(S, x0[xOff + k]);
      FloatVector v1 = FloatVector.broadcast(S, x1[xOff + k]);
      FloatVector v2 = FloatVector.broadcast(S, x2[xOff + k]);
      FloatVector v3 = FloatVector.broadcast(S, x3[xOff + k]);
      a00 = w0.fma(v0, a00);
      a01 = w1.fma(v0, a01);
      a02 = w2.fma(v0, a02);
      a03 = w3.fma(v0, a03);
      a10 = w0.fma(v1, a10);
      a11 = w1.fma(v1, a11);
      a12 = w2.fma(v1, a12);
      a13 = w3.fma(v1, a13);
      a20 = w0.fma(v2, a20);
      a21 = w1.fma(v2, a21);
      a22 = w2.fma(v2, a22);
      a23 = w3.fma(v2, a23);
      a30 = w0.fma(v3, a30);
      a31 = w1.fma(v3, a31);
      a32 = w2.fma(v3, a32);
      a33 = w3.fma(v3, a33);
    }
    float[] h0 = hs[b], h1 = hs[b + 1], h2 = hs[b + 2], h3 = hs[b + 3];
    for (int k = 0; k < layer.hiddenSize(); k++) {
      float[] row = rows[inputs + k];
      w0 = FloatVector.fromArray(S, row, col);
      w1 = FloatVector.fromArray(S, row, col + L);
      w2 = FloatVector.fromArray(S, row, col + 2 * L);
      w3 = FloatVector.fromArray(S, row, col + 3 * L);
      FloatVector v0 = FloatVector.broadcast(S, h0[off + k]);
      FloatVector v1 = FloatVector.broadcast(S, h1[off + k]);
      FloatVector v2 = FloatVector.broadcast(S, h2[off + k]);
      FloatVector v3 = FloatVector.broadcast(S, h3[off + k]);
      a00 = w0.fma(v0, a00);
      a01 = w1.fma(v0, a01);
      a02 = w2.fma(v0, a02);
      a03 = w3.fma(v0, a03);
      a10 = w0.fma(v1, a10);
      a11 = w1.fma(v1, a11);
      a12 = w2.fma(v1, a12);
      a13 = w3.fma(v1, a13);
      a20 = w0.fma(v2, a20);
      a21 = w1.fma(v2, a21);
      a22 = w2.fma(v2, a22);
      a23 = w3.fma(v2, a23);
      a30 = w0.fma(v3, a30);
      a31 = w1.fma(v3, a31);
      a32 = w2.fma(v3, a32);
      a33 = w3.fma(v3, a33);
    }
    a00.intoArray(z, col);
    a01.intoArray(z, col + L);
    a02.intoArray(z, col + 2 * L);
    a03.intoArray(z, col + 3 * L);
    a10.intoArray(z, stride + col);
    a11.intoArray(z, stride + col + L);
    a12.intoArray(z, stride + col + 2 * L);
    a13.intoArray(z, stride + col + 3 * L);
    a20.intoArray(z, 2 * stride + col);
    a21.intoArray(z, 2 * stride + col + L);
    a22.intoArray(z, 2 * stride + col + 2 * L);
    a23.intoArray(z, 2 * stride + col + 3 * L);
    a30.intoArray(z, 3 * stride + col);
    a31.intoArray(z, 3 * stride + col + L);
    a32.intoArray(z, 3 * stride + col + 2 * L);
    a33.intoArray(z, 3 * stride + col + 3 * L);
  }

  /** For keys b..b+3: one vector of columns. */
  private static void affineKeys4x1(
      LstmLayer layer, float[][] xs, int xOff, float[][] hs, int off, int b, float[] z, int col) {
    float[][] rows = layer.rows;
    int inputs = layer.inputSize();
    int stride = layer.stride();
    FloatVector a0 = FloatVector.fromArray(S, layer.bias, col);
    FloatVector a1 = a0, a2 = a0, a3 = a0;
    float[] x0 = xs[b], x1 = xs[b + 1], x2 = xs[b + 2], x3 = xs[b + 3];
    for (int k = 0; k < inputs; k++) {
      FloatVector w = FloatVector.fromArray(S, rows[k], col);
      a0 = w.fma(FloatVector.broadcast(S, x0[xOff + k]), a0);
      a1 = w.fma(FloatVector.broadcast(S, x1[xOff + k]), a1);
      a2 = w.fma(FloatVector.broadcast(S, x2[xOff + k]), a2);
      a3 = w.fma(FloatVector.broadcast(S, x3[xOff + k]), a3);
    }
    float[] h0 = hs[b], h1 = hs[b + 1], h2 = hs[b + 2], h3 = hs[b + 3];
    for (int k = 0; k < layer.hiddenSize(); k++) {
      FloatVector w = FloatVector.fromArray(S, rows[inputs + k], col);
      a0 = w.fma(FloatVector.broadcast(S, h0[off + k]), a0);
      a1 = w.fma(FloatVector.broadcast(S, h1[off + k]), a1);
      a2 = w.fma(FloatVector.broadcast(S, h2[off + k]), a2);
      a3 = w.fma(FloatVector.broadcast(S, h3[off + k]), a3);
    }
    a0.intoArray(z, col);
    a1.intoArray(z, stride + col);
    a2.intoArray(z, 2 * stride + col);
    a3.intoArray(z, 3 * stride + col);
  }

  /** The gates and state update over vectors of hidden units, then a scalar tail. */
  private static void gates(LstmLayer layer, float[] z, int zOff, float[] h, float[] c, int off) {
    int hidden = layer.hiddenSize();
    Activation act = layer.activation();
    Activation rec = layer.recurrentActivation();
    int j = 0;
    for (; j + L <= hidden; j += L) {
      FloatVector inGate = activate(rec, FloatVector.fromArray(S, z, zOff + j));
      FloatVector forgetGate = activate(rec, FloatVector.fromArray(S, z, zOff + hidden + j));
      FloatVector candidate = activate(act, FloatVector.fromArray(S, z, zOff + 2 * hidden + j));
      FloatVector outGate = activate(rec, FloatVector.fromArray(S, z, zOff + 3 * hidden + j));
      FloatVector cell =
          forgetGate.mul(FloatVector.fromArray(S, c, off + j)).add(inGate.mul(candidate));
      cell.intoArray(c, off + j);
      outGate.mul(activate(act, cell)).intoArray(h, off + j);
    }
    for (; j < hidden; j++) {
      float inGate = rec.apply(z[zOff + j]);
      float forgetGate = rec.apply(z[zOff + hidden + j]);
      float candidate = act.apply(z[zOff + 2 * hidden + j]);
      float outGate = rec.apply(z[zOff + 3 * hidden + j]);
      float cell = forgetGate * c[off + j] + inGate * candidate;
      c[off + j] = cell;
      h[off + j] = outGate * act.apply(cell);
    }
  }

  private static FloatVector activate(Activation a, FloatVector v) {
    switch (a) {
      case SIGMOID:
        return tanh(v.mul(0.5f)).fma(0.5f, 0.5f);
      case HARD_SIGMOID:
        return v.fma(Activation.HARD_SIGMOID_SLOPE, 0.5f).max(0f).min(1f);
      case TANH:
        return tanh(v);
      case RELU:
        return v.max(0f);
      case IDENTITY:
      default:
        return v;
    }
  }

  /** The same rational approximation as {@link Activation#fastTanh}, lane-wise. */
  private static FloatVector tanh(FloatVector x) {
    FloatVector xc = x.max(-Activation.TANH_CLAMP).min(Activation.TANH_CLAMP);
    FloatVector x2 = xc.mul(xc);
    FloatVector p = x2.fma(Activation.A13, Activation.A11);
    p = p.mul(x2).add(Activation.A9);
    p = p.mul(x2).add(Activation.A7);
    p = p.mul(x2).add(Activation.A5);
    p = p.mul(x2).add(Activation.A3);
    p = p.mul(x2).add(Activation.A1);
    p = p.mul(xc);
    FloatVector q = x2.fma(Activation.B6, Activation.B4);
    q = q.mul(x2).add(Activation.B2);
    q = q.mul(x2).add(Activation.B0);
    return p.div(q);
  }
}
