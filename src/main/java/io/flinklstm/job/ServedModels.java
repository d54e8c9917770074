package io.flinklstm.job;

import io.flinklstm.model.SequenceModel;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.model.format.ModelFileException;
import io.flinklstm.wire.InvalidInputException;
import io.flinklstm.wire.RejectReason;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The models one subtask serves, numeric and categorical alike (decoded with {@link
 * ModelFile#readAny}). The accepted model files live in broadcast state (name → file bytes), so
 * they are checkpointed and restored with the job; each subtask decodes a file once and keeps the
 * result, and decodes lazily after a restore.
 *
 * <p>An update is accepted only when its file passes every check of {@link ModelFile} (format,
 * digest, shapes, finite values, and a trusted signature when keys are configured), its record key
 * matches the model's name, and its version is newer than the one served. Versions therefore only
 * move forward on every subtask, whatever order updates arrive in.
 */
final class ServedModels {
  static final MapStateDescriptor<String, byte[]> DESCRIPTOR =
      new MapStateDescriptor<>(
          "models", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

  private final ModelFile.ReadOptions readOptions;
  private final Map<String, ServedModel> decoded = new HashMap<>();

  ServedModels(List<byte[]> trustedKeys) {
    this.readOptions =
        trustedKeys.isEmpty()
            ? ModelFile.ReadOptions.acceptUnsigned()
            : ModelFile.ReadOptions.requireSignature(decodeKeys(trustedKeys));
  }

  /** The served model of that name, or null when none was accepted. */
  ServedModel get(String name, ReadOnlyBroadcastState<String, byte[]> state) throws Exception {
    ServedModel served = decoded.get(name);
    if (served == null) {
      byte[] file = state.get(name);
      if (file == null) {
        return null;
      }
      // Accepted before a restore: it passed validation then, so a failure now is corruption.
      served = new ServedModel(ModelFile.readAny(file, readOptions));
      decoded.put(name, served);
    }
    return served;
  }

  /**
   * Validates an update and, if it is acceptable, makes it the served version of its name.
   *
   * @throws InvalidInputException with {@link RejectReason#BAD_MODEL} or {@link
   *     RejectReason#STALE_MODEL}
   */
  ServedModel accept(byte[] recordKey, byte[] file, BroadcastState<String, byte[]> state)
      throws Exception {
    if (file == null) {
      throw new InvalidInputException(RejectReason.BAD_MODEL, "the model record has no value");
    }
    SequenceModel model;
    try {
      model = ModelFile.readAny(file, readOptions);
    } catch (ModelFileException | IllegalArgumentException | ArithmeticException e) {
      throw new InvalidInputException(RejectReason.BAD_MODEL, "model refused: " + e.getMessage());
    }
    String name = model.info().name();
    if (recordKey != null && !name.equals(new String(recordKey, StandardCharsets.UTF_8))) {
      throw new InvalidInputException(
          RejectReason.BAD_MODEL,
          "the record key '"
              + new String(recordKey, StandardCharsets.UTF_8)
              + "' differs from the model's name '"
              + name
              + "'");
    }
    ServedModel current = get(name, state);
    if (current != null && model.info().version() <= current.version()) {
      throw new InvalidInputException(
          RejectReason.STALE_MODEL,
          "model '"
              + name
              + "' version "
              + model.info().version()
              + " is not newer than the served version "
              + current.version());
    }
    ServedModel served = new ServedModel(model);
    state.put(name, file);
    decoded.put(name, served);
    return served;
  }

  private static List<PublicKey> decodeKeys(List<byte[]> encoded) {
    List<PublicKey> keys = new ArrayList<>();
    try {
      KeyFactory factory = KeyFactory.getInstance("Ed25519");
      for (byte[] k : encoded) {
        keys.add(factory.generatePublic(new X509EncodedKeySpec(k)));
      }
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException("a trusted model key is not an Ed25519 public key", e);
    }
    return keys;
  }
}
