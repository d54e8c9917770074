package io.flinklstm.wire;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Writes a finite float as the shortest decimal that reads back as the same float, as ASCII bytes,
 * in the text of Java 19's {@code Float.toString} (and of Jackson's fast float writer, which scores
 * used before): plain ({@code 0.001}, {@code 17.25}, {@code 1234567.0}) from 10⁻³ up to below 10⁷,
 * else computerised scientific ({@code 1.0E7}, {@code 9.999999E-4}, {@code 1.4E-45}).
 *
 * <p>Which decimal: of all decimals that round to the float (round half to even, as {@code
 * Float.parseFloat} reads them), one with the fewest significant digits, the closest to the float
 * among those, the one with an even last digit on a tie; when one digit would do, two-digit
 * decimals compete too ({@code 1.4E-45}, not {@code 1.0E-45}). A float32 never needs more than 9.
 *
 * <p>How: a float is c·2^q. The decimals that round to it are those inside the interval between the
 * midpoints to its neighbours, (4c − 2)·2^(q−2) to (4c + 2)·2^(q−2) (from 4c − 1 below a power of
 * two, where the gap below is half as wide), ends included when c is even. Scaled by 10^−k, with k
 * chosen so that the interval is between 1 and 10 units wide, the candidates are the integers in
 * it: at most one multiple of ten (the shortest, if there), else the one of floor(v·10^−k) and the
 * next integer that is closer to v. The scaling multiplies by a 63-bit upper approximation of
 * 10^−k·2^(62 − t); whether an end or the float's own midpoint lies exactly on an integer is
 * decided exactly, from the factors of 2 and 5 of the scaled integer. The approximation is not
 * proven here; instead every finite float was checked: the same text as Jackson's writer, and every
 * 61st read back by {@code Float.parseFloat} ({@code FloatTextExhaustiveCheck} in the benchmarks,
 * to run again after any change).
 */
final class FloatText {
  /** The longest text: {@code -1.23456789E-38}. */
  static final int MAX_BYTES = 15;

  private static final int ROWS = 256;
  private static final int Q_MIN = -149;
  private static final long HALF = 1L << 63;

  /** Above this fraction (of 2⁶⁴) the scaled value cannot be an integer: the error is below 2²⁹. */
  private static final long EXACT_SLACK = 1L << 30;

  /** Per biased exponent: row e for the symmetric interval, row ROWS + e below a power of two. */
  private static final int[] DECIMAL_EXPONENT = new int[2 * ROWS];

  private static final int[] SHIFT = new int[2 * ROWS];
  private static final long[] SCALE = new long[2 * ROWS];

  /** 5^i while it fits a long: an integer below 2²⁸ is never a multiple of a larger power. */
  private static final long[] POW5 = new long[28];

  /** The two digits of the tiniest subnormals c·2⁻¹⁴⁹ (c < 8), in units of 10⁻⁴⁶. */
  private static final int[] TINY = new int[8];

  private static final int TINY_EXPONENT = -46;

  /** "00", "01", ... "99". */
  private static final byte[] DIGIT_PAIRS = new byte[200];

  private static final int[] POW10 = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
  };

  static {
    for (int i = 0; i < 100; i++) {
      DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
      DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
    for (int e = 1; e < ROWS - 1; e++) {
      fillRow(e, e - 150, false);
      fillRow(ROWS + e, e - 150, true);
    }
    POW5[0] = 1;
    for (int i = 1; i < POW5.length; i++) {
      POW5[i] = 5 * POW5[i - 1];
    }
    for (int c = 1; c < TINY.length; c++) {
      TINY[c] =
          exactPowerOfTwo(Q_MIN)
              .multiply(BigDecimal.valueOf(c))
              .scaleByPowerOfTen(-TINY_EXPONENT)
              .setScale(0, RoundingMode.HALF_EVEN)
              .intValueExact();
    }
  }

  private FloatText() {}

  /** The exact tables for exponent q: k with 10^k ≤ the interval's width < 10^(k+1), and scale. */
  private static void fillRow(int row, int q, boolean belowPowerOfTwo) {
    BigDecimal width = exactPowerOfTwo(q);
    if (belowPowerOfTwo) {
      width = width.multiply(BigDecimal.valueOf(3)).divide(BigDecimal.valueOf(4));
    }
    int k = width.precision() - width.scale() - 1;
    BigDecimal ratio = exactPowerOfTwo(q).scaleByPowerOfTen(-k); // 2^q·10^−k, in [1, 40/3)
    int t = 0;
    while (ratio.compareTo(BigDecimal.valueOf(2L << t)) >= 0) {
      t++;
    }
    BigInteger scale =
        ratio
            .multiply(new BigDecimal(BigInteger.ONE.shiftLeft(62 - t)))
            .setScale(0, RoundingMode.CEILING)
            .toBigIntegerExact();
    DECIMAL_EXPONENT[row] = k;
    SHIFT[row] = t;
    SCALE[row] = scale.longValueExact();
  }

  private static BigDecimal exactPowerOfTwo(int q) {
    BigDecimal p = new BigDecimal(BigInteger.ONE.shiftLeft(Math.abs(q)));
    return q >= 0 ? p : BigDecimal.ONE.divide(p);
  }

  /**
   * Writes {@code v} at {@code pos} and returns the position after it; needs {@link #MAX_BYTES}.
   *
   * @throws IllegalArgumentException for NaN and infinities, which JSON has no number for
   */
  static int write(float v, byte[] out, int pos) {
    int bits = Float.floatToRawIntBits(v);
    if (bits < 0) {
      out[pos++] = '-';
      bits &= 0x7fffffff;
    }
    if (bits == 0) {
      out[pos] = '0';
      out[pos + 1] = '.';
      out[pos + 2] = '0';
      return pos + 3;
    }
    int e = bits >>> 23;
    if (e == 0xff) {
      throw new IllegalArgumentException("not a finite float: " + v);
    }
    int fraction = bits & 0x7fffff;
    int c = e == 0 ? fraction : fraction | 0x800000;
    int q = Math.max(e, 1) - 150;
    boolean belowPowerOfTwo = fraction == 0 && e > 1;
    int row = belowPowerOfTwo ? ROWS + e : Math.max(e, 1);
    int k = DECIMAL_EXPONENT[row];
    int t = SHIFT[row];
    long scale = SCALE[row];
    int e2 = q - 2 - k;

    long mid = (long) c << 2;
    long low = mid - (belowPowerOfTwo ? 1 : 2);
    long high = mid + 2;
    long lowInt = Math.multiplyHigh(low << t, scale);
    long lowFrac = (low << t) * scale;
    long midInt = Math.multiplyHigh(mid << t, scale);
    long midFrac = (mid << t) * scale;
    long highInt = Math.multiplyHigh(high << t, scale);
    long highFrac = (high << t) * scale;
    boolean even = (c & 1) == 0;
    boolean lowOnInt = Long.compareUnsigned(lowFrac, EXACT_SLACK) < 0 && isInteger(low, e2, k);
    boolean highOnInt = Long.compareUnsigned(highFrac, EXACT_SLACK) < 0 && isInteger(high, e2, k);

    long s = midInt;
    if (s < 10) {
      return format(TINY[c], TINY_EXPONENT, out, pos);
    }
    if (s >= 100) {
      // At most one multiple of ten fits in an interval narrower than ten units.
      long down = s - s % 10;
      if (inside(down, lowInt, lowOnInt, highInt, highOnInt, even)) {
        return format(down, k, out, pos);
      }
      if (inside(down + 10, lowInt, lowOnInt, highInt, highOnInt, even)) {
        return format(down + 10, k, out, pos);
      }
    }
    long up = s + 1;
    boolean sInside = inside(s, lowInt, lowOnInt, highInt, highOnInt, even);
    boolean upInside = inside(up, lowInt, lowOnInt, highInt, highOnInt, even);
    long d;
    if (sInside != upInside) {
      d = sInside ? s : up; // an interval at least one unit wide holds one of them
    } else {
      boolean tie =
          Long.compareUnsigned(midFrac - HALF, EXACT_SLACK) < 0 && isInteger(mid << 1, e2, k);
      if (tie) {
        d = (s & 1) == 0 ? s : up;
      } else {
        d = Long.compareUnsigned(midFrac, HALF) < 0 ? s : up;
      }
    }
    return format(d, k, out, pos);
  }

  /** Whether x·2^e2·5^−k is an integer, for 0 < x < 2²⁸. */
  private static boolean isInteger(long x, int e2, int k) {
    if (e2 < 0 && Long.numberOfTrailingZeros(x) < -e2) {
      return false;
    }
    return k <= 0 || (k < POW5.length && x % POW5[k] == 0);
  }

  /**
   * Whether integer d lies in the scaled interval, given the integer parts of its ends and whether
   * each end is exactly that integer; ends count when c is even.
   */
  private static boolean inside(
      long d, long lowInt, boolean lowOnInt, long highInt, boolean highOnInt, boolean even) {
    boolean aboveLow = d > lowInt || (d == lowInt && lowOnInt && even);
    boolean belowHigh = d < highInt || (d == highInt && (!highOnInt || even));
    return aboveLow && belowHigh;
  }

  /** Writes d·10^k, d > 0, as {@code Float.toString} would. */
  private static int format(long digits, int exponent, byte[] out, int pos) {
    int d = (int) digits;
    int exp = exponent;
    while (d % 10 == 0) {
      d /= 10;
      exp++;
    }
    int n = length(d);
    int x = exp + n - 1; // the decimal exponent of the first digit
    if (x >= 0 && x < 7) {
      if (n <= x + 1) {
        pos = writeDigits(d, n, out, pos);
        for (int i = n; i <= x; i++) {
          out[pos++] = '0';
        }
        out[pos] = '.';
        out[pos + 1] = '0';
        return pos + 2;
      }
      writeDigits(d, n, out, pos + 1);
      System.arraycopy(out, pos + 1, out, pos, x + 1);
      out[pos + x + 1] = '.';
      return pos + n + 1;
    }
    if (x < 0 && x >= -3) {
      out[pos++] = '0';
      out[pos++] = '.';
      for (int i = -1; i > x; i--) {
        out[pos++] = '0';
      }
      return writeDigits(d, n, out, pos);
    }
    writeDigits(d, n, out, pos + 1);
    out[pos] = out[pos + 1];
    out[pos + 1] = '.';
    pos += n + 1;
    if (n == 1) {
      out[pos++] = '0';
    }
    out[pos++] = 'E';
    if (x < 0) {
      out[pos++] = '-';
      x = -x;
    }
    if (x >= 10) {
      out[pos++] = (byte) ('0' + x / 10);
    }
    out[pos++] = (byte) ('0' + x % 10);
    return pos;
  }

  /** Writes the n digits of d, two at a time. */
  private static int writeDigits(int d, int n, byte[] out, int pos) {
    int i = pos + n;
    while (d >= 100) {
      int q = d / 100;
      int pair = 2 * (d - 100 * q);
      out[--i] = DIGIT_PAIRS[pair + 1];
      out[--i] = DIGIT_PAIRS[pair];
      d = q;
    }
    if (d >= 10) {
      out[--i] = DIGIT_PAIRS[2 * d + 1];
      out[--i] = DIGIT_PAIRS[2 * d];
    } else {
      out[--i] = (byte) ('0' + d);
    }
    return pos + n;
  }

  private static int length(int d) {
    int n = 1;
    while (n < 10 && d >= POW10[n]) {
      n++;
    }
    return n;
  }
}
