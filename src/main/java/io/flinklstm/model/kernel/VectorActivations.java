package io.flinklstm.model.kernel;

import static io.flinklstm.model.kernel.VectorKernel.L;
import static io.flinklstm.model.kernel.VectorKernel.S;

import io.flinklstm.model.Activation;
import jdk.incubator.vector.FloatVector;

/**
 * The activations of the {@link VectorKernel}, applied in place to whole vectors of a float array.
 *
 * <p>tanh is the rational approximation of {@link Activation#fastTanh}, evaluated on |x| clamped by
 * an integer {@code min} on its bits, and the sign copied back with two bit operations. A NaN gives
 * ±1 here where the scalar kernel gives NaN; model files and events are checked finite where they
 * enter, and from finite values a step computes finite ones. The polynomial is written out in each
 * loop rather than shared through a method taking a {@code FloatVector}, which C2 may decline to
 * inline, and the vector would then be boxed on every call.
 */
final class VectorActivations {
  // |x| clamped as bits: for floats of one sign the integer order is the numeric order, and an
  // integer min is one instruction where Java's float min takes five on AVX2 (it orders NaN and
  // -0).
  private static final int MAGNITUDE = 0x7fffffff;
  private static final int CLAMP_BITS = Float.floatToRawIntBits(Activation.TANH_CLAMP);
  private static final int SIGN = 0x80000000;

  private VectorActivations() {}

  /** z[from, to) = a(z[from, to)), a whole number of vectors. */
  static void apply(Activation a, float[] z, int from, int to) {
    switch (a) {
      case SIGMOID:
        // Rare as φ; the gates' σ gets its halving for free from the packed weights.
        for (int j = from; j < to; j += L) {
          FloatVector.fromArray(S, z, j).mul(0.5f).intoArray(z, j);
        }
        sigmoidOfHalf(z, from, to);
        break;
      case HARD_SIGMOID:
        for (int j = from; j < to; j += L) {
          FloatVector v = FloatVector.fromArray(S, z, j);
          v.fma(Activation.HARD_SIGMOID_SLOPE, 0.5f).max(0f).min(1f).intoArray(z, j);
        }
        break;
      case TANH:
        tanh(z, from, to);
        break;
      case RELU:
        for (int j = from; j < to; j += L) {
          FloatVector.fromArray(S, z, j).max(0f).intoArray(z, j);
        }
        break;
      case IDENTITY:
      default:
        break;
    }
  }

  /**
   * As {@link #apply} for the recurrent activation on i, f and o pre-activations from {@link
   * LstmLayer}'s packed weights, which are already halved for the sigmoid.
   */
  static void applyGates(Activation a, float[] z, int from, int to) {
    if (a == Activation.SIGMOID) {
      sigmoidOfHalf(z, from, to);
    } else {
      apply(a, z, from, to);
    }
  }

  /** σ(x) = tanh(x / 2) / 2 + 1 / 2, from an array holding x / 2. */
  private static void sigmoidOfHalf(float[] z, int from, int to) {
    for (int j = from; j < to; j += L) {
      FloatVector x = FloatVector.fromArray(S, z, j);
      FloatVector a = x.reinterpretAsInts().and(MAGNITUDE).min(CLAMP_BITS).reinterpretAsFloats();
      FloatVector a2 = a.mul(a);
      FloatVector p = a2.fma(Activation.A13, Activation.A11);
      p = p.fma(a2, FloatVector.broadcast(S, Activation.A9));
      p = p.fma(a2, FloatVector.broadcast(S, Activation.A7));
      p = p.fma(a2, FloatVector.broadcast(S, Activation.A5));
      p = p.fma(a2, FloatVector.broadcast(S, Activation.A3));
      p = p.fma(a2, FloatVector.broadcast(S, Activation.A1)).mul(a);
      FloatVector q = a2.fma(Activation.B6, Activation.B4);
      q = q.fma(a2, FloatVector.broadcast(S, Activation.B2));
      q = q.fma(a2, FloatVector.broadcast(S, Activation.B0));
      FloatVector t = p.div(q);
      t = t.reinterpretAsInts().or(x.reinterpretAsInts().and(SIGN)).reinterpretAsFloats();
      t.fma(0.5f, 0.5f).intoArray(z, j);
    }
  }

  private static void tanh(float[] z, int from, int to) {
    for (int j = from; j < to; j += L) {
      FloatVector x = FloatVector.fromArray(S, z, j);
      FloatVector a = x.reinterpretAsInts().and(MAGNITUDE).min(CLAMP_BITS).reinterpretAsFloats();
      FloatVector a2 = a.mul(a);
      FloatVector p = a2.fma(Activation.A13, Activation.A11);
      p = p.fma(a2, FloatVector.broadcast(S, Activation.A9));
      p = p.fma(a2, FloatVector.broadcast(S, Activation.A7));
      p = p.fma(a2, FloatVector.broadcast(S, Activation.A5));
      p = p.fma(a2, FloatVector.broadcast(S, Activation.A3));
      p = p.fma(a2, FloatVector.broadcast(S, Activation.A1)).mul(a);
      FloatVector q = a2.fma(Activation.B6, Activation.B4);
      q = q.fma(a2, FloatVector.broadcast(S, Activation.B2));
      q = q.fma(a2, FloatVector.broadcast(S, Activation.B0));
      FloatVector t = p.div(q);
      t.reinterpretAsInts()
          .or(x.reinterpretAsInts().and(SIGN))
          .reinterpretAsFloats()
          .intoArray(z, j);
    }
  }
}
