package io.flinklstm.model.format;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.SequenceModel;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ModelFile#inspect} found in a model file that passed every check except, possibly,
 * its signature: the decoded model, the header as stored, the tensor table, the digest and what the
 * signature is worth.
 *
 * <p>Inspection is for people and tools deciding whether to trust a file, so an invalid signature
 * is reported here ({@link SignatureStatus#INVALID}) rather than thrown; everything else that is
 * wrong with a file is still thrown by {@code inspect}, as by {@code read}.
 *
 * @param formatVersion the file's format version, 1 or 2
 * @param sizeBytes the length of the whole file
 * @param headerJson the JSON header exactly as stored
 * @param model the decoded model ({@link LstmModel} or {@link CategoricalModel}), weights already
 *     in gate order ifgo
 * @param gateOrder the gate order the file's tensors are stored in
 * @param tensors the tensor table in file order
 * @param sha256 the stored (and verified) SHA-256 digest, lower-case hex
 * @param signature what the signature trailer holds and whether it verified
 * @param signerFingerprint the {@link ModelKeys#fingerprint} of the key that verified the
 *     signature, or null unless {@code signature} is {@link SignatureStatus#VALID}
 */
public record ModelFileSummary(
    int formatVersion,
    long sizeBytes,
    String headerJson,
    SequenceModel model,
    GateOrder gateOrder,
    List<Tensor> tensors,
    String sha256,
    SignatureStatus signature,
    String signerFingerprint) {

  public ModelFileSummary {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(signature, "signature");
    tensors = List.copyOf(tensors);
    if ((signature == SignatureStatus.VALID) != (signerFingerprint != null)) {
      throw new IllegalArgumentException("a signer fingerprint goes with a valid signature only");
    }
  }

  /** One entry of the header's tensor table: its name and its shape, outermost dimension first. */
  public record Tensor(String name, List<Integer> shape) {
    public Tensor {
      Objects.requireNonNull(name, "name");
      shape = List.copyOf(shape);
    }

    /** The number of float32 values: the product of the dimensions. */
    public long elements() {
      long n = 1;
      for (int d : shape) {
        n = Math.multiplyExact(n, d);
      }
      return n;
    }

    @Override
    public String toString() {
      return name + " " + shape;
    }
  }

  /** What a file's signature trailer holds, as far as the keys at hand can tell. */
  public enum SignatureStatus {
    /** The trailer holds no signature. */
    ABSENT,
    /** The signature verifies with one of the given public keys. */
    VALID,
    /** There is a signature and public keys were given, but it verifies with none of them. */
    INVALID,
    /** There is a signature, but no public key was given to check it with. */
    UNVERIFIED
  }
}
