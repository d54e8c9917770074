package io.flinklstm.train;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import io.flinklstm.model.Activation;
import io.flinklstm.model.CellType;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.bptt.Parameters;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Truncated BPTT on ND4J: the same equations and results as {@link io.flinklstm.model.bptt.Bptt},
 * with each step's products for all N sequences as one BLAS call (the pre-activations [h₋₁ | x |
 * 1]·[Wh; Wx; b], the gradient accumulation [h₋₁ | x | 1]ᵀ·δA with β = 1, and δA·Wᵀ) and the
 * element-wise work as in-place ND4J operations on preallocated arrays. The head runs once over all
 * T steps.
 *
 * <p>Every operation is a native call with a fixed cost of some microseconds, which is what limits
 * this path at the sizes here (see docs/benchmarks.md, section 3). Only tanh/sigmoid layers are
 * supported; ND4J's sigmoid and tanh are exact where the kernels' are rational approximations, so
 * the two paths agree to about 1e-6.
 */
final class Nd4jBptt implements BpttEngine {
  private final Parameters params;
  private final int layerCount;
  private final int outputs;
  private final INDArray headWeights;
  private final INDArray headBias;
  private Nd4jLayer[] layers;
  private INDArray y;
  private INDArray targets;
  private INDArray dy;
  private INDArray dhHead;
  private INDArray[] dhHeadBlock;
  private INDArray topH;
  private INDArray dyUsed;
  private float[] inputMirror;
  private float[] targetMirror;
  private int n;
  private int capacity;
  private int steps;
  private boolean backwardReady;

  /**
   * @throws IllegalArgumentException for a categorical model, an RNN layer, or a layer with
   *     activations other than tanh and sigmoid
   */
  Nd4jBptt(Parameters params) {
    if (params.categorical()) {
      throw new IllegalArgumentException(
          "the ND4J backend trains numeric models only; train categorical models on the kernels");
    }
    this.params = params;
    this.layerCount = params.layers.length;
    this.outputs = params.headBias.length;
    for (int l = 0; l < layerCount; l++) {
      Parameters.Layer p = params.layers[l];
      if (p.cell != CellType.LSTM) {
        throw new IllegalArgumentException(
            "the ND4J backend trains LSTM layers only; layer " + l + " is " + p.cell.id());
      }
      if (p.activation != Activation.TANH || p.recurrentActivation != Activation.SIGMOID) {
        throw new IllegalArgumentException(
            "the ND4J backend trains tanh/sigmoid layers only; layer "
                + l
                + " has "
                + p.activation.id()
                + "/"
                + p.recurrentActivation.id());
      }
    }
    this.headWeights = Nd4j.create(DataType.FLOAT, params.headWeights.length, outputs);
    this.headBias = Nd4j.create(DataType.FLOAT, 1, outputs);
  }

  @Override
  public String name() {
    return "nd4j";
  }

  @Override
  public void advance(float[][][] x, LstmState[] states) {
    prepare(x, states);
    for (int t = 0; t < steps; t++) {
      for (int l = 0; l < layerCount; l++) {
        step(l, t);
      }
    }
    storeStates(states);
    backwardReady = false;
  }

  @Override
  public double forward(float[][][] x, float[][][] target, LstmState[] states) {
    prepare(x, states);
    for (int t = 0; t < steps; t++) {
      for (int l = 0; l < layerCount; l++) {
        step(l, t);
      }
    }
    Nd4jLayer top = layers[layerCount - 1];
    long rows = (long) steps * n;
    topH = top.in.get(interval(n, rows + n), interval(0, top.hidden));
    INDArray yUsed = y.get(interval(0, rows), all());
    Nd4j.gemm(topH, headWeights, yUsed, false, false, 1.0, 0.0);
    yUsed.addiRowVector(headBias);
    for (int s = 0; s < n; s++) {
      for (int t = 0; t < steps; t++) {
        System.arraycopy(target[s][t], 0, targetMirror, (t * n + s) * outputs, outputs);
      }
    }
    targets.data().setData(targetMirror);
    dyUsed = dy.get(interval(0, rows), all());
    yUsed.sub(targets.get(interval(0, rows), all()), dyUsed);
    double norm = dyUsed.norm2Number().doubleValue();
    double count = (double) rows * outputs;
    dyUsed.muli(2.0 / count);
    storeStates(states);
    backwardReady = true;
    return norm * norm / count;
  }

  @Override
  public void backward(Parameters grads) {
    if (!backwardReady) {
      throw new IllegalStateException("backward needs a forward pass first");
    }
    for (Nd4jLayer layer : layers) {
      layer.weightGrads.assign(0);
      layer.dc.assign(0);
      layer.dIn.assign(0);
    }
    long rows = (long) steps * n;
    Nd4j.gemm(dyUsed, headWeights, dhHead.get(interval(0, rows), all()), false, true, 1.0, 0.0);
    INDArray headGrad = Nd4j.gemm(topH, dyUsed, true, false);
    float[][] hw = headGrad.toFloatMatrix();
    for (int k = 0; k < hw.length; k++) {
      Nd4jLayer.add(hw[k], grads.headWeights[k]);
    }
    Nd4jLayer.add(dyUsed.sum(0).toFloatVector(), grads.headBias);
    for (int t = steps - 1; t >= 0; t--) {
      for (int l = layerCount - 1; l >= 0; l--) {
        backwardStep(l, t);
      }
    }
    for (int l = 0; l < layerCount; l++) {
      layers[l].addGradients(grads.layers[l]);
    }
  }

  /** One layer, one step forward, for all sequences. */
  private void step(int l, int t) {
    Nd4jLayer a = layers[l];
    Nd4j.gemm(a.inBlock[t], a.weights, a.gatesBlock[t], false, false, 1.0, 0.0);
    Transforms.sigmoid(a.sigmoidFirst[t], false);
    Transforms.tanh(a.candidate[t], false);
    Transforms.sigmoid(a.outGate[t], false);
    a.forgetGate[t].mul(a.cell[t], a.cell[t + 1]);
    a.inGate[t].mul(a.candidate[t], a.tmp);
    a.cell[t + 1].addi(a.tmp);
    a.cellAct[t].assign(a.cell[t + 1]);
    Transforms.tanh(a.cellAct[t], false);
    a.outGate[t].mul(a.cellAct[t], a.inH[t + 1]);
    if (l + 1 < layerCount) {
      layers[l + 1].inX[t].assign(a.inH[t + 1]);
    }
  }

  /** One layer, one step back; the equations of {@link io.flinklstm.model.bptt.Bptt}. */
  private void backwardStep(int l, int t) {
    Nd4jLayer a = layers[l];
    INDArray above = l == layerCount - 1 ? dhHeadBlock[t] : layers[l + 1].dInX;
    above.add(a.dInH, a.dh);
    // δc += δh ⊙ o ⊙ (1 − φ(c)²)
    a.cellAct[t].mul(a.cellAct[t], a.tmp).rsubi(1).muli(a.outGate[t]).muli(a.dh);
    a.dc.addi(a.tmp);
    // δi = δc ⊙ g ⊙ i(1 − i)
    a.inGate[t].rsub(1, a.tmp).muli(a.inGate[t]).muli(a.candidate[t]).mul(a.dc, a.dGate[0]);
    // δf = δc ⊙ c₋₁ ⊙ f(1 − f)
    a.forgetGate[t].rsub(1, a.tmp).muli(a.forgetGate[t]).muli(a.cell[t]).mul(a.dc, a.dGate[1]);
    // δg = δc ⊙ i ⊙ (1 − g²)
    a.candidate[t].mul(a.candidate[t], a.tmp).rsubi(1).muli(a.inGate[t]).mul(a.dc, a.dGate[2]);
    // δo = δh ⊙ φ(c) ⊙ o(1 − o)
    a.outGate[t].rsub(1, a.tmp).muli(a.outGate[t]).muli(a.cellAct[t]).mul(a.dh, a.dGate[3]);
    a.dc.muli(a.forgetGate[t]);
    Nd4j.gemm(a.inBlock[t], a.dA, a.weightGrads, true, false, 1.0, 1.0);
    Nd4j.gemm(a.dA, a.weights, a.dIn, false, true, 1.0, 0.0);
  }

  private void prepare(float[][][] x, LstmState[] states) {
    int count = x.length;
    steps = x[0].length;
    if (layers == null || count != n || steps > capacity) {
      allocate(count, Math.max(steps, capacity));
    }
    for (int l = 0; l < layerCount; l++) {
      layers[l].loadWeights(params.layers[l]);
    }
    headWeights.assign(Nd4j.createFromArray(params.headWeights));
    headBias.assign(Nd4j.createFromArray(new float[][] {params.headBias}));
    Nd4jLayer first = layers[0];
    for (int s = 0; s < n; s++) {
      for (int t = 0; t < steps; t++) {
        System.arraycopy(
            x[s][t], 0, inputMirror, (t * n + s) * first.rows + first.hidden, first.below);
      }
    }
    first.in.data().setData(inputMirror);
    int offset = 0;
    for (Nd4jLayer layer : layers) {
      float[][] h = new float[n][];
      float[][] c = new float[n][];
      for (int s = 0; s < n; s++) {
        h[s] = java.util.Arrays.copyOfRange(states[s].h(), offset, offset + layer.hidden);
        c[s] = java.util.Arrays.copyOfRange(states[s].c(), offset, offset + layer.hidden);
      }
      layer.inH[0].assign(Nd4j.createFromArray(h));
      layer.cell[0].assign(Nd4j.createFromArray(c));
      offset += layer.hidden;
    }
  }

  private void storeStates(LstmState[] states) {
    int offset = 0;
    for (Nd4jLayer layer : layers) {
      float[][] h = layer.inH[steps].toFloatMatrix();
      float[][] c = layer.cell[steps].toFloatMatrix();
      for (int s = 0; s < n; s++) {
        System.arraycopy(h[s], 0, states[s].h(), offset, layer.hidden);
        System.arraycopy(c[s], 0, states[s].c(), offset, layer.hidden);
      }
      offset += layer.hidden;
    }
  }

  private void allocate(int count, int maxSteps) {
    n = count;
    capacity = maxSteps;
    layers = new Nd4jLayer[layerCount];
    for (int l = 0; l < layerCount; l++) {
      layers[l] = new Nd4jLayer(params.layers[l], n, capacity);
    }
    long rows = (long) capacity * n;
    y = Nd4j.create(DataType.FLOAT, rows, outputs);
    targets = Nd4j.create(DataType.FLOAT, rows, outputs);
    dy = Nd4j.create(DataType.FLOAT, rows, outputs);
    int topHidden = layers[layerCount - 1].hidden;
    dhHead = Nd4j.create(DataType.FLOAT, rows, topHidden);
    dhHeadBlock = new INDArray[capacity];
    for (int t = 0; t < capacity; t++) {
      dhHeadBlock[t] = dhHead.get(interval((long) t * n, (long) (t + 1) * n), all());
    }
    Nd4jLayer first = layers[0];
    // The first layer's inputs and its column of ones, written whole by every forward.
    inputMirror = new float[(capacity + 1) * n * first.rows];
    for (int r = 0; r < (capacity + 1) * n; r++) {
      inputMirror[r * first.rows + first.rows - 1] = 1f;
    }
    targetMirror = new float[capacity * n * outputs];
  }
}
