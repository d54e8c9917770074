package io.flinklstm.model.format;

import io.flinklstm.model.InputScaling;
import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.TestModels;
import io.flinklstm.model.TimeFeatures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The golden files of model file format versions 1 to 4 under {@code src/test/resources/golden/},
 * and the tool that writes the file of a new version.
 *
 * <p>They are committed so that a change to the writer or the reader that alters released bytes
 * fails {@link ModelFileGoldenTest}. The tool writes only the files that do not exist yet: for a
 * new format version, add a file for it here; a released version's file is never written again. Run
 * by {@code scripts/golden-files.sh}.
 */
public final class GoldenModelFiles {
  public static final String UNSIGNED = "golden/model-v1.flstm";
  public static final String SIGNED = "golden/model-v1-signed.flstm";
  public static final String PUBLIC_KEY = "golden/model-v1-signing-key.pub.pem";
  public static final String CATEGORICAL = "golden/model-v2-categorical.flstm";
  public static final String SCALED = "golden/model-v3-scaled.flstm";
  public static final String TIMED = "golden/model-v4-timed.flstm";

  private static final Path DIRECTORY = Path.of("src", "test", "resources");

  /** The model in the golden files: {@link TestModels#twoLayer()}. */
  public static LstmModel model() {
    return TestModels.twoLayer();
  }

  /** The model in the format-3 golden file: {@link #model()} scaling its values per key. */
  public static LstmModel scaledModel() {
    return model().withScaling(InputScaling.perKey(500, 5000, 10));
  }

  /**
   * The model in the format-4 golden file: {@link #scaledModel()} taking the time of day and of
   * week in Europe/Paris, its first layer's input weights grown by four rows of eighths for them.
   */
  public static LstmModel timedModel() {
    LstmModel scaled = scaledModel();
    LstmLayer first = scaled.layers().get(0);
    float[][] weights = new float[first.inputSize() + 4][];
    for (int r = 0; r < weights.length; r++) {
      weights[r] =
          r < first.inputSize()
              ? first.inputWeights()[r]
              : new float[first.inputWeights()[0].length];
      for (int c = 0; r >= first.inputSize() && c < weights[r].length; c++) {
        weights[r][c] = ((r * 7 + c * 3) % 9 - 4) / 8f;
      }
    }
    List<LstmLayer> layers = new ArrayList<>(scaled.layers());
    layers.set(
        0,
        new LstmLayer(
            weights,
            first.recurrentWeights(),
            first.bias(),
            first.activation(),
            first.recurrentActivation()));
    return new LstmModel(
        scaled.info(),
        scaled.normalizer(),
        scaled.scaling(),
        TimeFeatures.parse("day,week", "Europe/Paris"),
        layers,
        scaled.head());
  }

  /**
   * The key pair that signed {@link #SIGNED}: its Ed25519 seed is the SHA-256 of the text {@code
   * "flink-lstm golden signing key"}. Public on purpose, so that the signed file can be made again;
   * it must never sign anything but test files.
   */
  public static KeyPair signingKey() {
    try {
      byte[] seed =
          MessageDigest.getInstance("SHA-256")
              .digest("flink-lstm golden signing key".getBytes(StandardCharsets.US_ASCII));
      return ModelKeys.fromSeed(seed);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A golden file's bytes from the test class path. */
  public static byte[] read(String resource) {
    try (InputStream in = GoldenModelFiles.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the golden files that do not exist yet under the directory given (default {@code
   * src/test/resources}); an existing one is left as it is. Run by {@code scripts/golden-files.sh}.
   */
  public static void main(String[] args) throws IOException {
    Path resources = Path.of(args.length > 0 ? args[0] : "src/test/resources");
    KeyPair key = signingKey();
    Files.createDirectories(resources.resolve("golden"));
    writeIfAbsent(resources.resolve(UNSIGNED), ModelFile.write(model()));
    writeIfAbsent(resources.resolve(SIGNED), ModelFile.write(model(), key.getPrivate()));
    Path publicKey = resources.resolve(PUBLIC_KEY);
    if (Files.exists(publicKey)) {
      System.out.println("kept " + publicKey);
    } else {
      ModelKeys.writePublicKey(publicKey, key.getPublic(), true);
      System.out.println("wrote " + publicKey);
    }
    writeIfAbsent(resources.resolve(CATEGORICAL), ModelFile.write(TestModels.categorical()));
    writeIfAbsent(resources.resolve(SCALED), ModelFile.write(scaledModel()));
    writeIfAbsent(resources.resolve(TIMED), ModelFile.write(timedModel()));
  }

  private static void writeIfAbsent(Path file, byte[] bytes) throws IOException {
    if (Files.exists(file)) {
      System.out.println("kept " + file + " (a released version's bytes never change)");
      return;
    }
    Files.write(file, bytes);
    System.out.println("wrote " + file);
  }
}
