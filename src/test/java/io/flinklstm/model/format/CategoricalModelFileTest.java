package io.flinklstm.model.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.CellType;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.RecurrentLayer;
import io.flinklstm.model.SequenceModel;
import io.flinklstm.model.TestModels;
import io.flinklstm.model.format.ModelFile.ReadOptions;
import io.flinklstm.model.kernel.SymbolStepper;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Format version 2 with a categorical model: the committed golden file reads to the same model and
 * writes the same bytes, files round-trip, and corrupt or inconsistent headers are refused with a
 * message naming the problem.
 */
class CategoricalModelFileTest {
  static final String PREAMBLE_HEX = "89464c53544d0d0a020000007c030000";
  static final String DIGEST = "1d9f5186cc99b1146a4929e8031214458bfb3a70c43e80e4cf5229813f66299e";
  static final String HEADER =
      "{\"name\":\"golden-log-keys\",\"version\":2,\"created\":\"2024-05-01T12:00:00Z\","
          + "\"parentVersion\":1,\"architecture\":{\"input\":{\"type\":\"symbols\","
          + "\"vocabularySize\":5,\"embeddingSize\":3},\"layers\":["
          + "{\"type\":\"rnn\",\"hiddenSize\":4,\"activation\":\"tanh\"},"
          + "{\"type\":\"lstm\",\"hiddenSize\":2,\"activation\":\"tanh\","
          + "\"recurrentActivation\":\"sigmoid\"}],"
          + "\"head\":{\"type\":\"softmax\",\"outputSize\":5}},\"gateOrder\":\"ifgo\","
          + "\"vocabulary\":{\"unknown\":\"<unk>\","
          + "\"symbols\":[\"<unk>\",\"open\",\"read\",\"write\",\"close\"]},"
          + "\"metrics\":{\"val_cross_entropy\":0.75},\"tensors\":["
          + "{\"name\":\"input.embedding\",\"shape\":[5,3]},"
          + "{\"name\":\"layers.0.input_weights\",\"shape\":[3,4]},"
          + "{\"name\":\"layers.0.recurrent_weights\",\"shape\":[4,4]},"
          + "{\"name\":\"layers.0.bias\",\"shape\":[4]},"
          + "{\"name\":\"layers.1.input_weights\",\"shape\":[4,8]},"
          + "{\"name\":\"layers.1.recurrent_weights\",\"shape\":[2,8]},"
          + "{\"name\":\"layers.1.bias\",\"shape\":[8]},"
          + "{\"name\":\"head.weights\",\"shape\":[2,5]},"
          + "{\"name\":\"head.bias\",\"shape\":[5]}]}";

  private final byte[] golden = GoldenModelFiles.read(GoldenModelFiles.CATEGORICAL);

  @Test
  void theGoldenFileHasTheDocumentedLayout() {
    int headerLength = HEADER.getBytes(StandardCharsets.UTF_8).length;
    int tensorBytes = 4 * (5 * 3 + (3 * 4 + 4 * 4 + 4) + (4 * 8 + 2 * 8 + 8) + (2 * 5 + 5));

    assertThat(HexFormat.of().formatHex(golden, 0, 16)).isEqualTo(PREAMBLE_HEX);
    assertThat(new String(golden, 16, headerLength, StandardCharsets.UTF_8)).isEqualTo(HEADER);
    assertThat(golden).hasSize(16 + headerLength + tensorBytes + 32 + 4);
    assertThat(HexFormat.of().formatHex(golden, golden.length - 36, golden.length - 4))
        .isEqualTo(DIGEST);
  }

  @Test
  void theGoldenFileReadsToTheModelAndWritesTheSameBytes() throws Exception {
    CategoricalModel model =
        (CategoricalModel) ModelFile.readAny(golden, ReadOptions.acceptUnsigned());

    assertThat(model.info().name()).isEqualTo("golden-log-keys");
    assertThat(model.info().metrics()).containsExactly(Map.entry("val_cross_entropy", 0.75));
    assertThat(model.vocabulary().symbols())
        .containsExactly("<unk>", "open", "read", "write", "close");
    assertThat(model.vocabulary().unknownId()).isZero();
    assertThat(model.layers())
        .extracting(RecurrentLayer::cellType)
        .containsExactly(CellType.RNN, CellType.LSTM);
    assertThat(model.embedding().rows()[1][2]).isEqualTo(TestModels.weight(20, 5));
    assertThat(model.layers().get(0).bias()[3]).isEqualTo(TestModels.weight(23, 3));
    assertThat(model.head().bias()[4]).isEqualTo(TestModels.weight(28, 4));
    assertThat(ModelFile.write(model)).isEqualTo(golden);
    assertThat(ModelFile.write(TestModels.categorical())).isEqualTo(golden);

    SymbolStepper fromFile = SymbolStepper.of(model);
    SymbolStepper original = SymbolStepper.of(TestModels.categorical());
    LstmState a = model.newState();
    LstmState b = model.newState();
    for (int symbol : new int[] {1, 2, 2, 3, 4, 0, 1}) {
      assertThat(fromFile.step(a, symbol)).containsExactly(original.step(b, symbol));
    }
  }

  @Test
  void signedFilesRoundTripAndInspectReportsVersionTwo() throws Exception {
    var key = GoldenModelFiles.signingKey();
    byte[] signed = ModelFile.write(TestModels.categorical(), key.getPrivate());

    SequenceModel read =
        ModelFile.readAny(signed, ReadOptions.requireSignature(List.of(key.getPublic())));
    ModelFileSummary summary = ModelFile.inspect(signed, List.of(key.getPublic()));

    assertThat(ModelFile.write(read, key.getPrivate())).isEqualTo(signed);
    assertThat(summary.formatVersion()).isEqualTo(2);
    assertThat(summary.model()).isInstanceOf(CategoricalModel.class);
    assertThat(summary.signature()).isEqualTo(ModelFileSummary.SignatureStatus.VALID);
  }

  @Test
  void numericModelsAreStillWrittenAsVersionOne() throws Exception {
    byte[] numeric = ModelFile.write(TestModels.twoLayer());

    assertThat(numeric[8]).isEqualTo((byte) 1);
    assertThat(ModelFile.readAny(numeric, ReadOptions.acceptUnsigned()))
        .isInstanceOf(LstmModel.class);
  }

  @Test
  void aNumericReaderRefusesACategoricalModel() {
    assertThatThrownBy(() -> ModelFile.read(golden, ReadOptions.acceptUnsigned()))
        .isInstanceOf(ModelFileException.class)
        .hasMessage(
            "model 'golden-log-keys' is a categorical model (symbols in, softmax out), where a"
                + " numeric one is needed");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\"vocabularySize\":5 | \"vocabularySize\":6 "
            + "| header field architecture.head.outputSize is 5 but the softmax ranges over the"
            + " vocabulary, so it must equal architecture.input.vocabularySize 6",
        "\"outputSize\":5 | \"outputSize\":4 "
            + "| header field architecture.head.outputSize is 4 but the softmax ranges",
        "\"close\"] | \"close\",\"open\"] "
            + "| header field vocabulary.symbols lists 6 symbols but architecture.input"
            + ".vocabularySize is 5",
        "\"close\"] | \"open\"] "
            + "| header: vocabulary: symbol 'open' is listed twice, as ids 1 and 4",
        "\"unknown\":\"<unk>\" | \"unknown\":\"<oov>\" "
            + "| header: vocabulary: the out-of-vocabulary symbol '<oov>' is not in the list",
        "\"unknown\":\"<unk>\", | '' | header lacks the field vocabulary.unknown",
        "\"<unk>\",\"open\" | \"\",\"open\" | header: vocabulary: symbol 0 is the empty string",
        "\"gateOrder\":\"ifgo\", | \"gateOrder\":\"ifgo\",\"vocab\":{}, "
            + "| header field vocab is unknown to format version 2",
        "\"type\":\"softmax\" | \"type\":\"dense\" "
            + "| header field architecture.head.type is 'dense', but a model with symbol input has"
            + " a 'softmax' head",
        "\"type\":\"rnn\" | \"type\":\"gru\" "
            + "| header field architecture.layers[0].type is 'gru', expected 'lstm' or 'rnn'",
        "\"type\":\"symbols\" | \"type\":\"bytes\" "
            + "| header field architecture.input.type is 'bytes', expected 'numeric' or 'symbols'",
        "\"activation\":\"tanh\"} | \"activation\":\"tanh\",\"recurrentActivation\":\"sigmoid\"} "
            + "| header field architecture.layers[0].recurrentActivation is unknown to format"
            + " version 2",
        "\"name\":\"input.embedding\",\"shape\":[5,3] "
            + "| \"name\":\"input.embedding\",\"shape\":[5,4] "
            + "| header: tensor 'input.embedding' has shape [5, 4] but the architecture needs [5,"
            + " 3]",
        "\"type\":\"symbols\", | '' | header lacks the field architecture.input.type",
        "\"type\":\"rnn\", | '' | header lacks the field architecture.layers[0].type",
        "\"name\":\"input.embedding\" | \"name\":\"normalization.mean\" "
            + "| header field tensors[0] names an unknown tensor 'normalization.mean'",
      })
  void inconsistentHeadersAreRefused(String from, String to, String message) throws Exception {
    FileSections sections = FileSections.of(golden).replaceInHeader(from.strip(), to.strip());

    assertRefused(sections.build()).hasMessageContaining(message.strip());
  }

  @Test
  void aMissingVocabularyIsRefused() throws Exception {
    String header = FileSections.of(golden).headerJson();
    String without = header.replaceFirst("\"vocabulary\":\\{[^}]*\\},", "");

    assertRefused(FileSections.of(golden).header(without).build())
        .hasMessage("header lacks the field vocabulary");
  }

  @Test
  void formatVersionOneKnowsNoneOfTheNewKinds() throws Exception {
    FileSections v1 = FileSections.of(golden);
    v1.version = 1;

    assertRefused(v1.build())
        .hasMessageStartingWith("header field vocabulary is unknown to format version 1");
    byte[] numeric = ModelFile.write(TestModels.twoLayer());
    assertRefused(
            FileSections.of(numeric)
                .replaceInHeader("\"type\":\"lstm\"", "\"type\":\"rnn\"")
                .build())
        .hasMessage(
            "header field architecture.layers[0].type is 'rnn', format version 1 has only 'lstm'");
  }

  @Test
  void aVersionTwoNumericHeaderReadsToTheSameModelAsVersionOne() throws Exception {
    byte[] v1 = GoldenModelFiles.read(GoldenModelFiles.UNSIGNED);
    FileSections v2 =
        FileSections.of(v1)
            .replaceInHeader("\"inputSize\":2,", "\"input\":{\"type\":\"numeric\",\"size\":2},");
    v2.version = 2;

    SequenceModel read = ModelFile.readAny(v2.build(), ReadOptions.acceptUnsigned());

    assertThat(read).isInstanceOf(LstmModel.class);
    assertThat(ModelFile.write(read)).isEqualTo(v1);
    assertRefused(
            v2.replaceInHeader(
                    "\"type\":\"lstm\",\"hiddenSize\":3,\"activation\":\"tanh\","
                        + "\"recurrentActivation\":\"sigmoid\"",
                    "\"type\":\"rnn\",\"hiddenSize\":3,\"activation\":\"tanh\"")
                .build())
        .hasMessage(
            "header: architecture.layers[0] is an rnn layer, but numeric models have LSTM layers"
                + " only in this build");
    FileSections softmax =
        FileSections.of(v1)
            .replaceInHeader("\"inputSize\":2,", "\"input\":{\"type\":\"numeric\",\"size\":2},")
            .replaceInHeader("\"type\":\"dense\"", "\"type\":\"softmax\"");
    softmax.version = 2;
    assertRefused(softmax.build())
        .hasMessage(
            "header field architecture.head.type is 'softmax', but a model with numeric input has a"
                + " 'dense' head");
  }

  @Test
  void aNonFiniteEmbeddingValueIsRefused() throws Exception {
    byte[] file = FileSections.of(golden).tensorValue(4, Float.NaN).build();

    assertRefused(file).hasMessageStartingWith("tensor input.embedding holds NaN at [1, 1]");
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(byte[] file) {
    return assertThatThrownBy(() -> ModelFile.readAny(file, ReadOptions.acceptUnsigned()))
        .isInstanceOf(ModelFileException.class);
  }
}
