package io.flinklstm.job;

/**
 * The last symbols of a key scored by a categorical model, oldest first, to re-warm its state under
 * a new model version.
 *
 * <p>The ring keeps the symbol strings, not their ids: ids belong to one version's vocabulary, and
 * the next version's vocabulary may have grown (a symbol that was out-of-vocabulary may now have an
 * id of its own). Replaying strings through the new version's vocabulary gives exactly the input
 * that version would have seen, whatever either vocabulary holds.
 */
final class SymbolRing {
  private String[] slots = new String[0];
  private int head;
  private int size;

  int capacity() {
    return slots.length;
  }

  int size() {
    return size;
  }

  /** Sets the capacity; the ring is emptied when it changes. */
  void resize(int capacity) {
    if (capacity != slots.length) {
      slots = new String[capacity];
      clear();
    }
  }

  void clear() {
    java.util.Arrays.fill(slots, null);
    head = 0;
    size = 0;
  }

  /** Appends a symbol, overwriting the oldest once the ring is full. */
  void remember(String symbol) {
    if (slots.length == 0) {
      return;
    }
    slots[(head + size) % slots.length] = symbol;
    if (size < slots.length) {
      size++;
    } else {
      head = (head + 1) % slots.length;
    }
  }

  /** The i-th remembered symbol, 0 being the oldest. */
  String get(int i) {
    return slots[(head + i) % slots.length];
  }

  void copyFrom(SymbolRing other) {
    slots = other.slots.clone();
    head = other.head;
    size = other.size;
  }
}
