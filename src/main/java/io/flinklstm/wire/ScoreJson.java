package io.flinklstm.wire;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a score's JSON straight into bytes, the same bytes as Jackson's data binding of {@link
 * ScoreRecord} writes (field order, absent nulls, number text), but without its per-number strings:
 * floats through {@link FloatText}, integers digit by digit, doubles with Jackson's shortest
 * writer. A score with a string that JSON must escape or that is not ASCII, or with a number that
 * is not finite, is left to Jackson ({@code null} from {@link #encode}), so the rare cases keep one
 * implementation. One instance per thread.
 */
final class ScoreJson {
  /** Field names, punctuation, the integers, booleans and six doubles (24 bytes at most) fit. */
  private static final int FIXED_BYTES = 512;

  /** Room for "flaggedBy" and every name it can hold. */
  private static final int FLAGGED_BY_BYTES = 96;

  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");

  private byte[] buf = new byte[512];
  private int pos;

  /** The score's JSON, or null when Jackson must write it. */
  byte[] encode(ScoreRecord s) {
    if (!plain(s)) {
      return null;
    }
    pos = 0;
    ensure(
        FIXED_BYTES
            + FloatText.MAX_BYTES * (length(s.values) + length(s.prediction))
            + length(s.key)
            + length(s.model)
            + length(s.status)
            + length(s.symbol)
            + length(s.verdict)
            + FLAGGED_BY_BYTES
            + FloatText.MAX_BYTES * length(s.contributions)
            + length(s.expected));
    raw('{');
    boolean first = true;
    if (s.key != null) {
      first = string(first, "key", s.key);
    }
    field(first, "ts");
    integer(s.ts);
    if (s.values != null) {
      floats("values", s.values);
    }
    if (s.prediction != null) {
      floats("prediction", s.prediction);
    }
    field(false, "error");
    decimal(s.error);
    field(false, "rawScore");
    decimal(s.rawScore);
    field(false, "likelihood");
    decimal(s.likelihood);
    field(false, "logLikelihood");
    decimal(s.logLikelihood);
    field(false, "confidence");
    decimal(s.confidence);
    field(false, "anomaly");
    bytes(s.anomaly ? TRUE : FALSE);
    if (s.flaggedBy != null) {
      field(false, "flaggedBy");
      raw('[');
      for (int i = 0; i < s.flaggedBy.length; i++) {
        if (i > 0) {
          raw(',');
        }
        raw('"');
        for (int c = 0; c < s.flaggedBy[i].length(); c++) {
          buf[pos++] = (byte) s.flaggedBy[i].charAt(c);
        }
        raw('"');
      }
      raw(']');
    }
    field(false, "warmingUp");
    bytes(s.warmingUp ? TRUE : FALSE);
    if (s.model != null) {
      string(false, "model", s.model);
    }
    field(false, "modelVersion");
    integer(s.modelVersion);
    if (s.status != null) {
      string(false, "status", s.status);
    }
    if (s.symbol != null) {
      string(false, "symbol", s.symbol);
    }
    if (s.surprise != null) {
      field(false, "surprise");
      decimal(s.surprise);
    }
    if (s.rank != null) {
      field(false, "rank");
      integer(s.rank);
    }
    if (s.verdict != null) {
      string(false, "verdict", s.verdict);
    }
    if (s.contributions != null) {
      floats("contributions", s.contributions);
    }
    if (s.topChannel != null) {
      field(false, "topChannel");
      integer(s.topChannel);
    }
    if (s.expected != null) {
      field(false, "expected");
      raw('[');
      for (int i = 0; i < s.expected.length; i++) {
        if (i > 0) {
          raw(',');
        }
        raw('"');
        for (int c = 0; c < s.expected[i].length(); c++) {
          buf[pos++] = (byte) s.expected[i].charAt(c);
        }
        raw('"');
      }
      raw(']');
    }
    raw('}');
    return Arrays.copyOf(buf, pos);
  }

  /** Whether every string is printable ASCII without quotes or backslashes, every number finite. */
  private static boolean plain(ScoreRecord s) {
    return plain(s.key)
        && plain(s.model)
        && plain(s.status)
        && plain(s.symbol)
        && plain(s.verdict)
        && plain(s.flaggedBy)
        && plain(s.expected)
        && finite(s.contributions)
        && finite(s.values)
        && finite(s.prediction)
        && Double.isFinite(s.error)
        && Double.isFinite(s.rawScore)
        && Double.isFinite(s.likelihood)
        && Double.isFinite(s.logLikelihood)
        && Double.isFinite(s.confidence)
        && (s.surprise == null || Double.isFinite(s.surprise));
  }

  private static boolean plain(String text) {
    if (text == null) {
      return true;
    }
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch < 0x20 || ch > 0x7e || ch == '"' || ch == '\\') {
        return false;
      }
    }
    return true;
  }

  private static boolean plain(String[] texts) {
    if (texts != null) {
      for (String text : texts) {
        if (text == null || !plain(text)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean finite(float[] values) {
    if (values != null) {
      for (float v : values) {
        if (!Float.isFinite(v)) {
          return false;
        }
      }
    }
    return true;
  }

  private boolean string(boolean first, String name, String value) {
    field(first, name);
    raw('"');
    for (int i = 0; i < value.length(); i++) {
      buf[pos++] = (byte) value.charAt(i);
    }
    raw('"');
    return false;
  }

  private void floats(String name, float[] values) {
    field(false, name);
    raw('[');
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        raw(',');
      }
      pos = FloatText.write(values[i], buf, pos);
    }
    raw(']');
  }

  /** The field's name and colon, after a comma unless it is the first. */
  private void field(boolean first, String name) {
    if (!first) {
      raw(',');
    }
    raw('"');
    for (int i = 0; i < name.length(); i++) {
      buf[pos++] = (byte) name.charAt(i);
    }
    raw('"');
    raw(':');
  }

  private void decimal(double value) {
    String text = NumberOutput.toString(value, true);
    for (int i = 0; i < text.length(); i++) {
      buf[pos++] = (byte) text.charAt(i);
    }
  }

  private void integer(long value) {
    if (value < 0) {
      if (value == Long.MIN_VALUE) {
        bytes(ascii(Long.toString(value)));
        return;
      }
      raw('-');
      value = -value;
    }
    int n = 1;
    for (long p = 10; n < 19 && value >= p; p *= 10) {
      n++;
    }
    for (int i = pos + n - 1; i >= pos; i--) {
      buf[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    pos += n;
  }

  private void bytes(byte[] b) {
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  private void raw(char ch) {
    buf[pos++] = (byte) ch;
  }

  /** Room for at least {@code bytes}, from the start of the score. */
  private void ensure(int bytes) {
    if (buf.length < bytes) {
      buf = Arrays.copyOf(buf, Math.max(bytes, 2 * buf.length));
    }
  }

  private static int length(float[] values) {
    return values == null ? 0 : values.length;
  }

  /** Bytes of the strings with their quotes and commas. */
  private static int length(String[] texts) {
    int n = 0;
    if (texts != null) {
      for (String text : texts) {
        n += text.length() + 3;
      }
    }
    return n;
  }

  private static int length(String text) {
    return text == null ? 0 : text.length();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
