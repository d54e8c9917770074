package io.flinklstm.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinklstm.model.Activation;
import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.CellType;
import io.flinklstm.model.Vocabulary;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.model.kernel.SteppersForTest;
import io.flinklstm.model.kernel.SymbolStepper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The imported categorical models against torch's own log-probabilities, over every step of the
 * committed fixtures, on every kernel and after a trip through the model file.
 */
class CategoricalTorchParityTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.flinklstm.importer.CategoricalTorchFixture#cases")
  void everyKernelMatchesTorch(String name) throws Exception {
    CategoricalTorchFixture fixture = CategoricalTorchFixture.of(name);
    CategoricalModel model = fixture.importModel();

    for (Map.Entry<String, SymbolStepper> e : SteppersForTest.all(model).entrySet()) {
      CategoricalTorchFixture.Errors errors = fixture.run(e.getValue());
      assertThat(errors.steps).isGreaterThanOrEqualTo(1000);
      assertThat(errors.unknown).isPositive();
      assertThat(errors.max())
          .as(e.getKey() + ": " + errors)
          .isLessThan(CategoricalTorchFixture.TOLERANCE);
    }
    CategoricalModel fromFile =
        (CategoricalModel)
            ModelFile.readAny(ModelFile.write(model), ModelFile.ReadOptions.acceptUnsigned());
    CategoricalTorchFixture.Errors errors = fixture.run(SymbolStepper.of(fromFile));
    assertThat(errors.max()).as("from the file: " + errors).isLessThan(1e-5);
  }

  @Test
  void theOneHotCaseHasAnIdentityEmbeddingAndTheUnknownSymbolLast() throws IOException {
    CategoricalModel model =
        CategoricalTorchFixture.of(CategoricalTorchFixture.ONE_HOT_RELU).importModel();

    assertThat(model.embedding().size()).isEqualTo(10);
    assertThat(model.embedding().rows()[3]).containsExactly(0, 0, 0, 1, 0, 0, 0, 0, 0, 0);
    assertThat(model.vocabulary().unknownId()).isEqualTo(9);
    assertThat(model.layers().get(0).activation()).isEqualTo(Activation.RELU);
  }

  @Test
  void theWrongNonlinearityIsVisibleInTheOutput() throws IOException {
    CategoricalTorchFixture fixture =
        CategoricalTorchFixture.of(CategoricalTorchFixture.ONE_HOT_RELU);
    Vocabulary vocabulary =
        PyTorchCategoricalImporter.readVocabulary(fixture.vocabularyFile(), "<unk>");
    CategoricalModel tanh =
        PyTorchCategoricalImporter.withDefaults(CellType.RNN, Activation.TANH)
            .importModel(
                WeightArrays.load(fixture.weights()), vocabulary, CategoricalTorchFixture.INFO);

    assertThat(fixture.run(SymbolStepper.of(tanh)).max()).isGreaterThan(1e-2);
  }

  @Test
  void aVocabularyOfAnotherSizeIsRefused(@TempDir Path tmp) throws IOException {
    CategoricalTorchFixture fixture =
        CategoricalTorchFixture.of(CategoricalTorchFixture.RNN_TWO_LAYERS);
    Path shorter = tmp.resolve("vocab.txt");
    List<String> lines = Files.readAllLines(fixture.vocabularyFile());
    Files.write(shorter, lines.subList(0, lines.size() - 1));
    Vocabulary vocabulary = PyTorchCategoricalImporter.readVocabulary(shorter, "<unk>");

    assertThatThrownBy(
            () ->
                PyTorchCategoricalImporter.withDefaults(CellType.RNN, Activation.TANH)
                    .importModel(
                        WeightArrays.load(fixture.weights()),
                        vocabulary,
                        CategoricalTorchFixture.INFO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("array 'embedding.weight' has shape (12, 8), expected (11, 8)");
  }

  @Test
  void vocabularyFilesAreChecked(@TempDir Path tmp) throws IOException {
    Path file = tmp.resolve("vocab.txt");
    Files.write(file, List.of("<unk>", "open", "", "close"));
    assertThatThrownBy(() -> PyTorchCategoricalImporter.readVocabulary(file, "<unk>"))
        .hasMessage(file + ": line 3 is empty; every line is one symbol");
    Files.write(file, List.of("<unk>", "open", "open"));
    assertThatThrownBy(() -> PyTorchCategoricalImporter.readVocabulary(file, "<unk>"))
        .hasMessage(file + ": vocabulary: symbol 'open' is listed twice, as ids 1 and 2");
    Files.write(file, List.of("open", "close"));
    assertThatThrownBy(() -> PyTorchCategoricalImporter.readVocabulary(file, "<unk>"))
        .hasMessageContaining("the out-of-vocabulary symbol '<unk>' is not in the list");
  }

  @Test
  void anLstmStateDictIsNotReadAsAnRnn() throws IOException {
    CategoricalTorchFixture fixture = CategoricalTorchFixture.of(CategoricalTorchFixture.LSTM);
    Vocabulary vocabulary =
        PyTorchCategoricalImporter.readVocabulary(fixture.vocabularyFile(), "<unk>");

    assertThatThrownBy(
            () ->
                PyTorchCategoricalImporter.withDefaults(CellType.RNN, Activation.TANH)
                    .importModel(
                        WeightArrays.load(fixture.weights()),
                        vocabulary,
                        CategoricalTorchFixture.INFO))
        .hasMessageContaining("missing array 'rnn.weight_ih_l0'");
  }
}
