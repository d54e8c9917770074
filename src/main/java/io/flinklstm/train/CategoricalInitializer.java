package io.flinklstm.train;

import io.flinklstm.model.Activation;
import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.CellType;
import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.Embedding;
import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.RecurrentLayer;
import io.flinklstm.model.RnnLayer;
import io.flinklstm.model.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The weights of a categorical model trained from scratch, as {@link Initializer} gives a numeric
 * one: Glorot-uniform input and head weights, orthogonal recurrent rows, zero biases (the LSTM's
 * forget gate 1), and an embedding drawn from U(−√(3/E), √(3/E)), rows of about unit length as
 * PyTorch's N(0, 1) rows have unit variance per entry divided by E. Deterministic for a seed.
 */
public final class CategoricalInitializer {
  private CategoricalInitializer() {}

  /**
   * A fresh model with {@code layers} layers of the given cell, tanh (and sigmoid gates).
   *
   * @throws IllegalArgumentException if a size is below 1
   */
  public static CategoricalModel fresh(
      ModelInfo info,
      Vocabulary vocabulary,
      int embeddingSize,
      CellType cell,
      int hiddenSize,
      int layers,
      long seed) {
    TrainerConfig.requireAtLeast("embedding size", embeddingSize, 1);
    TrainerConfig.requireAtLeast("hidden size", hiddenSize, 1);
    TrainerConfig.requireAtLeast("layers", layers, 1);
    SplittableRandom random = new SplittableRandom(seed);
    int v = vocabulary.size();
    float[][] embedding = new float[v][embeddingSize];
    double limit = Math.sqrt(3.0 / embeddingSize);
    for (float[] row : embedding) {
      for (int k = 0; k < embeddingSize; k++) {
        row[k] = (float) ((2 * random.nextDouble() - 1) * limit);
      }
    }
    List<RecurrentLayer> built = new ArrayList<>();
    int below = embeddingSize;
    for (int l = 0; l < layers; l++) {
      int columns = cell.blocks() * hiddenSize;
      float[][] wx = Initializer.glorotUniform(random, below, columns);
      float[][] wh = Initializer.orthogonalRows(random, hiddenSize, columns);
      float[] bias = new float[columns];
      if (cell == CellType.LSTM) {
        Arrays.fill(bias, hiddenSize, 2 * hiddenSize, 1f);
        built.add(new LstmLayer(wx, wh, bias, Activation.TANH, Activation.SIGMOID));
      } else {
        built.add(new RnnLayer(wx, wh, bias, Activation.TANH));
      }
      below = hiddenSize;
    }
    DenseLayer head =
        new DenseLayer(Initializer.glorotUniform(random, hiddenSize, v), new float[v]);
    return new CategoricalModel(info, vocabulary, new Embedding(embedding), built, head);
  }

  /**
   * The parent's weights moved to another vocabulary, as a warm start when the vocabulary of the
   * next version grows: a symbol both vocabularies hold keeps its embedding row and its head column
   * and bias; a new symbol, which the parent saw as out-of-vocabulary, starts from the parent's
   * out-of-vocabulary row, column and bias. The layers are kept as they are, so every symbol the
   * parent knew keeps its logit and a new one starts at the logit the parent gave to "something
   * unknown".
   */
  public static CategoricalModel remap(
      CategoricalModel parent, Vocabulary vocabulary, ModelInfo info) {
    Vocabulary old = parent.vocabulary();
    float[][] oldEmbedding = parent.embedding().rows();
    float[][] oldHead = parent.head().weights();
    float[] oldBias = parent.head().bias();
    int v = vocabulary.size();
    float[][] embedding = new float[v][];
    float[][] head = new float[oldHead.length][v];
    float[] bias = new float[v];
    for (int id = 0; id < v; id++) {
      int from = id == vocabulary.unknownId() ? old.unknownId() : old.id(vocabulary.symbol(id));
      embedding[id] = oldEmbedding[from].clone();
      for (int k = 0; k < head.length; k++) {
        head[k][id] = oldHead[k][from];
      }
      bias[id] = oldBias[from];
    }
    return new CategoricalModel(
        info, vocabulary, new Embedding(embedding), parent.layers(), new DenseLayer(head, bias));
  }
}
