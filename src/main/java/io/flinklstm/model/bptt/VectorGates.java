package io.flinklstm.model.bptt;

import io.flinklstm.model.Activation;
import io.flinklstm.model.kernel.VectorActivations;
import io.flinklstm.model.kernel.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise gate passes of {@link VectorBpttKernel}, a vector of hidden units at a time with
 * scalar tails. The equations are those of {@link Bptt}.
 *
 * <p>The forward pass applies each activation over a range with {@link VectorActivations}, the
 * step's own, so training and scoring compute the same gates from the same pre-activations; the
 * backward pass has one loop for the usual tanh/sigmoid pair, and other pairs take the scalar
 * kernel's rows. No {@code FloatVector} crosses a method boundary (on Java 17 it would be boxed
 * where the JIT does not inline), so nothing here allocates once compiled.
 */
final class VectorGates {
  private static final VectorSpecies<Float> S = VectorWidth.SPECIES;
  private static final int L = VectorWidth.LANES;

  private VectorGates() {}

  /** {@link BpttKernel#gatesForward}: the activations over ranges, then c, φ(c) and h. */
  static void forward(LayerRows rows) {
    int hidden = rows.hidden;
    float[] gates = rows.gates;
    for (int r = 0; r < rows.n; r++) {
      int g0 = r * rows.gateStride;
      int h0 = r * rows.cellStride;
      int out = r * rows.inputStride;
      VectorActivations.apply(rows.rec, gates, g0, g0 + 2 * hidden); // input and forget gates
      VectorActivations.apply(rows.act, gates, g0 + 2 * hidden, g0 + 3 * hidden); // candidate
      VectorActivations.apply(rows.rec, gates, g0 + 3 * hidden, g0 + 4 * hidden); // output gate
      int j = 0;
      for (; j + L <= hidden; j += L) {
        FloatVector inGate = FloatVector.fromArray(S, gates, g0 + j);
        FloatVector forgetGate = FloatVector.fromArray(S, gates, g0 + hidden + j);
        FloatVector candidate = FloatVector.fromArray(S, gates, g0 + 2 * hidden + j);
        FloatVector cell = FloatVector.fromArray(S, rows.cPrev, h0 + j);
        cell = forgetGate.mul(cell).add(inGate.mul(candidate));
        cell.intoArray(rows.cNext, h0 + j);
        cell.intoArray(rows.cellAct, h0 + j);
      }
      for (; j < hidden; j++) {
        float cell =
            gates[g0 + hidden + j] * rows.cPrev[h0 + j]
                + gates[g0 + j] * gates[g0 + 2 * hidden + j];
        rows.cNext[h0 + j] = cell;
        rows.cellAct[h0 + j] = cell;
      }
      VectorActivations.apply(rows.act, rows.cellAct, h0, h0 + hidden);
      j = 0;
      for (; j + L <= hidden; j += L) {
        FloatVector outGate = FloatVector.fromArray(S, gates, g0 + 3 * hidden + j);
        FloatVector squashedCell = FloatVector.fromArray(S, rows.cellAct, h0 + j);
        outGate.mul(squashedCell).intoArray(rows.hOut, out + j);
      }
      for (; j < hidden; j++) {
        rows.hOut[out + j] = gates[g0 + 3 * hidden + j] * rows.cellAct[h0 + j];
      }
    }
  }

  /** Whether {@link #backward} has a vector loop for the pair. */
  static boolean vectorised(Activation act, Activation rec) {
    return act == Activation.TANH && rec == Activation.SIGMOID;
  }

  /** The gate gradients for tanh and sigmoid: φ'(y) = 1 − y², σ'(y) = y·(1 − y). */
  static void backward(LayerRows rows) {
    int hidden = rows.hidden;
    float[] gates = rows.gates;
    float[] dA = rows.dA;
    for (int r = 0; r < rows.n; r++) {
      int g0 = r * rows.gateStride;
      int h0 = r * rows.cellStride;
      int above = r * rows.aboveStride + rows.aboveOffset;
      int recurrent = r * rows.inputStride;
      int j = 0;
      for (; j + L <= hidden; j += L) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector inGate = FloatVector.fromArray(S, gates, g0 + j);
        FloatVector forgetGate = FloatVector.fromArray(S, gates, g0 + hidden + j);
        FloatVector candidate = FloatVector.fromArray(S, gates, g0 + 2 * hidden + j);
        FloatVector outGate = FloatVector.fromArray(S, gates, g0 + 3 * hidden + j);
        FloatVector ac = FloatVector.fromArray(S, rows.cellAct, h0 + j);
        FloatVector dh =
            FloatVector.fromArray(S, rows.dhAbove, above + j)
                .add(FloatVector.fromArray(S, rows.dhRec, recurrent + j));
        FloatVector dc =
            FloatVector.fromArray(S, rows.dcRec, h0 + j)
                .add(dh.mul(outGate).mul(one.sub(ac.mul(ac))));
        dc.mul(candidate).mul(inGate.mul(one.sub(inGate))).intoArray(dA, g0 + j);
        dc.mul(FloatVector.fromArray(S, rows.cPrev, h0 + j))
            .mul(forgetGate.mul(one.sub(forgetGate)))
            .intoArray(dA, g0 + hidden + j);
        dc.mul(inGate).mul(one.sub(candidate.mul(candidate))).intoArray(dA, g0 + 2 * hidden + j);
        dh.mul(ac).mul(outGate.mul(one.sub(outGate))).intoArray(dA, g0 + 3 * hidden + j);
        dc.mul(forgetGate).intoArray(rows.dcRec, h0 + j);
      }
      ScalarBpttKernel.backwardRow(rows, r, j);
    }
  }
}
