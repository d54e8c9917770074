package io.flinklstm.model.format;

import io.flinklstm.model.LstmLayer;

/**
 * The order of the four gate blocks in an LSTM's fused weights, and the column permutation that
 * brings weights in any order into this project's order, {@code ifgo}.
 *
 * <p>A fused LSTM weight matrix has 4H columns: four blocks of H, one per gate. Ecosystems disagree
 * on the block order: Keras writes i, f, c, o (its c is our candidate g, so that is {@code ifgo}),
 * PyTorch {@code ifgo}, ONNX i, o, f, c ({@code iofg}), and hand-written weights often {@code
 * fgio}. Model files record their order and importers state theirs; both call {@link #toIfgo} so
 * {@link LstmLayer} only ever sees {@code ifgo}.
 *
 * <p>An order is written as four letters, a permutation of {@code i} (input gate), {@code f}
 * (forget gate), {@code g} (candidate cell) and {@code o} (output gate). Immutable.
 */
public final class GateOrder {
  private static final String CANONICAL = "ifgo";

  /** This project's order, and the one model files are written in. */
  public static final GateOrder IFGO = new GateOrder(CANONICAL);

  private final String letters;

  /** For each ifgo block k, the block that holds it in this order. */
  private final int[] sourceBlock = new int[4];

  private GateOrder(String letters) {
    this.letters = letters;
    for (int k = 0; k < 4; k++) {
      sourceBlock[k] = letters.indexOf(CANONICAL.charAt(k));
    }
  }

  /**
   * Parses four letters such as {@code "fgio"}.
   *
   * @throws IllegalArgumentException naming the value, unless it is a permutation of i, f, g, o
   */
  public static GateOrder parse(String letters) {
    if (letters == null
        || letters.length() != 4
        || letters.chars().distinct().count() != 4
        || !letters.chars().allMatch(ch -> CANONICAL.indexOf(ch) >= 0)) {
      throw new IllegalArgumentException(
          "gate order '"
              + letters
              + "' is not a permutation of the letters i, f, g, o (for example ifgo)");
    }
    return letters.equals(CANONICAL) ? IFGO : new GateOrder(letters);
  }

  /** The four letters. */
  public String letters() {
    return letters;
  }

  /**
   * A copy of a 4H vector (a bias) with its blocks moved from this order into ifgo.
   *
   * @throws IllegalArgumentException if the length is not a positive multiple of 4
   */
  public float[] toIfgo(float[] values) {
    return permute(values, true);
  }

  /** A copy of a matrix of rows of 4H (input or recurrent weights), each row as {@link #toIfgo}. */
  public float[][] toIfgo(float[][] rows) {
    float[][] out = new float[rows.length][];
    for (int r = 0; r < rows.length; r++) {
      out[r] = permute(rows[r], true);
    }
    return out;
  }

  /** The inverse of {@link #toIfgo(float[])}: ifgo blocks moved into this order (for exporters). */
  public float[] fromIfgo(float[] values) {
    return permute(values, false);
  }

  /** The inverse of {@link #toIfgo(float[][])}. */
  public float[][] fromIfgo(float[][] rows) {
    float[][] out = new float[rows.length][];
    for (int r = 0; r < rows.length; r++) {
      out[r] = permute(rows[r], false);
    }
    return out;
  }

  private float[] permute(float[] values, boolean intoIfgo) {
    if (values.length == 0 || values.length % 4 != 0) {
      throw new IllegalArgumentException(
          "gate blocks: a row of fused LSTM weights has 4 × hidden size values, this one has "
              + values.length);
    }
    int h = values.length / 4;
    float[] out = new float[values.length];
    for (int k = 0; k < 4; k++) {
      int ifgoAt = k * h;
      int thisAt = sourceBlock[k] * h;
      if (intoIfgo) {
        System.arraycopy(values, thisAt, out, ifgoAt, h);
      } else {
        System.arraycopy(values, ifgoAt, out, thisAt, h);
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GateOrder other && other.letters.equals(letters);
  }

  @Override
  public int hashCode() {
    return letters.hashCode();
  }

  @Override
  public String toString() {
    return letters;
  }
}
