package io.flinklstm.model.bptt;

import io.flinklstm.model.Activation;
import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.CellType;
import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.Embedding;
import io.flinklstm.model.InputScaling;
import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Normalizer;
import io.flinklstm.model.RecurrentLayer;
import io.flinklstm.model.RnnLayer;
import io.flinklstm.model.TimeFeatures;
import io.flinklstm.model.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A mutable copy of a model's weights for training, in the logical (unpadded) layout: for a
 * categorical model first the embedding (V × E); then per layer Wx (D × B·H), Wh (H × B·H) and b
 * (B·H), with B = 4 blocks in gate order i, f, g, o for an LSTM layer and B = 1 for an RNN layer;
 * then the head's W (H × O) and b (O).
 *
 * <p>The same class holds gradients: {@link #zerosLike()} gives an accumulator of the same shape,
 * and {@link #arrays()} lists every array in one fixed order, so an optimiser can walk parameters,
 * gradients and its moment estimates side by side.
 */
public final class Parameters {
  /** One recurrent layer's trainable arrays. */
  public static final class Layer {
    public final CellType cell;
    public final float[][] inputWeights;
    public final float[][] recurrentWeights;
    public final float[] bias;
    public final Activation activation;

    /** The LSTM's gate activation; {@link Activation#IDENTITY} and unused for an RNN layer. */
    public final Activation recurrentActivation;

    Layer(
        CellType cell,
        float[][] inputWeights,
        float[][] recurrentWeights,
        float[] bias,
        Activation activation,
        Activation recurrentActivation) {
      this.cell = cell;
      this.inputWeights = inputWeights;
      this.recurrentWeights = recurrentWeights;
      this.bias = bias;
      this.activation = activation;
      this.recurrentActivation = recurrentActivation;
    }

    public int inputSize() {
      return inputWeights.length;
    }

    public int hiddenSize() {
      return recurrentWeights.length;
    }

    static Layer of(RecurrentLayer layer) {
      Activation rec =
          layer instanceof LstmLayer lstm ? lstm.recurrentActivation() : Activation.IDENTITY;
      return new Layer(
          layer.cellType(),
          layer.inputWeights(),
          layer.recurrentWeights(),
          layer.bias(),
          layer.activation(),
          rec);
    }

    RecurrentLayer build() {
      return cell == CellType.LSTM
          ? new LstmLayer(inputWeights, recurrentWeights, bias, activation, recurrentActivation)
          : new RnnLayer(inputWeights, recurrentWeights, bias, activation);
    }
  }

  /** V rows of E for a categorical model; no rows for a numeric one. */
  public final float[][] embedding;

  public final Layer[] layers;
  public final float[][] headWeights;
  public final float[] headBias;
  // Built once: optimisers walk it on every update, and the arrays never change identity.
  private final List<float[]> all;

  private Parameters(float[][] embedding, Layer[] layers, float[][] headWeights, float[] headBias) {
    this.embedding = embedding;
    this.layers = layers;
    this.headWeights = headWeights;
    this.headBias = headBias;
    List<float[]> list = new ArrayList<>(Arrays.asList(embedding));
    for (Layer p : layers) {
      list.addAll(Arrays.asList(p.inputWeights));
      list.addAll(Arrays.asList(p.recurrentWeights));
      list.add(p.bias);
    }
    list.addAll(Arrays.asList(headWeights));
    list.add(headBias);
    this.all = Collections.unmodifiableList(list);
  }

  /** A copy of the model's weights. */
  public static Parameters of(LstmModel model) {
    Layer[] layers = new Layer[model.layers().size()];
    for (int l = 0; l < layers.length; l++) {
      layers[l] = Layer.of(model.layers().get(l));
    }
    return new Parameters(new float[0][], layers, model.head().weights(), model.head().bias());
  }

  /** A copy of a categorical model's weights, the embedding included. */
  public static Parameters of(CategoricalModel model) {
    Layer[] layers = new Layer[model.layers().size()];
    for (int l = 0; l < layers.length; l++) {
      layers[l] = Layer.of(model.layers().get(l));
    }
    return new Parameters(
        model.embedding().rows(), layers, model.head().weights(), model.head().bias());
  }

  /** Whether these are a categorical model's parameters: an embedding and a softmax head. */
  public boolean categorical() {
    return embedding.length > 0;
  }

  /** Zeros of the same shape, for gradients and optimiser moments. */
  public Parameters zerosLike() {
    Layer[] zeros = new Layer[layers.length];
    for (int l = 0; l < layers.length; l++) {
      Layer p = layers[l];
      zeros[l] =
          new Layer(
              p.cell,
              new float[p.inputSize()][p.bias.length],
              new float[p.hiddenSize()][p.bias.length],
              new float[p.bias.length],
              p.activation,
              p.recurrentActivation);
    }
    int embeddingSize = embedding.length == 0 ? 0 : embedding[0].length;
    return new Parameters(
        new float[embedding.length][embeddingSize],
        zeros,
        new float[headWeights.length][headBias.length],
        new float[headBias.length]);
  }

  public Parameters copy() {
    Parameters copy = zerosLike();
    copy.copyFrom(this);
    return copy;
  }

  /** Overwrites every value with the other's; shapes must match. */
  public void copyFrom(Parameters other) {
    List<float[]> from = other.arrays();
    List<float[]> to = arrays();
    for (int i = 0; i < to.size(); i++) {
      System.arraycopy(from.get(i), 0, to.get(i), 0, to.get(i).length);
    }
  }

  /** Sets every value to zero. */
  public void clear() {
    for (float[] a : arrays()) {
      Arrays.fill(a, 0f);
    }
  }

  /**
   * Every array, in a fixed order: the rows of the embedding (none for a numeric model), per layer
   * the rows of Wx, the rows of Wh and b, then the rows of the head's W and its b. The arrays are
   * live: writing to them changes the parameters. The list itself is unmodifiable and the same on
   * every call.
   */
  public List<float[]> arrays() {
    return all;
  }

  /** The number of trainable values. */
  public long size() {
    long n = 0;
    for (float[] a : arrays()) {
      n += a.length;
    }
    return n;
  }

  /**
   * Builds an immutable numeric model from these values; fails on non-finite values.
   *
   * @throws IllegalArgumentException for a categorical model's parameters or RNN layers
   */
  public LstmModel toModel(ModelInfo info, Normalizer normalizer) {
    return toModel(info, normalizer, InputScaling.NONE, TimeFeatures.NONE);
  }

  /**
   * Builds an immutable numeric model from these values, expecting values scaled by {@code scaling}
   * and taking the {@code time} inputs; fails on non-finite values.
   *
   * @throws IllegalArgumentException for a categorical model's parameters, RNN layers, or sizes
   *     that do not chain
   */
  public LstmModel toModel(
      ModelInfo info, Normalizer normalizer, InputScaling scaling, TimeFeatures time) {
    if (categorical()) {
      throw new IllegalArgumentException(
          "these are a categorical model's parameters; build it with toCategoricalModel");
    }
    List<LstmLayer> built = new ArrayList<>();
    for (Layer p : layers) {
      if (p.cell != CellType.LSTM) {
        throw new IllegalArgumentException("a numeric model has LSTM layers only");
      }
      built.add((LstmLayer) p.build());
    }
    return new LstmModel(
        info, normalizer, scaling, time, built, new DenseLayer(headWeights, headBias));
  }

  /**
   * Builds an immutable categorical model from these values; fails on non-finite values.
   *
   * @throws IllegalArgumentException if these are not a categorical model's parameters or the
   *     vocabulary's size is not the embedding's
   */
  public CategoricalModel toCategoricalModel(ModelInfo info, Vocabulary vocabulary) {
    if (!categorical()) {
      throw new IllegalArgumentException("these are a numeric model's parameters (no embedding)");
    }
    List<RecurrentLayer> built = new ArrayList<>();
    for (Layer p : layers) {
      built.add(p.build());
    }
    return new CategoricalModel(
        info, vocabulary, new Embedding(embedding), built, new DenseLayer(headWeights, headBias));
  }
}
