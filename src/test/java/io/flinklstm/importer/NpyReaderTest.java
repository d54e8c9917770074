package io.flinklstm.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code .npy} reader and the archive and directory loaders around it. */
class NpyReaderTest {
  static final int[] TWO_BY_THREE = {2, 3};
  static final double[] ROW_MAJOR = {1, 2, 3, 4, 5, 6};

  static NpyArray read(byte[] bytes) throws IOException {
    return NpyReader.read("a", new ByteArrayInputStream(bytes));
  }

  @Test
  void readsFloat32RowMajor() throws IOException {
    NpyArray a = read(NpyBytes.f32(TWO_BY_THREE, ROW_MAJOR));

    assertThat(a.shape()).containsExactly(2, 3);
    assertThat(a.shapeString()).isEqualTo("(2, 3)");
    assertThat(a.values()).containsExactly(1, 2, 3, 4, 5, 6);
  }

  @Test
  void readsFloat64BigEndianAndFormatVersionTwo() throws IOException {
    assertThat(read(NpyBytes.npy("<f8", false, TWO_BY_THREE, ROW_MAJOR)).values())
        .containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(read(NpyBytes.npy(">f4", false, TWO_BY_THREE, ROW_MAJOR)).values())
        .containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(read(NpyBytes.npy(">f8", false, TWO_BY_THREE, ROW_MAJOR)).values())
        .containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(read(NpyBytes.npy(2, "<f4", false, TWO_BY_THREE, ROW_MAJOR)).values())
        .containsExactly(1, 2, 3, 4, 5, 6);
  }

  @Test
  void fortranOrderIsPermutedToRowMajor() throws IOException {
    double[] columnMajor = {1, 4, 2, 5, 3, 6};
    assertThat(read(NpyBytes.npy("<f4", true, TWO_BY_THREE, columnMajor)).values())
        .containsExactly(1, 2, 3, 4, 5, 6);

    // a[i][j][k] = 100 i + 10 j + k, stored with i fastest.
    int[] shape = {2, 3, 4};
    double[] stored = new double[24];
    int n = 0;
    for (int k = 0; k < 4; k++) {
      for (int j = 0; j < 3; j++) {
        for (int i = 0; i < 2; i++) {
          stored[n++] = 100 * i + 10 * j + k;
        }
      }
    }
    float[] values = read(NpyBytes.npy("<f4", true, shape, stored)).values();
    assertThat(values[0]).isEqualTo(0f);
    assertThat(values[1]).isEqualTo(1f);
    assertThat(values[4]).isEqualTo(10f);
    assertThat(values[12]).isEqualTo(100f);
    assertThat(values[23]).isEqualTo(123f);
  }

  @Test
  void otherDtypesAreDescribedNotRead() throws IOException {
    NpyArray ints = read(NpyBytes.npy("<i8", false, new int[] {3}, new double[] {1, 2, 3}));
    NpyArray halves = read(NpyBytes.npy("<f2", false, new int[] {3}, new double[3]));

    assertThat(ints.isFloat()).isFalse();
    assertThat(ints.dtypeString()).isEqualTo("int64 ('<i8')");
    assertThat(ints.shapeString()).isEqualTo("(3,)");
    assertThat(halves.dtypeString()).isEqualTo("float16 ('<f2')");
  }

  @Test
  void malformedFilesAreRefused() {
    byte[] good = NpyBytes.f32(TWO_BY_THREE, ROW_MAJOR);
    byte[] badMagic = good.clone();
    badMagic[1] = 'X';
    assertThatThrownBy(() -> read(badMagic)).hasMessageContaining("not an .npy file");
    assertThatThrownBy(() -> read(Arrays.copyOf(good, good.length - 4)))
        .hasMessageContaining("array 'a' is truncated: shape (2, 3) needs 24 bytes of data");
    assertThatThrownBy(() -> read(Arrays.copyOf(good, 20)))
        .hasMessageContaining("truncated inside its header");
    byte[] version9 = good.clone();
    version9[6] = 9;
    assertThatThrownBy(() -> read(version9)).hasMessageContaining("format version 9");
    byte[] structured = good.clone();
    String header = new String(structured, 10, 50, java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] replaced = header.replace("'descr': '<f4'", "'descr': [('x'").getBytes();
    System.arraycopy(replaced, 0, structured, 10, replaced.length);
    assertThatThrownBy(() -> read(structured)).hasMessageContaining("structured dtypes");
  }

  @Test
  void float64ThatOverflowsFloat32IsRefused() {
    byte[] big = NpyBytes.npy("<f8", false, new int[] {2}, new double[] {1, 1e300});
    assertThatThrownBy(() -> read(big))
        .hasMessageContaining("value 1.0E300 at flat index 1 overflows float32");
  }

  @Test
  void loadsArchivesAndDirectoriesUnderTheSameNames(@TempDir Path tmp) throws IOException {
    Map<String, byte[]> arrays = NpyBytes.keras(2, 3);
    Path npz = NpyBytes.npz(tmp.resolve("w.npz"), arrays);
    Path dir = tmp.resolve("w");
    for (Map.Entry<String, byte[]> e : arrays.entrySet()) {
      Path file = dir.resolve(e.getKey() + ".npy");
      Files.createDirectories(file.getParent());
      Files.write(file, e.getValue());
    }

    WeightArrays fromNpz = WeightArrays.load(npz);
    WeightArrays fromDir = WeightArrays.load(dir);

    assertThat(fromNpz.names()).containsExactlyInAnyOrderElementsOf(arrays.keySet());
    assertThat(fromDir.names()).isEqualTo(fromNpz.names());
    assertThat(fromDir.get("lstm_0/kernel").values())
        .containsExactly(fromNpz.get("lstm_0/kernel").values());
  }

  @Test
  void unreadablePathsAreRefused(@TempDir Path tmp) throws IOException {
    Path text = Files.writeString(tmp.resolve("w.npz"), "not a zip");
    Path single = Files.write(tmp.resolve("one.npy"), NpyBytes.f32(3));
    Path stray = NpyBytes.zip(tmp.resolve("stray.npz"), Map.of("README.txt", new byte[0]));

    assertThatThrownBy(() -> WeightArrays.load(tmp.resolve("absent.npz")))
        .hasMessageContaining("absent.npz: no such file or directory");
    assertThatThrownBy(() -> WeightArrays.load(text))
        .hasMessageContaining("w.npz: not an .npz (zip) archive");
    assertThatThrownBy(() -> WeightArrays.load(single))
        .hasMessageContaining("a single .npy file holds one array");
    assertThatThrownBy(() -> WeightArrays.load(stray))
        .hasMessageContaining("entry 'README.txt' is not an .npy array");
  }

  /** Found by fuzzing: ZipFile threw an IllegalArgumentException out of the loader. */
  @Test
  void anEntryCommentThatIsNotUtf8IsRefused(@TempDir Path tmp) throws IOException {
    Path latin1 = tmp.resolve("latin1.npz");
    try (ZipOutputStream zip =
        new ZipOutputStream(Files.newOutputStream(latin1), StandardCharsets.ISO_8859_1)) {
      ZipEntry entry = new ZipEntry("a.npy");
      entry.setComment("caf\u00e9");
      zip.putNextEntry(entry);
      zip.write(NpyBytes.f32(3));
      zip.closeEntry();
    }

    assertThatThrownBy(() -> WeightArrays.load(latin1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(
            "latin1.npz: not an .npz (zip) archive: an entry's name or comment is not UTF-8");
  }
}
