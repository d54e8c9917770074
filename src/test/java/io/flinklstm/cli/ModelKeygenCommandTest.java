package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.model.format.ModelKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelKeygenCommandTest {
  @TempDir Path dir;

  @Test
  void writesAKeyPairAndPrintsItsFingerprint() throws Exception {
    Path priv = dir.resolve("signing.pem");
    Path pub = dir.resolve("signing.pub.pem");

    CliRun run = CliRun.run("model", "keygen", "--out-private", priv, "--out-public", pub);

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    String fingerprint = ModelKeys.fingerprint(ModelKeys.readPublicKey(pub));
    assertThat(run.outLines())
        .containsExactly(
            "private key: " + priv, "public key: " + pub, "fingerprint: " + fingerprint);
    assertThat(ModelKeys.publicKeyOf(ModelKeys.readPrivateKey(priv)))
        .isEqualTo(ModelKeys.readPublicKey(pub));
  }

  @Test
  void refusesToOverwriteWithoutForce() throws Exception {
    Path priv = dir.resolve("signing.pem");
    Path pub = dir.resolve("signing.pub.pem");
    Files.writeString(pub, "precious");

    CliRun run = CliRun.run("model", "keygen", "--out-private", priv, "--out-public", pub);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines())
        .containsExactly("flink-lstm: " + pub + ": already exists; use --force to overwrite it");
    assertThat(Files.readString(pub)).isEqualTo("precious");
    assertThat(priv).doesNotExist();
  }

  @Test
  void forceOverwrites() throws Exception {
    Path priv = dir.resolve("signing.pem");
    Path pub = dir.resolve("signing.pub.pem");
    Files.writeString(priv, "old");
    Files.writeString(pub, "old");

    CliRun run =
        CliRun.run("model", "keygen", "--out-private", priv, "--out-public", pub, "--force");

    assertThat(run.exitCode()).isZero();
    assertThat(ModelKeys.readPublicKey(pub)).isNotNull();
    assertThat(ModelKeys.readPrivateKey(priv)).isNotNull();
  }

  @Test
  void oneFileForBothKeysIsRefused() {
    Path same = dir.resolve("k.pem");

    CliRun run = CliRun.run("model", "keygen", "--out-private", same, "--out-public", same);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines())
        .containsExactly("flink-lstm: --out-private and --out-public must be different files");
  }

  @Test
  void missingOptionsAreACommandLineError() {
    CliRun run = CliRun.run("model", "keygen", "--out-private", dir.resolve("k.pem"));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines().get(0))
        .isEqualTo("flink-lstm: Missing required option: '--out-public=FILE'");
  }

  @Test
  void helpDescribesEveryOption() {
    CliRun run = CliRun.run("model", "keygen", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("Usage: flink-lstm model keygen")
        .contains("--out-private=FILE", "Where to write the private key")
        .contains("--out-public=FILE", "--force", "Overwrite the output files");
  }
}
