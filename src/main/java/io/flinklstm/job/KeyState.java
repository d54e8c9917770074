package io.flinklstm.job;

import io.flinklstm.detect.ScoreStats;
import io.flinklstm.model.KeyScaler;
import io.flinklstm.model.LstmState;
import io.flinklstm.wire.Event;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Everything the job remembers about one key, held in Flink keyed state and written by {@link
 * KeyStateSerializer}: the recurrent (h, c) of every layer, the error statistics, the key's scaling
 * statistics, a ring of the last inputs (to re-warm the state under a new model: values and their
 * event times for a numeric model, symbols for a categorical one), the last event time, and events
 * held while no model was available.
 */
public final class KeyState {
  /** The model whose (h, c) this is; null until the key was first scored. */
  String model;

  /** That model's version; 0 until the key was first scored. */
  long modelVersion;

  LstmState lstm = new LstmState(0);
  final ScoreStats stats = new ScoreStats();

  /** The key's scaling statistics, learnt from its values when its model scales per key. */
  final KeyScaler scaler = new KeyScaler();

  /**
   * The last inputs in raw units, oldest first from {@link #ringHead}: up to capacity × dimension,
   * grown as inputs arrive, so that a key holds (and a restored state allocates) only what it
   * remembers.
   */
  float[] ring = new float[0];

  /**
   * The event time of each remembered input, slot by slot beside {@link #ring} ({@link
   * #UNKNOWN_TIME} for inputs restored from a state written before times were kept), so a model
   * with time inputs re-warms from the same steps it would have taken.
   */
  long[] ringTimes = new long[0];

  /** The time of a remembered input whose time was not kept. */
  static final long UNKNOWN_TIME = Long.MIN_VALUE;

  int ringDimension;
  int ringSlots;
  int ringSize;
  int ringHead;

  /** The last symbols, for a key scored by a categorical model; empty otherwise. */
  final SymbolRing symbols = new SymbolRing();

  long lastTs = Long.MIN_VALUE;
  long seen;

  /** Events that arrived before any model could score them, in arrival order. */
  final List<Event> pending = new ArrayList<>();

  /** Drops the recurrent state and recent inputs (error statistics stay: they describe the key). */
  void resetSequence() {
    lstm.reset();
    ringSize = 0;
    ringHead = 0;
    symbols.clear();
  }

  /** Sizes the LSTM state and the ring for a model; values are zeroed when a size changes. */
  void shapeFor(int stateSize, int dimension, int ringCapacity) {
    if (lstm.size() != stateSize) {
      lstm = new LstmState(stateSize);
    }
    Math.multiplyExact(ringCapacity, dimension);
    if (ringSlots != ringCapacity || ringDimension != dimension) {
      ring = new float[0];
      ringTimes = new long[0];
      ringSlots = ringCapacity;
      ringDimension = dimension;
      ringSize = 0;
      ringHead = 0;
    }
  }

  int ringCapacity() {
    return ringDimension == 0 ? 0 : ringSlots;
  }

  /** Appends an input and its event time, overwriting the oldest once the ring is full. */
  void remember(float[] values, long ts) {
    int capacity = ringCapacity();
    if (capacity == 0) {
      return;
    }
    int slot = (ringHead + ringSize) % capacity;
    if ((slot + 1) * ringDimension > ring.length) {
      // Not full yet, so the head is at 0 and the slot is the next one: double, up to capacity.
      long rows = Math.min(capacity, Math.max(slot + 1, 2L * ring.length / ringDimension));
      ring = Arrays.copyOf(ring, (int) rows * ringDimension);
      ringTimes = Arrays.copyOf(ringTimes, (int) rows);
    }
    System.arraycopy(values, 0, ring, slot * ringDimension, ringDimension);
    ringTimes[slot] = ts;
    if (ringSize < capacity) {
      ringSize++;
    } else {
      ringHead = (ringHead + 1) % capacity;
    }
  }

  /** Copies the i-th remembered input (0 is the oldest) into {@code out}. */
  void recall(int i, float[] out) {
    int slot = (ringHead + i) % ringCapacity();
    System.arraycopy(ring, slot * ringDimension, out, 0, ringDimension);
  }

  /** The event time of the i-th remembered input (0 is the oldest), or {@link #UNKNOWN_TIME}. */
  long recallTime(int i) {
    return ringTimes[(ringHead + i) % ringCapacity()];
  }
}
