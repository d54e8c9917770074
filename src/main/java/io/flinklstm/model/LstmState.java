package io.flinklstm.model;

import java.util.Arrays;

/**
 * One key's recurrent state: the hidden state h and cell c of every layer, each layer's values
 * stored one after another in a single array ({@link LstmModel#stateOffset(int)} tells where).
 *
 * <p>Stepping updates the arrays in place; a state is owned by one key and never shared.
 */
public final class LstmState {
  final float[] h;
  final float[] c;

  /** A zero state of the given total size (the sum of the layers' hidden sizes). */
  public LstmState(int size) {
    this.h = new float[size];
    this.c = new float[size];
  }

  /** Wraps existing arrays (for instance restored from a checkpoint) without copying them. */
  public LstmState(float[] h, float[] c) {
    if (h.length != c.length) {
      throw new IllegalArgumentException(
          "LSTM state: h has " + h.length + " values and c " + c.length);
    }
    this.h = h;
    this.c = c;
  }

  public int size() {
    return h.length;
  }

  /** The hidden state of all layers; the live array, not a copy. */
  public float[] h() {
    return h;
  }

  /** The cell state of all layers; the live array, not a copy. */
  public float[] c() {
    return c;
  }

  /** Back to zero, as at a sequence's start. */
  public void reset() {
    Arrays.fill(h, 0f);
    Arrays.fill(c, 0f);
  }

  public LstmState copy() {
    return new LstmState(h.clone(), c.clone());
  }
}
