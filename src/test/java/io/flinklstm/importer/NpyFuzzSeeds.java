package io.flinklstm.importer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the committed inputs of {@link NpyReaderFuzzTest} with {@link NpyBytes}, on purpose only:
 *
 * <pre>
 * mvn test -Dtest=NpyFuzzSeeds -Dflinklstm.fuzz.seeds.regenerate=true
 * </pre>
 *
 * Inputs found by fuzzing that are kept as regression inputs live beside them and are not written
 * here; {@code normalization.npz} is copied from the PyTorch fixtures, as NumPy wrote it.
 */
class NpyFuzzSeeds {
  private static final Path DIRECTORY =
      Path.of("src/test/resources/io/flinklstm/importer/NpyReaderFuzzTestInputs/read");
  private static final int[] TWO_BY_THREE = {2, 3};

  @Test
  @EnabledIfSystemProperty(named = "flinklstm.fuzz.seeds.regenerate", matches = "true")
  void regenerate() throws IOException {
    Files.createDirectories(DIRECTORY);
    double[] six = {1, 2, 3, 4, 5, 6};
    double[] sixColumnMajor = {1, 4, 2, 5, 3, 6};
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("f4-c.npy", NpyBytes.f32(TWO_BY_THREE, six));
    seeds.put("f8-c.npy", NpyBytes.npy("<f8", false, TWO_BY_THREE, six));
    seeds.put("f4-big-endian.npy", NpyBytes.npy(">f4", false, TWO_BY_THREE, six));
    seeds.put("f8-big-endian-fortran.npy", NpyBytes.npy(">f8", true, TWO_BY_THREE, sixColumnMajor));
    seeds.put("f4-fortran-rank3.npy", NpyBytes.npy("<f4", true, new int[] {2, 3, 2}, range(12)));
    seeds.put("f4-version2.npy", NpyBytes.npy(2, "<f4", false, new int[] {3}, range(3)));
    seeds.put("f4-version3.npy", NpyBytes.npy(3, "<f4", false, new int[] {3}, range(3)));
    seeds.put("f4-scalar.npy", NpyBytes.npy("<f4", false, new int[0], new double[] {1.5}));
    seeds.put("f4-empty.npy", NpyBytes.npy("<f4", false, new int[] {0}, new double[0]));
    seeds.put("i8.npy", NpyBytes.npy("<i8", false, new int[] {2}, new double[] {1, 2}));
    seeds.put("f2.npy", NpyBytes.npy("<f2", false, new int[] {2}, new double[] {0, 0}));
    for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
      Files.write(DIRECTORY.resolve(seed.getKey()), seed.getValue());
    }
    Map<String, byte[]> arrays = new LinkedHashMap<>();
    arrays.put("lstm/kernel", NpyBytes.f32(2, 8));
    arrays.put("lstm/bias", NpyBytes.npy("<f8", false, new int[] {8}, range(8)));
    arrays.put("step", NpyBytes.npy("<i8", false, new int[0], new double[] {3}));
    NpyBytes.npz(DIRECTORY.resolve("deflated.npz"), arrays);
  }

  private static double[] range(int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = i - n / 2.0;
    }
    return v;
  }
}
