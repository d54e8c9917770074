package io.flinklstm.model.kernel;

import static io.flinklstm.model.kernel.VectorKernel.L;
import static io.flinklstm.model.kernel.VectorKernel.S;

import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.LstmLayer;
import jdk.incubator.vector.FloatVector;

/**
 * The dense head of the {@link VectorKernel}: out = x·W + b over {@link DenseLayer}'s packed
 * columns, one key or two keys at a time.
 */
final class VectorDense {
  private static final int PAD = LstmLayer.PAD;

  private VectorDense() {}

  static void dense(DenseLayer head, float[] x, int xOff, float[] out) {
    float[] w = head.packed();
    int inputs = head.inputSize();
    int end = xOff + inputs;
    int fours = xOff + (inputs & ~3);
    for (int col = 0; col < head.outputSize(); col += L) {
      // Four chains over the rows, so that the FMAs do not wait on each other's latency. The loop
      // counts over x, and the weights' index follows from it: see DenseLayer#packed.
      int fromInputs = columnAt(head, col) - xOff * PAD;
      FloatVector a0 = FloatVector.fromArray(S, head.paddedBias(), col);
      FloatVector a1 = FloatVector.zero(S);
      FloatVector a2 = a1;
      FloatVector a3 = a1;
      for (int at = xOff; at < fours; at += 4) {
        int p = fromInputs + at * PAD;
        a0 = FloatVector.fromArray(S, w, p).fma(FloatVector.broadcast(S, x[at]), a0);
        a1 = FloatVector.fromArray(S, w, p + PAD).fma(FloatVector.broadcast(S, x[at + 1]), a1);
        a2 = FloatVector.fromArray(S, w, p + 2 * PAD).fma(FloatVector.broadcast(S, x[at + 2]), a2);
        a3 = FloatVector.fromArray(S, w, p + 3 * PAD).fma(FloatVector.broadcast(S, x[at + 3]), a3);
      }
      for (int at = fours; at < end; at++) {
        a0 =
            FloatVector.fromArray(S, w, fromInputs + at * PAD)
                .fma(FloatVector.broadcast(S, x[at]), a0);
      }
      a0.add(a1).add(a2.add(a3)).intoArray(out, col);
    }
  }

  /**
   * Two keys at a time, each weight vector loaded once for both. Each key sums its rows in the same
   * four chains and order as {@link #dense}, so the results are the same to the bit. Two keys keep
   * their eight chains, the four weight vectors and a broadcast input in the sixteen registers of
   * AVX2, where four keys' sixteen chains would spill to the stack.
   */
  static void denseBatch(DenseLayer head, float[][] xs, int xOff, int n, float[][] outs) {
    int b = 0;
    for (; b + 2 <= n; b += 2) {
      for (int col = 0; col < head.outputSize(); col += L) {
        twoKeys(head, xs[b], xs[b + 1], xOff, col, outs[b], outs[b + 1]);
      }
    }
    if (b < n) {
      dense(head, xs[b], xOff, outs[b]);
    }
  }

  private static void twoKeys(
      DenseLayer head, float[] x0, float[] x1, int xOff, int col, float[] out0, float[] out1) {
    float[] w = head.packed();
    int inputs = head.inputSize();
    int end = xOff + inputs;
    int fours = xOff + (inputs & ~3);
    int fromInputs = columnAt(head, col) - xOff * PAD;
    FloatVector bias = FloatVector.fromArray(S, head.paddedBias(), col);
    FloatVector zero = FloatVector.zero(S);
    FloatVector a00 = bias, a01 = zero, a02 = zero, a03 = zero;
    FloatVector a10 = bias, a11 = zero, a12 = zero, a13 = zero;
    for (int at = xOff; at < fours; at += 4) {
      int p = fromInputs + at * PAD;
      FloatVector w0 = FloatVector.fromArray(S, w, p);
      FloatVector w1 = FloatVector.fromArray(S, w, p + PAD);
      FloatVector w2 = FloatVector.fromArray(S, w, p + 2 * PAD);
      FloatVector w3 = FloatVector.fromArray(S, w, p + 3 * PAD);
      a00 = w0.fma(FloatVector.broadcast(S, x0[at]), a00);
      a01 = w1.fma(FloatVector.broadcast(S, x0[at + 1]), a01);
      a02 = w2.fma(FloatVector.broadcast(S, x0[at + 2]), a02);
      a03 = w3.fma(FloatVector.broadcast(S, x0[at + 3]), a03);
      a10 = w0.fma(FloatVector.broadcast(S, x1[at]), a10);
      a11 = w1.fma(FloatVector.broadcast(S, x1[at + 1]), a11);
      a12 = w2.fma(FloatVector.broadcast(S, x1[at + 2]), a12);
      a13 = w3.fma(FloatVector.broadcast(S, x1[at + 3]), a13);
    }
    for (int at = fours; at < end; at++) {
      FloatVector wk = FloatVector.fromArray(S, w, fromInputs + at * PAD);
      a00 = wk.fma(FloatVector.broadcast(S, x0[at]), a00);
      a10 = wk.fma(FloatVector.broadcast(S, x1[at]), a10);
    }
    a00.add(a01).add(a02.add(a03)).intoArray(out0, col);
    a10.add(a11).add(a12.add(a13)).intoArray(out1, col);
  }

  /** Offset in the packed weights of column col's first row (col a multiple of L). */
  private static int columnAt(DenseLayer head, int col) {
    return (col / PAD * head.inputSize()) * PAD + col % PAD;
  }
}
