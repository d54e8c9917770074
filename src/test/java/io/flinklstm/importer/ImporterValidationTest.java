package io.flinklstm.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinklstm.model.Activation;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.ModelInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the importers refuse, and that the messages name the array and the shapes. */
class ImporterValidationTest {
  static final ModelInfo INFO = ModelInfo.first("imported", Instant.EPOCH);
  static final int D = 3;
  static final int H = 4;

  @TempDir Path tmp;

  LstmModel keras(Map<String, byte[]> arrays) throws IOException {
    return new KerasImporter().importModel(load(arrays, "keras.npz"), INFO);
  }

  LstmModel pytorch(Map<String, byte[]> arrays) throws IOException {
    return new PyTorchImporter().importModel(load(arrays, "torch.npz"), INFO);
  }

  WeightArrays load(Map<String, byte[]> arrays, String file) throws IOException {
    return WeightArrays.load(NpyBytes.npz(tmp.resolve(file), arrays));
  }

  @Test
  void validArchivesImportWithTheirSizesAndActivations() throws IOException {
    LstmModel k =
        new KerasImporter(Activation.IDENTITY, Activation.HARD_SIGMOID)
            .importModel(load(NpyBytes.keras(D, H, 5), "k.npz"), INFO);
    LstmModel t = pytorch(NpyBytes.pytorch(D, H));

    assertThat(k.layers()).hasSize(2);
    assertThat(k.layers().get(1).inputSize()).isEqualTo(H);
    assertThat(k.layers().get(1).hiddenSize()).isEqualTo(5);
    assertThat(k.layers().get(0).activation()).isEqualTo(Activation.IDENTITY);
    assertThat(k.layers().get(0).recurrentActivation()).isEqualTo(Activation.HARD_SIGMOID);
    assertThat(t.layers().get(0).activation()).isEqualTo(Activation.TANH);
    assertThat(t.normalizer().std()).containsOnly(1f);
    assertThat(t.info()).isEqualTo(INFO);
  }

  @Test
  void missingArraysAreNamedWithWhatIsThere() {
    Map<String, byte[]> k = NpyBytes.keras(D, H);
    k.remove("lstm_0/bias");
    Map<String, byte[]> t = NpyBytes.pytorch(D, H);
    t.remove("head.weight");

    assertThatThrownBy(() -> keras(k))
        .hasMessageContaining("keras.npz: missing array 'lstm_0/bias'; it holds dense/bias, ");
    assertThatThrownBy(() -> pytorch(t)).hasMessageContaining("missing array 'head.weight'");
    assertThatThrownBy(() -> keras(NpyBytes.pytorch(D, H)))
        .hasMessageContaining("missing array 'lstm_0/kernel'; it holds head.bias, head.weight");
  }

  @Test
  void wrongShapesNameTheArrayAndBothShapes() {
    Map<String, byte[]> notFourH = NpyBytes.keras(D, H);
    notFourH.put("lstm_0/recurrent_kernel", NpyBytes.f32(H, 15));
    Map<String, byte[]> shortBias = NpyBytes.keras(D, H);
    shortBias.put("lstm_0/bias", NpyBytes.f32(15));
    Map<String, byte[]> rank3 = NpyBytes.keras(D, H);
    rank3.put("lstm_0/kernel", NpyBytes.f32(1, D, 4 * H));
    Map<String, byte[]> headOut = NpyBytes.pytorch(D, H);
    headOut.put("head.weight", NpyBytes.f32(2, H));

    assertThatThrownBy(() -> keras(notFourH))
        .hasMessageContaining("'lstm_0/recurrent_kernel' has shape (4, 15), expected (H, 4H)");
    assertThatThrownBy(() -> keras(shortBias))
        .hasMessageContaining("'lstm_0/bias' has shape (15,), expected (16,)");
    assertThatThrownBy(() -> keras(rank3))
        .hasMessageContaining("'lstm_0/kernel' has shape (1, 3, 16), expected (D, 4H)");
    assertThatThrownBy(() -> pytorch(headOut))
        .hasMessageContaining("'head.weight' has shape (2, 4), expected (3, 4)")
        .hasMessageContaining("predicts the next 3-value input");
  }

  @Test
  void inconsistentLayerSizesAreRefused() {
    Map<String, byte[]> k = NpyBytes.keras(D, H, 5);
    k.put("lstm_1/kernel", NpyBytes.f32(6, 20));
    Map<String, byte[]> t = NpyBytes.pytorch(D, H, 5);
    t.put("lstm.weight_ih_l1", NpyBytes.f32(20, 6));
    Map<String, byte[]> gates = NpyBytes.pytorch(D, H);
    gates.put("lstm.weight_ih_l0", NpyBytes.f32(4 * 5, D));

    assertThatThrownBy(() -> keras(k))
        .hasMessageContaining("'lstm_1/kernel' has shape (6, 20), expected (4, 20)")
        .hasMessageContaining("the hidden size of layer 0");
    assertThatThrownBy(() -> pytorch(t))
        .hasMessageContaining("'lstm.weight_ih_l1' has shape (20, 6), expected (20, 4)");
    assertThatThrownBy(() -> pytorch(gates))
        .hasMessageContaining("'lstm.weight_ih_l0' has shape (20, 3), expected (16, 3)")
        .hasMessageContaining("H = 4 from lstm.weight_hh_l0");
  }

  @Test
  void layersMustBeNumberedWithoutGaps() {
    Map<String, byte[]> k = NpyBytes.keras(D, H);
    k.put("lstm_2/kernel", NpyBytes.f32(H, 4 * H));

    assertThatThrownBy(() -> keras(k))
        .hasMessageContaining("'lstm_2/kernel' belongs to layer 2 but 'lstm_1/kernel' is missing");
  }

  @Test
  void nonFiniteValuesAreRefusedWithTheirIndex() {
    Map<String, byte[]> k = NpyBytes.keras(D, H);
    double[] values = new double[H * 4 * H];
    values[4 * H + 2] = Double.NaN;
    k.put("lstm_0/recurrent_kernel", NpyBytes.f32(new int[] {H, 4 * H}, values));
    Map<String, byte[]> t = NpyBytes.pytorch(D, H);
    t.put("lstm.bias_hh_l0", NpyBytes.npy("<f8", false, new int[] {16}, infinityAt(16, 7)));

    assertThatThrownBy(() -> keras(k))
        .hasMessageContaining("'lstm_0/recurrent_kernel' has the non-finite value NaN at [1, 2]");
    assertThatThrownBy(() -> pytorch(t))
        .hasMessageContaining("'lstm.bias_hh_l0' has the non-finite value Infinity at [7]");
  }

  @Test
  void onlyFloat32AndFloat64AreAccepted() throws IOException {
    Map<String, byte[]> ints = NpyBytes.keras(D, H);
    ints.put("dense/bias", NpyBytes.npy("<i8", false, new int[] {D}, new double[D]));
    Map<String, byte[]> doubles = NpyBytes.pytorch(D, H);
    doubles.put("head.bias", NpyBytes.npy("<f8", false, new int[] {D}, new double[] {1, 2, 3}));

    assertThatThrownBy(() -> keras(ints))
        .hasMessageContaining(
            "'dense/bias' has dtype int64 ('<i8'); only float32 and float64 are accepted");
    assertThat(pytorch(doubles).head().bias()).containsExactly(1, 2, 3);
  }

  @Test
  void unsupportedPyTorchVariantsAreRefused() {
    Map<String, byte[]> bidirectional = NpyBytes.pytorch(D, H);
    bidirectional.put("lstm.weight_ih_l0_reverse", NpyBytes.f32(4 * H, D));
    Map<String, byte[]> projected = NpyBytes.pytorch(D, H);
    projected.put("lstm.weight_hr_l0", NpyBytes.f32(2, H));
    Map<String, byte[]> noBias = NpyBytes.pytorch(D, H);
    noBias.remove("lstm.bias_ih_l0");
    noBias.remove("lstm.bias_hh_l0");

    assertThatThrownBy(() -> pytorch(bidirectional)).hasMessageContaining("bidirectional");
    assertThatThrownBy(() -> pytorch(projected)).hasMessageContaining("proj_size");
    assertThatThrownBy(() -> pytorch(noBias)).hasMessageContaining("bias=False");
  }

  @Test
  void otherModuleNamesAreGivenAsPrefixes() throws IOException {
    Map<String, byte[]> renamed = new java.util.LinkedHashMap<>();
    NpyBytes.pytorch(D, H)
        .forEach(
            (name, bytes) ->
                renamed.put(name.replace("lstm.", "rnn.").replace("head.", "fc."), bytes));
    WeightArrays arrays = load(renamed, "renamed.npz");

    assertThat(new PyTorchImporter("rnn.", "fc.").importModel(arrays, INFO).inputSize())
        .isEqualTo(D);
    assertThatThrownBy(() -> new PyTorchImporter().importModel(arrays, INFO))
        .hasMessageContaining("missing array 'lstm.weight_ih_l0'; it holds fc.bias");
  }

  @Test
  void normalisationComesFromOnePlaceAndIsChecked() throws IOException {
    Map<String, byte[]> embedded = NpyBytes.keras(D, H);
    embedded.put("normalization/mean", NpyBytes.f32(new int[] {D}, 1, 2, 3));
    embedded.put("normalization/std", NpyBytes.f32(new int[] {D}, 4, 5, 6));
    WeightArrays separate =
        load(
            Map.of(
                "mean", NpyBytes.f32(new int[] {D}, 0, 0, 0),
                "std", NpyBytes.f32(new int[] {D}, 1, 0, 1)),
            "norm.npz");
    WeightArrays wrongSize =
        load(Map.of("mean", NpyBytes.f32(4), "std", NpyBytes.f32(4)), "norm4.npz");

    assertThat(keras(embedded).normalizer().std()).containsExactly(4, 5, 6);
    assertThatThrownBy(
            () -> new KerasImporter().importModel(load(embedded, "twice.npz"), separate, INFO))
        .hasMessageContaining("give it in one place only");
    assertThatThrownBy(
            () ->
                new KerasImporter()
                    .importModel(load(NpyBytes.keras(D, H), "k.npz"), separate, INFO))
        .hasMessageContaining("norm.npz: array 'std' has 0.0 at [1]; a std must be positive");
    assertThatThrownBy(
            () ->
                new KerasImporter()
                    .importModel(load(NpyBytes.keras(D, H), "k.npz"), wrongSize, INFO))
        .hasMessageContaining("array 'mean' has shape (4,), expected (3,)");
  }

  private static double[] infinityAt(int n, int index) {
    double[] v = new double[n];
    v[index] = Double.POSITIVE_INFINITY;
    return v;
  }
}
