package io.flinklstm.model.bptt;

import io.flinklstm.model.CellType;
import io.flinklstm.model.LstmLayer;

/**
 * Sizes and row strides of {@link Bptt}'s buffers for one stack of layers. Every row is padded to a
 * multiple of {@link LstmLayer#PAD} floats, so the kernels run whole vectors without tails.
 *
 * <p>Layer l's input row is [h₋₁ (H) | x (D) | 1], {@code rows[l]} = H + D + 1 values in a row of
 * {@code inStride[l]}; its stacked weights have that many rows of {@code gateStride[l]} ≥ {@code
 * gates[l]} = B·H (B = 4 for an LSTM layer, 1 for an RNN layer).
 */
final class BpttLayout {
  final int layers;
  final int outputs;
  final int outStride;
  final int[] hidden;
  final CellType[] cells;
  final int[] gates;
  final int[] below;
  final int[] rows;
  final int[] inStride;
  final int[] gateStride;
  final int[] cellStride;
  final int[] stateOffset;
  final int stateSize;

  /** V for a categorical model, whose first layer reads embedding rows; 0 for a numeric one. */
  final int vocabulary;

  BpttLayout(Parameters params) {
    layers = params.layers.length;
    outputs = params.headBias.length;
    outStride = LstmLayer.padded(outputs);
    hidden = new int[layers];
    cells = new CellType[layers];
    gates = new int[layers];
    below = new int[layers];
    rows = new int[layers];
    inStride = new int[layers];
    gateStride = new int[layers];
    cellStride = new int[layers];
    stateOffset = new int[layers];
    int offset = 0;
    for (int l = 0; l < layers; l++) {
      Parameters.Layer p = params.layers[l];
      hidden[l] = p.hiddenSize();
      cells[l] = p.cell;
      gates[l] = p.cell.blocks() * hidden[l];
      below[l] = p.inputSize();
      rows[l] = hidden[l] + below[l] + 1;
      inStride[l] = LstmLayer.padded(rows[l]);
      gateStride[l] = LstmLayer.padded(gates[l]);
      cellStride[l] = LstmLayer.padded(hidden[l]);
      stateOffset[l] = offset;
      offset += hidden[l];
    }
    stateSize = offset;
    vocabulary = params.embedding.length;
  }

  boolean lstm(int l) {
    return cells[l] == CellType.LSTM;
  }

  int top() {
    return layers - 1;
  }

  /** Where the constant 1 sits in layer l's input row. */
  int oneColumn(int l) {
    return hidden[l] + below[l];
  }
}
