package io.flinklstm.model.kernel;

import static io.flinklstm.model.kernel.VectorKernel.L;
import static io.flinklstm.model.kernel.VectorKernel.S;

import io.flinklstm.model.LstmLayer;
import jdk.incubator.vector.FloatVector;

/**
 * The gate pre-activations b + [x, h]·W of the {@link VectorKernel}, over {@link LstmLayer}'s
 * packed weights.
 *
 * <p>The packed layout is seen here as columns of vectors: a group's row of {@link
 * LstmLayer#GROUP_WIDTH} floats holds {@link #ROW_VECTORS} vectors (the i, f, g and o units of the
 * group, L at a time), so column m is vector m mod {@link #ROW_VECTORS} of group m div {@link
 * #ROW_VECTORS}, and its rows are {@code GROUP_WIDTH} floats apart. The inputs [x, h] of a key are
 * first gathered into scratch, so that one loop runs over all D + H rows: a broadcast input
 * multiplies one vector of every column of a tile, each tile's accumulators stay in registers, and
 * the weights stream through in order.
 *
 * <p>A tile has at most eight accumulators, so that with the weights, the broadcast input and the
 * loop's own values it fits the sixteen vector registers of AVX2 (sixteen accumulators there spill
 * to the stack, and a spilled accumulator puts a store and a load on its FMA chain). One key takes
 * eight columns; the batched form takes two columns for {@link #KEYS} keys, so that each weight
 * vector loaded feeds four FMAs and each input broadcast two. (Tiles of six keys were faster on
 * Java 17 and twice as slow on Java 25: docs/kernels.md.)
 *
 * <p>Results go to scratch in the kernel's tile layout: for a tile of K keys and a hidden size
 * padded to P, gate q of key t for unit u is at {@code (q·K + t)·P + u}, with the gates in the
 * order i, f, o, g, so that the three sigmoid gates of a tile are one contiguous range.
 */
final class VectorAffine {
  /** Keys of a batched tile. */
  static final int KEYS = 4;

  /** Vectors in one packed row of a group: 8 at 256 bits, 4 at 512. */
  static final int ROW_VECTORS = LstmLayer.GROUP_WIDTH / L;

  private static final int GROUP = LstmLayer.GROUP;
  private static final int WIDTH = LstmLayer.GROUP_WIDTH;

  private VectorAffine() {}

  /** Columns of vectors in the packed weights: 4·P / L, a multiple of four. */
  static int columns(LstmLayer layer) {
    return layer.groups() * ROW_VECTORS;
  }

  /**
   * One key: the columns [a, a + 4) and [b, b + 4) (a and b multiples of four; b = a computes the
   * first four twice), from the inputs [x, h] gathered at {@code z[in, in + D + H)}.
   */
  static void one(LstmLayer layer, float[] z, int in, int a, int b, int hp) {
    float[] w = layer.packed();
    float[] bias = layer.packedBias();
    int rows = layer.inputSize() + layer.hiddenSize();
    int ba = biasAt(a);
    int bb = biasAt(b);
    FloatVector a0 = FloatVector.fromArray(S, bias, ba);
    FloatVector a1 = FloatVector.fromArray(S, bias, ba + L);
    FloatVector a2 = FloatVector.fromArray(S, bias, ba + 2 * L);
    FloatVector a3 = FloatVector.fromArray(S, bias, ba + 3 * L);
    FloatVector b0 = FloatVector.fromArray(S, bias, bb);
    FloatVector b1 = FloatVector.fromArray(S, bias, bb + L);
    FloatVector b2 = FloatVector.fromArray(S, bias, bb + 2 * L);
    FloatVector b3 = FloatVector.fromArray(S, bias, bb + 3 * L);
    int pa = weightsAt(a, rows);
    int pb = weightsAt(b, rows);
    for (int k = 0; k < rows; k++) {
      FloatVector v = FloatVector.broadcast(S, z[in + k]);
      int ra = pa + k * WIDTH;
      int rb = pb + k * WIDTH;
      a0 = v.fma(FloatVector.fromArray(S, w, ra), a0);
      a1 = v.fma(FloatVector.fromArray(S, w, ra + L), a1);
      a2 = v.fma(FloatVector.fromArray(S, w, ra + 2 * L), a2);
      a3 = v.fma(FloatVector.fromArray(S, w, ra + 3 * L), a3);
      b0 = v.fma(FloatVector.fromArray(S, w, rb), b0);
      b1 = v.fma(FloatVector.fromArray(S, w, rb + L), b1);
      b2 = v.fma(FloatVector.fromArray(S, w, rb + 2 * L), b2);
      b3 = v.fma(FloatVector.fromArray(S, w, rb + 3 * L), b3);
    }
    a0.intoArray(z, resultAt(a, 1, 0, hp));
    a1.intoArray(z, resultAt(a + 1, 1, 0, hp));
    a2.intoArray(z, resultAt(a + 2, 1, 0, hp));
    a3.intoArray(z, resultAt(a + 3, 1, 0, hp));
    b0.intoArray(z, resultAt(b, 1, 0, hp));
    b1.intoArray(z, resultAt(b + 1, 1, 0, hp));
    b2.intoArray(z, resultAt(b + 2, 1, 0, hp));
    b3.intoArray(z, resultAt(b + 3, 1, 0, hp));
  }

  /**
   * {@link #KEYS} keys: the columns m and m + 1 (m even), from inputs gathered by {@link #gather}
   * at {@code z[in, ...)}, to the tile at {@code z[out, ...)}.
   */
  static void keys(LstmLayer layer, float[] z, int in, int m, int out, int hp) {
    float[] w = layer.packed();
    int rows = layer.inputSize() + layer.hiddenSize();
    int bias = biasAt(m);
    FloatVector a0 = FloatVector.fromArray(S, layer.packedBias(), bias);
    FloatVector b0 = FloatVector.fromArray(S, layer.packedBias(), bias + L);
    FloatVector a1 = a0, a2 = a0, a3 = a0;
    FloatVector b1 = b0, b2 = b0, b3 = b0;
    // The loop counts over the inputs and derives the weights' index from it: counting rows and
    // deriving both makes C2 recompute both in every iteration (docs/kernels.md). The int
    // arithmetic wraps, so r is right even where in · 16 is not.
    int weightsFromInputs = weightsAt(m, rows) - in * (WIDTH / KEYS);
    int end = in + rows * KEYS;
    for (int x = in; x < end; x += KEYS) {
      int r = weightsFromInputs + x * (WIDTH / KEYS);
      FloatVector wa = FloatVector.fromArray(S, w, r);
      FloatVector wb = FloatVector.fromArray(S, w, r + L);
      FloatVector v = FloatVector.broadcast(S, z[x]);
      a0 = wa.fma(v, a0);
      b0 = wb.fma(v, b0);
      v = FloatVector.broadcast(S, z[x + 1]);
      a1 = wa.fma(v, a1);
      b1 = wb.fma(v, b1);
      v = FloatVector.broadcast(S, z[x + 2]);
      a2 = wa.fma(v, a2);
      b2 = wb.fma(v, b2);
      v = FloatVector.broadcast(S, z[x + 3]);
      a3 = wa.fma(v, a3);
      b3 = wb.fma(v, b3);
    }
    a0.intoArray(z, out + resultAt(m, KEYS, 0, hp));
    a1.intoArray(z, out + resultAt(m, KEYS, 1, hp));
    a2.intoArray(z, out + resultAt(m, KEYS, 2, hp));
    a3.intoArray(z, out + resultAt(m, KEYS, 3, hp));
    b0.intoArray(z, out + resultAt(m + 1, KEYS, 0, hp));
    b1.intoArray(z, out + resultAt(m + 1, KEYS, 1, hp));
    b2.intoArray(z, out + resultAt(m + 1, KEYS, 2, hp));
    b3.intoArray(z, out + resultAt(m + 1, KEYS, 3, hp));
  }

  /**
   * Keys b..b+3's inputs [x, h] to {@code z[in, in + 4·(D + H))}, row k of key t at {@code in + 4·k
   * + t}; zeros for keys from n on, whose results are then not used.
   */
  static void gather(
      LstmLayer layer,
      float[][] xs,
      int xOff,
      float[][] hs,
      int off,
      int b,
      int n,
      float[] z,
      int in) {
    int inputs = layer.inputSize();
    int hidden = layer.hiddenSize();
    for (int t = 0; t < KEYS; t++) {
      if (b + t >= n) {
        for (int k = 0; k < inputs + hidden; k++) {
          z[in + k * KEYS + t] = 0f;
        }
        continue;
      }
      float[] x = xs[b + t];
      for (int k = 0; k < inputs; k++) {
        z[in + k * KEYS + t] = x[xOff + k];
      }
      float[] h = hs[b + t];
      int at = in + inputs * KEYS + t;
      for (int k = 0; k < hidden; k++) {
        z[at + k * KEYS] = h[off + k];
      }
    }
  }

  /** Offset in the packed bias of column m. */
  private static int biasAt(int m) {
    return m / ROW_VECTORS * WIDTH + m % ROW_VECTORS * L;
  }

  /** Offset in the packed weights of column m's first row. */
  private static int weightsAt(int m, int rows) {
    return m / ROW_VECTORS * rows * WIDTH + m % ROW_VECTORS * L;
  }

  /** Offset in a tile of K keys of column m's results for key t. */
  private static int resultAt(int m, int keys, int t, int hp) {
    int col = m % ROW_VECTORS * L;
    int gate = col / GROUP; // packed order i, f, g, o
    int q = gate < 2 ? gate : 5 - gate; // tile order i, f, o, g
    return (q * keys + t) * hp + m / ROW_VECTORS * GROUP + col % GROUP;
  }
}
