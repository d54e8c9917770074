package io.flinklstm.model.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinklstm.model.LstmModel;
import io.flinklstm.model.TestModels;
import io.flinklstm.model.format.ModelFile.ReadOptions;
import io.flinklstm.model.format.ModelFileSummary.SignatureStatus;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ed25519 signatures: made over everything up to the digest, checked as {@link ReadOptions} say.
 */
class ModelFileSignatureTest {
  private static final KeyPair KEY = ModelKeys.generate();
  private static final KeyPair OTHER = ModelKeys.generate();

  private final LstmModel model = TestModels.twoLayer();
  private final byte[] unsigned = ModelFile.write(model);
  private final byte[] signed = ModelFile.write(model, KEY.getPrivate());

  @Test
  void aSignedFileVerifiesAndRoundTripsWhenReSignedWithTheSameKey() throws Exception {
    LstmModel read = ModelFile.read(signed, ReadOptions.requireSignature(List.of(KEY.getPublic())));

    assertThat(ModelFile.write(read, KEY.getPrivate())).isEqualTo(signed);
    assertThat(ModelFile.write(read)).isEqualTo(unsigned);
  }

  @Test
  void signingKeepsEverythingUpToTheDigest() {
    assertThat(signed).hasSize(unsigned.length + 64);
    assertThat(Arrays.copyOf(signed, unsigned.length - 4))
        .isEqualTo(Arrays.copyOf(unsigned, unsigned.length - 4));
  }

  @Test
  void signingAnExistingFileEqualsWritingItSigned() throws Exception {
    assertThat(ModelFile.sign(unsigned, KEY.getPrivate())).isEqualTo(signed);
    assertThat(ModelFile.sign(ModelFile.write(model, OTHER.getPrivate()), KEY.getPrivate()))
        .isEqualTo(signed);
  }

  @Test
  void signingRefusesAnInvalidFile() {
    byte[] corrupt = unsigned.clone();
    corrupt[100] ^= 1;

    assertThatThrownBy(() -> ModelFile.sign(corrupt, KEY.getPrivate()))
        .isInstanceOf(ModelFileException.class);
  }

  @Test
  void aRequiredSignatureThatIsMissingIsRefused() {
    assertThatThrownBy(
            () -> ModelFile.read(unsigned, ReadOptions.requireSignature(List.of(KEY.getPublic()))))
        .isInstanceOf(ModelFileException.class)
        .hasMessage(
            "model file is not signed, but a signature by the public key "
                + ModelKeys.fingerprint(KEY.getPublic())
                + " is required");
  }

  @Test
  void aSignatureByAnotherKeyIsRefused() {
    assertThatThrownBy(
            () -> ModelFile.read(signed, ReadOptions.requireSignature(List.of(OTHER.getPublic()))))
        .isInstanceOf(ModelFileException.class)
        .hasMessage(
            "model file signature does not verify with the public key "
                + ModelKeys.fingerprint(OTHER.getPublic()));
  }

  @Test
  void anyOfSeveralTrustedKeysWillDo() throws Exception {
    ReadOptions both = ReadOptions.requireSignature(List.of(OTHER.getPublic(), KEY.getPublic()));

    assertThat(ModelFile.read(signed, both).info()).isEqualTo(model.info());
  }

  @Test
  void aCheckableSignatureThatIsBadIsRefusedEvenWhenNotRequired() {
    assertThatThrownBy(
            () -> ModelFile.read(signed, ReadOptions.verifyIfSigned(List.of(OTHER.getPublic()))))
        .isInstanceOf(ModelFileException.class)
        .hasMessageStartingWith("model file signature does not verify");
  }

  @Test
  void unsignedFilesPassWhenASignatureIsNotRequired() throws Exception {
    assertThat(ModelFile.read(unsigned, ReadOptions.verifyIfSigned(List.of(KEY.getPublic()))))
        .isNotNull();
  }

  @Test
  void aTamperedSignatureIsInvalid() throws Exception {
    byte[] tampered = signed.clone();
    tampered[tampered.length - 1] ^= 1;

    assertThatThrownBy(
            () -> ModelFile.read(tampered, ReadOptions.requireSignature(List.of(KEY.getPublic()))))
        .hasMessageStartingWith("model file signature does not verify");
    assertThat(ModelFile.inspect(tampered, List.of(KEY.getPublic())).signature())
        .isEqualTo(SignatureStatus.INVALID);
  }

  @Test
  void inspectReportsEveryStatus() throws Exception {
    ModelFileSummary valid = ModelFile.inspect(signed, List.of(OTHER.getPublic(), KEY.getPublic()));
    assertThat(valid.signature()).isEqualTo(SignatureStatus.VALID);
    assertThat(valid.signerFingerprint()).isEqualTo(ModelKeys.fingerprint(KEY.getPublic()));
    assertThat(ModelFile.inspect(signed, List.of(OTHER.getPublic())).signature())
        .isEqualTo(SignatureStatus.INVALID);
    assertThat(ModelFile.inspect(signed, List.of()).signature())
        .isEqualTo(SignatureStatus.UNVERIFIED);
    assertThat(ModelFile.inspect(unsigned, List.of(KEY.getPublic())).signature())
        .isEqualTo(SignatureStatus.ABSENT);
  }

  @Test
  void onlyEd25519KeysAreAccepted() throws Exception {
    KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();

    assertThatThrownBy(() -> ModelFile.write(model, rsa.getPrivate()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model files are signed with Ed25519 keys, this is a RSA key");
    assertThatThrownBy(() -> ReadOptions.requireSignature(List.of(rsa.getPublic())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReadOptions.requireSignature(List.of()))
        .hasMessage("a required signature needs at least one public key");
  }
}
