package io.flinklstm.model.bptt;

import io.flinklstm.model.LstmState;

/**
 * Backpropagation through time for a stack of recurrent layers (LSTM or vanilla RNN) with a dense
 * head, over a batch of N sequences of T steps, with the state carried between calls (truncated
 * BPTT). A numeric model reads vectors and is trained on the mean squared error of its predictions;
 * a categorical model ({@link Parameters#categorical()}) reads symbol ids through its embedding and
 * is trained on the cross-entropy of its softmax head.
 *
 * <p>{@link #forward} runs the layers over the chunk from each sequence's current state, keeps the
 * per-step values the backward pass needs, writes the final states back (so the next chunk starts
 * where this one ended, as a stateful LSTM trained chunk by chunk does) and returns the mean
 * squared error of the head's predictions against the targets. {@link #backward} then walks t = T-1
 * … 0 and accumulates the gradients of every parameter; the gradient stops at the chunk's first
 * step, and the gradients with respect to the chunk's initial state and its inputs are kept for
 * callers that need them. For one step of one layer, with δh and δc arriving from above and from
 * step t+1:
 *
 * <pre>
 *   δo = δh ⊙ φ(c)             δc ← δc + δh ⊙ o ⊙ φ'(c)
 *   δi = δc ⊙ g    δf = δc ⊙ c₋₁    δg = δc ⊙ i    δc₋₁ = δc ⊙ f
 *   δA = [δi ⊙ σ'(i), δf ⊙ σ'(f), δg ⊙ φ'(g), δo ⊙ σ'(o)]     (the four gate gradients, fused)
 *   δWx += xᵀ·δA    δWh += h₋₁ᵀ·δA    δb += δA    δx = δA·Wxᵀ    δh₋₁ = δA·Whᵀ
 * </pre>
 *
 * An RNN layer (h = φ(A)) has the single block δA = δh ⊙ φ'(A) and the same products. For the
 * softmax head δy = softmax(y) − onehot(target), and the δx of a categorical model's first layer is
 * added to the embedding row of the step's symbol.
 *
 * <p>The N sequences of a step go through each layer together, as matrix products. Each layer's
 * input at step t is kept as one row per sequence, [h₋₁ | x | 1], against the stacked weights [Wh;
 * Wx; b]: one product gives the pre-activations A, one outer-product accumulation [h₋₁ | x | 1]ᵀ·δA
 * gives δWh, δWx and δb at once, and one product with the transposed weights gives [δh₋₁ | δx]. The
 * weights are copied into that layout by every {@link #forward}, so the parameters may change
 * between calls. The arithmetic is a {@link BpttKernel}: the Vector API one where available.
 *
 * <p>Not thread-safe; buffers are kept between calls and grow to the largest batch seen, so calls
 * of the same shape allocate nothing.
 */
public final class Bptt {
  private final Parameters params;
  private final BpttKernel kernel;
  private final BpttLayout shape;
  private final int layers;
  private final int outputs;
  private final BpttWeights weights;
  private final BpttWeights weightGrads;

  /** Per layer, the rows its element-wise passes work on. */
  private final LayerRows[] layerRows;

  private BpttBuffers buf;
  private int n;
  private int steps;
  private boolean backwardReady;
  private boolean inputGradients = true;

  /** A trainer over these parameters (read, never written, by forward and backward). */
  public Bptt(Parameters params) {
    this(params, BpttKernels.best());
  }

  Bptt(Parameters params, BpttKernel kernel) {
    this.params = params;
    this.kernel = kernel;
    this.shape = new BpttLayout(params);
    this.layers = shape.layers;
    this.outputs = shape.outputs;
    this.weights = new BpttWeights(shape, true);
    this.weightGrads = new BpttWeights(shape, false);
    this.layerRows = new LayerRows[layers];
    for (int l = 0; l < layers; l++) {
      layerRows[l] = new LayerRows(shape, params.layers[l], l);
    }
  }

  /** The kernel in use, for logs: {@code scalar} or {@code vector-<bits>}. */
  public String kernelName() {
    return kernel.name();
  }

  /**
   * Whether {@link #backward} computes δloss/δx for {@link #inputGradients()} (default true).
   * Training does not need it; turning it off saves the first layer's share of one product.
   */
  public void computeInputGradients(boolean enabled) {
    this.inputGradients = enabled;
  }

  /**
   * Runs the chunk and returns its loss, mean((y − target)²) over every sequence, step and output.
   *
   * @param x N × T × D inputs, normalised
   * @param target N × T × O what the head should predict at each step
   * @param state N states, read as the chunk's initial states and replaced by its final ones
   * @throws IllegalStateException if the parameters are a categorical model's
   */
  public double forward(float[][][] x, float[][][] target, LstmState[] state) {
    requireInput(false);
    prepare(x, state);
    return run(target, null, state);
  }

  /**
   * Runs a categorical chunk and returns its loss, the mean cross-entropy −log p(target) of the
   * softmax head over every sequence and step. At step t the layers read the embedding row of
   * {@code symbols[s][t]} and the head predicts {@code targets[s][t]}, normally symbol t + 1.
   *
   * @param symbols N × T input ids in [0, V)
   * @param targets N × T target ids in [0, V)
   * @param state N states, read as the chunk's initial states and replaced by its final ones
   * @throws IllegalStateException if the parameters are a numeric model's
   * @throws IllegalArgumentException if an id is outside the vocabulary
   */
  public double forward(int[][] symbols, int[][] targets, LstmState[] state) {
    requireInput(true);
    prepare(symbols, state);
    return run(null, targets, state);
  }

  private double run(float[][][] target, int[][] classes, LstmState[] state) {
    int top = layers - 1;
    int op = shape.outStride;
    double sum = 0;
    for (int t = 0; t < steps; t++) {
      for (int l = 0; l < layers; l++) {
        forwardLayer(l, t);
      }
      kernel.affine(
          buf.in[top][t + 1],
          0,
          shape.inStride[top],
          n,
          weights.head,
          shape.hidden[top],
          weights.headBias,
          buf.y,
          op,
          op);
      sum +=
          target != null
              ? BpttLosses.squaredError(buf.y, op, n, steps, outputs, target, t, buf.outputGrad[t])
              : BpttLosses.crossEntropy(
                  buf.y, op, n, steps, outputs, classes, t, buf.outputGrad[t]);
    }
    finish(state);
    backwardReady = true;
    long terms = (long) n * steps * (target != null ? outputs : 1);
    return sum / terms;
  }

  /**
   * Runs the layers over x from each sequence's state and leaves the final states in {@code state},
   * computing no prediction: a burn-in that warms the state up before a chunk that is trained. It
   * replaces what the last {@link #forward} kept, so backward needs a new forward.
   *
   * @param x N × T × D inputs, normalised
   * @param state N states, read and replaced
   */
  public void advance(float[][][] x, LstmState[] state) {
    requireInput(false);
    prepare(x, state);
    advanceSteps(state);
  }

  /** As {@link #advance(float[][][], LstmState[])} for a categorical model's input ids. */
  public void advance(int[][] symbols, LstmState[] state) {
    requireInput(true);
    prepare(symbols, state);
    advanceSteps(state);
  }

  private void advanceSteps(LstmState[] state) {
    for (int t = 0; t < steps; t++) {
      for (int l = 0; l < layers; l++) {
        forwardLayer(l, t);
      }
    }
    finish(state);
    backwardReady = false;
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
   * @throws IllegalStateException if no {@link #forward} preceded it
   */
  public void backward(Parameters grads, LstmState[] finalStateGrads) {
    if (!backwardReady) {
      throw new IllegalStateException("backward needs a forward pass first");
    }
    weightGrads.clear();
    buf.loadStateGrads(shape, n, finalStateGrads);
    for (int t = steps - 1; t >= 0; t--) {
      headBackward(t);
      for (int l = layers - 1; l >= 0; l--) {
        backwardLayer(l, t);
      }
      if (shape.vocabulary > 0) {
        buf.scatterInputGrads(shape, n, t, grads.embedding);
      }
    }
    weightGrads.addTo(shape, grads);
    buf.storeInitialStateGrads(shape, n);
  }

  /**
   * δloss/δx of the last backward pass: the first N × T entries of these live arrays, overwritten
   * by the next call; not updated while {@link #computeInputGradients} is off, nor for a
   * categorical model (whose δx goes into the embedding's gradient).
   */
  public float[][][] inputGradients() {
    return buf == null ? new float[0][][] : buf.inputGrad;
  }

  /** δloss/δ(initial h, c) of the last backward pass: the first N of these live states. */
  public LstmState[] initialStateGradients() {
    return buf == null ? new LstmState[0] : buf.initialStateGrads;
  }

  private void prepare(float[][][] x, LstmState[] state) {
    resize(x.length, x[0].length);
    buf.loadInputs(shape, x, n, steps);
    buf.loadStates(shape, state, n);
  }

  private void prepare(int[][] symbols, LstmState[] state) {
    resize(symbols.length, symbols[0].length);
    buf.loadSymbols(shape, params.embedding, symbols, n, steps);
    buf.loadStates(shape, state, n);
  }

  private void resize(int sequences, int chunkSteps) {
    n = sequences;
    steps = chunkSteps;
    if (buf == null || !buf.fits(n, steps)) {
      buf = new BpttBuffers(shape, n, steps, buf);
    }
    weights.copyFrom(shape, params);
  }

  private void requireInput(boolean symbols) {
    if (symbols != shape.vocabulary > 0) {
      throw new IllegalStateException(
          symbols
              ? "symbol input needs a categorical model's parameters (with an embedding)"
              : "a categorical model reads symbol ids, not vectors");
    }
  }

  private void finish(LstmState[] state) {
    buf.storeStates(shape, state, n, steps);
  }

  private void forwardLayer(int l, int t) {
    int h = shape.hidden[l];
    int kp = shape.inStride[l];
    int g = shape.gateStride[l];
    float[] in = buf.in[l][t];
    float[] gates = buf.gates[l][t];
    kernel.affine(in, 0, kp, n, weights.stacked[l], shape.rows[l], null, gates, g, g);
    float[] hOut = buf.in[l][t + 1];
    LayerRows rows = layerRows[l].at(buf, n, t);
    if (shape.lstm(l)) {
      kernel.gatesForward(rows);
    } else {
      RnnRows.forward(rows);
    }
    if (l + 1 < layers) {
      // The layer above reads this h as its x, after its own h₋₁.
      float[] above = buf.in[l + 1][t];
      int strideAbove = shape.inStride[l + 1];
      int at = shape.hidden[l + 1];
      for (int s = 0; s < n; s++) {
        System.arraycopy(hOut, s * kp, above, s * strideAbove + at, h);
      }
    }
  }

  private void headBackward(int t) {
    int top = layers - 1;
    int op = shape.outStride;
    int hp = shape.cellStride[top];
    float[] dy = buf.outputGrad[t];
    kernel.affine(dy, 0, op, n, weights.headT, outputs, null, buf.dhHead, hp, hp);
    kernel.accumulateOuter(
        buf.in[top][t + 1],
        0,
        shape.inStride[top],
        n,
        shape.hidden[top],
        dy,
        op,
        weightGrads.head,
        op);
    for (int s = 0; s < n; s++) {
      for (int o = 0; o < outputs; o++) {
        weightGrads.headBias[o] += dy[s * op + o];
      }
    }
  }

  private void backwardLayer(int l, int t) {
    int kp = shape.inStride[l];
    int g = shape.gateStride[l];
    float[] dIn = buf.dIn[l];
    float[] dA = buf.dA[l];
    LayerRows rows = layerRows[l].at(buf, n, t);
    if (shape.lstm(l)) {
      kernel.gatesBackward(rows);
    } else {
      RnnRows.backward(rows);
    }
    kernel.accumulateOuter(buf.in[l][t], 0, kp, n, shape.rows[l], dA, g, weightGrads.stacked[l], g);
    boolean embedded = shape.vocabulary > 0;
    boolean wantInputs = l > 0 || inputGradients || embedded;
    int cols = wantInputs ? kp : shape.cellStride[l];
    kernel.affine(dA, 0, g, n, weights.transposed[l], shape.gates[l], null, dIn, kp, cols);
    if (l == 0 && inputGradients && !embedded) {
      buf.storeInputGrads(shape, n, t);
    }
  }
}
