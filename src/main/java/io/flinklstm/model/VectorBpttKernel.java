package io.flinklstm.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD {@link BpttKernel} on the JDK Vector API; loaded only when {@code jdk.incubator.vector}
 * is in the boot layer.
 *
 * <p>Both products keep a tile of four rows × four vectors of columns in sixteen accumulator
 * registers: {@link #affine} walks k and loads each weight vector once for four sequences; {@link
 * #accumulateOuter} walks the sequences and loads each δ vector once for four weight rows, so the
 * gradient tile is read and written once per step rather than once per sequence. That makes both
 * bound by multiply-adds rather than by loads and stores, as in {@link VectorKernel}'s batched
 * step. The element-wise gate passes are in {@link VectorGates}.
 */
final class VectorBpttKernel implements BpttKernel {
  static final VectorBpttKernel INSTANCE = new VectorBpttKernel();

  private static final VectorSpecies<Float> S = VectorKernel.S;
  private static final int L = VectorKernel.L;

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
    int r = 0;
    for (; r + 4 <= n; r += 4) {
      int i0 = r * inStride + inOff;
      int col = 0;
      for (; col + 4 * L <= cols; col += 4 * L) {
        affine4x4(in, i0, inStride, w, kCount, bias, out, r * outStride, outStride, col);
      }
      for (; col < cols; col += L) {
        for (int i = 0; i < 4; i++) {
          affine1x1(in, i0 + i * inStride, w, kCount, bias, out, (r + i) * outStride + col, col);
        }
      }
    }
    for (; r < n; r++) {
      for (int col = 0; col < cols; col += L) {
        affine1x1(in, r * inStride + inOff, w, kCount, bias, out, r * outStride + col, col);
      }
    }
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
    int k = 0;
    for (; k + 4 <= kCount; k += 4) {
      int col = 0;
      for (; col + 4 * L <= cols; col += 4 * L) {
        outer4x4(in, inOff + k, inStride, n, d, dStride, dw, k, col);
      }
      for (; col < cols; col += L) {
        for (int i = 0; i < 4; i++) {
          outer1x1(in, inOff + k + i, inStride, n, d, dStride, dw[k + i], col);
        }
      }
    }
    for (; k < kCount; k++) {
      for (int col = 0; col < cols; col += L) {
        outer1x1(in, inOff + k, inStride, n, d, dStride, dw[k], col);
      }
    }
  }

  /** dw rows k..k+3, four vectors of columns from col; {@code at} is the input column of row k. */
  private static void outer4x4(
      float[] in,
      int at,
      int inStride,
      int n,
      float[] d,
      int dStride,
      float[][] dw,
      int k,
      int col) {
    float[] r0 = dw[k], r1 = dw[k + 1], r2 = dw[k + 2], r3 = dw[k + 3];
    FloatVector a00 = FloatVector.fromArray(S, r0, col);
    FloatVector a01 = FloatVector.fromArray(S, r0, col + L);
    FloatVector a02 = FloatVector.fromArray(S, r0, col + 2 * L);
    FloatVector a03 = FloatVector.fromArray(S, r0, col + 3 * L);
    FloatVector a10 = FloatVector.fromArray(S, r1, col);
    FloatVector a11 = FloatVector.fromArray(S, r1, col + L);
    FloatVector a12 = FloatVector.fromArray(S, r1, col + 2 * L);
    FloatVector a13 = FloatVector.fromArray(S, r1, col + 3 * L);
    FloatVector a20 = FloatVector.fromArray(S, r2, col);
    FloatVector a21 = FloatVector.fromArray(S, r2, col + L);
    FloatVector a22 = FloatVector.fromArray(S, r2, col + 2 * L);
    FloatVector a23 = FloatVector.fromArray(S, r2, col + 3 * L);
    FloatVector a30 = FloatVector.fromArray(S, r3, col);
    FloatVector a31 = FloatVector.fromArray(S, r3, col + L);
    FloatVector a32 = FloatVector.fromArray(S, r3, col + 2 * L);
    FloatVector a33 = FloatVector.fromArray(S, r3, col + 3 * L);
    for (int r = 0; r < n; r++) {
      int o = r * dStride + col;
      FloatVector d0 = FloatVector.fromArray(S, d, o);
      FloatVector d1 = FloatVector.fromArray(S, d, o + L);
      FloatVector d2 = FloatVector.fromArray(S, d, o + 2 * L);
      FloatVector d3 = FloatVector.fromArray(S, d, o + 3 * L);
      int i = r * inStride + at;
      FloatVector v = FloatVector.broadcast(S, in[i]);
      a00 = d0.fma(v, a00);
      a01 = d1.fma(v, a01);
      a02 = d2.fma(v, a02);
      a03 = d3.fma(v, a03);
      v = FloatVector.broadcast(S, in[i + 1]);
      a10 = d0.fma(v, a10);
      a11 = d1.fma(v, a11);
      a12 = d2.fma(v, a12);
      a13 = d3.fma(v, a13);
      v = FloatVector.broadcast(S, in[i + 2]);
      a20 = d0.fma(v, a20);
      a21 = d1.fma(v, a21);
      a22 = d2.fma(v, a22);
      a23 = d3.fma(v, a23);
      v = FloatVector.broadcast(S, in[i + 3]);
      a30 = d0.fma(v, a30);
      a31 = d1.fma(v, a31);
      a32 = d2.fma(v, a32);
      a33 = d3.fma(v, a33);
    }
    store4(r0, col, a00, a01, a02, a03);
    store4(r1, col, a10, a11, a12, a13);
    store4(r2, col, a20, a21, a22, a23);
    store4(r3, col, a30, a31, a32, a33);
  }

  private static void outer1x1(
      float[] in, int at, int inStride, int n, float[] d, int dStride, float[] row, int col) {
    FloatVector acc = FloatVector.fromArray(S, row, col);
    for (int r = 0; r < n; r++) {
      acc =
          FloatVector.fromArray(S, d, r * dStride + col)
              .fma(FloatVector.broadcast(S, in[r * inStride + at]), acc);
    }
    acc.intoArray(row, col);
  }

  @Override
  public void gatesForward(
      Activation act,
      Activation rec,
      int hidden,
      int n,
      float[] gates,
      int gStride,
      float[] cPrev,
      float[] cNext,
      float[] cellAct,
      int hStride,
      float[] hOut,
      int hOutStride) {
    VectorGates.forward(
        act, rec, hidden, n, gates, gStride, cPrev, cNext, cellAct, hStride, hOut, hOutStride);
  }

  @Override
  public void gatesBackward(
      Activation act,
      Activation rec,
      int hidden,
      int n,
      float[] gates,
      int gStride,
      float[] cPrev,
      float[] cellAct,
      float[] dcRec,
      int hStride,
      float[] dhAbove,
      int aboveOff,
      int aboveStride,
      float[] dhRec,
      int recStride,
      float[] dA) {
    if (!VectorGates.vectorised(act, rec)) {
      ScalarBpttKernel.gatesBackwardRows(
          act,
          rec,
          hidden,
          n,
          gates,
          gStride,
          cPrev,
          cellAct,
          dcRec,
          hStride,
          dhAbove,
          aboveOff,
          aboveStride,
          dhRec,
          recStride,
          dA);
      return;
    }
    VectorGates.backward(
        hidden,
        n,
        gates,
        gStride,
        cPrev,
        cellAct,
        dcRec,
        hStride,
        dhAbove,
        aboveOff,
        aboveStride,
        dhRec,
        recStride,
        dA);
  }

  private static void store4(
      float[] out, int at, FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3) {
    a0.intoArray(out, at);
    a1.intoArray(out, at + L);
    a2.intoArray(out, at + 2 * L);
    a3.intoArray(out, at + 3 * L);
  }
}
