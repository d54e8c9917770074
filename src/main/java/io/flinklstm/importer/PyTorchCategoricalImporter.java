package io.flinklstm.importer;

import io.flinklstm.model.Activation;
import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.CellType;
import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.Embedding;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.RecurrentLayer;
import io.flinklstm.model.RnnLayer;
import io.flinklstm.model.Vocabulary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Imports a PyTorch next-symbol model: an optional {@code nn.Embedding}, an {@code nn.RNN} (or
 * {@code nn.LSTM}) of any number of layers and an {@code nn.Linear} head over the vocabulary, from
 * its {@code state_dict} saved as NumPy arrays, plus the vocabulary from a text file. With the
 * default prefixes:
 *
 * <pre>
 *   embedding.weight      (V, E)      optional; without it the input is the one-hot symbol, E = V
 *   rnn.weight_ih_l{k}    (H, D_k)    D_0 = E; D_k = H of the layer below
 *   rnn.weight_hh_l{k}    (H, H)
 *   rnn.bias_ih_l{k}      (H,)
 *   rnn.bias_hh_l{k}      (H,)        added to bias_ih_l{k}
 *   head.weight           (V, H)      the logits of the next symbol
 *   head.bias             (V,)
 * </pre>
 *
 * For {@link CellType#LSTM} the recurrent arrays are {@code lstm.*} with 4H rows, read as {@link
 * PyTorchImporter} reads them. {@code nn.RNN}'s {@code nonlinearity} (tanh or relu) is not in the
 * state dict, so the caller passes it. Bidirectional layers and {@code bias=False} are refused.
 */
public final class PyTorchCategoricalImporter {
  public static final String DEFAULT_EMBEDDING_PREFIX = "embedding.";
  public static final String DEFAULT_RNN_PREFIX = "rnn.";

  private final CellType cell;
  private final Activation activation;
  private final String embeddingPrefix;
  private final String recurrentPrefix;
  private final String headPrefix;

  /**
   * @param activation an RNN's nonlinearity, tanh or relu; tanh for an LSTM
   * @param recurrentPrefix what precedes {@code weight_ih_l0}, including the dot
   * @throws IllegalArgumentException for an activation PyTorch's module does not offer
   */
  public PyTorchCategoricalImporter(
      CellType cell,
      Activation activation,
      String embeddingPrefix,
      String recurrentPrefix,
      String headPrefix) {
    this.cell = Objects.requireNonNull(cell, "cell");
    this.activation = Objects.requireNonNull(activation, "activation");
    this.embeddingPrefix = Objects.requireNonNull(embeddingPrefix, "embeddingPrefix");
    this.recurrentPrefix = Objects.requireNonNull(recurrentPrefix, "recurrentPrefix");
    this.headPrefix = Objects.requireNonNull(headPrefix, "headPrefix");
    if (cell == CellType.RNN && activation != Activation.TANH && activation != Activation.RELU) {
      throw new IllegalArgumentException(
          "PyTorch's nn.RNN has the nonlinearity tanh or relu, not " + activation.id());
    }
    if (cell == CellType.LSTM && activation != Activation.TANH) {
      throw new IllegalArgumentException("PyTorch's nn.LSTM always uses tanh and sigmoid");
    }
  }

  /**
   * With the default prefixes: {@code embedding.}, {@code rnn.} or {@code lstm.}, {@code head.}.
   */
  public static PyTorchCategoricalImporter withDefaults(CellType cell, Activation activation) {
    return new PyTorchCategoricalImporter(
        cell,
        activation,
        DEFAULT_EMBEDDING_PREFIX,
        cell == CellType.RNN ? DEFAULT_RNN_PREFIX : PyTorchImporter.DEFAULT_LSTM_PREFIX,
        PyTorchImporter.DEFAULT_HEAD_PREFIX);
  }

  /**
   * Reads a vocabulary file: UTF-8, one symbol per line, line i (from 0) being id i.
   *
   * @param unknown the out-of-vocabulary symbol, which must be one of the lines
   * @throws IllegalArgumentException naming the file and the line of an empty or repeated symbol
   */
  public static Vocabulary readVocabulary(Path file, String unknown) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isEmpty()) {
        throw new IllegalArgumentException(
            file + ": line " + (i + 1) + " is empty; every line is one symbol");
      }
    }
    try {
      return new Vocabulary(lines, unknown);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Builds the model; every array is checked against the vocabulary and the layers below.
   *
   * @throws IllegalArgumentException naming the source, the array and the shapes
   */
  public CategoricalModel importModel(WeightArrays weights, Vocabulary vocabulary, ModelInfo info) {
    int v = vocabulary.size();
    Embedding embedding;
    String embeddingName = embeddingPrefix + "weight";
    if (weights.contains(embeddingName)) {
      int e = weights.shape(embeddingName, 2, "(V, E)")[1];
      embedding =
          new Embedding(
              weights.matrix(embeddingName, v, e, "(V, E) with V = " + v + " from the vocabulary"));
    } else {
      embedding = Embedding.oneHot(v);
    }
    List<? extends RecurrentLayer> layers =
        cell == CellType.LSTM
            ? new PyTorchImporter(recurrentPrefix, headPrefix).layers(weights)
            : rnnLayers(weights);
    int first = layers.get(0).inputSize();
    if (first != embedding.size()) {
      throw weights.error(
          "layer 0 reads "
              + first
              + " inputs but "
              + (weights.contains(embeddingName)
                  ? "'" + embeddingName + "' gives vectors of " + embedding.size()
                  : "without '" + embeddingName + "' the input is one-hot, of size V = " + v));
    }
    int hidden = layers.get(layers.size() - 1).hiddenSize();
    String meaning = "(V, H) with V = " + v + " from the vocabulary and H = " + hidden;
    DenseLayer head =
        new DenseLayer(
            weights.transposed(headPrefix + "weight", v, hidden, meaning),
            weights.vector(headPrefix + "bias", v, "(V,) with V = " + v));
    return new CategoricalModel(
        Objects.requireNonNull(info, "info"), vocabulary, embedding, layers, head);
  }

  private List<RnnLayer> rnnLayers(WeightArrays weights) {
    refuseUnsupported(weights);
    Pattern layerArray =
        Pattern.compile(Pattern.quote(recurrentPrefix) + "(?:weight|bias)_(?:ih|hh)_l(\\d+).*");
    int count = WeightImporter.countLayers(weights, this::weightIh, layerArray);
    List<RnnLayer> layers = new ArrayList<>(count);
    int inputs = -1;
    for (int k = 0; k < count; k++) {
      int[] hh = weights.shape(weightHh(k), 2, "(H, H)");
      int hidden = hh[0];
      if (k == 0) {
        inputs = weights.shape(weightIh(k), 2, "(H, D)")[1];
      }
      String h = "H = " + hidden + " from " + weightHh(k);
      float[][] inputWeights = weights.transposed(weightIh(k), hidden, inputs, "(H, D) with " + h);
      float[][] recurrentWeights =
          weights.transposed(weightHh(k), hidden, hidden, "(H, H), square");
      float[] bias = weights.vector(biasIh(k), hidden, "(H,) with " + h);
      float[] biasHh = weights.vector(biasHh(k), hidden, "(H,) with " + h);
      for (int j = 0; j < hidden; j++) {
        bias[j] += biasHh[j];
      }
      layers.add(new RnnLayer(inputWeights, recurrentWeights, bias, activation));
      inputs = hidden;
    }
    return layers;
  }

  private void refuseUnsupported(WeightArrays weights) {
    for (String name : weights.names()) {
      if (name.startsWith(recurrentPrefix) && name.endsWith("_reverse")) {
        throw weights.error(
            "array '" + name + "' belongs to a bidirectional RNN, which is not supported");
      }
    }
    if (weights.contains(weightIh(0)) && !weights.contains(biasIh(0))) {
      throw weights.error(
          "missing array '"
              + biasIh(0)
              + "'; an RNN built with bias=False is not supported (save zero biases instead)");
    }
  }

  private String weightIh(int layer) {
    return recurrentPrefix + "weight_ih_l" + layer;
  }

  private String weightHh(int layer) {
    return recurrentPrefix + "weight_hh_l" + layer;
  }

  private String biasIh(int layer) {
    return recurrentPrefix + "bias_ih_l" + layer;
  }

  private String biasHh(int layer) {
    return recurrentPrefix + "bias_hh_l" + layer;
  }
}
