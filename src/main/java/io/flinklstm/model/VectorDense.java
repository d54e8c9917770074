package io.flinklstm.model;

import static io.flinklstm.model.VectorKernel.L;
import static io.flinklstm.model.VectorKernel.S;

import jdk.incubator.vector.FloatVector;

/**
 * The dense head of the {@link VectorKernel}: out = x·W + b over {@link DenseLayer}'s padded rows,
 * one key or four keys at a time.
 */
final class VectorDense {
  private VectorDense() {}

  static void dense(DenseLayer head, float[] x, int xOff, float[] out) {
    float[] w = head.packed;
    int stride = head.stride();
    int inputs = head.inputSize();
    for (int col = 0; col < head.outputSize(); col += L) {
      // Four chains over k, so that the FMAs do not wait on each other's latency.
      FloatVector a0 = FloatVector.fromArray(S, head.bias, col);
      FloatVector a1 = FloatVector.zero(S);
      FloatVector a2 = a1;
      FloatVector a3 = a1;
      int k = 0;
      for (; k + 4 <= inputs; k += 4) {
        int p = k * stride + col;
        a0 = FloatVector.fromArray(S, w, p).fma(FloatVector.broadcast(S, x[xOff + k]), a0);
        a1 =
            FloatVector.fromArray(S, w, p + stride)
                .fma(FloatVector.broadcast(S, x[xOff + k + 1]), a1);
        a2 =
            FloatVector.fromArray(S, w, p + 2 * stride)
                .fma(FloatVector.broadcast(S, x[xOff + k + 2]), a2);
        a3 =
            FloatVector.fromArray(S, w, p + 3 * stride)
                .fma(FloatVector.broadcast(S, x[xOff + k + 3]), a3);
      }
      for (; k < inputs; k++) {
        a0 =
            FloatVector.fromArray(S, w, k * stride + col)
                .fma(FloatVector.broadcast(S, x[xOff + k]), a0);
      }
      a0.add(a1).add(a2.add(a3)).intoArray(out, col);
    }
  }

  /**
   * Four keys at a time, each weight vector loaded once for all four. Each key sums its rows in the
   * same four chains and order as {@link #dense}, so the results are the same to the bit.
   */
  static void denseBatch(DenseLayer head, float[][] xs, int xOff, int n, float[][] outs) {
    float[] w = head.packed;
    int stride = head.stride();
    int inputs = head.inputSize();
    int b = 0;
    for (; b + 4 <= n; b += 4) {
      for (int col = 0; col < head.outputSize(); col += L) {
        headKeys(head, w, stride, inputs, xs, xOff, b, col, outs);
      }
    }
    for (; b < n; b++) {
      dense(head, xs[b], xOff, outs[b]);
    }
  }

  private static void headKeys(
      DenseLayer head,
      float[] w,
      int stride,
      int inputs,
      float[][] xs,
      int xOff,
      int b,
      int col,
      float[][] outs) {
    float[] x0 = xs[b], x1 = xs[b + 1], x2 = xs[b + 2], x3 = xs[b + 3];
    FloatVector bias = FloatVector.fromArray(S, head.bias, col);
    FloatVector zero = FloatVector.zero(S);
    FloatVector a00 = bias, a01 = zero, a02 = zero, a03 = zero;
    FloatVector a10 = bias, a11 = zero, a12 = zero, a13 = zero;
    FloatVector a20 = bias, a21 = zero, a22 = zero, a23 = zero;
    FloatVector a30 = bias, a31 = zero, a32 = zero, a33 = zero;
    int k = 0;
    for (; k + 4 <= inputs; k += 4) {
      int p = k * stride + col;
      int at = xOff + k;
      FloatVector w0 = FloatVector.fromArray(S, w, p);
      FloatVector w1 = FloatVector.fromArray(S, w, p + stride);
      FloatVector w2 = FloatVector.fromArray(S, w, p + 2 * stride);
      FloatVector w3 = FloatVector.fromArray(S, w, p + 3 * stride);
      a00 = w0.fma(FloatVector.broadcast(S, x0[at]), a00);
      a01 = w1.fma(FloatVector.broadcast(S, x0[at + 1]), a01);
      a02 = w2.fma(FloatVector.broadcast(S, x0[at + 2]), a02);
      a03 = w3.fma(FloatVector.broadcast(S, x0[at + 3]), a03);
      a10 = w0.fma(FloatVector.broadcast(S, x1[at]), a10);
      a11 = w1.fma(FloatVector.broadcast(S, x1[at + 1]), a11);
      a12 = w2.fma(FloatVector.broadcast(S, x1[at + 2]), a12);
      a13 = w3.fma(FloatVector.broadcast(S, x1[at + 3]), a13);
      a20 = w0.fma(FloatVector.broadcast(S, x2[at]), a20);
      a21 = w1.fma(FloatVector.broadcast(S, x2[at + 1]), a21);
      a22 = w2.fma(FloatVector.broadcast(S, x2[at + 2]), a22);
      a23 = w3.fma(FloatVector.broadcast(S, x2[at + 3]), a23);
      a30 = w0.fma(FloatVector.broadcast(S, x3[at]), a30);
      a31 = w1.fma(FloatVector.broadcast(S, x3[at + 1]), a31);
      a32 = w2.fma(FloatVector.broadcast(S, x3[at + 2]), a32);
      a33 = w3.fma(FloatVector.broadcast(S, x3[at + 3]), a33);
    }
    for (; k < inputs; k++) {
      FloatVector wk = FloatVector.fromArray(S, w, k * stride + col);
      a00 = wk.fma(FloatVector.broadcast(S, x0[xOff + k]), a00);
      a10 = wk.fma(FloatVector.broadcast(S, x1[xOff + k]), a10);
      a20 = wk.fma(FloatVector.broadcast(S, x2[xOff + k]), a20);
      a30 = wk.fma(FloatVector.broadcast(S, x3[xOff + k]), a30);
    }
    a00.add(a01).add(a02.add(a03)).intoArray(outs[b], col);
    a10.add(a11).add(a12.add(a13)).intoArray(outs[b + 1], col);
    a20.add(a21).add(a22.add(a23)).intoArray(outs[b + 2], col);
    a30.add(a31).add(a32.add(a33)).intoArray(outs[b + 3], col);
  }
}
