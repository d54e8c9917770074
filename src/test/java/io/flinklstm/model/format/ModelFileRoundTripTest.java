package io.flinklstm.model.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.model.Activation;
import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.TestModels;
import io.flinklstm.model.format.ModelFile.ReadOptions;
import io.flinklstm.model.kernel.Stepper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** File → model → file gives the same bytes, and the model read back computes the same steps. */
class ModelFileRoundTripTest {

  @Test
  void singleLayerRoundTripsByteForByte() throws Exception {
    byte[] file = ModelFile.write(TestModels.singleLayer());

    LstmModel read = ModelFile.read(file, ReadOptions.acceptUnsigned());

    assertThat(ModelFile.write(read)).isEqualTo(file);
    assertThat(read.info()).isEqualTo(TestModels.singleLayer().info());
  }

  @Test
  void multiLayerWithMetricsRoundTripsByteForByte() throws Exception {
    LstmModel model = TestModels.twoLayer();
    byte[] file = ModelFile.write(model);

    LstmModel read = ModelFile.read(new ByteArrayInputStream(file), ReadOptions.acceptUnsigned());

    assertThat(ModelFile.write(read)).isEqualTo(file);
    assertThat(read.info().metrics())
        .containsExactly(Map.entry("val_loss", 0.046875), Map.entry("train_loss", 0.03125));
    assertThat(read.layers()).hasSize(2);
    assertThat(read.layers().get(1).activation()).isEqualTo(Activation.RELU);
    assertThat(read.layers().get(1).recurrentActivation()).isEqualTo(Activation.HARD_SIGMOID);
    assertThat(read.layers().get(0).recurrentWeights())
        .isDeepEqualTo(model.layers().get(0).recurrentWeights());
    assertThat(read.head().bias()).containsExactly(model.head().bias());
    assertThat(read.normalizer().std()).containsExactly(2f, 0.5f);
  }

  @Test
  void modelReadBackPredictsExactlyAsTheOriginal() throws Exception {
    LstmModel original = TestModels.twoLayer();
    LstmModel read = ModelFile.read(ModelFile.write(original), ReadOptions.acceptUnsigned());
    Stepper a = Stepper.of(original);
    Stepper b = Stepper.of(read);
    LstmState sa = original.newState();
    LstmState sb = read.newState();
    for (int t = 0; t < 5; t++) {
      float[] x = {10f + t, -2f - 0.25f * t};
      assertThat(b.step(sb, x)).containsExactly(a.step(sa, x));
    }
  }

  @Test
  void awkwardMetadataRoundTrips() throws Exception {
    ModelInfo info =
        new ModelInfo(
            "pump \"7\" \u00e9\u6f22 \\ /",
            Long.MAX_VALUE,
            Instant.parse("2031-12-31T23:59:59.123456789Z"),
            Long.MAX_VALUE - 1,
            Map.of("tiny", 1e-300));
    LstmModel model = TestModels.singleLayer().withInfo(info);
    byte[] file = ModelFile.write(model);

    LstmModel read = ModelFile.read(file, ReadOptions.acceptUnsigned());

    assertThat(read.info()).isEqualTo(info);
    assertThat(ModelFile.write(read)).isEqualTo(file);
  }

  @Test
  void negativeZeroKeepsItsSign() throws Exception {
    LstmModel base = TestModels.singleLayer();
    float[] bias = base.head().bias();
    bias[0] = -0f;
    LstmModel model =
        new LstmModel(
            base.info(),
            base.normalizer(),
            base.layers(),
            new DenseLayer(base.head().weights(), bias));

    byte[] file = ModelFile.write(model);
    LstmModel read = ModelFile.read(file, ReadOptions.acceptUnsigned());

    assertThat(Float.floatToRawIntBits(read.head().bias()[0]))
        .isEqualTo(Float.floatToRawIntBits(-0f));
    assertThat(ModelFile.write(read)).isEqualTo(file);
  }

  @Test
  void writerListsTensorsInCanonicalOrderWithGateOrderIfgo() throws Exception {
    ModelFileSummary summary = ModelFile.inspect(ModelFile.write(TestModels.twoLayer()), List.of());

    assertThat(summary.gateOrder()).isEqualTo(GateOrder.IFGO);
    assertThat(summary.tensors())
        .extracting(ModelFileSummary.Tensor::toString)
        .containsExactly(
            "normalization.mean [2]",
            "normalization.std [2]",
            "layers.0.input_weights [2, 12]",
            "layers.0.recurrent_weights [3, 12]",
            "layers.0.bias [12]",
            "layers.1.input_weights [3, 8]",
            "layers.1.recurrent_weights [2, 8]",
            "layers.1.bias [8]",
            "head.weights [2, 2]",
            "head.bias [2]");
    assertThat(summary.signature()).isEqualTo(ModelFileSummary.SignatureStatus.ABSENT);
    assertThat(summary.sha256()).hasSize(64);
  }

  @Test
  void gateOrderInTheFileIsPermutedIntoIfgoOnRead() throws Exception {
    LstmModel model = TestModels.twoLayer();
    byte[] ifgo = ModelFile.write(model);
    GateOrder fgio = GateOrder.parse("fgio");
    FileSections sections = FileSections.of(ifgo);
    sections.replaceInHeader("\"gateOrder\":\"ifgo\"", "\"gateOrder\":\"fgio\"");
    sections.tensors = tensorsInOrder(model, fgio);

    LstmModel read = ModelFile.read(sections.build(), ReadOptions.acceptUnsigned());

    assertThat(ModelFile.write(read)).isEqualTo(ifgo);
  }

  /** The tensor section of {@code model}'s file with the gate blocks stored in {@code order}. */
  private static byte[] tensorsInOrder(LstmModel model, GateOrder order) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (Map.Entry<String, float[]> tensor : ModelFileWriter.flatTensors(model).entrySet()) {
      String name = tensor.getKey();
      float[] values = tensor.getValue();
      if (name.startsWith("layers.")) {
        int layer = Integer.parseInt(name.split("\\.")[1]);
        int width = 4 * model.layers().get(layer).hiddenSize();
        for (int at = 0; at < values.length; at += width) {
          float[] row = order.fromIfgo(Arrays.copyOfRange(values, at, at + width));
          System.arraycopy(row, 0, values, at, width);
        }
      }
      ByteBuffer le = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : values) {
        le.putFloat(v);
      }
      bytes.writeBytes(le.array());
    }
    return bytes.toByteArray();
  }
}
