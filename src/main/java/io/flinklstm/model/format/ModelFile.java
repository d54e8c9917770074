package io.flinklstm.model.format;

import io.flinklstm.model.Activation;
import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.InputScaling;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.SequenceModel;
import io.flinklstm.model.TimeFeatures;
import io.flinklstm.model.format.ModelFileSummary.SignatureStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Collection;
import java.util.List;

/**
 * The model file: how a model ({@link LstmModel} or {@link CategoricalModel}) is stored on disk and
 * published on the models topic.
 *
 * <h2>Format version 1</h2>
 *
 * All integers are unsigned 32-bit little-endian ("u32"); offsets are from the start of the file.
 *
 * <pre>
 * offset         size  content
 * 0              8     magic 89 46 4C 53 54 4D 0D 0A  (0x89 "FLSTM" CR LF)
 * 8              4     u32 format version, 1, 2 or 3
 * 12             4     u32 header length N, 1 .. 16 MiB
 * 16             N     header: one UTF-8 JSON object, below
 * 16+N           T     tensors: IEEE-754 float32 little-endian, row-major, concatenated in the
 *                      order of the header's tensor table; T = 4 × the sum of their sizes
 * 16+N+T         32    SHA-256 of bytes [0, 16+N+T)
 * 48+N+T         4     u32 signature length S, 0 (unsigned) or 64
 * 52+N+T         S     Ed25519 signature (RFC 8032) of bytes [0, 48+N+T): everything up to and
 *                      including the digest
 * 52+N+T+S             end of file; any byte after it is an error
 * </pre>
 *
 * <p>The header, with the writer's exact field order and no whitespace (shown spread out here):
 *
 * <pre>{@code
 * {"name": "pump-7", "version": 3, "created": "2024-05-01T12:00:00Z", "parentVersion": 2,
 *  "architecture": {"inputSize": D,
 *                   "layers": [{"type": "lstm", "hiddenSize": H, "activation": "tanh",
 *                               "recurrentActivation": "sigmoid"}, ...],
 *                   "head": {"type": "dense", "outputSize": D}},
 *  "gateOrder": "ifgo",
 *  "metrics": {"val_loss": 0.0123, ...},
 *  "tensors": [{"name": "normalization.mean", "shape": [D]}, ...]}
 * }</pre>
 *
 * <ul>
 *   <li>{@code version} ≥ 1; {@code parentVersion} is 0 for none, else below {@code version};
 *       {@code created} is an ISO-8601 instant as {@link java.time.Instant#toString} writes it.
 *   <li>Activations are {@link Activation#id()}s. {@code metrics} keeps the order of {@link
 *       ModelInfo#metrics()}; values are finite JSON numbers.
 *   <li>{@code gateOrder} is a permutation of the letters i, f, g, o naming the order of the four
 *       H-wide column blocks in each layer's weights and bias. The writer writes {@code ifgo}; the
 *       reader accepts any permutation and moves the blocks with {@link GateOrder#toIfgo}.
 *   <li>The tensor table lists exactly these tensors, layer by layer with l from 0, with H_l the
 *       layer's hidden size and D_l its input size (D, then H_{l-1}): {@code normalization.mean
 *       [D]}, {@code normalization.std [D]}, {@code layers.l.input_weights [D_l, 4·H_l]}, {@code
 *       layers.l.recurrent_weights [H_l, 4·H_l]}, {@code layers.l.bias [4·H_l]}, {@code
 *       head.weights [H_last, D]}, {@code head.bias [D]}. The writer lists them in that order.
 *   <li>Unknown header fields, unknown or missing tensors and other activation or layer types are
 *       refused: a format that needs them is format version 2.
 * </ul>
 *
 * <h2>Format version 2</h2>
 *
 * The same layout with format version 2, for models format 1 cannot express: categorical models
 * (symbols in, a softmax over the vocabulary out) and vanilla RNN layers. The header:
 *
 * <pre>{@code
 * {"name": ..., "version": ..., "created": ..., "parentVersion": ...,
 *  "architecture": {"input": {"type": "symbols", "vocabularySize": V, "embeddingSize": E},
 *                   "layers": [{"type": "rnn", "hiddenSize": H, "activation": "tanh"},
 *                              {"type": "lstm", "hiddenSize": H, "activation": "tanh",
 *                               "recurrentActivation": "sigmoid"}, ...],
 *                   "head": {"type": "softmax", "outputSize": V}},
 *  "gateOrder": "ifgo",
 *  "vocabulary": {"unknown": "<unk>", "symbols": ["<unk>", "open", "read", ...]},
 *  "metrics": {...},
 *  "tensors": [{"name": "input.embedding", "shape": [V, E]}, ...]}
 * }</pre>
 *
 * <ul>
 *   <li>{@code architecture.input} is {@code {"type": "symbols", "vocabularySize": V,
 *       "embeddingSize": E}} with a {@code softmax} head of V outputs and a {@code vocabulary}, or
 *       {@code {"type": "numeric", "size": D}} with a {@code dense} head of D outputs, LSTM layers
 *       only and no vocabulary (the writer writes such models as format 1).
 *   <li>A layer's {@code type} is {@code lstm} (fields as in format 1) or {@code rnn}, which has no
 *       {@code recurrentActivation}. Its tensors have B·H columns, B = 4 for an LSTM layer (in
 *       {@code gateOrder}) and 1 for an RNN layer.
 *   <li>{@code vocabulary.symbols} lists exactly V distinct non-empty strings, the position being
 *       the id; {@code vocabulary.unknown} names the entry every symbol outside the list maps to,
 *       and must be one of them.
 *   <li>The tensor table: {@code input.embedding [V, E]} in place of the normalisation tensors,
 *       then the layers and the head as in format 1 ({@code head.weights [H_last, V]}, {@code
 *       head.bias [V]}).
 * </ul>
 *
 * <h2>Format version 3</h2>
 *
 * Format version 2 with one addition, for numeric models whose values are scaled per key before
 * they reach the model ({@link InputScaling}): a numeric {@code architecture.input} must hold
 * {@code "scaling"}, either {@code {"type": "none"}} or
 *
 * <pre>{@code
 * {"type": "numeric", "size": D,
 *  "scaling": {"type": "per-key", "learnEvents": 500, "adaptEvents": 5000, "clip": 10.0}}
 * }</pre>
 *
 * ({@code learnEvents} at least 2, {@code adaptEvents} at least 0, {@code clip} a positive number).
 * The writer writes numeric models with per-key scaling as format 3, so a build that does not know
 * the scaling refuses them by their version rather than scoring unscaled values; numeric models
 * without it stay format 1, categorical ones format 2.
 *
 * <h2>Format version 4</h2>
 *
 * Format version 3 with one addition, for numeric models whose steps take time inputs after their
 * values ({@link TimeFeatures}): a numeric {@code architecture.input} must hold {@code "time"} as
 * well as {@code "scaling"},
 *
 * <pre>{@code
 * {"type": "numeric", "size": D, "scaling": {...},
 *  "time": {"features": ["day", "week"], "zone": "UTC"}}
 * }</pre>
 *
 * ({@code features} lists distinct periods, {@code day} or {@code week}, each adding two inputs;
 * {@code zone} is a time-zone id such as {@code UTC} or {@code Europe/Paris}). The first layer's
 * {@code input_weights} then have D + 2·(number of periods) rows; the normalisation tensors and the
 * head keep D. The writer writes numeric models with time inputs as format 4, so a build that does
 * not know them refuses such a model by its version rather than feeding it values alone.
 *
 * <h2>Reading</h2>
 *
 * The reader checks, in order, and refuses with a {@link ModelFileException} naming the problem:
 * the magic; the format version ("unsupported model format version N (this build reads 1 to 4)");
 * the header length against the limit and the file; the header JSON and its fields; every tensor
 * shape against the architecture; the length of every section (truncation, with bytes expected and
 * present) and trailing bytes; the digest; the signature, against {@link ReadOptions}; and finally
 * the values (no NaN or infinity, standard deviations positive). The header is parsed before the
 * digest is checked because it says where the digest is; its size is capped so that a hostile file
 * cannot make that step expensive. Sizes are computed with overflow checks and compared with the
 * bytes actually present before anything is allocated, so memory stays a small multiple of the
 * file's own size, whatever the header claims.
 *
 * <p>Writing is deterministic, so a file this class wrote reads back to a model that writes the
 * same bytes; Ed25519 signatures are deterministic too, so that holds for signed files re-signed
 * with the same key.
 */
public final class ModelFile {
  /** The format version numeric LSTM models are written in. */
  public static final int FORMAT_VERSION = 1;

  /** The format version categorical models (and RNN layers) are written in. */
  public static final int CATEGORICAL_FORMAT_VERSION = 2;

  /** The format version numeric models that scale their values per key are written in. */
  public static final int SCALED_FORMAT_VERSION = 3;

  /** The highest format version this build reads; it reads every version from 1 up to this. */
  /** Numeric models that take time inputs beside their values ({@link TimeFeatures}). */
  public static final int TIMED_FORMAT_VERSION = 4;

  /** The newest version this build reads. */
  public static final int LATEST_FORMAT_VERSION = 4;

  /** The longest header accepted: far above any real model's, low enough to parse safely. */
  public static final int MAX_HEADER_BYTES = 16 << 20;

  /** The largest file read from a stream or written. */
  public static final long MAX_FILE_BYTES = 1L << 30;

  static final byte[] MAGIC = {(byte) 0x89, 'F', 'L', 'S', 'T', 'M', '\r', '\n'};
  static final int PREAMBLE_BYTES = 16;
  static final int DIGEST_BYTES = 32;
  static final int SIGNATURE_BYTES = 64;

  private ModelFile() {}

  /**
   * What a reader requires of a file's signature.
   *
   * <p>When keys are given, a signature that is present must verify with one of them, required or
   * not. Without keys, a signature is left unchecked ({@link SignatureStatus#UNVERIFIED}).
   *
   * @param signatureRequired refuse a file without a signature that verifies
   * @param trustedKeys the Ed25519 public keys a signature may verify with
   */
  public record ReadOptions(boolean signatureRequired, List<PublicKey> trustedKeys) {
    public ReadOptions {
      trustedKeys = List.copyOf(trustedKeys);
      trustedKeys.forEach(ModelKeys::requireEd25519);
      if (signatureRequired && trustedKeys.isEmpty()) {
        throw new IllegalArgumentException("a required signature needs at least one public key");
      }
    }

    /** Signed or not, signature unchecked: for tools and tests, not for production. */
    public static ReadOptions acceptUnsigned() {
      return new ReadOptions(false, List.of());
    }

    /** Unsigned files pass; a signature that is present must verify with one of the keys. */
    public static ReadOptions verifyIfSigned(Collection<PublicKey> keys) {
      return new ReadOptions(false, List.copyOf(keys));
    }

    /** Only files signed by one of the keys pass. */
    public static ReadOptions requireSignature(Collection<PublicKey> keys) {
      return new ReadOptions(true, List.copyOf(keys));
    }
  }

  /** The model as an unsigned file: format 1 for a numeric model, 2 for a categorical one. */
  public static byte[] write(SequenceModel model) {
    return ModelFileWriter.write(model, null);
  }

  /**
   * The model as a file signed with an Ed25519 private key.
   *
   * @throws IllegalArgumentException if the key is not an Ed25519 private key
   */
  public static byte[] write(SequenceModel model, PrivateKey signingKey) {
    return ModelFileWriter.write(model, ModelKeys.requireEd25519(signingKey));
  }

  /**
   * The same file with its signature trailer replaced by a signature made with {@code signingKey}.
   * The file is checked completely first (its old signature, if any, is not), so nothing invalid
   * gets signed; the bytes before the trailer are kept as they are.
   */
  public static byte[] sign(byte[] file, PrivateKey signingKey) throws ModelFileException {
    ModelKeys.requireEd25519(signingKey);
    ModelFileReader.Layout layout = ModelFileReader.layout(file);
    ModelFileReader.decode(file, layout);
    return ModelFileWriter.withSignature(file, layout.digestEnd(), signingKey);
  }

  /**
   * Reads a numeric model.
   *
   * @throws ModelFileException naming what is wrong, if the file is not a valid model file, holds a
   *     categorical model, or its signature does not meet {@code options}
   */
  public static LstmModel read(byte[] file, ReadOptions options) throws ModelFileException {
    SequenceModel model = readAny(file, options);
    if (model instanceof LstmModel lstm) {
      return lstm;
    }
    throw new ModelFileException(
        "model '"
            + model.info().name()
            + "' is a categorical model (symbols in, softmax out), where a numeric one is needed");
  }

  /** As {@link #read(byte[], ReadOptions)}, for a stream of at most {@link #MAX_FILE_BYTES}. */
  public static LstmModel read(InputStream in, ReadOptions options) throws IOException {
    return read(readAll(in), options);
  }

  /**
   * Reads a model of either kind: an {@link LstmModel} or a {@link CategoricalModel}.
   *
   * @throws ModelFileException naming what is wrong, if the file is not a valid model file of a
   *     format version this build reads, or its signature does not meet {@code options}
   */
  public static SequenceModel readAny(byte[] file, ReadOptions options) throws ModelFileException {
    ModelFileReader.Layout layout = ModelFileReader.layout(file);
    ModelFileReader.SignatureCheck check =
        ModelFileReader.checkSignature(file, layout, options.trustedKeys());
    ModelFileReader.enforce(check, options);
    return ModelFileReader.decode(file, layout);
  }

  /**
   * Checks a file completely and describes it. Unlike {@link #read}, a signature that does not
   * verify is reported in the summary instead of thrown.
   *
   * @param keys public keys to check a signature with; none leaves it {@code UNVERIFIED}
   */
  public static ModelFileSummary inspect(byte[] file, Collection<PublicKey> keys)
      throws ModelFileException {
    List<PublicKey> trusted = List.copyOf(keys);
    trusted.forEach(ModelKeys::requireEd25519);
    ModelFileReader.Layout layout = ModelFileReader.layout(file);
    ModelFileReader.SignatureCheck check = ModelFileReader.checkSignature(file, layout, trusted);
    SequenceModel model = ModelFileReader.decode(file, layout);
    return new ModelFileSummary(
        layout.formatVersion(),
        file.length,
        new String(file, PREAMBLE_BYTES, layout.headerLength(), StandardCharsets.UTF_8),
        model,
        layout.header().gateOrder(),
        layout.header().tensors(),
        ModelFileReader.hex(layout.digest()),
        check.status(),
        check.signer());
  }

  /**
   * Reads a whole stream into memory, refusing more than {@link #MAX_FILE_BYTES} so that a stream
   * that never ends cannot exhaust the heap.
   */
  public static byte[] readAll(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
    if (bytes.length > MAX_FILE_BYTES) {
      throw new ModelFileException(
          "model file is larger than the limit of " + MAX_FILE_BYTES + " bytes");
    }
    return bytes;
  }
}
