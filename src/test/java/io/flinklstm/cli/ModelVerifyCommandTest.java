package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.model.format.GoldenModelFiles;
import io.flinklstm.model.format.ModelKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelVerifyCommandTest {
  @TempDir Path dir;
  Path signed;
  Path unsigned;
  Path goldenKey;
  Path otherKey;

  @BeforeEach
  void files() throws Exception {
    signed = dir.resolve("signed.flstm");
    unsigned = dir.resolve("unsigned.flstm");
    Files.write(signed, GoldenModelFiles.read(GoldenModelFiles.SIGNED));
    Files.write(unsigned, GoldenModelFiles.read(GoldenModelFiles.UNSIGNED));
    goldenKey = dir.resolve("golden.pub.pem");
    Files.write(goldenKey, GoldenModelFiles.read(GoldenModelFiles.PUBLIC_KEY));
    otherKey = dir.resolve("other.pub.pem");
    ModelKeys.writePublicKey(otherKey, ModelKeys.generate().getPublic(), false);
  }

  @Test
  void aValidSignatureExitsZeroWithOneLine() throws Exception {
    CliRun run = CliRun.run("model", "verify", "--model", signed, "--public-key", goldenKey);

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.outLines())
        .containsExactly(
            "valid: "
                + signed
                + " (golden-pump version 3) is signed by "
                + ModelKeys.fingerprint(ModelKeys.readPublicKey(goldenKey)));
  }

  @Test
  void anyOfSeveralKeysWillDo() {
    CliRun run =
        CliRun.run(
            "model",
            "verify",
            "--model",
            signed,
            "--public-key",
            otherKey,
            "--public-key",
            goldenKey);

    assertThat(run.exitCode()).isZero();
  }

  @Test
  void anUnsignedFileFails() throws Exception {
    CliRun run = CliRun.run("model", "verify", "--model", unsigned, "--public-key", goldenKey);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines())
        .containsExactly(
            "flink-lstm: "
                + unsigned
                + ": model file is not signed, but a signature by the public key "
                + ModelKeys.fingerprint(ModelKeys.readPublicKey(goldenKey))
                + " is required");
  }

  @Test
  void aSignatureByAnotherKeyFails() throws Exception {
    CliRun run = CliRun.run("model", "verify", "--model", signed, "--public-key", otherKey);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines())
        .containsExactly(
            "flink-lstm: "
                + signed
                + ": model file signature does not verify with the public key "
                + ModelKeys.fingerprint(ModelKeys.readPublicKey(otherKey)));
  }

  @Test
  void aCorruptFileFailsWithTheReason() throws Exception {
    byte[] bytes = Files.readAllBytes(signed);
    Files.write(signed, java.util.Arrays.copyOf(bytes, bytes.length + 1));

    CliRun run = CliRun.run("model", "verify", "--model", signed, "--public-key", goldenKey);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines())
        .singleElement()
        .asString()
        .startsWith("flink-lstm: " + signed + ": model file has 1 trailing bytes");
  }

  @Test
  void aPublicKeyIsRequired() {
    CliRun run = CliRun.run("model", "verify", "--model", signed);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines().get(0)).contains("Missing required option: '--public-key=FILE'");
  }

  @Test
  void helpDescribesEveryOption() {
    CliRun run = CliRun.run("model", "verify", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--model=FILE", "--public-key=FILE", "Exits 0");
  }
}
