package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.model.format.GoldenModelFiles;
import io.flinklstm.model.format.ModelKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSignCommandTest {
  @TempDir Path dir;
  Path model;
  Path priv;
  Path pub;

  @BeforeEach
  void files() throws Exception {
    model = dir.resolve("model.flstm");
    Files.write(model, GoldenModelFiles.read(GoldenModelFiles.UNSIGNED));
    KeyPair golden = GoldenModelFiles.signingKey();
    priv = dir.resolve("k.pem");
    pub = dir.resolve("k.pub.pem");
    ModelKeys.writePrivateKey(priv, golden.getPrivate(), false);
    ModelKeys.writePublicKey(pub, golden.getPublic(), false);
  }

  @Test
  void signsAModelFile() throws Exception {
    Path out = dir.resolve("signed.flstm");

    CliRun run = CliRun.run("model", "sign", "--model", model, "--key", priv, "--out", out);

    assertThat(run.exitCode()).isZero();
    assertThat(run.outLines())
        .containsExactly(
            "signed: " + out,
            "key: " + ModelKeys.fingerprint(GoldenModelFiles.signingKey().getPublic()));
    assertThat(Files.readAllBytes(out)).isEqualTo(GoldenModelFiles.read(GoldenModelFiles.SIGNED));
    assertThat(CliRun.run("model", "verify", "--model", out, "--public-key", pub).exitCode())
        .isZero();
  }

  @Test
  void signsInPlace() throws Exception {
    CliRun run = CliRun.run("model", "sign", "--model", model, "--key", priv, "--out", model);

    assertThat(run.exitCode()).isZero();
    assertThat(Files.readAllBytes(model)).isEqualTo(GoldenModelFiles.read(GoldenModelFiles.SIGNED));
    try (var files = Files.list(dir)) {
      assertThat(files.filter(f -> f.toString().endsWith(".tmp"))).isEmpty();
    }
  }

  @Test
  void refusesToSignACorruptFile() throws Exception {
    byte[] bytes = Files.readAllBytes(model);
    bytes[200] ^= 1;
    Files.write(model, bytes);
    Path out = dir.resolve("signed.flstm");

    CliRun run = CliRun.run("model", "sign", "--model", model, "--key", priv, "--out", out);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).startsWith("flink-lstm: " + model + ": ");
    assertThat(out).doesNotExist();
  }

  @Test
  void aPublicKeyIsNotASigningKey() {
    CliRun run =
        CliRun.run("model", "sign", "--model", model, "--key", pub, "--out", dir.resolve("o"));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines())
        .singleElement()
        .asString()
        .startsWith("flink-lstm: " + pub + " holds a PEM 'PUBLIC KEY', expected 'PRIVATE KEY'");
  }

  @Test
  void aMissingFileIsNamed() {
    Path nowhere = dir.resolve("nowhere.flstm");

    CliRun run =
        CliRun.run("model", "sign", "--model", nowhere, "--key", priv, "--out", dir.resolve("o"));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).containsExactly("flink-lstm: " + nowhere + ": no such file");
  }

  @Test
  void helpDescribesEveryOption() {
    CliRun run = CliRun.run("model", "sign", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("--model=FILE", "The model file to sign.")
        .contains("--key=FILE", "--out=FILE");
  }
}
