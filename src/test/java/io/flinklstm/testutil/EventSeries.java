package io.flinklstm.testutil;

import io.flinklstm.wire.Event;
import io.flinklstm.wire.EventCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Deterministic two-value event series, one per key: equal arguments give equal events, so two runs
 * of a job on the same series can be compared score by score. Event {@code i} of a key has time
 * {@link #BEGINNING} + i seconds.
 */
public final class EventSeries {
  public static final long BEGINNING = 1_767_225_600_000L;
  public static final long ONE_SECOND = 1_000L;
  public static final int DIMENSION = 2;

  private static final EventCodec CODEC = new EventCodec();

  private EventSeries() {}

  /** {@code n} keys, {@code key-00} onwards. */
  public static List<String> keys(int n) {
    List<String> keys = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      keys.add(String.format(Locale.ROOT, "key-%02d", k));
    }
    return keys;
  }

  public static long ts(int index) {
    return BEGINNING + index * ONE_SECOND;
  }

  /** The key's event number {@code index}: a sine and a cosine, in a phase of the key's own. */
  public static Event event(String key, int index) {
    double phase = 0.3 * index + 0.7 * Math.floorMod(key.hashCode(), 97);
    float[] values = {(float) Math.sin(phase), (float) (0.5 * Math.cos(phase) + 1)};
    return new Event(key, ts(index), values, null);
  }

  /**
   * Events {@code from} (inclusive) to {@code to} of every key, one round of all keys at a time.
   */
  public static List<Event> rounds(List<String> keys, int from, int to) {
    List<Event> events = new ArrayList<>();
    for (int i = from; i < to; i++) {
      for (String key : keys) {
        events.add(event(key, i));
      }
    }
    return events;
  }

  /** The event as a producer writes it. */
  public static byte[] json(Event event) {
    return CODEC.encode(event);
  }
}
