package io.flinklstm.sidecar;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bounded sample of symbol streams: each key's most recent symbols in arrival order with their
 * event times, at most {@code perKey} of them, and at most {@code total} over all keys; beyond that
 * the least recently updated keys are dropped whole. Thread-safe: the consumer appends while a
 * round may take a snapshot.
 *
 * <p>Symbols can be marked (the job flagged them, or an analyst confirmed them as anomalies): a
 * snapshot cuts a key's stream at each marked symbol and leaves it out, so training never learns a
 * transition into or out of one. An analyst's false positive unmarks a symbol for good. Marks are
 * kept by key and time, whether the symbol has arrived or not, for the last {@value #MARKS_PER_KEY}
 * of a key and {@value #MARKED_KEYS} keys.
 */
final class SymbolSample {
  /** Marks, and false positives, kept per key; the oldest are forgotten beyond this. */
  static final int MARKS_PER_KEY = 64;

  /** Keys whose marks are kept; the least recently marked are forgotten beyond this. */
  static final int MARKED_KEYS = 4096;

  private final int perKey;
  private final long total;
  // Access order: the first entry is the key updated least recently.
  private final LinkedHashMap<String, Stream> keys = new LinkedHashMap<>(16, 0.75f, true);
  private final LinkedHashMap<String, LinkedHashSet<Long>> marked =
      new LinkedHashMap<>(16, 0.75f, true);
  private final LinkedHashMap<String, LinkedHashSet<Long>> cleared =
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

  synchronized void append(String key, long ts, String symbol) {
    Stream stream = keys.computeIfAbsent(key, k -> new Stream());
    stream.symbols.addLast(symbol);
    stream.times.addLast(ts);
    stored++;
    if (stream.symbols.size() > perKey) {
      stream.symbols.removeFirst();
      stream.times.removeFirst();
      stored--;
    }
    Iterator<Map.Entry<String, Stream>> oldest = keys.entrySet().iterator();
    while (stored > total && oldest.hasNext()) {
      Map.Entry<String, Stream> e = oldest.next();
      if (e.getKey().equals(key)) {
        continue;
      }
      stored -= e.getValue().symbols.size();
      oldest.remove();
    }
  }

  /** Marks the key's symbol at {@code ts} flagged by the job, unless an analyst cleared it. */
  synchronized void markFlagged(String key, long ts) {
    LinkedHashSet<Long> clearedOfKey = cleared.get(key);
    if (clearedOfKey == null || !clearedOfKey.contains(ts)) {
      remember(marked, key, ts);
    }
  }

  /**
   * Applies an analyst's verdict on the key's symbol at {@code ts}: confirmed marks it; a false
   * positive unmarks it and keeps later flags of it from marking it again. The last verdict wins.
   */
  synchronized void markVerdict(String key, long ts, boolean confirmed) {
    forget(confirmed ? cleared : marked, key, ts);
    remember(confirmed ? marked : cleared, key, ts);
  }

  /**
   * Every key's symbols, oldest first, as they are now, cut at marked symbols into runs of at least
   * two; keys sorted by name, so a round does not depend on how the partitions of the events topic
   * interleaved.
   */
  synchronized List<List<String>> snapshot() {
    // Iterated, not looked up: a get() on an access-ordered map would change who is evicted.
    TreeMap<String, Stream> sorted = new TreeMap<>();
    keys.forEach(sorted::put);
    TreeMap<String, LinkedHashSet<Long>> marks = new TreeMap<>();
    marked.forEach(marks::put);
    List<List<String>> out = new ArrayList<>();
    sorted.forEach((key, stream) -> stream.runs(marks.get(key), out));
    return out;
  }

  private static void remember(
      LinkedHashMap<String, LinkedHashSet<Long>> byKey, String key, long ts) {
    LinkedHashSet<Long> times = byKey.computeIfAbsent(key, k -> new LinkedHashSet<>());
    times.add(ts);
    if (times.size() > MARKS_PER_KEY) {
      times.remove(times.iterator().next());
    }
    if (byKey.size() > MARKED_KEYS) {
      byKey.remove(byKey.keySet().iterator().next());
    }
  }

  private static void forget(
      LinkedHashMap<String, LinkedHashSet<Long>> byKey, String key, long ts) {
    LinkedHashSet<Long> times = byKey.get(key);
    if (times != null) {
      times.remove(ts);
    }
  }

  /** One key's symbols and their event times, oldest first. */
  private static final class Stream {
    final ArrayDeque<String> symbols = new ArrayDeque<>();
    final ArrayDeque<Long> times = new ArrayDeque<>();

    /** The runs between marked symbols, of at least two symbols; the whole stream with none. */
    void runs(LinkedHashSet<Long> marks, List<List<String>> out) {
      if (marks == null || marks.isEmpty()) {
        out.add(List.copyOf(symbols));
        return;
      }
      List<String> run = new ArrayList<>();
      Iterator<Long> time = times.iterator();
      for (String symbol : symbols) {
        if (marks.contains(time.next())) {
          addRun(run, out);
          run = new ArrayList<>();
        } else {
          run.add(symbol);
        }
      }
      addRun(run, out);
    }

    private static void addRun(List<String> run, List<List<String>> out) {
      if (run.size() >= 2) {
        out.add(List.copyOf(run));
      }
    }
  }
}
