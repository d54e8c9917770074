package io.flinklstm.model;

import static io.flinklstm.model.VectorKernel.S;

import jdk.incubator.vector.FloatVector;

/**
 * The gate pre-activations b + x·Wx + h·Wh of one slice of L hidden units, for the {@link
 * VectorKernel}. A slice's four gate vectors stay in registers while its group's packed rows stream
 * past; the batched form does the same for {@link #KEYS} keys at once, so that every weight vector
 * loaded feeds four FMAs.
 *
 * <p>Results go to scratch in the kernel's tile layout: for a tile of K keys and a hidden size
 * padded to P, gate q of key t for unit u is at {@code (q·K + t)·P + u}, with the gates in the
 * order i, f, o, g, so that the three sigmoid gates of a tile are one contiguous range.
 */
final class VectorAffine {
  /** Keys stepped together: 4 keys × 4 gate vectors fill 16 registers. */
  static final int KEYS = 4;

  private static final int GROUP = LstmLayer.GROUP;
  private static final int WIDTH = LstmLayer.GROUP_WIDTH;

  private VectorAffine() {}

  /** One key: units [unit, unit + L), where unit = 16·g + s. */
  static void one(
      LstmLayer layer, float[] x, int xOff, float[] h, int off, float[] z, int g, int s, int hp) {
    float[] w = layer.packed;
    int inputs = layer.inputSize();
    int hidden = layer.hiddenSize();
    int bias = g * WIDTH + s;
    FloatVector i = FloatVector.fromArray(S, layer.packedBias, bias);
    FloatVector f = FloatVector.fromArray(S, layer.packedBias, bias + GROUP);
    FloatVector c = FloatVector.fromArray(S, layer.packedBias, bias + 2 * GROUP);
    FloatVector o = FloatVector.fromArray(S, layer.packedBias, bias + 3 * GROUP);
    int p = g * (inputs + hidden) * WIDTH + s;
    for (int k = 0; k < inputs; k++, p += WIDTH) {
      FloatVector v = FloatVector.broadcast(S, x[xOff + k]);
      i = FloatVector.fromArray(S, w, p).fma(v, i);
      f = FloatVector.fromArray(S, w, p + GROUP).fma(v, f);
      c = FloatVector.fromArray(S, w, p + 2 * GROUP).fma(v, c);
      o = FloatVector.fromArray(S, w, p + 3 * GROUP).fma(v, o);
    }
    for (int k = 0; k < hidden; k++, p += WIDTH) {
      FloatVector v = FloatVector.broadcast(S, h[off + k]);
      i = FloatVector.fromArray(S, w, p).fma(v, i);
      f = FloatVector.fromArray(S, w, p + GROUP).fma(v, f);
      c = FloatVector.fromArray(S, w, p + 2 * GROUP).fma(v, c);
      o = FloatVector.fromArray(S, w, p + 3 * GROUP).fma(v, o);
    }
    int unit = g * GROUP + s;
    i.intoArray(z, unit);
    f.intoArray(z, hp + unit);
    o.intoArray(z, 2 * hp + unit);
    c.intoArray(z, 3 * hp + unit);
  }

  /**
   * One key, two slices at once: units [a, a + L) and [b, b + L), each a multiple of L. Eight
   * independent accumulators keep both FMA pipes busy where four would wait on FMA latency.
   */
  static void two(
      LstmLayer layer, float[] x, int xOff, float[] h, int off, float[] z, int a, int b, int hp) {
    float[] w = layer.packed;
    float[] bias = layer.packedBias;
    int inputs = layer.inputSize();
    int rows = inputs + layer.hiddenSize();
    int ba = a / GROUP * WIDTH + a % GROUP;
    int bb = b / GROUP * WIDTH + b % GROUP;
    FloatVector ia = FloatVector.fromArray(S, bias, ba);
    FloatVector fa = FloatVector.fromArray(S, bias, ba + GROUP);
    FloatVector ca = FloatVector.fromArray(S, bias, ba + 2 * GROUP);
    FloatVector oa = FloatVector.fromArray(S, bias, ba + 3 * GROUP);
    FloatVector ib = FloatVector.fromArray(S, bias, bb);
    FloatVector fb = FloatVector.fromArray(S, bias, bb + GROUP);
    FloatVector cb = FloatVector.fromArray(S, bias, bb + 2 * GROUP);
    FloatVector ob = FloatVector.fromArray(S, bias, bb + 3 * GROUP);
    int p = a / GROUP * rows * WIDTH + a % GROUP;
    int q = b / GROUP * rows * WIDTH + b % GROUP;
    for (int k = 0; k < inputs; k++, p += WIDTH, q += WIDTH) {
      FloatVector v = FloatVector.broadcast(S, x[xOff + k]);
      ia = FloatVector.fromArray(S, w, p).fma(v, ia);
      fa = FloatVector.fromArray(S, w, p + GROUP).fma(v, fa);
      ca = FloatVector.fromArray(S, w, p + 2 * GROUP).fma(v, ca);
      oa = FloatVector.fromArray(S, w, p + 3 * GROUP).fma(v, oa);
      ib = FloatVector.fromArray(S, w, q).fma(v, ib);
      fb = FloatVector.fromArray(S, w, q + GROUP).fma(v, fb);
      cb = FloatVector.fromArray(S, w, q + 2 * GROUP).fma(v, cb);
      ob = FloatVector.fromArray(S, w, q + 3 * GROUP).fma(v, ob);
    }
    for (int k = 0; k < layer.hiddenSize(); k++, p += WIDTH, q += WIDTH) {
      FloatVector v = FloatVector.broadcast(S, h[off + k]);
      ia = FloatVector.fromArray(S, w, p).fma(v, ia);
      fa = FloatVector.fromArray(S, w, p + GROUP).fma(v, fa);
      ca = FloatVector.fromArray(S, w, p + 2 * GROUP).fma(v, ca);
      oa = FloatVector.fromArray(S, w, p + 3 * GROUP).fma(v, oa);
      ib = FloatVector.fromArray(S, w, q).fma(v, ib);
      fb = FloatVector.fromArray(S, w, q + GROUP).fma(v, fb);
      cb = FloatVector.fromArray(S, w, q + 2 * GROUP).fma(v, cb);
      ob = FloatVector.fromArray(S, w, q + 3 * GROUP).fma(v, ob);
    }
    ia.intoArray(z, a);
    fa.intoArray(z, hp + a);
    oa.intoArray(z, 2 * hp + a);
    ca.intoArray(z, 3 * hp + a);
    ib.intoArray(z, b);
    fb.intoArray(z, hp + b);
    ob.intoArray(z, 2 * hp + b);
    cb.intoArray(z, 3 * hp + b);
  }

  /**
   * One key, four slices at once: units [a + m·L, a + (m + 1)·L) for m = 0..3, a a multiple of L.
   * Sixteen accumulators: each broadcast input feeds sixteen FMAs, and each step of the row loop
   * issues sixteen independent loads, enough to keep the weights streaming in from L2.
   */
  static void four(
      LstmLayer layer, float[] x, int xOff, float[] h, int off, float[] z, int a, int hp) {
    float[] w = layer.packed;
    float[] bias = layer.packedBias;
    int inputs = layer.inputSize();
    int hidden = layer.hiddenSize();
    int rows = inputs + hidden;
    int l = VectorKernel.L;
    int ua = a + 0 * l;
    int ba = ua / GROUP * WIDTH + ua % GROUP;
    int pa = ua / GROUP * rows * WIDTH + ua % GROUP;
    FloatVector ia = FloatVector.fromArray(S, bias, ba);
    FloatVector fa = FloatVector.fromArray(S, bias, ba + GROUP);
    FloatVector ca = FloatVector.fromArray(S, bias, ba + 2 * GROUP);
    FloatVector oa = FloatVector.fromArray(S, bias, ba + 3 * GROUP);
    int ub = a + 1 * l;
    int bb = ub / GROUP * WIDTH + ub % GROUP;
    int pb = ub / GROUP * rows * WIDTH + ub % GROUP;
    FloatVector ib = FloatVector.fromArray(S, bias, bb);
    FloatVector fb = FloatVector.fromArray(S, bias, bb + GROUP);
    FloatVector cb = FloatVector.fromArray(S, bias, bb + 2 * GROUP);
    FloatVector ob = FloatVector.fromArray(S, bias, bb + 3 * GROUP);
    int uc = a + 2 * l;
    int bc = uc / GROUP * WIDTH + uc % GROUP;
    int pc = uc / GROUP * rows * WIDTH + uc % GROUP;
    FloatVector ic = FloatVector.fromArray(S, bias, bc);
    FloatVector fc = FloatVector.fromArray(S, bias, bc + GROUP);
    FloatVector cc = FloatVector.fromArray(S, bias, bc + 2 * GROUP);
    FloatVector oc = FloatVector.fromArray(S, bias, bc + 3 * GROUP);
    int ud = a + 3 * l;
    int bd = ud / GROUP * WIDTH + ud % GROUP;
    int pd = ud / GROUP * rows * WIDTH + ud % GROUP;
    FloatVector id = FloatVector.fromArray(S, bias, bd);
    FloatVector fd = FloatVector.fromArray(S, bias, bd + GROUP);
    FloatVector cd = FloatVector.fromArray(S, bias, bd + 2 * GROUP);
    FloatVector od = FloatVector.fromArray(S, bias, bd + 3 * GROUP);
    for (int k = 0; k < inputs; k++, pa += WIDTH, pb += WIDTH, pc += WIDTH, pd += WIDTH) {
      FloatVector v = FloatVector.broadcast(S, x[xOff + k]);
      ia = FloatVector.fromArray(S, w, pa).fma(v, ia);
      fa = FloatVector.fromArray(S, w, pa + GROUP).fma(v, fa);
      ca = FloatVector.fromArray(S, w, pa + 2 * GROUP).fma(v, ca);
      oa = FloatVector.fromArray(S, w, pa + 3 * GROUP).fma(v, oa);
      ib = FloatVector.fromArray(S, w, pb).fma(v, ib);
      fb = FloatVector.fromArray(S, w, pb + GROUP).fma(v, fb);
      cb = FloatVector.fromArray(S, w, pb + 2 * GROUP).fma(v, cb);
      ob = FloatVector.fromArray(S, w, pb + 3 * GROUP).fma(v, ob);
      ic = FloatVector.fromArray(S, w, pc).fma(v, ic);
      fc = FloatVector.fromArray(S, w, pc + GROUP).fma(v, fc);
      cc = FloatVector.fromArray(S, w, pc + 2 * GROUP).fma(v, cc);
      oc = FloatVector.fromArray(S, w, pc + 3 * GROUP).fma(v, oc);
      id = FloatVector.fromArray(S, w, pd).fma(v, id);
      fd = FloatVector.fromArray(S, w, pd + GROUP).fma(v, fd);
      cd = FloatVector.fromArray(S, w, pd + 2 * GROUP).fma(v, cd);
      od = FloatVector.fromArray(S, w, pd + 3 * GROUP).fma(v, od);
    }
    for (int k = 0; k < hidden; k++, pa += WIDTH, pb += WIDTH, pc += WIDTH, pd += WIDTH) {
      FloatVector v = FloatVector.broadcast(S, h[off + k]);
      ia = FloatVector.fromArray(S, w, pa).fma(v, ia);
      fa = FloatVector.fromArray(S, w, pa + GROUP).fma(v, fa);
      ca = FloatVector.fromArray(S, w, pa + 2 * GROUP).fma(v, ca);
      oa = FloatVector.fromArray(S, w, pa + 3 * GROUP).fma(v, oa);
      ib = FloatVector.fromArray(S, w, pb).fma(v, ib);
      fb = FloatVector.fromArray(S, w, pb + GROUP).fma(v, fb);
      cb = FloatVector.fromArray(S, w, pb + 2 * GROUP).fma(v, cb);
      ob = FloatVector.fromArray(S, w, pb + 3 * GROUP).fma(v, ob);
      ic = FloatVector.fromArray(S, w, pc).fma(v, ic);
      fc = FloatVector.fromArray(S, w, pc + GROUP).fma(v, fc);
      cc = FloatVector.fromArray(S, w, pc + 2 * GROUP).fma(v, cc);
      oc = FloatVector.fromArray(S, w, pc + 3 * GROUP).fma(v, oc);
      id = FloatVector.fromArray(S, w, pd).fma(v, id);
      fd = FloatVector.fromArray(S, w, pd + GROUP).fma(v, fd);
      cd = FloatVector.fromArray(S, w, pd + 2 * GROUP).fma(v, cd);
      od = FloatVector.fromArray(S, w, pd + 3 * GROUP).fma(v, od);
    }
    ia.intoArray(z, ua);
    fa.intoArray(z, hp + ua);
    oa.intoArray(z, 2 * hp + ua);
    ca.intoArray(z, 3 * hp + ua);
    ib.intoArray(z, ub);
    fb.intoArray(z, hp + ub);
    ob.intoArray(z, 2 * hp + ub);
    cb.intoArray(z, 3 * hp + ub);
    ic.intoArray(z, uc);
    fc.intoArray(z, hp + uc);
    oc.intoArray(z, 2 * hp + uc);
    cc.intoArray(z, 3 * hp + uc);
    id.intoArray(z, ud);
    fd.intoArray(z, hp + ud);
    od.intoArray(z, 2 * hp + ud);
    cd.intoArray(z, 3 * hp + ud);
  }

  /** Keys b..b+3: units [unit, unit + L), where unit = 16·g + s. */
  static void keys(
      LstmLayer layer,
      float[][] xs,
      int xOff,
      float[][] hs,
      int off,
      int b,
      float[] z,
      int g,
      int s,
      int hp) {
    float[] w = layer.packed;
    int inputs = layer.inputSize();
    int hidden = layer.hiddenSize();
    int bias = g * WIDTH + s;
    FloatVector i0 = FloatVector.fromArray(S, layer.packedBias, bias);
    FloatVector f0 = FloatVector.fromArray(S, layer.packedBias, bias + GROUP);
    FloatVector c0 = FloatVector.fromArray(S, layer.packedBias, bias + 2 * GROUP);
    FloatVector o0 = FloatVector.fromArray(S, layer.packedBias, bias + 3 * GROUP);
    FloatVector i1 = i0, f1 = f0, c1 = c0, o1 = o0;
    FloatVector i2 = i0, f2 = f0, c2 = c0, o2 = o0;
    FloatVector i3 = i0, f3 = f0, c3 = c0, o3 = o0;
    int p = g * (inputs + hidden) * WIDTH + s;
    // Not one loop over {x, h}: vectors that live across an outer loop get boxed.
    float[] x0 = xs[b], x1 = xs[b + 1], x2 = xs[b + 2], x3 = xs[b + 3];
    for (int k = 0; k < inputs; k++, p += WIDTH) {
      FloatVector wi = FloatVector.fromArray(S, w, p);
      FloatVector wf = FloatVector.fromArray(S, w, p + GROUP);
      FloatVector wc = FloatVector.fromArray(S, w, p + 2 * GROUP);
      FloatVector wo = FloatVector.fromArray(S, w, p + 3 * GROUP);
      FloatVector v = FloatVector.broadcast(S, x0[xOff + k]);
      i0 = wi.fma(v, i0);
      f0 = wf.fma(v, f0);
      c0 = wc.fma(v, c0);
      o0 = wo.fma(v, o0);
      v = FloatVector.broadcast(S, x1[xOff + k]);
      i1 = wi.fma(v, i1);
      f1 = wf.fma(v, f1);
      c1 = wc.fma(v, c1);
      o1 = wo.fma(v, o1);
      v = FloatVector.broadcast(S, x2[xOff + k]);
      i2 = wi.fma(v, i2);
      f2 = wf.fma(v, f2);
      c2 = wc.fma(v, c2);
      o2 = wo.fma(v, o2);
      v = FloatVector.broadcast(S, x3[xOff + k]);
      i3 = wi.fma(v, i3);
      f3 = wf.fma(v, f3);
      c3 = wc.fma(v, c3);
      o3 = wo.fma(v, o3);
    }
    float[] h0 = hs[b], h1 = hs[b + 1], h2 = hs[b + 2], h3 = hs[b + 3];
    for (int k = 0; k < hidden; k++, p += WIDTH) {
      FloatVector wi = FloatVector.fromArray(S, w, p);
      FloatVector wf = FloatVector.fromArray(S, w, p + GROUP);
      FloatVector wc = FloatVector.fromArray(S, w, p + 2 * GROUP);
      FloatVector wo = FloatVector.fromArray(S, w, p + 3 * GROUP);
      FloatVector v = FloatVector.broadcast(S, h0[off + k]);
      i0 = wi.fma(v, i0);
      f0 = wf.fma(v, f0);
      c0 = wc.fma(v, c0);
      o0 = wo.fma(v, o0);
      v = FloatVector.broadcast(S, h1[off + k]);
      i1 = wi.fma(v, i1);
      f1 = wf.fma(v, f1);
      c1 = wc.fma(v, c1);
      o1 = wo.fma(v, o1);
      v = FloatVector.broadcast(S, h2[off + k]);
      i2 = wi.fma(v, i2);
      f2 = wf.fma(v, f2);
      c2 = wc.fma(v, c2);
      o2 = wo.fma(v, o2);
      v = FloatVector.broadcast(S, h3[off + k]);
      i3 = wi.fma(v, i3);
      f3 = wf.fma(v, f3);
      c3 = wc.fma(v, c3);
      o3 = wo.fma(v, o3);
    }
    int unit = g * GROUP + s;
    int block = KEYS * hp;
    i0.intoArray(z, unit);
    i1.intoArray(z, hp + unit);
    i2.intoArray(z, 2 * hp + unit);
    i3.intoArray(z, 3 * hp + unit);
    f0.intoArray(z, block + unit);
    f1.intoArray(z, block + hp + unit);
    f2.intoArray(z, block + 2 * hp + unit);
    f3.intoArray(z, block + 3 * hp + unit);
    o0.intoArray(z, 2 * block + unit);
    o1.intoArray(z, 2 * block + hp + unit);
    o2.intoArray(z, 2 * block + 2 * hp + unit);
    o3.intoArray(z, 2 * block + 3 * hp + unit);
    c0.intoArray(z, 3 * block + unit);
    c1.intoArray(z, 3 * block + hp + unit);
    c2.intoArray(z, 3 * block + 2 * hp + unit);
    c3.intoArray(z, 3 * block + 3 * hp + unit);
  }
}
