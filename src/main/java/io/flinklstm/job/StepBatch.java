package io.flinklstm.job;

import io.flinklstm.model.LstmState;
import io.flinklstm.model.kernel.Stepper;
import java.util.HashSet;
import java.util.Set;

/**
 * LSTM steps of different keys that are due but not yet taken, so that one call of {@link
 * Stepper#advanceBatch} takes them together. Every step in a batch is of a different key and of the
 * same model; the inputs are copied in, the states are the keys' own (stepped in place).
 *
 * <p>A key's step may wait because nothing reads its state before its next event: the score of an
 * event comes from the state before it. Whoever reads or writes a key's state must therefore take
 * the batch first when {@link #holds} that key, and the whole batch before a checkpoint.
 */
final class StepBatch {
  private final int capacity;
  private final Set<Object> keys;
  private final Object[] keyOf;
  private final KeyState[] owners;
  private final LstmState[] states;
  private final float[][] inputs;
  private Stepper stepper;
  private int size;

  StepBatch(int capacity) {
    this.capacity = capacity;
    this.keys = new HashSet<>(2 * capacity);
    this.keyOf = new Object[capacity];
    this.owners = new KeyState[capacity];
    this.states = new LstmState[capacity];
    this.inputs = new float[capacity][];
  }

  /** Whether a step of this key waits in the batch. */
  boolean holds(Object key) {
    return size > 0 && keys.contains(key);
  }

  /**
   * Whether a step with this stepper can join: the batch has room and takes no other model's steps.
   * The caller makes sure it holds no step of the same key.
   */
  boolean accepts(Stepper next) {
    return size == 0 || (size < capacity && next == stepper);
  }

  /** Adds a key's step; {@link #accepts} must be true and the key not held. */
  void add(Object key, KeyState owner, Stepper next, LstmState state, float[] normalizedInput) {
    stepper = next;
    keys.add(key);
    keyOf[size] = key;
    owners[size] = owner;
    states[size] = state;
    float[] in = inputs[size];
    if (in == null || in.length != normalizedInput.length) {
      in = new float[normalizedInput.length];
      inputs[size] = in;
    }
    System.arraycopy(normalizedInput, 0, in, 0, normalizedInput.length);
    size++;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  Stepper stepper() {
    return stepper;
  }

  LstmState[] states() {
    return states;
  }

  float[][] inputs() {
    return inputs;
  }

  Object key(int i) {
    return keyOf[i];
  }

  KeyState owner(int i) {
    return owners[i];
  }

  /** Forgets the steps (after they were taken). */
  void clear() {
    for (int i = 0; i < size; i++) {
      keyOf[i] = null;
      owners[i] = null;
      states[i] = null;
    }
    keys.clear();
    stepper = null;
    size = 0;
  }
}
