package io.flinklstm.model.bptt;

import io.flinklstm.model.Activation;
import io.flinklstm.model.kernel.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise gate passes of {@link VectorBpttKernel}, a vector of hidden units at a time with
 * scalar tails. The equations are those of {@link Bptt}.
 *
 * <p>On Java 17 a {@code FloatVector} that crosses a method boundary the JIT does not inline is
 * boxed, and a switch over activations with the tanh polynomial in it is too large to inline. So
 * the forward pass applies each activation over a range in a loop of its own, with the arithmetic
 * written out in that loop, and the backward pass has one loop for the usual tanh/sigmoid pair;
 * other pairs take the scalar kernel's rows. Nothing here allocates once compiled.
 */
final class VectorGates {
  private static final VectorSpecies<Float> S = VectorWidth.SPECIES;
  private static final int L = VectorWidth.LANES;

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
      apply(rec, gates, g0, g0 + 2 * hidden); // input and forget gates
      apply(act, gates, g0 + 2 * hidden, g0 + 3 * hidden); // candidate
      apply(rec, gates, g0 + 3 * hidden, g0 + 4 * hidden); // output gate
      int j = 0;
      for (; j + L <= hidden; j += L) {
        FloatVector inGate = FloatVector.fromArray(S, gates, g0 + j);
        FloatVector forgetGate = FloatVector.fromArray(S, gates, g0 + hidden + j);
        FloatVector candidate = FloatVector.fromArray(S, gates, g0 + 2 * hidden + j);
        FloatVector cell =
            forgetGate.mul(FloatVector.fromArray(S, cPrev, h0 + j)).add(inGate.mul(candidate));
        cell.intoArray(cNext, h0 + j);
        cell.intoArray(cellAct, h0 + j);
      }
      for (; j < hidden; j++) {
        float cell =
            gates[g0 + hidden + j] * cPrev[h0 + j] + gates[g0 + j] * gates[g0 + 2 * hidden + j];
        cNext[h0 + j] = cell;
        cellAct[h0 + j] = cell;
      }
      apply(act, cellAct, h0, h0 + hidden);
      j = 0;
      for (; j + L <= hidden; j += L) {
        FloatVector outGate = FloatVector.fromArray(S, gates, g0 + 3 * hidden + j);
        outGate.mul(FloatVector.fromArray(S, cellAct, h0 + j)).intoArray(hOut, out + j);
      }
      for (; j < hidden; j++) {
        hOut[out + j] = gates[g0 + 3 * hidden + j] * cellAct[h0 + j];
      }
    }
  }

  /** a[from, to) = f(a[from, to)) in place. */
  static void apply(Activation f, float[] a, int from, int to) {
    switch (f) {
      case SIGMOID:
        scaledTanh(a, from, to, 0.5f, 0.5f, 0.5f); // σ(x) = ½·tanh(x/2) + ½
        break;
      case TANH:
        scaledTanh(a, from, to, 1f, 1f, 0f);
        break;
      case HARD_SIGMOID:
      case RELU:
        lanes(f, a, from, to);
        break;
      case IDENTITY:
      default:
        break;
    }
  }

  /**
   * a = outScale · tanh(inScale · a) + outShift over [from, to), with {@link Activation#fastTanh}'s
   * rational approximation written out in the loop.
   */
  private static void scaledTanh(
      float[] a, int from, int to, float inScale, float outScale, float outShift) {
    int j = from;
    for (; j + L <= to; j += L) {
      FloatVector x =
          FloatVector.fromArray(S, a, j)
              .mul(inScale)
              .max(-Activation.TANH_CLAMP)
              .min(Activation.TANH_CLAMP);
      FloatVector x2 = x.mul(x);
      FloatVector p = x2.fma(Activation.A13, Activation.A11);
      p = p.mul(x2).add(Activation.A9);
      p = p.mul(x2).add(Activation.A7);
      p = p.mul(x2).add(Activation.A5);
      p = p.mul(x2).add(Activation.A3);
      p = p.mul(x2).add(Activation.A1);
      p = p.mul(x);
      FloatVector q = x2.fma(Activation.B6, Activation.B4);
      q = q.mul(x2).add(Activation.B2);
      q = q.mul(x2).add(Activation.B0);
      p.div(q).fma(outScale, outShift).intoArray(a, j);
    }
    for (; j < to; j++) {
      a[j] = outScale * Activation.fastTanh(inScale * a[j]) + outShift;
    }
  }

  /** The scalar form over [from, to), for activations whose vector form is not worth having. */
  private static void lanes(Activation f, float[] a, int from, int to) {
    for (int j = from; j < to; j++) {
      a[j] = f.apply(a[j]);
    }
  }

  /** Whether {@link #backward} has a vector loop for the pair. */
  static boolean vectorised(Activation act, Activation rec) {
    return act == Activation.TANH && rec == Activation.SIGMOID;
  }

  /** The gate gradients for tanh and sigmoid: φ'(y) = 1 − y², σ'(y) = y·(1 − y). */
  static void backward(
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
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector inGate = FloatVector.fromArray(S, gates, g0 + j);
        FloatVector forgetGate = FloatVector.fromArray(S, gates, g0 + hidden + j);
        FloatVector candidate = FloatVector.fromArray(S, gates, g0 + 2 * hidden + j);
        FloatVector outGate = FloatVector.fromArray(S, gates, g0 + 3 * hidden + j);
        FloatVector ac = FloatVector.fromArray(S, cellAct, h0 + j);
        FloatVector dh =
            FloatVector.fromArray(S, dhAbove, above + j)
                .add(FloatVector.fromArray(S, dhRec, recurrent + j));
        FloatVector dc =
            FloatVector.fromArray(S, dcRec, h0 + j).add(dh.mul(outGate).mul(one.sub(ac.mul(ac))));
        dc.mul(candidate).mul(inGate.mul(one.sub(inGate))).intoArray(dA, g0 + j);
        dc.mul(FloatVector.fromArray(S, cPrev, h0 + j))
            .mul(forgetGate.mul(one.sub(forgetGate)))
            .intoArray(dA, g0 + hidden + j);
        dc.mul(inGate).mul(one.sub(candidate.mul(candidate))).intoArray(dA, g0 + 2 * hidden + j);
        dh.mul(ac).mul(outGate.mul(one.sub(outGate))).intoArray(dA, g0 + 3 * hidden + j);
        dc.mul(forgetGate).intoArray(dcRec, h0 + j);
      }
      ScalarBpttKernel.backwardRow(
          Activation.TANH,
          Activation.SIGMOID,
          hidden,
          j,
          gates,
          g0,
          cPrev,
          cellAct,
          dcRec,
          h0,
          dhAbove,
          above,
          dhRec,
          recurrent,
          dA);
    }
  }
}
