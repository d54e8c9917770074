package io.flinklstm.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The golden files of model file format versions 1 and 2 under {@code src/test/resources/golden/},
 * and the one way to make them again.
 *
 * <p>They are committed so that a change to the writer or the reader that alters released bytes
 * fails {@link ModelFileGoldenTest}. Regenerate only on purpose, for a new format version (keep the
 * old files, add new ones), never to make a failing test pass:
 *
 * <pre>
 * mvn test -Dtest=GoldenModelFiles -Dflinklstm.golden.regenerate=true
 * </pre>
 *
 * <p>This class's name does not end in {@code Test}, so normal builds do not run it, and its one
 * test is also off unless the property is set.
 */
public final class GoldenModelFiles {
  public static final String UNSIGNED = "golden/model-v1.flstm";
  public static final String SIGNED = "golden/model-v1-signed.flstm";
  public static final String PUBLIC_KEY = "golden/model-v1-signing-key.pub.pem";
  public static final String CATEGORICAL = "golden/model-v2-categorical.flstm";
  public static final String SCALED = "golden/model-v3-scaled.flstm";

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

  @Test
  @EnabledIfSystemProperty(named = "flinklstm.golden.regenerate", matches = "true")
  void regenerate() throws IOException {
    KeyPair key = signingKey();
    Files.createDirectories(DIRECTORY.resolve("golden"));
    Files.write(DIRECTORY.resolve(UNSIGNED), ModelFile.write(model()));
    Files.write(DIRECTORY.resolve(SIGNED), ModelFile.write(model(), key.getPrivate()));
    ModelKeys.writePublicKey(DIRECTORY.resolve(PUBLIC_KEY), key.getPublic(), true);
    Files.write(DIRECTORY.resolve(CATEGORICAL), ModelFile.write(TestModels.categorical()));
    Files.write(DIRECTORY.resolve(SCALED), ModelFile.write(scaledModel()));
  }
}
