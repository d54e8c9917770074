package io.flinklstm.model.kernel;

import static io.flinklstm.model.kernel.VectorKernel.L;
import static io.flinklstm.model.kernel.VectorKernel.S;

import io.flinklstm.model.LstmLayer;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * The second phase of a {@link VectorKernel} step: from the gate pre-activations A that {@link
 * VectorAffine} left in scratch, the gates and the state update of one key,
 *
 * <pre>
 *   i = σ(A[i])    f = σ(A[f])    o = σ(A[o])    g = φ(A[g])
 *   c' = f ⊙ c + i ⊙ g
 *   h' = o ⊙ φ(c')
 * </pre>
 *
 * <p>Key t of a tile of K keys at {@code z[base, ...)} has its pre-activations in the tile layout
 * of {@link VectorAffine}: gate q for unit u at {@code base + (q·K + t)·P + u}, in the order i, f,
 * o, g. The activations are {@link VectorActivations}'s, applied in place; c' then takes the place
 * of g, and φ(c') its place again. Hidden sizes that are not a multiple of 16 step padded copies of
 * c and h at {@code base + 4KP} and {@code base + 5KP}.
 */
final class VectorStepGates {
  private VectorStepGates() {}

  /** Key t's c' and h', to c and h at {@code off}. */
  static void update(
      LstmLayer layer, float[] z, int base, int keys, int t, float[] c, float[] h, int off) {
    int hidden = layer.hiddenSize();
    int hp = layer.paddedHidden();
    int block = keys * hp;
    int i = base + t * hp;
    int f = i + block;
    int o = i + 2 * block;
    int g = i + 3 * block;
    VectorActivations.applyToPacked(layer.recurrentActivation(), z, i, i + hp);
    VectorActivations.applyToPacked(layer.recurrentActivation(), z, f, f + hp);
    VectorActivations.applyToPacked(layer.recurrentActivation(), z, o, o + hp);
    VectorActivations.apply(layer.activation(), z, g, g + hp);

    boolean whole = hidden == hp;
    float[] cells = c;
    int cellAt = off;
    if (!whole) {
      cells = z;
      cellAt = base + 4 * block + t * hp;
      System.arraycopy(c, off, z, cellAt, hidden);
      Arrays.fill(z, cellAt + hidden, cellAt + hp, 0f);
    }
    for (int u = 0; u < hp; u += L) {
      FloatVector inGate = FloatVector.fromArray(S, z, i + u);
      FloatVector forgetGate = FloatVector.fromArray(S, z, f + u);
      FloatVector candidate = FloatVector.fromArray(S, z, g + u);
      FloatVector cell = FloatVector.fromArray(S, cells, cellAt + u);
      cell = forgetGate.mul(cell).add(inGate.mul(candidate));
      cell.intoArray(cells, cellAt + u);
      cell.intoArray(z, g + u);
    }

    VectorActivations.apply(layer.activation(), z, g, g + hp);
    float[] out = whole ? h : z;
    int outAt = whole ? off : base + 5 * block + t * hp;
    for (int u = 0; u < hp; u += L) {
      FloatVector outGate = FloatVector.fromArray(S, z, o + u);
      FloatVector squashedCell = FloatVector.fromArray(S, z, g + u);
      outGate.mul(squashedCell).intoArray(out, outAt + u);
    }
    if (!whole) {
      System.arraycopy(z, outAt, h, off, hidden);
      System.arraycopy(z, cellAt, c, off, hidden);
    }
  }
}
