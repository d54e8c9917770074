package io.flinklstm.importer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy's {@code .npy} format (versions 1.0, 2.0 and 3.0): a magic string, a header that is a
 * Python dict literal with {@code descr}, {@code fortran_order} and {@code shape}, then the raw
 * values.
 *
 * <p>Written here rather than taken from ND4J because ND4J's native reader aborts the whole JVM (an
 * assertion in libnd4j's cnpy) on valid files it does not support, such as big-endian,
 * Fortran-ordered or float16 arrays; an importer must refuse a bad file with a message, not kill
 * the process that reads it.
 *
 * @see <a href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">the
 *     format</a>
 */
final class NpyReader {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** Headers are a few hundred bytes; a larger one is a corrupt or hostile file. */
  private static final int MAX_HEADER = 1 << 20;

  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private NpyReader() {}

  /**
   * Reads one array; float32 and float64 values are read and converted to float32, other dtypes
   * only described.
   *
   * @param name the array's name, for messages and for the result
   * @throws IOException if the stream is not a well-formed {@code .npy} file
   */
  static NpyArray read(String name, InputStream in) throws IOException {
    byte[] magic = in.readNBytes(MAGIC.length + 2);
    if (magic.length < MAGIC.length + 2 || !startsWithMagic(magic)) {
      throw new IOException("array '" + name + "' is not an .npy file (no \\x93NUMPY magic)");
    }
    int major = magic[MAGIC.length];
    if (major < 1 || major > 3) {
      throw new IOException("array '" + name + "' has unsupported .npy format version " + major);
    }
    int headerLength = readLittleEndian(in, major == 1 ? 2 : 4, name);
    if (headerLength < 0 || headerLength > MAX_HEADER) {
      throw new IOException("array '" + name + "' has a header of " + headerLength + " bytes");
    }
    byte[] headerBytes = in.readNBytes(headerLength);
    if (headerBytes.length < headerLength) {
      throw new IOException("array '" + name + "' is truncated inside its header");
    }
    String header =
        new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String dtype = field(DESCR, header, "descr", name);
    boolean fortran = field(FORTRAN, header, "fortran_order", name).equals("True");
    int[] shape = parseShape(field(SHAPE, header, "shape", name), name);
    int itemSize = floatItemSize(dtype);
    if (itemSize == 0) {
      return new NpyArray(name, dtype, shape, null);
    }
    int count = elementCount(shape, itemSize, name);
    byte[] data = in.readNBytes(count * itemSize);
    if (data.length < count * itemSize) {
      throw new IOException(
          "array '"
              + name
              + "' is truncated: shape "
              + NpyArray.describe(shape)
              + " needs "
              + count * itemSize
              + " bytes of data, found "
              + data.length);
    }
    float[] values = decode(data, dtype, count, name);
    return new NpyArray(name, dtype, shape, fortran ? toRowMajor(values, shape) : values);
  }

  /** A readable name for a NumPy type string. */
  static String dtypeName(String dtype) {
    if (dtype.length() < 2) {
      return "unknown";
    }
    String kind = dtype.substring(1);
    switch (kind) {
      case "f2":
        return "float16";
      case "f4":
        return "float32";
      case "f8":
        return "float64";
      default:
        break;
    }
    char k = kind.charAt(0);
    String bits = kind.length() > 1 ? kind.substring(1) : "";
    try {
      int bytes = Integer.parseInt(bits);
      switch (k) {
        case 'i':
          return "int" + bytes * 8;
        case 'u':
          return "uint" + bytes * 8;
        case 'f':
          return "float" + bytes * 8;
        case 'c':
          return "complex" + bytes * 8;
        case 'b':
          return "bool";
        default:
          return "unknown";
      }
    } catch (NumberFormatException e) {
      return k == 'O' ? "object" : "unknown";
    }
  }

  private static boolean startsWithMagic(byte[] bytes) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  private static int readLittleEndian(InputStream in, int bytes, String name) throws IOException {
    byte[] b = in.readNBytes(bytes);
    if (b.length < bytes) {
      throw new IOException("array '" + name + "' is truncated inside its header");
    }
    long v = 0;
    for (int i = bytes - 1; i >= 0; i--) {
      v = (v << 8) | (b[i] & 0xff);
    }
    return v > Integer.MAX_VALUE ? -1 : (int) v;
  }

  private static String field(Pattern pattern, String header, String key, String name)
      throws IOException {
    Matcher m = pattern.matcher(header);
    if (!m.find()) {
      throw new IOException(
          "array '"
              + name
              + "' has no readable '"
              + key
              + "' in its header"
              + ("descr".equals(key) ? " (structured dtypes are not supported)" : "")
              + ": "
              + header.strip());
    }
    return m.group(1);
  }

  private static int[] parseShape(String text, String name) throws IOException {
    String[] parts = text.split(",");
    int n = 0;
    int[] dims = new int[parts.length];
    for (String part : parts) {
      String p = part.strip().replace("L", "");
      if (p.isEmpty()) {
        continue;
      }
      try {
        dims[n++] = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new IOException("array '" + name + "' has an unreadable shape (" + text + ")");
      }
      if (dims[n - 1] < 0) {
        throw new IOException("array '" + name + "' has a negative dimension (" + text + ")");
      }
    }
    return java.util.Arrays.copyOf(dims, n);
  }

  /** 4 or 8 for the float dtypes we read, 0 for everything else. */
  private static int floatItemSize(String dtype) {
    switch (dtype) {
      case "<f4":
      case ">f4":
      case "=f4":
        return 4;
      case "<f8":
      case ">f8":
      case "=f8":
        return 8;
      default:
        return 0;
    }
  }

  private static int elementCount(int[] shape, int itemSize, String name) throws IOException {
    long count = 1;
    for (int d : shape) {
      count *= d;
      if (count * itemSize > Integer.MAX_VALUE - 8) {
        throw new IOException(
            "array '" + name + "' of shape " + NpyArray.describe(shape) + " is too large");
      }
    }
    return (int) count;
  }

  private static float[] decode(byte[] data, String dtype, int count, String name)
      throws IOException {
    ByteBuffer buffer =
        ByteBuffer.wrap(data)
            .order(dtype.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[count];
    if (dtype.endsWith("f4")) {
      buffer.asFloatBuffer().get(values);
      return values;
    }
    for (int i = 0; i < count; i++) {
      double v = buffer.getDouble();
      values[i] = (float) v;
      // NaN and infinities are reported by the importer with their index; a finite float64
      // that has no float32 is a different mistake, reported here.
      if (Double.isFinite(v) && !Float.isFinite(values[i])) {
        throw new IOException(
            "array '" + name + "' value " + v + " at flat index " + i + " overflows float32");
      }
    }
    return values;
  }

  /** Fortran order stores the first index fastest; permute to the C order the importers use. */
  private static float[] toRowMajor(float[] columnMajor, int[] shape) {
    int rank = shape.length;
    if (rank < 2) {
      return columnMajor;
    }
    float[] out = new float[columnMajor.length];
    int[] index = new int[rank];
    int[] fStride = new int[rank];
    fStride[0] = 1;
    for (int d = 1; d < rank; d++) {
      fStride[d] = fStride[d - 1] * shape[d - 1];
    }
    for (int flat = 0; flat < out.length; flat++) {
      int src = 0;
      for (int d = 0; d < rank; d++) {
        src += index[d] * fStride[d];
      }
      out[flat] = columnMajor[src];
      for (int d = rank - 1; d >= 0 && ++index[d] == shape[d]; d--) {
        index[d] = 0;
      }
    }
    return out;
  }
}
