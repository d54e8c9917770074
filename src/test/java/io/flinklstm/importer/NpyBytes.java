package io.flinklstm.importer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes {@code .npy} bytes and {@code .npz} archives as NumPy does, including the variants NumPy
 * produces that the reader must handle (big-endian, Fortran order, float64, format 2.0) and ones it
 * must refuse (integer and float16 dtypes), so tests need no Python.
 */
final class NpyBytes {
  private NpyBytes() {}

  /** A float32, little-endian, C-ordered array whose values are 0.01 · (i mod 7) - 0.03. */
  static byte[] f32(int... shape) {
    int n = IntStream.of(shape).reduce(1, (a, b) -> a * b);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 0.01 * (i % 7) - 0.03;
    }
    return npy("<f4", false, shape, v);
  }

  /** A float32 C-ordered array of the given values. */
  static byte[] f32(int[] shape, double... values) {
    return npy("<f4", false, shape, values);
  }

  /**
   * An {@code .npy} file, format 1.0.
   *
   * @param values in the order they are stored: row-major, or column-major where {@code fortran}
   */
  static byte[] npy(String descr, boolean fortran, int[] shape, double[] values) {
    return npy(1, descr, fortran, shape, values);
  }

  static byte[] npy(int version, String descr, boolean fortran, int[] shape, double[] values) {
    String dims =
        shape.length == 1
            ? shape[0] + ","
            : IntStream.of(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    String dict =
        "{'descr': '"
            + descr
            + "', 'fortran_order': "
            + (fortran ? "True" : "False")
            + ", 'shape': ("
            + dims
            + "), }";
    int prefix = 6 + 2 + (version == 1 ? 2 : 4);
    int padded = (prefix + dict.length() + 1 + 63) / 64 * 64;
    String header = dict + " ".repeat(padded - prefix - dict.length() - 1) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
    int len = header.length();
    out.writeBytes(
        version == 1
            ? new byte[] {(byte) len, (byte) (len >> 8)}
            : new byte[] {(byte) len, (byte) (len >> 8), (byte) (len >> 16), (byte) (len >> 24)});
    out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(data(descr, values));
    return out.toByteArray();
  }

  private static byte[] data(String descr, double[] values) {
    int size = Integer.parseInt(descr.substring(2));
    ByteBuffer b =
        ByteBuffer.allocate(values.length * size)
            .order(descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      switch (descr.substring(1)) {
        case "f4" -> b.putFloat((float) v);
        case "f8" -> b.putDouble(v);
        case "i8" -> b.putLong((long) v);
        case "i4" -> b.putInt((int) v);
        case "f2" -> b.putShort((short) 0);
        default -> throw new IllegalArgumentException(descr);
      }
    }
    return b.array();
  }

  /** Writes an archive with entries {@code <name>.npy}, deflated as np.savez_compressed does. */
  static Path npz(Path file, Map<String, byte[]> arrays) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    arrays.forEach((name, bytes) -> entries.put(name + ".npy", bytes));
    return zip(file, entries);
  }

  /** Writes a zip archive with the given entry names. */
  static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
    try (OutputStream os = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(os)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return file;
  }

  /** Valid Keras arrays: layers of the given hidden sizes over D inputs, and the head. */
  static Map<String, byte[]> keras(int inputs, int... hidden) {
    Map<String, byte[]> a = new LinkedHashMap<>();
    int in = inputs;
    for (int k = 0; k < hidden.length; k++) {
      a.put("lstm_" + k + "/kernel", f32(in, 4 * hidden[k]));
      a.put("lstm_" + k + "/recurrent_kernel", f32(hidden[k], 4 * hidden[k]));
      a.put("lstm_" + k + "/bias", f32(4 * hidden[k]));
      in = hidden[k];
    }
    a.put("dense/kernel", f32(in, inputs));
    a.put("dense/bias", f32(inputs));
    return a;
  }

  /** Valid PyTorch state-dict arrays for {@code lstm} and {@code head}. */
  static Map<String, byte[]> pytorch(int inputs, int... hidden) {
    Map<String, byte[]> a = new LinkedHashMap<>();
    int in = inputs;
    for (int k = 0; k < hidden.length; k++) {
      a.put("lstm.weight_ih_l" + k, f32(4 * hidden[k], in));
      a.put("lstm.weight_hh_l" + k, f32(4 * hidden[k], hidden[k]));
      a.put("lstm.bias_ih_l" + k, f32(4 * hidden[k]));
      a.put("lstm.bias_hh_l" + k, f32(4 * hidden[k]));
      in = hidden[k];
    }
    a.put("head.weight", f32(inputs, in));
    a.put("head.bias", f32(inputs));
    return a;
  }
}
