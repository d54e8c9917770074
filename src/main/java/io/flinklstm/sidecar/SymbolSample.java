package io.flinklstm.sidecar;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bounded sample of symbol streams: each key's most recent symbols in arrival order, at most
 * {@code perKey} of them, and at most {@code total} over all keys; beyond that the least recently
 * updated keys are dropped whole. Thread-safe: the consumer appends while a round may take a
 * snapshot.
 */
final class SymbolSample {
  private final int perKey;
  private final long total;
  // Access order: the first entry is the key updated least recently.
  private final LinkedHashMap<String, ArrayDeque<String>> keys =
      new LinkedHashMap<>(16, 0.75f, true);
  private long stored;

  SymbolSample(int perKey, long total) {
    if (perKey < 2) {
      throw new IllegalArgumentException("--steps-per-key must be at least 2, was " + perKey);
    }
    if (total < perKey) {
      throw new IllegalArgumentException(
          "--max-stored-values (" + total + ") must be at least --steps-per-key (" + perKey + ")");
    }
    this.perKey = perKey;
    this.total = total;
  }

  synchronized void append(String key, String symbol) {
    ArrayDeque<String> symbols = keys.computeIfAbsent(key, k -> new ArrayDeque<>());
    symbols.addLast(symbol);
    stored++;
    if (symbols.size() > perKey) {
      symbols.removeFirst();
      stored--;
    }
    Iterator<Map.Entry<String, ArrayDeque<String>>> oldest = keys.entrySet().iterator();
    while (stored > total && oldest.hasNext()) {
      Map.Entry<String, ArrayDeque<String>> e = oldest.next();
      if (e.getKey().equals(key)) {
        continue;
      }
      stored -= e.getValue().size();
      oldest.remove();
    }
  }

  /**
   * Every key's symbols, oldest first, as they are now; keys sorted by name, so a round does not
   * depend on how the partitions of the events topic interleaved.
   */
  synchronized List<List<String>> snapshot() {
    // Iterated, not looked up: a get() on an access-ordered map would change who is evicted.
    TreeMap<String, List<String>> sorted = new TreeMap<>();
    keys.forEach((key, symbols) -> sorted.put(key, List.copyOf(symbols)));
    return new ArrayList<>(sorted.values());
  }
}
