package io.flinklstm.train;

import io.flinklstm.model.InputScaling;
import io.flinklstm.model.KeyScaler;
import io.flinklstm.model.TimeFeatures;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The sidecar's sample of the stream: the most recent values of every key, within a fixed memory
 * budget however many keys arrive.
 *
 * <p>Each key keeps a ring of its last {@code stepsPerKey} steps. Rings start small ({@value
 * #INITIAL_STEPS} steps) and double as a key's data grows, so a key seen once costs little. The
 * floats allocated by all rings never exceed {@code maxFloats}: when an append would pass it, the
 * keys updated least recently are dropped whole until it fits. Recent, active keys are what the
 * next model must fit, and a dropped key that comes back simply starts again. Apart from the
 * floats, a key costs a map entry and its key string, about 150 bytes; since every key holds at
 * least {@value #INITIAL_STEPS} × D floats, the number of keys is bounded too.
 *
 * <p>Values are stored as the job feeds them to a model: scaled per key ({@link InputScaling}) by a
 * {@link KeyScaler} that has seen every value of the key the store took, in order, as the job's
 * does. Each step keeps its event time, from which a {@link #snapshot()} derives the time inputs
 * ({@link TimeFeatures}) after the values when the model takes them, so they cost no memory here.
 * An event older than its key's last one is skipped, as the job's key state does not take it
 * either. A dropped key that comes back starts its statistics afresh, so size the budget for the
 * keys that matter.
 *
 * <p>Thread-safe: a consumer thread appends while a training thread takes {@link #snapshot()}s. A
 * snapshot copies the data, so training never holds the lock; it needs up to as much memory again.
 */
public final class SequenceStore {
  static final int INITIAL_STEPS = 16;

  private final int inputSize;
  private final int stepsPerKey;
  private final long maxFloats;
  private final InputScaling scaling;
  private final TimeFeatures time;
  private final int stepSize;
  private final float[] scaled;
  // Access order: every get or put moves a key to the tail, so the head is least recently updated.
  private final LinkedHashMap<String, Ring> rings = new LinkedHashMap<>(16, 0.75f, true);
  private long storedFloats;
  private long evictedKeys;
  private final LinkedHashMap<String, java.util.ArrayDeque<Long>> pendingOfUnknownKeys =
      new LinkedHashMap<>();

  /** A store of values as they are, not scaled. */
  public SequenceStore(int inputSize, int stepsPerKey, long maxFloats) {
    this(inputSize, stepsPerKey, maxFloats, InputScaling.NONE);
  }

  /** A store of values scaled by {@code scaling}, without time inputs. */
  public SequenceStore(int inputSize, int stepsPerKey, long maxFloats, InputScaling scaling) {
    this(inputSize, stepsPerKey, maxFloats, scaling, TimeFeatures.NONE);
  }

  /**
   * @param inputSize D, values per event
   * @param stepsPerKey K, the most recent steps kept per key
   * @param maxFloats the budget for all keys' values together, at least K × D
   * @param scaling how every key's values are scaled before they are stored
   * @param time the time inputs a snapshot's steps carry after their values
   * @throws IllegalArgumentException naming the setting out of range
   */
  public SequenceStore(
      int inputSize, int stepsPerKey, long maxFloats, InputScaling scaling, TimeFeatures time) {
    TrainerConfig.requireAtLeast("input size", inputSize, 1);
    TrainerConfig.requireAtLeast("steps per key", stepsPerKey, 2);
    long oneKey = (long) stepsPerKey * inputSize;
    if (maxFloats < oneKey) {
      throw new IllegalArgumentException(
          "max floats must hold one full key, steps per key × input size = "
              + oneKey
              + ", was "
              + maxFloats);
    }
    this.inputSize = inputSize;
    this.stepsPerKey = stepsPerKey;
    this.maxFloats = maxFloats;
    this.scaling = Objects.requireNonNull(scaling, "scaling");
    this.time = time;
    this.stepSize = inputSize + time.width();
    this.scaled = new float[inputSize];
  }

  /**
   * Appends one step of a key's values (raw, not normalised), evicting other keys if the budget
   * requires; an event older than the key's last one is skipped.
   *
   * @return false when the event was skipped as late
   * @throws IllegalArgumentException if the key is blank, or values has the wrong length or a value
   *     that is not finite
   */
  public synchronized boolean append(String key, long ts, float[] values) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    if (values.length != inputSize) {
      throw new IllegalArgumentException(
          "key '" + key + "': " + values.length + " values, expected " + inputSize);
    }
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException("key '" + key + "': value " + i + " is " + values[i]);
      }
    }
    Ring ring = rings.get(key);
    if (ring == null) {
      ring = new Ring(Math.min(INITIAL_STEPS, stepsPerKey) * inputSize, inputSize);
      java.util.ArrayDeque<Long> waiting = pendingOfUnknownKeys.remove(key);
      if (waiting != null) {
        waiting.forEach(ring::pending);
      }
      rings.put(key, ring);
      storedFloats += ring.buffer.length;
    } else if (ts < ring.lastTs) {
      return false;
    } else if (ring.size == ring.buffer.length && ring.buffer.length < stepsPerKey * inputSize) {
      int grown = Math.min(2 * ring.buffer.length, stepsPerKey * inputSize);
      storedFloats += grown - ring.buffer.length;
      ring.grow(grown, inputSize);
    }
    ring.lastTs = ts;
    ring.scaler.scale(scaling, values, scaled);
    ring.add(scaled, ts);
    evictBeyondBudget();
    return true;
  }

  private void evictBeyondBudget() {
    // The key just appended is at the tail and fits alone, so this stops before reaching it.
    Iterator<Map.Entry<String, Ring>> oldest = rings.entrySet().iterator();
    while (storedFloats > maxFloats) {
      storedFloats -= oldest.next().getValue().buffer.length;
      oldest.remove();
      evictedKeys++;
    }
  }

  /**
   * A copy of every key's steps in time order, keys sorted by name for reproducible runs: the
   * values, then the time inputs of each step's event time.
   */
  public synchronized SequenceSet snapshot() {
    List<Series> series = new ArrayList<>(rings.size());
    for (Map.Entry<String, Ring> e : rings.entrySet()) {
      Ring ring = e.getValue();
      series.add(Series.wrap(e.getKey(), stepSize, steps(ring), ring.marksInOrder(inputSize)));
    }
    series.sort((a, b) -> a.key().compareTo(b.key()));
    return new SequenceSet(stepSize, series, scaling, time);
  }

  /** A ring's values in time order, each step followed by its time inputs. */
  private float[] steps(Ring ring) {
    float[] values = ring.inOrder();
    if (!time.any()) {
      return values;
    }
    int n = values.length / inputSize;
    int capacity = ring.buffer.length / inputSize;
    float[] out = new float[n * stepSize];
    for (int i = 0; i < n; i++) {
      System.arraycopy(values, i * inputSize, out, i * stepSize, inputSize);
      time.encode(
          ring.times[(ring.start / inputSize + i) % capacity], out, i * stepSize + inputSize);
    }
    return out;
  }

  public synchronized int keyCount() {
    return rings.size();
  }

  /** Floats allocated for values now, at most the budget. */
  public synchronized long storedFloats() {
    return storedFloats;
  }

  /** Keys dropped to stay within the budget since the store was made. */
  public synchronized long evictedKeys() {
    return evictedKeys;
  }

  /** Steps held for the key, 0 if it is not held; does not count as an update. */
  public synchronized int length(String key) {
    for (Map.Entry<String, Ring> e : rings.entrySet()) {
      if (e.getKey().equals(key)) {
        return e.getValue().size / inputSize;
      }
    }
    return 0;
  }

  /**
   * Marks the step of {@code key} at {@code ts} flagged (the job flagged its event), so training
   * leaves windows holding it out; a step not stored yet is marked when it arrives (up to {@value
   * #PENDING_MARKS} per key). A step an analyst called a false positive stays unmarked.
   */
  public synchronized void markFlagged(String key, long ts) {
    Ring ring = rings.get(key);
    if (ring != null && ring.cleared != null && ring.cleared.contains(ts)) {
      return;
    }
    mark(key, ring, ts);
  }

  /**
   * Applies an analyst's verdict on the step of {@code key} at {@code ts}: a confirmed anomaly is
   * marked as a flagged one is, so training never learns its windows (a step not stored yet, when
   * it arrives); a false positive is unmarked, and a flag the job reports for it later is ignored
   * (for the key's last {@value #PENDING_MARKS} false positives). The last verdict on a step wins.
   */
  public synchronized void markVerdict(String key, long ts, boolean confirmed) {
    Ring ring = rings.get(key);
    if (confirmed) {
      if (ring != null && ring.cleared != null) {
        ring.cleared.remove(ts);
      }
      mark(key, ring, ts);
    } else if (ring != null) {
      ring.clear(ts, inputSize);
    }
  }

  private void mark(String key, Ring ring, long ts) {
    if (ring == null) {
      pendingOfUnknownKeys.computeIfAbsent(key, k -> new java.util.ArrayDeque<>()).addLast(ts);
      if (pendingOfUnknownKeys.size() > PENDING_KEYS) {
        pendingOfUnknownKeys.remove(pendingOfUnknownKeys.keySet().iterator().next());
      }
    } else if (!ring.mark(ts, inputSize)) {
      ring.pending(ts);
    }
  }

  /** Marks waiting for their step, per key; older ones are forgotten beyond this. */
  static final int PENDING_MARKS = 64;

  /** Keys not stored yet whose marks wait; the oldest are forgotten beyond this. */
  static final int PENDING_KEYS = 4096;

  /**
   * A circular buffer of whole steps; {@code size} floats are valid, oldest at {@code start}; with
   * each step's time and flag mark, the key's scaling statistics and its last event time.
   */
  private static final class Ring {
    final KeyScaler scaler = new KeyScaler();
    long lastTs = Long.MIN_VALUE;
    float[] buffer;
    long[] times;
    boolean[] flagged;
    java.util.ArrayDeque<Long> pendingMarks;

    /** Times of steps an analyst called false positives: a later flag of one is ignored. */
    java.util.ArrayDeque<Long> cleared;

    int start;
    int size;

    Ring(int capacity, int inputSize) {
      buffer = new float[capacity];
      times = new long[capacity / inputSize];
      flagged = new boolean[capacity / inputSize];
    }

    void add(float[] values, long ts) {
      int d = values.length;
      int end = (start + size) % buffer.length;
      System.arraycopy(values, 0, buffer, end, d);
      times[end / d] = ts;
      flagged[end / d] = pendingMarks != null && pendingMarks.remove(ts);
      if (size == buffer.length) {
        start = (start + d) % buffer.length;
      } else {
        size += d;
      }
    }

    /** Marks the newest step at {@code ts}; false when no stored step has that time. */
    boolean mark(long ts, int d) {
      int steps = size / d;
      int capacity = buffer.length / d;
      for (int i = steps - 1; i >= 0; i--) {
        int slot = (start / d + i) % capacity;
        if (times[slot] == ts) {
          flagged[slot] = true;
          return true;
        }
        if (times[slot] < ts) {
          return false;
        }
      }
      return false;
    }

    /** Unmarks the step at {@code ts}, stored or pending, and remembers it as cleared. */
    void clear(long ts, int d) {
      int steps = size / d;
      int capacity = buffer.length / d;
      for (int i = steps - 1; i >= 0; i--) {
        int slot = (start / d + i) % capacity;
        if (times[slot] == ts) {
          flagged[slot] = false;
        }
      }
      if (pendingMarks != null) {
        pendingMarks.remove(ts);
      }
      if (cleared == null) {
        cleared = new java.util.ArrayDeque<>();
      }
      if (cleared.size() == PENDING_MARKS) {
        cleared.removeFirst();
      }
      cleared.addLast(ts);
    }

    void pending(long ts) {
      if (pendingMarks == null) {
        pendingMarks = new java.util.ArrayDeque<>();
      }
      if (pendingMarks.size() == PENDING_MARKS) {
        pendingMarks.removeFirst();
      }
      pendingMarks.addLast(ts);
    }

    /** Only called when full, so the contents are the whole buffer from start. */
    void grow(int capacity, int d) {
      int steps = size / d;
      long[] t = new long[capacity / d];
      boolean[] u = new boolean[capacity / d];
      for (int i = 0; i < steps; i++) {
        int slot = (start / d + i) % (buffer.length / d);
        t[i] = times[slot];
        u[i] = flagged[slot];
      }
      buffer = inOrder(capacity);
      times = t;
      flagged = u;
      start = 0;
    }

    float[] inOrder() {
      return inOrder(size);
    }

    /** The flag marks of the stored steps in time order; null when there is none. */
    boolean[] marksInOrder(int d) {
      int steps = size / d;
      int capacity = buffer.length / d;
      boolean[] out = null;
      for (int i = 0; i < steps; i++) {
        if (flagged[(start / d + i) % capacity]) {
          if (out == null) {
            out = new boolean[steps];
          }
          out[i] = true;
        }
      }
      return out;
    }

    private float[] inOrder(int capacity) {
      float[] out = new float[capacity];
      int first = Math.min(size, buffer.length - start);
      System.arraycopy(buffer, start, out, 0, first);
      System.arraycopy(buffer, 0, out, first, size - first);
      return out;
    }
  }
}
