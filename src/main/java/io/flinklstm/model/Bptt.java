package io.flinklstm.model;

import java.util.Arrays;

/**
 * Backpropagation through time for a stacked LSTM with a dense head, over a batch of N sequences of
 * T steps, with the state carried between calls (truncated BPTT).
 *
 * <p>{@link #forward} runs the layers over the chunk from each sequence's current state, keeps the
 * per-step values the backward pass needs, writes the final states back (so the next chunk starts
 * where this one ended, as seed 003's stateful Time LSTM does) and returns the mean squared error
 * of the head's predictions against the targets. {@link #backward} then walks t = T-1 … 0 and
 * accumulates the gradients of every parameter; the gradient stops at the chunk's first step, and
 * the gradients with respect to the chunk's initial state and its inputs are kept for callers that
 * need them. For one step of one layer, with δh and δc arriving from above and from step t+1:
 *
 * <pre>
 *   δo = δh ⊙ φ(c)             δc ← δc + δh ⊙ o ⊙ φ'(c)
 *   δi = δc ⊙ g    δf = δc ⊙ c₋₁    δg = δc ⊙ i    δc₋₁ = δc ⊙ f
 *   δA = [δi ⊙ σ'(i), δf ⊙ σ'(f), δg ⊙ φ'(g), δo ⊙ σ'(o)]     (the four gate gradients, fused)
 *   δWx += xᵀ·δA    δWh += h₋₁ᵀ·δA    δb += δA    δx = δA·Wxᵀ    δh₋₁ = δA·Whᵀ
 * </pre>
 *
 * <p>Not thread-safe; buffers are kept between calls and grow to the largest batch seen.
 */
public final class Bptt {
  private final Parameters params;
  private final int layers;
  private final int outputs;

  private int n;
  private int steps;
  private int capacityN;
  private int capacitySteps;
  private float[][][] inputs;
  private float[][][] targets;
  // Per layer and step: hidden and cell (index 0 is the initial state), the four gates after their
  // activations, and φ(c). Rows are sequence-major: [n · H + j].
  private float[][][] hidden;
  private float[][][] cell;
  private float[][][] inGate;
  private float[][][] forgetGate;
  private float[][][] candidate;
  private float[][][] outGate;
  private float[][][] cellAct;
  private float[][] outputGrad;
  private float[][][] inputGrad;
  private final float[][] dhRecurrent;
  private final float[][] dcRecurrent;
  private final float[][] dhBelow;
  private final float[][] gateGrad;
  private final float[] scratch;
  private final int stateSize;
  private LstmState[] initialStateGrads = new LstmState[0];

  /** A trainer over these parameters (read, never written, by forward and backward). */
  public Bptt(Parameters params) {
    this.params = params;
    this.layers = params.layers.length;
    this.outputs = params.headBias.length;
    int stateSize = 0;
    int maxGates = 0;
    for (Parameters.Layer p : params.layers) {
      stateSize += p.hiddenSize();
      maxGates = Math.max(maxGates, p.bias.length);
    }
    this.dhRecurrent = new float[layers][];
    this.dcRecurrent = new float[layers][];
    this.dhBelow = new float[2][];
    this.gateGrad = new float[1][maxGates];
    this.scratch = new float[Math.max(maxGates, outputs)];
    this.stateSize = stateSize;
  }

  /**
   * Runs the chunk and returns its loss, mean((y − target)²) over every sequence, step and output.
   *
   * @param x N × T × D inputs, normalised
   * @param target N × T × O what the head should predict at each step
   * @param state N states, read as the chunk's initial states and replaced by its final ones
   */
  public double forward(float[][][] x, float[][][] target, LstmState[] state) {
    int count = x.length;
    int len = x[0].length;
    ensureCapacity(count, len);
    this.inputs = x;
    this.targets = target;
    double sum = 0;
    for (int l = 0; l < layers; l++) {
      int hSize = params.layers[l].hiddenSize();
      int off = offset(l);
      for (int s = 0; s < n; s++) {
        System.arraycopy(state[s].h, off, hidden[l][0], s * hSize, hSize);
        System.arraycopy(state[s].c, off, cell[l][0], s * hSize, hSize);
      }
    }
    float scale = 2f / ((float) n * steps * outputs);
    int top = layers - 1;
    int topSize = params.layers[top].hiddenSize();
    for (int t = 0; t < steps; t++) {
      for (int l = 0; l < layers; l++) {
        forwardLayer(l, t);
      }
      for (int s = 0; s < n; s++) {
        float[] y = scratch;
        affineRow(hidden[top][t + 1], s * topSize, topSize, params.headWeights, params.headBias, y);
        float[] want = target[s][t];
        for (int o = 0; o < outputs; o++) {
          float diff = y[o] - want[o];
          sum += (double) diff * diff;
          outputGrad[t][s * outputs + o] = scale * diff;
        }
      }
    }
    for (int l = 0; l < layers; l++) {
      int hSize = params.layers[l].hiddenSize();
      int off = offset(l);
      for (int s = 0; s < n; s++) {
        System.arraycopy(hidden[l][steps], s * hSize, state[s].h, off, hSize);
        System.arraycopy(cell[l][steps], s * hSize, state[s].c, off, hSize);
      }
    }
    return sum / ((double) n * steps * outputs);
  }

  /** Accumulates the last forward chunk's parameter gradients into {@code grads}. */
  public void backward(Parameters grads) {
    backward(grads, null);
  }

  /**
   * As {@link #backward(Parameters)}, with gradients arriving on the chunk's final state as well
   * (from a later chunk), which makes consecutive chunks compose to full BPTT.
   *
   * @param finalStateGrads N states holding δh and δc of the final state, or null for none
   */
  public void backward(Parameters grads, LstmState[] finalStateGrads) {
    for (int l = 0; l < layers; l++) {
      int hSize = params.layers[l].hiddenSize();
      Arrays.fill(dhRecurrent[l], 0, n * hSize, 0f);
      Arrays.fill(dcRecurrent[l], 0, n * hSize, 0f);
      if (finalStateGrads != null) {
        int off = offset(l);
        for (int s = 0; s < n; s++) {
          System.arraycopy(finalStateGrads[s].h, off, dhRecurrent[l], s * hSize, hSize);
          System.arraycopy(finalStateGrads[s].c, off, dcRecurrent[l], s * hSize, hSize);
        }
      }
    }
    int top = layers - 1;
    int topSize = params.layers[top].hiddenSize();
    for (int t = steps - 1; t >= 0; t--) {
      headBackward(grads, t, dhBelow[0], topSize);
      for (int l = top; l >= 0; l--) {
        float[] dhNext = dhBelow[(top - l + 1) & 1];
        backwardLayer(grads, l, t, dhBelow[(top - l) & 1], dhNext);
      }
    }
    for (int s = 0; s < n; s++) {
      for (int l = 0; l < layers; l++) {
        int hSize = params.layers[l].hiddenSize();
        System.arraycopy(dhRecurrent[l], s * hSize, initialStateGrads[s].h, offset(l), hSize);
        System.arraycopy(dcRecurrent[l], s * hSize, initialStateGrads[s].c, offset(l), hSize);
      }
    }
  }

  /**
   * δloss/δx of the last backward pass: the first N × T entries of these live arrays, overwritten
   * by the next call.
   */
  public float[][][] inputGradients() {
    return inputGrad;
  }

  /** δloss/δ(initial h, c) of the last backward pass: the first N of these live states. */
  public LstmState[] initialStateGradients() {
    return initialStateGrads;
  }

  private void forwardLayer(int l, int t) {
    Parameters.Layer p = params.layers[l];
    int hSize = p.hiddenSize();
    int gates = 4 * hSize;
    float[] z = scratch;
    Activation act = p.activation;
    Activation rec = p.recurrentActivation;
    for (int s = 0; s < n; s++) {
      System.arraycopy(p.bias, 0, z, 0, gates);
      if (l == 0) {
        float[] xt = inputs[s][t];
        for (int k = 0; k < p.inputSize(); k++) {
          accumulate(z, xt[k], p.inputWeights[k], gates);
        }
      } else {
        int below = params.layers[l - 1].hiddenSize();
        float[] hb = hidden[l - 1][t + 1];
        for (int k = 0; k < below; k++) {
          accumulate(z, hb[s * below + k], p.inputWeights[k], gates);
        }
      }
      float[] hp = hidden[l][t];
      for (int k = 0; k < hSize; k++) {
        accumulate(z, hp[s * hSize + k], p.recurrentWeights[k], gates);
      }
      float[] cPrev = cell[l][t];
      for (int j = 0; j < hSize; j++) {
        int at = s * hSize + j;
        float i = rec.apply(z[j]);
        float f = rec.apply(z[hSize + j]);
        float g = act.apply(z[2 * hSize + j]);
        float o = rec.apply(z[3 * hSize + j]);
        float c = f * cPrev[at] + i * g;
        float ac = act.apply(c);
        inGate[l][t][at] = i;
        forgetGate[l][t][at] = f;
        candidate[l][t][at] = g;
        outGate[l][t][at] = o;
        cell[l][t + 1][at] = c;
        cellAct[l][t][at] = ac;
        hidden[l][t + 1][at] = o * ac;
      }
    }
  }

  private void headBackward(Parameters grads, int t, float[] dh, int topSize) {
    float[] hTop = hidden[layers - 1][t + 1];
    for (int s = 0; s < n; s++) {
      int yOff = s * outputs;
      float[] dy = outputGrad[t];
      for (int o = 0; o < outputs; o++) {
        grads.headBias[o] += dy[yOff + o];
      }
      for (int k = 0; k < topSize; k++) {
        float hk = hTop[s * topSize + k];
        float[] gRow = grads.headWeights[k];
        float[] wRow = params.headWeights[k];
        float back = 0f;
        for (int o = 0; o < outputs; o++) {
          gRow[o] += hk * dy[yOff + o];
          back += wRow[o] * dy[yOff + o];
        }
        dh[s * topSize + k] = back;
      }
    }
  }

  /** One layer at one step: dhIn arrives from above, dhOut receives δ of the layer's input. */
  private void backwardLayer(Parameters grads, int l, int t, float[] dhIn, float[] dhOut) {
    Parameters.Layer p = params.layers[l];
    Parameters.Layer g = grads.layers[l];
    int hSize = p.hiddenSize();
    int gates = 4 * hSize;
    int inSize = p.inputSize();
    float[] dA = gateGrad[0];
    float[] dhRec = dhRecurrent[l];
    float[] dcRec = dcRecurrent[l];
    Activation act = p.activation;
    Activation rec = p.recurrentActivation;
    float[] hPrev = hidden[l][t];
    float[] cPrev = cell[l][t];
    for (int s = 0; s < n; s++) {
      for (int j = 0; j < hSize; j++) {
        int at = s * hSize + j;
        float i = inGate[l][t][at];
        float f = forgetGate[l][t][at];
        float gc = candidate[l][t][at];
        float o = outGate[l][t][at];
        float ac = cellAct[l][t][at];
        float dh = dhIn[at] + dhRec[at];
        float dc = dcRec[at] + dh * o * act.derivativeFromOutput(ac);
        dA[j] = dc * gc * rec.derivativeFromOutput(i);
        dA[hSize + j] = dc * cPrev[at] * rec.derivativeFromOutput(f);
        dA[2 * hSize + j] = dc * i * act.derivativeFromOutput(gc);
        dA[3 * hSize + j] = dh * ac * rec.derivativeFromOutput(o);
        dcRec[at] = dc * f;
      }
      for (int j = 0; j < gates; j++) {
        g.bias[j] += dA[j];
      }
      float[] x = l == 0 ? inputs[s][t] : hidden[l - 1][t + 1];
      int xOff = l == 0 ? 0 : s * inSize;
      float[] dx = l == 0 ? inputGrad[s][t] : dhOut;
      int dxOff = l == 0 ? 0 : s * inSize;
      for (int k = 0; k < inSize; k++) {
        accumulate(g.inputWeights[k], x[xOff + k], dA, gates);
        dx[dxOff + k] = dot(p.inputWeights[k], dA, gates);
      }
      for (int k = 0; k < hSize; k++) {
        accumulate(g.recurrentWeights[k], hPrev[s * hSize + k], dA, gates);
        dhRec[s * hSize + k] = dot(p.recurrentWeights[k], dA, gates);
      }
    }
  }

  private static void affineRow(
      float[] x, int xOff, int size, float[][] weights, float[] bias, float[] out) {
    System.arraycopy(bias, 0, out, 0, bias.length);
    for (int k = 0; k < size; k++) {
      accumulate(out, x[xOff + k], weights[k], bias.length);
    }
  }

  /** z[0, len) += a · row[0, len). */
  private static void accumulate(float[] z, float a, float[] row, int len) {
    for (int j = 0; j < len; j++) {
      z[j] += a * row[j];
    }
  }

  private static float dot(float[] a, float[] b, int len) {
    float sum = 0f;
    for (int j = 0; j < len; j++) {
      sum += a[j] * b[j];
    }
    return sum;
  }

  private int offset(int layer) {
    int off = 0;
    for (int l = 0; l < layer; l++) {
      off += params.layers[l].hiddenSize();
    }
    return off;
  }

  private void ensureCapacity(int count, int len) {
    n = count;
    steps = len;
    if (count <= capacityN && len <= capacitySteps) {
      return;
    }
    capacityN = Math.max(count, capacityN);
    capacitySteps = Math.max(len, capacitySteps);
    hidden = new float[layers][][];
    cell = new float[layers][][];
    inGate = new float[layers][][];
    forgetGate = new float[layers][][];
    candidate = new float[layers][][];
    outGate = new float[layers][][];
    cellAct = new float[layers][][];
    int maxHidden = 0;
    for (int l = 0; l < layers; l++) {
      int size = capacityN * params.layers[l].hiddenSize();
      maxHidden = Math.max(maxHidden, size);
      hidden[l] = new float[capacitySteps + 1][size];
      cell[l] = new float[capacitySteps + 1][size];
      inGate[l] = new float[capacitySteps][size];
      forgetGate[l] = new float[capacitySteps][size];
      candidate[l] = new float[capacitySteps][size];
      outGate[l] = new float[capacitySteps][size];
      cellAct[l] = new float[capacitySteps][size];
      dhRecurrent[l] = new float[size];
      dcRecurrent[l] = new float[size];
    }
    dhBelow[0] = new float[maxHidden];
    dhBelow[1] = new float[maxHidden];
    outputGrad = new float[capacitySteps][capacityN * outputs];
    int inputSize = params.layers[0].inputSize();
    inputGrad = new float[capacityN][capacitySteps][inputSize];
    initialStateGrads = new LstmState[capacityN];
    for (int s = 0; s < capacityN; s++) {
      initialStateGrads[s] = new LstmState(stateSize);
    }
  }
}
