package io.flinklstm.model.bptt;

import io.flinklstm.model.kernel.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD {@link BpttKernel} on the JDK Vector API; loaded only when {@code jdk.incubator.vector}
 * is in the boot layer.
 *
 * <p>{@link #affine} keeps a tile of four sequences × four vectors of columns in sixteen
 * accumulator registers and walks k, loading each weight vector once for four sequences, which
 * makes it bound by multiply-adds rather than by loads, as in {@link VectorKernel}'s batched step;
 * narrow outputs (the head) get four sequences × one vector, so that four independent chains hide
 * the FMA latency. {@link VectorOuterProducts} does the same for the gradients, and {@link
 * VectorGates} the element-wise gate passes.
 */
final class VectorBpttKernel implements BpttKernel {
  static final VectorBpttKernel INSTANCE = new VectorBpttKernel();

  private static final VectorSpecies<Float> S = VectorWidth.SPECIES;
  private static final int L = VectorWidth.LANES;

  private VectorBpttKernel() {}

  @Override
  public String name() {
    return "vector-" + S.vectorBitSize();
  }

  @Override
  public void affine(
      float[] in,
      int inOff,
      int inStride,
      int n,
      float[][] w,
      int kCount,
      float[] bias,
      float[] out,
      int outStride,
      int cols) {
    // Column tiles outside, row groups inside: a tile of the weights (K × 4 vectors, under 20 KB
    // for K = 73) then stays in L1 while every group of four sequences passes over it.
    int col = 0;
    for (; col + 4 * L <= cols; col += 4 * L) {
      int r = 0;
      for (; r + 4 <= n; r += 4) {
        affine4x4(
            in,
            r * inStride + inOff,
            inStride,
            w,
            kCount,
            bias,
            out,
            r * outStride,
            outStride,
            col);
      }
      for (; r < n; r++) {
        for (int c = col; c < col + 4 * L; c += L) {
          affine1x1(in, r * inStride + inOff, w, kCount, bias, out, r * outStride + c, c);
        }
      }
    }
    for (; col < cols; col += L) {
      int r = 0;
      for (; r + 4 <= n; r += 4) {
        affine4x1(
            in,
            r * inStride + inOff,
            inStride,
            w,
            kCount,
            bias,
            out,
            r * outStride,
            outStride,
            col);
      }
      for (; r < n; r++) {
        affine1x1(in, r * inStride + inOff, w, kCount, bias, out, r * outStride + col, col);
      }
    }
  }

  /** Four rows, one vector of columns: four independent accumulators hide the FMA latency. */
  private static void affine4x1(
      float[] in,
      int i0,
      int inStride,
      float[][] w,
      int kCount,
      float[] bias,
      float[] out,
      int o0,
      int outStride,
      int col) {
    FloatVector b = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, col);
    FloatVector a0 = b, a1 = b, a2 = b, a3 = b;
    int i1 = i0 + inStride, i2 = i1 + inStride, i3 = i2 + inStride;
    for (int k = 0; k < kCount; k++) {
      FloatVector wv = FloatVector.fromArray(S, w[k], col);
      a0 = wv.fma(FloatVector.broadcast(S, in[i0 + k]), a0);
      a1 = wv.fma(FloatVector.broadcast(S, in[i1 + k]), a1);
      a2 = wv.fma(FloatVector.broadcast(S, in[i2 + k]), a2);
      a3 = wv.fma(FloatVector.broadcast(S, in[i3 + k]), a3);
    }
    a0.intoArray(out, o0 + col);
    a1.intoArray(out, o0 + outStride + col);
    a2.intoArray(out, o0 + 2 * outStride + col);
    a3.intoArray(out, o0 + 3 * outStride + col);
  }

  private static void affine1x1(
      float[] in, int at, float[][] w, int kCount, float[] bias, float[] out, int o, int col) {
    FloatVector acc = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, col);
    for (int k = 0; k < kCount; k++) {
      acc = FloatVector.fromArray(S, w[k], col).fma(FloatVector.broadcast(S, in[at + k]), acc);
    }
    acc.intoArray(out, o);
  }

  /** Four rows of the input from i0, four vectors of columns from col. */
  private static void affine4x4(
      float[] in,
      int i0,
      int inStride,
      float[][] w,
      int kCount,
      float[] bias,
      float[] out,
      int o0,
      int outStride,
      int col) {
    FloatVector b0 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, col);
    FloatVector b1 = bias == null ? b0 : FloatVector.fromArray(S, bias, col + L);
    FloatVector b2 = bias == null ? b0 : FloatVector.fromArray(S, bias, col + 2 * L);
    FloatVector b3 = bias == null ? b0 : FloatVector.fromArray(S, bias, col + 3 * L);
    FloatVector a00 = b0, a01 = b1, a02 = b2, a03 = b3;
    FloatVector a10 = b0, a11 = b1, a12 = b2, a13 = b3;
    FloatVector a20 = b0, a21 = b1, a22 = b2, a23 = b3;
    FloatVector a30 = b0, a31 = b1, a32 = b2, a33 = b3;
    int i1 = i0 + inStride, i2 = i1 + inStride, i3 = i2 + inStride;
    for (int k = 0; k < kCount; k++) {
      float[] row = w[k];
      FloatVector w0 = FloatVector.fromArray(S, row, col);
      FloatVector w1 = FloatVector.fromArray(S, row, col + L);
      FloatVector w2 = FloatVector.fromArray(S, row, col + 2 * L);
      FloatVector w3 = FloatVector.fromArray(S, row, col + 3 * L);
      FloatVector v = FloatVector.broadcast(S, in[i0 + k]);
      a00 = w0.fma(v, a00);
      a01 = w1.fma(v, a01);
      a02 = w2.fma(v, a02);
      a03 = w3.fma(v, a03);
      v = FloatVector.broadcast(S, in[i1 + k]);
      a10 = w0.fma(v, a10);
      a11 = w1.fma(v, a11);
      a12 = w2.fma(v, a12);
      a13 = w3.fma(v, a13);
      v = FloatVector.broadcast(S, in[i2 + k]);
      a20 = w0.fma(v, a20);
      a21 = w1.fma(v, a21);
      a22 = w2.fma(v, a22);
      a23 = w3.fma(v, a23);
      v = FloatVector.broadcast(S, in[i3 + k]);
      a30 = w0.fma(v, a30);
      a31 = w1.fma(v, a31);
      a32 = w2.fma(v, a32);
      a33 = w3.fma(v, a33);
    }
    store4(out, o0 + col, a00, a01, a02, a03);
    store4(out, o0 + outStride + col, a10, a11, a12, a13);
    store4(out, o0 + 2 * outStride + col, a20, a21, a22, a23);
    store4(out, o0 + 3 * outStride + col, a30, a31, a32, a33);
  }

  @Override
  public void accumulateOuter(
      float[] in,
      int inOff,
      int inStride,
      int n,
      int kCount,
      float[] d,
      int dStride,
      float[][] dw,
      int cols) {
    VectorOuterProducts.accumulate(in, inOff, inStride, n, kCount, d, dStride, dw, cols);
  }

  @Override
  public void gatesForward(LayerRows rows) {
    VectorGates.forward(rows);
  }

  @Override
  public void gatesBackward(LayerRows rows) {
    if (VectorGates.vectorised(rows.act, rows.rec)) {
      VectorGates.backward(rows);
    } else {
      ScalarBpttKernel.backwardRows(rows);
    }
  }

  private static void store4(
      float[] out, int at, FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3) {
    a0.intoArray(out, at);
    a1.intoArray(out, at + L);
    a2.intoArray(out, at + 2 * L);
    a3.intoArray(out, at + 3 * L);
  }
}
