package io.flinklstm.train;

import io.flinklstm.model.Vocabulary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Grows a vocabulary from the symbols seen in data, up to a bound: the out-of-vocabulary symbol
 * first (id 0), then the most frequent symbols, ties in the order they were first seen. A
 * vocabulary is built once per model version and frozen with it; symbols beyond the bound map to
 * the out-of-vocabulary id, so the model learns how often "something rare" comes.
 */
public final class VocabularyBuilder {
  private final Map<String, long[]> counts = new HashMap<>();
  private final List<String> firstSeen = new ArrayList<>();

  /** Counts one occurrence. */
  public void add(String symbol) {
    long[] count = counts.get(symbol);
    if (count == null) {
      counts.put(symbol, new long[] {1});
      firstSeen.add(symbol);
    } else {
      count[0]++;
    }
  }

  /** Distinct symbols seen so far. */
  public int distinct() {
    return firstSeen.size();
  }

  /**
   * The vocabulary of at most {@code maxSize} ids, the out-of-vocabulary one included.
   *
   * @throws IllegalArgumentException if maxSize is below 2, no symbol was seen, or a symbol seen is
   *     the out-of-vocabulary symbol itself or empty
   */
  public Vocabulary build(int maxSize, String unknown) {
    TrainerConfig.requireAtLeast("vocabulary size", maxSize, 2);
    if (counts.containsKey(unknown)) {
      throw new IllegalArgumentException(
          "the data holds the out-of-vocabulary symbol '" + unknown + "' itself; choose another");
    }
    List<String> ranked = new ArrayList<>(firstSeen);
    // A stable sort keeps first-seen order among equal counts.
    ranked.sort((a, b) -> Long.compare(counts.get(b)[0], counts.get(a)[0]));
    List<String> symbols = new ArrayList<>();
    symbols.add(unknown);
    symbols.addAll(ranked.subList(0, Math.min(ranked.size(), maxSize - 1)));
    return new Vocabulary(symbols, unknown);
  }
}
