package io.flinklstm.model.kernel;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.Embedding;
import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.RecurrentLayer;
import io.flinklstm.model.RnnLayer;
import io.flinklstm.model.Vocabulary;
import java.util.Objects;

/**
 * Steps keys' states through one {@link CategoricalModel}, one symbol at a time, and gives the
 * distribution of the next symbol.
 *
 * <p>Scoring an event s_t of a key takes two calls: {@link #logProbabilities} of the key's state as
 * it is (the prediction made after s_{t-1}) gives log p(s_t), then {@link #advance} feeds s_t in.
 * The embedding row is read in place and the LSTM layers run on the same kernels as {@link
 * Stepper}'s, so stepping allocates nothing. One stepper per thread; arrays it returns are its own
 * and are overwritten by the next call.
 */
public final class SymbolStepper {
  private final CategoricalModel model;
  private final LstmKernel kernel;
  private final int vocabularySize;
  // Per layer, exactly one of the two is set: the dispatch costs one null check per layer.
  private final LstmLayer[] lstmLayers;
  private final RnnLayer[] rnnLayers;
  private final float[] z;
  private final float[] logits;

  /** A stepper of the model on the fastest kernel this JVM offers. */
  public static SymbolStepper of(CategoricalModel model) {
    return new SymbolStepper(model, Kernels.best());
  }

  SymbolStepper(CategoricalModel model, LstmKernel kernel) {
    this.model = model;
    this.kernel = kernel;
    this.vocabularySize = model.vocabulary().size();
    int layers = model.layers().size();
    this.lstmLayers = new LstmLayer[layers];
    this.rnnLayers = new RnnLayer[layers];
    int scratch = 0;
    for (int l = 0; l < layers; l++) {
      RecurrentLayer layer = model.layers().get(l);
      if (layer instanceof LstmLayer lstm) {
        lstmLayers[l] = lstm;
        scratch = Math.max(scratch, kernel.scratchSize(lstm, 1));
      } else {
        rnnLayers[l] = (RnnLayer) layer;
        scratch = Math.max(scratch, rnnLayers[l].scratchSize());
      }
    }
    this.z = new float[scratch];
    this.logits = new float[model.head().stride()];
  }

  public CategoricalModel model() {
    return model;
  }

  /**
   * Feeds one symbol in: advances every layer of the state in place.
   *
   * @param symbol an id in [0, V); map strings with {@link Vocabulary#id}
   * @throws IndexOutOfBoundsException if the id is outside the vocabulary
   */
  public void advance(LstmState state, int symbol) {
    Objects.checkIndex(symbol, vocabularySize);
    Embedding embedding = model.embedding();
    float[] x = embedding.table();
    int xOff = embedding.offset(symbol);
    for (int l = 0; l < lstmLayers.length; l++) {
      int off = model.stateOffset(l);
      if (lstmLayers[l] != null) {
        kernel.step(lstmLayers[l], x, xOff, state.h(), state.c(), off, z);
      } else {
        rnnLayers[l].step(x, xOff, state.h(), off, z);
      }
      x = state.h();
      xOff = off;
    }
  }

  /** The head's logits from the state as it is: entries [0, V) (valid until the next call). */
  public float[] logits(LstmState state) {
    kernel.dense(model.head(), state.h(), model.lastLayerOffset(), logits);
    return logits;
  }

  /**
   * log p(next symbol = s) for every s in [0, V), from the state as it is: the log-softmax of the
   * logits (entries [0, V), valid until the next call).
   */
  public float[] logProbabilities(LstmState state) {
    logits(state);
    logSoftmaxInPlace(logits, vocabularySize);
    return logits;
  }

  /** {@link #advance} then {@link #logProbabilities}: the prediction of the symbol after this. */
  public float[] step(LstmState state, int symbol) {
    advance(state, symbol);
    return logProbabilities(state);
  }

  /** y[j] ← y[j] − log Σ_k exp(y[k]) for j &lt; n, shifted by the maximum so nothing overflows. */
  static void logSoftmaxInPlace(float[] y, int n) {
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      max = Math.max(max, y[j]);
    }
    double sum = 0;
    for (int j = 0; j < n; j++) {
      sum += Math.exp(y[j] - max);
    }
    float logSum = (float) (max + Math.log(sum));
    for (int j = 0; j < n; j++) {
      y[j] -= logSum;
    }
  }
}
