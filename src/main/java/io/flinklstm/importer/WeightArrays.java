package io.flinklstm.importer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A set of named arrays, as NumPy saves them: an {@code .npz} archive (from {@code np.savez} or
 * {@code np.savez_compressed}) or a directory of {@code .npy} files.
 *
 * <p>An array's name is its entry or file name without {@code .npy}; in a directory, the path below
 * the directory with {@code /} between folders, so {@code DIR/lstm_0/kernel.npy} and the archive
 * entry {@code lstm_0/kernel.npy} are both {@code lstm_0/kernel}.
 *
 * <p>The accessors validate what the importers need on the way in: presence, float dtype (float32
 * or float64), rank and finite values, each with a message naming the array, its source and the
 * numbers.
 */
public final class WeightArrays {
  private static final String NPY = ".npy";
  private static final int LISTED_NAMES = 12;

  private final String source;
  private final Map<String, NpyArray> arrays;

  private WeightArrays(String source, Map<String, NpyArray> arrays) {
    this.source = source;
    this.arrays = arrays;
  }

  /**
   * Reads an {@code .npz} file or a directory of {@code .npy} files.
   *
   * @throws IOException if the path cannot be read or holds a malformed array
   */
  public static WeightArrays load(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      return loadDirectory(path);
    }
    if (!Files.isRegularFile(path)) {
      throw new IOException(path + ": no such file or directory");
    }
    if (path.getFileName().toString().endsWith(NPY)) {
      throw new IOException(
          path + ": a single .npy file holds one array; give an .npz or a directory of .npy files");
    }
    return loadNpz(path);
  }

  /** Where the arrays came from, for messages. */
  public String source() {
    return source;
  }

  public Set<String> names() {
    return Collections.unmodifiableSet(arrays.keySet());
  }

  public boolean contains(String name) {
    return arrays.containsKey(name);
  }

  /**
   * The array of that name, of any dtype.
   *
   * @throws IllegalArgumentException if there is none, listing the names there are
   */
  public NpyArray get(String name) {
    NpyArray a = arrays.get(name);
    if (a == null) {
      throw missing(name);
    }
    return a;
  }

  /**
   * The shape of a float array of the given rank.
   *
   * @param meaning what the array should be, for the message, for instance {@code "(H, 4H)"}
   * @throws IllegalArgumentException if it is missing, not float32/float64 or of another rank
   */
  public int[] shape(String name, int rank, String meaning) {
    NpyArray a = floatArray(name);
    if (a.rank() != rank) {
      throw error("array '" + name + "' has shape " + a.shapeString() + ", expected " + meaning);
    }
    return a.shape();
  }

  /** A rank-2 array's values as rows, after checking its shape and that every value is finite. */
  public float[][] matrix(String name, int rows, int cols, String meaning) {
    float[] v = checked(name, new int[] {rows, cols}, meaning);
    float[][] out = new float[rows][cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(v, r * cols, out[r], 0, cols);
    }
    return out;
  }

  /** A rank-2 array's values transposed: {@code out[c][r] = a[r][c]}, shape checked as rows. */
  public float[][] transposed(String name, int rows, int cols, String meaning) {
    float[] v = checked(name, new int[] {rows, cols}, meaning);
    float[][] out = new float[cols][rows];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[c][r] = v[r * cols + c];
      }
    }
    return out;
  }

  /** A rank-1 array's values, after checking its length and that every value is finite. */
  public float[] vector(String name, int length, String meaning) {
    return checked(name, new int[] {length}, meaning).clone();
  }

  /** An exception naming the source, for importers' own consistency checks. */
  IllegalArgumentException error(String message) {
    return new IllegalArgumentException(source + ": " + message);
  }

  /** An exception for a missing array, listing what the source does hold. */
  IllegalArgumentException missing(String name) {
    return error("missing array '" + name + "'; " + present());
  }

  private float[] checked(String name, int[] expected, String meaning) {
    NpyArray a = floatArray(name);
    if (!Arrays.equals(a.shape(), expected)) {
      throw error(
          "array '"
              + name
              + "' has shape "
              + a.shapeString()
              + ", expected "
              + NpyArray.describe(expected)
              + " = "
              + meaning);
    }
    float[] v = a.values();
    int cols = expected.length == 2 ? expected[1] : 0;
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        String at = cols == 0 ? "[" + i + "]" : "[" + i / cols + ", " + i % cols + "]";
        throw error("array '" + name + "' has the non-finite value " + v[i] + " at " + at);
      }
    }
    return v;
  }

  private NpyArray floatArray(String name) {
    NpyArray a = get(name);
    if (!a.isFloat()) {
      throw error(
          "array '"
              + name
              + "' has dtype "
              + a.dtypeString()
              + "; only float32 and float64 are accepted");
    }
    return a;
  }

  private String present() {
    if (arrays.isEmpty()) {
      return "it holds no arrays";
    }
    List<String> names = new ArrayList<>(arrays.keySet());
    String listed = String.join(", ", names.subList(0, Math.min(LISTED_NAMES, names.size())));
    int more = names.size() - LISTED_NAMES;
    return "it holds " + listed + (more > 0 ? " and " + more + " more" : "");
  }

  private static WeightArrays loadNpz(Path path) throws IOException {
    ZipFile opened;
    try {
      opened = new ZipFile(path.toFile());
    } catch (ZipException e) {
      throw new IOException(path + ": not an .npz (zip) archive: " + e.getMessage(), e);
    }
    Map<String, NpyArray> byName = new TreeMap<>();
    try (ZipFile zip = opened) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry;
        try {
          entry = entries.nextElement();
        } catch (IllegalArgumentException e) {
          // ZipFile decodes an entry's name and comment as UTF-8 and throws this for bytes that
          // are not (names it checks when it opens the file, comments only here).
          throw new IOException(
              path
                  + ": not an .npz (zip) archive: an entry's name or comment is not UTF-8 ("
                  + e.getMessage()
                  + ")",
              e);
        }
        if (entry.isDirectory()) {
          continue;
        }
        if (!entry.getName().endsWith(NPY)) {
          throw new IOException(path + ": entry '" + entry.getName() + "' is not an .npy array");
        }
        String name = entry.getName().substring(0, entry.getName().length() - NPY.length());
        try (InputStream in = zip.getInputStream(entry)) {
          byName.put(name, NpyReader.read(name, in));
        } catch (IOException e) {
          throw new IOException(path + ": " + e.getMessage(), e);
        }
      }
    }
    return new WeightArrays(path.toString(), byName);
  }

  private static WeightArrays loadDirectory(Path dir) throws IOException {
    Map<String, NpyArray> byName = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files =
          walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(NPY))
              .sorted()
              .toList();
    }
    for (Path file : files) {
      String relative =
          dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
      String name = relative.substring(0, relative.length() - NPY.length());
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
        byName.put(name, NpyReader.read(name, in));
      } catch (IOException e) {
        throw new IOException(file + ": " + e.getMessage(), e);
      }
    }
    return new WeightArrays(dir.toString(), byName);
  }
}
