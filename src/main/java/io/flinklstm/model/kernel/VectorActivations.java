package io.flinklstm.model.kernel;

import static io.flinklstm.model.kernel.VectorKernel.L;
import static io.flinklstm.model.kernel.VectorKernel.S;

import io.flinklstm.model.Activation;
import jdk.incubator.vector.FloatVector;

/**
 * The activations on vectors, applied in place to a range of a float array: the one vector form of
 * every {@link Activation}, which the step ({@link VectorStepGates}) and training (the vector BPTT
 * kernel) both use. A range need not be a whole number of vectors: its tail takes {@link
 * Activation}'s scalar form, which evaluates the same operations, so each element gets the same
 * bits whichever path it takes.
 *
 * <p>tanh is {@link Activation#fastTanh}: the rational approximation on |x|, clamped by an integer
 * {@code min} on its bits, in Horner's form with the scalar form's roundings (a fused first step,
 * then separate multiplications and additions), and the sign copied back by two bit operations. The
 * logistic sigmoid is tanh(x / 2) / 2 + 1 / 2. A NaN gives ±1 here where the scalar form gives NaN;
 * model files and events are checked finite where they enter, and from finite values a step
 * computes finite ones.
 *
 * <p>Every {@code FloatVector} lives inside one loop: one that crossed a method boundary would be
 * boxed on Java 17 wherever the JIT declines to inline the method, and in the step it does.
 */
public final class VectorActivations {
  // |x| clamped as bits: for floats of one sign the integer order is the numeric order, and an
  // integer min is one instruction where Java's float min takes five on AVX2 (it orders NaN and
  // -0).
  private static final int MAGNITUDE = 0x7fffffff;
  private static final int CLAMP_BITS = Float.floatToRawIntBits(Activation.TANH_CLAMP);
  private static final int SIGN = 0x80000000;

  private VectorActivations() {}

  /** a[from, to) = f(a[from, to)). */
  public static void apply(Activation f, float[] a, int from, int to) {
    switch (f) {
      case SIGMOID:
        tanh(a, from, to, 0.5f, 0.5f, 0.5f);
        break;
      case TANH:
        tanh(a, from, to, 1f, 1f, 0f);
        break;
      case HARD_SIGMOID:
        hardSigmoid(a, from, to);
        break;
      case RELU:
        relu(a, from, to);
        break;
      case IDENTITY:
      default:
        break;
    }
  }

  /**
   * As {@link #apply}, for a layer's recurrent activation on the i, f and o pre-activations of
   * {@code LstmLayer}'s packed weights: with the logistic sigmoid those are already halved, and σ
   * is tanh(a) / 2 + 1 / 2 of them.
   */
  static void applyToPacked(Activation f, float[] a, int from, int to) {
    if (f == Activation.SIGMOID) {
      tanh(a, from, to, 1f, 0.5f, 0.5f);
    } else {
      apply(f, a, from, to);
    }
  }

  /** a = scale · tanh(inScale · a) + shift over [from, to): σ and φ in one loop. */
  private static void tanh(float[] a, int from, int to, float inScale, float scale, float shift) {
    FloatVector a9 = FloatVector.broadcast(S, Activation.A9);
    FloatVector a7 = FloatVector.broadcast(S, Activation.A7);
    FloatVector a5 = FloatVector.broadcast(S, Activation.A5);
    FloatVector a3 = FloatVector.broadcast(S, Activation.A3);
    FloatVector a1 = FloatVector.broadcast(S, Activation.A1);
    FloatVector b2 = FloatVector.broadcast(S, Activation.B2);
    FloatVector b0 = FloatVector.broadcast(S, Activation.B0);
    int j = from;
    for (; j + L <= to; j += L) {
      FloatVector x = FloatVector.fromArray(S, a, j).mul(inScale);
      FloatVector m = x.reinterpretAsInts().and(MAGNITUDE).min(CLAMP_BITS).reinterpretAsFloats();
      FloatVector m2 = m.mul(m);
      FloatVector p = m2.fma(Activation.A13, Activation.A11);
      p = p.mul(m2).add(a9);
      p = p.mul(m2).add(a7);
      p = p.mul(m2).add(a5);
      p = p.mul(m2).add(a3);
      p = p.mul(m2).add(a1);
      p = p.mul(m);
      FloatVector q = m2.fma(Activation.B6, Activation.B4);
      q = q.mul(m2).add(b2);
      q = q.mul(m2).add(b0);
      FloatVector t =
          p.div(q).reinterpretAsInts().or(x.reinterpretAsInts().and(SIGN)).reinterpretAsFloats();
      t.fma(scale, shift).intoArray(a, j);
    }
    for (; j < to; j++) {
      a[j] = Math.fma(Activation.fastTanh(inScale * a[j]), scale, shift);
    }
  }

  private static void hardSigmoid(float[] a, int from, int to) {
    int j = from;
    for (; j + L <= to; j += L) {
      FloatVector x = FloatVector.fromArray(S, a, j);
      x.fma(Activation.HARD_SIGMOID_SLOPE, 0.5f).max(0f).min(1f).intoArray(a, j);
    }
    for (; j < to; j++) {
      a[j] = Activation.HARD_SIGMOID.apply(a[j]);
    }
  }

  private static void relu(float[] a, int from, int to) {
    int j = from;
    for (; j + L <= to; j += L) {
      FloatVector.fromArray(S, a, j).max(0f).intoArray(a, j);
    }
    for (; j < to; j++) {
      a[j] = Activation.RELU.apply(a[j]);
    }
  }
}
