package io.flinklstm.model.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flinklstm.model.SequenceModel;
import io.flinklstm.testutil.FuzzContract;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the model file reader: {@link ModelFile#inspect} (every check, the
 * signature against the golden key) and {@link ModelFile#read} (a numeric model, a signature that
 * is present must verify), as {@code model inspect}, the job's models topic and the importers use
 * them.
 *
 * <p>Each input is read twice: as it is, and with its last 36 bytes replaced by the SHA-256 of the
 * bytes before them and an empty signature trailer. Without the second reading nearly every
 * mutation would stop at the digest, leaving the tensor table, the values and the model's
 * construction unfuzzed; an unsigned golden file is the same file either way.
 *
 * <p>The contract: a {@link ModelFileException} is the refusal; any other exception or error is a
 * finding, and so is a reading allocating beyond {@link FuzzContract}'s bound or taking longer than
 * the timeout. A file that reads must give a model that writes, reads back and writes the same
 * bytes again, and that reads back from a file signed with the golden key when a signature is
 * required.
 *
 * <p>The committed inputs, in {@code ModelFileFuzzTestInputs/read/}, are the golden model files of
 * {@code src/test/resources/golden/} (format versions 1 to 3, unsigned and signed), copied byte for
 * byte.
 */
class ModelFileFuzzTest {
  private static final int TRAILER = ModelFile.DIGEST_BYTES + 4;
  private static final KeyPair KEY = GoldenModelFiles.signingKey();
  private static final List<PublicKey> KEYS = List.of(KEY.getPublic());
  private static final ModelFile.ReadOptions IF_SIGNED = ModelFile.ReadOptions.verifyIfSigned(KEYS);
  private static final FuzzContract CONTRACT = new FuzzContract("ModelFileFuzzTest.read");

  @FuzzTest
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void read(byte[] file) throws Exception {
    boolean accepted = readsOrRefuses(file);
    if (file.length >= TRAILER) {
      accepted |= readsOrRefuses(withDigest(Arrays.copyOf(file, file.length - TRAILER)));
    }
    CONTRACT.count(accepted);
  }

  private static boolean readsOrRefuses(byte[] file) throws Exception {
    ModelFileSummary[] summary = new ModelFileSummary[1];
    boolean accepted =
        CONTRACT.within(
            file.length,
            () -> {
              try {
                summary[0] = ModelFile.inspect(file, KEYS);
              } catch (ModelFileException refused) {
                return false;
              }
              try {
                ModelFile.read(file, IF_SIGNED);
              } catch (ModelFileException refused) {
                // A categorical model or a signature that does not verify; inspect reports both.
              }
              return true;
            });
    if (accepted) {
      writesWhatItReads(file, summary[0]);
    }
    return accepted;
  }

  private static void writesWhatItReads(byte[] file, ModelFileSummary summary) throws Exception {
    assertThat(summary.formatVersion()).isBetween(1, ModelFile.LATEST_FORMAT_VERSION);
    assertThat(summary.sizeBytes()).isEqualTo(file.length);
    byte[] written = ModelFile.write(summary.model());
    SequenceModel back = ModelFile.readAny(written, ModelFile.ReadOptions.acceptUnsigned());
    assertThat(ModelFile.write(back)).isEqualTo(written);
    byte[] signed = ModelFile.sign(file, KEY.getPrivate());
    SequenceModel trusted = ModelFile.readAny(signed, ModelFile.ReadOptions.requireSignature(KEYS));
    assertThat(ModelFile.write(trusted)).isEqualTo(written);
  }

  /** The bytes up to a digest, then the digest of them and an empty signature trailer. */
  static byte[] withDigest(byte[] content) {
    MessageDigest sha256 = ModelKeys.sha256();
    sha256.update(content);
    return ByteBuffer.allocate(content.length + TRAILER)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put(content)
        .put(sha256.digest())
        .putInt(0)
        .array();
  }

  @AfterAll
  static void report() {
    CONTRACT.report();
  }
}
