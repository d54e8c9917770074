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
  /** Grown as symbols arrive, up to the capacity, so that the ring holds only what it remembers. */
  private String[] slots = new String[0];

  private int capacity;
  private int head;
  private int size;

  int capacity() {
    return capacity;
  }

  int size() {
    return size;
  }

  /** Sets the capacity; the ring is emptied when it changes. */
  void resize(int capacity) {
    if (capacity != this.capacity) {
      this.capacity = capacity;
      slots = new String[0];
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
    if (capacity == 0) {
      return;
    }
    if (size == slots.length && size < capacity) {
      // Not full yet, so the head is at 0: double, up to the capacity.
      slots = java.util.Arrays.copyOf(slots, (int) Math.min(capacity, Math.max(4L, 2L * size)));
    }
    slots[(head + size) % capacity] = symbol;
    if (size < capacity) {
      size++;
    } else {
      head = (head + 1) % capacity;
    }
  }

  /** The i-th remembered symbol, 0 being the oldest. */
  String get(int i) {
    return slots[(head + i) % capacity];
  }

  void copyFrom(SymbolRing other) {
    slots = other.slots.clone();
    capacity = other.capacity;
    head = other.head;
    size = other.size;
  }
}
