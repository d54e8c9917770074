package io.flinklstm.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise gate passes of {@link VectorBpttKernel}, a vector of hidden units at a time with
 * {@link ScalarBpttKernel}'s row loops for the tail. The equations are those of {@link Bptt}.
 */
final class VectorGates {
  private static final VectorSpecies<Float> S = VectorKernel.S;
  private static final int L = VectorKernel.L;

  private VectorGates() {}

  static void forward(
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
    for (int r = 0; r < n; r++) {
      int g0 = r * gStride;
      int h0 = r * hStride;
      int out = r * hOutStride;
      int j = 0;
      for (; j + L <= hidden; j += L) {
        FloatVector inGate = VectorKernel.activate(rec, load(gates, g0 + j));
        FloatVector forgetGate = VectorKernel.activate(rec, load(gates, g0 + hidden + j));
        FloatVector candidate = VectorKernel.activate(act, load(gates, g0 + 2 * hidden + j));
        FloatVector outGate = VectorKernel.activate(rec, load(gates, g0 + 3 * hidden + j));
        FloatVector cell = forgetGate.mul(load(cPrev, h0 + j)).add(inGate.mul(candidate));
        FloatVector ac = VectorKernel.activate(act, cell);
        inGate.intoArray(gates, g0 + j);
        forgetGate.intoArray(gates, g0 + hidden + j);
        candidate.intoArray(gates, g0 + 2 * hidden + j);
        outGate.intoArray(gates, g0 + 3 * hidden + j);
        cell.intoArray(cNext, h0 + j);
        ac.intoArray(cellAct, h0 + j);
        outGate.mul(ac).intoArray(hOut, out + j);
      }
      ScalarBpttKernel.forwardRow(
          act, rec, hidden, j, gates, g0, cPrev, cNext, cellAct, h0, hOut, out);
    }
  }

  /** Whether {@link #derivative} has a vector form for the activation. */
  static boolean vectorised(Activation a) {
    return a == Activation.SIGMOID || a == Activation.TANH || a == Activation.IDENTITY;
  }

  /** Requires {@link #vectorised} activations. */
  static void backward(
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
    for (int r = 0; r < n; r++) {
      int g0 = r * gStride;
      int h0 = r * hStride;
      int above = r * aboveStride + aboveOff;
      int recurrent = r * recStride;
      int j = 0;
      for (; j + L <= hidden; j += L) {
        FloatVector inGate = load(gates, g0 + j);
        FloatVector forgetGate = load(gates, g0 + hidden + j);
        FloatVector candidate = load(gates, g0 + 2 * hidden + j);
        FloatVector outGate = load(gates, g0 + 3 * hidden + j);
        FloatVector ac = load(cellAct, h0 + j);
        FloatVector dh = load(dhAbove, above + j).add(load(dhRec, recurrent + j));
        FloatVector dc = load(dcRec, h0 + j).add(dh.mul(outGate).mul(derivative(act, ac)));
        dc.mul(candidate).mul(derivative(rec, inGate)).intoArray(dA, g0 + j);
        dc.mul(load(cPrev, h0 + j)).mul(derivative(rec, forgetGate)).intoArray(dA, g0 + hidden + j);
        dc.mul(inGate).mul(derivative(act, candidate)).intoArray(dA, g0 + 2 * hidden + j);
        dh.mul(ac).mul(derivative(rec, outGate)).intoArray(dA, g0 + 3 * hidden + j);
        dc.mul(forgetGate).intoArray(dcRec, h0 + j);
      }
      ScalarBpttKernel.backwardRow(
          act, rec, hidden, j, gates, g0, cPrev, cellAct, dcRec, h0, dhAbove, above, dhRec,
          recurrent, dA);
    }
  }

  /** f'(x) from y = f(x), as {@link Activation#derivativeFromOutput}. */
  private static FloatVector derivative(Activation a, FloatVector y) {
    switch (a) {
      case SIGMOID:
        return y.sub(y.mul(y));
      case TANH:
        return FloatVector.broadcast(S, 1f).sub(y.mul(y));
      case IDENTITY:
      default:
        return FloatVector.broadcast(S, 1f);
    }
  }

  private static FloatVector load(float[] a, int at) {
    return FloatVector.fromArray(S, a, at);
  }
}
