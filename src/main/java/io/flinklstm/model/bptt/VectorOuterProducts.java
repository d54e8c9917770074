package io.flinklstm.model.bptt;

import io.flinklstm.model.kernel.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BpttKernel#accumulateOuter} on the Vector API: dW += Aᵀ·δ, in tiles of four weight rows ×
 * four vectors of columns held in sixteen registers while the N sequences stream past, so each δ
 * vector loaded serves four rows and each gradient tile is read and written once per call.
 */
final class VectorOuterProducts {
  private static final VectorSpecies<Float> S = VectorWidth.SPECIES;
  private static final int L = VectorWidth.LANES;

  private VectorOuterProducts() {}

  static void accumulate(
      float[] in,
      int inOff,
      int inStride,
      int n,
      int kCount,
      float[] d,
      int dStride,
      float[][] dw,
      int cols) {
    // Column tiles outside, weight rows inside: a tile of δ (N × 4 vectors, 16 KB for N = 64)
    // then stays in L1 while every group of four weight rows accumulates from it.
    int col = 0;
    for (; col + 4 * L <= cols; col += 4 * L) {
      int k = 0;
      for (; k + 4 <= kCount; k += 4) {
        outer4x4(in, inOff + k, inStride, n, d, dStride, dw, k, col);
      }
      for (; k < kCount; k++) {
        for (int c = col; c < col + 4 * L; c += L) {
          outer1x1(in, inOff + k, inStride, n, d, dStride, dw[k], c);
        }
      }
    }
    for (; col < cols; col += L) {
      int k = 0;
      for (; k + 4 <= kCount; k += 4) {
        outer4x1(in, inOff + k, inStride, n, d, dStride, dw, k, col);
      }
      for (; k < kCount; k++) {
        outer1x1(in, inOff + k, inStride, n, d, dStride, dw[k], col);
      }
    }
  }

  /** dw rows k..k+3, one vector of columns: four independent accumulators. */
  private static void outer4x1(
      float[] in,
      int at,
      int inStride,
      int n,
      float[] d,
      int dStride,
      float[][] dw,
      int k,
      int col) {
    FloatVector a0 = FloatVector.fromArray(S, dw[k], col);
    FloatVector a1 = FloatVector.fromArray(S, dw[k + 1], col);
    FloatVector a2 = FloatVector.fromArray(S, dw[k + 2], col);
    FloatVector a3 = FloatVector.fromArray(S, dw[k + 3], col);
    for (int r = 0; r < n; r++) {
      FloatVector dv = FloatVector.fromArray(S, d, r * dStride + col);
      int i = r * inStride + at;
      a0 = dv.fma(FloatVector.broadcast(S, in[i]), a0);
      a1 = dv.fma(FloatVector.broadcast(S, in[i + 1]), a1);
      a2 = dv.fma(FloatVector.broadcast(S, in[i + 2]), a2);
      a3 = dv.fma(FloatVector.broadcast(S, in[i + 3]), a3);
    }
    a0.intoArray(dw[k], col);
    a1.intoArray(dw[k + 1], col);
    a2.intoArray(dw[k + 2], col);
    a3.intoArray(dw[k + 3], col);
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

  private static void store4(
      float[] out, int at, FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3) {
    a0.intoArray(out, at);
    a1.intoArray(out, at + L);
    a2.intoArray(out, at + 2 * L);
    a3.intoArray(out, at + 3 * L);
  }
}
