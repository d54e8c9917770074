package io.flinklstm.model.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.model.Activation;
import io.flinklstm.model.InputScaling;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.TimeFeatures;
import io.flinklstm.model.format.ModelFile.ReadOptions;
import io.flinklstm.model.format.ModelFileSummary.SignatureStatus;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The committed files of format version 1 still read to the same model, and that model still writes
 * the same bytes. A failure here means released files changed meaning: bump the format version
 * instead (see {@link GoldenModelFiles}).
 *
 * <p>The signed file was also checked with OpenSSL ({@code openssl pkeyutl -verify -rawin}) when it
 * was made, an Ed25519 implementation independent of the JDK's.
 */
class ModelFileGoldenTest {
  static final String PREAMBLE_HEX = "89464c53544d0d0a0100000054030000";
  static final String DIGEST = "40278c0861e16ba60e3fa9d2f69dc53db2528be5ece0317069840d579b4e7d41";
  static final String HEADER =
      "{\"name\":\"golden-pump\",\"version\":3,\"created\":\"2024-05-01T12:00:00Z\","
          + "\"parentVersion\":2,\"architecture\":{\"inputSize\":2,\"layers\":["
          + "{\"type\":\"lstm\",\"hiddenSize\":3,\"activation\":\"tanh\","
          + "\"recurrentActivation\":\"sigmoid\"},"
          + "{\"type\":\"lstm\",\"hiddenSize\":2,\"activation\":\"relu\","
          + "\"recurrentActivation\":\"hard_sigmoid\"}],"
          + "\"head\":{\"type\":\"dense\",\"outputSize\":2}},\"gateOrder\":\"ifgo\","
          + "\"metrics\":{\"val_loss\":0.046875,\"train_loss\":0.03125},\"tensors\":["
          + "{\"name\":\"normalization.mean\",\"shape\":[2]},"
          + "{\"name\":\"normalization.std\",\"shape\":[2]},"
          + "{\"name\":\"layers.0.input_weights\",\"shape\":[2,12]},"
          + "{\"name\":\"layers.0.recurrent_weights\",\"shape\":[3,12]},"
          + "{\"name\":\"layers.0.bias\",\"shape\":[12]},"
          + "{\"name\":\"layers.1.input_weights\",\"shape\":[3,8]},"
          + "{\"name\":\"layers.1.recurrent_weights\",\"shape\":[2,8]},"
          + "{\"name\":\"layers.1.bias\",\"shape\":[8]},"
          + "{\"name\":\"head.weights\",\"shape\":[2,2]},"
          + "{\"name\":\"head.bias\",\"shape\":[2]}]}";

  /**
   * Every format version this build reads has a committed file written in it, so a new version
   * cannot be released without golden bytes.
   */
  @Test
  void everyFormatVersionHasAGoldenFile() throws Exception {
    Set<Integer> versions = new TreeSet<>();
    for (String file :
        List.of(
            GoldenModelFiles.UNSIGNED,
            GoldenModelFiles.SIGNED,
            GoldenModelFiles.CATEGORICAL,
            GoldenModelFiles.SCALED,
            GoldenModelFiles.TIMED)) {
      versions.add(ModelFile.inspect(GoldenModelFiles.read(file), List.of()).formatVersion());
    }
    assertThat(versions)
        .containsExactlyElementsOf(
            IntStream.rangeClosed(1, ModelFile.LATEST_FORMAT_VERSION).boxed().toList());
  }

  private final byte[] unsigned = GoldenModelFiles.read(GoldenModelFiles.UNSIGNED);
  private final byte[] signed = GoldenModelFiles.read(GoldenModelFiles.SIGNED);

  @Test
  void theUnsignedFileHasTheDocumentedLayout() throws Exception {
    int headerLength = HEADER.getBytes(StandardCharsets.UTF_8).length;
    int tensorBytes = 4 * (2 + 2 + (2 * 12 + 3 * 12 + 12) + (3 * 8 + 2 * 8 + 8) + (2 * 2 + 2));

    assertThat(HexFormat.of().formatHex(unsigned, 0, 16)).isEqualTo(PREAMBLE_HEX);
    assertThat(new String(unsigned, 16, headerLength, StandardCharsets.UTF_8)).isEqualTo(HEADER);
    assertThat(unsigned).hasSize(16 + headerLength + tensorBytes + 32 + 4);
    assertThat(HexFormat.of().formatHex(unsigned, unsigned.length - 36, unsigned.length - 4))
        .isEqualTo(DIGEST);
  }

  @Test
  void theUnsignedFileReadsToTheGoldenModel() throws Exception {
    LstmModel model = ModelFile.read(unsigned, ReadOptions.acceptUnsigned());

    ModelInfo info = model.info();
    assertThat(info.name()).isEqualTo("golden-pump");
    assertThat(info.version()).isEqualTo(3);
    assertThat(info.parentVersion()).isEqualTo(2);
    assertThat(info.created()).hasToString("2024-05-01T12:00:00Z");
    assertThat(info.metrics())
        .containsExactly(Map.entry("val_loss", 0.046875), Map.entry("train_loss", 0.03125));
    assertThat(model.normalizer().mean()).containsExactly(10.5f, -2.25f);
    assertThat(model.normalizer().std()).containsExactly(2f, 0.5f);
    assertThat(model.layers().get(0).inputWeights()[0][0]).isEqualTo(-1.375f);
    assertThat(model.layers().get(0).inputWeights()[1][5]).isEqualTo(-0.875f);
    assertThat(model.layers().get(1).bias()[3]).isEqualTo(0.25f);
    assertThat(model.head().weights()[1][1]).isEqualTo(0.625f);
    assertThat(model.head().bias()).containsExactly(1.25f, -0.75f);
    assertThat(model.layers().get(1).activation()).isEqualTo(Activation.RELU);
  }

  @Test
  void theDecodedModelWritesTheGoldenBytes() throws Exception {
    LstmModel model = ModelFile.read(unsigned, ReadOptions.acceptUnsigned());

    assertThat(ModelFile.write(model)).isEqualTo(unsigned);
    assertThat(ModelFile.write(GoldenModelFiles.model())).isEqualTo(unsigned);
  }

  /**
   * Format version 3: the same model scaling its values per key; the header's numeric input holds
   * the scaling, and the file reads back to it and writes the same bytes.
   */
  @Test
  void theScaledFileIsFormatThreeAndReadsBackItsScaling() throws Exception {
    byte[] scaled = GoldenModelFiles.read(GoldenModelFiles.SCALED);
    ModelFileSummary summary = ModelFile.inspect(scaled, List.of());
    assertThat(summary.formatVersion()).isEqualTo(ModelFile.SCALED_FORMAT_VERSION);
    assertThat(new String(scaled, StandardCharsets.UTF_8))
        .contains(
            "\"input\":{\"type\":\"numeric\",\"size\":2,\"scaling\":{\"type\":\"per-key\","
                + "\"learnEvents\":500,\"adaptEvents\":5000,\"clip\":10.0}}");
    LstmModel model = ModelFile.read(scaled, ReadOptions.acceptUnsigned());
    assertThat(model.scaling()).isEqualTo(InputScaling.perKey(500, 5000, 10));
    assertThat(ModelFile.write(model)).isEqualTo(scaled);
    assertThat(ModelFile.write(GoldenModelFiles.scaledModel())).isEqualTo(scaled);
  }

  /**
   * Format version 4: the scaled model taking time inputs; the header's numeric input holds them,
   * the first layer's input weights have a row per time input, and the file reads back to the model
   * and writes the same bytes.
   */
  @Test
  void theTimedFileIsFormatFourAndReadsBackItsTimeInputs() throws Exception {
    byte[] timed = GoldenModelFiles.read(GoldenModelFiles.TIMED);
    ModelFileSummary summary = ModelFile.inspect(timed, List.of());
    assertThat(summary.formatVersion()).isEqualTo(ModelFile.TIMED_FORMAT_VERSION);
    assertThat(new String(timed, StandardCharsets.UTF_8))
        .contains(
            "\"clip\":10.0},\"time\":{\"features\":[\"day\",\"week\"],"
                + "\"zone\":\"Europe/Paris\"}}")
        .contains("{\"name\":\"layers.0.input_weights\",\"shape\":[6,12]}");
    LstmModel model = ModelFile.read(timed, ReadOptions.acceptUnsigned());
    assertThat(model.time()).isEqualTo(TimeFeatures.parse("day,week", "Europe/Paris"));
    assertThat(model.inputSize()).isEqualTo(2);
    assertThat(model.stepSize()).isEqualTo(6);
    assertThat(model.layers().get(0).inputWeights()[5][1]).isEqualTo(-0.25f);
    assertThat(ModelFile.write(model)).isEqualTo(timed);
    assertThat(ModelFile.write(GoldenModelFiles.timedModel())).isEqualTo(timed);
  }

  @Test
  void theSignedFileVerifiesWithTheCommittedPublicKey() throws Exception {
    PublicKey key =
        ModelKeys.parsePublicKey(
            new String(
                GoldenModelFiles.read(GoldenModelFiles.PUBLIC_KEY), StandardCharsets.US_ASCII),
            GoldenModelFiles.PUBLIC_KEY);

    LstmModel model = ModelFile.read(signed, ReadOptions.requireSignature(List.of(key)));
    ModelFileSummary summary = ModelFile.inspect(signed, List.of(key));

    assertThat(key).isEqualTo(GoldenModelFiles.signingKey().getPublic());
    assertThat(summary.signature()).isEqualTo(SignatureStatus.VALID);
    assertThat(summary.signerFingerprint()).isEqualTo(ModelKeys.fingerprint(key));
    assertThat(summary.sha256()).isEqualTo(DIGEST);
    assertThat(ModelFile.write(model, GoldenModelFiles.signingKey().getPrivate()))
        .isEqualTo(signed);
    assertThat(ModelFile.write(model)).isEqualTo(unsigned);
  }
}
