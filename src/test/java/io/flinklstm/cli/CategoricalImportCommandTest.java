package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.importer.CategoricalTorchFixture;
import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.model.kernel.SymbolStepper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code model import --vocab}: the categorical torch fixtures through the command line, and the
 * option combinations it refuses.
 */
class CategoricalImportCommandTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.flinklstm.importer.CategoricalTorchFixture#cases")
  void importedFilesMatchTorch(String name) throws Exception {
    CategoricalTorchFixture fixture = CategoricalTorchFixture.of(name);
    Path model = tmp.resolve(name + ".flstm");

    CliRun run =
        CliRun.run(
            "model",
            "import",
            "--format",
            "pytorch",
            "--weights",
            fixture.weights(),
            "--vocab",
            fixture.vocabularyFile(),
            "--cell",
            fixture.cell().id(),
            "--activation",
            fixture.activation().id(),
            "--out",
            model);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith("imported pytorch categorical weights from " + fixture.weights())
        .contains("model '" + name + "' version 1")
        .contains("out-of-vocabulary '<unk>'");
    byte[] file = Files.readAllBytes(model);
    assertThat(file[8]).isEqualTo((byte) 2);
    CategoricalModel read =
        (CategoricalModel) ModelFile.readAny(file, ModelFile.ReadOptions.acceptUnsigned());
    CategoricalTorchFixture.Errors errors = fixture.run(SymbolStepper.of(read));
    assertThat(errors.max()).as(errors.toString()).isLessThan(CategoricalTorchFixture.TOLERANCE);
  }

  @Test
  void refusesOptionsThatDoNotFit() {
    CategoricalTorchFixture fixture =
        CategoricalTorchFixture.of(CategoricalTorchFixture.RNN_TWO_LAYERS);
    Path out = tmp.resolve("m.flstm");
    Object[] base = {"model", "import", "--weights", fixture.weights(), "--out", out};

    assertUsageError(
        CliRun.run(concat(base, "--format", "keras", "--vocab", fixture.vocabularyFile())),
        "--vocab applies to --format pytorch, not keras");
    assertUsageError(
        CliRun.run(concat(base, "--format", "pytorch", "--cell", "rnn")),
        "--cell rnn needs --vocab: numeric models have LSTM layers only");
    assertUsageError(
        CliRun.run(
            concat(
                base, "--format", "pytorch", "--vocab", fixture.vocabularyFile(), "--cell", "gru")),
        "--cell must be lstm or rnn, was 'gru'");
    assertUsageError(
        CliRun.run(
            concat(
                base,
                "--format",
                "pytorch",
                "--vocab",
                fixture.vocabularyFile(),
                "--cell",
                "rnn",
                "--activation",
                "sigmoid")),
        "PyTorch's nn.RNN has the nonlinearity tanh or relu, not sigmoid");
    assertThat(out).doesNotExist();
  }

  @Test
  void aMissingOutOfVocabularySymbolIsOneClearLine() throws Exception {
    CategoricalTorchFixture fixture =
        CategoricalTorchFixture.of(CategoricalTorchFixture.RNN_TWO_LAYERS);

    CliRun run =
        CliRun.run(
            "model",
            "import",
            "--format",
            "pytorch",
            "--weights",
            fixture.weights(),
            "--vocab",
            fixture.vocabularyFile(),
            "--cell",
            "rnn",
            "--unknown",
            "<oov>",
            "--out",
            tmp.resolve("m.flstm"));

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("the out-of-vocabulary symbol '<oov>' is not in the list");
  }

  private static void assertUsageError(CliRun run, String message) {
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains(message);
  }

  private static Object[] concat(Object[] a, Object... b) {
    Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
