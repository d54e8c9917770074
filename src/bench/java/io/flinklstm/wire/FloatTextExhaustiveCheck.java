package io.flinklstm.wire;

import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * Checks {@link FloatText} on every positive finite float (the sign is a prefix): the same text as
 * Jackson's shortest float writer, and, for every 61st float, that {@code Float.parseFloat} reads
 * it back to the same float. Takes minutes on one core. Arguments: first and last bit pattern
 * (hex), default the whole range.
 */
public final class FloatTextExhaustiveCheck {
  private FloatTextExhaustiveCheck() {}

  public static void main(String[] args) {
    int first = args.length > 0 ? Integer.parseUnsignedInt(args[0], 16) : 1;
    int last = args.length > 1 ? Integer.parseUnsignedInt(args[1], 16) : 0x7f7fffff;
    byte[] buf = new byte[FloatText.MAX_BYTES];
    long wrong = 0;
    long checked = 0;
    long start = System.nanoTime();
    for (int bits = first; bits <= last && bits >= 0; bits++) {
      float f = Float.intBitsToFloat(bits);
      int n = FloatText.write(f, buf, 0);
      String expected = NumberOutput.toString(f, true);
      boolean same = n == expected.length();
      for (int i = 0; same && i < n; i++) {
        same = buf[i] == expected.charAt(i);
      }
      if (same && bits % 61 == 0) {
        same = Float.parseFloat(expected) == f;
      }
      if (!same) {
        if (wrong++ < 20) {
          System.out.printf(
              "%08x: wrote %s, expected %s%n",
              bits, new String(buf, 0, n, java.nio.charset.StandardCharsets.US_ASCII), expected);
        }
      }
      checked++;
      if ((bits & 0x0fffffff) == 0) {
        System.out.printf(
            "at %08x, %d checked, %d wrong, %.0f s%n",
            bits, checked, wrong, (System.nanoTime() - start) / 1e9);
      }
      if (bits == last) {
        break;
      }
    }
    System.out.printf(
        "%d floats checked, %d wrong, %.0f s%n", checked, wrong, (System.nanoTime() - start) / 1e9);
    if (wrong > 0) {
      System.exit(1);
    }
  }
}
