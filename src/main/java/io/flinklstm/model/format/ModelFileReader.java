package io.flinklstm.model.format;

import static io.flinklstm.model.format.ModelFile.DIGEST_BYTES;
import static io.flinklstm.model.format.ModelFile.MAGIC;
import static io.flinklstm.model.format.ModelFile.PREAMBLE_BYTES;
import static io.flinklstm.model.format.ModelFile.SIGNATURE_BYTES;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.CellType;
import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.Embedding;
import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.Normalizer;
import io.flinklstm.model.RecurrentLayer;
import io.flinklstm.model.RnnLayer;
import io.flinklstm.model.SequenceModel;
import io.flinklstm.model.format.ModelFileSummary.SignatureStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads format versions 1 and 2 in the stages {@link ModelFile} documents: {@link #layout}
 * (structure, header, section lengths, digest), {@link #checkSignature}, then {@link #decode}
 * (values). The stages are separate so that {@code read} can refuse an untrusted file before
 * decoding it and {@code inspect} can report a bad signature instead of failing.
 */
final class ModelFileReader {
  private ModelFileReader() {}

  /**
   * Where a structurally sound file's sections are.
   *
   * @param digestEnd the end of the digest: the bytes a signature covers
   * @param signature the signature, or null if the trailer holds none
   */
  record Layout(
      int formatVersion,
      ModelHeader header,
      int headerLength,
      int tensorsOffset,
      byte[] digest,
      int digestEnd,
      byte[] signature) {}

  /** What the signature trailer is worth. */
  record SignatureCheck(SignatureStatus status, String signer) {}

  static Layout layout(byte[] file) throws ModelFileException {
    checkMagic(file);
    requirePresent(file, "preamble (magic, format version, header length)", 0, PREAMBLE_BYTES);
    ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    long version = Integer.toUnsignedLong(in.getInt(8));
    if (version < 1 || version > ModelFile.LATEST_FORMAT_VERSION) {
      throw new ModelFileException(
          "unsupported model format version "
              + version
              + " (this build reads 1 to "
              + ModelFile.LATEST_FORMAT_VERSION
              + ")");
    }
    long headerLength = Integer.toUnsignedLong(in.getInt(12));
    if (headerLength == 0 || headerLength > ModelFile.MAX_HEADER_BYTES) {
      throw new ModelFileException(
          "header length "
              + headerLength
              + " at offset 12 is outside 1 .. "
              + ModelFile.MAX_HEADER_BYTES
              + " bytes");
    }
    requirePresent(file, "header", PREAMBLE_BYTES, headerLength);
    ModelHeader header =
        ModelHeaderParser.parse(file, PREAMBLE_BYTES, (int) headerLength, (int) version);
    int tensorsOffset = PREAMBLE_BYTES + (int) headerLength;
    long tensorBytes;
    try {
      tensorBytes = header.tensorBytes();
    } catch (ArithmeticException e) {
      throw new ModelFileException("header: the tensor table's sizes overflow");
    }
    requirePresent(file, "tensor data", tensorsOffset, tensorBytes);
    int digestOffset = tensorsOffset + (int) tensorBytes;
    requirePresent(file, "SHA-256 digest", digestOffset, DIGEST_BYTES);
    int digestEnd = digestOffset + DIGEST_BYTES;
    requirePresent(file, "signature length", digestEnd, 4);
    long signatureLength = Integer.toUnsignedLong(in.getInt(digestEnd));
    if (signatureLength != 0 && signatureLength != SIGNATURE_BYTES) {
      throw new ModelFileException(
          "signature length at offset "
              + digestEnd
              + " is "
              + signatureLength
              + ", format version "
              + version
              + " allows 0 (unsigned) or "
              + SIGNATURE_BYTES);
    }
    int signatureOffset = digestEnd + 4;
    requirePresent(file, "Ed25519 signature", signatureOffset, signatureLength);
    long end = signatureOffset + signatureLength;
    if (file.length > end) {
      throw new ModelFileException(
          "model file has "
              + (file.length - end)
              + " trailing bytes after its end at offset "
              + end
              + " (the file is "
              + file.length
              + " bytes)");
    }
    byte[] stored = Arrays.copyOfRange(file, digestOffset, digestEnd);
    byte[] actual = sha256(file, digestOffset);
    if (!MessageDigest.isEqual(stored, actual)) {
      throw new ModelFileException(
          "model file digest mismatch: stored SHA-256 "
              + hex(stored)
              + " but the content hashes to "
              + hex(actual)
              + "; the file is corrupt");
    }
    byte[] signature =
        signatureLength == 0 ? null : Arrays.copyOfRange(file, signatureOffset, (int) end);
    return new Layout(
        (int) version, header, (int) headerLength, tensorsOffset, stored, digestEnd, signature);
  }

  static SignatureCheck checkSignature(byte[] file, Layout layout, List<PublicKey> keys) {
    if (layout.signature() == null) {
      return new SignatureCheck(SignatureStatus.ABSENT, null);
    }
    if (keys.isEmpty()) {
      return new SignatureCheck(SignatureStatus.UNVERIFIED, null);
    }
    for (PublicKey key : keys) {
      if (ModelKeys.verify(key, file, layout.digestEnd(), layout.signature())) {
        return new SignatureCheck(SignatureStatus.VALID, ModelKeys.fingerprint(key));
      }
    }
    return new SignatureCheck(SignatureStatus.INVALID, null);
  }

  static void enforce(SignatureCheck check, ModelFile.ReadOptions options)
      throws ModelFileException {
    int keys = options.trustedKeys().size();
    if (check.status() == SignatureStatus.INVALID) {
      throw new ModelFileException(
          "model file signature does not verify with "
              + (keys == 1 ? "the public key " : "any of the " + keys + " public keys ")
              + fingerprints(options.trustedKeys()));
    }
    if (options.signatureRequired() && check.status() != SignatureStatus.VALID) {
      throw new ModelFileException(
          "model file is not signed, but a signature by "
              + (keys == 1 ? "the public key " : "one of the public keys ")
              + fingerprints(options.trustedKeys())
              + " is required");
    }
  }

  /**
   * The model, its values checked: finite, standard deviations positive, gates into ifgo; an {@link
   * LstmModel} or a {@link CategoricalModel} as the header says.
   */
  static SequenceModel decode(byte[] file, Layout layout) throws ModelFileException {
    ModelHeader header = layout.header();
    TensorValues values = TensorValues.decode(file, layout.tensorsOffset(), header.tensors());
    try {
      GateOrder order = header.gateOrder();
      List<RecurrentLayer> layers = new ArrayList<>();
      for (int l = 0; l < header.layers().size(); l++) {
        ModelHeader.LayerSpec spec = header.layers().get(l);
        float[][] wx = values.matrix(ModelHeader.inputWeights(l));
        float[][] wh = values.matrix(ModelHeader.recurrentWeights(l));
        float[] b = values.vector(ModelHeader.bias(l));
        layers.add(
            spec.cell() == CellType.LSTM
                ? new LstmLayer(
                    order.toIfgo(wx),
                    order.toIfgo(wh),
                    order.toIfgo(b),
                    spec.activation(),
                    spec.recurrentActivation())
                : new RnnLayer(wx, wh, b, spec.activation()));
      }
      DenseLayer head =
          new DenseLayer(
              values.matrix(ModelHeader.HEAD_WEIGHTS), values.vector(ModelHeader.HEAD_BIAS));
      if (header.categorical()) {
        return new CategoricalModel(
            header.info(),
            header.vocabulary(),
            new Embedding(values.matrix(ModelHeader.EMBEDDING)),
            layers,
            head);
      }
      List<LstmLayer> lstm = new ArrayList<>();
      layers.forEach(layer -> lstm.add((LstmLayer) layer));
      return new LstmModel(
          header.info(), normalizer(values), header.scaling(), header.time(), lstm, head);
    } catch (IllegalArgumentException e) {
      // The header and the values were checked above, so this is a gap in those checks.
      throw new ModelFileException("model file does not make a valid model: " + e.getMessage(), e);
    }
  }

  private static Normalizer normalizer(TensorValues values) throws ModelFileException {
    float[] std = values.vector(ModelHeader.STD);
    for (int i = 0; i < std.length; i++) {
      if (!(std[i] > 0f)) {
        throw new ModelFileException(
            "tensor "
                + ModelHeader.STD
                + " holds "
                + std[i]
                + " at ["
                + i
                + "]; standard deviations must be positive");
      }
    }
    return new Normalizer(values.vector(ModelHeader.MEAN), std);
  }

  private static void checkMagic(byte[] file) throws ModelFileException {
    int n = Math.min(file.length, MAGIC.length);
    if (!Arrays.equals(file, 0, n, MAGIC, 0, n)) {
      throw new ModelFileException(
          "not a flink-lstm model file: it starts with "
              + hexBytes(file, n)
              + ", expected the magic "
              + hexBytes(MAGIC, MAGIC.length));
    }
  }

  /** Refuses a file that ends before [offset, offset + length) is complete. */
  private static void requirePresent(byte[] file, String section, long offset, long length)
      throws ModelFileException {
    long present = Math.max(0, Math.min(length, file.length - offset));
    if (present < length) {
      throw new ModelFileException(
          "model file is truncated in the "
              + section
              + ": expected "
              + length
              + " bytes from offset "
              + offset
              + ", only "
              + present
              + " present (the file is "
              + file.length
              + " bytes, at least "
              + (offset + length)
              + " expected)");
    }
  }

  private static byte[] sha256(byte[] file, int length) {
    MessageDigest digest = ModelKeys.sha256();
    digest.update(file, 0, length);
    return digest.digest();
  }

  private static String fingerprints(List<PublicKey> keys) {
    StringBuilder s = new StringBuilder();
    for (PublicKey key : keys) {
      s.append(s.length() == 0 ? "" : ", ").append(ModelKeys.fingerprint(key));
    }
    return s.toString();
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static String hexBytes(byte[] bytes, int n) {
    return n == 0 ? "nothing" : HexFormat.ofDelimiter(" ").formatHex(bytes, 0, n);
  }
}
