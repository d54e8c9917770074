package io.flinklstm.model.bptt;

import io.flinklstm.model.Activation;

/**
 * What the element-wise passes of one recurrent layer (the LSTM's gates, or {@link RnnRows}) read
 * and write at one step t: n rows, one per sequence, of each of the layer's buffers in {@link
 * BpttBuffers}. Row r of a buffer starts at r times its stride. {@link Bptt} keeps one per layer
 * and points it at step t ({@link #at}) before each pass, so a pass allocates nothing.
 */
final class LayerRows {
  final Activation act;
  final Activation rec;

  /** H, the layer's hidden size. */
  final int hidden;

  /** Stride of {@link #gates} and {@link #dA}: an LSTM's [i | f | g | o], padded. */
  final int gateStride;

  /** Stride of {@link #cPrev}, {@link #cNext}, {@link #cellAct} and {@link #dcRec}. */
  final int cellStride;

  /** Stride of {@link #hOut} and {@link #dhRec}: the layer's input rows [h₋₁ | x | 1]. */
  final int inputStride;

  /** Where δh from above starts in a row of {@link #dhAbove}, and that row's stride. */
  final int aboveOffset;

  final int aboveStride;

  private final int layer;
  private final boolean top;

  /** Rows in the current chunk. */
  int n;

  // Forward: the pre-activations, replaced by the activated gates; c₋₁; c and φ(c); h, written at
  // the start of each row of the layer's next input.
  float[] gates;
  float[] cPrev;
  float[] cNext;
  float[] cellAct;
  float[] hOut;

  // Backward: δc from the step after, replaced by δc₋₁; δh from the layer above (or the head) and
  // from the step after; the gate gradients δA.
  float[] dcRec;
  float[] dhAbove;
  float[] dhRec;
  float[] dA;

  LayerRows(BpttLayout shape, Parameters.Layer p, int layer) {
    this.act = p.activation;
    this.rec = p.recurrentActivation;
    this.hidden = shape.hidden[layer];
    this.gateStride = shape.gateStride[layer];
    this.cellStride = shape.cellStride[layer];
    this.inputStride = shape.inStride[layer];
    this.layer = layer;
    this.top = layer == shape.layers - 1;
    // δh from above: the head's δ, or the x-part of the upper layer's [δh₋₁ | δx].
    this.aboveOffset = top ? 0 : shape.hidden[layer + 1];
    this.aboveStride = top ? shape.cellStride[layer] : shape.inStride[layer + 1];
  }

  /** This layer's rows of step t of a chunk of n sequences. */
  LayerRows at(BpttBuffers buf, int n, int t) {
    this.n = n;
    gates = buf.gates[layer][t];
    cPrev = buf.cell[layer][t];
    cNext = buf.cell[layer][t + 1];
    cellAct = buf.cellAct[layer][t];
    hOut = buf.in[layer][t + 1];
    dcRec = buf.dcRec[layer];
    dhAbove = top ? buf.dhHead : buf.dIn[layer + 1];
    dhRec = buf.dIn[layer];
    dA = buf.dA[layer];
    return this;
  }
}
