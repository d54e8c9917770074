package io.flinklstm.model;

/**
 * The input side of a categorical model: a table of V rows of E floats, row s being the vector a
 * symbol of id s feeds to the first layer. Looking a row up costs nothing per vocabulary entry, so
 * vocabularies of thousands stay cheap; a one-hot input is the special case E = V with the identity
 * table ({@link #oneHot}), and x·Wx of a one-hot x is row s of Wx.
 *
 * <p>Immutable; the stepper reads rows in place, without copying.
 */
public final class Embedding {
  private final int vocabularySize;
  private final int size;
  private final float[] table;

  /**
   * @param rows V rows of E
   * @throws IllegalArgumentException if rows differ in length, a size is zero or a value is not
   *     finite
   */
  public Embedding(float[][] rows) {
    if (rows.length == 0 || rows[0].length == 0) {
      throw new IllegalArgumentException("embedding: vocabulary and embedding sizes must be >= 1");
    }
    this.vocabularySize = rows.length;
    this.size = rows[0].length;
    this.table = new float[Math.multiplyExact(vocabularySize, size)];
    for (int s = 0; s < vocabularySize; s++) {
      if (rows[s].length != size) {
        throw new IllegalArgumentException(
            "embedding: row " + s + " has " + rows[s].length + " values, expected " + size);
      }
      for (int k = 0; k < size; k++) {
        if (!Float.isFinite(rows[s][k])) {
          throw new IllegalArgumentException("embedding: [" + s + "][" + k + "] is " + rows[s][k]);
        }
      }
      System.arraycopy(rows[s], 0, table, s * size, size);
    }
  }

  /** The identity table: symbol s becomes the one-hot vector e_s. */
  public static Embedding oneHot(int vocabularySize) {
    float[][] rows = new float[vocabularySize][vocabularySize];
    for (int s = 0; s < vocabularySize; s++) {
      rows[s][s] = 1f;
    }
    return new Embedding(rows);
  }

  /** V, the number of rows. */
  public int vocabularySize() {
    return vocabularySize;
  }

  /** E, the length of each row: the first layer's input size. */
  public int size() {
    return size;
  }

  /** Where symbol s's row starts in {@link #table()}. */
  public int offset(int symbol) {
    return symbol * size;
  }

  /** The rows one after another: the live array, which the stepper reads and nothing may write. */
  public float[] table() {
    return table;
  }

  /** A copy of the table, V × E. */
  public float[][] rows() {
    float[][] out = new float[vocabularySize][size];
    for (int s = 0; s < vocabularySize; s++) {
      System.arraycopy(table, s * size, out[s], 0, size);
    }
    return out;
  }
}
