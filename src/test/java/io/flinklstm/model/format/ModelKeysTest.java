package io.flinklstm.model.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ed25519 keys as PEM files, and the errors for the wrong file. */
class ModelKeysTest {
  @TempDir Path dir;

  private final KeyPair pair = ModelKeys.generate();

  @Test
  void keysRoundTripThroughPemFiles() throws Exception {
    Path priv = dir.resolve("k.pem");
    Path pub = dir.resolve("k.pub.pem");
    ModelKeys.writePrivateKey(priv, pair.getPrivate(), false);
    ModelKeys.writePublicKey(pub, pair.getPublic(), false);

    assertThat(ModelKeys.readPrivateKey(priv).getEncoded())
        .isEqualTo(pair.getPrivate().getEncoded());
    assertThat(ModelKeys.readPublicKey(pub)).isEqualTo(pair.getPublic());
    assertThat(Files.readString(priv)).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(Files.readString(pub))
        .startsWith("-----BEGIN PUBLIC KEY-----\n")
        .endsWith("-----END PUBLIC KEY-----\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)))
        .isEqualTo("rw-------");
  }

  @Test
  void existingFilesAreKeptUnlessOverwriteIsAsked() throws Exception {
    Path priv = dir.resolve("k.pem");
    Files.writeString(priv, "keep me");

    assertThatThrownBy(() -> ModelKeys.writePrivateKey(priv, pair.getPrivate(), false))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(priv)).isEqualTo("keep me");

    ModelKeys.writePrivateKey(priv, pair.getPrivate(), true);
    assertThat(ModelKeys.readPrivateKey(priv).getEncoded())
        .isEqualTo(pair.getPrivate().getEncoded());
  }

  @Test
  void theWrongKindOfFileIsNamed() throws Exception {
    String privatePem = ModelKeys.toPem(pair.getPrivate());

    assertThatThrownBy(() -> ModelKeys.parsePublicKey(privatePem, "k.pem"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("k.pem holds a PEM 'PRIVATE KEY', expected 'PUBLIC KEY'");
    assertThatThrownBy(() -> ModelKeys.parsePrivateKey("hello", "notes.txt"))
        .hasMessage("notes.txt is not a PEM file (no '-----BEGIN PRIVATE KEY-----' line)");
    assertThatThrownBy(
            () -> ModelKeys.parsePublicKey("-----BEGIN PUBLIC KEY-----\nAAAA\n", "cut.pem"))
        .hasMessage("cut.pem has no '-----END PUBLIC KEY-----' line");
    assertThatThrownBy(
            () ->
                ModelKeys.parsePublicKey(
                    "-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n", "bad.pem"))
        .hasMessageStartingWith("bad.pem: the PEM body is not valid base64");
  }

  @Test
  void anRsaKeyIsNotAnEd25519Key() throws Exception {
    KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(rsa.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";

    assertThatThrownBy(() -> ModelKeys.parsePublicKey(pem, "rsa.pem"))
        .hasMessageStartingWith("rsa.pem does not hold an Ed25519 public key");
  }

  @Test
  void aSeedFixesTheKeyPairAndThePublicHalfCanBeDerived() {
    byte[] seed = new byte[32];
    seed[0] = 7;

    KeyPair a = ModelKeys.fromSeed(seed);
    KeyPair b = ModelKeys.fromSeed(seed);

    assertThat(a.getPublic()).isEqualTo(b.getPublic());
    assertThat(ModelKeys.publicKeyOf(pair.getPrivate())).isEqualTo(pair.getPublic());
    assertThat(ModelKeys.fingerprint(pair.getPublic())).matches("ed25519:[0-9a-f]{16}");
  }
}
