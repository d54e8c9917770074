package io.flinklstm.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD kernel on the JDK Vector API. Loaded only when {@code jdk.incubator.vector} is in the
 * boot layer (see {@link Kernels}).
 *
 * <p>A step has two phases for a tile of keys (one key, or four in the batched step). {@link
 * VectorAffine} streams once through the weights in {@link LstmLayer}'s packed layout and writes
 * all gate pre-activations of the tile to scratch; then the gates run over the tile in loops whose
 * iterations are independent. For the usual pair (tanh, sigmoid) that is one pass per key that
 * reads each pre-activation and c once and writes c' and h' once, with the five tanh evaluations of
 * a vector of units side by side; other activations take one pass per function. At batch 1 the
 * affine map takes four slices (64 units at 512 bits) per pass over the weights: sixteen
 * accumulators, sixteen FMAs per broadcast input. Applying the gates slice by slice right after
 * each slice's affine map was tried and is 10 to 15 per cent slower at H = 32 and 64: a rational
 * tanh with a division is about fifty cycles of latency, which then is not hidden.
 *
 * <p>Scratch layout for a tile of K keys and a hidden size padded to P (see {@link VectorAffine}):
 * pre-activations i, f, o, g at [0, 4KP), padded cells at [4KP, 5KP), padded new h at [5KP, 6KP).
 * Hidden sizes that are not a multiple of 16 step padded copies of c and h.
 *
 * <p>No {@code FloatVector} crosses a method boundary and no masked operation is used: both box on
 * Java 17 when the JIT does not inline.
 *
 * <p>The vector width is 512 bits where the JVM offers them, else the widest there is; the system
 * property {@code flinklstm.vector.bits} (128, 256 or 512) overrides it. On Zen 4, 512 bits are
 * faster batched and at H = 128; 256 bits are a few per cent faster at batch 1 for H = 64, where a
 * 512-bit broadcast (about 1.4 cycles, against 0.6) starts to show. Only one width may be used in a
 * JVM: on Java 17 a second species makes C2 lose the intrinsics of the first (its type profiles see
 * two vector classes), and then every vector is boxed.
 */
final class VectorKernel implements LstmKernel {
  static final VectorKernel INSTANCE = new VectorKernel();

  static final VectorSpecies<Float> S = species(System.getProperty("flinklstm.vector.bits"));
  static final int L = S.length();

  private static final int GROUP = LstmLayer.GROUP;
  private static final int KEYS = VectorAffine.KEYS;
  private static final float CLAMP = Activation.TANH_CLAMP;
  private static final int SIGN = 0x80000000;

  private VectorKernel() {}

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
    return 6 * KEYS * layer.paddedHidden();
  }

  @Override
  public void step(LstmLayer layer, float[] x, int xOff, float[] h, float[] c, int off, float[] z) {
    int hp = layer.paddedHidden();
    int u = 0;
    for (; u + 4 * L <= hp; u += 4 * L) {
      VectorAffine.four(layer, x, xOff, h, off, z, u, hp);
    }
    for (; u + 2 * L <= hp; u += 2 * L) {
      VectorAffine.two(layer, x, xOff, h, off, z, u, u + L, hp);
    }
    if (u < hp) {
      VectorAffine.one(layer, x, xOff, h, off, z, u / GROUP, u % GROUP, hp);
    }
    if (fusable(layer)) {
      fusedGates(layer, z, 1, 0, c, h, off);
      return;
    }
    activateGates(layer, z, hp);
    updateCells(layer, z, 1, 0, c, off);
    VectorActivations.apply(layer.activation(), z, 3 * hp, 4 * hp);
    updateHidden(layer, z, 1, 0, c, h, off);
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
    int hp = layer.paddedHidden();
    int block = KEYS * hp;
    int b = 0;
    for (; b + KEYS <= n; b += KEYS) {
      for (int g = 0; g < layer.groups(); g++) {
        for (int s = 0; s < GROUP; s += L) {
          VectorAffine.keys(layer, xs, xOff, hs, off, b, z, g, s, hp);
        }
      }
      if (fusable(layer)) {
        for (int t = 0; t < KEYS; t++) {
          fusedGates(layer, z, KEYS, t, cs[b + t], hs[b + t], off);
        }
        continue;
      }
      activateGates(layer, z, block);
      for (int t = 0; t < KEYS; t++) {
        updateCells(layer, z, KEYS, t, cs[b + t], off);
      }
      VectorActivations.apply(layer.activation(), z, 3 * block, 4 * block);
      for (int t = 0; t < KEYS; t++) {
        updateHidden(layer, z, KEYS, t, cs[b + t], hs[b + t], off);
      }
    }
    for (; b < n; b++) {
      step(layer, xs[b], xOff, hs[b], cs[b], off, z);
    }
  }

  /**
   * The gates and state update of key t of a tile in one pass, for the usual pair φ = tanh and σ =
   * sigmoid (with i, f, o pre-activations halved by the packed weights): per vector of units, the
   * five tanh evaluations are independent of each other, and each value is loaded and stored once.
   * The tanh is {@link VectorActivations}'s, written out for each gate so that no vector crosses a
   * method boundary.
   */
  private static void fusedGates(
      LstmLayer layer, float[] z, int keys, int t, float[] c, float[] h, int off) {
    int hidden = layer.hiddenSize();
    int hp = layer.paddedHidden();
    int block = keys * hp;
    boolean whole = hidden == hp;
    float[] cells = c;
    int cellAt = off;
    float[] out = h;
    int outAt = off;
    if (!whole) {
      cells = z;
      cellAt = 4 * block + t * hp;
      out = z;
      outAt = 5 * block + t * hp;
      System.arraycopy(c, off, z, cellAt, hidden);
      java.util.Arrays.fill(z, cellAt + hidden, cellAt + hp, 0f);
    }
    FloatVector a9 = FloatVector.broadcast(S, Activation.A9);
    FloatVector a7 = FloatVector.broadcast(S, Activation.A7);
    FloatVector a5 = FloatVector.broadcast(S, Activation.A5);
    FloatVector a3 = FloatVector.broadcast(S, Activation.A3);
    FloatVector a1 = FloatVector.broadcast(S, Activation.A1);
    FloatVector b2 = FloatVector.broadcast(S, Activation.B2);
    FloatVector b0 = FloatVector.broadcast(S, Activation.B0);
    for (int u = 0; u < hp; u += L) {
      int at = t * hp + u;
      FloatVector zi = FloatVector.fromArray(S, z, at);
      FloatVector zf = FloatVector.fromArray(S, z, block + at);
      FloatVector zo = FloatVector.fromArray(S, z, 2 * block + at);
      FloatVector zg = FloatVector.fromArray(S, z, 3 * block + at);
      FloatVector ia = zi.abs().min(CLAMP);
      FloatVector ia2 = ia.mul(ia);
      FloatVector ip = ia2.fma(Activation.A13, Activation.A11);
      ip = ip.fma(ia2, a9);
      ip = ip.fma(ia2, a7);
      ip = ip.fma(ia2, a5);
      ip = ip.fma(ia2, a3);
      ip = ip.fma(ia2, a1).mul(ia);
      FloatVector iq = ia2.fma(Activation.B6, Activation.B4);
      iq = iq.fma(ia2, b2);
      iq = iq.fma(ia2, b0);
      FloatVector inGate =
          ip.div(iq)
              .reinterpretAsInts()
              .or(zi.reinterpretAsInts().and(SIGN))
              .reinterpretAsFloats()
              .fma(0.5f, 0.5f);
      FloatVector fa = zf.abs().min(CLAMP);
      FloatVector fa2 = fa.mul(fa);
      FloatVector fp = fa2.fma(Activation.A13, Activation.A11);
      fp = fp.fma(fa2, a9);
      fp = fp.fma(fa2, a7);
      fp = fp.fma(fa2, a5);
      fp = fp.fma(fa2, a3);
      fp = fp.fma(fa2, a1).mul(fa);
      FloatVector fq = fa2.fma(Activation.B6, Activation.B4);
      fq = fq.fma(fa2, b2);
      fq = fq.fma(fa2, b0);
      FloatVector forgetGate =
          fp.div(fq)
              .reinterpretAsInts()
              .or(zf.reinterpretAsInts().and(SIGN))
              .reinterpretAsFloats()
              .fma(0.5f, 0.5f);
      FloatVector oa = zo.abs().min(CLAMP);
      FloatVector oa2 = oa.mul(oa);
      FloatVector op = oa2.fma(Activation.A13, Activation.A11);
      op = op.fma(oa2, a9);
      op = op.fma(oa2, a7);
      op = op.fma(oa2, a5);
      op = op.fma(oa2, a3);
      op = op.fma(oa2, a1).mul(oa);
      FloatVector oq = oa2.fma(Activation.B6, Activation.B4);
      oq = oq.fma(oa2, b2);
      oq = oq.fma(oa2, b0);
      FloatVector outGate =
          op.div(oq)
              .reinterpretAsInts()
              .or(zo.reinterpretAsInts().and(SIGN))
              .reinterpretAsFloats()
              .fma(0.5f, 0.5f);
      FloatVector ga = zg.abs().min(CLAMP);
      FloatVector ga2 = ga.mul(ga);
      FloatVector gp = ga2.fma(Activation.A13, Activation.A11);
      gp = gp.fma(ga2, a9);
      gp = gp.fma(ga2, a7);
      gp = gp.fma(ga2, a5);
      gp = gp.fma(ga2, a3);
      gp = gp.fma(ga2, a1).mul(ga);
      FloatVector gq = ga2.fma(Activation.B6, Activation.B4);
      gq = gq.fma(ga2, b2);
      gq = gq.fma(ga2, b0);
      FloatVector candidate =
          gp.div(gq).reinterpretAsInts().or(zg.reinterpretAsInts().and(SIGN)).reinterpretAsFloats();
      FloatVector cell =
          inGate.fma(candidate, forgetGate.mul(FloatVector.fromArray(S, cells, cellAt + u)));
      cell.intoArray(cells, cellAt + u);
      FloatVector sa = cell.abs().min(CLAMP);
      FloatVector sa2 = sa.mul(sa);
      FloatVector sp = sa2.fma(Activation.A13, Activation.A11);
      sp = sp.fma(sa2, a9);
      sp = sp.fma(sa2, a7);
      sp = sp.fma(sa2, a5);
      sp = sp.fma(sa2, a3);
      sp = sp.fma(sa2, a1).mul(sa);
      FloatVector sq = sa2.fma(Activation.B6, Activation.B4);
      sq = sq.fma(sa2, b2);
      sq = sq.fma(sa2, b0);
      FloatVector squashed =
          sp.div(sq)
              .reinterpretAsInts()
              .or(cell.reinterpretAsInts().and(SIGN))
              .reinterpretAsFloats();
      outGate.mul(squashed).intoArray(out, outAt + u);
    }
    if (!whole) {
      System.arraycopy(z, outAt, h, off, hidden);
      System.arraycopy(z, cellAt, c, off, hidden);
    }
  }

  /** Whether {@link #fusedGates} applies: tanh as φ and the logistic sigmoid as σ. */
  private static boolean fusable(LstmLayer layer) {
    return layer.activation() == Activation.TANH
        && layer.recurrentActivation() == Activation.SIGMOID;
  }

  /** σ over the i, f and o blocks of a tile, φ over its g block; block = K·P floats each. */
  private static void activateGates(LstmLayer layer, float[] z, int block) {
    VectorActivations.applyGates(layer.recurrentActivation(), z, 0, 3 * block);
    VectorActivations.apply(layer.activation(), z, 3 * block, 4 * block);
  }

  /** Key t's c' = f ⊙ c + i ⊙ g, to c (or its padded copy) and over its g block. */
  private static void updateCells(LstmLayer layer, float[] z, int keys, int t, float[] c, int off) {
    int hidden = layer.hiddenSize();
    int hp = layer.paddedHidden();
    int block = keys * hp;
    float[] cells = c;
    int cellAt = off;
    if (hidden != hp) {
      cells = z;
      cellAt = 4 * block + t * hp;
      System.arraycopy(c, off, z, cellAt, hidden);
      java.util.Arrays.fill(z, cellAt + hidden, cellAt + hp, 0f);
    }
    for (int u = 0; u < hp; u += L) {
      cell(z, block, t * hp + u, cells, cellAt + u);
    }
  }

  /** Key t's h' = o ⊙ φ(c'), with φ(c') in its g block; copies padded c' and h' back. */
  private static void updateHidden(
      LstmLayer layer, float[] z, int keys, int t, float[] c, float[] h, int off) {
    int hidden = layer.hiddenSize();
    int hp = layer.paddedHidden();
    int block = keys * hp;
    boolean whole = hidden == hp;
    float[] out = whole ? h : z;
    int outAt = whole ? off : 5 * block + t * hp;
    for (int u = 0; u < hp; u += L) {
      output(z, block, t * hp + u, out, outAt + u);
    }
    if (!whole) {
      System.arraycopy(z, outAt, h, off, hidden);
      System.arraycopy(z, 4 * block + t * hp, c, off, hidden);
    }
  }

  /** c' = f ⊙ c + i ⊙ g for one vector at {@code at} of a tile, to cells and over g. */
  private static void cell(float[] z, int block, int at, float[] cells, int cellAt) {
    FloatVector inGate = FloatVector.fromArray(S, z, at);
    FloatVector forgetGate = FloatVector.fromArray(S, z, block + at);
    FloatVector candidate = FloatVector.fromArray(S, z, 3 * block + at);
    FloatVector c = FloatVector.fromArray(S, cells, cellAt);
    FloatVector cell = inGate.fma(candidate, forgetGate.mul(c));
    cell.intoArray(cells, cellAt);
    cell.intoArray(z, 3 * block + at);
  }

  /** h' = o ⊙ φ(c') for one vector at {@code at} of a tile, with φ(c') where g was. */
  private static void output(float[] z, int block, int at, float[] out, int outAt) {
    FloatVector outGate = FloatVector.fromArray(S, z, 2 * block + at);
    outGate.mul(FloatVector.fromArray(S, z, 3 * block + at)).intoArray(out, outAt);
  }

  @Override
  public void dense(DenseLayer head, float[] x, int xOff, float[] out) {
    float[] w = head.packed;
    int stride = head.stride();
    int inputs = head.inputSize();
    for (int col = 0; col < head.outputSize(); col += L) {
      // Four chains over k, so that the FMAs do not wait on each other's latency.
      FloatVector a0 = FloatVector.fromArray(S, head.bias, col);
      FloatVector a1 = FloatVector.zero(S);
      FloatVector a2 = a1;
      FloatVector a3 = a1;
      int k = 0;
      for (; k + 4 <= inputs; k += 4) {
        int p = k * stride + col;
        a0 = FloatVector.fromArray(S, w, p).fma(FloatVector.broadcast(S, x[xOff + k]), a0);
        a1 =
            FloatVector.fromArray(S, w, p + stride)
                .fma(FloatVector.broadcast(S, x[xOff + k + 1]), a1);
        a2 =
            FloatVector.fromArray(S, w, p + 2 * stride)
                .fma(FloatVector.broadcast(S, x[xOff + k + 2]), a2);
        a3 =
            FloatVector.fromArray(S, w, p + 3 * stride)
                .fma(FloatVector.broadcast(S, x[xOff + k + 3]), a3);
      }
      for (; k < inputs; k++) {
        a0 =
            FloatVector.fromArray(S, w, k * stride + col)
                .fma(FloatVector.broadcast(S, x[xOff + k]), a0);
      }
      a0.add(a1).add(a2.add(a3)).intoArray(out, col);
    }
  }

  /**
   * Four keys at a time, each weight vector loaded once for all four. Each key sums its rows in the
   * same four chains and order as {@link #dense}, so the results are the same to the bit.
   */
  @Override
  public void denseBatch(DenseLayer head, float[][] xs, int xOff, int n, float[][] outs) {
    float[] w = head.packed;
    int stride = head.stride();
    int inputs = head.inputSize();
    int b = 0;
    for (; b + KEYS <= n; b += KEYS) {
      for (int col = 0; col < head.outputSize(); col += L) {
        headKeys(head, w, stride, inputs, xs, xOff, b, col, outs);
      }
    }
    for (; b < n; b++) {
      dense(head, xs[b], xOff, outs[b]);
    }
  }

  private static void headKeys(
      DenseLayer head,
      float[] w,
      int stride,
      int inputs,
      float[][] xs,
      int xOff,
      int b,
      int col,
      float[][] outs) {
    float[] x0 = xs[b], x1 = xs[b + 1], x2 = xs[b + 2], x3 = xs[b + 3];
    FloatVector bias = FloatVector.fromArray(S, head.bias, col);
    FloatVector zero = FloatVector.zero(S);
    FloatVector a00 = bias, a01 = zero, a02 = zero, a03 = zero;
    FloatVector a10 = bias, a11 = zero, a12 = zero, a13 = zero;
    FloatVector a20 = bias, a21 = zero, a22 = zero, a23 = zero;
    FloatVector a30 = bias, a31 = zero, a32 = zero, a33 = zero;
    int k = 0;
    for (; k + 4 <= inputs; k += 4) {
      int p = k * stride + col;
      int at = xOff + k;
      FloatVector w0 = FloatVector.fromArray(S, w, p);
      FloatVector w1 = FloatVector.fromArray(S, w, p + stride);
      FloatVector w2 = FloatVector.fromArray(S, w, p + 2 * stride);
      FloatVector w3 = FloatVector.fromArray(S, w, p + 3 * stride);
      a00 = w0.fma(FloatVector.broadcast(S, x0[at]), a00);
      a01 = w1.fma(FloatVector.broadcast(S, x0[at + 1]), a01);
      a02 = w2.fma(FloatVector.broadcast(S, x0[at + 2]), a02);
      a03 = w3.fma(FloatVector.broadcast(S, x0[at + 3]), a03);
      a10 = w0.fma(FloatVector.broadcast(S, x1[at]), a10);
      a11 = w1.fma(FloatVector.broadcast(S, x1[at + 1]), a11);
      a12 = w2.fma(FloatVector.broadcast(S, x1[at + 2]), a12);
      a13 = w3.fma(FloatVector.broadcast(S, x1[at + 3]), a13);
      a20 = w0.fma(FloatVector.broadcast(S, x2[at]), a20);
      a21 = w1.fma(FloatVector.broadcast(S, x2[at + 1]), a21);
      a22 = w2.fma(FloatVector.broadcast(S, x2[at + 2]), a22);
      a23 = w3.fma(FloatVector.broadcast(S, x2[at + 3]), a23);
      a30 = w0.fma(FloatVector.broadcast(S, x3[at]), a30);
      a31 = w1.fma(FloatVector.broadcast(S, x3[at + 1]), a31);
      a32 = w2.fma(FloatVector.broadcast(S, x3[at + 2]), a32);
      a33 = w3.fma(FloatVector.broadcast(S, x3[at + 3]), a33);
    }
    for (; k < inputs; k++) {
      FloatVector wk = FloatVector.fromArray(S, w, k * stride + col);
      a00 = wk.fma(FloatVector.broadcast(S, x0[xOff + k]), a00);
      a10 = wk.fma(FloatVector.broadcast(S, x1[xOff + k]), a10);
      a20 = wk.fma(FloatVector.broadcast(S, x2[xOff + k]), a20);
      a30 = wk.fma(FloatVector.broadcast(S, x3[xOff + k]), a30);
    }
    a00.add(a01).add(a02.add(a03)).intoArray(outs[b], col);
    a10.add(a11).add(a12.add(a13)).intoArray(outs[b + 1], col);
    a20.add(a21).add(a22.add(a23)).intoArray(outs[b + 2], col);
    a30.add(a31).add(a32.add(a33)).intoArray(outs[b + 3], col);
  }
}
