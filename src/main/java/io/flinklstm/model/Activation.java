package io.flinklstm.model;

import java.util.Locale;

/**
 * The element-wise functions an LSTM layer applies, named as Keras names them.
 *
 * <p>A layer has two: the <em>activation</em> (applied to the candidate cell {@code g} and to the
 * cell before the output gate) and the <em>recurrent activation</em> (applied to the input, forget
 * and output gates). Keras' defaults are {@code tanh} and {@code sigmoid}; {@code identity} for
 * both makes a layer whose outputs can be worked out by hand.
 *
 * <p>{@code tanh} and {@code sigmoid} use a rational approximation ({@link #fastTanh}) that is
 * within 4e-7 of tanh everywhere (at worst near |x| = 5.8, where floats below 1 are 6e-8 apart;
 * sigmoid, as tanh(x / 2) / 2 + 1 / 2, within 2.5e-7) and several times faster than {@link
 * Math#exp}; the vector kernels evaluate the same operations, so every kernel, step and training
 * alike, gets the same bits from the same pre-activation.
 *
 * <p>Derivatives are expressed in terms of the function's <em>output</em> y, which is what the
 * backward pass keeps: sigmoid' = y(1 - y), tanh' = 1 - y², and so on.
 */
public enum Activation {
  SIGMOID("sigmoid"),
  /** Keras 3's {@code hard_sigmoid}: clip(x / 6 + 1/2, 0, 1). */
  HARD_SIGMOID("hard_sigmoid"),
  TANH("tanh"),
  IDENTITY("identity"),
  RELU("relu");

  /** Slope of {@link #HARD_SIGMOID} where it is not saturated. */
  public static final float HARD_SIGMOID_SLOPE = 1f / 6f;

  // Coefficients of the odd/even rational approximation of tanh on [-CLAMP, CLAMP] (the
  // minimax fit that Eigen also uses). Outside the clamp, tanh(x) rounds to +-1 in float32.
  public static final float TANH_CLAMP = 7.90531110763549805f;
  public static final float A1 = 4.89352455891786e-03f;
  public static final float A3 = 6.37261928875436e-04f;
  public static final float A5 = 1.48572235717979e-05f;
  public static final float A7 = 5.12229709037114e-08f;
  public static final float A9 = -8.60467152213735e-11f;
  public static final float A11 = 2.00018790482477e-13f;
  public static final float A13 = -2.76076847742355e-16f;
  public static final float B0 = 4.89352518554385e-03f;
  public static final float B2 = 2.26843463243900e-03f;
  public static final float B4 = 1.18534705686654e-04f;
  public static final float B6 = 1.19825839466702e-06f;

  private final String id;

  Activation(String id) {
    this.id = id;
  }

  /** The name used in model files and on the command line. */
  public String id() {
    return id;
  }

  /**
   * Parses a name as Keras writes it; {@code linear} and {@code none} are accepted for {@link
   * #IDENTITY}.
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  public static Activation parse(String name) {
    String n = name == null ? "none" : name.trim().toLowerCase(Locale.ROOT);
    switch (n) {
      case "linear":
      case "none":
        return IDENTITY;
      default:
        for (Activation a : values()) {
          if (a.id.equals(n)) {
            return a;
          }
        }
        throw new IllegalArgumentException(
            "unknown activation '"
                + name
                + "' (expected one of sigmoid, hard_sigmoid, tanh, identity, linear, relu)");
    }
  }

  /** f(x). */
  public float apply(float x) {
    switch (this) {
      case SIGMOID:
        return Math.fma(fastTanh(0.5f * x), 0.5f, 0.5f);
      case HARD_SIGMOID:
        return Math.max(0f, Math.min(1f, Math.fma(x, HARD_SIGMOID_SLOPE, 0.5f)));
      case TANH:
        return fastTanh(x);
      case RELU:
        return Math.max(0f, x);
      case IDENTITY:
      default:
        return x;
    }
  }

  /** f'(x) written as a function of y = f(x). */
  public float derivativeFromOutput(float y) {
    switch (this) {
      case SIGMOID:
        return y * (1f - y);
      case HARD_SIGMOID:
        return y > 0f && y < 1f ? HARD_SIGMOID_SLOPE : 0f;
      case TANH:
        return 1f - y * y;
      case RELU:
        return y > 0f ? 1f : 0f;
      case IDENTITY:
      default:
        return 1f;
    }
  }

  /**
   * tanh(x) by a rational approximation, within 4e-7 of it over all of float32: x·P(x²) / Q(x²) on
   * |x| clamped to {@link #TANH_CLAMP}, in Horner's form (its first step a fused multiply-add, the
   * others a multiplication and an addition), the sign copied from x. The vector kernels evaluate
   * the same operations lane by lane (io.flinklstm.model.kernel.VectorActivations), so they agree
   * with this to the bit.
   */
  public static float fastTanh(float x) {
    float a = Math.min(Math.abs(x), TANH_CLAMP);
    float a2 = a * a;
    float p = Math.fma(a2, A13, A11);
    p = p * a2 + A9;
    p = p * a2 + A7;
    p = p * a2 + A5;
    p = p * a2 + A3;
    p = p * a2 + A1;
    p = p * a;
    float q = Math.fma(a2, B6, B4);
    q = q * a2 + B2;
    q = q * a2 + B0;
    return Math.copySign(p / q, x);
  }
}
