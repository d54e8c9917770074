package io.flinklstm.model.kernel;

import static io.flinklstm.model.kernel.VectorKernel.L;
import static io.flinklstm.model.kernel.VectorKernel.S;

import io.flinklstm.model.Activation;
import io.flinklstm.model.LstmLayer;
import jdk.incubator.vector.FloatVector;

/**
 * The second phase of a {@link VectorKernel} step: from the gate pre-activations that {@link
 * VectorAffine} left in scratch, the gates and the state update of one key,
 *
 * <pre>
 *   c' = σ(A[f]) ⊙ c + σ(A[i]) ⊙ φ(A[g])
 *   h' = σ(A[o]) ⊙ φ(c')
 * </pre>
 *
 * <p>Key t of a tile of K keys at {@code z[base, ...)} has its pre-activations in the tile layout
 * of {@link VectorAffine}; hidden sizes that are not a multiple of 16 step padded copies of c and h
 * at {@code base + 4KP} and {@code base + 5KP}.
 *
 * <p>For the usual pair φ = tanh and σ = sigmoid, two passes per key: i, f, g and c', then o and
 * h', with the tanh evaluations of a pass side by side; other pairs take one pass per function.
 */
final class VectorStepGates {
  // |x| clamped as bits, as in VectorActivations (which see for NaN).
  private static final int MAGNITUDE = 0x7fffffff;
  private static final int CLAMP_BITS = Float.floatToRawIntBits(Activation.TANH_CLAMP);
  private static final int SIGN = 0x80000000;

  private VectorStepGates() {}

  /** Key t's c' and h', to c and h at {@code off}. */
  static void update(
      LstmLayer layer, float[] z, int base, int keys, int t, float[] c, float[] h, int off) {
    if (fusable(layer)) {
      fused(layer, z, base, keys, t, c, h, off);
    } else {
      general(layer, z, base, keys, t, c, h, off);
    }
  }

  /** Whether {@link #fused} applies: tanh as φ and the logistic sigmoid as σ. */
  private static boolean fusable(LstmLayer layer) {
    return layer.activation() == Activation.TANH
        && layer.recurrentActivation() == Activation.SIGMOID;
  }

  /**
   * The gates and state update of key t of a tile in two passes, for the usual pair φ = tanh and σ
   * = sigmoid (with i, f, o pre-activations halved by the packed weights): i, f, g and c' first,
   * then o and h'. Per vector of units the tanh evaluations of a pass are independent of each
   * other. The tanh is {@link VectorActivations}'s, written out for each gate: one method taking
   * and returning a {@code FloatVector} was tried, and C2 inlines it at two of the five call sites
   * before its node-count cutoff stops it; the other three box their vectors and call out. Estrin's
   * form for the polynomials, with every coefficient a vector made once per call, was tried too: it
   * shortens each chain by a third but was no faster in the step benchmark on Java 17 or Java 25.
   * Putting c' and h' each over one common denominator, two divisions per vector of units instead
   * of five, was tried as well: the pass was at most 7 per cent faster (H = 64), and the largest
   * error of c' grew from 4e-7 to 7e-7. Nor is the divider what bounds the pass: with every
   * division made a multiplication it was only about 10 per cent faster. A lone vector tanh takes
   * about ten cycles (3.2 ns) on the Zen 3 host of the benchmarks, against six for its twelve
   * multiplications and FMAs, just as twelve chained FMAs alone take nine: the core keeps too few
   * of the long chains in flight, it seems. Interleaving two or four vectors' chains in the source
   * was slower still, since their values and the eleven coefficients no longer fit AVX2's sixteen
   * registers.
   */
  private static void fused(
      LstmLayer layer, float[] z, int base, int keys, int t, float[] c, float[] h, int off) {
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
      cellAt = base + 4 * block + t * hp;
      out = z;
      outAt = base + 5 * block + t * hp;
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
      int at = base + t * hp + u;
      FloatVector zi = FloatVector.fromArray(S, z, at);
      FloatVector zf = FloatVector.fromArray(S, z, block + at);
      FloatVector zg = FloatVector.fromArray(S, z, 3 * block + at);
      FloatVector ia = zi.reinterpretAsInts().and(MAGNITUDE).min(CLAMP_BITS).reinterpretAsFloats();
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
      FloatVector fa = zf.reinterpretAsInts().and(MAGNITUDE).min(CLAMP_BITS).reinterpretAsFloats();
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
      FloatVector ga = zg.reinterpretAsInts().and(MAGNITUDE).min(CLAMP_BITS).reinterpretAsFloats();
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
    }
    // o and φ(c') in a second pass: with all five tanh chains in one loop C2 keeps the
    // coefficients on the stack (AVX2 has sixteen vector registers), and batches are a few per
    // cent slower.
    for (int u = 0; u < hp; u += L) {
      int at = base + t * hp + u;
      FloatVector zo = FloatVector.fromArray(S, z, 2 * block + at);
      FloatVector oa = zo.reinterpretAsInts().and(MAGNITUDE).min(CLAMP_BITS).reinterpretAsFloats();
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
      FloatVector cell = FloatVector.fromArray(S, cells, cellAt + u);
      FloatVector sa =
          cell.reinterpretAsInts().and(MAGNITUDE).min(CLAMP_BITS).reinterpretAsFloats();
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

  /**
   * Key t's gates and state update for other activation pairs: one pass per function over the key's
   * gate vectors, then c' and h'.
   */
  private static void general(
      LstmLayer layer, float[] z, int base, int keys, int t, float[] c, float[] h, int off) {
    int hidden = layer.hiddenSize();
    int hp = layer.paddedHidden();
    int block = keys * hp;
    int at = base + t * hp;
    for (int q = 0; q < 3; q++) {
      VectorActivations.applyGates(
          layer.recurrentActivation(), z, at + q * block, at + q * block + hp);
    }
    VectorActivations.apply(layer.activation(), z, at + 3 * block, at + 3 * block + hp);
    boolean whole = hidden == hp;
    float[] cells = c;
    int cellAt = off;
    if (!whole) {
      cells = z;
      cellAt = base + 4 * block + t * hp;
      System.arraycopy(c, off, z, cellAt, hidden);
      java.util.Arrays.fill(z, cellAt + hidden, cellAt + hp, 0f);
    }
    for (int u = 0; u < hp; u += L) {
      cell(z, block, at + u, cells, cellAt + u);
    }
    VectorActivations.apply(layer.activation(), z, at + 3 * block, at + 3 * block + hp);
    float[] out = whole ? h : z;
    int outAt = whole ? off : base + 5 * block + t * hp;
    for (int u = 0; u < hp; u += L) {
      output(z, block, at + u, out, outAt + u);
    }
    if (!whole) {
      System.arraycopy(z, outAt, h, off, hidden);
      System.arraycopy(z, cellAt, c, off, hidden);
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
}
