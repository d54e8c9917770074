package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.importer.TorchFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options of {@code model import} and {@code model run}, and their one-line errors. */
class ModelCommandsTest {
  static final int USAGE = 2;
  static final int FAILURE = 1;

  @TempDir Path tmp;
  TorchFixture fixture;
  Path model;

  @BeforeEach
  void importTheTwoLayerFixture() {
    fixture = TorchFixture.of(TorchFixture.TWO_LAYERS);
    model = tmp.resolve("two-layers.flstm");
    CliRun imported =
        CliRun.run(
            "model",
            "import",
            "--format",
            "PyTorch",
            "--weights",
            fixture.pytorchWeights(),
            "--normalization",
            fixture.normalization(),
            "--out",
            model,
            "--name",
            "two");
    assertThat(imported.exitCode()).as(imported.err()).isZero();
  }

  @Test
  void importNamesTheModelAfterTheFileUnlessTold() {
    Path out = tmp.resolve("sensor-7.flstm");
    CliRun cli =
        CliRun.run(
            "model",
            "import",
            "--format",
            "keras",
            "--weights",
            fixture.kerasWeights(),
            "--out",
            out,
            "--activation",
            "tanh",
            "--recurrent-activation",
            "sigmoid");

    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out())
        .contains("model 'sensor-7' version 1, 2 LSTM layer(s), sizes 3->16->16->3");
  }

  @Test
  void badOptionsAreUsageErrors() {
    Path out = tmp.resolve("x.flstm");
    Path torch = fixture.pytorchWeights();

    assertUsage(
        CliRun.run("model", "import", "--format", "onnx", "--weights", torch, "--out", out),
        "flink-lstm: --format must be keras or pytorch, was 'onnx'");
    assertUsage(
        CliRun.run(
            "model",
            "import",
            "--format",
            "pytorch",
            "--weights",
            torch,
            "--out",
            out,
            "--activation",
            "relu"),
        "flink-lstm: PyTorch's nn.LSTM always uses tanh and sigmoid");
    assertUsage(
        CliRun.run(
            "model",
            "import",
            "--format",
            "keras",
            "--weights",
            torch,
            "--out",
            out,
            "--lstm-prefix",
            "rnn."),
        "flink-lstm: --lstm-prefix applies to --format pytorch, not keras");
    assertUsage(
        CliRun.run(
            "model",
            "import",
            "--format",
            "keras",
            "--weights",
            torch,
            "--out",
            out,
            "--recurrent-activation",
            "softsign"),
        "flink-lstm: unknown activation 'softsign'");
    assertThat(out).doesNotExist();
  }

  @Test
  void weightsThatDoNotFitFailInOneLineAndWriteNothing() {
    Path out = tmp.resolve("x.flstm");

    CliRun missing =
        CliRun.run(
            "model",
            "import",
            "--format",
            "keras",
            "--weights",
            tmp.resolve("absent.npz"),
            "--out",
            out);
    CliRun wrongLayout =
        CliRun.run(
            "model",
            "import",
            "--format",
            "keras",
            "--weights",
            fixture.pytorchWeights(),
            "--out",
            out);

    assertThat(missing.exitCode()).isEqualTo(FAILURE);
    assertThat(missing.err().strip()).endsWith("absent.npz: no such file or directory");
    assertThat(wrongLayout.exitCode()).isEqualTo(FAILURE);
    assertThat(wrongLayout.err().lines()).hasSize(1);
    assertThat(wrongLayout.errLines().get(0))
        .contains("missing array 'lstm_0/kernel'; it holds head.bias");
    assertThat(out).doesNotExist();
  }

  @Test
  void runSkipsHeadersAndLeadingColumnsAndWritesStandardOutput() throws IOException {
    List<String> plain = Files.readAllLines(fixture.input());
    StringBuilder keyed = new StringBuilder("key,ts," + plain.get(0) + "\n\n");
    for (int t = 1; t < plain.size(); t++) {
      keyed.append("sensor-7,").append(1_700_000_000_000L + t).append(',');
      keyed.append(plain.get(t)).append('\n');
    }
    Path input = Files.writeString(tmp.resolve("keyed.csv"), keyed);
    Path headerless = tmp.resolve("headerless.csv");
    Files.write(headerless, plain.subList(1, plain.size()));

    CliRun fromKeyed =
        CliRun.run("model", "run", "--model", model, "--input", input, "--skip-columns", 2);
    CliRun fromHeaderless = CliRun.run("model", "run", "--model", model, "--input", headerless);

    assertThat(fromKeyed.exitCode()).as(fromKeyed.err()).isZero();
    assertThat(fromHeaderless.out()).isEqualTo(fromKeyed.out());
    ModelCliParityTest.assertMatches(fixture, fromKeyed.out().lines().toList());
  }

  @Test
  void badInputRowsNameTheLine() throws IOException {
    Path shortRow = Files.writeString(tmp.resolve("short.csv"), "x,y,z\n1,2,3\n4,5\n");
    Path notANumber = Files.writeString(tmp.resolve("nan.csv"), "1,2,3\n4,NaN,6\n");
    Path text = Files.writeString(tmp.resolve("text.csv"), "1,2,3\n4,five,6\n");

    assertFailure(
        CliRun.run("model", "run", "--model", model, "--input", shortRow),
        "short.csv line 3: 2 columns, expected 3 (3 values, the model's input size)");
    assertFailure(
        CliRun.run("model", "run", "--model", model, "--input", notANumber),
        "nan.csv line 2: column 2 is 'NaN', not a finite number");
    assertFailure(
        CliRun.run("model", "run", "--model", model, "--input", text),
        "text.csv line 2: column 2 is 'five', not a finite number");
    assertFailure(
        CliRun.run("model", "run", "--model", tmp.resolve("none.flstm"), "--input", text),
        "none.flstm: no such file");
    assertFailure(
        CliRun.run("model", "run", "--model", model, "--input", tmp.resolve("none.csv")),
        "none.csv: no such input file");
  }

  private static void assertUsage(CliRun cli, String message) {
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(USAGE);
    assertThat(cli.errLines().get(0)).startsWith(message);
  }

  private static void assertFailure(CliRun cli, String message) {
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(FAILURE);
    assertThat(cli.err().lines()).hasSize(1);
    assertThat(cli.errLines().get(0)).startsWith("flink-lstm: ").contains(message);
  }
}
