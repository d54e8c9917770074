package io.flinklstm.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The symbols a categorical model knows, each with its id (its index in {@link #symbols()}), and
 * the reserved out-of-vocabulary entry that every other symbol maps to.
 *
 * <p>The out-of-vocabulary entry is an ordinary row of the embedding and an ordinary class of the
 * softmax: training maps symbols outside the vocabulary to it, so the model learns how likely "
 * something new" is. {@link #find} tells a caller whether a symbol is known at all, which scoring
 * needs to report unknown symbols as an anomaly of their own.
 *
 * <p>Immutable; lookups allocate nothing.
 */
public final class Vocabulary {
  /** The out-of-vocabulary symbol importers and trainers use unless told otherwise. */
  public static final String DEFAULT_UNKNOWN = "<unk>";

  private final List<String> symbols;
  private final String unknownSymbol;
  private final int unknownId;
  private final Map<String, Integer> ids;

  /**
   * @param symbols every symbol, the position being its id; includes {@code unknownSymbol}
   * @param unknownSymbol the entry that stands for every symbol not in the list
   * @throws IllegalArgumentException if a symbol is empty or listed twice, the unknown symbol is
   *     not in the list, or there is no symbol besides it
   */
  public Vocabulary(List<String> symbols, String unknownSymbol) {
    this.symbols = List.copyOf(symbols);
    this.unknownSymbol = Objects.requireNonNull(unknownSymbol, "unknownSymbol");
    this.ids = new HashMap<>(this.symbols.size() * 2);
    for (int id = 0; id < this.symbols.size(); id++) {
      String s = this.symbols.get(id);
      if (s.isEmpty()) {
        throw new IllegalArgumentException("vocabulary: symbol " + id + " is the empty string");
      }
      Integer before = ids.put(s, id);
      if (before != null) {
        throw new IllegalArgumentException(
            "vocabulary: symbol '" + s + "' is listed twice, as ids " + before + " and " + id);
      }
    }
    Integer unknown = ids.get(unknownSymbol);
    if (unknown == null) {
      throw new IllegalArgumentException(
          "vocabulary: the out-of-vocabulary symbol '" + unknownSymbol + "' is not in the list");
    }
    if (this.symbols.size() < 2) {
      throw new IllegalArgumentException(
          "vocabulary: needs at least one symbol besides the out-of-vocabulary one");
    }
    this.unknownId = unknown;
  }

  /** The number of ids, V, including the out-of-vocabulary one. */
  public int size() {
    return symbols.size();
  }

  /** Every symbol in id order. */
  public List<String> symbols() {
    return symbols;
  }

  public String symbol(int id) {
    return symbols.get(id);
  }

  /** The symbol that stands for every symbol outside the vocabulary. */
  public String unknownSymbol() {
    return unknownSymbol;
  }

  /** The id of {@link #unknownSymbol()}. */
  public int unknownId() {
    return unknownId;
  }

  /** The symbol's id, or -1 if it is not in the vocabulary. */
  public int find(String symbol) {
    Integer id = ids.get(symbol);
    return id == null ? -1 : id;
  }

  /** The symbol's id, or {@link #unknownId()} if it is not in the vocabulary. */
  public int id(String symbol) {
    Integer id = ids.get(symbol);
    return id == null ? unknownId : id;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Vocabulary v
        && v.symbols.equals(symbols)
        && v.unknownSymbol.equals(unknownSymbol);
  }

  @Override
  public int hashCode() {
    return symbols.hashCode() * 31 + unknownSymbol.hashCode();
  }

  @Override
  public String toString() {
    return symbols.size() + " symbols, out-of-vocabulary '" + unknownSymbol + "' = " + unknownId;
  }
}
