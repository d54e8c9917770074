package io.flinklstm.job;

import static io.flinklstm.wire.RejectReason.BAD_FIELD;
import static io.flinklstm.wire.RejectReason.KEY_MISMATCH;
import static io.flinklstm.wire.RejectReason.LATE;
import static io.flinklstm.wire.RejectReason.MALFORMED_JSON;
import static io.flinklstm.wire.RejectReason.MISSING_FIELD;
import static io.flinklstm.wire.RejectReason.NON_FINITE;
import static io.flinklstm.wire.RejectReason.TOO_LARGE;
import static io.flinklstm.wire.RejectReason.UNKNOWN_MODEL;
import static io.flinklstm.wire.RejectReason.WRONG_DIMENSION;

import io.flinklstm.testutil.EventSeries;
import io.flinklstm.wire.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * A catalogue of inputs the job must refuse, each with the reason its dead letter must give: events
 * that are not JSON, lack or mistype fields, hold values no float32 can, exceed the size limits,
 * contradict their record key, do not fit the model or come late; and model updates that are
 * garbage, truncated, corrupt, mislabelled or stale.
 */
final class BadInputs {
  /** The job's limits in the tests that use this catalogue. */
  static final int MAX_EVENT_BYTES = 4096;

  static final int MAX_VALUES = 16;

  private static final String PADDING =
      "\"padding\":\"" + "x".repeat(MAX_EVENT_BYTES + 1000) + "\"";
  private static final String TOO_MANY_VALUES =
      "[" + String.join(",", Collections.nCopies(MAX_VALUES + 4, "0.5")) + "]";

  /** One refused input: its Kafka record key (or null), value (or null) and expected reason. */
  record Bad(String kind, RejectReason reason, String recordKey, byte[] value) {}

  private BadInputs() {}

  /**
   * One bad event of every kind for round {@code round}, each for a different key. Sent after the
   * round's valid events, so the late ones are older than their key's last event.
   */
  static List<Bad> events(List<String> keys, int round) {
    long ts = EventSeries.ts(round);
    List<Function<String, Bad>> kinds =
        List.of(
            key -> malformed("truncated", key, "{\"key\":\"" + key + "\",\"ts\":" + ts),
            key -> malformed("not json", key, "not json, round " + round),
            key -> malformed("an array", key, "[1,2,3]"),
            key -> reject("NaN token", NON_FINITE, key, event(key, ts, "[NaN,1.0]")),
            key -> reject("Infinity token", NON_FINITE, key, event(key, ts, "[1,Infinity]")),
            key -> new Bad("not UTF-8", MALFORMED_JSON, key, new byte[] {-128, -2, 0, 1}),
            key -> new Bad("empty", MALFORMED_JSON, key, new byte[0]),
            key -> new Bad("no value", MALFORMED_JSON, key, null),
            key -> malformed("two objects", key, event(key, ts, "[1,2]") + "{}"),
            key -> reject("no key", MISSING_FIELD, null, "{\"ts\":1,\"values\":[1,2]}"),
            key -> reject("no ts", MISSING_FIELD, key, event(key, null, "[1,2]")),
            key -> reject("no values", MISSING_FIELD, key, event(key, ts, null)),
            key -> badField("ts a string", key, event(key, null, "[1,2]", "\"ts\":\"today\"")),
            key -> badField("values a string", key, event(key, ts, "\"1,2\"")),
            key -> badField("a value a string", key, event(key, ts, "[1,\"two\"]")),
            key -> badField("a value a boolean", key, event(key, ts, "[true,1]")),
            key -> badField("key a number", null, "{\"key\":42,\"ts\":1,\"values\":[1,2]}"),
            key -> badField("negative ts", key, event(key, -ts, "[1,2]")),
            key -> badField("no values", key, event(key, ts, "[]")),
            key -> reject("overflow", NON_FINITE, key, event(key, ts, "[1e39,1]")),
            key -> reject("negative overflow", NON_FINITE, key, event(key, ts, "[1,-3.5e38]")),
            key -> reject("too many bytes", TOO_LARGE, key, event(key, ts, "[1,2]", PADDING)),
            key -> reject("too many values", TOO_LARGE, key, event(key, ts, TOO_MANY_VALUES)),
            key -> reject("key mismatch", KEY_MISMATCH, key, event(next(keys, key), ts, "[1,2]")),
            key -> reject("three values", WRONG_DIMENSION, key, event(key, ts, "[1,2,3]")),
            key -> reject("one value", WRONG_DIMENSION, key, event(key, ts, "[1]")),
            key -> reject("late", LATE, key, event(key, ts - 500, "[1,2]")),
            key ->
                reject(
                    "unknown model",
                    UNKNOWN_MODEL,
                    key,
                    event(key, ts, "[1,2]", "\"model\":\"no-such-model\"")));
    List<Bad> bad = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      bad.add(kinds.get(i).apply(keys.get((round + i) % keys.size())));
    }
    return bad;
  }

  /**
   * Twenty refused model updates, given a served version {@code v1} and a newer file {@code v2}:
   * sixteen {@code bad_model} (garbage, no value, truncated, a flipped digest byte, the wrong
   * record key) and four {@code stale_model} (version 1 again).
   */
  static List<Bad> models(String name, byte[] v1, byte[] v2, byte[] otherV1) {
    List<Bad> bad = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] garbage = ("not a model " + i).getBytes(StandardCharsets.UTF_8);
      bad.add(new Bad("garbage", RejectReason.BAD_MODEL, name, garbage));
    }
    bad.add(new Bad("no value", RejectReason.BAD_MODEL, name, null));
    for (int length : new int[] {8, 20, v2.length / 2, v2.length - 1}) {
      bad.add(new Bad("truncated", RejectReason.BAD_MODEL, name, Arrays.copyOf(v2, length)));
    }
    // The file ends with the 32-byte digest and a 4-byte signature length (0: unsigned).
    for (int i = 0; i < 4; i++) {
      byte[] corrupt = v2.clone();
      corrupt[corrupt.length - 5 - 7 * i] ^= 0x10;
      bad.add(new Bad("digest", RejectReason.BAD_MODEL, name, corrupt));
    }
    for (int i = 0; i < 4; i++) {
      bad.add(new Bad("record key", RejectReason.BAD_MODEL, "other-" + i, v2));
    }
    bad.add(new Bad("same version", RejectReason.STALE_MODEL, name, v1));
    bad.add(new Bad("same version", RejectReason.STALE_MODEL, name, v1));
    bad.add(new Bad("same version, other weights", RejectReason.STALE_MODEL, name, otherV1));
    bad.add(new Bad("same version, other weights", RejectReason.STALE_MODEL, name, otherV1));
    return bad;
  }

  private static Bad malformed(String kind, String recordKey, String value) {
    return reject(kind, MALFORMED_JSON, recordKey, value);
  }

  private static Bad badField(String kind, String recordKey, String value) {
    return reject(kind, BAD_FIELD, recordKey, value);
  }

  private static Bad reject(String kind, RejectReason reason, String recordKey, String value) {
    return new Bad(kind, reason, recordKey, value.getBytes(StandardCharsets.UTF_8));
  }

  private static String next(List<String> keys, String key) {
    return keys.get((keys.indexOf(key) + 1) % keys.size());
  }

  /** An event object with the fields that are not null, and any extra fields. */
  private static String event(String key, Long ts, String values, String... extra) {
    List<String> fields = new ArrayList<>();
    fields.add("\"key\":\"" + key + "\"");
    if (ts != null) {
      fields.add("\"ts\":" + ts);
    }
    if (values != null) {
      fields.add("\"values\":" + values);
    }
    fields.addAll(Arrays.asList(extra));
    return "{" + String.join(",", fields) + "}";
  }
}
