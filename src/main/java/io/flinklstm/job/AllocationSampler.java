package io.flinklstm.job;

import java.lang.management.ManagementFactory;

/**
 * The bytes a piece of work allocates on the calling thread, measured on one run in {@code every}
 * and reported per item of the last measured run. The scoring operator samples its batched LSTM
 * step with it: once the JIT has compiled the kernel that step allocates nothing, and one that goes
 * on allocating kilobytes per key runs on boxed vectors (as on Java 17 the JIT used to compile the
 * vector kernel's gate pass now and then; see docs/models.md).
 *
 * <p>Where the JVM cannot count a thread's allocations the value stays NaN. Used by one thread;
 * {@link #lastPerItem} may be read from another.
 */
final class AllocationSampler {
  private static final com.sun.management.ThreadMXBean THREADS = threads();

  private final int every;
  private int countdown = 1;
  private volatile double lastPerItem = Double.NaN;

  /** Measures the first run, then one in {@code every}. */
  AllocationSampler(int every) {
    if (every < 1) {
      throw new IllegalArgumentException("every must be at least 1, was " + every);
    }
    this.every = every;
  }

  /** Before a run: the thread's allocated bytes so far if this run is measured, else -1. */
  long start() {
    if (THREADS == null || --countdown > 0) {
      return -1;
    }
    countdown = every;
    return THREADS.getCurrentThreadAllocatedBytes();
  }

  /** After a run of {@code items} items that {@link #start} returned {@code start} for. */
  void stop(long start, int items) {
    if (start >= 0) {
      lastPerItem = (double) (THREADS.getCurrentThreadAllocatedBytes() - start) / items;
    }
  }

  /** Bytes allocated per item by the last measured run; NaN before one. */
  double lastPerItem() {
    return lastPerItem;
  }

  private static com.sun.management.ThreadMXBean threads() {
    try {
      if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
          && t.isThreadAllocatedMemorySupported()
          && t.isThreadAllocatedMemoryEnabled()) {
        return t;
      }
    } catch (LinkageError e) {
      // No jdk.management module: nothing to count with.
    }
    return null;
  }
}
