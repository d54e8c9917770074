package io.flinklstm.train;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import io.flinklstm.model.bptt.Parameters;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One LSTM layer's arrays for {@link Nd4jBptt}, for N sequences and up to T steps, with every view
 * made once up front (a view costs a Java object and a shape buffer, which per step would add up).
 *
 * <p>Row block t of {@code in} is the layer's input at step t, [h₋₁ | x | 1] (N × K, K = H + D +
 * 1), against the stacked weights [Wh; Wx; b] (K × 4H); block t + 1's h columns receive h of step
 * t. Row block t of {@code gates} holds the pre-activations, then the gates [i | f | g | o].
 */
final class Nd4jLayer {
  final int hidden;
  final int below;
  final int rows;
  final INDArray weights;
  final INDArray weightGrads;
  final INDArray in;
  final INDArray[] inBlock;
  final INDArray[] inH;
  final INDArray[] inX;
  final INDArray[] gatesBlock;
  final INDArray[] inGate;
  final INDArray[] forgetGate;
  final INDArray[] sigmoidFirst;
  final INDArray[] candidate;
  final INDArray[] outGate;
  final INDArray[] cell;
  final INDArray[] cellAct;
  // Backward scratch: δA and its blocks, [δh₋₁ | δx | ·], δh, δc and a temporary.
  final INDArray dA;
  final INDArray[] dGate;
  final INDArray dIn;
  final INDArray dInH;
  final INDArray dInX;
  final INDArray dh;
  final INDArray dc;
  final INDArray tmp;

  Nd4jLayer(Parameters.Layer p, int n, int steps) {
    hidden = p.hiddenSize();
    below = p.inputSize();
    rows = hidden + below + 1;
    int h = hidden;
    int g = 4 * h;
    weights = Nd4j.create(DataType.FLOAT, rows, g);
    weightGrads = Nd4j.create(DataType.FLOAT, rows, g);
    in = Nd4j.create(DataType.FLOAT, (long) (steps + 1) * n, rows);
    in.getColumn(rows - 1).assign(1);
    INDArray gates = Nd4j.create(DataType.FLOAT, (long) steps * n, g);
    INDArray cells = Nd4j.create(DataType.FLOAT, (long) (steps + 1) * n, h);
    INDArray cellActs = Nd4j.create(DataType.FLOAT, (long) steps * n, h);
    inBlock = new INDArray[steps + 1];
    inH = new INDArray[steps + 1];
    inX = new INDArray[steps + 1];
    cell = new INDArray[steps + 1];
    gatesBlock = new INDArray[steps];
    inGate = new INDArray[steps];
    forgetGate = new INDArray[steps];
    sigmoidFirst = new INDArray[steps];
    candidate = new INDArray[steps];
    outGate = new INDArray[steps];
    cellAct = new INDArray[steps];
    for (int t = 0; t <= steps; t++) {
      inBlock[t] = in.get(interval((long) t * n, (long) (t + 1) * n), all());
      inH[t] = inBlock[t].get(all(), interval(0, h));
      inX[t] = inBlock[t].get(all(), interval(h, h + below));
      cell[t] = cells.get(interval((long) t * n, (long) (t + 1) * n), all());
      if (t == steps) {
        break;
      }
      INDArray block = gates.get(interval((long) t * n, (long) (t + 1) * n), all());
      gatesBlock[t] = block;
      inGate[t] = block.get(all(), interval(0, h));
      forgetGate[t] = block.get(all(), interval(h, 2 * h));
      sigmoidFirst[t] = block.get(all(), interval(0, 2 * h));
      candidate[t] = block.get(all(), interval(2 * h, 3 * h));
      outGate[t] = block.get(all(), interval(3 * h, 4 * h));
      cellAct[t] = cellActs.get(interval((long) t * n, (long) (t + 1) * n), all());
    }
    dA = Nd4j.create(DataType.FLOAT, n, g);
    dGate = new INDArray[4];
    for (int k = 0; k < 4; k++) {
      dGate[k] = dA.get(all(), interval((long) k * h, (long) (k + 1) * h));
    }
    dIn = Nd4j.create(DataType.FLOAT, n, rows);
    dInH = dIn.get(all(), interval(0, h));
    dInX = dIn.get(all(), interval(h, h + below));
    dh = Nd4j.create(DataType.FLOAT, n, h);
    dc = Nd4j.create(DataType.FLOAT, n, h);
    tmp = Nd4j.create(DataType.FLOAT, n, h);
  }

  /** Copies the layer's weights into the stacked matrix [Wh; Wx; b]. */
  void loadWeights(Parameters.Layer p) {
    float[][] stacked = new float[rows][];
    System.arraycopy(p.recurrentWeights, 0, stacked, 0, hidden);
    System.arraycopy(p.inputWeights, 0, stacked, hidden, below);
    stacked[rows - 1] = p.bias;
    weights.assign(Nd4j.createFromArray(stacked));
  }

  /** Adds the stacked gradient into Wh, Wx and b of {@code g}. */
  void addGradients(Parameters.Layer g) {
    float[][] d = weightGrads.toFloatMatrix();
    for (int k = 0; k < hidden; k++) {
      add(d[k], g.recurrentWeights[k]);
    }
    for (int k = 0; k < below; k++) {
      add(d[hidden + k], g.inputWeights[k]);
    }
    add(d[rows - 1], g.bias);
  }

  static void add(float[] from, float[] into) {
    for (int j = 0; j < into.length; j++) {
      into[j] += from[j];
    }
  }
}
