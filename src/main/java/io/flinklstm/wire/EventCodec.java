package io.flinklstm.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads and writes events as JSON, validating every field on the way in.
 *
 * <p>An event is accepted when it is a JSON object with a non-empty string {@code key}, an integer
 * {@code ts} (epoch milliseconds, not negative) and exactly one of: a non-empty array {@code
 * values} of finite numbers that fit in float32 (for a numeric model), or a string {@code symbol}
 * of 1 to {@link #MAX_SYMBOL_LENGTH} characters (for a categorical model); {@code model}, if
 * present, is a non-empty string. Other fields are ignored, so producers may add their own. When
 * the Kafka record has a key it must equal the event's, since Kafka's per-partition order is what
 * gives each key its order.
 *
 * <p>Thread-safe: the streaming parser is created per call from a shared factory.
 */
public final class EventCodec {
  public static final int DEFAULT_MAX_BYTES = 1 << 20;
  public static final int DEFAULT_MAX_VALUES = 4096;
  public static final int MAX_KEY_LENGTH = 1024;

  /** The longest symbol accepted: log keys and event types are short names, not messages. */
  public static final int MAX_SYMBOL_LENGTH = 256;

  // NaN and Infinity tokens are read as numbers so that they are refused as non-finite values,
  // which says more than a syntax error. Numbers are read and written with Jackson's fast,
  // correctly rounded algorithms (the JDK 17 ones dominate the cost of an event otherwise).
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .build();

  private final int maxBytes;
  private final int maxValues;

  public EventCodec() {
    this(DEFAULT_MAX_BYTES, DEFAULT_MAX_VALUES);
  }

  public EventCodec(int maxBytes, int maxValues) {
    if (maxBytes < 16 || maxValues < 1) {
      throw new IllegalArgumentException(
          "event limits: maxBytes must be at least 16 and maxValues at least 1, were "
              + maxBytes
              + " and "
              + maxValues);
    }
    this.maxBytes = maxBytes;
    this.maxValues = maxValues;
  }

  /**
   * Parses one Kafka record.
   *
   * @param recordKey the Kafka record key, or null
   * @param value the record value
   * @throws InvalidInputException saying what is wrong, with a {@link RejectReason}
   */
  public Event parse(byte[] recordKey, byte[] value) throws InvalidInputException {
    if (value == null) {
      throw new InvalidInputException(RejectReason.MALFORMED_JSON, "the record has no value");
    }
    if (value.length > maxBytes) {
      throw new InvalidInputException(
          RejectReason.TOO_LARGE,
          "the record has " + value.length + " bytes, more than the limit of " + maxBytes);
    }
    Event event;
    try (JsonParser p = JSON.createParser(value)) {
      event = readObject(p);
      if (p.nextToken() != null) {
        throw new InvalidInputException(
            RejectReason.MALFORMED_JSON, "unexpected content after the event object");
      }
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          RejectReason.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidInputException(RejectReason.MALFORMED_JSON, "unreadable: " + e.getMessage());
    }
    if (recordKey != null) {
      String kafkaKey = new String(recordKey, StandardCharsets.UTF_8);
      if (!kafkaKey.equals(event.key)) {
        throw new InvalidInputException(
            RejectReason.KEY_MISMATCH,
            "the Kafka record key '" + clip(kafkaKey) + "' differs from the event key");
      }
    }
    return event;
  }

  /** The JSON form of an event, as a producer would write it. */
  public byte[] encode(Event event) {
    int size = event.values == null ? event.symbol.length() : 12 * event.values.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + size);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("key", event.key);
      g.writeNumberField("ts", event.ts);
      if (event.values != null) {
        g.writeArrayFieldStart("values");
        for (float v : event.values) {
          g.writeNumber(v);
        }
        g.writeEndArray();
      } else {
        g.writeStringField("symbol", event.symbol);
      }
      if (event.model != null) {
        g.writeStringField("model", event.model);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private Event readObject(JsonParser p) throws IOException, InvalidInputException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new InvalidInputException(
          RejectReason.MALFORMED_JSON, "the event is not a JSON object");
    }
    String key = null;
    Long ts = null;
    float[] values = null;
    String symbol = null;
    String model = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken token = p.nextToken();
      switch (field) {
        case "key":
          key = readKey(token, p);
          break;
        case "ts":
          ts = readTimestamp(token, p);
          break;
        case "values":
          values = readValues(token, p);
          break;
        case "symbol":
          symbol = readSymbol(token, p);
          break;
        case "model":
          model = readModelName(token, p);
          break;
        default:
          p.skipChildren();
      }
    }
    if (key == null) {
      throw missing("key");
    }
    if (ts == null) {
      throw missing("ts");
    }
    if (values == null && symbol == null) {
      throw new InvalidInputException(
          RejectReason.MISSING_FIELD,
          "the field 'values' is missing (or 'symbol', for a categorical model)");
    }
    if (values != null && symbol != null) {
      throw badField("symbol", "and 'values' are both present; an event carries exactly one");
    }
    Event event = new Event(key, ts, values, model);
    event.symbol = symbol;
    return event;
  }

  private static String readKey(JsonToken token, JsonParser p)
      throws IOException, InvalidInputException {
    if (token != JsonToken.VALUE_STRING) {
      throw badField("key", "must be a string, was " + describe(token));
    }
    String key = p.getText();
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw badField(
          "key", "must have 1 to " + MAX_KEY_LENGTH + " characters, had " + key.length());
    }
    return wellFormed("key", key);
  }

  /**
   * The text, if it is valid Unicode. A JSON escape can write half of a surrogate pair, which has
   * no UTF-8 form: such a key would never equal a record key, and would be written out as '?', the
   * same as any other half pair in its place.
   */
  private static String wellFormed(String field, String text) throws InvalidInputException {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw badField(
            field, "must be valid Unicode; character " + i + " is half a surrogate pair");
      }
    }
    return text;
  }

  private static long readTimestamp(JsonToken token, JsonParser p)
      throws IOException, InvalidInputException {
    if (token != JsonToken.VALUE_NUMBER_INT
        || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw badField("ts", "must be an integer of epoch milliseconds, was " + describe(token));
    }
    long ts = p.getLongValue();
    if (ts < 0) {
      throw badField("ts", "must not be negative, was " + ts);
    }
    return ts;
  }

  private float[] readValues(JsonToken token, JsonParser p)
      throws IOException, InvalidInputException {
    if (token != JsonToken.START_ARRAY) {
      throw badField("values", "must be an array of numbers, was " + describe(token));
    }
    float[] values = new float[8];
    int n = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
        throw badField("values", "element " + n + " must be a number, was " + describe(t));
      }
      if (n == maxValues) {
        throw new InvalidInputException(
            RejectReason.TOO_LARGE, "values has more than the limit of " + maxValues + " elements");
      }
      double v = p.getDoubleValue();
      float f = (float) v;
      if (!Float.isFinite(f)) {
        throw new InvalidInputException(
            RejectReason.NON_FINITE, "values[" + n + "] is not a finite float32: " + p.getText());
      }
      if (n == values.length) {
        values = Arrays.copyOf(values, Math.min(maxValues, 2 * n));
      }
      values[n++] = f;
    }
    if (n == 0) {
      throw badField("values", "must not be empty");
    }
    return n == values.length ? values : Arrays.copyOf(values, n);
  }

  private static String readSymbol(JsonToken token, JsonParser p)
      throws IOException, InvalidInputException {
    if (token != JsonToken.VALUE_STRING) {
      throw badField("symbol", "must be a string, was " + describe(token));
    }
    String symbol = p.getText();
    if (symbol.isEmpty()) {
      throw badField("symbol", "must not be empty");
    }
    if (symbol.length() > MAX_SYMBOL_LENGTH) {
      throw new InvalidInputException(
          RejectReason.TOO_LARGE,
          "'symbol' has "
              + symbol.length()
              + " characters, more than the limit of "
              + MAX_SYMBOL_LENGTH);
    }
    return wellFormed("symbol", symbol);
  }

  private static String readModelName(JsonToken token, JsonParser p)
      throws IOException, InvalidInputException {
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.VALUE_STRING || p.getText().isEmpty()) {
      throw badField("model", "must be a non-empty string, was " + describe(token));
    }
    return wellFormed("model", p.getText());
  }

  private static InvalidInputException missing(String field) {
    return new InvalidInputException(
        RejectReason.MISSING_FIELD, "the field '" + field + "' is missing");
  }

  private static InvalidInputException badField(String field, String problem) {
    return new InvalidInputException(RejectReason.BAD_FIELD, "'" + field + "' " + problem);
  }

  private static String describe(JsonToken token) {
    if (token == null) {
      return "nothing";
    }
    switch (token) {
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      case START_ARRAY:
        return "an array";
      case START_OBJECT:
        return "an object";
      default:
        return token.toString();
    }
  }

  private static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
