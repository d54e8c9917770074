package io.flinklstm.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An analyst's verdict on a scored event, as the feedback topic carries it:
 *
 * <pre>
 *   {"key": "pump-7", "ts": 1700000000000, "verdict": "false_positive", "note": "maintenance"}
 * </pre>
 *
 * <p>{@code key} (a non-empty string of at most {@link EventCodec#MAX_KEY_LENGTH} characters) and
 * {@code ts} (epoch milliseconds, not negative) name the event as its score names it; {@code
 * verdict} is {@code false_positive} (the flag was wrong: the job raises the key's bar for a while,
 * the sidecar lets training learn the event) or {@code confirmed} (a real anomaly: training never
 * learns it). {@code model}, if present, is the model the event was scored by, so a sidecar of
 * another model ignores the verdict; {@code note}, if present, is free text of at most {@link
 * #MAX_NOTE_LENGTH} characters. Other fields are ignored. When the Kafka record has a key it must
 * equal the verdict's, as for events.
 */
public final class Verdict {
  /** The longest note accepted. */
  public static final int MAX_NOTE_LENGTH = 1024;

  /** The largest feedback record read. */
  public static final int MAX_BYTES = 16 * 1024;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** What the analyst found. */
  public enum Kind {
    /** The event was flagged but is normal for its key. */
    FALSE_POSITIVE("false_positive"),
    /** The event is an anomaly. */
    CONFIRMED("confirmed");

    private final String code;

    Kind(String code) {
      this.code = code;
    }

    /** The name the feedback topic uses. */
    public String code() {
      return code;
    }

    /** The kind of a code, or null if there is none. */
    public static Kind of(String code) {
      for (Kind k : values()) {
        if (k.code.equals(code)) {
          return k;
        }
      }
      return null;
    }
  }

  public final String key;
  public final long ts;
  public final Kind kind;

  /** The model that scored the event, or null when the verdict does not say. */
  public final String model;

  /** The analyst's note, or null. */
  public final String note;

  public Verdict(String key, long ts, Kind kind, String model, String note) {
    this.key = Objects.requireNonNull(key, "key");
    this.ts = ts;
    this.kind = Objects.requireNonNull(kind, "kind");
    this.model = model;
    this.note = note;
  }

  /**
   * Reads one feedback record.
   *
   * @param recordKey the Kafka record key, or null
   * @throws InvalidInputException saying what is wrong, with a {@link RejectReason}
   */
  public static Verdict parse(byte[] recordKey, byte[] value) throws InvalidInputException {
    if (value == null) {
      throw new InvalidInputException(RejectReason.MALFORMED_JSON, "the record has no value");
    }
    if (value.length > MAX_BYTES) {
      throw new InvalidInputException(
          RejectReason.TOO_LARGE,
          "the verdict has " + value.length + " bytes, more than the limit of " + MAX_BYTES);
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(value);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          RejectReason.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidInputException(RejectReason.MALFORMED_JSON, "unreadable: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw new InvalidInputException(RejectReason.MALFORMED_JSON, "a verdict is a JSON object");
    }
    String key = text(node, "key", true, EventCodec.MAX_KEY_LENGTH);
    JsonNode ts = node.get("ts");
    if (ts == null || ts.isNull()) {
      throw new InvalidInputException(RejectReason.MISSING_FIELD, "the verdict has no 'ts'");
    }
    if (!ts.isIntegralNumber() || !ts.canConvertToLong() || ts.asLong() < 0) {
      throw new InvalidInputException(
          RejectReason.BAD_FIELD, "'ts' must be epoch milliseconds, an integer of at least 0");
    }
    String code = text(node, "verdict", true, 64);
    Kind kind = Kind.of(code);
    if (kind == null) {
      throw new InvalidInputException(
          RejectReason.BAD_FIELD,
          "'verdict' must be \"false_positive\" or \"confirmed\", was \"" + code + "\"");
    }
    String model = text(node, "model", false, EventCodec.MAX_KEY_LENGTH);
    String note = text(node, "note", false, MAX_NOTE_LENGTH);
    if (recordKey != null && !new String(recordKey, StandardCharsets.UTF_8).equals(key)) {
      throw new InvalidInputException(
          RejectReason.KEY_MISMATCH, "the Kafka record key differs from the verdict's key");
    }
    return new Verdict(key, ts.asLong(), kind, model, note);
  }

  /** The JSON form, as {@code flink-lstm feedback} writes it. */
  public byte[] encode() {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("key", key);
    node.put("ts", ts);
    node.put("verdict", kind.code());
    if (model != null) {
      node.put("model", model);
    }
    if (note != null) {
      node.put("note", note);
    }
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a verdict is always writable", e);
    }
  }

  private static String text(JsonNode node, String field, boolean required, int maxLength)
      throws InvalidInputException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new InvalidInputException(
            RejectReason.MISSING_FIELD, "the verdict has no '" + field + "'");
      }
      return null;
    }
    if (!value.isTextual() || value.asText().isEmpty() || value.asText().length() > maxLength) {
      throw new InvalidInputException(
          RejectReason.BAD_FIELD,
          "'" + field + "' must be a string of 1 to " + maxLength + " characters");
    }
    return value.asText();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Verdict v
        && key.equals(v.key)
        && ts == v.ts
        && kind == v.kind
        && Objects.equals(model, v.model)
        && Objects.equals(note, v.note);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, ts, kind, model, note);
  }

  @Override
  public String toString() {
    return "Verdict{" + key + "@" + ts + " " + kind.code() + "}";
  }
}
