package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.model.format.GoldenModelFiles;
import io.flinklstm.model.format.ModelKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelInspectCommandTest {
  static final String DIGEST = "40278c0861e16ba60e3fa9d2f69dc53db2528be5ece0317069840d579b4e7d41";

  @TempDir Path dir;
  Path signed;
  Path unsigned;
  Path goldenKey;

  @BeforeEach
  void files() throws Exception {
    signed = dir.resolve("signed.flstm");
    unsigned = dir.resolve("unsigned.flstm");
    Files.write(signed, GoldenModelFiles.read(GoldenModelFiles.SIGNED));
    Files.write(unsigned, GoldenModelFiles.read(GoldenModelFiles.UNSIGNED));
    goldenKey = dir.resolve("golden.pub.pem");
    Files.write(goldenKey, GoldenModelFiles.read(GoldenModelFiles.PUBLIC_KEY));
  }

  @Test
  void describesACategoricalModel() throws Exception {
    Path categorical = dir.resolve("categorical.flstm");
    Files.write(categorical, GoldenModelFiles.read(GoldenModelFiles.CATEGORICAL));

    CliRun run = CliRun.run("model", "inspect", "--model", categorical);

    assertThat(run.exitCode()).isZero();
    assertThat(run.outLines())
        .contains(
            "format version: 2",
            "input: symbols, vocabulary 5 (out-of-vocabulary '<unk>' = id 0), embedding size 3",
            "layer 0: rnn, hidden size 4, activation tanh",
            "layer 1: lstm, hidden size 2, activation tanh, recurrent activation sigmoid",
            "head: softmax, output size 5",
            "parameters: " + (5 * 3 + 3 * 4 + 4 * 4 + 4 + 4 * 8 + 2 * 8 + 8 + 2 * 5 + 5),
            "tensor input.embedding: [5, 3]");
  }

  @Test
  void printsTheHeaderTensorsDigestAndSignatureStatus() {
    CliRun run = CliRun.run("model", "inspect", "--model", unsigned);

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.outLines())
        .containsExactly(
            "file: " + unsigned,
            "size: 1424 bytes",
            "format version: 1",
            "name: golden-pump",
            "version: 3",
            "parent version: 2",
            "created: 2024-05-01T12:00:00Z",
            "input size: 2",
            "scaling: none",
            "time inputs: none",
            "layer 0: lstm, hidden size 3, activation tanh, recurrent activation sigmoid",
            "layer 1: lstm, hidden size 2, activation relu, recurrent activation hard_sigmoid",
            "head: dense, output size 2",
            "gate order: ifgo",
            "parameters: " + (2 * 12 + 3 * 12 + 12 + 3 * 8 + 2 * 8 + 8 + 2 * 2 + 2),
            "metric val_loss: 0.046875",
            "metric train_loss: 0.03125",
            "tensor normalization.mean: [2]",
            "tensor normalization.std: [2]",
            "tensor layers.0.input_weights: [2, 12]",
            "tensor layers.0.recurrent_weights: [3, 12]",
            "tensor layers.0.bias: [12]",
            "tensor layers.1.input_weights: [3, 8]",
            "tensor layers.1.recurrent_weights: [2, 8]",
            "tensor layers.1.bias: [8]",
            "tensor head.weights: [2, 2]",
            "tensor head.bias: [2]",
            "sha256: " + DIGEST,
            "signature: absent");
  }

  @Test
  void reportsAValidSignatureWithItsKey() throws Exception {
    CliRun run = CliRun.run("model", "inspect", "--model", signed, "--public-key", goldenKey);

    assertThat(run.exitCode()).isZero();
    assertThat(run.outLines())
        .contains("sha256: " + DIGEST)
        .last()
        .isEqualTo(
            "signature: valid, key " + ModelKeys.fingerprint(ModelKeys.readPublicKey(goldenKey)));
  }

  @Test
  void aSignatureWithoutAKeyIsUnverified() {
    CliRun run = CliRun.run("model", "inspect", "--model", signed);

    assertThat(run.outLines())
        .last()
        .isEqualTo("signature: present, not verified (no --public-key given)");
  }

  @Test
  void aSignatureByAnotherKeyIsReportedNotAnError() throws Exception {
    Path other = dir.resolve("other.pub.pem");
    ModelKeys.writePublicKey(other, ModelKeys.generate().getPublic(), false);

    CliRun run = CliRun.run("model", "inspect", "--model", signed, "--public-key", other);

    assertThat(run.exitCode()).isZero();
    assertThat(run.outLines())
        .last()
        .isEqualTo("signature: INVALID, does not verify with the given public key");
  }

  @Test
  void anInvalidFileIsOneLineOnStandardError() throws Exception {
    Path truncated = dir.resolve("truncated.flstm");
    Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(unsigned), 1000));

    CliRun run = CliRun.run("model", "inspect", "--model", truncated);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines())
        .containsExactly(
            "flink-lstm: "
                + truncated
                + ": model file is truncated in the tensor data: expected 520 bytes from offset"
                + " 868, only 132 present (the file is 1000 bytes, at least 1388 expected)");
  }

  @Test
  void helpListsTheSubcommandsAndOptions() {
    CliRun model = CliRun.run("model", "--help");
    CliRun inspect = CliRun.run("model", "inspect", "--help");

    assertThat(model.out()).contains("inspect", "keygen", "sign", "verify");
    assertThat(inspect.exitCode()).isZero();
    assertThat(inspect.out()).contains("--model=FILE", "--public-key=FILE", "not verified");
  }
}
