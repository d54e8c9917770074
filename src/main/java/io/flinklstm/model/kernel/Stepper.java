package io.flinklstm.model.kernel;

import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;

/**
 * Steps keys' states through one model, one event at a time or many keys at once.
 *
 * <p>Owns the scratch buffers a step needs, so stepping allocates nothing; one stepper per thread.
 * Arrays it returns are its own and are overwritten by the next call.
 */
public final class Stepper {
  private final LstmModel model;
  private final LstmKernel kernel;
  private final float[] z;
  private final float[] input;
  private final float[] prediction;
  private float[][] batchInputs = new float[0][];
  private float[][] batchH = new float[0][];
  private float[][] batchC = new float[0][];
  private float[][] batchPredictions = new float[0][];
  private float[] batchZ;

  /** A stepper of the model on the fastest kernel this JVM offers. */
  public static Stepper of(LstmModel model) {
    return new Stepper(model, Kernels.best());
  }

  Stepper(LstmModel model, LstmKernel kernel) {
    this.model = model;
    this.kernel = kernel;
    this.z = new float[scratchSize(1)];
    this.input = new float[model.stepSize()];
    this.prediction = new float[model.head().stride()];
  }

  public LstmModel model() {
    return model;
  }

  /**
   * Normalises {@code rawInput}, advances the state by one step in place and returns the prediction
   * of the next values in normalised units (length D, valid until the next call). The raw input is
   * a whole step: D values, then the model's time inputs ({@link LstmModel#stepSize()}).
   */
  public float[] step(LstmState state, float[] rawInput) {
    model.normalizer().normalizeStep(rawInput, input);
    return stepNormalized(state, input);
  }

  /** As {@link #step} for an input already in normalised units. */
  public float[] stepNormalized(LstmState state, float[] normalizedInput) {
    advance(state, normalizedInput);
    return predict(state);
  }

  /** Advances the state by one normalised input without computing a prediction. */
  public void advance(LstmState state, float[] normalizedInput) {
    float[] x = normalizedInput;
    int xOff = 0;
    for (int l = 0; l < model.layers().size(); l++) {
      int off = model.stateOffset(l);
      kernel.step(model.layers().get(l), x, xOff, state.h(), state.c(), off, z);
      x = state.h();
      xOff = off;
    }
  }

  /** The head's prediction from the state as it is, in normalised units (valid until next call). */
  public float[] predict(LstmState state) {
    kernel.dense(model.head(), state.h(), model.lastLayerOffset(), prediction);
    return prediction;
  }

  /**
   * Advances {@code n} keys by one step each: key b's state {@code states[b]} takes raw input
   * {@code rawInputs[b]}, and its normalised prediction is written to {@code predictions[b]}. Equal
   * to n calls of {@link #step}, but faster, because each weight is loaded once for several keys.
   */
  public void stepBatch(LstmState[] states, float[][] rawInputs, int n, float[][] predictions) {
    ensureBatch(n);
    for (int b = 0; b < n; b++) {
      model.normalizer().normalizeStep(rawInputs[b], batchInputs[b]);
      batchH[b] = states[b].h();
      batchC[b] = states[b].c();
    }
    float[][] xs = batchInputs;
    int xOff = 0;
    for (int l = 0; l < model.layers().size(); l++) {
      int off = model.stateOffset(l);
      kernel.stepBatch(model.layers().get(l), xs, xOff, batchH, batchC, off, n, batchZ);
      xs = batchH;
      xOff = off;
    }
    kernel.denseBatch(model.head(), batchH, model.lastLayerOffset(), n, batchPredictions);
    for (int b = 0; b < n; b++) {
      System.arraycopy(batchPredictions[b], 0, predictions[b], 0, model.inputSize());
    }
  }

  /**
   * Advances {@code n} keys by one normalised input each, without predictions: key b's state {@code
   * states[b]} takes {@code normalizedInputs[b]}. Equal to n calls of {@link #advance}, but faster,
   * because each weight is loaded once for several keys.
   */
  public void advanceBatch(LstmState[] states, float[][] normalizedInputs, int n) {
    ensureBatch(n);
    for (int b = 0; b < n; b++) {
      batchH[b] = states[b].h();
      batchC[b] = states[b].c();
    }
    float[][] xs = normalizedInputs;
    int xOff = 0;
    for (int l = 0; l < model.layers().size(); l++) {
      int off = model.stateOffset(l);
      kernel.stepBatch(model.layers().get(l), xs, xOff, batchH, batchC, off, n, batchZ);
      xs = batchH;
      xOff = off;
    }
    for (int b = 0; b < n; b++) {
      batchH[b] = null;
      batchC[b] = null;
    }
  }

  private void ensureBatch(int n) {
    if (batchInputs.length >= n) {
      return;
    }
    int size = Math.max(n, 2 * batchInputs.length);
    batchInputs = new float[size][model.stepSize()];
    batchH = new float[size][];
    batchC = new float[size][];
    batchPredictions = new float[size][model.head().stride()];
    batchZ = new float[scratchSize(size)];
  }

  private int scratchSize(int keys) {
    int size = 0;
    for (LstmLayer layer : model.layers()) {
      size = Math.max(size, kernel.scratchSize(layer, keys));
    }
    return size;
  }
}
