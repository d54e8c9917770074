package io.flinklstm.model;

import java.util.List;
import java.util.Objects;

/**
 * A next-symbol predictor over a vocabulary of discrete events: an embedding of the symbol that
 * came, a stack of recurrent layers (LSTM or vanilla RNN, in any mix) and a softmax head giving the
 * probability of every symbol to come next:
 *
 * <pre>
 *   x_t = E[s_t]                      E: V × E, the {@link Embedding}
 *   h_t = layers(x_t, h_{t-1})        {@link LstmLayer} / {@link RnnLayer}
 *   p_t = softmax(h_t·W + b)          W: H × V, the head; p_t[s] = P(s_{t+1} = s | s_1 … s_t)
 * </pre>
 *
 * <p>With E = V and the identity embedding and one RNN layer this is the character-level model of
 * Karpathy's min-char-rnn; with an LSTM stack it is DeepLog's (Du et al., 2017) log-key model.
 *
 * <p>Immutable and safe to share between threads; each thread steps keys through its own {@link
 * SymbolStepper}. A key's state is an {@link LstmState} of {@link #stateSize()} floats per array,
 * laid out as {@link LstmModel}'s (an RNN layer's share of the cell array stays zero).
 */
public final class CategoricalModel implements SequenceModel {
  private final ModelInfo info;
  private final Vocabulary vocabulary;
  private final Embedding embedding;
  private final List<RecurrentLayer> layers;
  private final DenseLayer head;
  private final int[] offsets;
  private final int stateSize;

  /**
   * @throws IllegalArgumentException if the sizes do not chain: V rows of the embedding, the first
   *     layer's input is the embedding size, each layer's input the previous layer's hidden size,
   *     and the head maps the last hidden size to V
   */
  public CategoricalModel(
      ModelInfo info,
      Vocabulary vocabulary,
      Embedding embedding,
      List<? extends RecurrentLayer> layers,
      DenseLayer head) {
    this.info = Objects.requireNonNull(info, "info");
    this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
    this.embedding = Objects.requireNonNull(embedding, "embedding");
    this.layers = List.copyOf(layers);
    this.head = Objects.requireNonNull(head, "head");
    if (this.layers.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one recurrent layer");
    }
    int v = vocabulary.size();
    if (embedding.vocabularySize() != v) {
      throw new IllegalArgumentException(
          "the embedding has " + embedding.vocabularySize() + " rows but the vocabulary " + v);
    }
    this.offsets = new int[this.layers.size()];
    int expectedInput = embedding.size();
    int offset = 0;
    for (int l = 0; l < this.layers.size(); l++) {
      RecurrentLayer layer = this.layers.get(l);
      if (layer.inputSize() != expectedInput) {
        throw new IllegalArgumentException(
            "layer "
                + l
                + " takes "
                + layer.inputSize()
                + " inputs but receives "
                + expectedInput
                + (l == 0 ? " (the embedding size)" : " (layer " + (l - 1) + "'s hidden size)"));
      }
      offsets[l] = offset;
      offset = Math.addExact(offset, layer.hiddenSize());
      expectedInput = layer.hiddenSize();
    }
    this.stateSize = offset;
    if (head.inputSize() != expectedInput) {
      throw new IllegalArgumentException(
          "the head takes " + head.inputSize() + " inputs but the last layer has " + expectedInput);
    }
    if (head.outputSize() != v) {
      throw new IllegalArgumentException(
          "the softmax head has " + head.outputSize() + " classes but the vocabulary " + v);
    }
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  /** The same weights under other metadata. */
  public CategoricalModel withInfo(ModelInfo newInfo) {
    return new CategoricalModel(newInfo, vocabulary, embedding, layers, head);
  }

  public Vocabulary vocabulary() {
    return vocabulary;
  }

  public Embedding embedding() {
    return embedding;
  }

  public List<RecurrentLayer> layers() {
    return layers;
  }

  /** The head whose outputs are the logits of the V symbols. */
  public DenseLayer head() {
    return head;
  }

  /** Floats in each of a state's h and c arrays: the sum of the hidden sizes. */
  @Override
  public int stateSize() {
    return stateSize;
  }

  /** Where layer l's values start in a state's arrays. */
  public int stateOffset(int layer) {
    return offsets[layer];
  }

  /** Where the last layer's values start in a state's arrays. */
  public int lastLayerOffset() {
    return offsets[offsets.length - 1];
  }

  public long parameterCount() {
    long n = (long) embedding.vocabularySize() * embedding.size();
    n += (long) head.inputSize() * head.outputSize() + head.outputSize();
    for (RecurrentLayer layer : layers) {
      n += layer.parameterCount();
    }
    return n;
  }

  @Override
  public LstmState newState() {
    return new LstmState(stateSize);
  }
}
