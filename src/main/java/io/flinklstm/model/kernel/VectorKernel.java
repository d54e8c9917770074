package io.flinklstm.model.kernel;

import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.LstmLayer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD kernel on the JDK Vector API. Loaded only when {@code jdk.incubator.vector} is in the
 * boot layer (see {@link Kernels}).
 *
 * <p>A step has two phases. {@link VectorAffine} streams through the weights in {@link LstmLayer}'s
 * packed layout and writes all gate pre-activations to scratch; then {@link VectorStepGates}
 * applies the gates and updates the state, key by key. The batched step first gathers the inputs
 * [x, h] of all keys, four keys to a tile, then takes the weight columns two at a time and runs
 * every tile past them, so that each column's weights are read from L2 once per batch and then from
 * L1; a last tile that is not full is padded with zeros. docs/kernels.md gives the constraints
 * below with what was measured for them.
 *
 * <p>Scratch layout, for tiles of K keys (K = 1 for one key) and a hidden size padded to P: tile τ
 * at {@code τ·6KP} holds the pre-activations at [0, 4KP) (see {@link VectorAffine}), padded cells
 * at [4KP, 5KP) and padded new h at [5KP, 6KP); after the last tile come the gathered inputs, D + H
 * rows of K floats per tile.
 *
 * <p>No {@code FloatVector} crosses a method boundary and no masked operation is used: both box on
 * Java 17 when the JIT does not inline.
 *
 * <p>The vector width is 512 bits where the JVM offers them, else the widest there is; the system
 * property {@code flinklstm.vector.bits} (128, 256 or 512) overrides it. Only one width may be used
 * in a JVM: on Java 17 a second species makes C2 lose the intrinsics of the first (its type
 * profiles see two vector classes), and then every vector is boxed.
 */
final class VectorKernel implements LstmKernel {
  static final VectorKernel INSTANCE = new VectorKernel();

  static final VectorSpecies<Float> S = species(System.getProperty("flinklstm.vector.bits"));
  static final int L = S.length();

  private static final int KEYS = VectorAffine.KEYS;

  /** Rounds of {@link #primeOperatorProfile}, five operators each. */
  private static final int PRIMING_ROUNDS = 3000;

  static {
    primeOperatorProfile();
  }

  private VectorKernel() {}

  /**
   * Runs four kinds of vector operator (ternary, associative, binary and unary) in turn before any
   * kernel code runs, so that the type profile of the Vector API's operator dispatch is polymorphic
   * from its start.
   *
   * <p>Java 17's C2 compiles that dispatch ({@code VectorOperators.opCode}) on its own once it is
   * hot; compiled for one kind of operator, it is deoptimised by the first other kind, after which
   * C2 may compile the gate pass's vector stores as virtual calls and box every vector of the step
   * for the life of the JVM (docs/kernels.md). It takes 50 to 100 ms, once per JVM. All vectors
   * here are of species {@link #S}: a second species would cost the intrinsics of the first.
   */
  private static void primeOperatorProfile() {
    FloatVector one = FloatVector.broadcast(S, 1f);
    FloatVector v = one;
    for (int i = 0; i < PRIMING_ROUNDS; i++) {
      v = v.fma(one, one).mul(one).div(one).neg().abs();
    }
    if (v.lane(0) != PRIMING_ROUNDS + 1) {
      throw new IllegalStateException("vector priming computed " + v.lane(0));
    }
  }

  private static VectorSpecies<Float> species(String bits) {
    if (bits == null) {
      return FloatVector.SPECIES_PREFERRED.length() >= 16
          ? FloatVector.SPECIES_512
          : FloatVector.SPECIES_PREFERRED;
    }
    switch (bits) {
      case "512":
        return FloatVector.SPECIES_512;
      case "256":
        return FloatVector.SPECIES_256;
      case "128":
        return FloatVector.SPECIES_128;
      default:
        throw new IllegalArgumentException(
            "flinklstm.vector.bits is '" + bits + "', expected 128, 256 or 512");
    }
  }

  @Override
  public String name() {
    return "vector-" + S.vectorBitSize();
  }

  @Override
  public int scratchSize(LstmLayer layer, int keys) {
    int tiles = Math.max(1, (keys + KEYS - 1) / KEYS);
    int rows = (layer.inputSize() + layer.hiddenSize());
    return Math.multiplyExact(tiles * KEYS, 6 * layer.paddedHidden() + rows);
  }

  @Override
  public void step(LstmLayer layer, float[] x, int xOff, float[] h, float[] c, int off, float[] z) {
    int hp = layer.paddedHidden();
    int in = 6 * hp;
    System.arraycopy(x, xOff, z, in, layer.inputSize());
    System.arraycopy(h, off, z, in + layer.inputSize(), layer.hiddenSize());
    affineOne(layer, z);
    VectorStepGates.update(layer, z, 0, 1, 0, c, h, off);
  }

  /** One key's gate pre-activations, from its inputs [x, h] gathered in scratch at 6P. */
  static void affineOne(LstmLayer layer, float[] z) {
    int hp = layer.paddedHidden();
    int in = 6 * hp;
    int columns = VectorAffine.columns(layer);
    int m = 0;
    for (; m + 8 <= columns; m += 8) {
      VectorAffine.one(layer, z, in, m, m + 4, hp);
    }
    if (m < columns) {
      VectorAffine.one(layer, z, in, m, m, hp);
    }
  }

  @Override
  public void stepBatch(
      LstmLayer layer,
      float[][] xs,
      int xOff,
      float[][] hs,
      float[][] cs,
      int off,
      int n,
      float[] z) {
    gatherBatch(layer, xs, xOff, hs, off, n, z);
    affineBatch(layer, n, z);
    gatesBatch(layer, hs, cs, off, n, z);
  }

  /** The batched step's first phase: the n keys' inputs [x, h], tile by tile, into scratch. */
  static void gatherBatch(
      LstmLayer layer, float[][] xs, int xOff, float[][] hs, int off, int n, float[] z) {
    int rows = (layer.inputSize() + layer.hiddenSize()) * KEYS;
    for (int b = 0, in = inputsAt(layer, n); b < n; b += KEYS, in += rows) {
      VectorAffine.gather(layer, xs, xOff, hs, off, b, n, z, in);
    }
  }

  /** The second: every tile's gate pre-activations, two weight columns at a time. */
  static void affineBatch(LstmLayer layer, int n, float[] z) {
    int hp = layer.paddedHidden();
    int tile = 6 * KEYS * hp;
    int rows = (layer.inputSize() + layer.hiddenSize()) * KEYS;
    int columns = VectorAffine.columns(layer);
    for (int m = 0; m < columns; m += 2) {
      for (int b = 0, in = inputsAt(layer, n), out = 0; b < n; b += KEYS, in += rows, out += tile) {
        VectorAffine.keys(layer, z, in, m, out, hp);
      }
    }
  }

  /** The third: each key's gates and new state. */
  static void gatesBatch(LstmLayer layer, float[][] hs, float[][] cs, int off, int n, float[] z) {
    int tile = 6 * KEYS * layer.paddedHidden();
    for (int b = 0; b < n; b++) {
      VectorStepGates.update(layer, z, b / KEYS * tile, KEYS, b % KEYS, cs[b], hs[b], off);
    }
  }

  /** Where the gathered inputs start in scratch: after the tiles of n keys. */
  private static int inputsAt(LstmLayer layer, int n) {
    return (n + KEYS - 1) / KEYS * 6 * KEYS * layer.paddedHidden();
  }

  @Override
  public void dense(DenseLayer head, float[] x, int xOff, float[] out) {
    VectorDense.dense(head, x, xOff, out);
  }

  @Override
  public void denseBatch(DenseLayer head, float[][] xs, int xOff, int n, float[][] outs) {
    VectorDense.denseBatch(head, xs, xOff, n, outs);
  }
}
