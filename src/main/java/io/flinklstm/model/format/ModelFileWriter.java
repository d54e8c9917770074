package io.flinklstm.model.format;

import static io.flinklstm.model.format.ModelFile.DIGEST_BYTES;
import static io.flinklstm.model.format.ModelFile.PREAMBLE_BYTES;
import static io.flinklstm.model.format.ModelFile.SIGNATURE_BYTES;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.RecurrentLayer;
import io.flinklstm.model.SequenceModel;
import io.flinklstm.model.format.ModelFileSummary.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a model file as {@link ModelFile} documents it: format version 1 for a numeric LSTM model,
 * 2 for a categorical one.
 */
final class ModelFileWriter {
  private ModelFileWriter() {}

  /**
   * @param signingKey an Ed25519 private key, or null for an unsigned file
   */
  static byte[] write(SequenceModel model, PrivateKey signingKey) {
    ModelHeader header = ModelHeader.of(model);
    byte[] json = header.toJson();
    long tensorBytes = header.tensorBytes();
    long size =
        Math.addExact(
            Math.addExact(PREAMBLE_BYTES + (long) json.length, tensorBytes),
            DIGEST_BYTES + 4L + (signingKey == null ? 0 : SIGNATURE_BYTES));
    if (json.length > ModelFile.MAX_HEADER_BYTES || size > ModelFile.MAX_FILE_BYTES) {
      throw new IllegalArgumentException(
          "model too large for a model file: header "
              + json.length
              + " bytes (limit "
              + ModelFile.MAX_HEADER_BYTES
              + "), file "
              + size
              + " bytes (limit "
              + ModelFile.MAX_FILE_BYTES
              + ")");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    out.put(ModelFile.MAGIC);
    out.putInt(header.formatVersion());
    out.putInt(json.length);
    out.put(json);
    Map<String, float[]> values = flatTensors(model);
    for (Tensor t : header.tensors()) {
      for (float v : values.get(t.name())) {
        // Raw bits keep -0.0 as it is; a canonical NaN cannot occur, layers refuse NaN.
        out.putInt(Float.floatToRawIntBits(v));
      }
    }
    MessageDigest digest = ModelKeys.sha256();
    digest.update(out.array(), 0, out.position());
    out.put(digest.digest());
    if (signingKey == null) {
      out.putInt(0);
      return out.array();
    }
    return withSignature(out.array(), out.position(), signingKey);
  }

  /** Bytes [0, digestEnd) of {@code file} followed by a trailer signing them. */
  static byte[] withSignature(byte[] file, int digestEnd, PrivateKey signingKey) {
    byte[] signature = ModelKeys.sign(signingKey, file, digestEnd);
    ByteBuffer out =
        ByteBuffer.allocate(digestEnd + 4 + signature.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(file, 0, digestEnd);
    out.putInt(signature.length);
    out.put(signature);
    return out.array();
  }

  /** Every tensor's values, flat and row-major, in ifgo gate order, by tensor name. */
  static Map<String, float[]> flatTensors(SequenceModel model) {
    Map<String, float[]> out = new LinkedHashMap<>();
    List<? extends RecurrentLayer> layers;
    DenseLayer head;
    if (model instanceof LstmModel lstm) {
      out.put(ModelHeader.MEAN, lstm.normalizer().mean());
      out.put(ModelHeader.STD, lstm.normalizer().std());
      layers = lstm.layers();
      head = lstm.head();
    } else {
      CategoricalModel categorical = (CategoricalModel) model;
      out.put(ModelHeader.EMBEDDING, flatten(categorical.embedding().rows()));
      layers = categorical.layers();
      head = categorical.head();
    }
    for (int l = 0; l < layers.size(); l++) {
      RecurrentLayer layer = layers.get(l);
      out.put(ModelHeader.inputWeights(l), flatten(layer.inputWeights()));
      out.put(ModelHeader.recurrentWeights(l), flatten(layer.recurrentWeights()));
      out.put(ModelHeader.bias(l), layer.bias());
    }
    out.put(ModelHeader.HEAD_WEIGHTS, flatten(head.weights()));
    out.put(ModelHeader.HEAD_BIAS, head.bias());
    return out;
  }

  private static float[] flatten(float[][] rows) {
    int cols = rows[0].length;
    float[] out = new float[Math.multiplyExact(rows.length, cols)];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, out, r * cols, cols);
    }
    return out;
  }
}
